#include "adapters/oneroster_csv/csv.h"

namespace pathbridge::adapters::csv {

Reader::Reader(std::istream& in, std::string name, size_t max_record_bytes)
    : in_(in), name_(std::move(name)), max_record_bytes_(max_record_bytes) {}

std::string Reader::Where(Position p) const {
  return name_ + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

int Reader::Peek() {
  int c = in_.peek();
  return c == std::char_traits<char>::eof() ? -1 : c;
}

int Reader::Get() {
  int c = in_.get();
  if (c == std::char_traits<char>::eof()) return -1;
  // A CR is a line end unless a LF follows (then the LF is).
  if (c == '\n' || (c == '\r' && Peek() != '\n')) {
    ++pos_.line;
    pos_.column = 1;
  } else {
    ++pos_.column;
  }
  return c;
}

Status Reader::Append(std::string& field, char c) {
  if (++record_bytes_ > max_record_bytes_)
    return {Code::kResourceExhausted,
            "record longer than " + std::to_string(max_record_bytes_) + " bytes",
            Where(pos_)};
  field += c;
  return Status::Ok();
}

pathbridge::Result<bool> Reader::Next(std::vector<std::string>* fields,
                                      std::vector<Position>* positions) {
  if (!started_) {
    started_ = true;
    if (Peek() == 0xEF) {  // UTF-8 byte order mark
      in_.get();
      if (in_.get() != 0xBB || in_.get() != 0xBF)
        return InvalidArgument("malformed byte order mark", Where({1, 1}));
    }
  }
  fields->clear();
  positions->clear();
  record_bytes_ = 0;
  // Skip blank lines between records.
  while (Peek() == '\r' || Peek() == '\n') Get();
  if (Peek() < 0) {
    if (in_.bad()) return IoError("read failed (corrupt or truncated data)", Where(pos_));
    return false;
  }
  while (true) {
    fields->emplace_back();
    positions->push_back(pos_);
    std::string& field = fields->back();
    if (Peek() == '"') {
      Position open = pos_;
      Get();
      while (true) {
        int c = Get();
        if (c < 0) {
          if (in_.bad()) return IoError("read failed (corrupt or truncated data)", Where(pos_));
          return InvalidArgument("unclosed quoted field", Where(open));
        }
        if (c == '"') {
          if (Peek() != '"') break;
          Get();
        }
        PB_RETURN_IF_ERROR(Append(field, static_cast<char>(c)));
      }
      int next = Peek();
      if (next >= 0 && next != ',' && next != '\r' && next != '\n')
        return InvalidArgument("unexpected character after a closing quote", Where(pos_));
    } else {
      // Unquoted: a stray quote inside is kept as text.
      for (int c = Peek(); c >= 0 && c != ',' && c != '\r' && c != '\n'; c = Peek())
        PB_RETURN_IF_ERROR(Append(field, static_cast<char>(Get())));
    }
    int c = Get();
    if (c == ',') continue;
    if (c == '\r' && Peek() == '\n') Get();
    return true;  // end of line or of input
  }
}

void Writer::Write(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_ << ',';
    const std::string& f = fields[i];
    bool bom_like = at_start_ && !f.empty() && f[0] == '\xEF';
    at_start_ = false;
    if (!bom_like && f.find_first_of(",\"\r\n") == std::string::npos) {
      out_ << f;
      continue;
    }
    out_ << '"';
    for (char c : f) {
      if (c == '"') out_ << '"';
      out_ << c;
    }
    out_ << '"';
  }
  out_ << "\r\n";
}

}  // namespace pathbridge::adapters::csv
