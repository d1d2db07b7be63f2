#include "gateway/url_encoded.h"

#include <algorithm>

#include "standards/encoding.h"

namespace pathbridge::gateway {
namespace {

std::string Offset(size_t pos) { return "offset " + std::to_string(pos); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> PercentDecode(std::string_view raw, UrlEncodedSyntax syntax) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      int hi = i + 1 < raw.size() ? HexValue(raw[i + 1]) : -1;
      int lo = i + 2 < raw.size() ? HexValue(raw[i + 2]) : -1;
      if (hi < 0 || lo < 0) return InvalidArgument("bad percent-escape", Offset(i));
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && syntax.plus_is_space) {
      c = ' ';
    }
    bool line_break = c == '\t' || c == '\n' || c == '\r';
    if ((static_cast<unsigned char>(c) < 0x20 && !(line_break && syntax.line_breaks)) || c == 0x7f)
      return InvalidArgument("control character", Offset(i));
    out += c;
  }
  return out;
}

Result<std::map<std::string, std::string>> ParseUrlEncoded(std::string_view raw,
                                                           UrlEncodedSyntax syntax) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < raw.size(); ++i) {
    auto u = static_cast<unsigned char>(raw[i]);
    if (u <= 0x20 || u >= 0x7f || raw[i] == '#')
      return InvalidArgument("character not allowed", Offset(i));
  }
  size_t start = 0;
  while (start < raw.size()) {
    size_t end = std::min(raw.find('&', start), raw.size());
    std::string_view pair = raw.substr(start, end - start);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return InvalidArgument("parts must be name=value", Offset(start));
    auto name = PercentDecode(pair.substr(0, eq), syntax);
    if (!name.ok()) return ShiftOffset(name.status(), start);
    auto value = PercentDecode(pair.substr(eq + 1), syntax);
    if (!value.ok()) return ShiftOffset(value.status(), start + eq + 1);
    if (out.size() == kMaxUrlEncodedPairs)
      return InvalidArgument("too many parameters", Offset(start));
    if (!out.emplace(std::move(*name), std::move(*value)).second)
      return InvalidArgument("repeated parameter", Offset(start));
    if (end == raw.size() - 1) return InvalidArgument("trailing '&'", Offset(end));
    start = end + 1;
  }
  return out;
}

}  // namespace pathbridge::gateway
