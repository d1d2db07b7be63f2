#include "gateway/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

namespace pathbridge::gateway {
namespace {

constexpr std::array<std::string_view, 8> kMethods = {"GET",   "HEAD",    "POST",  "PUT",
                                                      "DELETE", "PATCH", "OPTIONS", "OTHER"};
constexpr std::array<std::string_view, 3> kOutcomes = {"verified", "invalid", "indeterminate"};
constexpr int kMinStatus = 100;
constexpr int kStatuses = 500;  // 100..599, what the server sends

// Request latencies: sub-millisecond reads to multi-second verifications.
std::vector<double> RequestBounds() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}
// Appends wait for a group commit (an fsync): milliseconds.
std::vector<double> AppendBounds() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
}

// Counts as integers ("40000", not "4e+04"); other values shortest, and
// fixed where %g would be ("0.0005", not "5e-04").
void AppendNumber(std::string& out, double v) {
  if (std::abs(v) < 9e15 && v == std::trunc(v)) {
    out += std::to_string(static_cast<int64_t>(v));
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general);
  out.append(buf, r.ptr);
}

// A label value per the exposition format: \, " and newline escaped.
void AppendLabelValue(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
}

void AppendHeader(std::string& out, std::string_view name, std::string_view type,
                  std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void AppendSample(std::string& out, std::string_view name, std::string_view labels, double v) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out += ' ';
  AppendNumber(out, v);
  out += '\n';
}

std::string RouteLabel(std::string_view route) {
  std::string labels = "route=\"";
  AppendLabelValue(labels, route);
  return labels + "\"";
}

}  // namespace

std::string_view MethodLabel(std::string_view method) {
  for (auto m : kMethods)
    if (m == method) return m;
  return kMethods.back();
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i] = 0;
}

void Histogram::Observe(std::chrono::steady_clock::duration d) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  if (ns < 0) ns = 0;
  double seconds = static_cast<double>(ns) / 1e9;
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin();
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<uint64_t>(ns), std::memory_order_relaxed);
}

uint64_t Histogram::Count() const {
  uint64_t n = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) n += counts_[i].load(std::memory_order_relaxed);
  return n;
}

void Histogram::Render(std::string& out, std::string_view name, std::string_view labels) const {
  std::string prefix = labels.empty() ? "" : std::string(labels) + ",";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    std::string le = prefix + "le=\"";
    if (i < bounds_.size()) {
      AppendNumber(le, bounds_[i]);
    } else {
      le += "+Inf";
    }
    AppendSample(out, std::string(name) + "_bucket", le + "\"", static_cast<double>(cumulative));
  }
  AppendSample(out, std::string(name) + "_sum", labels,
               static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9);
  // From the buckets, so that _count equals the +Inf bucket in this scrape.
  AppendSample(out, std::string(name) + "_count", labels, static_cast<double>(cumulative));
}

// One route's counters, preallocated for each of its methods and every
// status, so recording never allocates or locks.
struct Metrics::RouteSeries {
  RouteSeries(std::string r, std::vector<std::string_view> m)
      : route(std::move(r)),
        methods(std::move(m)),
        counts(new std::atomic<uint64_t>[methods.size() * kStatuses]),
        latency(RequestBounds()) {
    for (size_t i = 0; i < methods.size() * kStatuses; ++i) counts[i] = 0;
  }
  std::string route;
  std::vector<std::string_view> methods;  // labels, from kMethods
  std::unique_ptr<std::atomic<uint64_t>[]> counts;
  Histogram latency;
};

Metrics::Metrics() : ledger_append_(AppendBounds()) {
  series_.push_back(std::make_unique<RouteSeries>(
      std::string(kUnmatchedRoute), std::vector<std::string_view>(kMethods.begin(), kMethods.end())));
}

Metrics::~Metrics() = default;

void Metrics::SetRoutes(const std::vector<Router::RouteInfo>& routes) {
  std::map<std::string, std::set<std::string_view>> methods;  // sorted: stable output
  for (const auto& r : routes) {
    auto& m = methods[r.pattern];
    m.insert(MethodLabel(r.method));
    if (r.method == "GET") m.insert("HEAD");  // the router answers HEAD with GET routes
  }
  series_.resize(1);
  by_route_.clear();
  for (auto& [route, m] : methods) {
    series_.push_back(std::make_unique<RouteSeries>(
        route, std::vector<std::string_view>(m.begin(), m.end())));
    by_route_[route] = series_.back().get();
  }
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

void Metrics::CountVerification(VerificationOutcome outcome) {
  verifications_[static_cast<size_t>(outcome)].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::CountVerification(const credentials::VerificationReport& report) {
  if (report.verified()) return CountVerification(VerificationOutcome::kVerified);
  for (const auto& c : report.checks())
    if (c.outcome == credentials::Outcome::kInvalid) return CountVerification(VerificationOutcome::kInvalid);
  CountVerification(VerificationOutcome::kIndeterminate);
}

void Metrics::ObserveLedgerAppend(std::chrono::steady_clock::duration d) {
  ledger_append_.Observe(d);
}

void Metrics::ConnectionOpened() {
  connections_open_.fetch_add(1, std::memory_order_relaxed);
  connections_accepted_.fetch_add(1, std::memory_order_relaxed);
}
void Metrics::ConnectionClosed() { connections_open_.fetch_sub(1, std::memory_order_relaxed); }
void Metrics::ConnectionRefused() { connections_refused_.fetch_add(1, std::memory_order_relaxed); }
void Metrics::RequestStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }

Metrics::RouteSeries& Metrics::SeriesFor(const std::string& route) {
  if (route.empty()) return *series_[0];
  auto it = by_route_.find(route);
  return it == by_route_.end() ? *series_[0] : *it->second;
}

void Metrics::RequestFinished(const Request& request, const RequestOutcome& outcome) {
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  RouteSeries* s = &SeriesFor(request.route);
  std::string_view method = MethodLabel(request.method);
  auto m = std::find(s->methods.begin(), s->methods.end(), method);
  if (m == s->methods.end()) {  // a route added after SetRoutes
    s = series_[0].get();
    m = std::find(s->methods.begin(), s->methods.end(), method);
  }
  int status = std::clamp(outcome.status, kMinStatus, kMinStatus + kStatuses - 1);
  size_t at = static_cast<size_t>(m - s->methods.begin()) * kStatuses +
              static_cast<size_t>(status - kMinStatus);
  s->counts[at].fetch_add(1, std::memory_order_relaxed);
  s->latency.Observe(outcome.duration);
}

std::string Metrics::Render() const {
  std::string out;
  out.reserve(16 << 10);
  const char* requests = "pathbridge_http_requests_total";
  AppendHeader(out, requests, "counter", "HTTP requests answered, by route pattern, method and status.");
  for (const auto& s : series_) {
    for (size_t m = 0; m < s->methods.size(); ++m) {
      for (int st = 0; st < kStatuses; ++st) {
        uint64_t n = s->counts[m * kStatuses + st].load(std::memory_order_relaxed);
        if (n == 0) continue;
        std::string labels = RouteLabel(s->route) + ",method=\"" + std::string(s->methods[m]) +
                             "\",status=\"" + std::to_string(kMinStatus + st) + "\"";
        AppendSample(out, requests, labels, static_cast<double>(n));
      }
    }
  }
  const char* duration = "pathbridge_http_request_duration_seconds";
  AppendHeader(out, duration, "histogram",
               "Time from a request being read to its response being written, by route pattern.");
  for (const auto& s : series_)
    if (s->latency.Count() > 0) s->latency.Render(out, duration, RouteLabel(s->route));

  auto gauge = [&out](const char* name, const char* type, const char* help, double v) {
    AppendHeader(out, name, type, help);
    AppendSample(out, name, "", v);
  };
  gauge("pathbridge_http_requests_in_flight", "gauge", "Requests read and not yet answered.",
        static_cast<double>(in_flight_.load(std::memory_order_relaxed)));
  gauge("pathbridge_http_connections_open", "gauge", "Open client connections.",
        static_cast<double>(connections_open_.load(std::memory_order_relaxed)));
  gauge("pathbridge_http_connections_accepted_total", "counter", "Client connections accepted.",
        static_cast<double>(connections_accepted_.load(std::memory_order_relaxed)));
  gauge("pathbridge_http_connections_refused_total", "counter",
        "Client connections refused over the connection limit.",
        static_cast<double>(connections_refused_.load(std::memory_order_relaxed)));

  const char* append = "pathbridge_ledger_append_duration_seconds";
  AppendHeader(out, append, "histogram",
               "Time from a ledger append being queued to its durable answer.");
  ledger_append_.Render(out, append, "");

  const char* verifications = "pathbridge_verifications_total";
  AppendHeader(out, verifications, "counter", "Credential verifications, by outcome.");
  for (size_t i = 0; i < kOutcomes.size(); ++i)
    AppendSample(out, verifications, "outcome=\"" + std::string(kOutcomes[i]) + "\"",
                 static_cast<double>(verifications_[i].load(std::memory_order_relaxed)));

  for (const auto& g : gauges_) {
    AppendHeader(out, g.name, "gauge", g.help);
    AppendSample(out, g.name, "", g.read());
  }
  return out;
}

}  // namespace pathbridge::gateway
