// OAuth 2.0 client credentials against a real Server on 127.0.0.1: tokens
// by HTTP Basic and by body credentials, every refusal with its status and
// headers (RFC 6749 §5.2, RFC 6750 §3), scopes, organization scoping, rate
// limits, and a flood of bad tokens. Clients are registered in the server's
// own data dir as `pathbridge clients add` would, while it runs; their
// secrets are hashed with Argon2id at libsodium's minimum limits to keep
// the suite quick (client_store_test.cc checks the production limits).
#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "certs/org_registry.h"
#include "gateway/auth/org_scope.h"
#include "gateway/auth/secrets.h"
#include "gateway/problem.h"
#include "standards/encoding.h"
#include "tests/testing/http_testing.h"

namespace pathbridge::gateway {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using testing::Client;
using testing::ExpectProblem;
using testing::Fetched;
using testing::Str;
using testing::TestOptions;
using testing::TestServer;

constexpr char kForm[] = "application/x-www-form-urlencoded";
constexpr Timestamp kNow{1767225600, 0};

struct FakeClock {
  std::shared_ptr<std::atomic<int64_t>> seconds = std::make_shared<std::atomic<int64_t>>(3600);
  auth::NowFn fn() const {
    return [s = seconds] { return auth::SteadyTime{} + std::chrono::seconds(s->load()); };
  }
  void Advance(std::chrono::seconds by) { *seconds += by.count(); }
};

auth::AuthOptions Options(const FakeClock& clock) {
  auth::AuthOptions o;
  o.now = clock.fn();
  o.clients.hash_limits = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
  o.token_failures = {.per_second = 100, .burst = 1000};
  return o;
}

// A route that names an organization, as issuing routes do.
void AddOrgRoute(Router& router, ledger::Log&) {
  router.Add("POST", "/orgs/{org}/things", [](const Request& r, Reply reply) {
    Status allowed = auth::RequireOrg(r, r.params.at("org"));
    if (!allowed.ok()) return reply(ProblemFromStatus(allowed, r.request_id));
    reply(TextResponse(200, r.principal->client_id + " for " + r.params.at("org")));
  }, {.scope = "credentials:issue"});
  router.Add("GET", "/open", [](const Request&, Reply reply) { reply(TextResponse(200, "open")); },
             {.rate_limited = true});
}

struct Registered {
  std::string id, secret;
};

Registered Register(TestServer& server, const std::string& org, auth::ScopeList scopes,
                    std::optional<std::string> thumbprint = std::nullopt) {
  auto added = server.auth().clients().Add({org, std::move(scopes), thumbprint}, kNow);
  EXPECT_TRUE(added.ok()) << added.status().ToString();
  return added.ok() ? Registered{added->client.client_id, added->client_secret} : Registered{};
}

void AddOrgs(const std::filesystem::path& data_dir) {
  for (const char* slug : {"college-a", "college-b", "hub"}) {
    certs::OrgSpec spec;
    spec.slug = slug;
    spec.name = slug;
    ASSERT_TRUE(certs::AddOrganization(data_dir, spec, {}, kNow).ok());
  }
}

std::string BasicHeader(const Registered& c) {
  return "Basic " + Base64Encode(AsBytes(c.id + ":" + c.secret));
}

Fetched PostToken(uint16_t port, std::string body, std::map<std::string, std::string> headers = {}) {
  headers.emplace("Content-Type", kForm);
  return Client(port).Send(http::verb::post, "/oauth/token", std::move(body), std::move(headers));
}

Fetched TokenByBasic(uint16_t port, const Registered& c, std::string extra = {}) {
  return PostToken(port, "grant_type=client_credentials" + extra,
                   {{"Authorization", BasicHeader(c)}});
}

std::string AccessToken(uint16_t port, const Registered& c, std::string extra = {}) {
  Fetched f = TokenByBasic(port, c, std::move(extra));
  EXPECT_EQ(f.status(), 200) << f.res.body();
  return f.status() == 200 ? Str(f.json().at("access_token")) : "";
}

Fetched WithToken(uint16_t port, http::verb verb, std::string target, const std::string& token,
                  std::string body = "x") {
  return Client(port).Send(verb, std::move(target), std::move(body),
                           {{"Authorization", "Bearer " + token}});
}

void ExpectOAuthError(const Fetched& f, int status, std::string_view error) {
  ASSERT_FALSE(f.ec) << f.ec.message();
  EXPECT_EQ(f.status(), status) << f.res.body();
  EXPECT_EQ(f.header(http::field::content_type), "application/json");
  EXPECT_EQ(f.header(http::field::cache_control), "no-store");
  auto j = f.json();
  EXPECT_EQ(Str(j.at("error")), error) << f.res.body();
  EXPECT_FALSE(Str(j.at("error_description")).empty());
  if (status == 401) {
    EXPECT_EQ(f.header(http::field::www_authenticate),
              "Basic realm=\"pathbridge\", charset=\"UTF-8\"");
  }
}

// A problem+json refusal with this Bearer challenge.
void ExpectChallenge(const Fetched& f, int status, std::string_view challenge) {
  ExpectProblem(f, status, challenge);
  EXPECT_EQ(f.header(http::field::www_authenticate), challenge);
}

class AuthHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    clock_ = new FakeClock;
    server_ = new TestServer(TestOptions(), AddOrgRoute, Options(*clock_));
    AddOrgs(server_->data_dir());
    issuer_ = Register(*server_, "college-a", {"credentials:issue", "translate"});
    appender_ = Register(*server_, "college-a", {"ledger:append"});
    admin_ = Register(*server_, "hub", {"admin", "credentials:issue"});
    disabled_ = Register(*server_, "college-b", {"translate"});
    ASSERT_TRUE(server_->auth().clients().Disable(disabled_.id, kNow).ok());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete clock_;
  }
  static uint16_t port() { return server_->port(); }

  static inline FakeClock* clock_ = nullptr;
  static inline TestServer* server_ = nullptr;
  static inline Registered issuer_, appender_, admin_, disabled_;
};

TEST_F(AuthHttpTest, ATokenByHttpBasicCallsAScopedRoute) {
  Fetched f = TokenByBasic(port(), issuer_);
  ASSERT_EQ(f.status(), 200) << f.res.body();
  EXPECT_EQ(f.header(http::field::content_type), "application/json");
  EXPECT_EQ(f.header(http::field::cache_control), "no-store");
  EXPECT_EQ(f.header(http::field::pragma), "no-cache");
  auto j = f.json();
  EXPECT_EQ(Str(j.at("token_type")), "Bearer");
  EXPECT_EQ(j.at("expires_in").to_number<int64_t>(), 900);
  EXPECT_EQ(Str(j.at("scope")), "credentials:issue translate");
  std::string token = Str(j.at("access_token"));
  EXPECT_EQ(Base64UrlDecode(token)->size(), 32u);
  Fetched call = WithToken(port(), http::verb::post, "/orgs/college-a/things", token);
  EXPECT_EQ(call.status(), 200) << call.res.body();
  EXPECT_EQ(call.res.body(), issuer_.id + " for college-a");
}

TEST_F(AuthHttpTest, ATokenByBodyCredentialsWithASubsetOfScopes) {
  Fetched f = PostToken(port(), "grant_type=client_credentials&client_id=" + issuer_.id +
                                    "&client_secret=" + issuer_.secret + "&scope=translate");
  ASSERT_EQ(f.status(), 200) << f.res.body();
  EXPECT_EQ(Str(f.json().at("scope")), "translate");
  // The token has only what was asked for.
  std::string token = Str(f.json().at("access_token"));
  ExpectChallenge(WithToken(port(), http::verb::post, "/orgs/college-a/things", token), 403,
                  "Bearer realm=\"pathbridge\", error=\"insufficient_scope\", "
                  "scope=\"credentials:issue\"");
}

TEST_F(AuthHttpTest, BadClientsAreInvalidClientWithOneWording) {
  Registered wrong_secret{issuer_.id, auth::RandomToken(auth::kSecretBytes)};
  Registered unknown{auth::RandomToken(auth::kClientIdBytes), issuer_.secret};
  std::string description;
  for (const Registered* c : {&wrong_secret, &unknown, &disabled_}) {
    Fetched f = TokenByBasic(port(), *c);
    ExpectOAuthError(f, 401, "invalid_client");
    EXPECT_EQ(f.res.body().find(c->secret), std::string::npos);
    if (description.empty()) description = Str(f.json().at("error_description"));
    EXPECT_EQ(Str(f.json().at("error_description")), description);
  }
  Fetched body_auth = PostToken(port(), "grant_type=client_credentials&client_id=" + issuer_.id +
                                            "&client_secret=" + wrong_secret.secret);
  ExpectOAuthError(body_auth, 401, "invalid_client");
  ExpectOAuthError(PostToken(port(), "grant_type=client_credentials"), 401, "invalid_client");
}

TEST_F(AuthHttpTest, BadRequestsGetTheirOAuthErrors) {
  ExpectOAuthError(TokenByBasic(port(), issuer_, "&grant_type=password"), 400, "invalid_request");
  ExpectOAuthError(PostToken(port(), "grant_type=password&username=a&password=b",
                             {{"Authorization", BasicHeader(issuer_)}}),
                   400, "unsupported_grant_type");
  ExpectOAuthError(PostToken(port(), "scope=translate", {{"Authorization", BasicHeader(issuer_)}}),
                   400, "invalid_request");
  Fetched json = Client(port()).Send(http::verb::post, "/oauth/token",
                                     R"({"grant_type":"client_credentials"})",
                                     {{"Content-Type", "application/json"},
                                      {"Authorization", BasicHeader(issuer_)}});
  ExpectOAuthError(json, 400, "invalid_request");
  ExpectProblem(Client(port()).Get("/oauth/token"), 405);
}

TEST_F(AuthHttpTest, ScopesBeyondTheClientsAreInvalidScope) {
  ExpectOAuthError(TokenByBasic(port(), issuer_, "&scope=admin"), 400, "invalid_scope");
  ExpectOAuthError(TokenByBasic(port(), issuer_, "&scope=translate+admin"), 400, "invalid_scope");
  ExpectOAuthError(TokenByBasic(port(), issuer_, "&scope=superuser"), 400, "invalid_scope");
}

TEST_F(AuthHttpTest, MissingMalformedAndExpiredTokensAre401) {
  ExpectChallenge(Client(port()).Send(http::verb::post, "/orgs/college-a/things", "x"), 401,
                  "Bearer realm=\"pathbridge\"");
  ExpectChallenge(Client(port()).Send(http::verb::post, "/orgs/college-a/things", "x",
                                      {{"Authorization", BasicHeader(issuer_)}}),
                  401, "Bearer realm=\"pathbridge\"");
  const std::string invalid = "Bearer realm=\"pathbridge\", error=\"invalid_token\"";
  for (std::string bad : {std::string("abc"), auth::RandomToken(32),
                          std::string(43, '!'), std::string(2000, 'A')})
    ExpectChallenge(WithToken(port(), http::verb::post, "/orgs/college-a/things", bad), 401,
                    invalid);

  std::string token = AccessToken(port(), issuer_);
  EXPECT_EQ(WithToken(port(), http::verb::post, "/orgs/college-a/things", token).status(), 200);
  clock_->Advance(899s);
  EXPECT_EQ(WithToken(port(), http::verb::post, "/orgs/college-a/things", token).status(), 200);
  clock_->Advance(1s);
  Fetched expired = WithToken(port(), http::verb::post, "/orgs/college-a/things", token);
  ExpectChallenge(expired, 401, invalid);
  EXPECT_EQ(expired.res.body().find(token), std::string::npos);

  Client c(port());
  ASSERT_FALSE(c.WriteRaw("POST /orgs/college-a/things HTTP/1.1\r\nHost: x\r\n"
                          "Authorization: Bearer " + token + "\r\nAuthorization: Bearer " + token +
                          "\r\nContent-Length: 0\r\n\r\n"));
  ExpectChallenge(c.Read(), 400, "Bearer realm=\"pathbridge\", error=\"invalid_request\"");
}

TEST_F(AuthHttpTest, WrongScopeIs403InsufficientScope) {
  std::string token = AccessToken(port(), issuer_);
  Fetched f = WithToken(port(), http::verb::post, "/ledger/entries", token, "entry");
  ExpectChallenge(f, 403,
                  "Bearer realm=\"pathbridge\", error=\"insufficient_scope\", scope=\"admin\"");
  EXPECT_EQ(f.res.body().find(token), std::string::npos);
}

TEST_F(AuthHttpTest, AClientActsOnlyForItsOwnOrganization) {
  std::string token = AccessToken(port(), issuer_);
  Fetched other = WithToken(port(), http::verb::post, "/orgs/college-b/things", token);
  ExpectProblem(other, 403);
  EXPECT_EQ(WithToken(port(), http::verb::post, "/orgs/college-a/things", token).status(), 200);
  // admin lifts organization scoping.
  Fetched admin = WithToken(port(), http::verb::post, "/orgs/college-b/things",
                            AccessToken(port(), admin_));
  EXPECT_EQ(admin.status(), 200) << admin.res.body();
  EXPECT_EQ(admin.res.body(), admin_.id + " for college-b");
}

TEST_F(AuthHttpTest, LedgerAppendsNeedTheAdminScope) {
  // No development fallback here: loopback without a token is refused.
  ExpectChallenge(Client(port()).Send(http::verb::post, "/ledger/entries", "entry 1"), 401,
                  "Bearer realm=\"pathbridge\"");
  ExpectProblem(WithToken(port(), http::verb::post, "/ledger/entries", AccessToken(port(), appender_),
                          "entry 1"),
                403);
  uint64_t size = server_->log().Size();
  Fetched ok = WithToken(port(), http::verb::post, "/ledger/entries", AccessToken(port(), admin_),
                         "entry from the operator");
  ASSERT_EQ(ok.status(), 201) << ok.res.body();
  EXPECT_EQ(server_->log().Size(), size + 1);
  EXPECT_EQ(AsChars(*server_->log().ReadEntry(ok.json().at("index").to_number<uint64_t>())),
            "entry from the operator");
}

TEST_F(AuthHttpTest, ThousandsOfBadTokensAreEach401AndTheServerKeepsServing) {
  constexpr int kThreads = 4, kPerThread = 750;
  std::atomic<int> unauthorized{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      Client c(port());  // kept alive
      for (int i = 0; i < kPerThread; ++i) {
        std::string bad = i % 3 == 0 ? auth::RandomToken(32)
                          : i % 3 == 1 ? std::string(10 + (i + t) % 300, static_cast<char>('a' + i % 26))
                                       : auth::RandomToken(32).substr(0, 42) + "~";
        auto f = c.Send(http::verb::post, "/orgs/college-a/things", "x",
                        {{"Authorization", "Bearer " + bad}});
        if (f.status() == 401 && f.res.body().find(bad) == std::string::npos) ++unauthorized;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(unauthorized.load(), kThreads * kPerThread);
  std::string token = AccessToken(port(), issuer_);
  EXPECT_EQ(WithToken(port(), http::verb::post, "/orgs/college-a/things", token).status(), 200);
}

TEST(AuthRateLimitTest, FailedTokenRequestsAndOpenRoutesAreLimitedPerAddress) {
  FakeClock clock;
  auth::AuthOptions options = Options(clock);
  options.token_failures = {.per_second = 0.1, .burst = 3};
  options.open_routes = {.per_second = 1, .burst = 2};
  TestServer server(TestOptions(), AddOrgRoute, options);
  AddOrgs(server.data_dir());
  Registered good = Register(server, "college-a", {"translate"});
  Registered wrong{good.id, auth::RandomToken(auth::kSecretBytes)};

  EXPECT_EQ(TokenByBasic(server.port(), good).status(), 200);  // successes are not charged
  for (int i = 0; i < 3; ++i) ExpectOAuthError(TokenByBasic(server.port(), wrong), 401, "invalid_client");
  for (const Registered* c : {&wrong, &good}) {  // refused before any secret is checked
    Fetched f = TokenByBasic(server.port(), *c);
    ExpectProblem(f, 429);
    EXPECT_EQ(f.header(http::field::retry_after), "10");
  }
  clock.Advance(10s);
  EXPECT_EQ(TokenByBasic(server.port(), good).status(), 200);

  EXPECT_EQ(Client(server.port()).Get("/open").status(), 200);
  EXPECT_EQ(Client(server.port()).Get("/open").status(), 200);
  Fetched limited = Client(server.port()).Get("/open");
  ExpectProblem(limited, 429);
  EXPECT_EQ(limited.header(http::field::retry_after), "1");
  EXPECT_EQ(Client(server.port()).Get("/healthz").status(), 200);  // not every open route
  clock.Advance(1s);
  EXPECT_EQ(Client(server.port()).Get("/open").status(), 200);
}

TEST(AuthCertBindingTest, ABoundClientGetsNoTokenWithoutItsCertificate) {
  FakeClock clock;
  TestServer server(TestOptions(), AddOrgRoute, Options(clock));
  AddOrgs(server.data_dir());
  Registered bound =
      Register(server, "college-a", {"translate"}, Base64UrlEncode(Bytes(32, 0x42)));
  // A plain connection presents no certificate.
  ExpectOAuthError(TokenByBasic(server.port(), bound), 401, "invalid_client");
}

}  // namespace
}  // namespace pathbridge::gateway
