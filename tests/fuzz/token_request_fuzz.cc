// Fuzzes the token request parser (gateway/auth/token_request.h): the form
// body and the HTTP Basic header. The input is three parts split at the
// first two newlines: the Authorization header value (none if empty), the
// Content-Type (none if empty), then the body. Invariants: an accepted
// request has credentials within the limits and only known scopes, sorted
// and unique; a refusal is one of RFC 6749's errors with its status (401
// exactly for invalid_client) and a description in our own words, never
// quoting the input (the unit tests check that no secret is quoted).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gateway/auth/token_request.h"

namespace pathbridge::gateway::auth {
namespace {

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "token_request_fuzz invariant broken: %s\n", what);
  std::abort();
}

// Take the next part up to a newline (or the rest).
std::string_view NextPart(std::string_view& in) {
  size_t nl = in.find('\n');
  std::string_view part = in.substr(0, nl);
  in.remove_prefix(nl == std::string_view::npos ? in.size() : nl + 1);
  return part;
}

void CheckAccepted(const TokenRequest& t) {
  Require(t.client_id.size() <= kMaxClientIdLength, "client_id over the limit");
  Require(t.client_secret.size() <= kMaxClientSecretLength, "client_secret over the limit");
  Require(!t.client_id.empty() || t.basic_auth, "body credentials without a client_id");
  if (!t.scope) return;
  Require(!t.scope->empty(), "an empty scope list");
  for (size_t i = 0; i < t.scope->size(); ++i) {
    const std::string& s = (*t.scope)[i];
    bool known = false;
    for (auto k : kKnownScopes) known |= s == k;
    Require(known, "an unknown scope accepted");
    Require(i == 0 || (*t.scope)[i - 1] < s, "scopes not sorted and unique");
  }
}

void CheckRefused(const OAuthError& e) {
  bool known = e.error == "invalid_request" || e.error == "invalid_client" ||
               e.error == "invalid_scope" || e.error == "unsupported_grant_type";
  Require(known, "an error RFC 6749 5.2 does not define");
  Require(e.http_status == (e.error == "invalid_client" ? 401 : 400), "wrong status for the error");
  // Descriptions are our own wording: short printable ASCII. One that
  // quoted the input would soon show a decoded control or non-ASCII byte.
  Require(!e.description.empty() && e.description.size() < 200, "description length");
  for (char c : e.description)
    Require(c >= 0x20 && c < 0x7f, "a description with bytes from the input");
}

}  // namespace
}  // namespace pathbridge::gateway::auth

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge::gateway;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  Request r;
  r.method = "POST";
  r.target = "/oauth/token";
  std::string_view authorization = auth::NextPart(in);
  std::string_view content_type = auth::NextPart(in);
  if (!authorization.empty()) r.headers.emplace_back("authorization", authorization);
  if (!content_type.empty()) r.headers.emplace_back("content-type", content_type);
  r.body = std::string(in);
  auto parsed = auth::ParseTokenRequest(r);
  if (auto* t = std::get_if<auth::TokenRequest>(&parsed)) auth::CheckAccepted(*t);
  if (auto* e = std::get_if<auth::OAuthError>(&parsed)) auth::CheckRefused(*e);
  return 0;
}
