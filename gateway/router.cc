#include "gateway/router.h"

#include <algorithm>
#include <exception>

#include "gateway/problem.h"
#include "gateway/url_encoded.h"
#include "standards/encoding.h"

namespace pathbridge::gateway {
namespace {

std::string Offset(size_t pos) { return "offset " + std::to_string(pos); }

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 3986 pchar without pct-encoded: unreserved / sub-delims / ":" / "@".
bool IsPathChar(char c) {
  return IsAlnum(c) || std::string_view("-._~!$&'()*+,;=:@").find(c) != std::string_view::npos;
}

Status CheckPath(std::string_view path) {
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%') return InvalidArgument("percent-escapes are not allowed in paths", Offset(i));
    if (c != '/' && !IsPathChar(c))
      return InvalidArgument("character not allowed in a path", Offset(i));
  }
  if (path == "/") return Status::Ok();
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string_view seg = path.substr(start, end - start);
    if (seg.empty()) return InvalidArgument("empty path segment", Offset(start));
    if (seg == "." || seg == "..") return InvalidArgument("dot segment in path", Offset(start));
    start = end + 1;
  }
  return Status::Ok();
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segs;
  size_t start = 1;
  while (start < path.size()) {
    size_t end = std::min(path.find('/', start), path.size());
    segs.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segs;
}

bool IsParam(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}
bool IsRestParam(std::string_view seg) {
  return IsParam(seg) && seg.size() > 5 && seg.substr(seg.size() - 4) == "...}";
}
std::string ParamName(std::string_view seg) {
  seg = seg.substr(1, seg.size() - 2);
  if (seg.size() >= 3 && seg.substr(seg.size() - 3) == "...") seg.remove_suffix(3);
  return std::string(seg);
}

// Without a guard nothing can authorize a scoped route.
std::optional<Response> RefuseScoped(Request& request, const RouteOptions& options) {
  if (options.scope.empty()) return std::nullopt;
  return Problem(403, "this server has no authentication configured for this route",
                 request.request_id);
}

}  // namespace

Result<uint64_t> ParseDecimal(std::string_view text, std::string_view what) {
  auto v = ParseCanonicalDecimal(text, what);
  if (!v.ok()) return v.status().WithContext(what);
  return v;
}

Result<ParsedTarget> ParseTarget(std::string_view target) {
  if (target.empty() || target[0] != '/')
    return InvalidArgument("the request target must be a path starting with '/'", Offset(0));
  size_t q = target.find('?');
  ParsedTarget out;
  std::string_view path = target.substr(0, q);
  PB_RETURN_IF_ERROR(CheckPath(path));
  out.path = std::string(path);
  if (q != std::string_view::npos) {
    auto query = ParseUrlEncoded(target.substr(q + 1));
    if (!query.ok()) {
      Status shifted = ShiftOffset(query.status(), q + 1);
      return Status(shifted.code(), shifted.message() + " in the query", shifted.where());
    }
    out.query = std::move(*query);
  }
  return out;
}

Router::Router() : guard_(RefuseScoped) {}

void Router::Add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  Route r{std::move(method), std::move(pattern), {}, std::move(handler), std::move(options)};
  for (auto seg : SplitPath(r.pattern)) r.segments.emplace_back(seg);
  routes_.push_back(std::move(r));
}

void Router::SetGuard(Guard guard) { guard_ = std::move(guard); }

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const Route& r : routes_) out.push_back({r.method, r.pattern, r.options});
  return out;
}

bool Router::Match(const Route& route, const std::vector<std::string_view>& path,
                   std::map<std::string, std::string>* params) {
  params->clear();
  for (size_t i = 0; i < route.segments.size(); ++i) {
    const std::string& seg = route.segments[i];
    if (IsRestParam(seg)) {
      if (i >= path.size()) return false;
      std::string rest(path[i]);
      for (size_t j = i + 1; j < path.size(); ++j) (rest += '/') += path[j];
      (*params)[ParamName(seg)] = std::move(rest);
      return true;
    }
    if (i >= path.size()) return false;
    if (IsParam(seg)) {
      (*params)[ParamName(seg)] = std::string(path[i]);
    } else if (seg != path[i]) {
      return false;
    }
  }
  return route.segments.size() == path.size();
}

const Router::Route* Router::Find(std::string_view method,
                                  const std::vector<std::string_view>& path,
                                  std::map<std::string, std::string>* params,
                                  std::string* allow) const {
  std::vector<std::string_view> methods;
  for (const Route& r : routes_) {
    if (!Match(r, path, params)) continue;
    if (r.method == method) return &r;
    methods.push_back(r.method);
    if (r.method == "GET") methods.push_back("HEAD");
  }
  for (auto m : methods) {
    if (allow->find(m) != std::string::npos) continue;
    if (!allow->empty()) *allow += ", ";
    *allow += m;
  }
  return nullptr;
}

const Router::Route* Router::Resolve(Request& request, std::optional<Response>* answer) const {
  const std::string& id = request.request_id;
  if (request.target.size() > kMaxTargetLength) {
    *answer = Problem(414, "the request target is longer than 4096 bytes", id);
    return nullptr;
  }
  auto target = ParseTarget(request.target);
  if (!target.ok()) {
    *answer = ProblemFromStatus(target.status(), id);
    return nullptr;
  }
  auto segments = SplitPath(target->path);
  std::string_view method = request.method;
  if (method == "HEAD") method = "GET";  // the server drops the body
  std::map<std::string, std::string> params;
  std::string allow;
  const Route* route = Find(method, segments, &params, &allow);
  if (route == nullptr && allow.empty()) {
    *answer = Problem(404, "no such resource", id);
    return nullptr;
  }
  if (route == nullptr) {
    *answer = Problem(405, "allowed methods: " + allow, id);
    (*answer)->headers.emplace_back("Allow", allow);
    return nullptr;
  }
  for (const auto& [name, value] : target->query) {
    const auto& known = route->options.query;
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      *answer = Problem(400, "unknown query parameter", id);
      return nullptr;
    }
  }
  request.route = route->pattern;
  request.path = std::move(target->path);
  request.params = std::move(params);
  request.query = std::move(target->query);
  if (guard_) *answer = guard_(request, route->options);
  return *answer ? nullptr : route;
}

void Router::Dispatch(Request& request, Reply reply) const {
  std::optional<Response> answer;
  const Route* route = Resolve(request, &answer);
  if (route == nullptr) return reply(std::move(*answer));
  const std::string& id = request.request_id;
  try {
    route->handler(request, reply);
  } catch (const std::exception&) {
    reply(Problem(500, "the server could not complete the request; quote the request id", id));
  } catch (...) {
    reply(Problem(500, "the server could not complete the request; quote the request id", id));
  }
}

std::optional<Response> Router::Preflight(Request& request) const {
  std::optional<Response> answer;
  Resolve(request, &answer);
  return answer;
}

const RouteOptions* Router::OptionsFor(std::string_view method, std::string_view target) const {
  if (target.size() > kMaxTargetLength) return nullptr;
  auto parsed = ParseTarget(target);
  if (!parsed.ok()) return nullptr;
  if (method == "HEAD") method = "GET";
  std::map<std::string, std::string> params;
  std::string allow;
  const Route* route = Find(method, SplitPath(parsed->path), &params, &allow);
  return route == nullptr ? nullptr : &route->options;
}

}  // namespace pathbridge::gateway
