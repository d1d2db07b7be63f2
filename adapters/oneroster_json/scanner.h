// A streaming scanner for JSON documents shaped like OneRoster REST response
// bodies: one top-level object whose members are collections
// ({"users": [{...}, {...}]}) or single objects ({"user": {...}}). It finds
// the boundaries of each collection element (or single object) with a small
// state machine that tracks strings, escapes and bracket nesting, and hands
// out each element's text with its line:column and JSON pointer
// ("/users/3"), so that memory holds one element at a time however large the
// document. Elements are then parsed (and fully validated) with json::Parse;
// the scanner itself checks only the top-level structure (braces, keys,
// colons, commas). Members the caller does not want are skipped, bracket
// matched, without being buffered.
//
// Thread-safety: a Scanner is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "standards/status.h"

namespace pathbridge::adapters::oneroster_json {

struct Element {
  std::string member;   // the top-level member ("users")
  bool skipped = false;  // the member was not wanted: `text` is empty
  std::string text;     // the element's JSON text
  uint64_t line = 0, column = 0;  // where `text` starts (1-based; column in bytes)
  std::string pointer;  // "/users/3", or "/user" for a single object
};

class Scanner {
 public:
  // `wanted(member)` says whether to hand out a member's elements (else it is
  // skipped); `max_element_bytes` bounds one element (kResourceExhausted).
  Scanner(std::istream& in, std::string display, size_t max_element_bytes,
          std::function<bool(std::string_view member)> wanted);

  // The next element, true; false at the end of the document; or an error
  // whose where() is "display:line:column".
  pathbridge::Result<bool> Next(Element* out);

  // "display:line:column [pointer]" for an element-relative location
  // ("line:column" of json::Parse on the element's text, 1-based).
  std::string Where(const Element& e, std::string_view relative) const;

 private:
  enum class State { kStart, kKey, kElement, kAfterElement, kAfterValue, kEnd, kDone };

  int Peek();
  int Get();
  void SkipSpace();
  std::string Here() const;
  Status Expect(char c, std::string_view what);
  // Copies (or, with out == nullptr, skips) one JSON value.
  Status ReadValue(std::string* out);
  Status ReadString(std::string* out, const std::string& start);
  // Appends c to *out (if out is set) within the element limit.
  Status Keep(std::string* out, int c, const std::string& start) const;
  pathbridge::Result<bool> StartMember(Element* out);

  std::streambuf* in_;
  std::string display_;
  size_t max_element_bytes_;
  std::function<bool(std::string_view)> wanted_;
  State state_ = State::kStart;
  uint64_t line_ = 1, column_ = 1;
  std::string member_;
  uint64_t index_ = 0;
  std::set<std::string> seen_members_;
};

}  // namespace pathbridge::adapters::oneroster_json
