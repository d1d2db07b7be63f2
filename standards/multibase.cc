#include "standards/multibase.h"

#include <array>
#include <cstdint>

namespace pathbridge {
namespace {

constexpr char kBase58Alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

std::array<int8_t, 256> Base58Reverse() {
  std::array<int8_t, 256> t{};
  t.fill(-1);
  for (int i = 0; i < 58; ++i) t[static_cast<uint8_t>(kBase58Alphabet[i])] = static_cast<int8_t>(i);
  return t;
}

std::string Offset(std::size_t i) { return "offset " + std::to_string(i); }

}  // namespace

// Base conversion by repeated multiply-add over a big-endian digit buffer
// (the Bitcoin reference algorithm); inputs here are short.
std::string Base58BtcEncode(ByteSpan data) {
  std::size_t zeros = 0;
  while (zeros < data.size() && data[zeros] == 0) ++zeros;
  // log(256) / log(58) < 1.38 digits per byte.
  std::vector<uint8_t> digits((data.size() - zeros) * 138 / 100 + 1);
  std::size_t used = 0;  // digits in use, counted from the end
  for (std::size_t b = zeros; b < data.size(); ++b) {
    uint32_t carry = data[b];
    std::size_t i = 0;
    for (auto it = digits.rbegin(); (carry != 0 || i < used) && it != digits.rend(); ++it, ++i) {
      carry += 256u * *it;
      *it = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    used = i;
  }
  std::string out(zeros, '1');
  for (std::size_t i = digits.size() - used; i < digits.size(); ++i) out += kBase58Alphabet[digits[i]];
  return out;
}

Result<Bytes> Base58BtcDecode(std::string_view text) {
  static const auto rev = Base58Reverse();
  if (text.size() > kMaxBase58Length)
    return Status(Code::kResourceExhausted,
                  "base58btc text longer than " + std::to_string(kMaxBase58Length) + " characters",
                  Offset(kMaxBase58Length));
  std::size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') ++zeros;
  // log(58) / log(256) < 0.733 bytes per digit.
  std::vector<uint8_t> bytes((text.size() - zeros) * 733 / 1000 + 1);
  std::size_t used = 0;
  for (std::size_t c = zeros; c < text.size(); ++c) {
    int8_t v = rev[static_cast<uint8_t>(text[c])];
    if (v < 0) return InvalidArgument("invalid base58btc character", Offset(c));
    uint32_t carry = static_cast<uint32_t>(v);
    std::size_t i = 0;
    for (auto it = bytes.rbegin(); (carry != 0 || i < used) && it != bytes.rend(); ++it, ++i) {
      carry += 58u * *it;
      *it = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    used = i;
  }
  Bytes out(zeros, 0);
  out.insert(out.end(), bytes.end() - static_cast<std::ptrdiff_t>(used), bytes.end());
  return out;
}

std::string MultibaseEncode(Multibase base, ByteSpan data) {
  std::string out(1, static_cast<char>(base));
  out += base == Multibase::kBase58Btc ? Base58BtcEncode(data) : Base64UrlEncode(data);
  return out;
}

Result<Bytes> MultibaseDecode(std::string_view text) {
  if (text.empty()) return InvalidArgument("empty multibase string (no base prefix)", Offset(0));
  const char prefix = text.front();
  const bool base58 = prefix == static_cast<char>(Multibase::kBase58Btc);
  if (!base58 && prefix != static_cast<char>(Multibase::kBase64Url))
    return InvalidArgument(
        "unsupported multibase prefix (expected 'z' base58btc or 'u' base64url)", Offset(0));
  auto out = base58 ? Base58BtcDecode(text.substr(1)) : Base64UrlDecode(text.substr(1));
  if (!out.ok()) return ShiftOffset(out.status(), 1);
  return out;
}

}  // namespace pathbridge
