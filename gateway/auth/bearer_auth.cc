#include "gateway/auth/bearer_auth.h"

#include "gateway/auth/scopes.h"
#include "gateway/auth/secrets.h"
#include "gateway/problem.h"

namespace pathbridge::gateway::auth {
namespace {

constexpr std::string_view kLoopbackClient = "loopback-dev";

// A problem with the Bearer challenge; `error` and `scope` may be empty.
Response Challenge(int status, std::string_view error, std::string_view detail,
                   std::string_view request_id, std::string_view scope = {}) {
  Response r = Problem(status, detail, request_id);
  std::string challenge = "Bearer realm=\"pathbridge\"";
  if (!error.empty()) challenge += ", error=\"" + std::string(error) + "\"";
  if (!scope.empty()) challenge += ", scope=\"" + std::string(scope) + "\"";
  r.headers.emplace_back("WWW-Authenticate", std::move(challenge));
  return r;
}

constexpr std::string_view kBearer = "bearer ";

bool IsBearer(std::string_view header) {
  return EqualsIgnoreCase(header.substr(0, kBearer.size()), kBearer);
}

std::string_view TokenOf(std::string_view header) {
  header.remove_prefix(kBearer.size());
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  return header;
}

}  // namespace

BearerAuth::BearerAuth(const TokenStore& tokens, BearerOptions options)
    : tokens_(tokens), options_(options) {}

std::optional<Response> BearerAuth::Authorize(Request& request, std::string_view scope) const {
  const std::string& id = request.request_id;
  std::optional<TokenGrant> grant;
  size_t headers = request.HeaderCount("Authorization");
  if (headers > 1)
    return Challenge(400, "invalid_request", "at most one Authorization header", id);
  if (headers == 0 && options_.loopback_admin && request.remote_loopback) {
    grant = TokenGrant{{std::string(kLoopbackClient), "", {std::string(kScopeAdmin)}}, {}};
  } else if (headers == 0 || !IsBearer(*request.Header("Authorization"))) {
    return Challenge(401, "", "this route needs an access token: Authorization: Bearer TOKEN", id);
  } else {
    grant = tokens_.Find(TokenOf(*request.Header("Authorization")));
    if (!grant) return Challenge(401, "invalid_token", "the access token is invalid or has expired", id);
    if (grant->cert_thumbprint &&
        !(request.client_cert &&
          ConstantTimeEquals(request.client_cert->thumbprint_s256, *grant->cert_thumbprint)))
      return Challenge(401, "invalid_token",
                       "the access token is bound to a client certificate this connection did "
                       "not present",
                       id);
  }
  if (!grant->principal.HasScope(scope))
    return Challenge(403, "insufficient_scope",
                     "the access token lacks the scope this route needs: " + std::string(scope),
                     id, scope);
  request.principal = std::move(grant->principal);
  return std::nullopt;
}

}  // namespace pathbridge::gateway::auth
