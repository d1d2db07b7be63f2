// Compact JSON text of a boost::json value, byte for byte what
// boost::json::serialize writes, into a buffer the writer keeps, so that
// one buffer serves a whole stream of documents (the Ed-Fi encoder writes
// one per resource element, a million per district). boost's serializer is
// a resumable state machine that looks at every byte on its own; this
// writer copies keys and plain strings whole through raw pointers, and
// finds the bytes a string must escape eight at a time: 16% fewer
// instructions on a district's Ed-Fi output (docs/performance.md).
//
// Thread-safety: a JsonWriter is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace pathbridge::json {

class JsonWriter {
 public:
  // The text of `v`, valid until the next call.
  std::string_view Write(const boost::json::value& v);
  std::string_view Write(const boost::json::object& o);

  // Or a document written piece by piece, with no boost::json value built
  // (the Ed-Fi encoder's direct path): Start(), the pieces in order, then
  // Text(), valid until the next Start() or Write(). The caller places the
  // punctuation; the pieces are written as Write would write them.
  void Start() { p_ = buf_.get(); }
  void Raw(char c) { Put(c); }
  void Raw(std::string_view text) { Put(text); }
  void String(std::string_view s);  // quoted and escaped
  // A member name and its colon, for names known to need no escaping
  // (printable ASCII without '"' or '\\': a schema's own member names).
  void PlainKey(std::string_view name);
  void Int(int64_t n);
  void Value(const boost::json::value& v);
  void Object(const boost::json::object& o);
  std::string_view Text() const { return Done(); }

 private:
  void Number(const boost::json::value& v);
  void Put(char c) {
    Reserve(1);
    *p_++ = c;
  }
  void Put(std::string_view s);
  // Makes room for `n` more bytes.
  void Reserve(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) Grow(n);
  }
  void Grow(size_t n);
  std::string_view Done() const { return {buf_.get(), static_cast<size_t>(p_ - buf_.get())}; }

  std::unique_ptr<char[]> buf_;
  char* p_ = nullptr;
  char* end_ = nullptr;
};

}  // namespace pathbridge::json
