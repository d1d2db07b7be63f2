// Byte encodings shared by every module: base64 (RFC 4648 §4, padded),
// base64url (§5, unpadded) and lower-case hex. Decoders are strict: they
// reject characters outside the alphabet, wrong padding and non-zero
// trailing bits, and report the offset of the first bad character.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "standards/status.h"

namespace pathbridge {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;

inline ByteSpan AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsChars(ByteSpan b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::string Base64Encode(ByteSpan data);
Result<Bytes> Base64Decode(std::string_view text);
std::string Base64UrlEncode(ByteSpan data);  // no padding
Result<Bytes> Base64UrlDecode(std::string_view text);
std::string HexEncode(ByteSpan data);
Result<Bytes> HexDecode(std::string_view text);

// Canonical unsigned decimal: 1 to 20 digits, no sign, no leading zero
// (but "0" itself), at most UINT64_MAX, so every number has one spelling.
// Messages name `what` ("tree size has a leading zero"); callers add where.
Result<uint64_t> ParseCanonicalDecimal(std::string_view text, std::string_view what);

// Decodes the UTF-8 sequence at s[i] (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF): returns its length and stores the code
// point, or returns 0 when the bytes there are not valid (or truncated).
std::size_t DecodeUtf8(std::string_view s, std::size_t i, uint32_t* code_point);
// Appends the UTF-8 encoding of a valid code point (not a surrogate).
void AppendUtf8(uint32_t code_point, std::string& out);

// Decoders report where as "offset N". A caller that decoded part of a
// larger string moves N by the part's start, so it points into the whole.
Status ShiftOffset(const Status& status, std::size_t by);

}  // namespace pathbridge
