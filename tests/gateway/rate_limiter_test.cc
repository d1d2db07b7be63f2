// Token buckets per client address on an injected clock.
#include "gateway/auth/rate_limiter.h"

#include <gtest/gtest.h>

#include <string>

#include "gateway/problem.h"

namespace pathbridge::gateway::auth {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  std::shared_ptr<SteadyTime> now = std::make_shared<SteadyTime>(SteadyTime{} + 1000h);
  NowFn fn() const {
    return [now = now] { return *now; };
  }
  void Advance(std::chrono::milliseconds by) { *now += by; }
};

TEST(RateLimiterTest, ABurstThenTheRefillRate) {
  FakeClock clock;
  RateLimiter limiter({.per_second = 2, .burst = 3}, clock.fn());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("192.0.2.1").allowed) << i;
  RateDecision refused = limiter.Take("192.0.2.1");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1s);
  clock.Advance(500ms);  // one token back
  EXPECT_TRUE(limiter.Take("192.0.2.1").allowed);
  EXPECT_FALSE(limiter.Take("192.0.2.1").allowed);
  clock.Advance(1h);  // refills up to the burst, no further
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("192.0.2.1").allowed) << i;
  EXPECT_FALSE(limiter.Take("192.0.2.1").allowed);
}

TEST(RateLimiterTest, AddressesHaveTheirOwnBucketsAndIpv6GoesBySlash64) {
  FakeClock clock;
  RateLimiter limiter({.per_second = 1, .burst = 1}, clock.fn());
  EXPECT_TRUE(limiter.Take("192.0.2.1").allowed);
  EXPECT_FALSE(limiter.Take("192.0.2.1").allowed);
  EXPECT_TRUE(limiter.Take("192.0.2.2").allowed);
  EXPECT_TRUE(limiter.Take("2001:db8:0:1::1").allowed);
  EXPECT_FALSE(limiter.Take("2001:db8:0:1:ffff::2").allowed);  // same /64
  EXPECT_TRUE(limiter.Take("2001:db8:0:2::1").allowed);
  EXPECT_TRUE(limiter.Take("").allowed);  // no address: a bucket of its own
  EXPECT_FALSE(limiter.Take("").allowed);
}

TEST(RateLimiterTest, PeekTakesNothingAndSaysHowLongToWait) {
  FakeClock clock;
  RateLimiter limiter({.per_second = 0.1, .burst = 2}, clock.fn());
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Peek("198.51.100.7").allowed);
  limiter.Take("198.51.100.7");
  limiter.Take("198.51.100.7");
  RateDecision d = limiter.Peek("198.51.100.7");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, 10s);
  clock.Advance(4s);
  EXPECT_EQ(limiter.Peek("198.51.100.7").retry_after, 6s);
}

TEST(RateLimiterTest, MemoryIsBoundedByTheSlots) {
  FakeClock clock;
  RateLimiter limiter({.per_second = 1, .burst = 1, .slots = 4}, clock.fn());
  // Far more addresses than slots: they share buckets, so most are refused,
  // and nothing grows.
  int allowed = 0;
  for (int i = 0; i < 1000; ++i)
    allowed += limiter.Take("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256)).allowed;
  EXPECT_LE(allowed, 4);
  EXPECT_GE(allowed, 1);
}

TEST(RateLimiterTest, TooManyRequestsCarriesRetryAfter) {
  Response r = TooManyRequests(7s, "req-9");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.content_type, kProblemContentType);
  int retry_after = 0;
  for (const auto& [k, v] : r.headers)
    if (k == "Retry-After") {
      EXPECT_EQ(v, "7");
      ++retry_after;
    }
  EXPECT_EQ(retry_after, 1);
  EXPECT_NE(r.body.find("req-9"), std::string::npos);
}

}  // namespace
}  // namespace pathbridge::gateway::auth
