// Parses a client credentials token request (RFC 6749 §4.4.2): an
// application/x-www-form-urlencoded body with grant_type=client_credentials
// and an optional scope, the client authenticated by HTTP Basic (§2.3.1:
// id and secret form-urlencoded, then base64) or by client_id and
// client_secret in the body, as Ed-Fi and OneRoster clients send them; one
// method, not both. Parameters sent empty count as absent (§3.2), unknown
// ones are ignored, repeated ones refused. This says nothing yet about
// whether the client is who it claims to be (token_endpoint.h checks that).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <variant>

#include "gateway/auth/scopes.h"
#include "gateway/auth/secrets.h"
#include "gateway/http.h"

namespace pathbridge::gateway::auth {

inline constexpr size_t kMaxTokenRequestBody = 4096;

struct TokenRequest {
  std::string client_id;
  std::string client_secret;
  bool basic_auth = false;         // the credentials came in Authorization: Basic
  std::optional<ScopeList> scope;  // absent: every scope the client has
};

// An error response of RFC 6749 §5.2.
struct OAuthError {
  int http_status = 400;     // 401 for invalid_client
  std::string error;         // invalid_request, invalid_client, invalid_scope, ...
  std::string description;   // never quotes a credential
};

OAuthError InvalidRequest(std::string description);
OAuthError InvalidClient(std::string description);

std::variant<TokenRequest, OAuthError> ParseTokenRequest(const Request& request);

}  // namespace pathbridge::gateway::auth
