// Random credentials and how they are checked: client ids, client secrets
// and access tokens are random bytes in base64url; secrets are stored only
// as Argon2id hashes (libsodium crypto_pwhash_str); comparisons that involve
// a secret take constant time.
//
// Argon2id limits: libsodium's INTERACTIVE (2 passes, 64 MiB). A client
// secret is 32 random bytes, so stretching adds nothing against guessing
// it; the hash is there so that a copy of clients.db yields no usable
// secret, and its cost is paid by the server on every token request. With
// MODERATE (256 MiB, ~4x the time) a few concurrent logins would take a
// gigabyte, which is an easier denial of service than it protects against.
// The parameters are stored in each hash, so raising them later only
// affects new secrets.
//
// Thread-safety: all functions are safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "standards/status.h"

namespace pathbridge::gateway::auth {

inline constexpr size_t kSecretBytes = 32;    // client secrets and access tokens
inline constexpr size_t kClientIdBytes = 16;  // ids are not secret, only unguessable
// The base64url length of kSecretBytes.
inline constexpr size_t kSecretChars = 43;
// What a request may send as a client id or secret before it is refused
// unread (ours are 22 and 43 characters).
inline constexpr size_t kMaxClientIdLength = 64;
inline constexpr size_t kMaxClientSecretLength = 128;

struct HashLimits {
  unsigned long long opslimit;
  size_t memlimit;
};
HashLimits InteractiveLimits();

// `bytes` random bytes (libsodium), base64url without padding.
std::string RandomToken(size_t bytes);
// A new client id: RandomToken(kClientIdBytes), drawn again while it starts
// with '-', which a command line takes for an option (`pathbridge clients
// disable <id>`).
std::string RandomClientId();

// crypto_pwhash_str: "$argon2id$v=19$m=...,t=...,p=1$salt$hash".
// ResourceExhausted if the memory cannot be had.
Result<std::string> HashSecret(std::string_view secret, HashLimits limits);
// Whether `secret` matches `hash` (crypto_pwhash_str_verify); false for a
// hash that is not an Argon2id string.
bool SecretMatches(std::string_view hash, std::string_view secret);

// Equality whose time depends on the lengths only.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace pathbridge::gateway::auth
