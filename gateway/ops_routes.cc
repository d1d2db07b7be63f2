#include "gateway/ops_routes.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "gateway/auth/scopes.h"
#include "gateway/openapi.h"
#include "gateway/problem.h"

namespace pathbridge::gateway {
namespace {

void NoStore(Response& r) { r.headers.emplace_back("Cache-Control", "no-store"); }

Response Ready(Readiness& readiness, const Request& request) {
  boost::json::object checks;
  std::string failed;
  for (const auto& c : readiness.Evaluate()) {
    checks[c.name] = c.problem.empty() ? "ok" : c.problem;
    if (c.problem.empty()) continue;
    if (!failed.empty()) failed += "; ";
    failed += c.name + ": " + c.problem;
  }
  if (!failed.empty()) return Problem(503, "not ready: " + failed, request.request_id);
  Response r;
  r.content_type = "application/json";
  r.body = boost::json::serialize(boost::json::object{{"status", "ready"}, {"checks", checks}});
  NoStore(r);
  return r;
}

Response MetricsText(const Metrics& metrics, MetricsAccess access, const Request& request) {
  if (access == MetricsAccess::kLoopback && !request.remote_loopback)
    return Problem(403, "metrics are served to loopback clients only", request.request_id);
  Response r;
  r.content_type = std::string(kMetricsContentType);
  r.body = metrics.Render();
  NoStore(r);
  return r;
}

}  // namespace

Result<MetricsAccess> ParseMetricsAccess(std::string_view text) {
  if (text == "loopback") return MetricsAccess::kLoopback;
  if (text == "open") return MetricsAccess::kOpen;
  if (text == "admin") return MetricsAccess::kAdmin;
  return InvalidArgument("metrics access is loopback, open or admin", "metrics_access");
}

void AddLedgerMetrics(Metrics& metrics, const ledger::Log& log) {
  metrics.AddGauge("pathbridge_ledger_entries", "Durable entries in the ledger.",
                   [&log] { return static_cast<double>(log.Size()); });
  metrics.AddGauge("pathbridge_ledger_checkpoint_entries",
                   "Entries covered by the latest signed checkpoint.", [&log] {
                     auto cp = log.LatestCheckpoint();
                     return cp ? static_cast<double>(cp->size) : 0.0;
                   });
}

void AddOpsRoutes(Router& router, Readiness& readiness, const Metrics& metrics,
                  MetricsAccess metrics_access) {
  router.Add("GET", "/readyz", [&readiness](const Request& request, Reply reply) {
    reply(Ready(readiness, request));
  });
  RouteOptions metrics_options;
  if (metrics_access == MetricsAccess::kAdmin) metrics_options.scope = std::string(auth::kScopeAdmin);
  router.Add(
      "GET", "/metrics",
      [&metrics, metrics_access](const Request& request, Reply reply) {
        reply(MetricsText(metrics, metrics_access, request));
      },
      metrics_options);
  router.Add("GET", "/openapi.json", [](const Request&, Reply reply) {
    Response r;
    r.content_type = "application/json";
    r.body = std::string(OpenApiDocument());
    r.headers.emplace_back("Cache-Control", "no-cache");
    reply(std::move(r));
  });
}

}  // namespace pathbridge::gateway
