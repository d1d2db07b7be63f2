#include "adapters/edfi_json/json_array.h"

#include <charconv>

#include "standards/json.h"

namespace pathbridge::adapters::edfi_json {
namespace {

constexpr int kEof = -1;

bool IsSpace(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

ArrayReader::ArrayReader(std::istream& in, std::string display, size_t max_element_bytes)
    : in_(in), display_(std::move(display)), max_bytes_(max_element_bytes) {}

int ArrayReader::Peek() {
  if (pos_ == len_) {
    if (!in_) return kEof;
    in_.read(buf_, sizeof buf_);
    len_ = static_cast<size_t>(in_.gcount());
    pos_ = 0;
    if (len_ == 0) return kEof;
  }
  return static_cast<unsigned char>(buf_[pos_]);
}

int ArrayReader::Get() {
  int c = Peek();
  if (c == kEof) return c;
  ++pos_;
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
  return c;
}

void ArrayReader::SkipSpace() {
  while (IsSpace(Peek())) Get();
}

Status ArrayReader::Error(std::string message, uint64_t line, uint64_t column,
                          std::string pointer) const {
  std::string where = display_ + ":" + std::to_string(line) + ":" + std::to_string(column);
  if (!pointer.empty()) where += " " + pointer;
  return InvalidArgument(std::move(message), std::move(where));
}

Status ArrayReader::Start() {
  started_ = true;
  if (Peek() == 0xEF) {  // UTF-8 BOM
    for (int expected : {0xEF, 0xBB, 0xBF})
      if (Get() != expected) return Error("invalid byte order mark", 1, 1);
    had_bom_ = true;
    column_ = 1;
  }
  SkipSpace();
  if (Peek() != '[')
    return Error("expected a JSON array ('['), the body of an Ed-Fi API GET response", line_,
                 column_);
  Get();
  SkipSpace();
  if (Peek() == ']') {
    Get();
    finished_ = true;
  }
  return Status::Ok();
}

pathbridge::Result<bool> ArrayReader::Next(Element* out) {
  if (!started_) PB_RETURN_IF_ERROR(Start());
  if (finished_) {
    SkipSpace();
    if (Peek() != kEof) return Error("data after the end of the array", line_, column_);
    return false;
  }
  if (count_ > 0) {
    SkipSpace();
    uint64_t line = line_, column = column_;
    int c = Get();
    if (c == ']') {
      finished_ = true;
      return Next(out);
    }
    if (c != ',') {
      if (c == kEof) return Error("unexpected end of input: the array is not closed", line, column);
      return Error("expected ',' or ']' after an array element", line, column);
    }
    SkipSpace();
  }
  PB_RETURN_IF_ERROR(ReadObject(out));
  ++count_;
  return true;
}

Status ArrayReader::ReadObject(Element* out) {
  out->text.clear();
  out->index = count_;
  out->line = line_;
  out->column = column_;
  int c = Peek();
  if (c == ']' && count_ > 0) return Error("trailing comma before ']'", line_, column_);
  if (c == kEof) return Error("unexpected end of input: the array is not closed", line_, column_);
  if (c != '{') return Error("array element is not a JSON object", line_, column_, out->pointer());
  size_t depth = 0;
  bool in_string = false, escaped = false;
  while (true) {
    c = Get();
    if (c == kEof)
      return Error("unexpected end of input inside the element", line_, column_, out->pointer());
    out->text.push_back(static_cast<char>(c));
    if (out->text.size() > max_bytes_)
      return Status(Code::kResourceExhausted,
                    "element larger than " + std::to_string(max_bytes_) + " bytes",
                    display_ + ":" + std::to_string(out->line) + ":" +
                        std::to_string(out->column) + " " + out->pointer());
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return Status::Ok();
    }
  }
}

pathbridge::Result<boost::json::object> ParseElement(const Element& e, const std::string& display,
                                                     size_t max_bytes) {
  json::ParseOptions options;
  options.max_size = max_bytes;
  auto parsed = json::Parse(e.text, options);
  if (!parsed.ok()) {
    // The parser says "line:column /pointer" within the element's text.
    const Status& s = parsed.status();
    std::string_view w = s.where();
    uint64_t line = 0, column = 0;
    auto r1 = std::from_chars(w.data(), w.data() + w.size(), line);
    auto r2 = r1.ptr < w.data() + w.size() && *r1.ptr == ':'
                  ? std::from_chars(r1.ptr + 1, w.data() + w.size(), column)
                  : std::from_chars_result{r1.ptr, std::errc::invalid_argument};
    std::string pointer = e.pointer();
    size_t slash = w.find('/');
    if (slash != std::string_view::npos) pointer += w.substr(slash);
    if (r1.ec != std::errc() || r2.ec != std::errc()) line = 1, column = 1;
    uint64_t file_line = e.line + line - 1;
    uint64_t file_column = line == 1 ? e.column + column - 1 : column;
    return Status(s.code(), s.message(),
                  display + ":" + std::to_string(file_line) + ":" + std::to_string(file_column) +
                      " " + pointer);
  }
  return std::move(parsed->as_object());
}

}  // namespace pathbridge::adapters::edfi_json
