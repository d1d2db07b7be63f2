#!/usr/bin/env node
// The /verify page in a real browser: Debian's Chromium, headless, driven by
// playwright-core, against a real `pathbridge serve` over TLS (the
// development PKI; Chromium accepts only that server's key, by its SPKI
// pin). The credentials are issued with the CLI into the data directory
// before the server starts: a valid one, one then revoked, and a tampered
// copy (its name changed, with markup that must stay text). The result's QR
// code is read back from a screenshot (jsqr, pngjs).
//
//   verify_page_browser.mjs --pathbridge BIN --shared DIR [--chromium BIN]
//
// Prints one "ok" line per check; exit 0 when all pass, 1 otherwise.
// PATHBRIDGE_SCREENSHOTS=DIR saves full-page screenshots of two results.
import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';

import jsQR from 'jsqr';
import {chromium} from 'playwright-core';
import {PNG} from 'pngjs';

const {values: args} = parseArgs({
  options: {
    pathbridge: {type: 'string'},
    shared: {type: 'string'},
    chromium: {type: 'string', default: process.env.PATHBRIDGE_CHROMIUM || '/usr/bin/chromium'},
  },
});
if (!args.pathbridge || !args.shared) {
  console.error('usage: verify_page_browser.mjs --pathbridge BIN --shared DIR [--chromium BIN]');
  process.exit(2);
}
if (!fs.existsSync(args.chromium)) {
  console.error(`verify page: FAILED: no Chromium at ${args.chromium}; run scripts/setup ` +
                '(Debian package chromium) or set PATHBRIDGE_CHROMIUM');
  process.exit(1);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathbridge-verify-page-'));
const data = path.join(dir, 'var');
const file = (name) => path.join(dir, name);

function cli(...cliArgs) {
  return execFileSync(args.pathbridge, cliArgs, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']});
}

// ---- The hub's data, made with the CLI --------------------------------------

function issueCredentials() {
  const college = 'Lakeview Community College';
  cli('org', 'add', '--data', data, '--name', college, 'cc');
  const badge = JSON.parse(fs.readFileSync(
      path.join(args.shared, 'standards/ob3/spec-examples/basicOpenBadgeCredential.json'), 'utf8'));
  delete badge.id;
  delete badge.issuer.id;
  badge.issuer.name = college;
  badge.credentialSubject.identifier = [{
    type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Ana Lopez',
  }];
  fs.writeFileSync(file('unsigned.json'), JSON.stringify(badge));
  const issue = (name, ...extra) => {
    const text = cli('credential', 'issue', '--data', data, '--issuer', 'cc', ...extra, file('unsigned.json'));
    fs.writeFileSync(file(name), text);
    return text;
  };
  issue('badge.json');
  issue('badge.jwt', '--suite', 'vc-jose');
  const revoked = JSON.parse(issue('revoked.json'));
  cli('credential', 'revoke', '--data', data, revoked.id);
  const tampered = JSON.parse(fs.readFileSync(file('badge.json'), 'utf8'));
  tampered.name = '<img src=x onerror="document.title=\'pwned\'">Leadership Badge';
  fs.writeFileSync(file('tampered.json'), JSON.stringify(tampered, null, 2));
}

// ---- The server -------------------------------------------------------------

// Starts `serve` on an ephemeral port; resolves to its base URL.
function startServer() {
  const server = spawn(args.pathbridge,
                       ['serve', '--data', data, '--listen', '127.0.0.1:0', '--open-rate-limit', '1000'],
                       {stdio: ['ignore', 'pipe', 'inherit']});
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 20000);
    server.on('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/ at https:\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({server, base: `https://localhost:${m[1]}`});
      }
    });
  });
}

// base64 SHA-256 of the server certificate's public key: the only key
// Chromium is told to accept without a trusted chain.
function serverSpki() {
  const cert = new crypto.X509Certificate(fs.readFileSync(path.join(data, 'pki', 'server.pem')));
  const spki = cert.publicKey.export({type: 'spki', format: 'der'});
  return crypto.createHash('sha256').update(spki).digest('base64');
}

// ---- The checks -------------------------------------------------------------

let failures = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (e) {
    failures++;
    console.log(`not ok - ${name}\n  ${String(e.stack || e).split('\n').join('\n  ')}`);
  }
}

async function verdict(page) {
  return page.locator('#verdict').getAttribute('data-verdict');
}

async function mark(page, key) {
  return (await page.locator(`tr[data-check="${key}"] td.mark`).innerText()).trim();
}

async function paste(page, base, name) {
  await page.goto(`${base}/verify`);
  await page.fill('#credential', fs.readFileSync(file(name), 'utf8'));
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

async function run(base) {
  const browser = await chromium.launch({
    executablePath: args.chromium,
    args: [`--ignore-certificate-errors-spki-list=${serverSpki()}`],
  });
  try {
    // Sharp enough for the QR code's modules to be read from a screenshot.
    const context = await browser.newContext({deviceScaleFactor: 3});
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });

    await check('the form: a textarea, a file input, and the inline style allowed by the CSP', async () => {
      const response = await page.goto(`${base}/verify`);
      assert.equal(response.status(), 200);
      const csp = response.headers()['content-security-policy'];
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /form-action 'self'/);
      assert.equal(response.headers()['cache-control'], 'no-store');
      assert.equal(await page.locator('textarea#credential').count(), 1);
      assert.equal(await page.locator('input[type=file]#file').count(), 1);
      assert.equal(await page.locator('script').count(), 0);
      // The stylesheet applied: its hash in the CSP matches.
      const font = await page.locator('body').evaluate((b) => getComputedStyle(b).fontFamily);
      assert.match(font, /system-ui/);
    });

    await check('a valid credential, pasted: verified, issuer and achievement shown', async () => {
      await paste(page, base, 'badge.json');
      assert.equal(await verdict(page), 'verified');
      assert.equal(await page.locator('#verdict h2').innerText(), 'Verified');
      assert.equal(await page.locator('#issuer-name').innerText(), 'Lakeview Community College');
      assert.match(await page.locator('#issuer-id').innerText(), /^did:web:localhost%3A8443:orgs:cc$/);
      assert.match(await page.locator('#issuer-trusted').innerText(), /registered with this hub/);
      assert.equal(await page.locator('#achievements h3').first().innerText(), 'Teamwork');
      assert.equal(await page.locator('#holder').innerText(), 'Ana Lopez');
      for (const key of ['signature', 'issuer', 'trust', 'dates', 'revocation', 'ledger'])
        assert.match(await mark(page, key), /Valid/, key);
      // The link to this check, as a QR code (inline SVG) that a phone
      // reads as the same link under the hub's base URL.
      const svg = page.locator('#share svg.qr');
      const box = await svg.boundingBox();
      assert.ok(box && box.width >= 200 && Math.abs(box.width - box.height) < 1, JSON.stringify(box));
      // Whole pixels per module, as a phone's camera would resolve them.
      await svg.evaluate((e) => {
        const px = `${e.viewBox.baseVal.width * 4}px`;
        Object.assign(e.style, {width: px, height: px, maxWidth: 'none'});
      });
      const shot = await svg.screenshot();
      if (process.env.PATHBRIDGE_SCREENSHOTS) fs.writeFileSync(path.join(process.env.PATHBRIDGE_SCREENSHOTS, 'qr.png'), shot);
      const png = PNG.sync.read(shot);
      const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      assert.ok(qr, 'the QR code decodes');
      const href = await page.locator('#result-link').getAttribute('href');
      assert.equal(qr.data, `https://localhost:8443${href}`);
      if (process.env.PATHBRIDGE_SCREENSHOTS)
        await page.screenshot({path: path.join(process.env.PATHBRIDGE_SCREENSHOTS, 'verified.png'), fullPage: true});
      // The verdict's colour comes from the inline stylesheet.
      const border = await page.locator('#verdict').evaluate((s) => getComputedStyle(s).borderLeftColor);
      assert.equal(border, 'rgb(26, 127, 55)');
    });

    await check('a revoked credential: "revoked" shown, not verified', async () => {
      await paste(page, base, 'revoked.json');
      assert.equal(await verdict(page), 'not-valid');
      assert.equal(await page.locator('#verdict h2').innerText(), 'NOT valid');
      assert.match(await mark(page, 'revocation'), /NOT valid/);
      assert.match(await page.locator('tr[data-check="revocation"]').innerText(), /revoked/);
      assert.match(await mark(page, 'signature'), /Valid/);
    });

    await check('a tampered credential: the signature fails, its markup stays text', async () => {
      await paste(page, base, 'tampered.json');
      assert.equal(await verdict(page), 'not-valid');
      assert.match(await mark(page, 'signature'), /NOT valid/);
      assert.match(await mark(page, 'ledger'), /NOT valid/);
      if (process.env.PATHBRIDGE_SCREENSHOTS)
        await page.screenshot({path: path.join(process.env.PATHBRIDGE_SCREENSHOTS, 'tampered.png'), fullPage: true});
      assert.match(await page.locator('#credential-name').innerText(), /^<img src=x onerror=/);
      assert.equal(await page.locator('main img').count(), 0);
      assert.notEqual(await page.title(), 'pwned');
    });

    await check('a file upload (a VC-JOSE JWS)', async () => {
      await page.goto(`${base}/verify`);
      await page.setInputFiles('#file', file('badge.jwt'));
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      assert.equal(await verdict(page), 'verified');
      assert.match(await page.locator('tr[data-check="signature"]').innerText(), /JWS/);
    });

    await check('a link that carries the credential (?vc=), and the result page\'s own link', async () => {
      const vc = Buffer.from(fs.readFileSync(file('revoked.json'), 'utf8').trim()).toString('base64url');
      const response = await page.goto(`${base}/verify?vc=${vc}`);
      assert.equal(response.status(), 200);
      assert.equal(await verdict(page), 'not-valid');
      assert.match(await mark(page, 'revocation'), /NOT valid/);
      await paste(page, base, 'badge.json');
      await Promise.all([page.waitForNavigation(), page.click('#result-link')]);
      assert.match(page.url(), /\/verify\?vc=/);
      assert.equal(await verdict(page), 'verified');
    });

    await check('unreadable input: an HTML error page with a 400', async () => {
      await page.goto(`${base}/verify`);
      await page.fill('#credential', '{"not": "a credential"');
      const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      assert.equal(response.status(), 400);
      assert.match(await page.locator('#error').innerText(), /not a credential/);
    });

    await check('no console errors (no CSP violations)', async () => {
      assert.deepEqual(consoleErrors.filter((e) => !/status of 400/.test(e)), []);
    });
    await context.close();

    const noScript = await browser.newContext({javaScriptEnabled: false});
    const plain = await noScript.newPage();
    await check('JavaScript disabled: paste and upload still work', async () => {
      await paste(plain, base, 'revoked.json');
      assert.equal(await verdict(plain), 'not-valid');
      assert.match(await mark(plain, 'revocation'), /NOT valid/);
      await plain.goto(`${base}/verify`);
      await plain.setInputFiles('#file', file('badge.json'));
      await Promise.all([plain.waitForNavigation(), plain.click('button[type=submit]')]);
      assert.equal(await verdict(plain), 'verified');
    });
    await noScript.close();
  } finally {
    await browser.close();
  }
}

let server;
try {
  issueCredentials();
  const started = await startServer();
  server = started.server;
  await run(started.base);
} catch (e) {
  failures++;
  console.log(`not ok - setup\n  ${e.stack || e}`);
} finally {
  if (server) {
    server.removeAllListeners('exit');
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');  // a graceful stop; the ledger commits
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15000))]);
  }
  fs.rmSync(dir, {recursive: true, force: true});
}
console.log(failures === 0 ? 'verify page: all checks passed' : `verify page: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
