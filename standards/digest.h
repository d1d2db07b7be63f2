// SHA-256 / SHA-384 digests for the standards code (RDFC-1.0 hashing, Data
// Integrity hash data). A Digester keeps one OpenSSL context and reuses it:
// re-initialising a context is several times cheaper than creating one, which
// matters when hashing thousands of short N-Quads lines.
//
// Thread-safety: a Digester is not shared between threads; ThreadDigester()
// returns this thread's instance for an algorithm.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

struct evp_md_ctx_st;
struct evp_md_st;

namespace pathbridge {

enum class HashAlgorithm : uint8_t { kSha256, kSha384 };

// "SHA-256" / "SHA-384".
std::string_view HashAlgorithmName(HashAlgorithm alg);

// A digest value; size() is 32 or 48 bytes.
struct DigestValue {
  std::array<uint8_t, 48> bytes{};
  uint8_t size = 0;
  std::string Hex() const;             // lower-case hex
  void AppendHex(std::string& out) const;
};

class Digester {
 public:
  explicit Digester(HashAlgorithm alg);
  ~Digester();
  Digester(const Digester&) = delete;
  Digester& operator=(const Digester&) = delete;

  HashAlgorithm algorithm() const { return alg_; }
  // Begin, Update..., Finish computes one digest over the concatenated parts.
  void Begin();
  void Update(std::string_view part);
  DigestValue Finish();
  DigestValue Hash(std::string_view data);

 private:
  HashAlgorithm alg_;
  evp_md_ctx_st* ctx_;
  evp_md_st* md_;
};

Digester& ThreadDigester(HashAlgorithm alg);

// Appends the lower-case hex of bytes to out.
void AppendLowerHex(const uint8_t* bytes, size_t n, std::string& out);

}  // namespace pathbridge
