// Access tokens: random, looked up by value, expiring on an injected clock,
// in a bounded table.
#include "gateway/auth/token_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "gateway/auth/secrets.h"
#include "standards/encoding.h"

namespace pathbridge::gateway::auth {
namespace {

using namespace std::chrono_literals;

// A clock that moves only when told to.
struct FakeClock {
  std::shared_ptr<SteadyTime> now = std::make_shared<SteadyTime>(SteadyTime{} + 1000h);
  NowFn fn() const {
    return [now = now] { return *now; };
  }
  void Advance(std::chrono::seconds by) { *now += by; }
};

TokenGrant GrantFor(std::string client, std::string org = "college-a") {
  return {Principal{std::move(client), std::move(org), {"translate"}}, std::nullopt};
}

TEST(TokenStoreTest, IssuesRandomOpaqueTokensThatResolveToTheirGrant) {
  TokenStore store;
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto t = store.Issue(GrantFor("c" + std::to_string(i)));
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->expires_in, 900s);  // 15 minutes by default
    ASSERT_EQ(t->access_token.size(), kSecretChars);
    EXPECT_EQ(Base64UrlDecode(t->access_token)->size(), 32u);
    EXPECT_TRUE(seen.insert(t->access_token).second);
    auto grant = store.Find(t->access_token);
    ASSERT_TRUE(grant.has_value());
    EXPECT_EQ(grant->principal.client_id, "c" + std::to_string(i));
    EXPECT_EQ(grant->principal.org, "college-a");
    EXPECT_EQ(grant->principal.scopes, std::vector<std::string>{"translate"});
  }
  EXPECT_EQ(store.size(), 50u);
}

TEST(TokenStoreTest, UnknownAlteredAndMalformedTokensResolveToNothing) {
  TokenStore store;
  std::string token = store.Issue(GrantFor("c"))->access_token;
  std::string altered = token;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {altered, token.substr(1), token + "A", std::string(), std::string(kSecretChars, 'A'),
        std::string(10000, 'x'), RandomToken(kSecretBytes)})
    EXPECT_FALSE(store.Find(bad).has_value()) << bad.substr(0, 50);
  EXPECT_TRUE(store.Find(token).has_value());
}

TEST(TokenStoreTest, TokensExpireAfterTheirLifetime) {
  FakeClock clock;
  TokenStore store({.lifetime = 60s}, clock.fn());
  auto t = store.Issue(GrantFor("c"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->expires_in, 60s);
  clock.Advance(59s);
  EXPECT_TRUE(store.Find(t->access_token).has_value());
  clock.Advance(1s);
  EXPECT_FALSE(store.Find(t->access_token).has_value());
}

TEST(TokenStoreTest, TheTableIsBoundedAndSweptAsTokensExpire) {
  FakeClock clock;
  TokenStore store({.lifetime = 60s, .max_tokens = 3}, clock.fn());
  std::vector<std::string> first;
  for (int i = 0; i < 3; ++i) first.push_back(store.Issue(GrantFor("c"))->access_token);
  auto full = store.Issue(GrantFor("c"));
  EXPECT_EQ(full.status().code(), Code::kUnavailable);
  for (const auto& t : first) EXPECT_TRUE(store.Find(t).has_value());  // nobody was evicted
  clock.Advance(30s);
  EXPECT_EQ(store.Issue(GrantFor("c")).status().code(), Code::kUnavailable);
  clock.Advance(30s);  // the first three expire now
  auto later = store.Issue(GrantFor("d"));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(store.Find(later->access_token)->principal.client_id, "d");
}

TEST(TokenStoreTest, KeepsCertificateBindings) {
  TokenStore store;
  TokenGrant bound = GrantFor("c");
  bound.cert_thumbprint = Base64UrlEncode(Bytes(32, 9));
  auto t = store.Issue(bound);
  EXPECT_EQ(store.Find(t->access_token)->cert_thumbprint, bound.cert_thumbprint);
}

TEST(TokenStoreTest, ConcurrentIssueAndFind) {
  TokenStore store;
  std::vector<std::thread> threads;
  std::atomic<int> found{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto issued = store.Issue(GrantFor("c"));
        if (issued.ok() && store.Find(issued->access_token)) ++found;
        store.Find(RandomToken(kSecretBytes));
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(found.load(), 800);
  EXPECT_EQ(store.size(), 800u);
}

}  // namespace
}  // namespace pathbridge::gateway::auth
