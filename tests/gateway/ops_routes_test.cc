// The ops routes through a Router, without a socket: who may read
// /metrics under each access setting, and readyz's answers.
#include "gateway/ops_routes.h"

#include <gtest/gtest.h>

#include "gateway/problem.h"
#include "ledger/ledger_dir.h"
#include "tests/testing/test_util.h"

namespace pathbridge::gateway {
namespace {

class OpsRoutesTest : public ::testing::Test {
 protected:
  OpsRoutesTest() {
    auto log = ledger::OpenLedger(dir_.path());
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    log_ = std::move(*log);
    readiness_ = std::make_unique<Readiness>(*log_, dir_.path());
  }

  Router RouterWith(MetricsAccess access) {
    Router router;
    AddOpsRoutes(router, *readiness_, metrics_, access);
    return router;
  }

  static Response Get(const Router& router, const std::string& target, bool loopback) {
    Request req;
    req.method = "GET";
    req.target = target;
    req.request_id = "req-1";
    req.remote_loopback = loopback;
    std::optional<Response> out;
    router.Dispatch(req, Reply("req-1", [&out](Response r) { out = std::move(r); }));
    EXPECT_TRUE(out.has_value());
    return out.value_or(Response{});
  }

  testing::TempDir dir_;
  std::unique_ptr<ledger::Log> log_;
  std::unique_ptr<Readiness> readiness_;
  Metrics metrics_;
};

TEST_F(OpsRoutesTest, MetricsAreForLoopbackClientsByDefault) {
  Router router = RouterWith(MetricsAccess::kLoopback);
  Response local = Get(router, "/metrics", true);
  EXPECT_EQ(local.status, 200);
  EXPECT_EQ(local.content_type, kMetricsContentType);
  EXPECT_NE(local.body.find("# TYPE pathbridge_http_requests_total counter"), std::string::npos);
  Response remote = Get(router, "/metrics", false);
  EXPECT_EQ(remote.status, 403);
  EXPECT_EQ(remote.content_type, kProblemContentType);
}

TEST_F(OpsRoutesTest, OpenAndAdminMetrics) {
  EXPECT_EQ(Get(RouterWith(MetricsAccess::kOpen), "/metrics", false).status, 200);
  Router admin = RouterWith(MetricsAccess::kAdmin);
  for (const auto& r : admin.Routes())
    EXPECT_EQ(r.options.scope, r.pattern == "/metrics" ? "admin" : "") << r.pattern;
  // Without a guard nothing can authorize a scoped route.
  EXPECT_EQ(Get(admin, "/metrics", true).status, 403);
  EXPECT_EQ(*ParseMetricsAccess("admin"), MetricsAccess::kAdmin);
  EXPECT_FALSE(ParseMetricsAccess("public").ok());
}

TEST_F(OpsRoutesTest, ReadyzAndOpenApi) {
  Router router = RouterWith(MetricsAccess::kLoopback);
  Response ready = Get(router, "/readyz", false);
  EXPECT_EQ(ready.status, 200);
  EXPECT_NE(ready.body.find("\"status\":\"ready\""), std::string::npos);
  readiness_->SetDraining();
  Response draining = Get(router, "/readyz", false);
  EXPECT_EQ(draining.status, 503);
  EXPECT_NE(draining.body.find("shutdown: the server is shutting down"), std::string::npos);
  Response doc = Get(router, "/openapi.json", false);
  EXPECT_EQ(doc.status, 200);
  EXPECT_EQ(doc.content_type, "application/json");
  EXPECT_EQ(doc.body, testing::ReadFile(testing::SourceDir() / "docs" / "openapi.json"));
}

}  // namespace
}  // namespace pathbridge::gateway
