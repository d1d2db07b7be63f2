#include "standards/nquads.h"

#include <cstdint>
#include <cstdio>

#include "standards/encoding.h"

namespace pathbridge::rdf {
namespace {

// ---------------------------------------------------------------------------
// Character classes (N-Quads 1.1 §7 grammar).

// Bytes that may not appear unescaped in an IRIREF: #x00-#x20 < > " { } | ^ ` \.
constexpr bool IriForbidden(uint32_t c) {
  if (c <= 0x20) return true;
  switch (c) {
    case '<': case '>': case '"': case '{': case '}': case '|': case '^': case '`': case '\\':
      return true;
    default:
      return false;
  }
}

// Byte classes for the hot loops, so plain ASCII runs cost one load per byte.
struct ByteTables {
  bool iri_plain[256] = {};      // ASCII allowed unescaped in an IRIREF
  bool literal_plain[256] = {};  // ASCII allowed unescaped in STRING_LITERAL_QUOTE
  bool literal_escape[256] = {}; // bytes canonical form escapes in a literal
  bool iri_escape[256] = {};     // bytes the serializer escapes in an IRI
  constexpr ByteTables() {
    for (uint32_t c = 0; c < 0x80; ++c) {
      iri_plain[c] = !IriForbidden(c);
      literal_plain[c] = c != '"' && c != '\\' && c != '\n' && c != '\r';
      literal_escape[c] = c < 0x20 || c == '"' || c == '\\' || c == 0x7F;
      iri_escape[c] = IriForbidden(c);
    }
  }
};
constexpr ByteTables kBytes;

bool PnCharsBase(uint32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6) ||
         (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
         (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
         (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

bool PnCharsU(uint32_t c) { return PnCharsBase(c) || c == '_' || c == ':'; }

bool PnChars(uint32_t c) {
  return PnCharsU(c) || c == '-' || (c >= '0' && c <= '9') || c == 0xB7 ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// "\u001F" style escape, upper-case hex as canonical N-Quads requires.
void AppendUchar(uint32_t c, std::string& out) {
  char buf[12];
  if (c <= 0xFFFF) std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
  else std::snprintf(buf, sizeof buf, "\\U%08X", static_cast<unsigned>(c));
  out += buf;
}

// An IRI must start with a scheme (RFC 3987): ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":".
bool HasScheme(std::string_view iri) {
  if (iri.empty() || !IsAlpha(iri[0])) return false;
  for (size_t i = 1; i < iri.size(); ++i) {
    char c = iri[i];
    if (c == ':') return true;
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Parser.

class Parser {
 public:
  explicit Parser(std::string_view text) : t_(text) {}

  Result<Dataset> Run() {
    Dataset out;
    while (true) {
      SkipSpaceAndComment();
      if (AtEnd()) break;
      if (IsEol(t_[pos_])) { SkipEol(); continue; }
      ++quad_no_;
      Quad q;
      PB_RETURN_IF_ERROR(Statement(q));
      out.push_back(std::move(q));
      SkipSpaceAndComment();
      if (!AtEnd() && !IsEol(t_[pos_]))
        return Error(pos_, "expected end of line after '.', found " + Describe(pos_));
    }
    return out;
  }

 private:
  static bool IsEol(char c) { return c == '\n' || c == '\r'; }
  bool AtEnd() const { return pos_ >= t_.size(); }
  char Peek() const { return AtEnd() ? '\0' : t_[pos_]; }

  void SkipSpaceAndComment() {
    while (!AtEnd() && (t_[pos_] == ' ' || t_[pos_] == '\t')) ++pos_;
    if (!AtEnd() && t_[pos_] == '#')
      while (!AtEnd() && !IsEol(t_[pos_])) ++pos_;
  }

  // EOL ::= [#xD#xA]+ ; "\r\n" counts as one line break for positions.
  void SkipEol() {
    while (!AtEnd() && IsEol(t_[pos_])) {
      bool crlf = t_[pos_] == '\r' && pos_ + 1 < t_.size() && t_[pos_ + 1] == '\n';
      ++pos_;
      if (!crlf) { ++line_; line_start_ = pos_; }
    }
  }

  // Column in code points, 1-based, so editors agree on non-ASCII lines.
  Status Error(size_t at, std::string what) const {
    size_t col = 1;
    for (size_t i = line_start_; i < at && i < t_.size(); ++i)
      if ((static_cast<uint8_t>(t_[i]) & 0xC0) != 0x80) ++col;
    return InvalidArgument("quad " + std::to_string(quad_no_) + ": " + what,
                           std::to_string(line_) + ":" + std::to_string(col));
  }

  std::string Describe(size_t at) const {
    if (at >= t_.size()) return "end of input";
    char c = t_[at];
    if (IsEol(c)) return "end of line";
    uint32_t cp;
    if (DecodeUtf8(t_, at, &cp) == 0) return "an invalid UTF-8 byte";
    char buf[16];
    if (cp >= 0x21 && cp < 0x7F) std::snprintf(buf, sizeof buf, "'%c'", static_cast<char>(cp));
    else std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
  }

  Status Statement(Quad& q) {
    char c = Peek();
    if (c == '<') PB_RETURN_IF_ERROR(Iri(q.subject, "subject"));
    else if (c == '_') PB_RETURN_IF_ERROR(Blank(q.subject));
    else return Error(pos_, "expected a subject (IRI or blank node), found " + Describe(pos_));
    SkipSpaceAndComment();
    if (Peek() != '<')
      return Error(pos_, "expected a predicate IRI, found " + Describe(pos_));
    PB_RETURN_IF_ERROR(Iri(q.predicate, "predicate"));
    SkipSpaceAndComment();
    c = Peek();
    if (c == '<') PB_RETURN_IF_ERROR(Iri(q.object, "object"));
    else if (c == '_') PB_RETURN_IF_ERROR(Blank(q.object));
    else if (c == '"') PB_RETURN_IF_ERROR(Literal(q.object));
    else
      return Error(pos_, "expected an object (IRI, blank node or literal), found " +
                             Describe(pos_));
    SkipSpaceAndComment();
    c = Peek();
    if (c == '<') PB_RETURN_IF_ERROR(Iri(q.graph, "graph label"));
    else if (c == '_') PB_RETURN_IF_ERROR(Blank(q.graph));
    else q.graph = Term::DefaultGraph();
    SkipSpaceAndComment();
    if (Peek() != '.')
      return Error(pos_, "expected '.' to end the statement, found " + Describe(pos_));
    ++pos_;
    return Status::Ok();
  }

  // UCHAR after the backslash at t_[pos_]; pos_ ends after it.
  Status Uchar(uint32_t& cp) {
    size_t start = pos_;
    size_t digits = t_[pos_ + 1] == 'u' ? 4 : 8;
    pos_ += 2;
    cp = 0;
    for (size_t k = 0; k < digits; ++k, ++pos_) {
      int v = AtEnd() ? -1 : HexValue(t_[pos_]);
      if (v < 0)
        return Error(pos_, "expected a hex digit in the \\" + std::string(1, t_[start + 1]) +
                               " escape, found " + Describe(pos_));
      cp = (cp << 4) | static_cast<uint32_t>(v);
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return Error(start, "escape is not a Unicode scalar value (surrogate or beyond U+10FFFF)");
    return Status::Ok();
  }

  Status Iri(Term& term, const char* role) {
    size_t open = pos_++;
    size_t start = pos_;
    std::string value;
    bool escaped = false;  // once an escape is seen, value collects the decoded text
    while (true) {
      size_t run = pos_;
      while (pos_ < t_.size() && kBytes.iri_plain[static_cast<uint8_t>(t_[pos_])]) ++pos_;
      if (escaped) value.append(t_.substr(run, pos_ - run));
      if (AtEnd() || IsEol(t_[pos_]))
        return Error(open, std::string("unterminated IRI (") + role + "): missing '>'");
      char c = t_[pos_];
      if (c == '>') break;
      size_t at = pos_;
      if (c == '\\') {
        if (pos_ + 1 >= t_.size() || (t_[pos_ + 1] != 'u' && t_[pos_ + 1] != 'U'))
          return Error(at, "only \\u and \\U escapes are allowed in an IRI");
        if (!escaped) value.assign(t_.substr(start, pos_ - start));
        escaped = true;
        uint32_t cp;
        PB_RETURN_IF_ERROR(Uchar(cp));
        if (IriForbidden(cp))
          return Error(at, "escape decodes to a character an IRI may not contain");
        AppendUtf8(cp, value);
        continue;
      }
      if (static_cast<uint8_t>(c) < 0x80)
        return Error(at, "character " + Describe(at) + " is not allowed in an IRI");
      size_t len = Utf8At(pos_);
      if (len == 0) return Error(at, "invalid UTF-8");
      if (escaped) value.append(t_.substr(at, len));
      pos_ += len;
    }
    if (!escaped) value.assign(t_.substr(start, pos_ - start));
    ++pos_;  // '>'
    if (!HasScheme(value))
      return Error(open, std::string("relative IRI <") + value + "> (" + role +
                             "): N-Quads IRIs must be absolute");
    term = Term::Iri(std::move(value));
    return Status::Ok();
  }

  // Length of the well-formed UTF-8 sequence at `at`, 0 if there is none.
  size_t Utf8At(size_t at) const {
    uint32_t cp;
    return DecodeUtf8(t_, at, &cp);
  }

  Status Blank(Term& term) {
    size_t at = pos_;
    if (pos_ + 1 >= t_.size() || t_[pos_ + 1] != ':')
      return Error(at, "expected '_:' to start a blank node label");
    pos_ += 2;
    size_t start = pos_;
    uint32_t cp;
    size_t len = AtEnd() ? 0 : DecodeUtf8(t_, pos_, &cp);
    if (len == 0 || !(PnCharsU(cp) || (cp >= '0' && cp <= '9')))
      return Error(pos_, "blank node label must start with a letter, digit or '_', found " +
                             Describe(pos_));
    pos_ += len;
    size_t end = pos_;  // end of the label without trailing dots
    while (!AtEnd()) {
      len = DecodeUtf8(t_, pos_, &cp);
      if (len == 0 || !(PnChars(cp) || cp == '.')) break;
      pos_ += len;
      if (cp != '.') end = pos_;
    }
    pos_ = end;  // a label never ends in '.': that '.' ends the statement
    term = Term::Blank(std::string(t_.substr(start, end - start)));
    return Status::Ok();
  }

  Status Literal(Term& term) {
    size_t open = pos_++;
    std::string lexical;
    while (true) {
      size_t run = pos_;
      while (pos_ < t_.size() && kBytes.literal_plain[static_cast<uint8_t>(t_[pos_])]) ++pos_;
      lexical.append(t_.substr(run, pos_ - run));
      if (AtEnd() || IsEol(t_[pos_]))
        return Error(open, "unterminated string literal: missing '\"'");
      char c = t_[pos_];
      if (c == '"') break;
      if (c == '\\') {
        PB_RETURN_IF_ERROR(Escape(lexical));
        continue;
      }
      size_t len = Utf8At(pos_);
      if (len == 0) return Error(pos_, "invalid UTF-8");
      lexical.append(t_.substr(pos_, len));
      pos_ += len;
    }
    ++pos_;  // closing quote
    std::string datatype(kXsdString), language;
    if (Peek() == '@') {
      PB_RETURN_IF_ERROR(LangTag(language));
      datatype = kRdfLangString;
    } else if (Peek() == '^') {
      if (pos_ + 2 >= t_.size() || t_[pos_ + 1] != '^' || t_[pos_ + 2] != '<')
        return Error(pos_, "expected '^^<datatype IRI>' after the literal");
      pos_ += 2;
      Term dt;
      PB_RETURN_IF_ERROR(Iri(dt, "datatype"));
      datatype = std::move(dt.value);
    }
    term = Term::Literal(std::move(lexical), std::move(datatype), std::move(language));
    return Status::Ok();
  }

  Status Escape(std::string& out) {
    size_t at = pos_;
    char e = pos_ + 1 < t_.size() ? t_[pos_ + 1] : '\0';
    char decoded = 0;
    switch (e) {
      case 't': decoded = '\t'; break;
      case 'b': decoded = '\b'; break;
      case 'n': decoded = '\n'; break;
      case 'r': decoded = '\r'; break;
      case 'f': decoded = '\f'; break;
      case '"': decoded = '"'; break;
      case '\'': decoded = '\''; break;
      case '\\': decoded = '\\'; break;
      case 'u': case 'U': {
        uint32_t cp;
        PB_RETURN_IF_ERROR(Uchar(cp));
        AppendUtf8(cp, out);
        return Status::Ok();
      }
      default:
        return Error(at, "unknown escape \\" + (e ? Describe(pos_ + 1) : std::string("at end")) +
                             " in a string literal");
    }
    out += decoded;
    pos_ += 2;
    return Status::Ok();
  }

  // LANGTAG ::= '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*
  Status LangTag(std::string& out) {
    size_t at = pos_++;
    size_t start = pos_;
    while (!AtEnd() && IsAlpha(t_[pos_])) ++pos_;
    if (pos_ == start) return Error(at, "language tag must start with a letter after '@'");
    while (Peek() == '-') {
      size_t sub = ++pos_;
      while (!AtEnd() && (IsAlpha(t_[pos_]) || IsDigit(t_[pos_]))) ++pos_;
      if (pos_ == sub) return Error(sub, "empty language subtag after '-'");
    }
    out.assign(t_.substr(start, pos_ - start));
    return Status::Ok();
  }

  std::string_view t_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t line_start_ = 0;
  size_t quad_no_ = 0;
};

// ---------------------------------------------------------------------------
// Serializer.

// Index of the first byte of s at or after i that table flags, or s.size().
size_t FindFlagged(std::string_view s, size_t i, const bool (&table)[256]) {
  while (i < s.size() && !table[static_cast<uint8_t>(s[i])]) ++i;
  return i;
}

void AppendIri(std::string_view iri, std::string& out) {
  out += '<';
  size_t run = 0;
  // Parsed IRIs never hold these; escape them so terms built elsewhere
  // still serialize to parseable N-Quads.
  for (size_t i = FindFlagged(iri, 0, kBytes.iri_escape); i < iri.size();
       i = FindFlagged(iri, i + 1, kBytes.iri_escape)) {
    out.append(iri.substr(run, i - run));
    AppendUchar(static_cast<uint8_t>(iri[i]), out);
    run = i + 1;
  }
  out.append(iri.substr(run));
  out += '>';
}

}  // namespace

Result<Dataset> ParseNQuads(std::string_view text) { return Parser(text).Run(); }

void AppendEscapedLiteral(std::string_view s, std::string& out) {
  size_t run = 0;
  for (size_t i = FindFlagged(s, 0, kBytes.literal_escape); i < s.size();
       i = FindFlagged(s, i + 1, kBytes.literal_escape)) {
    out.append(s.substr(run, i - run));
    run = i + 1;
    switch (s[i]) {
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default: AppendUchar(static_cast<uint8_t>(s[i]), out);
    }
  }
  out.append(s.substr(run));
}

void AppendTerm(const Term& term, std::string& out) {
  switch (term.kind) {
    case TermKind::kIri:
      AppendIri(term.value, out);
      return;
    case TermKind::kBlank:
      out += "_:";
      out += term.value;
      return;
    case TermKind::kLiteral:
      out += '"';
      AppendEscapedLiteral(term.value, out);
      out += '"';
      if (!term.language.empty()) {
        out += '@';
        out += term.language;
      } else if (!term.datatype.empty() && term.datatype != kXsdString) {
        out += "^^";
        AppendIri(term.datatype, out);
      }
      return;
    case TermKind::kDefaultGraph:
      return;
  }
}

void AppendNQuads(const Quad& quad, std::string& out) {
  AppendTerm(quad.subject, out);
  out += ' ';
  AppendTerm(quad.predicate, out);
  out += ' ';
  AppendTerm(quad.object, out);
  out += ' ';
  if (quad.graph.kind != TermKind::kDefaultGraph) {
    AppendTerm(quad.graph, out);
    out += ' ';
  }
  out += ".\n";
}

std::string ToNQuads(const Quad& quad) {
  std::string out;
  AppendNQuads(quad, out);
  return out;
}

std::string SerializeNQuads(const Dataset& dataset) {
  std::string out;
  for (const Quad& q : dataset) AppendNQuads(q, out);
  return out;
}

}  // namespace pathbridge::rdf
