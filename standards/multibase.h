// Multibase (draft-multiformats-multibase): a one-character prefix naming
// the base, then the encoded bytes. Data Integrity proofs and Multikeys use
// two of them: base58btc ('z', the Bitcoin alphabet; leading zero bytes are
// written as '1') and base64url without padding ('u', RFC 4648 §5).
// Decoders are strict and report the offset of the first bad character in
// the whole multibase string (the prefix is offset 0).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "standards/encoding.h"

namespace pathbridge {

enum class Multibase : char {
  kBase58Btc = 'z',
  kBase64Url = 'u',
};

// Base58 decoding is quadratic in the length; longer input is refused
// (Code::kResourceExhausted). Keys and signatures are under 100 characters.
inline constexpr std::size_t kMaxBase58Length = 4096;

std::string Base58BtcEncode(ByteSpan data);
Result<Bytes> Base58BtcDecode(std::string_view text);

std::string MultibaseEncode(Multibase base, ByteSpan data);
// Accepts the 'z' and 'u' prefixes; any other prefix is an error.
Result<Bytes> MultibaseDecode(std::string_view text);

}  // namespace pathbridge
