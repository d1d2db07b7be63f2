#include "certs/ed25519.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace pathbridge::certs {

void InitCrypto() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) std::abort();  // no usable randomness: nothing safe to do
}

Ed25519Key Ed25519Key::Generate() {
  InitCrypto();
  Ed25519Key k;
  crypto_sign_keypair(k.public_.data(), k.secret_.data());
  return k;
}

Result<Ed25519Key> Ed25519Key::FromSeed(ByteSpan seed32) {
  InitCrypto();
  if (seed32.size() != crypto_sign_SEEDBYTES)
    return InvalidArgument("an Ed25519 seed must be 32 bytes, got " +
                           std::to_string(seed32.size()));
  Ed25519Key k;
  crypto_sign_seed_keypair(k.public_.data(), k.secret_.data(), seed32.data());
  return k;
}

Ed25519Key::~Ed25519Key() { sodium_memzero(secret_.data(), secret_.size()); }

Ed25519Signature Ed25519Key::Sign(ByteSpan message) const {
  Ed25519Signature sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_.data());
  return sig;
}

bool VerifyEd25519(const Ed25519PublicKey& key, ByteSpan message, ByteSpan signature) {
  InitCrypto();
  if (signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.data()) == 0;
}

Result<Ed25519PublicKey> Ed25519PublicKeyFromBytes(ByteSpan bytes) {
  InitCrypto();
  if (bytes.size() != crypto_sign_PUBLICKEYBYTES)
    return InvalidArgument("an Ed25519 public key must hold 32 key bytes, got " +
                           std::to_string(bytes.size()));
  if (crypto_core_ed25519_is_valid_point(bytes.data()) != 1)
    return InvalidArgument("the Ed25519 public key is not a valid curve point");
  Ed25519PublicKey key;
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view contents,
                           unsigned mode) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return IoError(std::strerror(errno), tmp.string());
  ::fchmod(fd, mode);  // O_CREAT honours umask; an existing file keeps its mode
  size_t off = 0;
  while (off < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + off, contents.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return IoError(std::strerror(e), tmp.string());
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return IoError("cannot flush secret file", tmp.string());
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return IoError(std::strerror(e), path.string());
  }
  return Status::Ok();
}

Status WriteSecretFile(const std::filesystem::path& path, std::string_view contents) {
  return WriteFileAtomically(path, contents, 0600);
}

Result<std::string> ReadSecretFile(const std::filesystem::path& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return Status(errno == ENOENT ? Code::kNotFound : Code::kIoError, std::strerror(errno),
                  path.string());
  if ((st.st_mode & 077) != 0)
    return Status(Code::kFailedPrecondition,
                  "secret file is readable by group or others; run chmod 600 on it",
                  path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot open", path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace pathbridge::certs
