// The resource side of OAuth (RFC 6750): a scoped route needs
// `Authorization: Bearer <token>` naming a live token (token_store.h) that
// grants the route's scope; the token's Principal then goes on the request.
// Refusals are problem+json (problem.h, with the request's correlation id)
// plus the RFC 6750 §3 challenge:
//   no Bearer credentials           401  WWW-Authenticate: Bearer realm="pathbridge"
//   unknown, expired, malformed,    401  ... error="invalid_token"
//   or certificate-bound token on a
//   connection without that certificate
//   token without the scope         403  ... error="insufficient_scope", scope="..."
//   two Authorization headers       400  ... error="invalid_request"
// Neither an answer nor a log line ever quotes the token. Tokens are taken
// from the header only, never from a query or body (RFC 6750 §2.2-2.3).
//
// Development fallback (off unless configured): a loopback peer that sends
// no Authorization header acts as "loopback-dev" with the admin scope only,
// as the gateway allowed before it had clients.
//
// Thread-safety: Authorize may run on any number of threads.
#pragma once

#include <optional>
#include <string_view>

#include "gateway/auth/token_store.h"
#include "gateway/http.h"

namespace pathbridge::gateway::auth {

struct BearerOptions {
  bool loopback_admin = false;
};

class BearerAuth {
 public:
  BearerAuth(const TokenStore& tokens, BearerOptions options);

  // Sets request.principal and returns nullopt if the request may use a
  // route needing `scope`; else the response to send.
  std::optional<Response> Authorize(Request& request, std::string_view scope) const;

 private:
  const TokenStore& tokens_;
  const BearerOptions options_;
};

}  // namespace pathbridge::gateway::auth
