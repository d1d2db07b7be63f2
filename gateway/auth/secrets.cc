#include "gateway/auth/secrets.h"

#include <sodium.h>

#include "certs/ed25519.h"
#include "standards/encoding.h"

namespace pathbridge::gateway::auth {

HashLimits InteractiveLimits() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

std::string RandomClientId() {
  std::string id;
  do id = RandomToken(kClientIdBytes);
  while (id.front() == '-');
  return id;
}

std::string RandomToken(size_t bytes) {
  certs::InitCrypto();
  Bytes b(bytes);
  randombytes_buf(b.data(), b.size());
  std::string out = Base64UrlEncode(b);
  sodium_memzero(b.data(), b.size());
  return out;
}

Result<std::string> HashSecret(std::string_view secret, HashLimits limits) {
  certs::InitCrypto();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, secret.data(), secret.size(), limits.opslimit, limits.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Status(Code::kResourceExhausted, "not enough memory to hash the secret");
  return std::string(out);
}

bool SecretMatches(std::string_view hash, std::string_view secret) {
  constexpr std::string_view kPrefix = "$argon2id$";
  if (hash.substr(0, kPrefix.size()) != kPrefix || hash.size() >= crypto_pwhash_STRBYTES)
    return false;
  certs::InitCrypto();
  std::string terminated(hash);  // crypto_pwhash_str_verify reads a C string
  return crypto_pwhash_str_verify(terminated.c_str(), secret.data(), secret.size()) == 0;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0);
}

}  // namespace pathbridge::gateway::auth
