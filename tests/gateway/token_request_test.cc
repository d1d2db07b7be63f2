// Parsing token requests (RFC 6749 §4.4.2, §2.3.1): the form body, HTTP
// Basic and body credentials, and every refusal with its OAuth error.
#include "gateway/auth/token_request.h"

#include <gtest/gtest.h>

#include "standards/encoding.h"

namespace pathbridge::gateway::auth {
namespace {

constexpr char kForm[] = "application/x-www-form-urlencoded";

Request Post(std::string body, std::vector<std::pair<std::string, std::string>> headers = {},
             std::string content_type = kForm) {
  Request r;
  r.method = "POST";
  r.target = "/oauth/token";
  r.body = std::move(body);
  if (!content_type.empty()) r.headers.emplace_back("content-type", content_type);
  for (auto& h : headers) r.headers.push_back(std::move(h));
  return r;
}

std::pair<std::string, std::string> Basic(std::string_view user_pass) {
  return {"authorization", "Basic " + Base64Encode(AsBytes(user_pass))};
}

TokenRequest Parsed(const Request& r) {
  auto out = ParseTokenRequest(r);
  if (auto* e = std::get_if<OAuthError>(&out)) {
    ADD_FAILURE() << e->error << ": " << e->description;
    return {};
  }
  return std::get<TokenRequest>(out);
}

OAuthError Refused(const Request& r) {
  auto out = ParseTokenRequest(r);
  if (auto* e = std::get_if<OAuthError>(&out)) return *e;
  ADD_FAILURE() << "accepted: " << r.body;
  return {};
}

TEST(TokenRequestTest, CredentialsByHttpBasic) {
  TokenRequest t = Parsed(Post("grant_type=client_credentials", {Basic("id-1:s3cret")}));
  EXPECT_EQ(t.client_id, "id-1");
  EXPECT_EQ(t.client_secret, "s3cret");
  EXPECT_TRUE(t.basic_auth);
  EXPECT_FALSE(t.scope.has_value());
  // §2.3.1: both parts are form-urlencoded before base64, so ':' can be in a secret.
  TokenRequest enc = Parsed(Post("grant_type=client_credentials&scope=translate+admin",
                                 {{"authorization", "basic  " + Base64Encode(AsBytes("a%2Bb:c%3Ad+e"))}}));
  EXPECT_EQ(enc.client_id, "a+b");
  EXPECT_EQ(enc.client_secret, "c:d e");
  EXPECT_EQ(*enc.scope, (ScopeList{"admin", "translate"}));
}

TEST(TokenRequestTest, CredentialsInTheBodyAsEdFiClientsSendThem) {
  TokenRequest t = Parsed(Post(
      "client_id=id-2&client_secret=abc%2Fdef&grant_type=client_credentials&scope=ledger%3Aappend",
      {}, "Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
  EXPECT_EQ(t.client_id, "id-2");
  EXPECT_EQ(t.client_secret, "abc/def");
  EXPECT_FALSE(t.basic_auth);
  EXPECT_EQ(*t.scope, ScopeList{"ledger:append"});
  // Empty parameters count as absent (§3.2); unknown ones are ignored.
  TokenRequest empty_scope = Parsed(Post(
      "grant_type=client_credentials&scope=&client_id=i&client_secret=s&audience=x"));
  EXPECT_FALSE(empty_scope.scope.has_value());
  // The same id in the body beside Basic is allowed.
  EXPECT_EQ(Parsed(Post("grant_type=client_credentials&client_id=id-1", {Basic("id-1:s")})).client_id,
            "id-1");
}

TEST(TokenRequestTest, RefusalsCarryTheirOAuthErrors) {
  const std::string ok = "grant_type=client_credentials";
  struct Case {
    Request request;
    int status;
    std::string error;
  };
  const Case cases[] = {
      {Post(ok, {Basic("i:s")}, ""), 400, "invalid_request"},
      {Post(ok, {Basic("i:s")}, "application/json"), 400, "invalid_request"},
      {Post(ok, {Basic("i:s")}, "application/x-www-form-urlencodedx"), 400, "invalid_request"},
      {Post("grant_type=client_credentials&grant_type=client_credentials", {Basic("i:s")}), 400,
       "invalid_request"},
      {Post("grant_type=client_credentials&x=%zz", {Basic("i:s")}), 400, "invalid_request"},
      {Post(ok + "&pad=" + std::string(4096, 'x'), {Basic("i:s")}), 400, "invalid_request"},
      {Post("scope=translate", {Basic("i:s")}), 400, "invalid_request"},
      {Post("grant_type=password&username=u&password=p", {Basic("i:s")}), 400,
       "unsupported_grant_type"},
      {Post("grant_type=authorization_code", {Basic("i:s")}), 400, "unsupported_grant_type"},
      {Post(ok), 401, "invalid_client"},
      {Post(ok + "&client_id=i"), 401, "invalid_client"},
      {Post(ok + "&client_secret=s"), 401, "invalid_client"},
      {Post(ok, {{"authorization", "Bearer abc"}}), 401, "invalid_client"},
      {Post(ok, {{"authorization", "Basic !!!"}}), 401, "invalid_client"},
      {Post(ok, {Basic("no-colon")}), 401, "invalid_client"},
      {Post(ok, {Basic("i%zz:s")}), 401, "invalid_client"},
      {Post(ok, {Basic(std::string(65, 'i') + ":s")}), 401, "invalid_client"},
      {Post(ok, {Basic("i:" + std::string(129, 's'))}), 401, "invalid_client"},
      {Post(ok + "&client_secret=s", {Basic("i:s")}), 400, "invalid_request"},
      {Post(ok + "&client_id=other", {Basic("i:s")}), 400, "invalid_request"},
      {Post(ok, {Basic("i:s"), Basic("j:t")}), 400, "invalid_request"},
      {Post(ok + "&scope=translate+root", {Basic("i:s")}), 400, "invalid_scope"},
      {Post(ok + "&scope=translate++admin", {Basic("i:s")}), 400, "invalid_scope"},
  };
  for (const Case& c : cases) {
    OAuthError e = Refused(c.request);
    EXPECT_EQ(e.http_status, c.status) << c.request.body.substr(0, 80);
    EXPECT_EQ(e.error, c.error) << c.request.body.substr(0, 80) << ": " << e.description;
    EXPECT_FALSE(e.description.empty());
  }
}

TEST(TokenRequestTest, ErrorsNeverQuoteCredentials) {
  const std::string secret = "Zm9vYmFyLXNlY3JldC12YWx1ZQ";
  for (const Request& r :
       {Post("grant_type=client_credentials&client_secret=" + secret + "&client_id=x&client_id=y"),
        Post("grant_type=client_credentials&client_secret=" + secret, {Basic("i:" + secret)}),
        Post("grant_type=client_credentials", {Basic(secret)}),
        Post("grant_type=client_credentials&client_id=" + secret + "&client_secret=" + secret +
             "&scope=" + secret)}) {
    OAuthError e = Refused(r);
    EXPECT_EQ(e.description.find(secret), std::string::npos) << e.description;
  }
}

}  // namespace
}  // namespace pathbridge::gateway::auth
