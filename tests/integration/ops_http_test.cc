// The operations side of the gateway against a real Server on 127.0.0.1
// over TLS (a development PKI in a temp dir): readiness, metrics, the
// access log, OpenAPI, and the limits operators rely on (connections,
// header size, idle time).
#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <thread>

#include "certs/tls/dev_pki.h"
#include "gateway/access_log.h"
#include "gateway/metrics.h"
#include "gateway/openapi.h"
#include "gateway/ops_routes.h"
#include "gateway/readiness.h"
#include "standards/json.h"
#include "tests/testing/http_testing.h"

namespace pathbridge::gateway {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using testing::ExpectProblem;
using testing::Fetched;
using testing::HttpClient;
using testing::TestOptions;
using testing::TestServer;

// Log lines, kept for the test to read.
struct CapturedLog {
  std::mutex mu;
  std::vector<std::string> lines;
  AccessLog::Sink Sink() {
    return [this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mu);
      lines.emplace_back(line);
    };
  }
  // The parsed line for this request id; waits a little, as the server
  // logs once the response is written, which the client may see first.
  std::optional<boost::json::object> ForRequest(const std::string& request_id) {
    for (int i = 0; i < 100; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu);
        for (const auto& line : lines) {
          auto parsed = json::Parse(line);
          if (parsed.ok() && parsed->as_object().contains("request_id") &&
              testing::Str(parsed->as_object().at("request_id")) == request_id)
            return parsed->as_object();
        }
      }
      std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
  }
  std::string All() {
    std::lock_guard<std::mutex> lock(mu);
    std::string all;
    for (const auto& l : lines) all += l;
    return all;
  }
};

// A TLS TestServer with the ops routes, metrics and an access log.
class OpsServer {
 public:
  explicit OpsServer(const std::filesystem::path& pki_dir,
                     const std::function<void(ServerOptions&)>& adjust = {}) {
    ServerOptions o = TestOptions();
    certs::DevPkiLayout pki(pki_dir);
    o.tls.emplace();
    o.tls->certificate_chain = pki.server_cert;
    o.tls->private_key = pki.server_key;
    o.observers = {metrics_, log_};
    if (adjust) adjust(o);
    server_ = std::make_unique<TestServer>(o, [this](Router& router, ledger::Log& log) {
      readiness_ = std::make_unique<Readiness>(log, data_.path());
      AddLedgerMetrics(*metrics_, log);
      AddOpsRoutes(router, *readiness_, *metrics_, MetricsAccess::kLoopback);
      metrics_->SetRoutes(router.Routes());
    });
    testing::ClientTls trust;
    trust.ca = pki.ca_cert;
    tls_ = std::make_unique<boost::asio::ssl::context>(testing::ClientContext(trust));
  }

  std::unique_ptr<HttpClient> Connect() {
    return std::make_unique<HttpClient>(server_->port(), *tls_);
  }
  Fetched Get(const std::string& target) { return Connect()->Get(target); }
  Fetched Post(const std::string& target, std::string body) {
    return Connect()->Send(http::verb::post, target, std::move(body));
  }

  TestServer& server() { return *server_; }
  Readiness& readiness() { return *readiness_; }
  Metrics& metrics() { return *metrics_; }
  CapturedLog& log() { return *captured_; }

 private:
  testing::TempDir data_;
  std::shared_ptr<Metrics> metrics_ = std::make_shared<Metrics>();
  std::shared_ptr<CapturedLog> captured_ = std::make_shared<CapturedLog>();
  std::shared_ptr<AccessLog> log_ = std::make_shared<AccessLog>(LogFormat::kJson, captured_->Sink());
  std::unique_ptr<Readiness> readiness_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
};

class OpsHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    ASSERT_TRUE(certs::MakeDevPki(dir_->path() / "pki", {}).ok());
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::filesystem::path Pki() { return dir_->path() / "pki"; }
  static inline testing::TempDir* dir_ = nullptr;
};

// The value of the sample `name` (with its labels) in exposition text; -1 if absent.
double Sample(const std::string& text, const std::string& name) {
  size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size() + 2));
}

TEST_F(OpsHttpTest, ReadyzAnswersReadyThenDrains) {
  OpsServer ops(Pki());
  Fetched ready = ops.Get("/readyz");
  ASSERT_EQ(ready.status(), 200) << ready.res.body();
  EXPECT_EQ(ready.header(http::field::content_type), "application/json");
  EXPECT_EQ(ready.header(http::field::cache_control), "no-store");
  auto j = ready.json();
  EXPECT_EQ(j.at("status"), "ready");
  for (const char* check : {"ledger", "checkpoint", "data_dir", "shutdown"})
    EXPECT_EQ(j.at("checks").at(check), "ok") << check;
  EXPECT_EQ(ops.Get("/healthz").status(), 200);

  ops.readiness().SetDraining();  // what SIGTERM does first
  Fetched draining = ops.Get("/readyz");
  ExpectProblem(draining, 503, "draining");
  EXPECT_NE(draining.res.body().find("shutting down"), std::string::npos);
  EXPECT_EQ(ops.Get("/healthz").status(), 200);  // still alive, still serving
  EXPECT_EQ(ops.Get("/ledger/checkpoint").status(), 200);
}

TEST_F(OpsHttpTest, MetricsCountRoutePatternsNotPaths) {
  OpsServer ops(Pki());
  ASSERT_EQ(ops.Post("/ledger/entries", "entry one").status(), 201);
  ASSERT_EQ(ops.Post("/ledger/entries", "entry two").status(), 201);
  ASSERT_TRUE(ops.server().log().AwaitCheckpoint(2, 5s).ok());
  EXPECT_EQ(ops.Get("/ledger/entries/1/proof").status(), 200);
  EXPECT_EQ(ops.Get("/ledger/entries/1/proof").status(), 200);
  EXPECT_EQ(ops.Get("/no/such/thing").status(), 404);
  auto open = ops.Connect();  // stays open while metrics are read
  Fetched m = open->Get("/metrics");
  ASSERT_EQ(m.status(), 200);
  EXPECT_EQ(m.header(http::field::content_type), kMetricsContentType);
  std::string text = "\n" + m.res.body();
  EXPECT_EQ(Sample(text, R"(pathbridge_http_requests_total{route="/ledger/entries/{index}/proof",method="GET",status="200"})"), 2);
  EXPECT_EQ(Sample(text, R"(pathbridge_http_requests_total{route="/ledger/entries",method="POST",status="201"})"), 2);
  EXPECT_EQ(Sample(text, R"x(pathbridge_http_requests_total{route="(unmatched)",method="GET",status="404"})x"), 1);
  EXPECT_EQ(text.find("/ledger/entries/1/proof"), std::string::npos);  // no raw paths
  EXPECT_EQ(text.find("/no/such"), std::string::npos);
  EXPECT_EQ(Sample(text, R"(pathbridge_http_request_duration_seconds_count{route="/ledger/entries"})"), 2);
  EXPECT_EQ(Sample(text, "pathbridge_ledger_entries"), 2);
  EXPECT_EQ(Sample(text, "pathbridge_ledger_checkpoint_entries"), 2);
  EXPECT_EQ(Sample(text, "pathbridge_http_requests_in_flight"), 1);  // this one
  EXPECT_GE(Sample(text, "pathbridge_http_connections_open"), 1);
  EXPECT_GE(Sample(text, "pathbridge_http_connections_accepted_total"), 6);
  EXPECT_EQ(Sample(text, "pathbridge_http_connections_refused_total"), 0);
}

TEST_F(OpsHttpTest, EachRequestIsLoggedWithItsCorrelationIdAndNothingSecret) {
  OpsServer ops(Pki());
  auto c = ops.Connect();
  Fetched proof = c->Send(http::verb::get, "/ledger/proof/inclusion?index=0&size=987654321", {},
                          {{"Authorization", "Bearer tok-do-not-log-me"}});
  EXPECT_EQ(proof.status(), 404);
  Fetched appended = c->Send(http::verb::post, "/ledger/entries", "student: Jane Q. Learner");
  EXPECT_EQ(appended.status(), 201);

  auto line = ops.log().ForRequest(proof.header("X-Request-Id"));
  ASSERT_TRUE(line.has_value()) << ops.log().All();
  EXPECT_EQ(line->at("event"), "request");
  EXPECT_EQ(line->at("level"), "warn");
  EXPECT_EQ(line->at("method"), "GET");
  EXPECT_EQ(line->at("route"), "/ledger/proof/inclusion");
  EXPECT_EQ(line->at("status"), 404);
  EXPECT_EQ(line->at("remote"), "127.0.0.1");
  EXPECT_EQ(line->at("bytes"), static_cast<int64_t>(proof.res.body().size()));
  EXPECT_TRUE(line->at("duration_ms").is_number());

  auto append = ops.log().ForRequest(appended.header("X-Request-Id"));
  ASSERT_TRUE(append.has_value());
  EXPECT_EQ(append->at("status"), 201);
  EXPECT_EQ(append->at("client_id"), "loopback-dev");  // who the guard let in

  std::string all = ops.log().All();
  for (const char* secret : {"tok-do-not-log-me", "987654321", "Jane", "Learner"})
    EXPECT_EQ(all.find(secret), std::string::npos) << secret;
}

TEST_F(OpsHttpTest, TheOpenApiDocumentIsServedAsBuilt) {
  OpsServer ops(Pki());
  Fetched doc = ops.Get("/openapi.json");
  ASSERT_EQ(doc.status(), 200);
  EXPECT_EQ(doc.header(http::field::content_type), "application/json");
  EXPECT_EQ(doc.res.body(), testing::ReadFile(testing::SourceDir() / "docs" / "openapi.json"));
  auto parsed = json::Parse(doc.res.body());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->at("openapi"), "3.1.0");
}

TEST_F(OpsHttpTest, ConnectionsOverTheLimitAreClosedAndCounted) {
  OpsServer ops(Pki(), [](ServerOptions& o) { o.max_connections = 2; });
  auto a = ops.Connect();
  auto b = ops.Connect();
  ASSERT_EQ(a->Get("/healthz").status(), 200);
  ASSERT_EQ(b->Get("/healthz").status(), 200);
  {
    auto c = ops.Connect();  // TLS: closed without a handshake
    EXPECT_TRUE(c->connect_error() || c->Get("/healthz").ec);
  }
  Fetched m = b->Get("/metrics");
  EXPECT_EQ(Sample("\n" + m.res.body(), "pathbridge_http_connections_refused_total"), 1);
  EXPECT_EQ(Sample("\n" + m.res.body(), "pathbridge_http_connections_open"), 2);
  a.reset();  // a slot frees once the server notices
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    status = ops.Get("/healthz").status();
    if (status != 200) std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(status, 200);
}

TEST_F(OpsHttpTest, OversizedHeadersAre431OverTls) {
  OpsServer ops(Pki(), [](ServerOptions& o) { o.max_header_bytes = 4096; });
  auto c = ops.Connect();
  Fetched f = c->Send(http::verb::get, "/healthz", {}, {{"X-Big", std::string(8000, 'a')}});
  ExpectProblem(f, 431, "big header");
  EXPECT_EQ(ops.Get("/healthz").status(), 200);
}

TEST_F(OpsHttpTest, IdleKeptAliveConnectionsAreClosed) {
  OpsServer ops(Pki(), [](ServerOptions& o) { o.idle_timeout = 1s; });
  auto c = ops.Connect();
  ASSERT_EQ(c->Get("/healthz").status(), 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c->ClosedByPeerWithin(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 500ms);
  EXPECT_EQ(ops.Get("/healthz").status(), 200);
}

}  // namespace
}  // namespace pathbridge::gateway
