// A streaming CSV tokenizer (RFC 4180, read tolerantly) and writer (RFC 4180,
// strictly). The reader takes one record at a time from an std::istream
// (read in 64 KiB blocks: the stream is the reader's alone once given),
// reporting each field's 1-based line and byte column; it accepts a UTF-8
// BOM, CRLF, LF or CR line ends and quoted fields spanning lines, and bounds
// a record's size (Code::kResourceExhausted past the limit). Errors carry
// "name:line:column".
//
// Thread-safety: a reader or writer is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "standards/status.h"

namespace pathbridge::adapters::csv {

struct Position {
  uint64_t line = 1;
  uint64_t column = 1;
};

class Reader {
 public:
  // `name` prefixes error locations ("users.csv").
  Reader(std::istream& in, std::string name, size_t max_record_bytes = 1u << 20);

  // Reads the next record's fields (and where each starts). Returns false at
  // the end of the input. A blank line is skipped. Pass the same vector
  // each time: its strings are reused.
  pathbridge::Result<bool> Next(std::vector<std::string>* fields,
                                std::vector<Position>* positions) {
    return Read<true>(fields, positions, 0);
  }
  // The same, keeping the text of the first `kept` fields only: the others
  // are read (quotes, line ends, the size bound) and left empty. For rows
  // of which only a few values are wanted.
  pathbridge::Result<bool> Next(std::vector<std::string>* fields, std::vector<Position>* positions,
                                size_t kept) {
    return Read<false>(fields, positions, kept);
  }
  const std::string& name() const { return name_; }
  // "name:line:column".
  std::string Where(Position p) const;

 private:
  bool Fill();  // refills the block; false at the end of the input
  int Get();    // next byte or -1; tracks line and column
  int Peek() { return head_ < tail_ || Fill() ? static_cast<unsigned char>(buf_[head_]) : -1; }
  // kAll: every field kept (Next's own loop, with no test per field).
  template <bool kAll>
  pathbridge::Result<bool> Read(std::vector<std::string>* fields, std::vector<Position>* positions,
                                size_t kept);
  // kKeep: the field's text is appended; else only read past.
  template <bool kKeep>
  Status Append(std::string& field, char c);
  template <bool kKeep>
  Status AppendUnquoted(std::string& field);
  Status TooLong(uint64_t column) const;

  std::istream& in_;
  std::vector<char> buf_;
  size_t head_ = 0;  // next unread byte in buf_
  size_t tail_ = 0;  // end of the bytes read into buf_
  std::string name_;
  size_t max_record_bytes_;
  size_t record_bytes_ = 0;
  Position pos_;
  bool started_ = false;
};

// Writes records with ',' separators and CRLF line ends, quoting a field
// only when it holds ',', '"', CR or LF (quotes doubled), or when it is the
// first field of the output and starts with 0xEF (a reader would take a
// leading byte order mark in it for the file's own).
class Writer {
 public:
  explicit Writer(std::ostream& out) : out_(out) {}
  void Write(const std::vector<std::string>& fields);

 private:
  std::ostream& out_;
  bool at_start_ = true;
};

}  // namespace pathbridge::adapters::csv
