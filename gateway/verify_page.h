// The verification page for people (a registrar, an employer): /verify.
//
//   GET  /verify            the form: paste a credential or choose a file
//   GET  /verify?vc=<b64u>  the result for the credential a link (or a QR
//                           code) carries: base64url of its JSON or JWS text
//   POST /verify            the result for a pasted or uploaded credential
//                           (multipart/form-data: "credential" text and/or
//                           a "file"; or a url-encoded "credential")
//
// The result is rendered on the server, in plain HTML with inline CSS and
// no script, so it works with JavaScript disabled: the issuer (name, DID,
// trusted or not), the achievements, the holder's name when the credential
// shows one, each check with a valid / NOT valid / could-not-check mark,
// and an overall verdict; when the credential fits in a link, the link
// and its QR code (inline SVG) to share the check. Verification is
// credentials::Verify against the hub's offline sources; "recorded in the
// ledger" checks a fresh receipt for a credential this hub issued. Every piece of credential text is
// HTML-escaped; pages carry a strict Content-Security-Policy, no-referrer
// and no-store (the server adds nosniff to every answer). Errors are HTML
// pages with a plain message and a 4xx status (400 unreadable input, 413
// too large, 415 another body type). Nothing from a credential is logged.
// The routes are open and rate-limited per client address.
//
// Thread-safety: the handlers may run on many threads at once; whatever
// the sources' functions use must outlive the Router.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "certs/org_registry.h"
#include "gateway/router.h"
#include "ledger/credentials/offline_sources.h"
#include "ledger/credentials/receipt.h"
#include "ledger/credentials/verification_report.h"

namespace pathbridge::gateway {

// The largest credential text the page takes, pasted, uploaded or linked.
inline constexpr size_t kMaxPageCredential = 512 * 1024;

struct VerifyPageSources {
  // Keys, published status lists and the ledger key (required); asked for
  // each check, so a source that reloads sees organizations added later.
  std::function<Result<std::shared_ptr<const credentials::OfflineSources>>()> offline;
  // The hub's organizations: without a trust list, an issuer among them is
  // "registered with this hub", and any other "unknown to this hub".
  std::vector<certs::Organization> orgs;
  // A fresh ledger receipt for a credential this hub issued, by its id;
  // kNotFound for any other. Unset: the ledger is not checked.
  std::function<Result<credentials::Receipt>(std::string_view credential_id)> receipt_for;
  // The hub's public base URL: a result's QR code opens
  // <base_url>/verify?vc=... (empty: no QR code).
  std::string base_url;
  // Runs a check off the io thread (verifying costs milliseconds of CPU);
  // false when its queue is full (503). Unset: checks run on the io thread.
  std::function<bool(std::function<void()>)> run;
  // Told each check's report (metrics). Unset: nothing.
  std::function<void(const credentials::VerificationReport&)> on_verified;
};

void AddVerifyPageRoutes(Router& router, VerifyPageSources sources);

}  // namespace pathbridge::gateway
