#include "gateway/auth/rate_limiter.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "certs/ed25519.h"
#include "gateway/problem.h"

namespace pathbridge::gateway::auth {
namespace {

// The bytes that identify a peer: an IPv4 address, an IPv6 /64, or the
// text itself if it is neither.
std::string_view PeerKey(std::string_view address, unsigned char (&buf)[16]) {
  char text[INET6_ADDRSTRLEN + 1];
  if (address.size() < sizeof text) {
    std::memcpy(text, address.data(), address.size());
    text[address.size()] = '\0';
    if (inet_pton(AF_INET, text, buf) == 1) return {reinterpret_cast<char*>(buf), 4};
    if (inet_pton(AF_INET6, text, buf) == 1) return {reinterpret_cast<char*>(buf), 8};
  }
  return address;
}

}  // namespace

RateLimiter::RateLimiter(RateLimitOptions options, NowFn now)
    : options_(options), now_(std::move(now)), buckets_(std::max<size_t>(options.slots, 1)) {
  certs::InitCrypto();
  crypto_shorthash_keygen(key_.data());
}

RateLimiter::Bucket& RateLimiter::Refill(std::string_view address, SteadyTime now) {
  unsigned char buf[16];
  std::string_view key = PeerKey(address, buf);
  unsigned char h[crypto_shorthash_BYTES];
  crypto_shorthash(h, reinterpret_cast<const unsigned char*>(key.data()), key.size(), key_.data());
  uint64_t slot;
  std::memcpy(&slot, h, sizeof slot);
  Bucket& b = buckets_[slot % buckets_.size()];
  if (!b.used) {
    b = {options_.burst, now, true};
  } else if (now > b.last) {
    double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(options_.burst, b.tokens + elapsed * options_.per_second);
    b.last = now;
  }
  return b;
}

RateDecision RateLimiter::Decide(const Bucket& bucket) const {
  if (bucket.tokens >= 1) return {};
  double wait = (1 - bucket.tokens) / options_.per_second;
  return {false, std::chrono::seconds(std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait))))};
}

RateDecision RateLimiter::Take(std::string_view address) {
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& b = Refill(address, now_());
  RateDecision d = Decide(b);
  if (d.allowed) b.tokens -= 1;
  return d;
}

RateDecision RateLimiter::Peek(std::string_view address) {
  std::lock_guard<std::mutex> lock(mu_);
  return Decide(Refill(address, now_()));
}

Response TooManyRequests(std::chrono::seconds retry_after, std::string_view request_id) {
  Response r = Problem(429, "too many requests from this address; retry later", request_id);
  for (auto& [name, value] : r.headers)
    if (name == "Retry-After") value = std::to_string(retry_after.count());
  return r;
}

}  // namespace pathbridge::gateway::auth
