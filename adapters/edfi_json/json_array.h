// Streams the elements of one top-level JSON array (an Ed-Fi API GET
// response body) without loading the document: a small scanner finds each
// element's boundaries (tracking strings and nesting, nothing more) and
// hands its bytes to the strict parser (standards/json.h) one at a time.
// Memory: one element (bounded by max_element_bytes) plus a read buffer.
//
// Errors say where, in the file: "file:line:column /3" for the element at
// index 3, and "file:line:column /3/studentReference" for a parse error
// inside it (the parser's position translated from the element's text).
//
// Thread-safety: an ArrayReader is used by one thread at a time.
#pragma once

#include <cstdint>
#include <istream>
#include <string>

#include <boost/json/object.hpp>

#include "standards/status.h"

namespace pathbridge::adapters::edfi_json {

// One array element's text and where it starts (1-based line and byte column).
struct Element {
  std::string text;
  uint64_t index = 0;
  uint64_t line = 0, column = 0;
  std::string pointer() const { return "/" + std::to_string(index); }
};

class ArrayReader {
 public:
  ArrayReader(std::istream& in, std::string display, size_t max_element_bytes);

  // Reads the next element into *out; false after the closing ']'. Elements
  // must be objects: Ed-Fi resources are.
  pathbridge::Result<bool> Next(Element* out);
  // Whether the input began with a UTF-8 byte order mark (skipped).
  bool had_bom() const { return had_bom_; }

 private:
  int Peek();
  int Get();
  void SkipSpace();
  Status Error(std::string message, uint64_t line, uint64_t column, std::string pointer = {}) const;
  Status Start();
  Status ReadObject(Element* out);

  std::istream& in_;
  std::string display_;
  size_t max_bytes_;
  char buf_[64 * 1024];
  size_t pos_ = 0, len_ = 0;
  uint64_t line_ = 1, column_ = 1;
  bool started_ = false, finished_ = false, had_bom_ = false;
  uint64_t count_ = 0;
};

// Parses an element (strict JSON, depth and size limited) into an object.
pathbridge::Result<boost::json::object> ParseElement(const Element& e, const std::string& display,
                                                     size_t max_bytes);

}  // namespace pathbridge::adapters::edfi_json
