#include "standards/jcs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

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

// Length of the UTF-8 sequence at s[i] (RFC 3629 §4: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0 when it is not valid.
std::size_t Utf8Length(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t j) -> unsigned {
    return j < s.size() ? static_cast<unsigned char>(s[j]) : 0u;
  };
  auto cont = [&](std::size_t j, unsigned lo = 0x80, unsigned hi = 0xBF) {
    return at(j) >= lo && at(j) <= hi;
  };
  unsigned c = at(i);
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

Status BadUtf8(std::string_view s, std::size_t i) {
  bool surrogate = static_cast<unsigned char>(s[i]) == 0xED && i + 1 < s.size() &&
                   static_cast<unsigned char>(s[i + 1]) >= 0xA0;
  return InvalidArgument(std::string(surrogate ? "lone surrogate (U+D800..U+DFFF) in UTF-8"
                                               : "invalid UTF-8") +
                         " at byte " + std::to_string(i) + " of the string");
}

// JSON.stringify's QuoteJSONString (ECMA-262 §24.5.2.2): only '"', '\' and
// U+0000..U+001F are escaped; everything else is copied as is.
Status AppendString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of bytes not yet copied
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t len = Utf8Length(s, i);
      if (len == 0) return BadUtf8(s, i);
      i += len;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    run = ++i;
    out += '\\';
    switch (c) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '\b': out += 'b'; break;
      case '\t': out += 't'; break;
      case '\n': out += 'n'; break;
      case '\f': out += 'f'; break;
      case '\r': out += 'r'; break;
      default:
        out += "u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
  return Status::Ok();
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

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  Status Value(const bj::value& v, std::size_t depth) {
    switch (v.kind()) {
      case bj::kind::null: out_ += "null"; return Status::Ok();
      case bj::kind::bool_: out_ += v.get_bool() ? "true" : "false"; return Status::Ok();
      case bj::kind::int64: return Int(v.get_int64());
      case bj::kind::uint64: return Uint(v.get_uint64());
      case bj::kind::double_: return Double(v.get_double());
      case bj::kind::string: return AppendString(v.get_string(), out_);
      case bj::kind::array: return Array(v.get_array(), depth + 1);
      case bj::kind::object: return Object(v.get_object(), depth + 1);
    }
    return Internal("unknown JSON value kind");
  }

 private:
  Status Int(std::int64_t i) {
    if (i > -kExactInt && i < kExactInt) {
      AppendInteger(i, out_);
      return Status::Ok();
    }
    return Double(static_cast<double>(i));
  }
  Status Uint(std::uint64_t u) {
    if (u < static_cast<std::uint64_t>(kExactInt)) return Int(static_cast<std::int64_t>(u));
    return Double(static_cast<double>(u));
  }
  Status Double(double d) {
    if (!std::isfinite(d)) return InvalidArgument("NaN and Infinity have no JSON form");
    AppendDouble(d, out_);
    return Status::Ok();
  }

  Status Array(const bj::array& a, std::size_t depth) {
    PB_RETURN_IF_ERROR(CheckDepth(depth));
    out_ += '[';
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (i > 0) out_ += ',';
      Status s = Value(a[i], depth);
      if (!s.ok()) return s.WithContext("/" + std::to_string(i));
    }
    out_ += ']';
    return Status::Ok();
  }

  Status Object(const bj::object& o, std::size_t depth) {
    PB_RETURN_IF_ERROR(CheckDepth(depth));
    // Members of every open object share one vector: no allocation per object.
    const std::size_t base = members_.size();
    for (const auto& kv : o) members_.push_back(&kv);
    std::sort(members_.begin() + static_cast<std::ptrdiff_t>(base), members_.end(),
              [](const bj::key_value_pair* a, const bj::key_value_pair* b) {
                return Utf16Less(a->key(), b->key());
              });
    out_ += '{';
    Status s;
    for (std::size_t i = base; s.ok() && i < base + o.size(); ++i) {
      if (i > base) out_ += ',';
      s = Member(*members_[i], depth);
    }
    members_.resize(base);
    if (!s.ok()) return s;
    out_ += '}';
    return Status::Ok();
  }

  Status Member(const bj::key_value_pair& kv, std::size_t depth) {
    std::string token;
    Status s = AppendString(kv.key(), out_);
    if (s.ok()) {
      out_ += ':';
      s = Value(kv.value(), depth);
    }
    if (s.ok()) return s;
    json::AppendPointerToken(token, kv.key());
    return s.WithContext(token);
  }

  static Status CheckDepth(std::size_t depth) {
    if (depth <= kMaxDepth) return Status::Ok();
    return Status(Code::kResourceExhausted,
                  "arrays and objects nested deeper than " + std::to_string(kMaxDepth));
  }

  std::string& out_;
  std::vector<const bj::key_value_pair*> members_;
};

}  // namespace

Result<std::string> Canonicalize(const boost::json::value& value) {
  std::string out;
  Status s = Writer(out).Value(value, 0);
  if (!s.ok()) return s;
  return out;
}

}  // namespace pathbridge::jcs
