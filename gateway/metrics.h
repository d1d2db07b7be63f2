// The gateway's metrics, served by GET /metrics in the Prometheus text
// exposition format 0.0.4:
//
//   pathbridge_http_requests_total{route,method,status}      counter
//   pathbridge_http_request_duration_seconds{route}          histogram
//   pathbridge_http_requests_in_flight                       gauge
//   pathbridge_http_connections_open                         gauge
//   pathbridge_http_connections_accepted_total               counter
//   pathbridge_http_connections_refused_total                counter (over the limit)
//   pathbridge_ledger_append_duration_seconds                histogram
//   pathbridge_verifications_total{outcome}                  counter
//   and the gauges added with AddGauge (the ledger's size...).
//
// `route` is the matched pattern ("/ledger/entries/{index}/proof"), never
// the raw path, so label sets stay bounded and carry no identifiers;
// requests that match no route count under route="(unmatched)". Methods
// outside the common ones count as method="OTHER".
//
// Thread-safety: SetRoutes and AddGauge before serving; everything else from
// any thread at once. Recording is lock-free (relaxed atomics, preallocated
// series), so the io threads never wait on each other for it.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gateway/router.h"
#include "gateway/server.h"
#include "ledger/credentials/verification_report.h"

namespace pathbridge::gateway {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";
inline constexpr std::string_view kUnmatchedRoute = "(unmatched)";

// `method` if it is one of the common HTTP methods, else "OTHER": a label
// and log value a client cannot make arbitrary.
std::string_view MethodLabel(std::string_view method);

// Cumulative buckets over fixed bounds, in seconds.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(std::chrono::steady_clock::duration d);
  // The _bucket, _sum and _count lines; `labels` is "" or `k="v",...`.
  void Render(std::string& out, std::string_view name, std::string_view labels) const;
  uint64_t Count() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // per bucket, +Inf last; not cumulative
  std::atomic<uint64_t> sum_ns_{0};
};

enum class VerificationOutcome { kVerified, kInvalid, kIndeterminate };

class Metrics : public ServerObserver {
 public:
  Metrics();
  ~Metrics() override;

  // The routes requests are labelled with (Router::Routes()).
  void SetRoutes(const std::vector<Router::RouteInfo>& routes);
  // A gauge read when /metrics is scraped; `read` must be thread-safe.
  void AddGauge(std::string name, std::string help, std::function<double()> read);

  void CountVerification(VerificationOutcome outcome);
  // Counts a report: verified, invalid (a check failed) or indeterminate.
  void CountVerification(const credentials::VerificationReport& report);
  void ObserveLedgerAppend(std::chrono::steady_clock::duration d);

  // The exposition text.
  std::string Render() const;

  // ServerObserver.
  void ConnectionOpened() override;
  void ConnectionClosed() override;
  void ConnectionRefused() override;
  void RequestStarted() override;
  void RequestFinished(const Request& request, const RequestOutcome& outcome) override;

 private:
  struct RouteSeries;
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };

  RouteSeries& SeriesFor(const std::string& route);

  std::vector<std::unique_ptr<RouteSeries>> series_;  // [0]: unmatched
  std::unordered_map<std::string, RouteSeries*> by_route_;
  std::vector<Gauge> gauges_;
  std::atomic<int64_t> in_flight_{0};
  std::atomic<int64_t> connections_open_{0};
  std::atomic<uint64_t> connections_accepted_{0};
  std::atomic<uint64_t> connections_refused_{0};
  Histogram ledger_append_;
  std::array<std::atomic<uint64_t>, 3> verifications_{};
};

}  // namespace pathbridge::gateway
