// The auth wired into a Router, without a socket: certificate-bound clients
// (RFC 8705; the TLS server fills Request::client_cert), the
// loopback development fallback, and a full worker queue.
#include "gateway/auth/auth.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <future>

#include "certs/org_registry.h"
#include "gateway/problem.h"
#include "standards/encoding.h"
#include "tests/testing/test_util.h"

namespace pathbridge::gateway::auth {
namespace {

std::optional<std::string> HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return std::nullopt;
}

class AuthTest : public ::testing::Test {
 protected:
  void Start(AuthOptions options) {
    certs::OrgSpec spec;
    spec.slug = "college-a";
    spec.name = "College A";
    ASSERT_TRUE(certs::AddOrganization(dir_.path(), spec, {}, {1767225600, 0}).ok());
    options.clients.hash_limits = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    auto opened = Auth::Open(dir_.path(), options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    auth_ = std::move(*opened);
    router_.Add("POST", "/translate", [](const Request& r, Reply reply) {
      reply(TextResponse(200, r.principal->client_id));
    }, {.scope = "translate"});
    router_.Add("POST", "/admin", [](const Request& r, Reply reply) {
      reply(TextResponse(200, r.principal->client_id));
    }, {.scope = "admin"});
    auth_->Install(router_);
  }

  // Dispatches and waits: token requests answer from the worker pool.
  Response Send(Request r) {
    r.request_id = "req-1";
    r.remote_address = r.remote_loopback ? "127.0.0.1" : "192.0.2.10";
    auto answer = std::make_shared<std::promise<Response>>();
    router_.Dispatch(r, Reply(r.request_id, [answer](Response res) { answer->set_value(res); }));
    auto f = answer->get_future();
    EXPECT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    return f.get();
  }

  // A verified client certificate with this thumbprint (the TLS server's part).
  static std::optional<ClientCertificate> CertWith(std::optional<std::string> thumb) {
    if (!thumb) return std::nullopt;
    ClientCertificate c;
    c.thumbprint_s256 = std::move(*thumb);
    return c;
  }

  static Request TokenRequestFor(const RegisteredClient& c, std::optional<std::string> thumb) {
    Request r;
    r.method = "POST";
    r.target = "/oauth/token";
    r.headers = {{"content-type", "application/x-www-form-urlencoded"}};
    r.body = "grant_type=client_credentials&client_id=" + c.client.client_id +
             "&client_secret=" + c.client_secret;
    r.client_cert = CertWith(std::move(thumb));
    return r;
  }

  static Request Call(std::string target, std::optional<std::string> token,
                      std::optional<std::string> thumb = std::nullopt) {
    Request r;
    r.method = "POST";
    r.target = std::move(target);
    if (token) r.headers = {{"authorization", "Bearer " + *token}};
    r.client_cert = CertWith(std::move(thumb));
    return r;
  }

  testing::TempDir dir_;
  std::unique_ptr<Auth> auth_;
  Router router_;
};

TEST_F(AuthTest, ACertificateBoundClientNeedsItsCertificateForTokensAndCalls) {
  Start({});
  const std::string thumb = Base64UrlEncode(Bytes(32, 0x42));
  const std::string other = Base64UrlEncode(Bytes(32, 0x43));
  auto client = auth_->clients().Add({"college-a", {"translate"}, thumb}, {1767225600, 0});
  ASSERT_TRUE(client.ok());

  for (const std::optional<std::string>& presented : {std::optional<std::string>(), std::optional(other)}) {
    Response refused = Send(TokenRequestFor(*client, presented));
    EXPECT_EQ(refused.status, 401);
    EXPECT_NE(refused.body.find("invalid_client"), std::string::npos);
  }
  Response issued = Send(TokenRequestFor(*client, thumb));
  ASSERT_EQ(issued.status, 200) << issued.body;
  std::string token(boost::json::parse(issued.body).at("access_token").as_string());

  EXPECT_EQ(Send(Call("/translate", token, thumb)).body, client->client.client_id);
  for (const std::optional<std::string>& presented : {std::optional<std::string>(), std::optional(other)}) {
    Response r = Send(Call("/translate", token, presented));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(HeaderOf(r, "WWW-Authenticate"), "Bearer realm=\"pathbridge\", error=\"invalid_token\"");
  }
}

TEST_F(AuthTest, TheLoopbackFallbackIsAdminOnlyAndOffByDefault) {
  Start({});
  Request local = Call("/admin", std::nullopt);
  local.remote_loopback = true;
  EXPECT_EQ(Send(local).status, 401);
}

TEST_F(AuthTest, TheLoopbackFallbackWhenConfigured) {
  AuthOptions options;
  options.bearer.loopback_admin = true;
  Start(options);
  Request local = Call("/admin", std::nullopt);
  local.remote_loopback = true;
  EXPECT_EQ(Send(local).body, "loopback-dev");
  Request remote = Call("/admin", std::nullopt);
  EXPECT_EQ(Send(remote).status, 401);
  Request translate = Call("/translate", std::nullopt);
  translate.remote_loopback = true;
  EXPECT_EQ(Send(translate).status, 403);  // admin only, not every scope
  Request bad_token = Call("/admin", "not-a-token");
  bad_token.remote_loopback = true;
  EXPECT_EQ(Send(bad_token).status, 401);  // a token sent is a token checked
}

TEST_F(AuthTest, AFullWorkerQueueIs503) {
  AuthOptions options;
  options.hash_queue = 0;
  Start(options);
  auto client = auth_->clients().Add({"college-a", {"translate"}, std::nullopt}, {1767225600, 0});
  Response r = Send(TokenRequestFor(*client, std::nullopt));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.content_type, kProblemContentType);
  EXPECT_EQ(HeaderOf(r, "Retry-After"), "1");
}

}  // namespace
}  // namespace pathbridge::gateway::auth
