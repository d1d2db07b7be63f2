// The bitstring of a W3C Bitstring Status List v1.0 and its `encodedList`
// form: multibase base64url (prefix 'u', no padding) of the GZIP-compressed
// (RFC 1952) bytes. Index 0 is the left-most (most significant) bit of the
// first byte; the last index is the right-most bit of the last byte.
//
// Decode is the side that reads untrusted lists: it refuses anything but a
// 'u' multibase string of strict base64url holding GZIP data, stops inflating
// at a size limit (a few KB of GZIP can expand to gigabytes), and refuses
// lists shorter than the spec's 131,072-entry minimum (herd privacy).
//
// Thread-safety: a Bitstring is a value type; Encode and Decode are pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "standards/encoding.h"

namespace pathbridge::credentials {

// The spec's minimum list length: 131,072 entries, 16 KiB uncompressed.
inline constexpr std::size_t kMinimumListBits = 131072;

class Bitstring {
 public:
  // A list of `size_bits` zero bits, rounded up to whole bytes (the GZIP
  // payload is bytes, so a list always holds a multiple of 8 entries).
  explicit Bitstring(std::size_t size_bits = kMinimumListBits)
      : bytes_((size_bits + 7) / 8, 0) {}
  explicit Bitstring(Bytes bytes) : bytes_(std::move(bytes)) {}

  std::size_t size() const { return bytes_.size() * 8; }
  // Requires index < size().
  bool Get(std::size_t index) const { return (bytes_[index / 8] >> (7 - index % 8)) & 1; }
  void Set(std::size_t index, bool value) {
    const unsigned mask = 0x80u >> (index % 8);
    uint8_t& byte = bytes_[index / 8];
    byte = static_cast<uint8_t>(value ? (byte | mask) : (byte & ~mask));
  }
  std::size_t CountSet() const;
  const Bytes& bytes() const { return bytes_; }

  // The `encodedList` value: "u" + base64url(gzip(bytes)). Fails only if
  // zlib does (out of memory).
  Result<std::string> Encode() const;

 private:
  Bytes bytes_;
};

struct DecodeLimits {
  std::size_t min_bits = kMinimumListBits;
  // Inflated size above which decoding stops (Code::kResourceExhausted):
  // 16 MiB is 134 million entries, far beyond any real list.
  std::size_t max_bytes = 16u << 20;
};

// Expands an `encodedList`. Errors (Code::kInvalidArgument unless noted)
// name the problem: a prefix other than 'u', bad base64url (where: "offset
// N" in the whole string), bytes that are not GZIP, corrupt or truncated
// GZIP data, a list over max_bytes (kResourceExhausted) or under min_bits.
// Concatenated GZIP members (RFC 1952 §2.2) are one list.
Result<Bitstring> Decode(std::string_view encoded_list, const DecodeLimits& limits = {});

}  // namespace pathbridge::credentials
