// The /verify page as a browser or curl sees it, over HTTPS: a real Server
// on 127.0.0.1 with the development PKI, over a real hub data directory (an
// organization, its ledger, credentials issued and revoked by the real
// CredentialService). Checks the HTML answers: verdicts and checks, that
// credential text is escaped, headers, limits and status codes, and that
// malformed input never gets a 5xx. (tests/interop/verify_page_browser.mjs
// drives the same page in Chromium through `pathbridge serve`.)
#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include <boost/json.hpp>

#include "certs/org_registry.h"
#include "certs/tls/dev_pki.h"
#include "gateway/auth/auth.h"
#include "gateway/auth/worker_pool.h"
#include "gateway/server.h"
#include "gateway/verify_page.h"
#include "ledger/credentials/issuer.h"
#include "ledger/ledger_dir.h"
#include "standards/digest.h"
#include "standards/encoding.h"
#include "tests/testing/http_testing.h"

namespace pathbridge::gateway {
namespace {

namespace bj = boost::json;
namespace http = boost::beast::http;
using testing::Fetched;

constexpr char kBoundary[] = "----pathbridgeTestBoundary7MA4YWxkTrZu0gW";
constexpr char kHostile[] = "<script>alert(\"x\")</script>' onmouseover='y' & more";

// A hub: an organization, its ledger and issued credentials, and the server
// with the /verify page (and the auth guard's rate limits) over HTTPS.
class Hub {
 public:
  explicit Hub(auth::RateLimitOptions open_routes = {.per_second = 1000, .burst = 1000}) {
    // Whole seconds, as `pathbridge org add` does: proofs say when they
    // were made to the second, and the key must be valid by then.
    Timestamp now{Now().seconds, 0};
    certs::OrgSpec spec;
    spec.slug = "cc";
    spec.name = "Lakeview <b>\"Community\"</b> & College";
    Check(certs::AddOrganization(dir_.path(), spec, {}, now).status());
    ledger::LogOptions log_options;
    log_options.checkpoint_interval = std::chrono::milliseconds(5);
    log_ = Take(ledger::OpenLedger(dir_.path(), "test.example/verify", log_options));
    issuer_ = Take(credentials::CredentialService::Open(dir_.path(), *log_));
    badge_ = Issue(Badge("Teamwork", "Ana Lopez"));
    hostile_ = Issue(Badge(kHostile, kHostile));
    revoked_ = Issue(Badge("Teamwork", "Ana Lopez"));
    Check(issuer_->ChangeStatus(bj::parse(revoked_).at("id").as_string(),
                                credentials::StatusAction::kRevoke, now)
              .status());
    offline_ = std::make_shared<const credentials::OfflineSources>(
        Take(credentials::OfflineSources::Load({.data_dir = dir_.path(),
                                                .hub_base_url = issuer_->hub_base_url(),
                                                .docs = {},
                                                .trust = {}})));
    VerifyPageSources sources;
    sources.offline = [this]() -> Result<std::shared_ptr<const credentials::OfflineSources>> {
      return offline_;
    };
    sources.orgs = Take(certs::ListOrganizations(dir_.path()));
    sources.receipt_for = [this](std::string_view id) { return issuer_->ReceiptFor(id); };
    sources.base_url = "https://hub.example";
    sources.run = [this](std::function<void()> task) { return workers_.Submit(std::move(task)); };
    Router router;
    AddVerifyPageRoutes(router, std::move(sources));
    auth::AuthOptions auth_options;
    auth_options.open_routes = open_routes;
    auth_ = Take(auth::Auth::Open(dir_.path(), auth_options));
    auth_->Install(router);

    certs::DevPkiLayout pki(dir_.path() / "pki");
    Check(certs::EnsureDevPki(pki.dir).status());
    ServerOptions options = testing::TestOptions();
    options.max_body_bytes = 1 << 20;  // serve's
    options.tls = certs::TlsServerOptions{};
    options.tls->certificate_chain = pki.server_cert;
    options.tls->private_key = pki.server_key;
    testing::ClientTls client_tls;
    client_tls.ca = pki.ca_cert;
    tls_ = std::make_unique<boost::asio::ssl::context>(testing::ClientContext(client_tls));
    server_ = std::make_unique<Server>(std::move(options), std::move(router));
    port_ = Take(server_->Listen());
    thread_ = std::thread([this] { server_->Run(); });
  }

  ~Hub() {
    server_->Stop();
    thread_.join();
    issuer_.reset();
    Check(log_->Close());
  }

  Fetched Send(http::verb verb, std::string target, std::string body = {},
               std::map<std::string, std::string> headers = {}) {
    testing::HttpClient client(port_, *tls_);
    return client.Send(verb, std::move(target), std::move(body), std::move(headers));
  }
  Fetched Get(std::string target) { return Send(http::verb::get, std::move(target)); }
  // A multipart/form-data POST, as the page's form sends it.
  Fetched Post(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [disposition, value] : fields)
      body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; " + disposition +
              "\r\n\r\n" + value + "\r\n";
    body += std::string("--") + kBoundary + "--\r\n";
    return Send(http::verb::post, "/verify", body,
                {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}});
  }
  Fetched Paste(const std::string& credential) { return Post({{"name=\"credential\"", credential}}); }

  const std::string& badge() const { return badge_; }
  const std::string& hostile() const { return hostile_; }
  const std::string& revoked() const { return revoked_; }

 private:
  static void Check(const Status& s) {
    if (!s.ok()) throw std::runtime_error(s.ToString());
  }
  template <class T>
  static T Take(Result<T> r) {
    Check(r.status());
    return std::move(*r);
  }

  static bj::object Badge(const std::string& achievement, const std::string& holder) {
    bj::object badge =
        testing::ReadJson(testing::SharedDir() / "standards/ob3/spec-examples/basicOpenBadgeCredential.json")
            .as_object();
    badge.erase("id");
    badge["issuer"].as_object().erase("id");
    bj::object& subject = badge["credentialSubject"].as_object();
    subject["achievement"].as_object()["name"] = achievement;
    subject["achievement"].as_object()["description"] = "About " + achievement;
    subject["identifier"] = bj::array{bj::object{
        {"type", "IdentityObject"}, {"identityType", "name"}, {"hashed", false}, {"identityHash", holder}}};
    return badge;
  }

  std::string Issue(const bj::object& unsigned_credential) {
    auto issued = Take(issuer_->Issue(unsigned_credential, "cc", credentials::IssueSuite::kEddsaRdfc2022, Now()));
    return credentials::FormatSignedCredential(issued.credential);
  }

  testing::TempDir dir_;
  std::unique_ptr<ledger::Log> log_;
  std::unique_ptr<credentials::CredentialService> issuer_;
  std::shared_ptr<const credentials::OfflineSources> offline_;
  std::unique_ptr<auth::Auth> auth_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
  // Last, so drained first, while the server's objects live.
  auth::WorkerPool workers_{2, 64};
  std::string badge_, hostile_, revoked_;
};

std::string Verdict(const Fetched& f) {
  const std::string& body = f.res.body();
  size_t at = body.find("data-verdict=\"");
  if (at == std::string::npos) return "";
  at += 14;
  return body.substr(at, body.find('"', at) - at);
}

// The table row of one check ("signature", "ledger"...).
std::string CheckRow(const Fetched& f, std::string_view key) {
  const std::string& body = f.res.body();
  size_t at = body.find("<tr data-check=\"" + std::string(key) + "\"");
  if (at == std::string::npos) return "";
  return body.substr(at, body.find("</tr>", at) - at);
}

// Every byte percent-encoded, as a form may send it.
std::string FormEncode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) out += "%" + HexEncode(ByteSpan(&c, 1));
  return out;
}

bool Has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

void ExpectHtml(const Fetched& f, int status, std::string_view context = {}) {
  EXPECT_EQ(f.status(), status) << context << ": " << f.res.body().substr(0, 2000);
  EXPECT_EQ(f.header(http::field::content_type), "text/html; charset=utf-8") << context;
  EXPECT_EQ(f.header(http::field::cache_control), "no-store") << context;
  EXPECT_EQ(f.header("X-Content-Type-Options"), "nosniff") << context;
  EXPECT_TRUE(f.res.body().starts_with("<!doctype html>")) << context;
}

class VerifyPageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hub_ = new Hub(); }
  static void TearDownTestSuite() {
    delete hub_;
    hub_ = nullptr;
  }
  static Hub* hub_;
};
Hub* VerifyPageTest::hub_ = nullptr;

TEST_F(VerifyPageTest, TheFormWithStrictHeaders) {
  Fetched f = hub_->Get("/verify");
  ExpectHtml(f, 200);
  std::string csp = f.header("Content-Security-Policy");
  EXPECT_TRUE(csp.starts_with("default-src 'none'; style-src 'sha256-")) << csp;
  EXPECT_TRUE(Has(csp, "form-action 'self'")) << csp;
  EXPECT_TRUE(Has(csp, "frame-ancestors 'none'")) << csp;
  EXPECT_EQ(f.header("Referrer-Policy"), "no-referrer");
  EXPECT_TRUE(Has(f.res.body(), "<form method=\"post\" action=\"/verify\" enctype=\"multipart/form-data\">"));
  EXPECT_FALSE(Has(f.res.body(), "<script"));
  EXPECT_FALSE(Has(f.res.body(), "http://"));   // no outside assets
  EXPECT_FALSE(Has(f.res.body(), "https://"));
  // The CSP's hash is of the page's one stylesheet.
  const std::string& body = f.res.body();
  size_t open = body.find("<style>") + 7;
  std::string css = body.substr(open, body.find("</style>") - open);
  DigestValue d = ThreadDigester(HashAlgorithm::kSha256).Hash(css);
  EXPECT_TRUE(Has(csp, "'sha256-" + Base64Encode(ByteSpan(d.bytes.data(), d.size)) + "'")) << csp;
}

TEST_F(VerifyPageTest, AValidCredentialVerifiesWithEveryCheck) {
  Fetched f = hub_->Paste(hub_->badge());
  ExpectHtml(f, 200);
  EXPECT_EQ(Verdict(f), "verified");
  for (std::string_view key : {"format", "signature", "issuer", "trust", "dates", "revocation", "suspension", "ledger"})
    EXPECT_TRUE(Has(CheckRow(f, key), "class=\"mark valid\"")) << key << ": " << CheckRow(f, key);
  // Entry 0 is the college key's key.added, logged before it signed.
  EXPECT_TRUE(Has(CheckRow(f, "ledger"), "Recorded in the ledger as entry 1"));
  EXPECT_TRUE(Has(f.res.body(), "<dd id=\"holder\">Ana Lopez</dd>"));
  EXPECT_TRUE(Has(f.res.body(), "<h3>Teamwork</h3>"));
  EXPECT_TRUE(Has(f.res.body(), "did:web:localhost%3A8443:orgs:cc"));
}

TEST_F(VerifyPageTest, RevokedAndTamperedAreNotValid) {
  Fetched revoked = hub_->Paste(hub_->revoked());
  ExpectHtml(revoked, 200);
  EXPECT_EQ(Verdict(revoked), "not-valid");
  EXPECT_TRUE(Has(CheckRow(revoked, "revocation"), "class=\"mark invalid\"")) << CheckRow(revoked, "revocation");
  EXPECT_TRUE(Has(CheckRow(revoked, "revocation"), "The credential was revoked by"));
  EXPECT_TRUE(Has(CheckRow(revoked, "signature"), "class=\"mark valid\""));

  bj::object tampered = bj::parse(hub_->badge()).as_object();
  tampered["name"] = "Leadership Badge";
  Fetched f = hub_->Paste(bj::serialize(tampered));
  EXPECT_EQ(Verdict(f), "not-valid");
  EXPECT_TRUE(Has(CheckRow(f, "signature"), "class=\"mark invalid\"")) << CheckRow(f, "signature");
  EXPECT_TRUE(Has(CheckRow(f, "ledger"), "class=\"mark invalid\"")) << CheckRow(f, "ledger");
}

TEST_F(VerifyPageTest, EveryPieceOfCredentialTextIsEscaped) {
  Fetched f = hub_->Paste(hub_->hostile());
  ExpectHtml(f, 200);
  EXPECT_EQ(Verdict(f), "verified");  // genuine: the issuer wrote that text
  const std::string& body = f.res.body();
  EXPECT_FALSE(Has(body, "<script")) << body;
  EXPECT_FALSE(Has(body, "' onmouseover='")) << body;
  EXPECT_FALSE(Has(body, "<b>")) << body;
  EXPECT_TRUE(Has(body, "<h3>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y&#39; &amp; more</h3>"));
  EXPECT_TRUE(Has(body, "<dd id=\"holder\">&lt;script&gt;"));
  EXPECT_TRUE(Has(body, "Lakeview &lt;b&gt;&quot;Community&quot;&lt;/b&gt; &amp; College"));
}

TEST_F(VerifyPageTest, ACredentialFromElsewhereCannotBeFullyChecked) {
  std::string vector =
      testing::ReadFile(testing::SharedDir() / "standards/ob3/impl-guide-test-vector/signed-credential.json");
  Fetched f = hub_->Paste(vector);
  ExpectHtml(f, 200);
  EXPECT_EQ(Verdict(f), "unchecked");
  EXPECT_TRUE(Has(CheckRow(f, "signature"), "class=\"mark indeterminate\"")) << CheckRow(f, "signature");
  EXPECT_TRUE(Has(CheckRow(f, "ledger"), "did not issue this credential")) << CheckRow(f, "ledger");
  EXPECT_TRUE(Has(CheckRow(f, "ledger"), "class=\"mark indeterminate\""));
}

TEST_F(VerifyPageTest, UploadsUrlEncodedFormsAndLinks) {
  Fetched file = hub_->Post({{"name=\"credential\"", ""},
                             {"name=\"file\"; filename=\"badge.json\"\r\nContent-Type: application/json",
                              hub_->badge()}});
  ExpectHtml(file, 200);
  EXPECT_EQ(Verdict(file), "verified");

  Fetched form = hub_->Send(http::verb::post, "/verify", "credential=" + FormEncode(hub_->revoked()),
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
  ExpectHtml(form, 200);
  EXPECT_EQ(Verdict(form), "not-valid");

  Fetched link = hub_->Get("/verify?vc=" + Base64UrlEncode(AsBytes(hub_->badge())));
  ExpectHtml(link, 200);
  EXPECT_EQ(Verdict(link), "verified");
  // The result links to itself the same way.
  EXPECT_TRUE(Has(link.res.body(), "href=\"/verify?vc=" + Base64UrlEncode(AsBytes(hub_->badge())) + "\""));
  // And shows that link, under the hub's base URL, as a QR code.
  EXPECT_TRUE(Has(link.res.body(), "<svg class=\"qr\" viewBox=\"0 0 "));
}

TEST_F(VerifyPageTest, BadInputGetsAnHtmlErrorWithA4xx) {
  struct Case {
    std::string name;
    int status;
    Fetched f;
  };
  std::string big(kMaxPageCredential + 1, ' ');
  big.replace(0, 1, "{");
  std::vector<Case> cases;
  cases.push_back({"empty paste", 400, hub_->Paste("  \r\n ")});
  cases.push_back({"not JSON", 400, hub_->Paste("{\"type\": [\"VerifiableCredential\",]}")});
  cases.push_back({"too large", 413, hub_->Paste(big)});
  cases.push_back({"paste and file", 400,
                   hub_->Post({{"name=\"credential\"", hub_->badge()},
                               {"name=\"file\"; filename=\"b.json\"", hub_->badge()}})});
  cases.push_back({"unknown field", 400, hub_->Post({{"name=\"other\"", "x"}})});
  cases.push_back({"repeated field", 400,
                   hub_->Post({{"name=\"credential\"", "x"}, {"name=\"credential\"", "y"}})});
  cases.push_back({"json body", 415,
                   hub_->Send(http::verb::post, "/verify", hub_->badge(), {{"Content-Type", "application/json"}})});
  cases.push_back({"no content type", 415, hub_->Send(http::verb::post, "/verify", hub_->badge())});
  cases.push_back({"no boundary", 400,
                   hub_->Send(http::verb::post, "/verify", "x", {{"Content-Type", "multipart/form-data"}})});
  cases.push_back({"unclosed multipart", 400,
                   hub_->Send(http::verb::post, "/verify",
                              std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"credential\"\r\n\r\n{",
                              {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}})});
  cases.push_back({"bad form escape", 400,
                   hub_->Send(http::verb::post, "/verify", "credential=%zz",
                              {{"Content-Type", "application/x-www-form-urlencoded"}})});
  cases.push_back({"link not base64url", 400, hub_->Get("/verify?vc=not*base64")});
  cases.push_back({"link to garbage", 400, hub_->Get("/verify?vc=" + Base64UrlEncode(AsBytes("\x01\x02garbage")))});
  for (const Case& c : cases) {
    ExpectHtml(c.f, c.status, c.name);
    EXPECT_TRUE(Has(c.f.res.body(), "id=\"error\"")) << c.name;
    EXPECT_TRUE(Has(c.f.res.body(), "<form method=\"post\"")) << c.name;  // try again
  }
  // Past the server's body limit: its own 413 (problem+json), before the page.
  Fetched huge = hub_->Paste(std::string(1 << 20, 'x'));
  EXPECT_EQ(huge.status(), 413);
  // Query parameters other than vc are the router's 400.
  EXPECT_EQ(hub_->Get("/verify?credential=x").status(), 400);
}

TEST_F(VerifyPageTest, MalformedCredentialsNeverGetA5xx) {
  std::string deep(5000, '[');
  std::vector<std::string> inputs = {
      deep,
      "[1, 2, 3]",
      "{}",
      "{\"@context\": 5, \"type\": {}, \"issuer\": [], \"credentialSubject\": \"x\"}",
      "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\"],"
      "\"issuer\":\"did:key:z6Mkfoo\",\"credentialSubject\":{\"verifiableCredential\":[1,\"a.b.c\",{}]},"
      "\"credentialStatus\":[{\"type\":\"BitstringStatusListEntry\",\"statusListCredential\":\"https://x\"}],"
      "\"proof\":{\"type\":\"DataIntegrityProof\"}}",
      "a.b.c",
      "eyJhbGciOiJFZERTQSJ9.eyJ0eXBlIjoxfQ.AAAA",
      std::string("{\"name\": \"\xff\xfe\"}"),
      std::string("{\"name\": \"a\0b\"}", 14),
      "{\"validFrom\": 1e999999}",
  };
  for (const std::string& input : inputs) {
    Fetched f = hub_->Paste(input);
    EXPECT_LT(f.status(), 500) << input.substr(0, 80) << ": " << f.res.body().substr(0, 500);
    EXPECT_GE(f.status(), 200) << input.substr(0, 80);
    EXPECT_NE(Verdict(f), "verified") << input.substr(0, 80);
  }
  EXPECT_EQ(Verdict(hub_->Paste(hub_->badge())), "verified");  // still serving
}

TEST(VerifyPageRateLimitTest, OneAddressIsLimited) {
  Hub hub({.per_second = 0.01, .burst = 2});
  EXPECT_EQ(hub.Get("/verify").status(), 200);
  EXPECT_EQ(hub.Paste(hub.badge()).status(), 200);
  testing::ExpectProblem(hub.Paste(hub.badge()), 429);
}

}  // namespace
}  // namespace pathbridge::gateway
