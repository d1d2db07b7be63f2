// Per-address rate limits: token buckets (`burst` tokens, refilled at
// `per_second`) for open routes that cost the server and for failed token
// requests. Memory is bounded by construction: addresses hash (SipHash,
// random key per limiter) into a fixed table of `slots` buckets, so a flood
// of distinct addresses cannot grow it; two addresses that share a slot
// share a budget, which with the default 65536 slots is rare. IPv6 peers
// are limited per /64, the smallest block one host is usually given.
// Addresses come from the TCP peer only; forwarding headers are not trusted.
//
// Thread-safety: all methods are safe from any thread (one mutex, held for
// a few arithmetic operations).
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <string_view>
#include <vector>

#include "gateway/auth/clock.h"
#include "gateway/http.h"

namespace pathbridge::gateway::auth {

struct RateLimitOptions {
  double per_second = 10;  // tokens added per second, > 0
  double burst = 50;       // bucket size, >= 1
  size_t slots = 1 << 16;
};

struct RateDecision {
  bool allowed = true;
  std::chrono::seconds retry_after{0};  // when refused: until a token is back (>= 1 s)
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimitOptions options, NowFn now = SteadyNow);

  // Takes a token from the address's bucket if it has one.
  RateDecision Take(std::string_view address);
  // Whether the bucket has a token, taking none: failures are charged with
  // Take after the fact, so a refused caller costs nothing more.
  RateDecision Peek(std::string_view address);

 private:
  struct Bucket {
    double tokens = 0;
    SteadyTime last{};
    bool used = false;  // an unused bucket is full
  };
  Bucket& Refill(std::string_view address, SteadyTime now);
  RateDecision Decide(const Bucket& bucket) const;

  const RateLimitOptions options_;
  const NowFn now_;
  std::array<unsigned char, 16> key_{};
  std::mutex mu_;
  std::vector<Bucket> buckets_;
};

// A 429 problem with Retry-After.
Response TooManyRequests(std::chrono::seconds retry_after, std::string_view request_id);

}  // namespace pathbridge::gateway::auth
