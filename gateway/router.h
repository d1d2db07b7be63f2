// Method + path routing for the gateway. Patterns are literal segments,
// "{name}" (one segment) and a final "{name...}" (one or more segments).
//
// The router only accepts canonical origin-form targets: a path of
// non-empty segments of RFC 3986 path characters, no "." or "..", no
// percent-escapes (so "%2e%2e", "%2f" and "%00" cannot smuggle anything),
// no "//", no trailing slash; anything else is 400 before any route is
// looked at. Queries are parsed strictly: name=value pairs, valid escapes,
// no repeats, and only the names a route declares (else 400).
// No match is 404; a path match with another method is 405 with Allow. A
// HEAD request runs the GET route (the server drops the body).
//
// Every matched route passes the guard (SetGuard) before its handler: it
// authenticates scoped routes and rate-limits. Without a guard, scoped
// routes are refused (403): nothing could authorize them.
//
// Thread-safety: configure (Add, SetGuard) before serving; Dispatch is then
// safe from any number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/http.h"
#include "standards/status.h"

namespace pathbridge::gateway {

inline constexpr size_t kMaxTargetLength = 4096;

struct RouteOptions {
  // Every member has a default, so designated initializers may name any.
  std::vector<std::string> query = {};  // the query parameter names this route accepts
  // The scope the caller's access token must carry (gateway/auth/scopes.h),
  // e.g. "admin"; empty: open to anyone. Handlers read request.principal.
  std::string scope = {};
  // An open route that costs the server (verification): the guard limits
  // how often one client address may call it.
  bool rate_limited = false;
  // Large uploads: the server reads the header, routes it and runs the
  // guard (Preflight) before reading the body, then spools the body to a
  // file (Request::body_file) of at most max_file_body_bytes instead of
  // holding it in memory under ServerOptions::max_body_bytes.
  bool body_to_file = false;
  uint64_t max_file_body_bytes = uint64_t{2} << 30;
};

// standards' ParseCanonicalDecimal, with `what` also as the error's location.
Result<uint64_t> ParseDecimal(std::string_view text, std::string_view what);

// Splits and validates a request target (see the rules above). The path
// keeps its leading '/'; the query is decoded.
struct ParsedTarget {
  std::string path;
  std::map<std::string, std::string> query;
};
Result<ParsedTarget> ParseTarget(std::string_view target);

class Router {
 public:
  // Runs after routing, before the handler: nullopt lets the handler run
  // (having set request.principal for a scoped route); a response (401,
  // 403, 429...) is sent instead. Called from any io thread.
  using Guard = std::function<std::optional<Response>(Request&, const RouteOptions&)>;

  Router();

  // `pattern` starts with '/'. Later duplicates of a method+pattern lose.
  void Add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
  void SetGuard(Guard guard);

  // What is registered, in order (for /metrics labels and the OpenAPI check).
  struct RouteInfo {
    std::string method;
    std::string pattern;  // as given to Add
    RouteOptions options;
  };
  std::vector<RouteInfo> Routes() const;

  // Fills request.path, params and query, then runs the handler or answers
  // the 4xx itself. Exceptions from handlers become a 500 problem.
  void Dispatch(Request& request, Reply reply) const;

  // For the server, from a request's header alone: the options of the
  // route the request reaches, or nullptr (Dispatch will answer).
  const RouteOptions* OptionsFor(std::string_view method, std::string_view target) const;
  // Dispatch without the handler: fills the request as Dispatch does and
  // returns the answer it would give before the handler (a 4xx from the
  // target, the query or the guard), or nullopt. Lets the server refuse
  // an upload before reading it; Dispatch checks again after.
  std::optional<Response> Preflight(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{x}" and "{x...}" kept as written
    Handler handler;
    RouteOptions options;
  };
  static bool Match(const Route& route, const std::vector<std::string_view>& path,
                    std::map<std::string, std::string>* params);
  const Route* Find(std::string_view method, const std::vector<std::string_view>& path,
                    std::map<std::string, std::string>* params, std::string* allow) const;
  // Routing, query and guard checks: the route to run, or the answer.
  const Route* Resolve(Request& request, std::optional<Response>* answer) const;

  std::vector<Route> routes_;
  Guard guard_;
};

}  // namespace pathbridge::gateway
