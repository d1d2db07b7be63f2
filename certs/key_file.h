// Ed25519 secret key files, in the clear or sealed with a passphrase. JSON,
// written with WriteSecretFile (mode 0600, temp file and rename):
//   {"type":"pathbridge-ed25519-secret-key","secretKeyMultibase":"z3u2..."}
// or, with a passphrase,
//   {"type":"pathbridge-ed25519-secret-key",
//    "kdf":"argon2id13","opslimit":3,"memlimit":268435456,"salt":"<b64url>",
//    "cipher":"xchacha20poly1305-ietf","nonce":"<b64url>","ciphertext":"<b64url>"}
// The passphrase goes through Argon2id (libsodium crypto_pwhash) with the
// recorded limits and salt; the 32-byte seed is sealed with
// XChaCha20-Poly1305, whose associated data is the JCS form of every field
// but "ciphertext", so the header cannot be changed (say, to weaker limits)
// without the file failing to open. Key material and derived keys are wiped
// after use.
//
// Thread-safety: pure functions over files; concurrent writers of one path
// race (the last rename wins).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "certs/ed25519.h"

namespace pathbridge::certs {

// libsodium's crypto_pwhash_OPSLIMIT_MODERATE / MEMLIMIT_MODERATE (about a
// second and 256 MiB per open): the default for keys at rest.
inline constexpr uint64_t kPwhashOpsLimitModerate = 3;
inline constexpr std::size_t kPwhashMemLimitModerate = 268435456;

struct KeyFileProtection {
  std::string_view passphrase;  // empty: the key is written in the clear
  uint64_t opslimit = kPwhashOpsLimitModerate;
  std::size_t memlimit = kPwhashMemLimitModerate;
};

Status WriteKeyFile(const std::filesystem::path& path, const Ed25519Key& key,
                    const KeyFileProtection& protection = {});

// Opens a key file. Errors: kFailedPrecondition for a sealed file and no
// passphrase (or a file others can read); kVerificationFailed for a wrong
// passphrase or a changed file; kInvalidArgument for a malformed one;
// kResourceExhausted for limits beyond libsodium's "sensitive" level.
// A passphrase given for a file in the clear is not needed and not checked.
Result<Ed25519Key> ReadKeyFile(const std::filesystem::path& path,
                               std::string_view passphrase = {});

}  // namespace pathbridge::certs
