#include "adapters/oneroster_json/scanner.h"

#include <charconv>

#include "standards/json.h"

namespace pathbridge::adapters::oneroster_json {
namespace {

constexpr size_t kMaxNesting = 256;  // skipped values; kept ones are bounded by json::Parse

bool IsSpace(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

Scanner::Scanner(std::istream& in, std::string display, size_t max_element_bytes,
                 std::function<bool(std::string_view)> wanted)
    : in_(in.rdbuf()),
      display_(std::move(display)),
      max_element_bytes_(max_element_bytes),
      wanted_(std::move(wanted)) {}

int Scanner::Peek() { return in_ == nullptr ? EOF : in_->sgetc(); }

int Scanner::Get() {
  int c = in_ == nullptr ? EOF : in_->sbumpc();
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else if (c != EOF) {
    ++column_;
  }
  return c;
}

void Scanner::SkipSpace() {
  while (IsSpace(Peek())) Get();
}

std::string Scanner::Here() const {
  return display_ + ":" + std::to_string(line_) + ":" + std::to_string(column_);
}

Status Scanner::Expect(char c, std::string_view what) {
  std::string at = Here();
  int got = Get();
  if (got == c) return Status::Ok();
  return InvalidArgument(
      (got == EOF ? "unexpected end of input" : "unexpected character") + std::string("; expected ") +
          std::string(what),
      at);
}

Status Scanner::Keep(std::string* out, int c, const std::string& start) const {
  if (out == nullptr) return Status::Ok();
  if (out->size() >= max_element_bytes_)
    return Status(Code::kResourceExhausted,
                  "element longer than " + std::to_string(max_element_bytes_) + " bytes", start);
  out->push_back(static_cast<char>(c));
  return Status::Ok();
}

Status Scanner::ReadString(std::string* out, const std::string& start) {
  PB_RETURN_IF_ERROR(Keep(out, Get(), start));  // the opening quote
  while (true) {
    int c = Get();
    if (c == EOF) return InvalidArgument("unexpected end of input in a string", Here());
    PB_RETURN_IF_ERROR(Keep(out, c, start));
    if (c == '"') return Status::Ok();
    if (c == '\\') {
      c = Get();
      if (c == EOF) return InvalidArgument("unexpected end of input in a string", Here());
      PB_RETURN_IF_ERROR(Keep(out, c, start));
    }
  }
}

Status Scanner::ReadValue(std::string* out) {
  std::string start = Here();
  int c = Peek();
  if (c == '"') return ReadString(out, start);
  if (c == '{' || c == '[') {
    std::vector<char> closers;
    do {
      c = Peek();
      if (c == EOF) return InvalidArgument("unexpected end of input", Here());
      if (c == '"') {
        PB_RETURN_IF_ERROR(ReadString(out, start));
        continue;
      }
      std::string here = Here();
      PB_RETURN_IF_ERROR(Keep(out, Get(), start));
      if (c == '{' || c == '[') {
        closers.push_back(c == '{' ? '}' : ']');
        if (closers.size() > kMaxNesting)
          return Status(Code::kResourceExhausted,
                        "arrays and objects nested deeper than " + std::to_string(kMaxNesting),
                        here);
      } else if (c == '}' || c == ']') {
        if (c != closers.back())
          return InvalidArgument(std::string("'") + static_cast<char>(c) + "' does not match '" +
                                     (closers.back() == '}' ? "{" : "[") + "'",
                                 here);
        closers.pop_back();
      }
    } while (!closers.empty());
    return Status::Ok();
  }
  // A number, true, false or null, up to the next delimiter: kept even when
  // skipped, to be checked here.
  std::string scalar;
  while ((c = Peek()) != EOF && !IsSpace(c) && c != ',' && c != ']' && c != '}')
    PB_RETURN_IF_ERROR(Keep(&scalar, Get(), start));
  if (scalar.empty())
    return InvalidArgument(c == EOF ? "unexpected end of input; expected a value"
                                    : "expected a value",
                           start);
  auto parsed = json::Parse(scalar);
  if (!parsed.ok()) return InvalidArgument(parsed.status().message(), start);
  if (out != nullptr) *out += scalar;
  return Status::Ok();
}

pathbridge::Result<bool> Scanner::StartMember(Element* out) {
  SkipSpace();
  std::string at = Here();
  uint64_t line = line_, column = column_;
  if (Peek() != '"') {
    return InvalidArgument(Peek() == EOF ? "unexpected end of input; expected a member name"
                                         : "expected a member name",
                           at);
  }
  std::string raw;
  PB_RETURN_IF_ERROR(ReadString(&raw, at));
  auto key = json::Parse(raw);
  if (!key.ok()) return InvalidArgument("invalid member name: " + key.status().message(), at);
  member_ = std::string(key->as_string());
  if (!seen_members_.insert(member_).second)
    return InvalidArgument("duplicate member \"" + member_ + "\"", at);
  SkipSpace();
  PB_RETURN_IF_ERROR(Expect(':', "':' after a member name"));
  SkipSpace();
  std::string pointer;
  json::AppendPointerToken(pointer, member_);
  if (!wanted_(member_)) {
    PB_RETURN_IF_ERROR(ReadValue(nullptr));
    state_ = State::kAfterValue;
    *out = {member_, true, "", line, column, pointer};
    return true;
  }
  if (Peek() == '[') {
    Get();
    SkipSpace();
    index_ = 0;
    state_ = State::kElement;
    if (Peek() == ']') {
      Get();
      state_ = State::kAfterValue;
    }
    return false;
  }
  *out = {member_, false, "", line_, column_, pointer};
  PB_RETURN_IF_ERROR(ReadValue(&out->text));
  state_ = State::kAfterValue;
  return true;
}

pathbridge::Result<bool> Scanner::Next(Element* out) {
  while (true) {
    switch (state_) {
      case State::kStart: {
        SkipSpace();
        PB_RETURN_IF_ERROR(Expect('{', "a JSON object such as {\"users\": [...]}"));
        SkipSpace();
        state_ = State::kKey;
        if (Peek() == '}') {
          Get();
          state_ = State::kEnd;
        }
        break;
      }
      case State::kKey: {
        PB_ASSIGN_OR_RETURN(bool got, StartMember(out));
        if (got) return true;
        break;
      }
      case State::kElement: {
        SkipSpace();
        std::string pointer;
        json::AppendPointerToken(pointer, member_);
        *out = {member_, false, "", line_, column_, pointer + "/" + std::to_string(index_)};
        PB_RETURN_IF_ERROR(ReadValue(&out->text));
        state_ = State::kAfterElement;  // what follows is checked on the next call
        return true;
      }
      case State::kAfterElement: {
        SkipSpace();
        std::string at = Here();
        int c = Get();
        if (c == ',') {
          ++index_;
          state_ = State::kElement;
        } else if (c == ']') {
          state_ = State::kAfterValue;
        } else {
          return InvalidArgument(c == EOF ? "unexpected end of input; expected ',' or ']'"
                                          : "expected ',' or ']' after an array element",
                                 at);
        }
        break;
      }
      case State::kAfterValue: {
        SkipSpace();
        std::string at = Here();
        int c = Get();
        if (c == ',') {
          state_ = State::kKey;
        } else if (c == '}') {
          state_ = State::kEnd;
        } else {
          return InvalidArgument(c == EOF ? "unexpected end of input; expected ',' or '}'"
                                          : "expected ',' or '}' after a member",
                                 at);
        }
        break;
      }
      case State::kEnd:
        SkipSpace();
        if (Peek() != EOF) return InvalidArgument("unexpected data after the JSON document", Here());
        state_ = State::kDone;
        return false;
      case State::kDone:
        return false;
    }
  }
}

std::string Scanner::Where(const Element& e, std::string_view relative) const {
  uint64_t line = 0, column = 0;
  auto colon = relative.find(':');
  auto space = relative.find(' ');
  std::string_view pointer = space == std::string_view::npos ? "" : relative.substr(space + 1);
  auto l = std::from_chars(relative.data(), relative.data() + relative.size(), line);
  bool ok = l.ec == std::errc() && colon != std::string_view::npos &&
            std::from_chars(relative.data() + colon + 1, relative.data() + relative.size(), column)
                    .ec == std::errc();
  if (!ok || line == 0) {
    line = 1;
    column = 1;
    pointer = "";
  }
  uint64_t abs_line = e.line + line - 1;
  uint64_t abs_column = line == 1 ? e.column + column - 1 : column;
  std::string out = display_ + ":" + std::to_string(abs_line) + ":" + std::to_string(abs_column) +
                    " " + e.pointer + std::string(pointer);
  return out;
}

}  // namespace pathbridge::adapters::oneroster_json
