// Ed25519 keys (libsodium): generation, signing, verification, and key files
// written with 0600 permissions through a temp file and rename.
//
// Thread-safety: Ed25519Key is immutable after construction; concurrent
// Sign() calls are safe. InitCrypto() must run once before any use
// (it is idempotent and thread-safe; the other functions call it).
#pragma once

#include <array>
#include <filesystem>
#include <string>

#include "standards/encoding.h"

namespace pathbridge::certs {

using Ed25519PublicKey = std::array<uint8_t, 32>;
using Ed25519Signature = std::array<uint8_t, 64>;

void InitCrypto();

class Ed25519Key {
 public:
  static Ed25519Key Generate();
  static Result<Ed25519Key> FromSeed(ByteSpan seed32);

  Ed25519Key(const Ed25519Key&) = default;
  Ed25519Key& operator=(const Ed25519Key&) = default;
  ~Ed25519Key();  // wipes the secret

  const Ed25519PublicKey& public_key() const { return public_; }
  ByteSpan seed() const { return {secret_.data(), 32}; }
  Ed25519Signature Sign(ByteSpan message) const;

 private:
  Ed25519Key() = default;
  std::array<uint8_t, 64> secret_{};  // libsodium layout: seed || public key
  Ed25519PublicKey public_{};
};

bool VerifyEd25519(const Ed25519PublicKey& key, ByteSpan message, ByteSpan signature);
// A public key from its 32 raw bytes, refusing other lengths and byte
// strings that are not a point on the curve (small-order points included).
Result<Ed25519PublicKey> Ed25519PublicKeyFromBytes(ByteSpan bytes);

// Writes `contents` to `path` with `mode` through a temp file, fsync and
// rename, so a crash leaves either the old file or the whole new one.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view contents,
                           unsigned mode);
// WriteFileAtomically with mode 0600, so a secret is never half-written or
// world-readable.
Status WriteSecretFile(const std::filesystem::path& path, std::string_view contents);
// Reads a secret file, refusing one that group or others can read.
Result<std::string> ReadSecretFile(const std::filesystem::path& path);

}  // namespace pathbridge::certs
