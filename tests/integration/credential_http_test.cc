// The W3C VC API routes (gateway/credential_routes.h) against a real Server
// on 127.0.0.1 over TLS, with the real OAuth clients, credential service,
// ledger and verification sources in one temp data dir: issue, verify,
// revoke and suspend, receipts, presentations, the published status lists
// and DID documents, every scope refusal per route, and hostile bodies.
#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <chrono>

#include <boost/json.hpp>

#include "certs/multikey.h"
#include "certs/org_registry.h"
#include "certs/resolvers.h"
#include "certs/tls/dev_pki.h"
#include "gateway/credential_routes.h"
#include "gateway/problem.h"
#include "ledger/credentials/data_integrity.h"
#include "ledger/credentials/receipt.h"
#include "ledger/credentials/vc.h"
#include "ledger/credentials/verifier.h"
#include "ledger/ledger_dir.h"
#include "tests/testing/http_testing.h"

namespace pathbridge::gateway {
namespace {

namespace bj = boost::json;
namespace http = boost::beast::http;
namespace cr = pathbridge::credentials;
using namespace std::chrono_literals;
using testing::ExpectProblem;
using testing::Fetched;
using testing::Str;
using testing::TestServer;

constexpr Timestamp kNow{1767225600, 0};
constexpr char kBase[] = "https://localhost:8443";

struct FakeClock {
  std::shared_ptr<std::atomic<int64_t>> seconds = std::make_shared<std::atomic<int64_t>>(3600);
  auth::NowFn fn() const {
    return [s = seconds] { return auth::SteadyTime{} + std::chrono::seconds(s->load()); };
  }
};

struct Registered {
  std::string id, secret;
};

// An unsigned Open Badge with no issuer id (the hub fills it in).
bj::object UnsignedBadge() {
  bj::object badge =
      testing::ReadJson(testing::SharedDir() /
                        "standards/ob3/spec-examples/basicOpenBadgeCredential.json")
          .as_object();
  badge.erase("id");
  badge["issuer"].as_object().erase("id");
  return badge;
}

std::string IssueBody(const bj::object& credential, bj::object options = {}) {
  bj::object body{{"credential", credential}};
  if (!options.empty()) body["options"] = std::move(options);
  return bj::serialize(body);
}

class CredentialHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_dir_ = new testing::TempDir();
    ASSERT_TRUE(certs::MakeDevPki(Pki().dir, {}).ok());
    clock_ = new FakeClock;
    server_ = new TestServer(TlsOptions(), AddRoutes, AuthOptions());
    testing::ClientTls trust;
    trust.ca = Pki().ca_cert;
    tls_ = new boost::asio::ssl::context(testing::ClientContext(trust));
    a_issuer_ = Register("college-a", {"credentials:issue"});
    a_status_ = Register("college-a", {"credentials:status"});
    a_translate_ = Register("college-a", {"translate"});
    b_both_ = Register("college-b", {"credentials:issue", "credentials:status"});
    admin_ = Register("hub", {"admin", "credentials:issue"});
  }
  static void TearDownTestSuite() {
    server_->Stop();
    api_.reset();  // its queue done, before the log it uses goes
    delete server_;
    delete tls_;
    delete clock_;
    delete pki_dir_;
  }

  static certs::DevPkiLayout Pki() { return certs::DevPkiLayout(pki_dir_->path() / "pki"); }
  static ServerOptions TlsOptions() {
    ServerOptions o = testing::TestOptions();
    o.tls.emplace();
    o.tls->certificate_chain = Pki().server_cert;
    o.tls->private_key = Pki().server_key;
    return o;
  }
  static auth::AuthOptions AuthOptions() {
    auth::AuthOptions o;
    o.now = clock_->fn();
    o.clients.hash_limits = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    o.open_routes = {.per_second = 1000, .burst = 1000};
    return o;
  }
  static void AddRoutes(Router& router, ledger::Log& log, const std::filesystem::path& data) {
    for (const char* slug : {"college-a", "college-b", "hub"}) {
      certs::OrgSpec spec;
      spec.slug = slug;
      spec.name = std::string("College ") + slug;
      ASSERT_TRUE(certs::AddOrganization(data, spec, {}, kNow).ok());
    }
    auto api = CredentialApi::Open(data, log);
    ASSERT_TRUE(api.ok()) << api.status().ToString();
    api_ = std::move(*api);
    AddCredentialRoutes(router, *api_);
  }
  static Registered Register(const std::string& org, auth::ScopeList scopes) {
    auto added = server_->auth().clients().Add({org, std::move(scopes), std::nullopt}, kNow);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? Registered{added->client.client_id, added->client_secret} : Registered{};
  }

  static Fetched Send(http::verb verb, std::string target, std::string body = {},
                      std::map<std::string, std::string> headers = {}) {
    testing::HttpClient client(server_->port(), *tls_);
    EXPECT_FALSE(client.connect_error()) << client.connect_error().message();
    if (!body.empty()) headers.emplace("Content-Type", "application/json");
    return client.Send(verb, std::move(target), std::move(body), std::move(headers));
  }
  static std::string Token(const Registered& c) {
    Fetched f = Send(http::verb::post, "/oauth/token",
                     "grant_type=client_credentials&client_id=" + c.id + "&client_secret=" + c.secret,
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(f.status(), 200) << f.res.body();
    return f.status() == 200 ? Str(f.json().at("access_token")) : "";
  }
  static Fetched Call(const Registered& c, http::verb verb, std::string target,
                      std::string body = {}) {
    return Send(verb, std::move(target), std::move(body),
                {{"Authorization", "Bearer " + Token(c)}});
  }
  static Fetched Post(std::string target, std::string body) {
    return Send(http::verb::post, std::move(target), std::move(body));
  }

  // Issues the badge as college A; the response's JSON.
  static bj::object Issue(bj::object options = {}) {
    Fetched f = Call(a_issuer_, http::verb::post, "/credentials/issue",
                     IssueBody(UnsignedBadge(), std::move(options)));
    EXPECT_EQ(f.status(), 201) << f.res.body();
    return f.status() == 201 ? f.json() : bj::object{};
  }
  static Fetched Verify(const bj::object& vc, bj::object options = {}) {
    bj::object body{{"verifiableCredential", vc}};
    if (!options.empty()) body["options"] = std::move(options);
    return Post("/credentials/verify", bj::serialize(body));
  }
  static Fetched ChangeStatus(const Registered& c, const std::string& id, std::string purpose,
                              bool set, bj::object extra = {}) {
    bj::object entry{{"type", "BitstringStatusListEntry"}, {"statusPurpose", purpose}};
    for (auto& kv : extra) entry[kv.key()] = kv.value();
    return Call(c, http::verb::post, "/credentials/status",
                bj::serialize(bj::object{{"credentialId", id}, {"credentialStatus", entry},
                                         {"status", set}}));
  }
  static std::string Did(const std::string& slug) {
    return certs::LoadOrganization(server_->data_dir(), slug).value().Did();
  }

  static inline testing::TempDir* pki_dir_ = nullptr;
  static inline FakeClock* clock_ = nullptr;
  static inline TestServer* server_ = nullptr;
  static inline std::unique_ptr<CredentialApi> api_;
  static inline boost::asio::ssl::context* tls_ = nullptr;
  static inline Registered a_issuer_, a_status_, a_translate_, b_both_, admin_;
};

// The outcome of the check with this id in a verification answer.
std::string Outcome(const bj::object& answer, std::string_view id) {
  for (const bj::value& c : answer.at("checks").as_array())
    if (Str(c.at("id")) == id) return Str(c.at("outcome"));
  return "absent";
}

// A 422 verification problem with its checks and problemDetails.
void ExpectNotVerified(const Fetched& f) {
  ExpectProblem(f, 422);
  bj::object j = f.json();
  EXPECT_EQ(j.at("verified"), bj::value(false));
  EXPECT_FALSE(j.at("checks").as_array().empty());
  EXPECT_FALSE(j.at("problemDetails").as_array().empty());
}

TEST_F(CredentialHttpTest, IssueVerifyRevokeAndTheReceiptStillVerifies) {
  bj::object issued = Issue();
  const bj::object& vc = issued.at("verifiableCredential").as_object();
  EXPECT_EQ(cr::IssuerId(vc), Did("college-a"));
  EXPECT_EQ(Str(vc.at("proof").at("cryptosuite")), "eddsa-rdfc-2022");
  std::string id = Str(vc.at("id"));
  ASSERT_TRUE(id.starts_with("urn:uuid:")) << id;

  Fetched ok = Verify(vc);
  ASSERT_EQ(ok.status(), 200) << ok.res.body();
  EXPECT_EQ(ok.header(http::field::content_type), "application/json");
  bj::object answer = ok.json();
  EXPECT_EQ(answer.at("verified"), bj::value(true));
  EXPECT_EQ(Outcome(answer, "proof"), "valid");
  EXPECT_EQ(Outcome(answer, "status.revocation"), "valid");
  EXPECT_TRUE(answer.at("errors").as_array().empty());

  // The receipt handed out at issuance checks as a verify option.
  Fetched with_receipt = Verify(vc, {{"ledgerReceipt", issued.at("ledgerReceipt")}});
  ASSERT_EQ(with_receipt.status(), 200) << with_receipt.res.body();
  EXPECT_EQ(Outcome(with_receipt.json(), "receipt"), "valid");

  Fetched revoked = ChangeStatus(a_status_, id, "revocation", true);
  ASSERT_EQ(revoked.status(), 200) << revoked.res.body();
  EXPECT_EQ(Str(revoked.json().at("statusListCredential")),
            std::string(kBase) + "/status/college-a/revocation/1");

  Fetched refused = Verify(vc);
  ExpectNotVerified(refused);
  bj::object problem = refused.json();
  EXPECT_EQ(Outcome(problem, "status.revocation"), "invalid");
  EXPECT_EQ(Outcome(problem, "proof"), "valid");
  bool listed = false;
  for (const bj::value& p : problem.at("problemDetails").as_array())
    listed = listed || Str(p.at("type")) == "urn:pathbridge:verification:status.revocation";
  EXPECT_TRUE(listed) << refused.res.body();
  // The subject's data is not echoed in the problem.
  EXPECT_EQ(refused.res.body().find("Teamwork"), std::string::npos);

  // A fresh receipt, by the credential's urn:uuid id in the path.
  Fetched r = Call(a_issuer_, http::verb::get, "/credentials/" + id + "/receipt");
  ASSERT_EQ(r.status(), 200) << r.res.body();
  auto receipt = cr::ParseReceipt(r.res.body());
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  auto issued_receipt = cr::ParseReceipt(bj::serialize(issued.at("ledgerReceipt")));
  ASSERT_TRUE(issued_receipt.ok());
  EXPECT_EQ(receipt->index, issued_receipt->index);
  EXPECT_EQ(receipt->entry, issued_receipt->entry);
  cr::ReceiptTrust trust;
  trust.ledger_keys.push_back(ledger::LoadLogVerifier(server_->data_dir()).value());
  auto check = cr::VerifyReceipt(*receipt, vc, trust);
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_TRUE(check->ok()) << check->Summary();
}

TEST_F(CredentialHttpTest, IssueOptionsPickTheSuiteAndUnknownOnesAre400) {
  bj::object jcs = Issue({{"cryptosuite", "eddsa-jcs-2022"}});
  const bj::object& vc = jcs.at("verifiableCredential").as_object();
  EXPECT_EQ(Str(vc.at("proof").at("cryptosuite")), "eddsa-jcs-2022");
  EXPECT_EQ(Verify(vc).status(), 200);

  for (bj::object options : {bj::object{{"cryptosuite", "ecdsa-rdfc-2019"}},
                             bj::object{{"mandatoryPointers", bj::array{"/issuer"}}},
                             bj::object{{"cryptosuite", 7}}}) {
    Fetched f = Call(a_issuer_, http::verb::post, "/credentials/issue",
                     IssueBody(UnsignedBadge(), options));
    ExpectProblem(f, 400, bj::serialize(options));
  }
  // An already signed credential, or one with its own status, is refused.
  Fetched again = Call(a_issuer_, http::verb::post, "/credentials/issue", IssueBody(vc));
  ExpectProblem(again, 400);
}

TEST_F(CredentialHttpTest, AnIssuerNamingAnotherOrganizationIs403UnlessAdmin) {
  bj::object as_b = UnsignedBadge();
  as_b["issuer"].as_object()["id"] = Did("college-b");
  Fetched f = Call(a_issuer_, http::verb::post, "/credentials/issue", IssueBody(as_b));
  ExpectProblem(f, 403);
  as_b["issuer"].as_object()["id"] = "did:web:elsewhere.example";
  ExpectProblem(Call(a_issuer_, http::verb::post, "/credentials/issue", IssueBody(as_b)), 403);

  // Naming its own DID is fine; admin may issue for any organization.
  bj::object as_a = UnsignedBadge();
  as_a["issuer"].as_object()["id"] = Did("college-a");
  EXPECT_EQ(Call(a_issuer_, http::verb::post, "/credentials/issue", IssueBody(as_a)).status(), 201);
  as_b["issuer"].as_object()["id"] = Did("college-b");
  Fetched admin = Call(admin_, http::verb::post, "/credentials/issue", IssueBody(as_b));
  ASSERT_EQ(admin.status(), 201) << admin.res.body();
  EXPECT_EQ(cr::IssuerId(admin.json().at("verifiableCredential").as_object()), Did("college-b"));
  // Naming no issuer, the admin issues as its own organization.
  Fetched own = Call(admin_, http::verb::post, "/credentials/issue", IssueBody(UnsignedBadge()));
  ASSERT_EQ(own.status(), 201) << own.res.body();
  EXPECT_EQ(cr::IssuerId(own.json().at("verifiableCredential").as_object()), Did("hub"));
}

TEST_F(CredentialHttpTest, SuspendReinstateAndRevocationIsFinal) {
  bj::object vc = Issue().at("verifiableCredential").as_object();
  std::string id = Str(vc.at("id"));
  ASSERT_EQ(ChangeStatus(a_status_, id, "suspension", true).status(), 200);
  Fetched suspended = Verify(vc);
  ExpectNotVerified(suspended);
  EXPECT_EQ(Outcome(suspended.json(), "status.suspension"), "invalid");
  ExpectProblem(ChangeStatus(a_status_, id, "suspension", true), 409, "suspended twice");
  ASSERT_EQ(ChangeStatus(a_status_, id, "suspension", false).status(), 200);
  EXPECT_EQ(Verify(vc).status(), 200);

  // The optional entry members must name the credential's own entry.
  const bj::value& entry = vc.at("credentialStatus").as_array().at(0);
  ASSERT_EQ(Str(entry.at("statusPurpose")), "revocation");
  ExpectProblem(ChangeStatus(a_status_, id, "revocation", true,
                             {{"statusListIndex", "999999999"}}),
                400);
  Fetched revoked = ChangeStatus(
      a_status_, id, "revocation", true,
      {{"id", entry.at("id")}, {"statusListIndex", entry.at("statusListIndex")},
       {"statusListCredential", entry.at("statusListCredential")}});
  ASSERT_EQ(revoked.status(), 200) << revoked.res.body();
  ExpectProblem(ChangeStatus(a_status_, id, "revocation", true), 409, "revoked twice");
  ExpectProblem(ChangeStatus(a_status_, id, "revocation", false), 409, "unrevoked");
  ExpectProblem(ChangeStatus(a_status_, id, "suspension", false), 409, "reinstated after revoke");
  ExpectProblem(ChangeStatus(a_status_, "urn:uuid:00000000-0000-4000-8000-000000000000",
                             "revocation", true),
                404);
}

TEST_F(CredentialHttpTest, TheStatusListServedIsTheOneVerificationUses) {
  bj::object vc = Issue().at("verifiableCredential").as_object();
  ASSERT_EQ(ChangeStatus(a_status_, Str(vc.at("id")), "revocation", true).status(), 200);
  std::string url;
  for (const bj::value& e : vc.at("credentialStatus").as_array())
    if (Str(e.at("statusPurpose")) == "revocation") url = Str(e.at("statusListCredential"));
  ASSERT_TRUE(url.starts_with(kBase)) << url;
  Fetched f = Send(http::verb::get, url.substr(std::string(kBase).size()));
  ASSERT_EQ(f.status(), 200) << f.res.body();
  EXPECT_EQ(f.header(http::field::content_type), "application/vc+ld+json");
  EXPECT_EQ(f.header(http::field::cache_control), "public, max-age=30");
  auto used = cr::PublishedStatusListSource(server_->data_dir(), kBase).Fetch(url);
  ASSERT_TRUE(used.ok()) << used.status().ToString();
  EXPECT_EQ(f.json(), *used);
  EXPECT_TRUE(cr::HasType(f.json(), "BitstringStatusListCredential"));

  for (const char* missing : {"/status/college-a/revocation/99", "/status/college-a/refresh/1",
                              "/status/nobody/revocation/1", "/status/college-a/bogus/1",
                              "/status/college-a/revocation/01", "/status/College_A/revocation/1"})
    ExpectProblem(Send(http::verb::get, missing), 404, missing);
}

TEST_F(CredentialHttpTest, TheDidDocumentResolvesToTheKeyThatSigned) {
  bj::object vc = Issue().at("verifiableCredential").as_object();
  Fetched f = Send(http::verb::get, "/orgs/college-a/did.json");
  ASSERT_EQ(f.status(), 200) << f.res.body();
  EXPECT_EQ(f.header(http::field::content_type), "application/did+ld+json");
  bj::object doc = f.json();
  EXPECT_EQ(Str(doc.at("id")), Did("college-a"));
  // The credential's proof verifies against the served document alone.
  auto resolver = certs::DocumentMapResolver::FromJson(doc, "GET /orgs/college-a/did.json");
  ASSERT_TRUE(resolver.ok()) << resolver.status().ToString();
  auto results = cr::VerifyProofs(vc, *resolver);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ(results->size(), 1u);
  EXPECT_TRUE(results->front().valid()) << results->front().status.ToString();
  // college B's document does not hold the key.
  Fetched other = Send(http::verb::get, "/orgs/college-b/did.json");
  ASSERT_EQ(other.status(), 200);
  auto b_resolver = certs::DocumentMapResolver::FromJson(other.json(), "college-b");
  ASSERT_TRUE(b_resolver.ok());
  auto b_results = cr::VerifyProofs(vc, *b_resolver);
  ASSERT_TRUE(b_results.ok());
  EXPECT_FALSE(b_results->front().valid());

  for (const char* missing : {"/orgs/nobody/did.json", "/orgs/College/did.json"})
    ExpectProblem(Send(http::verb::get, missing), 404, missing);
}

// A presentation by a holder with a did:key, signed for authentication.
class PresentationTest : public CredentialHttpTest {
 protected:
  bj::object Presentation(const bj::object& vc) const {
    return {{"@context", bj::array{"https://www.w3.org/ns/credentials/v2"}},
            {"type", bj::array{"VerifiablePresentation"}},
            {"holder", certs::DidKey(holder_.public_key())},
            {"verifiableCredential", bj::array{vc}}};
  }
  bj::object Signed(const bj::object& vp, const std::string& challenge,
                    const std::string& domain) const {
    cr::ProofOptions o;
    o.suite = cr::Cryptosuite::kEddsaJcs2022;
    o.verification_method = certs::DidKeyVerificationMethod(holder_.public_key());
    o.proof_purpose = "authentication";
    o.challenge = challenge;
    o.domain = domain;
    auto signed_vp = cr::AddProof(vp, holder_, o);
    EXPECT_TRUE(signed_vp.ok()) << signed_vp.status().ToString();
    return signed_vp.ok() ? *signed_vp : bj::object{};
  }
  static Fetched VerifyVp(const bj::object& vp, bj::object options = {}) {
    bj::object body{{"verifiablePresentation", vp}};
    if (!options.empty()) body["options"] = std::move(options);
    return Post("/presentations/verify", bj::serialize(body));
  }

  certs::Ed25519Key holder_ = certs::Ed25519Key::Generate();
};

TEST_F(PresentationTest, ASignedPresentationWithTheChallengeVerifies) {
  bj::object vc = Issue().at("verifiableCredential").as_object();
  bj::object vp = Signed(Presentation(vc), "c-123", "verifier.example");
  Fetched ok = VerifyVp(vp, {{"challenge", "c-123"}, {"domain", "verifier.example"}});
  ASSERT_EQ(ok.status(), 200) << ok.res.body();
  bj::object answer = ok.json();
  EXPECT_EQ(Outcome(answer, "presentation.proof"), "valid");
  EXPECT_EQ(Outcome(answer, "credential[0].proof"), "valid");
  EXPECT_EQ(Outcome(answer, "credential[0].status.revocation"), "valid");

  Fetched wrong = VerifyVp(vp, {{"challenge", "c-999"}, {"domain", "verifier.example"}});
  ExpectNotVerified(wrong);
  EXPECT_EQ(Outcome(wrong.json(), "presentation.proof"), "invalid");
  Fetched other_domain = VerifyVp(vp, {{"challenge", "c-123"}, {"domain", "evil.example"}});
  ExpectNotVerified(other_domain);

  // Another holder named than the key that signed.
  bj::object impostor = Presentation(vc);
  impostor["holder"] = certs::DidKey(certs::Ed25519Key::Generate().public_key());
  Fetched f = VerifyVp(Signed(impostor, "c-1", "d"), {{"challenge", "c-1"}});
  ExpectNotVerified(f);
  EXPECT_EQ(Outcome(f.json(), "presentation.holder"), "invalid");
}

TEST_F(PresentationTest, EachCredentialIsVerifiedAndAnUnsignedOneCannotMeetAChallenge) {
  bj::object vc = Issue().at("verifiableCredential").as_object();
  bj::object unsigned_vp = Presentation(vc);
  EXPECT_EQ(VerifyVp(unsigned_vp).status(), 200);
  Fetched challenged = VerifyVp(unsigned_vp, {{"challenge", "c-1"}});
  ExpectNotVerified(challenged);
  EXPECT_EQ(Outcome(challenged.json(), "presentation.proof"), "invalid");

  bj::object tampered = vc;
  tampered["validFrom"] = "2011-01-01T00:00:00Z";
  Fetched f = VerifyVp(Signed(Presentation(tampered), "c-2", "d"), {{"challenge", "c-2"}});
  ExpectNotVerified(f);
  EXPECT_EQ(Outcome(f.json(), "presentation.proof"), "valid");
  EXPECT_EQ(Outcome(f.json(), "credential[0].proof"), "invalid");

  bj::object not_a_vp = unsigned_vp;
  not_a_vp["type"] = bj::array{"VerifiableCredential"};
  ExpectProblem(VerifyVp(not_a_vp), 400);
  ExpectProblem(VerifyVp(unsigned_vp, {{"returnPresentation", true}}), 400);
  // Nothing to verify is not verified.
  bj::object empty = unsigned_vp;
  empty.erase("verifiableCredential");
  ExpectNotVerified(VerifyVp(empty));
}

TEST_F(CredentialHttpTest, EveryScopedRouteRefusesMissingExpiredWrongScopeAndOtherOrg) {
  bj::object vc = Issue().at("verifiableCredential").as_object();
  std::string id = Str(vc.at("id"));
  std::string status_body = bj::serialize(bj::object{
      {"credentialId", id},
      {"credentialStatus", {{"type", "BitstringStatusListEntry"}, {"statusPurpose", "suspension"}}},
      {"status", true}});
  struct Route {
    http::verb verb;
    std::string target, body;
    const Registered* allowed;
  };
  const Route routes[] = {
      {http::verb::post, "/credentials/issue", IssueBody(UnsignedBadge()), &a_issuer_},
      {http::verb::post, "/credentials/status", status_body, &a_status_},
      {http::verb::get, "/credentials/" + id + "/receipt", "", &a_issuer_},
  };
  for (const Route& r : routes) {
    ExpectProblem(Send(r.verb, r.target, r.body), 401, "no token " + r.target);
    std::string token = Token(*r.allowed);
    *clock_->seconds += 16 * 60;  // past the 15-minute lifetime
    ExpectProblem(Send(r.verb, r.target, r.body, {{"Authorization", "Bearer " + token}}), 401,
                  "expired " + r.target);
    ExpectProblem(Call(a_translate_, r.verb, r.target, r.body), 403, "wrong scope " + r.target);
  }
  // Other organization: college B may not issue as A, change or read A's.
  bj::object as_a = UnsignedBadge();
  as_a["issuer"].as_object()["id"] = Did("college-a");
  ExpectProblem(Call(b_both_, http::verb::post, "/credentials/issue", IssueBody(as_a)), 403);
  ExpectProblem(Call(b_both_, http::verb::post, "/credentials/status", status_body), 403);
  ExpectProblem(Call(b_both_, http::verb::get, "/credentials/" + id + "/receipt"), 403);
  // Nothing changed: the credential still verifies.
  EXPECT_EQ(Verify(vc).status(), 200);
}

TEST_F(CredentialHttpTest, HostileBodiesAre4xxProblemsThatEchoNothing) {
  std::string deep(200, '[');
  const std::string bodies[] = {
      "",
      "not json SECRET-MARKER",
      "[1,2]",
      "{\"credential\":{\"name\":\"SECRET-MARKER\"},\"credential\":{}}",
      "{\"verifiableCredential\":\"SECRET-MARKER\"}",
      "{\"verifiableCredential\":{},\"SECRET-MARKER\":1}",
      "{\"verifiablePresentation\":7}",
      "{\"credentialId\":7,\"credentialStatus\":{},\"status\":\"yes\"}",
      "{\"credential\":{\"@context\":\"SECRET-MARKER\"}}",
      deep,
      "{\"verifiableCredential\":{}, \"options\":{\"ledgerReceipt\":{\"type\":\"SECRET-MARKER\"}}}",
  };
  const std::pair<std::string, const Registered*> routes[] = {
      {"/credentials/issue", &a_issuer_},
      {"/credentials/status", &a_status_},
      {"/credentials/verify", nullptr},
      {"/presentations/verify", nullptr},
  };
  for (const auto& [target, client] : routes) {
    for (const std::string& body : bodies) {
      Fetched f = client ? Call(*client, http::verb::post, target, body) : Post(target, body);
      ASSERT_FALSE(f.ec) << f.ec.message();
      EXPECT_GE(f.status(), 400) << target << " " << body << ": " << f.res.body();
      EXPECT_LT(f.status(), 500) << target << " " << body << ": " << f.res.body();
      EXPECT_EQ(f.header(http::field::content_type), kProblemContentType) << target << " " << body;
      EXPECT_EQ(f.res.body().find("SECRET-MARKER"), std::string::npos) << f.res.body();
    }
    // Over the server's body limit.
    Fetched big = Post(target, std::string(300 << 10, ' '));
    EXPECT_TRUE(big.ec || big.status() == 413) << target << " " << big.status();
  }
}

// Verification costs the server: both verify routes are limited per client
// address, over plain HTTP here (the limit does not depend on TLS).
TEST(CredentialRateLimitTest, VerificationRoutesAreLimitedPerAddress) {
  std::unique_ptr<CredentialApi> api;
  auth::AuthOptions options;
  options.open_routes = {.per_second = 0.001, .burst = 3};
  TestServer server(
      testing::TestOptions(),
      [&api](Router& router, ledger::Log& log, const std::filesystem::path& data) {
        auto opened = CredentialApi::Open(data, log);
        ASSERT_TRUE(opened.ok()) << opened.status().ToString();
        api = std::move(*opened);
        AddCredentialRoutes(router, *api);
      },
      options);
  for (const char* target : {"/credentials/verify", "/presentations/verify", "/credentials/verify"})
    ExpectProblem(testing::Client(server.port()).Send(http::verb::post, target, "{}"), 400, target);
  Fetched limited =
      testing::Client(server.port()).Send(http::verb::post, "/presentations/verify", "{}");
  ExpectProblem(limited, 429);
  EXPECT_FALSE(limited.header(http::field::retry_after).empty());
  // Scoped routes are not counted against the open limit: they need a token.
  ExpectProblem(testing::Client(server.port()).Send(http::verb::post, "/credentials/issue", "{}"),
                401);
  server.Stop();
  api.reset();
}

// A credential of up to 64 KiB is verified on the io thread that read it;
// larger ones and presentations wait for a worker. With no room on the
// workers (max_queued 0), only the small credential is answered.
TEST(CredentialInlineTest, SmallCredentialsAreVerifiedWithoutAWorker) {
  std::unique_ptr<CredentialApi> api;
  auth::AuthOptions auth_options;
  auth_options.open_routes = {.per_second = 1000, .burst = 1000};
  TestServer server(testing::TestOptions(), [&api](Router& router, ledger::Log& log,
                                                   const std::filesystem::path& data) {
    certs::OrgSpec spec;
    spec.slug = "college-a";
    spec.name = "College A";
    ASSERT_TRUE(certs::AddOrganization(data, spec, {}, kNow).ok());
    CredentialApiOptions options;
    options.max_queued = 0;                  // every hand-off to a worker is refused
    options.sources_refresh = std::chrono::hours(1);  // no reload due during the test
    auto opened = CredentialApi::Open(data, log, options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    api = std::move(*opened);
    AddCredentialRoutes(router, *api);
  }, auth_options);
  auto issued = api->service().Issue(UnsignedBadge(), "college-a",
                                     credentials::IssueSuite::kEddsaRdfc2022, Now());
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  const bj::object& vc = std::get<bj::object>(issued->credential);
  std::string body = bj::serialize(bj::object{{"verifiableCredential", vc}});
  auto post = [&](const char* target, const std::string& b) {
    return testing::Client(server.port()).Send(http::verb::post, target, b);
  };

  Fetched small = post("/credentials/verify", body);
  EXPECT_EQ(small.status(), 200) << small.res.body();
  // The same credential, padded past 64 KiB with JSON whitespace.
  Fetched large = post("/credentials/verify", body.substr(0, body.size() - 1) +
                                                  std::string(65 << 10, ' ') + "}");
  ExpectProblem(large, 503);
  Fetched presentation = post("/presentations/verify",
                              bj::serialize(bj::object{{"verifiablePresentation",
                                                        bj::object{{"verifiableCredential", vc}}}}));
  ExpectProblem(presentation, 503);
  server.Stop();
  api.reset();
}

}  // namespace
}  // namespace pathbridge::gateway
