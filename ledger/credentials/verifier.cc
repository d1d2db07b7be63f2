#include "ledger/credentials/verifier.h"

#include "certs/json_file.h"
#include "ledger/credentials/data_integrity.h"
#include "ledger/credentials/dates.h"
#include "ledger/credentials/jose.h"
#include "ledger/credentials/published_lists.h"
#include "ledger/credentials/status_list.h"
#include "ledger/credentials/vc.h"
#include "ledger/credentials/well_formed.h"

namespace pathbridge::credentials {

namespace json = boost::json;

// ---- Status list sources ----------------------------------------------------

Result<json::object> MapStatusListSource::Fetch(std::string_view url) const {
  auto it = lists_.find(url);
  if (it == lists_.end()) return NotFound("not in the document map", std::string(url));
  return it->second;
}

Result<json::object> PublishedStatusListSource::Fetch(std::string_view url) const {
  PB_ASSIGN_OR_RETURN(ListLocation loc, ParseListUrl(base_url_, url));
  auto doc = certs::ReadJsonFile(ListFile(data_dir_, loc), kMaxStatusListFile);
  if (!doc.ok() && doc.status().code() == Code::kNotFound)
    return NotFound("this hub has not published the list", std::string(url));
  if (!doc.ok()) return doc.status();
  if (!doc->is_object()) return InvalidArgument("not a JSON object", ListFile(data_dir_, loc).string());
  return std::move(doc->as_object());
}

Result<json::object> ChainStatusListSource::Fetch(std::string_view url) const {
  for (const auto& source : sources_) {
    auto list = source->Fetch(url);
    if (list.ok() || list.status().code() != Code::kNotFound) return list;
  }
  return NotFound("no source has this status list", std::string(url));
}

namespace {

// ---- Signatures -------------------------------------------------------------

// The keys that signed, as far as they were resolved, for the issuer check.
using Signers = std::vector<certs::VerificationMethod>;

Outcome OutcomeOf(const Status& s) {
  if (s.ok()) return Outcome::kValid;
  return s.code() == Code::kVerificationFailed ? Outcome::kInvalid : Outcome::kIndeterminate;
}

std::string Sentence(std::string_view what, const Status& s) {
  std::string out(what);
  out += ": " + s.message();
  if (!s.where().empty()) out += " (at " + s.where() + ")";
  return out;
}

VerifyOptions ProofVerifyOptions(const VerifyContext& ctx) {
  VerifyOptions o;
  o.now = ctx.now;
  o.transform.loader = ctx.loader;
  return o;
}

// The proofs of a Data Integrity credential, as one check.
struct ProofsVerdict {
  Outcome outcome = Outcome::kValid;
  std::string message;
  json::array details;
  Signers signers;
};

ProofsVerdict JudgeProofs(const json::object& secured, const VerifyContext& ctx) {
  ProofsVerdict v;
  auto results = VerifyProofs(secured, *ctx.keys, ProofVerifyOptions(ctx));
  if (!results.ok()) {
    bool unsigned_doc = results.status().code() == Code::kInvalidArgument;
    v.outcome = unsigned_doc ? Outcome::kInvalid : Outcome::kIndeterminate;
    v.message = unsigned_doc ? Sentence("It is not signed", results.status())
                             : Sentence("Could not check the signatures", results.status());
    return v;
  }
  std::vector<std::string> problems;
  for (const ProofResult& r : *results) {
    Outcome o = OutcomeOf(r.status);
    if (o == Outcome::kInvalid || (o == Outcome::kIndeterminate && v.outcome == Outcome::kValid))
      v.outcome = o;
    if (r.method) v.signers.push_back(*r.method);
    if (!r.valid()) problems.push_back(Sentence(r.verification_method, r.status));
    json::object detail{{"verificationMethod", r.verification_method},
                        {"suite", r.cryptosuite.empty() ? r.type : r.cryptosuite},
                        {"outcome", OutcomeName(o)}};
    if (!r.valid()) detail["message"] = r.status.message();
    v.details.push_back(std::move(detail));
  }
  if (v.outcome == Outcome::kValid) {
    const ProofResult& first = results->front();
    v.message = results->size() == 1
                    ? "Signed with " + first.verification_method + " (" +
                          (first.cryptosuite.empty() ? first.type : first.cryptosuite) + ")"
                    : "All " + std::to_string(results->size()) + " signatures verify";
    return v;
  }
  v.message = v.outcome == Outcome::kInvalid ? "A signature does not verify" : "Could not check a signature";
  for (const std::string& p : problems) v.message += "; " + p;
  return v;
}

Signers CheckProof(const SignedCredential& credential, const VerifyContext& ctx,
                   VerificationReport& report) {
  if (const auto* jws = std::get_if<CompactJws>(&credential)) {
    auto r = VerifyJose(jws->text, *ctx.keys);
    if (!r.ok()) {
      Outcome o = r.status().code() == Code::kInvalidArgument ? Outcome::kInvalid
                                                              : OutcomeOf(r.status());
      report.Add("proof", o,
                 Sentence(o == Outcome::kInvalid ? "The JWS signature does not verify"
                                                 : "Could not check the JWS signature",
                          r.status()));
      return {};
    }
    report.Add("proof", Outcome::kValid, "Signed as a VC-JOSE compact JWS with " + r->method.id,
               {{"verificationMethod", r->method.id}, {"source", r->method.source}});
    return {r->method};
  }
  ProofsVerdict v = JudgeProofs(std::get<json::object>(credential), ctx);
  report.Add("proof", v.outcome, v.message, {{"proofs", std::move(v.details)}});
  return std::move(v.signers);
}

// Did the issuer sign? Every resolved signing key must be the issuer's.
void CheckIssuer(const json::object& claims, const Signers& signers, VerificationReport& report) {
  std::string issuer = IssuerId(claims);
  if (issuer.empty()) {
    report.Add("issuer", Outcome::kInvalid, "The credential does not say who issued it");
    return;
  }
  if (signers.empty()) {
    report.Add("issuer", Outcome::kIndeterminate,
               "Could not check who signed: no signing key could be resolved");
    return;
  }
  for (const certs::VerificationMethod& m : signers) {
    if (m.controller != issuer) {
      report.Add("issuer", Outcome::kInvalid,
                 "The credential says it was issued by " + issuer + ", but it was signed with a key of " +
                     m.controller,
                 {{"issuer", issuer}, {"controller", m.controller}});
      return;
    }
  }
  report.Add("issuer", Outcome::kValid,
             "Issued by " + IssuerName(claims) + " (" + issuer + "), who controls the signing key",
             {{"issuer", issuer}, {"source", signers.front().source}});
}

// ---- Dates ------------------------------------------------------------------

void CheckDates(const json::object& claims, const VerifyContext& ctx, VerificationReport& report) {
  auto w = CheckValidity(claims, ctx.now, ctx.clock_skew);
  if (!w.ok()) {
    report.Add("dates", Outcome::kInvalid, Sentence("The dates are malformed", w.status()));
    return;
  }
  json::object details;
  if (!w->from.empty()) details[w->from_field] = w->from;
  if (!w->until.empty()) details[w->until_field] = w->until;
  switch (w->validity) {
    case Validity::kNotYetValid:
      report.Add("dates", Outcome::kInvalid, "The credential is not valid until " + w->from, details);
      return;
    case Validity::kExpired:
      report.Add("dates", Outcome::kInvalid, "The credential expired on " + w->until, details);
      return;
    case Validity::kValid:
      break;
  }
  std::string message = w->from.empty() ? "No start date is stated" : "Valid from " + w->from;
  message += w->until.empty() ? " and it does not expire" : " until " + w->until;
  report.Add("dates", Outcome::kValid, message, details);
}

// ---- Status -----------------------------------------------------------------

struct StatusEntry {
  const json::object& entry;
  std::string purpose, url;
};

// The list credential for an entry, verified: signed by the credential's
// issuer and current. Errors say why the status could not be checked.
Result<json::object> VerifiedList(const StatusEntry& e, const json::object& claims,
                                  const VerifyContext& ctx) {
  if (!ctx.status_lists) return NotFound("the status list " + e.url + " is not available offline");
  auto list = ctx.status_lists->Fetch(e.url);
  if (!list.ok()) {
    if (list.status().code() == Code::kNotFound)
      return NotFound("the status list " + e.url + " is not available offline");
    return Status(list.status().code(), "the status list " + e.url + " cannot be read: " +
                                             list.status().ToString());
  }
  std::string list_issuer = IssuerId(*list), issuer = IssuerId(claims);
  if (list_issuer != issuer)
    return VerificationFailed("the status list " + e.url + " was issued by " + list_issuer +
                              ", not by the credential's issuer " + issuer);
  ProofsVerdict v = JudgeProofs(*list, ctx);
  if (v.outcome != Outcome::kValid)
    return VerificationFailed("the status list's signature does not check out: " + v.message);
  for (const certs::VerificationMethod& m : v.signers)
    if (m.controller != issuer)
      return VerificationFailed("the status list is signed with a key of " + m.controller +
                                ", not of " + issuer);
  auto w = CheckValidity(*list, ctx.now, ctx.clock_skew);
  if (!w.ok()) return VerificationFailed("the status list's dates are malformed: " + w.status().message());
  if (w->validity == Validity::kExpired)
    return VerificationFailed("the status list " + e.url + " expired on " + w->until +
                              "; a current one is needed");
  return std::move(*list);
}

std::string PurposeLabel(std::string_view purpose) {
  if (purpose == "revocation") return "revocation";
  if (purpose == "suspension") return "suspension";
  return "status (" + std::string(purpose) + ")";
}

void CheckStatusEntry(const StatusEntry& e, const json::object& claims, const VerifyContext& ctx,
                      const std::string& id, VerificationReport& report) {
  json::object details{{"statusListCredential", e.url}};
  auto list = VerifiedList(e, claims, ctx);
  if (!list.ok()) {
    report.Add(id, Outcome::kIndeterminate,
               "Could not check " + PurposeLabel(e.purpose) + ": " + list.status().message(), details);
    return;
  }
  auto s = CheckStatus(e.entry, *list);
  if (!s.ok()) {
    auto kind = StatusListErrorOf(s.status());
    bool entry_wrong = kind == StatusListError::kMalformedValue || kind == StatusListError::kRange;
    report.Add(id, entry_wrong ? Outcome::kInvalid : Outcome::kIndeterminate,
               Sentence(entry_wrong ? "The status entry is malformed" : "Could not check the status",
                        s.status()),
               details);
    return;
  }
  const json::value* published = list->if_contains("validFrom");
  std::string as_of = published && published->is_string()
                          ? " (status list of " + std::string(published->as_string()) + ")"
                          : "";
  details["status"] = s->status;
  if (s->valid) {
    report.Add(id, Outcome::kValid, "Not " + std::string(e.purpose == "suspension" ? "suspended" : "revoked") +
                                         as_of,
               details);
  } else if (e.purpose == "revocation") {
    report.Add(id, Outcome::kInvalid, "The credential was revoked by " + IssuerName(claims) + as_of, details);
  } else if (e.purpose == "suspension") {
    report.Add(id, Outcome::kInvalid, "The credential is suspended by " + IssuerName(claims) + as_of, details);
  } else {  // refresh, message: information, not a verdict
    report.Add(id, Outcome::kValid, "Status " + e.purpose + ": " + s->message + as_of, details);
  }
}

std::string StringOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

void CheckStatuses(const json::object& claims, const VerifyContext& ctx, VerificationReport& report) {
  std::vector<const json::value*> entries = Items(claims.if_contains("credentialStatus"));
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i]->is_object()) {
      report.Add("status", Outcome::kInvalid, "A credentialStatus entry is not an object");
      continue;
    }
    const json::object& entry = entries[i]->as_object();
    StatusEntry e{entry, StringOf(entry, "statusPurpose"), StringOf(entry, "statusListCredential")};
    std::string id = "status." + (e.purpose.empty() ? std::string("unknown") : e.purpose);
    if (report.Find(id)) id += "[" + std::to_string(i) + "]";
    if (!HasType(entry, "BitstringStatusListEntry")) {
      std::vector<std::string> types = Strings(entry.if_contains("type"));
      report.Add(id, Outcome::kIndeterminate,
                 "Could not check status: pathbridge does not read " +
                     (types.empty() ? std::string("untyped") : types.front()) + " entries");
      continue;
    }
    CheckStatusEntry(e, claims, ctx, id, report);
  }
}

// ---- Trust ------------------------------------------------------------------

void CheckTrust(const json::object& claims, const VerifyContext& ctx, VerificationReport& report) {
  std::string issuer = IssuerId(claims);
  auto match = ctx.trust->Match(issuer, Strings(claims.if_contains("type")), ctx.now);
  const std::string list = "the trust list \"" + ctx.trust->name() + "\"";
  if (!match.ok()) {
    Outcome o = OutcomeOf(match.status());
    report.Add("trust", o,
               (o == Outcome::kInvalid ? "Not trusted: " : "Could not check trust: ") +
                   IssuerName(claims) + " (" + issuer + ") is not accepted by " + list + ": " +
                   match.status().message());
    return;
  }
  report.Add("trust", Outcome::kValid,
             "Trusted: " + IssuerName(claims) + " is on " + list + " as \"" + match->name + "\"",
             {{"trustList", ctx.trust->name()}, {"entry", match->index}, {"entryName", match->name}});
}

// ---- Receipt ----------------------------------------------------------------

void CheckReceipt(const SignedCredential& credential, const Receipt& receipt,
                  const VerifyContext& ctx, VerificationReport& report) {
  if (!ctx.ledger) {
    report.Add("receipt", Outcome::kIndeterminate,
               "Could not check the receipt: no ledger key was given to check it against");
    return;
  }
  auto r = VerifyReceipt(receipt, credential, *ctx.ledger);
  if (!r.ok()) {
    report.Add("receipt", Outcome::kInvalid, Sentence("The receipt cannot be checked", r.status()));
    return;
  }
  json::object details{{"index", receipt.index}, {"checkpointSize", r->checkpoint_size}};
  if (!r->ok()) {
    report.Add("receipt", Outcome::kInvalid, "The receipt does not hold: " + r->Summary(), details);
    return;
  }
  std::string message = "Recorded in the ledger as entry " + std::to_string(receipt.index) +
                        " on " + r->entry.time + ", under a signed checkpoint of size " +
                        std::to_string(r->checkpoint_size);
  if (r->consistency) message += ", consistent with the newest checkpoint known";
  report.Add("receipt", Outcome::kValid, message, details);
}

// ---- Nested credentials -----------------------------------------------------

struct Embedded {
  std::string path;  // JSON pointer, for messages
  const json::value* value;
};

void AddEmbedded(const json::object& o, std::string_view key, const std::string& base,
                 std::vector<Embedded>& out) {
  const json::value* member = o.if_contains(key);
  std::vector<const json::value*> items = Items(member);
  for (size_t i = 0; i < items.size(); ++i) {
    std::string path = base + "/" + std::string(key);
    if (member->is_array()) path += "/" + std::to_string(i);
    out.push_back({path, items[i]});
  }
}

// CLR 2.0 credentialSubject.verifiableCredential; OB 3.0 endorsement and
// endorsementJwt, on the credential and on the achievement.
std::vector<Embedded> EmbeddedCredentials(const json::object& claims) {
  std::vector<Embedded> out;
  AddEmbedded(claims, "endorsement", "", out);
  AddEmbedded(claims, "endorsementJwt", "", out);
  const json::value* subjects = claims.if_contains("credentialSubject");
  std::vector<const json::value*> items = Items(subjects);
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i]->is_object()) continue;
    std::string base = "/credentialSubject" + (subjects->is_array() ? "/" + std::to_string(i) : "");
    const json::object& subject = items[i]->as_object();
    AddEmbedded(subject, "verifiableCredential", base, out);
    const json::value* achievement = subject.if_contains("achievement");
    if (achievement && achievement->is_object()) {
      AddEmbedded(achievement->as_object(), "endorsement", base + "/achievement", out);
      AddEmbedded(achievement->as_object(), "endorsementJwt", base + "/achievement", out);
    }
  }
  return out;
}

VerificationReport VerifyAt(const SignedCredential& credential, const VerifyContext& ctx,
                            const Receipt* receipt, size_t depth);

void CheckNested(const json::object& claims, const VerifyContext& ctx, size_t depth,
                 VerificationReport& report) {
  std::vector<Embedded> embedded = EmbeddedCredentials(claims);
  for (size_t i = 0; i < embedded.size(); ++i) {
    const Embedded& e = embedded[i];
    std::string id = "nested[" + std::to_string(i) + "]";
    json::object details{{"path", e.path}};
    if (depth >= ctx.max_nesting) {
      report.Add(id, Outcome::kIndeterminate,
                 "Not checked: credentials are nested more than " + std::to_string(ctx.max_nesting) +
                     " deep (at " + e.path + ")",
                 details);
      continue;
    }
    if (!e.value->is_object() && !e.value->is_string()) {
      report.Add(id, Outcome::kInvalid, "The embedded credential at " + e.path + " is not a credential",
                 details);
      continue;
    }
    SignedCredential inner = e.value->is_object() ? SignedCredential(e.value->as_object())
                                                  : SignedCredential(CompactJws{std::string(e.value->as_string())});
    VerificationReport nested = VerifyAt(inner, ctx, nullptr, depth + 1);
    std::string label = e.value->is_object() ? "\"" + CredentialLabel(e.value->as_object()) + "\"" : "(JWS)";
    bool invalid = false;
    for (const Check& c : nested.checks()) invalid |= c.outcome == Outcome::kInvalid;
    Outcome o = nested.verified() ? Outcome::kValid : invalid ? Outcome::kInvalid : Outcome::kIndeterminate;
    std::string verdict = o == Outcome::kValid     ? " verifies"
                          : o == Outcome::kInvalid ? " does not verify"
                                                   : " could not be fully checked";
    report.Add(id, o, "The embedded credential " + label + " at " + e.path + verdict, details);
    report.AddNested(id, nested);
  }
}

// ---- The whole ------------------------------------------------------------

// A VC-JOSE payload may carry the JWT registered claims (RFC 7519 §4.1)
// beside the credential; they are the JWS's, not JSON-LD terms.
json::object WithoutJwtClaims(json::object claims) {
  for (std::string_view claim : {"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}) claims.erase(claim);
  return claims;
}

VerificationReport VerifyAt(const SignedCredential& credential, const VerifyContext& ctx,
                            const Receipt* receipt, size_t depth) {
  VerificationReport report;
  auto claims = CredentialClaims(credential);
  if (!claims.ok()) {
    report.Add("schema", Outcome::kInvalid, Sentence("This is not a credential", claims.status()));
    return report;
  }
  Status formed = CheckWellFormed(std::holds_alternative<CompactJws>(credential)
                                      ? WithoutJwtClaims(*claims)
                                      : *claims,
                                  *ctx.loader);
  report.Add("schema", formed.ok() ? Outcome::kValid : Outcome::kInvalid,
             formed.ok() ? "A well-formed " + std::string(IsVc11(*claims) ? "VC 1.1" : "VC 2.0") +
                               " credential whose terms are all defined"
                         : Sentence("The credential is malformed", formed));
  Signers signers = CheckProof(credential, ctx, report);
  CheckIssuer(*claims, signers, report);
  CheckDates(*claims, ctx, report);
  CheckStatuses(*claims, ctx, report);
  if (ctx.trust) CheckTrust(*claims, ctx, report);
  if (receipt) CheckReceipt(credential, *receipt, ctx, report);
  CheckNested(*claims, ctx, depth, report);
  return report;
}

}  // namespace

VerificationReport Verify(const SignedCredential& credential, const VerifyContext& context,
                          const Receipt* receipt) {
  if (!context.keys) {
    VerificationReport report;
    report.Add("proof", Outcome::kIndeterminate, "Could not check the signatures: no key resolver");
    return report;
  }
  return VerifyAt(credential, context, receipt, 0);
}

}  // namespace pathbridge::credentials
