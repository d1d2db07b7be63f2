#include "adapters/pesc_xml/utf8_input.h"

#include <cstring>

namespace pathbridge::adapters::pesc_xml {

Utf8Input::Utf8Input(std::streambuf* in) : in_(in) {
  for (int i = 0; i < 2 && in_ != nullptr; ++i) {
    int_type c = in_->sbumpc();
    if (traits_type::eq_int_type(c, traits_type::eof())) break;
    head_ += static_cast<char>(c);
  }
  auto is = [&](unsigned char a, unsigned char b) {
    return head_.size() == 2 && static_cast<unsigned char>(head_[0]) == a &&
           static_cast<unsigned char>(head_[1]) == b;
  };
  if (is(0xFF, 0xFE) || is(0xFE, 0xFF)) {
    encoding_ = is(0xFF, 0xFE) ? "utf-16le" : "utf-16be";
    head_.clear();  // the byte order mark
  } else if (is('<', 0) || is(0, '<')) {
    encoding_ = is('<', 0) ? "utf-16le" : "utf-16be";
  }
  setg(buf_, buf_, buf_);
}

int32_t Utf8Input::Unit() {
  unsigned char b[2];
  for (unsigned char& x : b) {
    if (head_at_ < head_.size()) {
      x = static_cast<unsigned char>(head_[head_at_++]);
      continue;
    }
    int_type c = in_->sbumpc();
    if (traits_type::eq_int_type(c, traits_type::eof())) {
      if (&x != b) invalid_ = true;  // half a code unit
      return -1;
    }
    x = static_cast<unsigned char>(c);
  }
  return encoding_ == "utf-16le" ? (b[1] << 8 | b[0]) : (b[0] << 8 | b[1]);
}

void Utf8Input::Append(uint32_t cp) {
  if (cp < 0x80) {
    buf_[fill_++] = static_cast<char>(cp);
  } else if (cp < 0x800) {
    buf_[fill_++] = static_cast<char>(0xC0 | cp >> 6);
    buf_[fill_++] = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    buf_[fill_++] = static_cast<char>(0xE0 | cp >> 12);
    buf_[fill_++] = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    buf_[fill_++] = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    buf_[fill_++] = static_cast<char>(0xF0 | cp >> 18);
    buf_[fill_++] = static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    buf_[fill_++] = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    buf_[fill_++] = static_cast<char>(0x80 | (cp & 0x3F));
  }
}

Utf8Input::int_type Utf8Input::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  fill_ = 0;
  if (in_ == nullptr || invalid_) return traits_type::eof();
  if (!utf16()) {
    size_t n = head_.size() - head_at_;
    std::memcpy(buf_, head_.data() + head_at_, n);
    head_at_ = head_.size();
    fill_ = n + static_cast<size_t>(in_->sgetn(buf_ + n, static_cast<std::streamsize>(sizeof buf_ - n)));
  } else {
    while (fill_ + 4 <= sizeof buf_) {
      int32_t u = Unit();
      if (u < 0) break;
      uint32_t cp = static_cast<uint32_t>(u);
      if (cp >= 0xDC00 && cp <= 0xDFFF) {
        invalid_ = true;
        break;
      }
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        int32_t low = Unit();
        if (low < 0xDC00 || low > 0xDFFF) {
          invalid_ = true;
          break;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
      }
      Append(cp);
    }
  }
  setg(buf_, buf_, buf_ + fill_);
  return fill_ == 0 ? traits_type::eof() : traits_type::to_int_type(*gptr());
}

}  // namespace pathbridge::adapters::pesc_xml
