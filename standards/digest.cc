#include "standards/digest.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace pathbridge {
namespace {

void Check(int ok) {
  // Digest failures mean OpenSSL itself is broken (out of memory); there is no
  // sensible result to return for a hash.
  if (ok != 1) std::abort();
}

}  // namespace

std::string_view HashAlgorithmName(HashAlgorithm alg) {
  return alg == HashAlgorithm::kSha384 ? "SHA-384" : "SHA-256";
}

void AppendLowerHex(const uint8_t* bytes, size_t n, std::string& out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  size_t at = out.size();
  out.resize(at + 2 * n);
  for (size_t i = 0; i < n; ++i) {
    out[at + 2 * i] = kDigits[bytes[i] >> 4];
    out[at + 2 * i + 1] = kDigits[bytes[i] & 15];
  }
}

std::string DigestValue::Hex() const {
  std::string out;
  AppendHex(out);
  return out;
}

void DigestValue::AppendHex(std::string& out) const { AppendLowerHex(bytes.data(), size, out); }

Digester::Digester(HashAlgorithm alg)
    : alg_(alg),
      ctx_(EVP_MD_CTX_new()),
      md_(EVP_MD_fetch(nullptr, alg == HashAlgorithm::kSha384 ? "SHA384" : "SHA256", nullptr)) {
  if (ctx_ == nullptr || md_ == nullptr) std::abort();
}

Digester::~Digester() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(md_);
}

void Digester::Begin() { Check(EVP_DigestInit_ex2(ctx_, md_, nullptr)); }

void Digester::Update(std::string_view part) {
  Check(EVP_DigestUpdate(ctx_, part.data(), part.size()));
}

DigestValue Digester::Finish() {
  DigestValue v;
  unsigned int n = 0;
  Check(EVP_DigestFinal_ex(ctx_, v.bytes.data(), &n));
  v.size = static_cast<uint8_t>(n);
  return v;
}

DigestValue Digester::Hash(std::string_view data) {
  Begin();
  Update(data);
  return Finish();
}

Digester& ThreadDigester(HashAlgorithm alg) {
  thread_local Digester sha256(HashAlgorithm::kSha256);
  thread_local Digester sha384(HashAlgorithm::kSha384);
  return alg == HashAlgorithm::kSha384 ? sha384 : sha256;
}

}  // namespace pathbridge
