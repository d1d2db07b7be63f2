#include "gateway/auth/token_store.h"

#include <sodium.h>

#include <cstring>
#include <mutex>

#include "gateway/auth/secrets.h"
#include "standards/digest.h"

namespace pathbridge::gateway::auth {

size_t TokenStore::KeyHash::operator()(const Key& key) const {
  // The key is a SHA-256 output of a random token: any 8 bytes are uniform.
  size_t h;
  std::memcpy(&h, key.data(), sizeof h);
  return h;
}

bool TokenStore::KeyEqual::operator()(const Key& a, const Key& b) const {
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

TokenStore::TokenStore(TokenStoreOptions options, NowFn now)
    : options_(options), now_(std::move(now)) {}

TokenStore::Key TokenStore::KeyOf(std::string_view token) {
  DigestValue d = ThreadDigester(HashAlgorithm::kSha256).Hash(token);
  Key key;
  std::memcpy(key.data(), d.bytes.data(), key.size());
  return key;
}

void TokenStore::SweepLocked(SteadyTime now) {
  while (!by_expiry_.empty() && by_expiry_.front().first <= now) {
    tokens_.erase(by_expiry_.front().second);
    by_expiry_.pop_front();
  }
}

Result<IssuedToken> TokenStore::Issue(TokenGrant grant) {
  IssuedToken out{RandomToken(kSecretBytes), options_.lifetime};
  Key key = KeyOf(out.access_token);
  std::unique_lock lock(mu_);
  SteadyTime now = now_();
  SweepLocked(now);
  if (tokens_.size() >= options_.max_tokens)
    return Status(Code::kUnavailable, "too many live access tokens; retry later");
  SteadyTime expires = now + options_.lifetime;
  tokens_.emplace(key, Entry{std::move(grant), expires});
  by_expiry_.emplace_back(expires, key);
  return out;
}

std::optional<TokenGrant> TokenStore::Find(std::string_view access_token) const {
  if (access_token.size() != kSecretChars) return std::nullopt;
  Key key = KeyOf(access_token);
  std::shared_lock lock(mu_);
  auto it = tokens_.find(key);
  if (it == tokens_.end() || it->second.expires <= now_()) return std::nullopt;
  return it->second.grant;
}

size_t TokenStore::size() const {
  std::shared_lock lock(mu_);
  return tokens_.size();
}

}  // namespace pathbridge::gateway::auth
