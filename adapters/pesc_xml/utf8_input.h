// Utf8Input: presents an XML input stream as UTF-8, whatever the encoding
// its first bytes announce (XML 1.0 appendix F): UTF-16 with a byte order
// mark (FF FE little-endian, FE FF big-endian), or without one ("<\0" /
// "\0<"), is transcoded on the fly; anything else passes through unchanged
// (a UTF-8 byte order mark included, which XmlScanner skips). pugixml gets
// UTF-8 per element, and positions in diagnostics are lines and UTF-8 byte
// columns of the transcoded text.
//
// Memory: a fixed buffer; the input is never held whole.
// Thread-safety: one reader per stream, used by one thread.
#pragma once

#include <cstdint>
#include <streambuf>
#include <string>
#include <string_view>

namespace pathbridge::adapters::pesc_xml {

class Utf8Input : public std::streambuf {
 public:
  // Reads the first bytes of `in` to decide the encoding.
  explicit Utf8Input(std::streambuf* in);
  Utf8Input(const Utf8Input&) = delete;
  Utf8Input& operator=(const Utf8Input&) = delete;

  // "utf-8" (or unknown, passed through), "utf-16le" or "utf-16be".
  std::string_view encoding() const { return encoding_; }
  bool utf16() const { return encoding_ != "utf-8"; }
  // True once the input turned out not to be valid UTF-16 (an unpaired
  // surrogate, or an odd number of bytes); the stream then ends there.
  bool invalid() const { return invalid_; }

 protected:
  int_type underflow() override;

 private:
  // The next UTF-16 code unit, or -1 at the end.
  int32_t Unit();
  void Append(uint32_t code_point);

  std::streambuf* in_;
  std::string encoding_ = "utf-8";
  std::string head_;  // bytes read while sniffing, not yet served
  size_t head_at_ = 0;
  bool invalid_ = false;
  char buf_[8192];
  size_t fill_ = 0;
};

}  // namespace pathbridge::adapters::pesc_xml
