#include "gateway/auth/token_endpoint.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "gateway/problem.h"

namespace pathbridge::gateway::auth {
namespace {

// One wording for every client that fails to authenticate, so an answer
// never tells which of id, secret or status was wrong.
constexpr char kBadClient[] = "the client credentials are not valid";

Response NoStoreJson(int status, const boost::json::object& body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Pragma", "no-cache");
  r.body = boost::json::serialize(body);
  return r;
}

Response ErrorResponse(const OAuthError& e) {
  Response r = NoStoreJson(e.http_status, {{"error", e.error}, {"error_description", e.description}});
  if (e.http_status == 401)
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"pathbridge\", charset=\"UTF-8\"");
  return r;
}

}  // namespace

TokenEndpoint::TokenEndpoint(ClientStore& clients, TokenStore& tokens, RateLimiter& failures,
                             WorkerPool& workers)
    : clients_(clients), tokens_(tokens), failures_(failures), workers_(workers) {}

Response TokenEndpoint::Refuse(const std::string& address, const OAuthError& error,
                               const std::string& request_id) {
  RateDecision charged = failures_.Take(address);
  if (!charged.allowed) return TooManyRequests(charged.retry_after, request_id);
  return ErrorResponse(error);
}

void TokenEndpoint::Handle(const Request& request, Reply reply) {
  const std::string& id = request.request_id;
  const std::string& address = request.remote_address;
  if (RateDecision d = failures_.Peek(address); !d.allowed)
    return reply(TooManyRequests(d.retry_after, id));
  auto parsed = ParseTokenRequest(request);
  if (auto* e = std::get_if<OAuthError>(&parsed)) return reply(Refuse(address, *e, id));
  TokenRequest& token_request = std::get<TokenRequest>(parsed);
  auto client = clients_.Find(token_request.client_id);
  if (!client.ok() && client.status().code() != Code::kNotFound)
    return reply(ProblemFromStatus(client.status(), id));
  if (!client.ok() || !client->enabled())
    return reply(Refuse(address, InvalidClient(kBadClient), id));
  if (client->cert_thumbprint &&
      !(request.client_cert &&
        ConstantTimeEquals(request.client_cert->thumbprint_s256, *client->cert_thumbprint)))
    return reply(Refuse(
        address, InvalidClient("this client must present its registered TLS client certificate"),
        id));
  bool queued = workers_.Submit(
      [this, reply, id, address, client = std::move(*client), req = std::move(token_request)] {
        reply(Grant(client, req, address, id));
      });
  if (!queued) reply(Problem(503, "too many token requests at once; retry later", id));
}

Response TokenEndpoint::Grant(const Client& client, const TokenRequest& request,
                              const std::string& address, const std::string& request_id) {
  if (!SecretMatches(client.secret_hash, request.client_secret))
    return Refuse(address, InvalidClient(kBadClient), request_id);
  ScopeList scopes = request.scope.value_or(client.scopes);
  if (!IsSubset(scopes, client.scopes))
    return Refuse(address,
                  {400, "invalid_scope", "the client is not registered for every scope asked for"},
                  request_id);
  auto issued =
      tokens_.Issue({Principal{client.client_id, client.org, scopes}, client.cert_thumbprint});
  if (!issued.ok()) return ProblemFromStatus(issued.status(), request_id);
  return NoStoreJson(200, {{"access_token", issued->access_token},
                           {"token_type", "Bearer"},
                           {"expires_in", issued->expires_in.count()},
                           {"scope", FormatScopes(scopes)}});
}

}  // namespace pathbridge::gateway::auth
