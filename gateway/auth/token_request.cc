#include "gateway/auth/token_request.h"

#include <map>

#include "gateway/url_encoded.h"
#include "standards/encoding.h"

namespace pathbridge::gateway::auth {
namespace {

using Form = std::map<std::string, std::string>;

// "application/x-www-form-urlencoded", optionally with parameters.
bool IsFormContentType(std::optional<std::string_view> type) {
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  if (!type || !EqualsIgnoreCase(type->substr(0, kForm.size()), kForm)) return false;
  std::string_view rest = type->substr(kForm.size());
  return rest.empty() || rest.front() == ';' || rest.front() == ' ' || rest.front() == '\t';
}

std::optional<std::string> Take(Form& form, const std::string& name) {
  auto it = form.find(name);
  if (it == form.end()) return std::nullopt;
  std::string v = std::move(it->second);
  form.erase(it);
  return v;
}

// Authorization: Basic base64(urlencode(id) ":" urlencode(secret)).
std::variant<TokenRequest, OAuthError> ParseBasic(std::string_view header) {
  constexpr std::string_view kBasic = "basic ";
  if (!EqualsIgnoreCase(header.substr(0, kBasic.size()), kBasic))
    return InvalidClient("client authentication supports HTTP Basic or the request body only");
  std::string_view encoded = header.substr(kBasic.size());
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  auto decoded = Base64Decode(encoded);
  if (!decoded.ok()) return InvalidClient("the Basic credentials are not valid base64");
  std::string_view pair = AsChars(*decoded);
  size_t colon = pair.find(':');
  if (colon == std::string_view::npos)
    return InvalidClient("the Basic credentials must be client_id:client_secret");
  auto id = PercentDecode(pair.substr(0, colon), {.plus_is_space = true});
  auto secret = PercentDecode(pair.substr(colon + 1), {.plus_is_space = true});
  if (!id.ok() || !secret.ok())
    return InvalidClient("the Basic credentials are not validly form-urlencoded");
  TokenRequest out;
  out.client_id = std::move(*id);
  out.client_secret = std::move(*secret);
  out.basic_auth = true;
  return out;
}

// The client's credentials from the header or the body (one of them).
std::variant<TokenRequest, OAuthError> ParseClient(const Request& request, Form& form) {
  std::optional<std::string> body_id = Take(form, "client_id");
  std::optional<std::string> body_secret = Take(form, "client_secret");
  size_t headers = request.HeaderCount("Authorization");
  if (headers > 1) return InvalidRequest("at most one Authorization header");
  if (headers == 0) {
    if (!body_id || !body_secret)
      return InvalidClient("client authentication is required (HTTP Basic, or client_id and "
                           "client_secret in the body)");
    TokenRequest out;
    out.client_id = std::move(*body_id);
    out.client_secret = std::move(*body_secret);
    return out;
  }
  auto basic = ParseBasic(*request.Header("Authorization"));
  if (auto* r = std::get_if<TokenRequest>(&basic)) {
    if (body_secret) return InvalidRequest("use one client authentication method, not two");
    if (body_id && *body_id != r->client_id)
      return InvalidRequest("client_id in the body differs from the Basic credentials");
  }
  return basic;
}

}  // namespace

OAuthError InvalidRequest(std::string description) {
  return {400, "invalid_request", std::move(description)};
}

OAuthError InvalidClient(std::string description) {
  return {401, "invalid_client", std::move(description)};
}

std::variant<TokenRequest, OAuthError> ParseTokenRequest(const Request& request) {
  if (!IsFormContentType(request.Header("Content-Type")))
    return InvalidRequest("the body must be application/x-www-form-urlencoded");
  if (request.body.size() > kMaxTokenRequestBody)
    return InvalidRequest("the body is longer than 4096 bytes");
  auto parsed = ParseUrlEncoded(request.body, {.plus_is_space = true});
  if (!parsed.ok()) return InvalidRequest("malformed form body: " + parsed.status().ToString());
  Form form;
  for (auto& [name, value] : *parsed)
    if (!value.empty()) form.emplace(name, std::move(value));

  std::optional<std::string> grant = Take(form, "grant_type");
  if (!grant) return InvalidRequest("grant_type is required");
  if (*grant != "client_credentials")
    return OAuthError{400, "unsupported_grant_type", "only grant_type=client_credentials is supported"};
  auto client = ParseClient(request, form);
  auto* out = std::get_if<TokenRequest>(&client);
  if (!out) return client;
  if (out->client_id.size() > kMaxClientIdLength ||
      out->client_secret.size() > kMaxClientSecretLength)
    return InvalidClient("the client credentials are not valid");
  if (std::optional<std::string> scope = Take(form, "scope")) {
    auto scopes = ParseScopeParameter(*scope);
    // Not quoted back: whatever a client put there is its own business.
    if (!scopes.ok())
      return OAuthError{400, "invalid_scope",
                        "scope must be known scopes separated by single spaces: " +
                            KnownScopesText()};
    out->scope = std::move(*scopes);
  }
  return client;
}

}  // namespace pathbridge::gateway::auth
