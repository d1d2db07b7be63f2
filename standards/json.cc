#include "standards/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <new>
#include <optional>
#include <stdexcept>
#include <unordered_set>
#include <utility>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

namespace pathbridge::json {
namespace {

namespace bj = boost::json;

// "line:column" of a byte offset (1-based; the column counts bytes).
std::string LineColumn(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

std::string Where(std::string_view text, std::size_t offset, const std::string& pointer) {
  std::string where = LineColumn(text, offset);
  if (!pointer.empty()) where += " " + pointer;
  return where;
}

// Keeps messages readable when the offending text is long.
std::string Quote(std::string_view s) {
  constexpr std::size_t kMax = 40;
  if (s.size() <= kMax) return std::string(s);
  return std::string(s.substr(0, kMax)) + "...";
}

std::string HexByte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

// The parser stops on a key's closing quote; walk back to its opening quote
// (a quote inside the key is preceded by an odd number of backslashes).
std::size_t KeyStart(std::string_view text, std::size_t close) {
  for (std::size_t i = close; i-- > 0;) {
    if (text[i] != '"') continue;
    std::size_t slashes = 0;
    while (i > slashes && text[i - 1 - slashes] == '\\') ++slashes;
    if (slashes % 2 == 0) return i;
  }
  return close;
}

// True when `at` follows "\uD800".."\uDBFF": a high surrogate that the
// parser rejected because no low surrogate escape came next.
bool FollowsHighSurrogate(std::string_view text, std::size_t at) {
  if (at < 6 || text[at - 6] != '\\' || text[at - 5] != 'u') return false;
  char d = static_cast<char>(text[at - 4] | 0x20), e = static_cast<char>(text[at - 3] | 0x20);
  return d == 'd' && (e == '8' || e == '9' || e == 'a' || e == 'b');
}

std::string DescribeSyntaxError(std::string_view text, std::size_t at) {
  if (at >= text.size()) return "unexpected end of input";
  if (at == 0 && text.substr(0, 3) == "\xEF\xBB\xBF")
    return "byte order mark before the JSON text (RFC 8259 section 8.1: not allowed)";
  if (FollowsHighSurrogate(text, at))
    return "lone UTF-16 surrogate: a \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF escape";
  auto c = static_cast<unsigned char>(text[at]);
  if (c >= 0x80) return "invalid UTF-8 or unexpected byte " + HexByte(c);
  if (c < 0x20) return "unexpected control character " + HexByte(c) + " (escape it inside strings)";
  return std::string("unexpected character '") + static_cast<char>(c) + "'";
}

Status ParserError(const bj::error_code& ec, std::string_view text, std::size_t at,
                   const std::string& pointer, std::size_t max_depth) {
  std::string where = Where(text, at, pointer);
  if (ec == bj::error::too_deep)
    return Status(Code::kResourceExhausted,
                  "arrays and objects nested deeper than " + std::to_string(max_depth), where);
  if (ec == bj::error::incomplete) return InvalidArgument("unexpected end of input", where);
  if (ec == bj::error::exponent_overflow)
    return InvalidArgument("number exponent is too large for an IEEE 754 double", where);
  if (ec == bj::error::illegal_leading_surrogate || ec == bj::error::illegal_trailing_surrogate)
    return InvalidArgument("lone UTF-16 surrogate in a \\u escape", where);
  if (ec == bj::error::syntax) return InvalidArgument(DescribeSyntaxError(text, at), where);
  return InvalidArgument(ec.message(), where);
}

// An error the handler found; located once the parser reports its offset.
struct HandlerError {
  enum class Anchor { kBack, kKeyStart };
  std::string message;  // empty: no error
  std::string pointer;
  Anchor anchor = Anchor::kBack;
  std::size_t back = 0;  // kBack: the error starts this many bytes before the stop
};

struct Frame {
  bool is_object = false;
  bool has_key = false;
  std::size_t index = 0;                 // array: elements completed
  std::string key;                       // object: the member being read
  std::unordered_set<std::string> keys;  // object: members seen so far
};

// basic_parser handler: builds the value with a value_stack and keeps the
// path from the root to the value being read, for error messages.
class Handler {
 public:
  static constexpr std::size_t max_object_size = bj::object::max_size();
  static constexpr std::size_t max_array_size = bj::array::max_size();
  static constexpr std::size_t max_key_size = bj::string::max_size();
  static constexpr std::size_t max_string_size = bj::string::max_size();

  bool on_document_begin(bj::error_code&) {
    st_.reset();
    return true;
  }
  bool on_document_end(bj::error_code&) { return true; }

  bool on_object_begin(bj::error_code&) { return Push(true); }
  bool on_object_end(std::size_t n, bj::error_code&) {
    --depth_;
    st_.push_object(n);
    return ValueDone();
  }
  bool on_array_begin(bj::error_code&) { return Push(false); }
  bool on_array_end(std::size_t n, bj::error_code&) {
    --depth_;
    st_.push_array(n);
    return ValueDone();
  }

  bool on_key_part(bj::string_view s, std::size_t, bj::error_code&) {
    text_.append(s.data(), s.size());
    st_.push_chars(s);
    return true;
  }
  bool on_key(bj::string_view s, std::size_t, bj::error_code& ec) {
    text_.append(s.data(), s.size());
    Frame& f = frames_[depth_ - 1];
    f.key = text_;
    f.has_key = true;
    text_.clear();
    if (!f.keys.insert(f.key).second)
      return Fail(ec, {"duplicate object key \"" + Quote(f.key) + "\"", Pointer(),
                       HandlerError::Anchor::kKeyStart});
    st_.push_key(s);
    return true;
  }

  bool on_string_part(bj::string_view s, std::size_t, bj::error_code&) {
    st_.push_chars(s);
    return true;
  }
  bool on_string(bj::string_view s, std::size_t, bj::error_code&) {
    st_.push_string(s);
    return ValueDone();
  }

  bool on_number_part(bj::string_view s, bj::error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, bj::string_view, bj::error_code&) {
    text_.clear();
    st_.push_int64(i);
    return ValueDone();
  }
  bool on_uint64(std::uint64_t u, bj::string_view, bj::error_code&) {
    text_.clear();
    st_.push_uint64(u);
    return ValueDone();
  }
  bool on_double(double approx, bj::string_view s, bj::error_code& ec) {
    text_.append(s.data(), s.size());
    auto parsed = CorrectlyRounded(approx);
    if (!parsed)
      return Fail(ec, {"number " + Quote(text_) + " overflows an IEEE 754 double", Pointer(),
                       HandlerError::Anchor::kBack, text_.size()});
    text_.clear();
    st_.push_double(*parsed);
    return ValueDone();
  }

  bool on_bool(bool b, bj::error_code&) {
    st_.push_bool(b);
    return ValueDone();
  }
  bool on_null(bj::error_code&) {
    st_.push_null();
    return ValueDone();
  }
  bool on_comment_part(bj::string_view, bj::error_code&) { return true; }
  bool on_comment(bj::string_view, bj::error_code&) { return true; }

  bj::value Release() { return st_.release(); }
  const HandlerError& error() const { return error_; }

  // JSON pointer of the value being read.
  std::string Pointer() const {
    std::string p;
    for (std::size_t i = 0; i < depth_; ++i) {
      const Frame& f = frames_[i];
      if (!f.is_object) {
        p += "/" + std::to_string(f.index);
      } else if (f.has_key) {
        AppendPointerToken(p, f.key);
      }
    }
    return p;
  }

 private:
  bool Push(bool is_object) {
    if (depth_ == frames_.size()) frames_.emplace_back();
    Frame& f = frames_[depth_++];
    f.is_object = is_object;
    f.has_key = false;
    f.index = 0;
    f.keys.clear();
    return true;
  }

  bool ValueDone() {
    if (depth_ > 0 && !frames_[depth_ - 1].is_object) ++frames_[depth_ - 1].index;
    return true;
  }

  // Boost.JSON 1.81 converts decimals fast but not always to the nearest
  // double; from_chars does, which JCS needs. Empty on overflow.
  std::optional<double> CorrectlyRounded(double approx) const {
    double d = 0;
    auto [end, err] = std::from_chars(text_.data(), text_.data() + text_.size(), d);
    if (err == std::errc::result_out_of_range) {
      if (std::fabs(approx) >= 1) return std::nullopt;
      return text_.front() == '-' ? -0.0 : 0.0;  // underflow rounds to zero
    }
    if (err != std::errc() || end != text_.data() + text_.size()) return approx;
    return d;
  }

  bool Fail(bj::error_code& ec, HandlerError e) {
    error_ = std::move(e);
    ec = bj::error::syntax;
    return false;
  }

  bj::value_stack st_;
  std::vector<Frame> frames_;
  std::size_t depth_ = 0;
  std::string text_;  // key or number text split across parser callbacks
  HandlerError error_;
};

Status HandlerStatus(const HandlerError& e, std::string_view text, std::size_t stop) {
  std::size_t at = 0;
  if (e.anchor == HandlerError::Anchor::kKeyStart) {
    at = KeyStart(text, stop);
  } else if (stop >= e.back) {
    at = stop - e.back;
  }
  return InvalidArgument(e.message, Where(text, at, e.pointer));
}

}  // namespace

void AppendPointerToken(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

Result<boost::json::value> Parse(std::string_view text, const ParseOptions& options) {
  if (text.size() > options.max_size)
    return Status(Code::kResourceExhausted,
                  "document is " + std::to_string(text.size()) + " bytes; the limit is " +
                      std::to_string(options.max_size),
                  LineColumn(text, options.max_size));
  bj::parse_options opt;
  opt.max_depth = options.max_depth;
  try {
    bj::basic_parser<Handler> parser(opt);
    bj::error_code ec;
    std::size_t stop = parser.write_some(false, text.data(), text.size(), ec);
    const Handler& h = parser.handler();
    if (ec && !h.error().message.empty()) return HandlerStatus(h.error(), text, stop);
    if (ec) return ParserError(ec, text, stop, h.Pointer(), options.max_depth);
    if (stop != text.size())
      return InvalidArgument("unexpected data after the JSON document", LineColumn(text, stop));
    return parser.handler().Release();
  } catch (const std::bad_alloc&) {
    return Status(Code::kResourceExhausted, "out of memory while parsing JSON");
  } catch (const std::exception& e) {
    // value_stack reports strings or containers over Boost's size limits.
    return Status(Code::kResourceExhausted, std::string("JSON parse: ") + e.what());
  }
}

Status CheckMembers(const boost::json::object& object, std::span<const std::string_view> names,
                    std::string_view what) {
  for (const auto& member : object) {
    if (std::find(names.begin(), names.end(), member.key()) != names.end()) continue;
    std::string where;
    AppendPointerToken(where, member.key());
    return InvalidArgument("is not a member of " + std::string(what), where);
  }
  for (std::string_view name : names) {
    if (object.contains(name)) continue;
    std::string where;
    AppendPointerToken(where, name);
    return InvalidArgument("missing member", where);
  }
  return Status::Ok();
}

Result<std::string_view> StringMember(const boost::json::object& object, std::string_view name) {
  std::string where;
  AppendPointerToken(where, name);
  const boost::json::value* v = object.if_contains(name);
  if (v == nullptr) return InvalidArgument("missing member", where);
  if (!v->is_string()) return InvalidArgument("must be a string", where);
  return std::string_view(v->as_string());
}

}  // namespace pathbridge::json
