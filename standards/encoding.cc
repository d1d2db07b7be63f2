#include "standards/encoding.h"

#include <array>
#include <charconv>

namespace pathbridge {
namespace {

constexpr char kStd[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::array<int8_t, 256> ReverseTable(const char* alphabet) {
  std::array<int8_t, 256> t{};
  t.fill(-1);
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}

std::string Encode(ByteSpan in, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  size_t rest = in.size() - i;
  if (rest == 1) {
    uint32_t v = in[i] << 16;
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    uint32_t v = (in[i] << 16) | (in[i + 1] << 8);
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    if (pad) out += '=';
  }
  return out;
}

Result<Bytes> Decode(std::string_view in, const std::array<int8_t, 256>& rev,
                     bool padded, const char* name) {
  size_t len = in.size();
  size_t pads = 0;
  if (padded) {
    if (len % 4 != 0)
      return InvalidArgument(std::string(name) + " length is not a multiple of 4",
                             "offset " + std::to_string(len));
    while (pads < 2 && len > 0 && in[len - 1] == '=') { --len; ++pads; }
  } else if (len % 4 == 1) {
    return InvalidArgument(std::string(name) + " has an impossible length",
                           "offset " + std::to_string(len));
  }
  Bytes out;
  out.reserve(len * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < len; ++i) {
    int8_t v = rev[static_cast<uint8_t>(in[i])];
    if (v < 0)
      return InvalidArgument(std::string("invalid ") + name + " character",
                             "offset " + std::to_string(i));
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0)  // non-canonical: leftover bits must be zero
    return InvalidArgument(std::string(name) + " has non-zero trailing bits",
                           "offset " + std::to_string(len));
  return out;
}

}  // namespace

std::string Base64Encode(ByteSpan data) { return Encode(data, kStd, true); }
std::string Base64UrlEncode(ByteSpan data) { return Encode(data, kUrl, false); }

Result<Bytes> Base64Decode(std::string_view text) {
  static const auto rev = ReverseTable(kStd);
  return Decode(text, rev, true, "base64");
}
Result<Bytes> Base64UrlDecode(std::string_view text) {
  static const auto rev = ReverseTable(kUrl);
  return Decode(text, rev, false, "base64url");
}

std::string HexEncode(ByteSpan data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(data.size() * 2, '\0');
  for (size_t i = 0; i < data.size(); ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0)
    return InvalidArgument("hex string has odd length", "offset " + std::to_string(text.size()));
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    int hi = nibble(text[i]), lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0)
      return InvalidArgument("invalid hex digit", "offset " + std::to_string(hi < 0 ? i : i + 1));
    out[i / 2] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

Result<uint64_t> ParseCanonicalDecimal(std::string_view text, std::string_view what) {
  std::string name(what);
  if (text.empty() || text.size() > 20)
    return InvalidArgument(name + " must be a decimal number of 1 to 20 digits");
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return InvalidArgument(name + " must be a decimal number");
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return InvalidArgument(name + " does not fit in 64 bits");
    v = v * 10 + d;
  }
  if (text.size() > 1 && text[0] == '0') return InvalidArgument(name + " has a leading zero");
  return v;
}

std::size_t DecodeUtf8(std::string_view s, std::size_t i, uint32_t* code_point) {
  auto byte = [&](std::size_t k) { return static_cast<uint8_t>(s[i + k]); };
  const uint8_t b0 = byte(0);
  if (b0 < 0x80) {
    *code_point = b0;
    return 1;
  }
  const std::size_t n = b0 >= 0xf0 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 0;
  if (n == 0 || b0 > 0xf4 || i + n > s.size()) return 0;
  uint32_t cp = b0 & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(k) & 0x3f);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  *code_point = cp;
  return n;
}

Status ShiftOffset(const Status& status, std::size_t by) {
  constexpr std::string_view kPrefix = "offset ";
  std::string_view where = status.where();
  if (where.substr(0, kPrefix.size()) != kPrefix) return status;
  where.remove_prefix(kPrefix.size());
  std::size_t n = 0;
  auto [end, err] = std::from_chars(where.data(), where.data() + where.size(), n);
  if (err != std::errc() || end != where.data() + where.size()) return status;
  return Status(status.code(), status.message(), "offset " + std::to_string(n + by));
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace pathbridge
