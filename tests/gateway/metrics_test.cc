// Metrics: what the observer calls record and how Render writes them in
// the Prometheus text format, without a socket.
#include "gateway/metrics.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <thread>
#include <vector>

namespace pathbridge::gateway {
namespace {

using namespace std::chrono_literals;

Router TwoRoutes() {
  Router router;
  router.Add("GET", "/ledger/entries/{index}/proof", [](const Request&, Reply) {});
  router.Add("POST", "/ledger/entries", [](const Request&, Reply) {});
  return router;
}

void Finish(Metrics& m, std::string method, std::string route, int status,
            std::chrono::steady_clock::duration d = 1ms) {
  Request req;
  req.method = std::move(method);
  req.route = std::move(route);
  m.RequestStarted();
  m.RequestFinished(req, {.status = status, .body_bytes = 10, .duration = d, .written = true});
}

// The sample lines "name{labels} value", as a map.
std::map<std::string, std::string> Samples(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.rfind(' ');
    out[line.substr(0, space)] = line.substr(space + 1);
  }
  return out;
}

TEST(MetricsTest, CountsRequestsByRoutePatternMethodAndStatus) {
  Metrics m;
  m.SetRoutes(TwoRoutes().Routes());
  Finish(m, "GET", "/ledger/entries/{index}/proof", 200);
  Finish(m, "GET", "/ledger/entries/{index}/proof", 200);
  Finish(m, "HEAD", "/ledger/entries/{index}/proof", 404);
  Finish(m, "POST", "/ledger/entries", 201);
  Finish(m, "BREW", "", 404);  // no route: unmatched, and the method is not echoed
  auto s = Samples(m.Render());
  EXPECT_EQ(s[R"(pathbridge_http_requests_total{route="/ledger/entries/{index}/proof",method="GET",status="200"})"], "2");
  EXPECT_EQ(s[R"(pathbridge_http_requests_total{route="/ledger/entries/{index}/proof",method="HEAD",status="404"})"], "1");
  EXPECT_EQ(s[R"(pathbridge_http_requests_total{route="/ledger/entries",method="POST",status="201"})"], "1");
  EXPECT_EQ(s[R"x(pathbridge_http_requests_total{route="(unmatched)",method="OTHER",status="404"})x"], "1");
  EXPECT_EQ(s["pathbridge_http_requests_in_flight"], "0");
  EXPECT_EQ(m.Render().find("BREW"), std::string::npos);
}

TEST(MetricsTest, LatencyHistogramsAreCumulativePerRoute) {
  Metrics m;
  m.SetRoutes(TwoRoutes().Routes());
  Finish(m, "POST", "/ledger/entries", 201, 300us);
  Finish(m, "POST", "/ledger/entries", 201, 20ms);
  Finish(m, "POST", "/ledger/entries", 201, 30s);
  auto s = Samples(m.Render());
  std::string b = R"(pathbridge_http_request_duration_seconds_bucket{route="/ledger/entries",le=")";
  EXPECT_EQ(s[b + "0.0005\"}"], "1");
  EXPECT_EQ(s[b + "0.01\"}"], "1");
  EXPECT_EQ(s[b + "0.025\"}"], "2");
  EXPECT_EQ(s[b + "10\"}"], "2");
  EXPECT_EQ(s[b + "+Inf\"}"], "3");
  EXPECT_EQ(s[R"(pathbridge_http_request_duration_seconds_count{route="/ledger/entries"})"], "3");
  EXPECT_EQ(s[R"(pathbridge_http_request_duration_seconds_sum{route="/ledger/entries"})"], "30.0203");
  // A route never called has no series.
  EXPECT_EQ(s.count(R"(pathbridge_http_request_duration_seconds_count{route="/ledger/entries/{index}/proof"})"), 0u);
}

TEST(MetricsTest, ConnectionsInFlightLedgerAndVerifications) {
  Metrics m;
  m.ConnectionOpened();
  m.ConnectionOpened();
  m.ConnectionClosed();
  m.ConnectionRefused();
  m.RequestStarted();
  m.ObserveLedgerAppend(3ms);
  m.CountVerification(VerificationOutcome::kVerified);
  m.CountVerification(VerificationOutcome::kVerified);
  m.CountVerification(VerificationOutcome::kIndeterminate);
  m.AddGauge("pathbridge_ledger_entries", "Entries.", [] { return 42.0; });
  auto s = Samples(m.Render());
  EXPECT_EQ(s["pathbridge_http_connections_open"], "1");
  EXPECT_EQ(s["pathbridge_http_connections_accepted_total"], "2");
  EXPECT_EQ(s["pathbridge_http_connections_refused_total"], "1");
  EXPECT_EQ(s["pathbridge_http_requests_in_flight"], "1");
  EXPECT_EQ(s[R"(pathbridge_ledger_append_duration_seconds_bucket{le="0.0025"})"], "0");
  EXPECT_EQ(s[R"(pathbridge_ledger_append_duration_seconds_bucket{le="0.005"})"], "1");
  EXPECT_EQ(s["pathbridge_ledger_append_duration_seconds_count"], "1");
  EXPECT_EQ(s[R"(pathbridge_verifications_total{outcome="verified"})"], "2");
  EXPECT_EQ(s[R"(pathbridge_verifications_total{outcome="invalid"})"], "0");
  EXPECT_EQ(s[R"(pathbridge_verifications_total{outcome="indeterminate"})"], "1");
  EXPECT_EQ(s["pathbridge_ledger_entries"], "42");
}

// A report counts as verified only when every check is valid; a failed
// check makes it invalid, checks that could not run indeterminate.
TEST(MetricsTest, CountsVerificationReportsByOutcome) {
  using credentials::Outcome;
  Metrics m;
  credentials::VerificationReport good, bad, unsure, empty;
  good.Add("signature", Outcome::kValid, "ok");
  bad.Add("signature", Outcome::kValid, "ok");
  bad.Add("status", Outcome::kInvalid, "revoked");
  bad.Add("ledger", Outcome::kIndeterminate, "no receipt");
  unsure.Add("signature", Outcome::kValid, "ok");
  unsure.Add("ledger", Outcome::kIndeterminate, "no receipt");
  for (const auto* r : {&good, &bad, &unsure, &empty}) m.CountVerification(*r);
  auto s = Samples(m.Render());
  EXPECT_EQ(s[R"(pathbridge_verifications_total{outcome="verified"})"], "1");
  EXPECT_EQ(s[R"(pathbridge_verifications_total{outcome="invalid"})"], "1");
  EXPECT_EQ(s[R"(pathbridge_verifications_total{outcome="indeterminate"})"], "2");
}

// Every line is a comment (HELP/TYPE, each metric once) or a sample in the
// exposition format's grammar.
TEST(MetricsTest, RenderFollowsTheTextFormat) {
  Metrics m;
  m.SetRoutes(TwoRoutes().Routes());
  Finish(m, "GET", "/ledger/entries/{index}/proof", 200);
  Finish(m, "DELETE", "", 405);
  std::regex sample(R"re([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*")*\})? [-+0-9.eE]+|[-+]Inf|NaN)re");
  std::regex comment(R"(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+)");
  std::istringstream in(m.Render());
  std::string line;
  std::map<std::string, int> types;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_TRUE(std::regex_match(line, sample) || std::regex_match(line, comment)) << line;
    if (line.starts_with("# TYPE ")) ++types[line.substr(7, line.find(' ', 7) - 7)];
  }
  EXPECT_GT(lines, 20);
  for (const auto& [name, n] : types) EXPECT_EQ(n, 1) << name;
}

TEST(MetricsTest, CountsFromManyThreadsAddUp) {
  Metrics m;
  m.SetRoutes(TwoRoutes().Routes());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&m] {
      for (int i = 0; i < 10000; ++i) Finish(m, "POST", "/ledger/entries", 201);
    });
  for (auto& t : threads) t.join();
  auto s = Samples(m.Render());
  EXPECT_EQ(s[R"(pathbridge_http_requests_total{route="/ledger/entries",method="POST",status="201"})"], "40000");
  EXPECT_EQ(s[R"(pathbridge_http_request_duration_seconds_count{route="/ledger/entries"})"], "40000");
}

}  // namespace
}  // namespace pathbridge::gateway
