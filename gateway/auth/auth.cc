#include "gateway/auth/auth.h"

namespace pathbridge::gateway::auth {

Auth::Auth(std::unique_ptr<ClientStore> clients, const AuthOptions& options)
    : clients_(std::move(clients)),
      tokens_(options.tokens, options.now),
      open_routes_(options.open_routes, options.now),
      token_failures_(options.token_failures, options.now),
      bearer_(tokens_, options.bearer),
      endpoint_(*clients_, tokens_, token_failures_, workers_),
      workers_(options.hash_threads, options.hash_queue) {}

Result<std::unique_ptr<Auth>> Auth::Open(const std::filesystem::path& data_dir,
                                         AuthOptions options) {
  PB_ASSIGN_OR_RETURN(auto clients, ClientStore::Open(data_dir, options.clients));
  return std::unique_ptr<Auth>(new Auth(std::move(clients), options));
}

void Auth::Install(Router& router) {
  router.Add("POST", "/oauth/token",
             [this](const Request& request, Reply reply) { endpoint_.Handle(request, reply); });
  router.SetGuard([this](Request& request, const RouteOptions& route) {
    return Guard(request, route);
  });
}

std::optional<Response> Auth::Guard(Request& request, const RouteOptions& route) {
  if (route.rate_limited) {
    RateDecision d = open_routes_.Take(request.remote_address);
    if (!d.allowed) return TooManyRequests(d.retry_after, request.request_id);
  }
  if (route.scope.empty()) return std::nullopt;
  return bearer_.Authorize(request, route.scope);
}

}  // namespace pathbridge::gateway::auth
