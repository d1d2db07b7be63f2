#include "adapters/sif_xml/xml_scanner.h"

#include <algorithm>
#include <cctype>

namespace pathbridge::adapters::sif_xml {
namespace {

bool IsSpace(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The encoding named by an XML declaration ("" if none).
std::string DeclaredEncoding(std::string_view decl) {
  size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return {};
  size_t q = decl.find_first_of("\"'", at);
  if (q == std::string_view::npos) return {};
  size_t end = decl.find(decl[q], q + 1);
  if (end == std::string_view::npos) return {};
  return Lower(decl.substr(q + 1, end - q - 1));
}

}  // namespace

std::string_view LocalName(std::string_view qname) {
  size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

XmlScanner::XmlScanner(std::istream& in, std::string display, size_t max_element_bytes)
    : in_(in), display_(std::move(display)), max_bytes_(max_element_bytes) {}

int XmlScanner::Get() {
  int c = in_.rdbuf() == nullptr ? EOF : in_.rdbuf()->sbumpc();
  if (c == EOF) return EOF;
  ++offset_;
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
  return c;
}

std::string XmlScanner::Where(uint64_t line, uint64_t column) const {
  return display_ + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::pair<uint64_t, uint64_t> XmlScanner::PositionIn(const ScannedElement& e, size_t offset) {
  uint64_t line = e.line, column = e.column;
  for (size_t i = 0; i < offset && i < e.text.size(); ++i) {
    if (e.text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

LineIndex::LineIndex(const ScannedElement& e) : line_(e.line), column_(e.column) {
  for (size_t i = e.text.find('\n'); i != std::string::npos; i = e.text.find('\n', i + 1))
    line_starts_.push_back(i + 1);
}

std::pair<uint64_t, uint64_t> LineIndex::PositionOf(size_t offset) const {
  auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  size_t lines = static_cast<size_t>(after - line_starts_.begin());
  if (lines == 0) return {line_, column_ + offset};
  return {line_ + lines, 1 + offset - *(after - 1)};
}

Status XmlScanner::Error(std::string msg) const {
  return InvalidArgument(std::move(msg), Where(mark_line_, mark_column_));
}

Status XmlScanner::Limit(const std::string& buf) const {
  if (buf.size() <= max_bytes_) return Status::Ok();
  return Status(Code::kResourceExhausted,
                "element larger than " + std::to_string(max_bytes_) + " bytes",
                Where(mark_line_, mark_column_));
}

Status XmlScanner::ReadUntil(std::string* buf, std::string_view terminator, std::string_view what) {
  while (!buf->ends_with(terminator)) {
    int c = Get();
    if (c == EOF) return Error("unexpected end of input in " + std::string(what));
    *buf += static_cast<char>(c);
    if (buf->size() > max_bytes_) return Limit(*buf);
  }
  return Status::Ok();
}

pathbridge::Result<XmlScanner::Markup> XmlScanner::ReadMarkup(std::string* buf, std::string* name) {
  size_t start = buf->size() - 1;  // the '<'
  int c = Get();
  if (c == EOF) return Error("unexpected end of input in markup");
  *buf += static_cast<char>(c);
  if (c == '?') {
    PB_RETURN_IF_ERROR(ReadUntil(buf, "?>", "a processing instruction"));
    return Markup::kOther;
  }
  if (c == '!') {
    while (true) {
      std::string_view seen = std::string_view(*buf).substr(start);
      if (seen == "<!--") {
        PB_RETURN_IF_ERROR(ReadUntil(buf, "-->", "a comment"));
        return Markup::kOther;
      }
      if (seen == "<![CDATA[") {
        PB_RETURN_IF_ERROR(ReadUntil(buf, "]]>", "a CDATA section"));
        return Markup::kCData;
      }
      if (seen == "<!DOCTYPE") return Error("DTDs are not accepted");
      if (!std::string_view("<!--").starts_with(seen) &&
          !std::string_view("<![CDATA[").starts_with(seen) &&
          !std::string_view("<!DOCTYPE").starts_with(seen))
        return Error("unknown markup '<!'");
      c = Get();
      if (c == EOF) return Error("unexpected end of input in markup");
      *buf += static_cast<char>(c);
    }
  }
  bool end = c == '/';
  name->clear();
  if (!end) *name += static_cast<char>(c);
  bool in_name = true;
  char quote = 0, last = static_cast<char>(c);
  while (true) {
    c = Get();
    if (c == EOF) return Error("unexpected end of input in a tag");
    *buf += static_cast<char>(c);
    if (buf->size() > max_bytes_) return Limit(*buf);
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '>') break;
    if (c == '<') return Error("'<' inside a tag");
    if (c == '"' || c == '\'') quote = static_cast<char>(c);
    if (IsSpace(c) || c == '/') in_name = false;
    if (in_name) *name += static_cast<char>(c);
    if (!IsSpace(c)) last = static_cast<char>(c);
  }
  if (name->empty() || name->front() == '/' || IsSpace(name->front()))
    return Error("element name expected after '<'");
  if (end) return Markup::kEnd;
  return last == '/' ? Markup::kEmpty : Markup::kStart;
}

Status XmlScanner::ReadRoot(ScannedElement* root) {
  std::string buf;
  bool first = true;
  while (true) {
    if (first && in_.rdbuf() != nullptr && in_.rdbuf()->sgetc() == 0xEF) {  // UTF-8 BOM
      if (Get() != 0xEF || Get() != 0xBB || Get() != 0xBF)
        return InvalidArgument("bad byte order mark", Where(1, 1));
    }
    first = false;
    mark_line_ = line_;
    mark_column_ = column_;
    int c = Get();
    if (c == EOF) return Error("empty document: no root element");
    if (IsSpace(c)) continue;
    if (c != '<') return Error("text before the root element");
    buf = "<";
    std::string name;
    PB_ASSIGN_OR_RETURN(Markup m, ReadMarkup(&buf, &name));
    if (m == Markup::kOther) {
      if (buf.starts_with("<?xml ")) {
        std::string enc = DeclaredEncoding(buf);
        if (!enc.empty() && enc != "utf-8" && enc != "us-ascii" && enc != accepted_encoding_)
          return Error("encoding \"" + enc + "\" is not supported; use UTF-8");
      }
      continue;
    }
    if (m == Markup::kEnd) return Error("end tag without a start tag");
    if (m == Markup::kCData) return Error("text before the root element");
    root->text = std::move(buf);
    root->name = std::move(name);
    root->offset = offset_ - root->text.size();
    root->line = mark_line_;
    root->column = mark_column_;
    root->empty = m == Markup::kEmpty;
    if (!root->empty) {
      open_.push_back({root->name, root->line, root->column});
      return Status::Ok();
    }
    root_done_ = true;
    return ReadEpilog();
  }
}

Status XmlScanner::CaptureRest(ScannedElement* e) {
  int depth = 1;
  std::string name;
  while (true) {
    uint64_t line = line_, column = column_;
    int c = Get();
    if (c == EOF)
      return InvalidArgument("unexpected end of input: <" + e->name + "> is not closed",
                             Where(e->line, e->column));
    e->text += static_cast<char>(c);
    if (c == '<') {
      mark_line_ = line;
      mark_column_ = column;
      PB_ASSIGN_OR_RETURN(Markup m, ReadMarkup(&e->text, &name));
      if (m == Markup::kStart) ++depth;
      if (m == Markup::kEnd && --depth == 0) return Status::Ok();
    } else if (e->text.size() > max_bytes_) {
      return Limit(e->text);
    }
  }
}

pathbridge::Result<bool> XmlScanner::NextChild(ScannedElement* out) {
  PB_ASSIGN_OR_RETURN(bool got, NextChildStart(out));
  if (got) PB_RETURN_IF_ERROR(ReadRest(out));
  return got;
}

Status XmlScanner::ReadRest(ScannedElement* e) {
  return e->empty ? Status::Ok() : CaptureRest(e);
}

void XmlScanner::Enter(const ScannedElement& e) { open_.push_back({e.name, e.line, e.column}); }

pathbridge::Result<bool> XmlScanner::NextChildStart(ScannedElement* out) {
  if (root_done_ || open_.empty()) return false;
  const Open& parent = open_.back();
  std::string name;
  while (true) {
    mark_line_ = line_;
    mark_column_ = column_;
    int c = Get();
    if (c == EOF)
      return InvalidArgument("unexpected end of input: <" + parent.name + "> is not closed",
                             Where(parent.line, parent.column));
    if (IsSpace(c)) continue;
    if (c != '<') return Error("text between the elements of <" + parent.name + ">");
    out->text = "<";
    PB_ASSIGN_OR_RETURN(Markup m, ReadMarkup(&out->text, &name));
    if (m == Markup::kOther) continue;
    if (m == Markup::kCData) return Error("text between the elements of <" + parent.name + ">");
    if (m == Markup::kEnd) {
      if (name != parent.name)
        return Error("end tag </" + name + "> does not match <" + parent.name + ">");
      open_.pop_back();
      if (!open_.empty()) return false;
      root_done_ = true;
      PB_RETURN_IF_ERROR(ReadEpilog());
      return false;
    }
    out->name = name;
    out->offset = offset_ - out->text.size();
    out->line = mark_line_;
    out->column = mark_column_;
    out->empty = m == Markup::kEmpty;
    return true;
  }
}

Status XmlScanner::ReadWholeRoot(ScannedElement* root) {
  if (root_done_) return Status::Ok();
  PB_RETURN_IF_ERROR(CaptureRest(root));
  open_.clear();
  root_done_ = true;
  return ReadEpilog();
}

Status XmlScanner::ReadEpilog() {
  std::string buf, name;
  while (true) {
    mark_line_ = line_;
    mark_column_ = column_;
    int c = Get();
    if (c == EOF) return Status::Ok();
    if (IsSpace(c)) continue;
    if (c != '<') return Error("content after the root element");
    buf = "<";
    PB_ASSIGN_OR_RETURN(Markup m, ReadMarkup(&buf, &name));
    if (m != Markup::kOther) return Error("content after the root element");
  }
}

}  // namespace pathbridge::adapters::sif_xml
