// The operations routes:
//
//   GET /readyz        200 JSON {"status":"ready","checks":{...}}, or a 503
//                      problem naming what failed (gateway/readiness.h)
//   GET /metrics       Prometheus text format 0.0.4 (gateway/metrics.h);
//                      who may read it: MetricsAccess
//   GET /openapi.json  the OpenAPI 3.1 document (gateway/openapi.h)
//
// (GET /healthz, liveness, is among the ledger routes.)
//
// Thread-safety: the handlers run on any thread at once; the Readiness and
// Metrics must outlive the Router.
#pragma once

#include <string_view>

#include "gateway/metrics.h"
#include "gateway/readiness.h"
#include "gateway/router.h"
#include "standards/status.h"

namespace pathbridge::gateway {

// Who may read /metrics. Loopback (the default) suits a Prometheus agent on
// the same host; open suits a private network; admin needs a token with the
// admin scope (Prometheus' oauth2 client credentials config can get one).
enum class MetricsAccess { kLoopback, kOpen, kAdmin };

// "loopback", "open" or "admin"; InvalidArgument otherwise.
Result<MetricsAccess> ParseMetricsAccess(std::string_view text);

// The ledger's size and its checkpoint's, as gauges read at each scrape.
void AddLedgerMetrics(Metrics& metrics, const ledger::Log& log);

void AddOpsRoutes(Router& router, Readiness& readiness, const Metrics& metrics,
                  MetricsAccess metrics_access);

}  // namespace pathbridge::gateway
