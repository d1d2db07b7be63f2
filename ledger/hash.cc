#include "ledger/hash.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <cstring>

namespace pathbridge::ledger {
namespace {

void Check(int ok) {
  // Digest failures mean OpenSSL itself is broken (out of memory): there is
  // no sensible way to continue hashing a log.
  if (ok != 1) std::abort();
}

}  // namespace

Hasher::Hasher()
    : ctx_(EVP_MD_CTX_new()), md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)) {
  if (ctx_ == nullptr || md_ == nullptr) std::abort();
}

Hasher::~Hasher() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(md_);
}

Hash Hasher::Sha256(std::initializer_list<ByteSpan> parts) {
  Hash out;
  Check(EVP_DigestInit_ex2(ctx_, md_, nullptr));
  for (ByteSpan p : parts) Check(EVP_DigestUpdate(ctx_, p.data(), p.size()));
  Check(EVP_DigestFinal_ex(ctx_, out.data(), nullptr));
  return out;
}

Hash Hasher::Sha256(ByteSpan data) { return Sha256({data}); }

Hash Hasher::Leaf(ByteSpan entry) {
  static constexpr uint8_t kPrefix = 0x00;
  return Sha256({ByteSpan(&kPrefix, 1), entry});
}

Hash Hasher::Node(const Hash& left, const Hash& right) {
  uint8_t buf[65];
  buf[0] = 0x01;
  std::memcpy(buf + 1, left.data(), 32);
  std::memcpy(buf + 33, right.data(), 32);
  return Sha256(ByteSpan(buf, sizeof buf));
}

const Hash& Hasher::EmptyRoot() {
  static const Hash kEmpty = ThreadHasher().Sha256(ByteSpan());
  return kEmpty;
}

Hasher& ThreadHasher() {
  thread_local Hasher hasher;
  return hasher;
}

Result<Hash> HashFromBytes(ByteSpan b, std::string_view what) {
  if (b.size() != 32)
    return InvalidArgument(std::string(what) + " must be 32 bytes, got " +
                           std::to_string(b.size()));
  Hash h;
  std::memcpy(h.data(), b.data(), 32);
  return h;
}

Result<Hash> HashFromBase64(std::string_view b64, std::string_view what) {
  auto bytes = Base64Decode(b64);
  if (!bytes.ok()) return bytes.status().WithContext(what);
  return HashFromBytes(*bytes, what);
}

}  // namespace pathbridge::ledger
