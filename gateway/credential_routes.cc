#include "gateway/credential_routes.h"

#include <cstdio>
#include <exception>

#include <boost/json.hpp>

#include "certs/org_registry.h"
#include "gateway/auth/org_scope.h"
#include "gateway/auth/scopes.h"
#include "gateway/problem.h"
#include "gateway/vc_api_request.h"
#include "ledger/credentials/data_integrity.h"
#include "ledger/credentials/vc.h"
#include "ledger/credentials/verifier.h"
#include "standards/json.h"

namespace pathbridge::gateway {
namespace {

namespace bj = boost::json;
namespace cr = pathbridge::credentials;
using cr::Outcome;

// A presentation is one holder's few credentials; each costs a verification.
constexpr size_t kMaxPresentedCredentials = 32;
// Status lists change when a credential is revoked or suspended: verifiers
// may cache briefly. DID documents change on key rotation.
constexpr char kStatusListCache[] = "public, max-age=30";
constexpr char kDidDocumentCache[] = "public, max-age=60";

using Work = std::function<Result<Response>(CredentialApi&, const Request&)>;

// `work`'s answer; a Status becomes a problem, an exception a generic 500.
Response Answer(CredentialApi& api, const Work& work, const Request& request) {
  try {
    Result<Response> r = work(api, request);
    return r.ok() ? std::move(r).value() : ProblemFromStatus(r.status(), request.request_id);
  } catch (const std::exception& e) {  // a bug: a generic 500, the cause to stderr
    return ProblemFromStatus(Status(Code::kInternal, e.what()), request.request_id);
  }
}

// Runs `work` on the API's workers and replies from there: issuing waits for
// a checkpoint and verifying costs CPU, and an io thread must do neither.
Handler OnWorker(CredentialApi& api, Work work) {
  return [&api, work = std::move(work)](const Request& request, Reply reply) {
    auto copy = std::make_shared<const Request>(request);
    bool queued = api.Submit([&api, work, copy, reply] { reply(Answer(api, work, *copy)); });
    if (!queued) reply(Problem(503, "the server is busy; retry shortly", request.request_id));
  };
}

// One credential of at most this many bytes is verified on the io thread
// that read it: that is about half a millisecond of CPU, and handing it to a
// worker and back (two thread wake-ups, a copy of the request) cost a fifth
// as much again on a 2-core machine (docs/performance.md). The open routes'
// per-address rate limit bounds what one client can make an io thread do.
constexpr size_t kInlineVerifyMaxBytes = 64 << 10;

// Like OnWorker, but small requests run at once on the io thread, unless the
// verification sources are due for a reload (which reads every
// organization's files and may append key events to the ledger).
Handler InlineIfSmall(CredentialApi& api, Work work) {
  Handler on_worker = OnWorker(api, work);
  return [&api, work = std::move(work), on_worker](const Request& request, Reply reply) {
    if (request.body.size() > kInlineVerifyMaxBytes || !api.SourcesFresh())
      return on_worker(request, std::move(reply));
    reply(Answer(api, work, request));
  };
}

Response JsonBody(int status, const bj::value& body, std::string content_type = "application/json") {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = bj::serialize(body);
  return r;
}

// The organization a request issues as: the token's own, unless the
// credential names an issuer; then the organization whose DID that is, which
// the token must be allowed to act for (its own, or any with admin).
Result<std::string> IssuingOrg(const CredentialApi& api, const Request& request,
                               const bj::object& credential) {
  const std::string& own = request.principal->org;
  std::string issuer = cr::IssuerId(credential);
  auto mine = certs::LoadOrganization(api.data_dir(), own);
  if (mine.ok() && (issuer.empty() || mine->Did() == issuer)) return own;
  if (!mine.ok() && mine.status().code() != Code::kNotFound &&
      mine.status().code() != Code::kInvalidArgument)
    return mine.status();
  if (issuer.empty())
    return Status(Code::kPermissionDenied,
                  "this client's organization is not an issuing organization of this hub");
  PB_ASSIGN_OR_RETURN(std::vector<certs::Organization> orgs,
                      certs::ListOrganizations(api.data_dir()));
  for (const certs::Organization& org : orgs) {
    if (org.Did() != issuer) continue;
    PB_RETURN_IF_ERROR(auth::RequireOrg(request, org.slug));
    return org.slug;
  }
  return Status(Code::kPermissionDenied,
                "the credential's issuer is not an organization this client may issue as",
                "/credential/issuer");
}

Result<Response> IssueCredential(CredentialApi& api, const Request& request) {
  PB_ASSIGN_OR_RETURN(IssueRequest in, ParseIssueRequest(request.body));
  PB_ASSIGN_OR_RETURN(std::string org, IssuingOrg(api, request, in.credential));
  PB_ASSIGN_OR_RETURN(cr::IssuedCredential issued,
                      api.service().Issue(in.credential, org, in.suite, Now()));
  PB_ASSIGN_OR_RETURN(bj::value receipt, json::Parse(cr::FormatReceipt(issued.receipt)));
  bj::object body{{"verifiableCredential", std::get<bj::object>(issued.credential)},
                  {"ledgerReceipt", std::move(receipt)}};
  Response r = JsonBody(201, body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// The optional members of a status request must name the credential's own
// entry for the purpose.
Result<const cr::StatusAllocation*> NamedEntry(const StatusRequest& in,
                                               const std::vector<cr::StatusAllocation>& entries) {
  for (const cr::StatusAllocation& e : entries) {
    if (e.purpose != in.purpose) continue;
    std::string index = std::to_string(e.index);
    if ((in.list_url && *in.list_url != e.list_url) || (in.list_index && *in.list_index != index) ||
        (in.entry_id && *in.entry_id != e.list_url + "#" + index))
      return InvalidArgument("does not name this credential's status entry", "/credentialStatus");
    return &e;
  }
  return Status(Code::kFailedPrecondition, "the credential has no entry for this status purpose",
                "/credentialStatus/statusPurpose");
}

Result<Response> UpdateStatus(CredentialApi& api, const Request& request) {
  PB_ASSIGN_OR_RETURN(StatusRequest in, ParseStatusRequest(request.body));
  PB_ASSIGN_OR_RETURN(auto issued, api.service().StatusOf(in.credential_id));
  PB_RETURN_IF_ERROR(auth::RequireOrg(request, issued.org));
  PB_RETURN_IF_ERROR(NamedEntry(in, issued.entries).status());
  cr::StatusAction action;
  if (in.purpose == cr::StatusPurpose::kRevocation) {
    if (!in.set)
      return Status(Code::kFailedPrecondition, "revocation is final; it cannot be undone",
                    "/status");
    action = cr::StatusAction::kRevoke;
  } else {
    action = in.set ? cr::StatusAction::kSuspend : cr::StatusAction::kReinstate;
  }
  PB_ASSIGN_OR_RETURN(cr::StatusUpdate update,
                      api.service().ChangeStatus(in.credential_id, action, Now()));
  return JsonBody(200, bj::object{{"credentialId", in.credential_id},
                                  {"statusPurpose", cr::PurposeName(in.purpose)},
                                  {"status", in.set},
                                  {"statusListCredential", update.list_url},
                                  {"ledgerIndex", update.ledger_index}});
}

Result<Response> GetReceipt(CredentialApi& api, const Request& request) {
  const std::string& id = request.params.at("id");
  PB_ASSIGN_OR_RETURN(auto issued, api.service().StatusOf(id));
  PB_RETURN_IF_ERROR(auth::RequireOrg(request, issued.org));
  PB_ASSIGN_OR_RETURN(cr::Receipt receipt, api.service().ReceiptFor(id));
  Response r;
  r.content_type = "application/json";
  r.body = cr::FormatReceipt(receipt);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// 200 with the checks when everything verified; otherwise a 422 problem
// carrying the same checks and one VC API problemDetails item per check
// that was not valid. The messages speak of the issuer and the checks,
// never of the subject's data.
Response VerificationAnswer(const CredentialApi& api, const cr::VerificationReport& report,
                            const std::string& request_id, std::string_view what) {
  api.Verified(report);
  bj::object result = report.ToJson();
  if (report.verified()) {
    result["warnings"] = bj::array();
    result["errors"] = bj::array();
    Response r = JsonBody(200, result);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }
  bj::array problems;
  for (const cr::Check& c : report.checks()) {
    if (c.outcome == Outcome::kValid) continue;
    problems.push_back(bj::object{{"type", "urn:pathbridge:verification:" + c.id},
                                  {"title", c.id + " " + std::string(cr::OutcomeName(c.outcome))},
                                  {"detail", c.message}});
  }
  result["problemDetails"] = std::move(problems);
  return Problem(422, std::string(what) + " did not verify; see checks", request_id, result);
}

// What a verification reads: the sources as of now, and the hub's ledger
// trust for a receipt (none when it cannot be had: the receipt check is then
// "could not check").
struct Verification {
  std::shared_ptr<const cr::OfflineSources> sources;
  std::optional<cr::ReceiptTrust> trust;
  Timestamp now;

  // Points into this object.
  cr::VerifyContext Context() const {
    cr::VerifyContext context = sources->Context(now);
    context.ledger = trust ? &*trust : nullptr;
    return context;
  }
};

Result<Verification> PrepareVerification(CredentialApi& api, const cr::Receipt* receipt) {
  Verification v;
  PB_ASSIGN_OR_RETURN(v.sources, api.Sources());
  v.now = Now();
  if (receipt) {
    auto trust = v.sources->ReceiptTrustFor(*receipt);
    if (trust.ok()) v.trust = std::move(*trust);
  }
  return v;
}

Result<Response> VerifyCredential(CredentialApi& api, const Request& request) {
  PB_ASSIGN_OR_RETURN(VerifyCredentialRequest in, ParseVerifyCredentialRequest(request.body));
  const cr::Receipt* receipt = in.receipt ? &*in.receipt : nullptr;
  PB_ASSIGN_OR_RETURN(Verification v, PrepareVerification(api, receipt));
  return VerificationAnswer(api, cr::Verify(in.credential, v.Context(), receipt),
                            request.request_id, "the credential");
}

std::string HolderOf(const bj::object& presentation) {
  const bj::value* holder = presentation.if_contains("holder");
  if (!holder) return "";
  const bj::value* id = holder->is_object() ? holder->as_object().if_contains("id") : holder;
  return id && id->is_string() ? std::string(id->as_string()) : "";
}

// The presentation's own proofs (proof purpose authentication, with the
// challenge and domain asked for), and that the holder controls the key.
void CheckPresentationProof(const VerifyPresentationRequest& in, const cr::VerifyContext& ctx,
                            cr::VerificationReport& report) {
  if (!in.presentation.contains("proof")) {
    if (in.challenge || in.domain)
      report.Add("presentation.proof", Outcome::kInvalid,
                 "The presentation is not signed, so it cannot answer the challenge or domain");
    return;  // an unsigned presentation: only its credentials are checked
  }
  cr::VerifyOptions options;
  options.proof_purpose = "authentication";
  options.challenge = in.challenge;
  options.domain = in.domain;
  options.now = ctx.now;
  options.transform.loader = ctx.loader;
  auto results = cr::VerifyProofs(in.presentation, *ctx.keys, options);
  if (!results.ok()) {
    report.Add("presentation.proof", Outcome::kInvalid, results.status().message());
    return;
  }
  std::string holder = HolderOf(in.presentation);
  for (const cr::ProofResult& r : *results) {
    if (!r.valid()) {
      report.Add("presentation.proof", r.invalid() ? Outcome::kInvalid : Outcome::kIndeterminate,
                 r.status.message());
      continue;
    }
    report.Add("presentation.proof", Outcome::kValid,
               "Signed for authentication by " + r.method->controller);
    if (!holder.empty() && r.method->controller != holder)
      report.Add("presentation.holder", Outcome::kInvalid,
                 "The presentation was signed by a key its holder does not control");
  }
}

// One of a presentation's credentials: an object, or a compact JWS.
cr::VerificationReport VerifyItem(const bj::value& item, const cr::VerifyContext& context) {
  if (item.is_object()) return cr::Verify(item.as_object(), context);
  if (item.is_string()) {
    auto jws = cr::ParseSignedCredential(item.as_string());
    if (jws.ok() && std::holds_alternative<cr::CompactJws>(*jws)) return cr::Verify(*jws, context);
  }
  cr::VerificationReport report;
  report.Add("schema", Outcome::kInvalid, "This item is not a verifiable credential");
  return report;
}

Result<Response> VerifyPresentation(CredentialApi& api, const Request& request) {
  PB_ASSIGN_OR_RETURN(VerifyPresentationRequest in, ParseVerifyPresentationRequest(request.body));
  auto items = cr::Items(in.presentation.if_contains("verifiableCredential"));
  if (items.size() > kMaxPresentedCredentials)
    return Status(Code::kResourceExhausted,
                  "a presentation may carry at most " + std::to_string(kMaxPresentedCredentials) +
                      " credentials",
                  "/verifiablePresentation/verifiableCredential");
  PB_ASSIGN_OR_RETURN(Verification v, PrepareVerification(api, nullptr));
  cr::VerifyContext context = v.Context();
  cr::VerificationReport report;
  CheckPresentationProof(in, context, report);
  for (size_t i = 0; i < items.size(); ++i)
    report.AddNested("credential[" + std::to_string(i) + "]", VerifyItem(*items[i], context));
  if (report.checks().empty())
    report.Add("presentation", Outcome::kInvalid,
               "Nothing to verify: the presentation has no proof and no credentials");
  return VerificationAnswer(api, report, request.request_id, "the presentation");
}

Result<Response> GetStatusList(CredentialApi& api, const Request& request) {
  const auto& p = request.params;
  std::string url = cr::StatusBaseUrl(api.hub_base_url()) + "/" + p.at("org") + "/" +
                    p.at("purpose") + "/" + p.at("n");
  auto list = cr::PublishedStatusListSource(api.data_dir(), api.hub_base_url()).Fetch(url);
  if (!list.ok() && list.status().code() == Code::kInvalidArgument)
    return NotFound("no such status list");  // a malformed org, purpose or number
  if (!list.ok()) return list.status();
  Response r = JsonBody(200, *list, "application/vc+ld+json");
  r.headers.emplace_back("Cache-Control", kStatusListCache);
  return r;
}

Result<Response> GetDidDocument(CredentialApi& api, const Request& request) {
  const std::string& slug = request.params.at("org");
  if (!certs::CheckOrgSlug(slug).ok()) return NotFound("no such organization");
  auto org = certs::LoadOrganization(api.data_dir(), slug);
  if (!org.ok() && org.status().code() == Code::kNotFound) return NotFound("no such organization");
  if (!org.ok()) return org.status();
  // A did:key organization's DID document is its key; nothing is served.
  if (org->did_method != certs::DidMethod::kWeb)
    return NotFound("this organization does not use did:web");
  Response r = JsonBody(200, certs::DidDocument(*org), "application/did+ld+json");
  r.headers.emplace_back("Cache-Control", kDidDocumentCache);
  return r;
}

}  // namespace

CredentialApi::CredentialApi(std::filesystem::path data_dir, ledger::Log& log,
                             CredentialApiOptions options,
                             std::unique_ptr<cr::CredentialService> service)
    : data_dir_(std::move(data_dir)),
      options_(std::move(options)),
      service_(std::move(service)),
      key_events_(log),
      workers_(options_.threads, options_.max_queued) {}

Result<std::unique_ptr<CredentialApi>> CredentialApi::Open(const std::filesystem::path& data_dir,
                                                           ledger::Log& log,
                                                           CredentialApiOptions options) {
  PB_ASSIGN_OR_RETURN(auto service, cr::CredentialService::Open(data_dir, log, options.issuer));
  std::unique_ptr<CredentialApi> api(
      new CredentialApi(data_dir, log, std::move(options), std::move(service)));
  PB_RETURN_IF_ERROR(api->Sources().status());
  return api;
}

Result<std::shared_ptr<const cr::OfflineSources>> CredentialApi::Sources() {
  std::lock_guard<std::mutex> lock(sources_mu_);
  auto now = std::chrono::steady_clock::now();
  if (FreshAt(now)) return sources_;
  cr::OfflineSetup setup;
  setup.data_dir = data_dir_;
  setup.hub_base_url = options_.issuer.hub_base_url;
  auto loaded = cr::OfflineSources::Load(setup);
  if (!loaded.ok()) {
    if (!sources_) return loaded.status();
    // Keep verifying with what was read last; the operator sees why.
    std::fprintf(stderr, "pathbridge: reloading the verification sources failed: %s\n",
                 loaded.status().ToString().c_str());
    return sources_;
  }
  sources_ = std::make_shared<const cr::OfflineSources>(std::move(*loaded));
  sources_loaded_ = now;
  LogKeyChanges();
  return sources_;
}

bool CredentialApi::SourcesFresh() {
  std::lock_guard<std::mutex> lock(sources_mu_);
  return FreshAt(std::chrono::steady_clock::now());
}

bool CredentialApi::FreshAt(std::chrono::steady_clock::time_point now) const {
  return sources_ && now - sources_loaded_ < options_.sources_refresh;
}

void CredentialApi::LogKeyChanges() {
  auto orgs = certs::ListOrganizations(data_dir_);
  if (!orgs.ok()) return;  // the sources' reload reported it
  std::string keys;
  for (const certs::Organization& o : *orgs) {
    keys += o.slug;
    for (const certs::OrgKey& k : o.keys) keys += " " + k.id + "/" + k.valid_from + "/" + k.revoked;
    keys += "\n";
  }
  if (keys == keys_logged_) return;
  for (const certs::Organization& o : *orgs) {
    if (auto logged = key_events_.RecordKeyEvents(o); !logged.ok()) {
      std::fprintf(stderr, "pathbridge: logging the key changes of %s failed (retried at the next reload): %s\n",
                   o.slug.c_str(), logged.status().ToString().c_str());
      return;
    }
  }
  keys_logged_ = std::move(keys);
}

void AddCredentialRoutes(Router& router, CredentialApi& api) {
  const std::string issue(auth::kScopeCredentialsIssue);
  const std::string status(auth::kScopeCredentialsStatus);
  router.Add("POST", "/credentials/issue", OnWorker(api, IssueCredential), {.scope = issue});
  router.Add("POST", "/credentials/status", OnWorker(api, UpdateStatus), {.scope = status});
  router.Add("GET", "/credentials/{id}/receipt", OnWorker(api, GetReceipt), {.scope = issue});
  router.Add("POST", "/credentials/verify", InlineIfSmall(api, VerifyCredential),
             {.rate_limited = true});
  router.Add("POST", "/presentations/verify", OnWorker(api, VerifyPresentation),
             {.rate_limited = true});
  router.Add("GET", "/status/{org}/{purpose}/{n}", OnWorker(api, GetStatusList));
  router.Add("GET", "/orgs/{org}/did.json", OnWorker(api, GetDidDocument));
}

}  // namespace pathbridge::gateway
