#!/usr/bin/env node
// dbvc: Digital Bazaar's reference Verifiable Credential libraries (and ajv
// for JSON Schema) behind a small command line, so pathbridge's tests can
// check interoperability against the ecosystem's JavaScript implementation.
//
//   dbvc.mjs issue --suite eddsa-rdfc-2022|eddsa-jcs-2022 --key KEYPAIR.json
//                  [--vm URL] UNSIGNED.json          -> signed credential
//   dbvc.mjs verify [--docs DOCMAP.json] [--proof-only] FILE...
//                  -> one JSON line {file, verified, errors} per file
//   dbvc.mjs schema [--catalog DIR --catalog-base URL] SCHEMA.json FILE...
//                  -> one JSON line {file, valid, errors} per file; with a
//                  catalog, every schema under DIR is loaded as URL + its
//                  path there (draft-04 catalogs of many files: LER-RS)
// Exit status: 0 when everything verified / validated, 1 when something did
// not, 2 on a usage error.
//
// Everything runs offline: the document loader serves the JSON-LD contexts
// pathbridge bundles (standards/contexts/bundled.txt), resolves did:key
// locally, and serves controller documents (did:web, https) only from a
// DOCMAP file: {"<url>": "<path relative to the DOCMAP>" | {document}}.
// Any other URL is an error, never a fetch.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as eddsaJcs2022 from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const kContextsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'standards', 'contexts');

class UsageError extends Error {}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// ---- Offline document loader -------------------------------------------

// URL -> file, from the list pathbridge embeds, so both sides expand
// credentials with the very same context bytes.
function bundledContexts() {
  const map = new Map();
  for (const line of fs.readFileSync(path.join(kContextsDir, 'bundled.txt'), 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [url, file] = line.trim().split(/ +/);
    map.set(url, path.join(kContextsDir, file));
  }
  return map;
}

function readDocMap(file) {
  const map = new Map();
  if (!file) return map;
  const dir = path.dirname(path.resolve(file));
  for (const [url, entry] of Object.entries(readJson(file))) {
    map.set(url, typeof entry === 'string' ? readJson(path.resolve(dir, entry)) : entry);
  }
  return map;
}

// A verification method "<doc>#<frag>" inside a mapped controller document,
// with the document's @context so it can be expanded on its own.
function findVerificationMethod(docs, url) {
  const doc = docs.get(url.split('#')[0]);
  if (!doc) return undefined;
  const relationships = ['verificationMethod', 'assertionMethod', 'authentication',
    'capabilityInvocation', 'capabilityDelegation', 'keyAgreement'];
  for (const rel of relationships) {
    for (const vm of [].concat(doc[rel] ?? [])) {
      if (typeof vm === 'object' && vm.id === url) return {'@context': doc['@context'], ...vm};
    }
  }
  return undefined;
}

function makeDocumentLoader(docMapFile) {
  const contexts = bundledContexts();
  const docs = readDocMap(docMapFile);
  const didKey = DidKey.driver();
  didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
  return async url => {
    let document;
    if (contexts.has(url)) {
      document = readJson(contexts.get(url));
    } else if (url.startsWith('did:key:')) {
      document = await didKey.get({url});
    } else {
      document = docs.get(url) ?? findVerificationMethod(docs, url);
    }
    if (document === undefined) {
      throw new Error(`offline document loader: ${url} is neither a bundled context ` +
        '(standards/contexts/bundled.txt), a did:key, nor in the --docs map; nothing is fetched');
    }
    return {contextUrl: null, documentUrl: url, document};
  };
}

// ---- Subcommands --------------------------------------------------------

async function issue(argv) {
  const {values, positionals} = parseArgs({
    args: argv, allowPositionals: true,
    options: {suite: {type: 'string'}, key: {type: 'string'}, vm: {type: 'string'}},
  });
  if (!values.suite || !values.key || positionals.length !== 1) {
    throw new UsageError('issue needs --suite, --key KEYPAIR.json and one UNSIGNED.json');
  }
  const cryptosuite = {
    'eddsa-rdfc-2022': eddsaRdfc2022,
    'eddsa-jcs-2022': eddsaJcs2022.createSignCryptosuite(),
  }[values.suite];
  if (!cryptosuite) throw new UsageError(`unknown --suite ${values.suite}`);

  const keyFile = readJson(values.key);
  const id = values.vm ??
    `did:key:${keyFile.publicKeyMultibase}#${keyFile.publicKeyMultibase}`;
  const keyPair = await Ed25519Multikey.from({
    type: 'Multikey',
    id,
    controller: id.split('#')[0],
    publicKeyMultibase: keyFile.publicKeyMultibase,
    secretKeyMultibase: keyFile.secretKeyMultibase ?? keyFile.privateKeyMultibase,
  });
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite});
  const signed = await vc.issue({
    credential: readJson(positionals[0]), suite, documentLoader: makeDocumentLoader(),
  });
  process.stdout.write(JSON.stringify(signed, null, 2) + '\n');
  return true;
}

// Every message in a (possibly nested) verification result.
function errorMessages(result) {
  const out = [];
  const visit = e => {
    if (!e) return;
    if (Array.isArray(e)) return e.forEach(visit);
    if (Array.isArray(e.errors)) return e.errors.forEach(visit);
    out.push(e.message ?? String(e));
  };
  visit(result.error);
  for (const r of result.results ?? []) visit(r.error);
  return [...new Set(out)];
}

async function verify(argv) {
  const {values, positionals} = parseArgs({
    args: argv, allowPositionals: true,
    options: {docs: {type: 'string'}, 'proof-only': {type: 'boolean', default: false}},
  });
  if (positionals.length === 0) throw new UsageError('verify needs at least one FILE');
  const documentLoader = makeDocumentLoader(values.docs);
  const suite = [
    new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    new DataIntegrityProof({cryptosuite: eddsaJcs2022.createVerifyCryptosuite()}),
    new Ed25519Signature2020(),
  ];
  let all = true;
  for (const file of positionals) {
    let result;
    try {
      const credential = readJson(file);
      // --proof-only: the proofs and their keys' authorisation for
      // assertionMethod, without VC rules such as issuer == key controller
      // (the W3C test vectors sign an https issuer's credential with a did:key).
      result = values['proof-only'] ?
        await jsigs.verify(credential, {
          suite, purpose: new jsigs.purposes.AssertionProofPurpose(), documentLoader,
        }) :
        await vc.verifyCredential({credential, suite, documentLoader});
    } catch (e) {
      result = {verified: false, error: e};
    }
    const verified = result.verified === true;
    all &&= verified;
    console.log(JSON.stringify({file, verified, errors: verified ? [] : errorMessages(result)}));
  }
  return all;
}

// The Ajv class for the dialect the schema declares.
function ajvFor(schema) {
  const dialect = (schema.$schema ?? '').replace(/#$/, '');
  const Class = {
    'https://json-schema.org/draft/2019-09/schema': Ajv2019,
    'https://json-schema.org/draft/2020-12/schema': Ajv2020,
    'http://json-schema.org/draft-07/schema': Ajv,
    'http://json-schema.org/draft-04/schema': AjvDraft04,
  }[dialect];
  if (!Class) throw new UsageError(`unsupported JSON Schema dialect "${schema.$schema}"`);
  // strictTuples off: 1EdTech's @context tuples (items + additionalItems,
  // minItems only) are valid JSON Schema that ajv's strict mode only warns on.
  // Draft-04 catalogs (HR Open LER-RS, the Credential Registry's) carry
  // keywords of their own ("version", "hropenFormat") and patterns written
  // for non-unicode regular expressions ("\:"), so those are read leniently.
  const draft04 = Class === AjvDraft04;
  const ajv = new Class({allErrors: true, strictTuples: false,
                         ...(draft04 ? {strict: false, unicodeRegExp: false} : {})});
  addFormats(ajv);
  return ajv;
}

// Every JSON Schema file under `dir` (but its samples/ and meta/ folders,
// which hold instances and meta-schemas), added to `ajv` as `base` + its
// path under `dir`, so that relative $refs between files resolve.
function addCatalog(ajv, dir, base) {
  for (const entry of fs.readdirSync(dir, {withFileTypes: true, recursive: true})) {
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    const rel = path.relative(dir, file).split(path.sep).join('/');
    if (!entry.isFile() || !file.endsWith('.json') || /(^|\/)(samples|meta)\//.test(rel)) continue;
    const doc = readJson(file);
    doc.id ??= base + rel;  // draft-04's id: the base its $refs resolve against
    ajv.addSchema(doc);
  }
}

// schema [--catalog DIR --catalog-base URL] SCHEMA.json FILE...
async function schema(argv) {
  const {values, positionals} = parseArgs({
    args: argv, allowPositionals: true,
    options: {catalog: {type: 'string'}, 'catalog-base': {type: 'string'}},
  });
  const [schemaFile, ...files] = positionals;
  if (!schemaFile || files.length === 0) throw new UsageError('schema needs SCHEMA.json FILE...');
  if (values.catalog && !values['catalog-base']) throw new UsageError('--catalog needs --catalog-base');
  const schemaDoc = readJson(schemaFile);
  const ajv = ajvFor(schemaDoc);
  let validate;
  if (values.catalog) {
    addCatalog(ajv, values.catalog, values['catalog-base']);
    const rel = path.relative(values.catalog, schemaFile).split(path.sep).join('/');
    validate = ajv.getSchema(values['catalog-base'] + rel);
    if (!validate) throw new UsageError(`${schemaFile} is not in the catalog`);
  } else {
    validate = ajv.compile(schemaDoc);
  }
  let all = true;
  for (const file of files) {
    let errors;
    try {
      errors = validate(readJson(file)) ? [] :
        validate.errors.map(e => `${e.instancePath || '/'} ${e.message}`);
    } catch (e) {
      errors = [e.message];
    }
    all &&= errors.length === 0;
    console.log(JSON.stringify({file, valid: errors.length === 0, errors}));
  }
  return all;
}

const commands = {issue, verify, schema};
const [command, ...rest] = process.argv.slice(2);
try {
  if (!commands[command]) throw new UsageError('usage: dbvc.mjs issue|verify|schema ...');
  process.exitCode = (await commands[command](rest)) ? 0 : 1;
} catch (e) {
  console.error(`dbvc: ${e.message}`);
  process.exitCode = e instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
}
