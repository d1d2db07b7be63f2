// Access tokens (RFC 6749 §1.4): opaque, 32 random bytes in base64url,
// short-lived, held in memory only. The table is keyed by the token's
// SHA-256, so neither it nor a core dump holds a usable token; lookups
// compare keys in constant time. A restart forgets every token (clients
// simply ask for a new one).
//
// The table is bounded: expired tokens are swept as new ones are issued
// (issue order is expiry order, since every token has the same lifetime),
// and when max_tokens live tokens exist, Issue refuses (Unavailable) rather
// than drop someone's valid token. Argon2 on every token request keeps the
// issue rate far below what would fill the default table.
//
// Thread-safety: all methods are safe from any thread (a shared mutex:
// lookups run in parallel).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gateway/auth/clock.h"
#include "gateway/http.h"
#include "standards/status.h"

namespace pathbridge::gateway::auth {

struct TokenStoreOptions {
  std::chrono::seconds lifetime{15 * 60};
  size_t max_tokens = 1 << 16;
};

// What a token stands for.
struct TokenGrant {
  Principal principal;
  // Set for a certificate-bound client (RFC 8705 §3): the token is only
  // good on a connection presenting that certificate.
  std::optional<std::string> cert_thumbprint;
};

struct IssuedToken {
  std::string access_token;
  std::chrono::seconds expires_in;
};

class TokenStore {
 public:
  explicit TokenStore(TokenStoreOptions options = {}, NowFn now = SteadyNow);

  Result<IssuedToken> Issue(TokenGrant grant);
  // The grant of a live token; nullopt for an unknown or expired one.
  std::optional<TokenGrant> Find(std::string_view access_token) const;
  // Live and not yet swept tokens.
  size_t size() const;

 private:
  using Key = std::array<uint8_t, 32>;
  struct Entry {
    TokenGrant grant;
    SteadyTime expires;
  };
  struct KeyHash {
    size_t operator()(const Key& key) const;
  };
  struct KeyEqual {
    bool operator()(const Key& a, const Key& b) const;
  };

  static Key KeyOf(std::string_view token);
  void SweepLocked(SteadyTime now);

  const TokenStoreOptions options_;
  const NowFn now_;
  mutable std::shared_mutex mu_;
  std::unordered_map<Key, Entry, KeyHash, KeyEqual> tokens_;
  std::deque<std::pair<SteadyTime, Key>> by_expiry_;
};

}  // namespace pathbridge::gateway::auth
