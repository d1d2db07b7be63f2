// POST /oauth/token: the client credentials grant (RFC 6749 §4.4). A
// request is parsed (token_request.h), its client looked up (client_store.h)
// and, if bound to a certificate, matched against the connection's
// (RFC 8705 §2); its secret is then checked with Argon2id on the worker
// pool, and a token issued (token_store.h) for the requested scopes, which
// must be the client's or a subset (absent: all of them).
//
// Answers: 200 {access_token, token_type "Bearer", expires_in, scope};
// errors as RFC 6749 §5.2 JSON {error, error_description}: invalid_client
// (401 with WWW-Authenticate: Basic; the same words for an unknown client,
// a wrong secret and a disabled client), invalid_request,
// unsupported_grant_type, invalid_scope (400); all with Cache-Control:
// no-store. Every failure is charged to the caller's address; once its
// bucket is empty it gets 429 before anything costly runs. 503 when the
// worker queue or the token table is full.
//
// Thread-safety: Handle may run on any number of threads; the referenced
// objects must outlive every answer (the pool's tasks reply later).
#pragma once

#include "gateway/auth/client_store.h"
#include "gateway/auth/rate_limiter.h"
#include "gateway/auth/token_request.h"
#include "gateway/auth/token_store.h"
#include "gateway/auth/worker_pool.h"
#include "gateway/http.h"

namespace pathbridge::gateway::auth {

class TokenEndpoint {
 public:
  TokenEndpoint(ClientStore& clients, TokenStore& tokens, RateLimiter& failures,
                WorkerPool& workers);

  void Handle(const Request& request, Reply reply);

 private:
  // Charges the failure to the address and says why.
  Response Refuse(const std::string& address, const OAuthError& error,
                  const std::string& request_id);
  // On a worker: the secret, the scopes, the token.
  Response Grant(const Client& client, const TokenRequest& request, const std::string& address,
                 const std::string& request_id);

  ClientStore& clients_;
  TokenStore& tokens_;
  RateLimiter& failures_;
  WorkerPool& workers_;
};

}  // namespace pathbridge::gateway::auth
