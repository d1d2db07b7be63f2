// The gateway's OAuth 2.0 pieces wired together for a server: the client
// registry under the data directory, the token table, POST /oauth/token,
// and the router's guard, which authorizes scoped routes with Bearer
// tokens and rate-limits open routes marked rate_limited.
//
//   auto auth = auth::Auth::Open(data_dir, options);   // DATA/clients.db
//   Router router;
//   AddLedgerRoutes(router, log);
//   (*auth)->Install(router);
//   Server server(server_options, std::move(router));  // auth outlives server
//
// Thread-safety: Install before serving; then everything is safe from any
// thread. The Auth must outlive the Server (its pool answers requests).
#pragma once

#include <filesystem>
#include <memory>

#include "gateway/auth/bearer_auth.h"
#include "gateway/auth/client_store.h"
#include "gateway/auth/rate_limiter.h"
#include "gateway/auth/token_endpoint.h"
#include "gateway/auth/token_store.h"
#include "gateway/auth/worker_pool.h"
#include "gateway/router.h"

namespace pathbridge::gateway::auth {

struct AuthOptions {
  TokenStoreOptions tokens;
  // Open routes marked rate_limited (verification), per client address.
  RateLimitOptions open_routes{.per_second = 10, .burst = 50};
  // Failed token requests per client address: a burst of 10, then one
  // every 5 s; past that, refused before any Argon2 work.
  RateLimitOptions token_failures{.per_second = 0.2, .burst = 10};
  BearerOptions bearer;
  ClientStoreOptions clients;
  // Threads and queue for secret checks: at most threads x 64 MiB of Argon2.
  int hash_threads = 2;
  size_t hash_queue = 64;
  NowFn now = SteadyNow;
};

class Auth {
 public:
  static Result<std::unique_ptr<Auth>> Open(const std::filesystem::path& data_dir,
                                            AuthOptions options = {});

  // Adds POST /oauth/token and sets the router's guard.
  void Install(Router& router);

  ClientStore& clients() { return *clients_; }
  TokenStore& tokens() { return tokens_; }

 private:
  Auth(std::unique_ptr<ClientStore> clients, const AuthOptions& options);
  std::optional<Response> Guard(Request& request, const RouteOptions& route);

  std::unique_ptr<ClientStore> clients_;
  TokenStore tokens_;
  RateLimiter open_routes_;
  RateLimiter token_failures_;
  BearerAuth bearer_;
  TokenEndpoint endpoint_;
  // Last, so destroyed first: queued secret checks finish while what they
  // use is alive.
  WorkerPool workers_;
};

}  // namespace pathbridge::gateway::auth
