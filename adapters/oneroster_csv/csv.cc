#include "adapters/oneroster_csv/csv.h"

namespace pathbridge::adapters::csv {

namespace {
constexpr size_t kBlockBytes = 64 << 10;
}

Reader::Reader(std::istream& in, std::string name, size_t max_record_bytes)
    : in_(in), buf_(kBlockBytes), name_(std::move(name)), max_record_bytes_(max_record_bytes) {}

std::string Reader::Where(Position p) const {
  return name_ + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

bool Reader::Fill() {
  // istream::read turns a throwing streambuf (a corrupt zip member) into badbit.
  in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  head_ = 0;
  tail_ = static_cast<size_t>(in_.gcount());
  return tail_ > 0;
}

int Reader::Get() {
  if (head_ == tail_ && !Fill()) return -1;
  int c = static_cast<unsigned char>(buf_[head_++]);
  // A CR is a line end unless a LF follows (then the LF is).
  if (c == '\n' || (c == '\r' && Peek() != '\n')) {
    ++pos_.line;
    pos_.column = 1;
  } else {
    ++pos_.column;
  }
  return c;
}

Status Reader::TooLong(uint64_t column) const {
  return {Code::kResourceExhausted,
          "record longer than " + std::to_string(max_record_bytes_) + " bytes",
          Where({pos_.line, column})};
}

template <bool kKeep>
Status Reader::Append(std::string& field, char c) {
  if (++record_bytes_ > max_record_bytes_) return TooLong(pos_.column);
  if constexpr (kKeep) field += c;
  return Status::Ok();
}

// An unquoted field runs to the next ',' or line end: taken a block at a
// time (no line ends inside, so only the column moves).
template <bool kKeep>
Status Reader::AppendUnquoted(std::string& field) {
  while (head_ < tail_ || Fill()) {
    const char* begin = buf_.data() + head_;
    const char* end = buf_.data() + tail_;
    const char* stop = begin;
    while (stop < end && *stop != ',' && *stop != '\r' && *stop != '\n') ++stop;
    size_t n = static_cast<size_t>(stop - begin);
    if (n > max_record_bytes_ - record_bytes_)
      return TooLong(pos_.column + (max_record_bytes_ - record_bytes_));
    if constexpr (kKeep) field.append(begin, n);
    record_bytes_ += n;
    pos_.column += n;
    head_ += n;
    if (stop < end) break;
  }
  return Status::Ok();
}

template <bool kAll>
pathbridge::Result<bool> Reader::Read(std::vector<std::string>* fields,
                                      std::vector<Position>* positions, size_t kept) {
  if (!started_) {
    started_ = true;
    if (Peek() == 0xEF) {  // UTF-8 byte order mark
      Get();
      if (Get() != 0xBB || Get() != 0xBF)
        return InvalidArgument("malformed byte order mark", Where({1, 1}));
      pos_ = {};
    }
  }
  positions->clear();
  record_bytes_ = 0;
  // Skip blank lines between records.
  while (Peek() == '\r' || Peek() == '\n') Get();
  if (Peek() < 0) {
    fields->clear();
    if (in_.bad()) return IoError("read failed (corrupt or truncated data)", Where(pos_));
    return false;
  }
  // The strings of the last record are reused: their buffers stay allocated.
  size_t count = 0;
  while (true) {
    if (count == fields->size()) fields->emplace_back();
    std::string& field = (*fields)[count++];
    field.clear();
    const bool keep = kAll || count <= kept;
    positions->push_back(pos_);
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
        PB_RETURN_IF_ERROR(keep ? Append<true>(field, static_cast<char>(c))
                                : Append<false>(field, static_cast<char>(c)));
      }
      int next = Peek();
      if (next >= 0 && next != ',' && next != '\r' && next != '\n')
        return InvalidArgument("unexpected character after a closing quote", Where(pos_));
    } else {
      // A stray quote inside is kept as text.
      PB_RETURN_IF_ERROR(keep ? AppendUnquoted<true>(field) : AppendUnquoted<false>(field));
    }
    int c = Get();
    if (c == ',') continue;
    if (c == '\r' && Peek() == '\n') Get();
    fields->resize(count);
    return true;  // end of line or of input
  }
}

template pathbridge::Result<bool> Reader::Read<true>(std::vector<std::string>*,
                                                     std::vector<Position>*, size_t);
template pathbridge::Result<bool> Reader::Read<false>(std::vector<std::string>*,
                                                      std::vector<Position>*, size_t);

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
