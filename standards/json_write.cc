#include "standards/json_write.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <boost/json/detail/format.hpp>

#include "standards/swar.h"

namespace pathbridge::json {
namespace {

namespace bj = boost::json;

// Whether any of the 8 bytes of `w` is one a JSON string escapes.
bool NeedsEscape(uint64_t w) {
  return (swar::AnyByteBelow(w, 0x20) | swar::AnyByteIs(w, '"') | swar::AnyByteIs(w, '\\')) != 0;
}

bool Plain(unsigned char c) { return c >= 0x20 && c != '"' && c != '\\'; }

// Writes the escape for `c` (not Plain) at p; returns the end.
char* Escape(unsigned char c, char* p) {
  static constexpr char kHex[] = "0123456789abcdef";
  *p++ = '\\';
  switch (c) {
    case '"': *p++ = '"'; break;
    case '\\': *p++ = '\\'; break;
    case '\b': *p++ = 'b'; break;
    case '\t': *p++ = 't'; break;
    case '\n': *p++ = 'n'; break;
    case '\f': *p++ = 'f'; break;
    case '\r': *p++ = 'r'; break;
    default:
      *p++ = 'u';
      *p++ = '0';
      *p++ = '0';
      *p++ = kHex[c >> 4];
      *p++ = kHex[c & 15];
  }
  return p;
}

// Writes `c` at p, escaped if it must be; returns the end.
char* PutByte(char c, char* p) {
  auto u = static_cast<unsigned char>(c);
  if (!Plain(u)) return Escape(u, p);
  *p = c;
  return p + 1;
}

}  // namespace

std::string_view JsonWriter::Write(const bj::value& v) {
  Start();
  Value(v);
  return Done();
}

std::string_view JsonWriter::Write(const bj::object& o) {
  Start();
  Object(o);
  return Done();
}

void JsonWriter::Grow(size_t n) {
  size_t used = p_ - buf_.get(), capacity = end_ - buf_.get();
  size_t grown = std::max({capacity * 2, used + n, size_t{4096}});
  auto bigger = std::make_unique<char[]>(grown);
  if (used != 0) std::memcpy(bigger.get(), buf_.get(), used);
  buf_ = std::move(bigger);
  p_ = buf_.get() + used;
  end_ = buf_.get() + grown;
}

void JsonWriter::Put(std::string_view s) {
  Reserve(s.size());
  std::memcpy(p_, s.data(), s.size());
  p_ += s.size();
}

void JsonWriter::Value(const bj::value& v) {
  switch (v.kind()) {
    case bj::kind::object: Object(v.get_object()); return;
    case bj::kind::array: {
      Put('[');
      bool first = true;
      for (const bj::value& e : v.get_array()) {
        if (!first) Put(',');
        first = false;
        Value(e);
      }
      Put(']');
      return;
    }
    case bj::kind::string: String(v.get_string()); return;
    case bj::kind::bool_: Put(v.get_bool() ? "true" : "false"); return;
    case bj::kind::null: Put("null"); return;
    default: Number(v); return;
  }
}

void JsonWriter::Object(const bj::object& o) {
  Put('{');
  bool first = true;
  for (const bj::key_value_pair& kv : o) {
    if (!first) Put(',');
    first = false;
    String(kv.key());
    Put(':');
    Value(kv.value());
  }
  Put('}');
}

void JsonWriter::String(std::string_view s) {
  Reserve(s.size() * 6 + 2);  // every byte escaped as \u00XX at worst
  char* p = p_;
  *p++ = '"';
  const char* in = s.data();
  const char* end = in + s.size();
  while (end - in >= 8) {
    uint64_t w;
    std::memcpy(&w, in, 8);
    if (!NeedsEscape(w)) {
      std::memcpy(p, in, 8);
      p += 8;
      in += 8;
      continue;
    }
    for (const char* stop = in + 8; in < stop; ++in) p = PutByte(*in, p);
  }
  for (; in < end; ++in) p = PutByte(*in, p);
  *p++ = '"';
  p_ = p;
}

void JsonWriter::PlainKey(std::string_view name) {
  Reserve(name.size() + 3);
  char* p = p_;
  *p++ = '"';
  std::memcpy(p, name.data(), name.size());
  p += name.size();
  *p++ = '"';
  *p++ = ':';
  p_ = p;
}

void JsonWriter::Int(int64_t n) {
  Reserve(bj::detail::max_number_chars + 1);
  p_ += bj::detail::format_int64(p_, n);
}

// Numbers through boost's own formatters (detail, but exported by the
// library), so doubles come out exactly as serialize() writes them.
void JsonWriter::Number(const bj::value& v) {
  Reserve(bj::detail::max_number_chars + 1);
  if (v.is_int64()) p_ += bj::detail::format_int64(p_, v.get_int64());
  else if (v.is_uint64()) p_ += bj::detail::format_uint64(p_, v.get_uint64());
  else p_ += bj::detail::format_double(p_, v.get_double());
}

}  // namespace pathbridge::json
