#include "standards/jcs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "standards/encoding.h"
#include "standards/json.h"

namespace pathbridge::jcs {
namespace {

namespace bj = boost::json;

// Integers below 2^53 in magnitude are exact doubles whose ECMAScript form
// is their plain decimal, so they skip the double formatting.
constexpr std::int64_t kExactInt = std::int64_t{1} << 53;

// ECMA-262 Number::toString(x) for finite x (§7.1.12.1 with Note 2), from
// the shortest round-trip digits that std::to_chars produces.
void AppendDouble(double x, std::string& out) {
  if (x == 0) {  // also -0
    out += '0';
    return;
  }
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string_view s(buf, static_cast<std::size_t>(res.ptr - buf));  // [-]d[.ddd]e±XX
  if (s.front() == '-') {
    out += '-';
    s.remove_prefix(1);
  }
  std::size_t e = s.find('e');
  int exp10 = 0;
  std::string_view exp_text = s.substr(e + 1);
  if (exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp10);
  char digits[24];
  std::size_t k = 0;
  for (char c : s.substr(0, e))
    if (c != '.') digits[k++] = c;
  // x = 0.d1d2..dk * 10^n in the spec's terms.
  const int n = exp10 + 1, ki = static_cast<int>(k);
  if (ki <= n && n <= 21) {
    out.append(digits, k);
    out.append(static_cast<std::size_t>(n - ki), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits + n, k - static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out.append(digits, k);
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits + 1, k - 1);
    }
    out += n - 1 < 0 ? "e-" : "e+";
    out += std::to_string(std::abs(n - 1));
  }
}

void AppendInteger(std::int64_t i, std::string& out) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, res.ptr);
}

Status BadUtf8(std::string_view s, std::size_t i) {
  bool surrogate = static_cast<unsigned char>(s[i]) == 0xED && i + 1 < s.size() &&
                   static_cast<unsigned char>(s[i + 1]) >= 0xA0;
  return InvalidArgument(std::string(surrogate ? "lone surrogate (U+D800..U+DFFF) in UTF-8"
                                               : "invalid UTF-8") +
                         " at byte " + std::to_string(i) + " of the string");
}

// True when one of the 8 bytes in `w` may need more than a copy: a control
// character, '"', '\\' or a non-ASCII byte. False positives only slow down.
bool MayNeedWork(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  auto has_zero = [](uint64_t x) { return (x - kOnes) & ~x; };
  uint64_t control = (w - kOnes * 0x20) & ~w;
  return ((control | has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\')) | w) & kHigh) != 0;
}

constexpr std::size_t kValid = std::string_view::npos;

// JSON.stringify's QuoteJSONString (ECMA-262 §24.3.2.2, which RFC 8785
// §3.2.2.2 cites): only '"', '\' and U+0000..U+001F are escaped; all else
// is copied as is. Returns kValid, or the offset of the first byte that is
// not valid UTF-8.
std::size_t AppendString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of bytes not yet copied
  for (std::size_t i = 0; i < s.size();) {
    for (uint64_t w; i + 8 <= s.size(); i += 8) {  // plain ASCII, 8 bytes at a time
      std::memcpy(&w, s.data() + i, 8);
      if (MayNeedWork(w)) break;
    }
    if (i >= s.size()) break;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      uint32_t code_point;
      std::size_t len = DecodeUtf8(s, i, &code_point);
      if (len == 0) return i;
      i += len;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    run = ++i;
    char escape[7] = {'\\', 0};
    std::size_t len = 2;
    switch (c) {
      case '"': escape[1] = '"'; break;
      case '\\': escape[1] = '\\'; break;
      case '\b': escape[1] = 'b'; break;
      case '\t': escape[1] = 't'; break;
      case '\n': escape[1] = 'n'; break;
      case '\f': escape[1] = 'f'; break;
      case '\r': escape[1] = 'r'; break;
      default:
        std::memcpy(escape + 1, "u00", 3);
        escape[4] = kHex[c >> 4];
        escape[5] = kHex[c & 0xF];
        len = 6;
    }
    out.append(escape, len);
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
  return kValid;
}

// Ranks UTF-8 bytes so that comparing ranks orders strings by UTF-16 code
// units: lead bytes F0..F4 (U+10000 and up, surrogate pairs D800..DBFF in
// UTF-16) sort before EE..EF (U+E000..U+FFFF). A per-byte map, so this is a
// strict weak order even on invalid UTF-8 (rejected later, when written).
unsigned Utf16Rank(unsigned char c) {
  if (c < 0xEE || c > 0xF4) return c;
  return c >= 0xF0 ? c - 2u : c + 5u;
}

bool Utf16Less(std::string_view a, std::string_view b) {
  auto [pa, pb] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  if (pb == b.end()) return false;
  if (pa == a.end()) return true;
  return Utf16Rank(static_cast<unsigned char>(*pa)) < Utf16Rank(static_cast<unsigned char>(*pb));
}

// Writes the canonical form depth first. Methods return false on error,
// leaving it in error_; the path to the bad value is collected on the way
// back up (cheaper than returning a Status from every value).
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  bool Value(const bj::value& v, std::size_t depth) {
    switch (v.kind()) {
      case bj::kind::null: out_.append("null", 4); return true;
      case bj::kind::bool_: v.get_bool() ? out_.append("true", 4) : out_.append("false", 5); return true;
      case bj::kind::int64: return Int(v.get_int64());
      case bj::kind::uint64: return Uint(v.get_uint64());
      case bj::kind::double_: return Double(v.get_double());
      case bj::kind::string: return String(v.get_string());
      case bj::kind::array: return Array(v.get_array(), depth + 1);
      case bj::kind::object: return Object(v.get_object(), depth + 1);
    }
    return Fail(Internal("unknown JSON value kind"));
  }

  // The error, with `where` set to the JSON pointer of the bad value.
  Status TakeError() {
    std::string pointer;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) pointer += *it;
    return Status(error_.code(), error_.message(), std::move(pointer));
  }

 private:
  bool Int(std::int64_t i) {
    if (i > -kExactInt && i < kExactInt) {
      AppendInteger(i, out_);
      return true;
    }
    return Double(static_cast<double>(i));
  }
  bool Uint(std::uint64_t u) {
    if (u < static_cast<std::uint64_t>(kExactInt)) return Int(static_cast<std::int64_t>(u));
    return Double(static_cast<double>(u));
  }
  bool Double(double d) {
    if (!std::isfinite(d)) return Fail(InvalidArgument("NaN and Infinity have no JSON form"));
    AppendDouble(d, out_);
    return true;
  }
  bool String(std::string_view s) {
    std::size_t bad = AppendString(s, out_);
    return bad == kValid || Fail(BadUtf8(s, bad));
  }

  bool Array(const bj::array& a, std::size_t depth) {
    if (!CheckDepth(depth)) return false;
    out_ += '[';
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (i > 0) out_ += ',';
      if (!Value(a[i], depth)) return Unwind("/" + std::to_string(i));
    }
    out_ += ']';
    return true;
  }

  bool Object(const bj::object& o, std::size_t depth) {
    if (!CheckDepth(depth)) return false;
    // Members of every open object share one vector: no allocation per object.
    const std::size_t base = members_.size();
    for (const auto& kv : o) members_.push_back(&kv);
    const auto first = members_.begin() + static_cast<std::ptrdiff_t>(base);
    std::sort(first, members_.end(), [](const bj::key_value_pair* a, const bj::key_value_pair* b) {
      return Utf16Less(a->key(), b->key());
    });
    out_ += '{';
    bool ok = true;
    for (std::size_t i = base; ok && i < base + o.size(); ++i) {
      if (i > base) out_ += ',';
      ok = Member(*members_[i], depth);
    }
    members_.resize(base);
    if (!ok) return false;
    out_ += '}';
    return true;
  }

  bool Member(const bj::key_value_pair& kv, std::size_t depth) {
    if (!String(kv.key()) || (out_ += ':', !Value(kv.value(), depth))) {
      std::string token;
      json::AppendPointerToken(token, kv.key());
      return Unwind(std::move(token));
    }
    return true;
  }

  bool CheckDepth(std::size_t depth) {
    return depth <= kMaxDepth ||
           Fail(Status(Code::kResourceExhausted,
                       "arrays and objects nested deeper than " + std::to_string(kMaxDepth)));
  }

  bool Fail(Status error) {
    error_ = std::move(error);
    return false;
  }
  bool Unwind(std::string token) {  // token: "/name" or "/index"
    path_.push_back(std::move(token));
    return false;
  }

  std::string& out_;
  std::vector<const bj::key_value_pair*> members_;
  Status error_;
  std::vector<std::string> path_;  // pointer tokens, innermost first
};

}  // namespace

Result<std::string> Canonicalize(const boost::json::value& value) {
  std::string out;
  Writer writer(out);
  if (!writer.Value(value, 0)) return writer.TakeError();
  return out;
}

}  // namespace pathbridge::jcs
