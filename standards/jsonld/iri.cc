#include "standards/jsonld/iri.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

namespace pathbridge::jsonld::internal {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of a valid scheme followed by ':' at the start of v, or 0.
size_t SchemeLength(std::string_view v) {
  if (v.empty() || !IsAlpha(v[0])) return 0;
  for (size_t i = 1; i < v.size(); ++i) {
    char c = v[i];
    if (c == ':') return i;
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') return 0;
  }
  return 0;
}

// Character classes, looked up once per character and OR-ed together, so
// the scans below have no branch per character.
enum : uint8_t { kSpace = 1, kNotInIri = 2, kHash = 4 };
constexpr std::array<uint8_t, 256> kCharClass = [] {
  std::array<uint8_t, 256> cls{};
  for (int c = 0; c <= 0x20; ++c) cls[c] = kNotInIri;
  for (char c : std::string_view(" \t\n\r")) cls[static_cast<unsigned char>(c)] |= kSpace;
  cls[0x7f] = kNotInIri;
  for (char c : std::string_view("<>\"{}|\\^`")) cls[static_cast<unsigned char>(c)] = kNotInIri;
  cls['#'] = kHash;
  return cls;
}();

uint8_t Classes(std::string_view v) {
  uint8_t acc = 0;
  for (unsigned char c : v) acc |= kCharClass[c];
  return acc;
}

bool HasWhitespace(std::string_view v) { return Classes(v) & kSpace; }

struct IriParts {
  std::optional<std::string_view> scheme, authority, query, fragment;
  std::string_view path;
};

IriParts Split(std::string_view v) {
  IriParts p;
  if (size_t n = SchemeLength(v); n > 0) {
    p.scheme = v.substr(0, n);
    v.remove_prefix(n + 1);
  }
  if (size_t h = v.find('#'); h != std::string_view::npos) {
    p.fragment = v.substr(h + 1);
    v = v.substr(0, h);
  }
  if (size_t q = v.find('?'); q != std::string_view::npos) {
    p.query = v.substr(q + 1);
    v = v.substr(0, q);
  }
  if (v.substr(0, 2) == "//") {
    size_t end = v.find('/', 2);
    if (end == std::string_view::npos) end = v.size();
    p.authority = v.substr(2, end - 2);
    v.remove_prefix(end);
  }
  p.path = v;
  return p;
}

// RFC 3986 §5.2.4.
std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") {
      in.remove_prefix(3);
    } else if (in.substr(0, 2) == "./") {
      in.remove_prefix(2);
    } else if (in.substr(0, 3) == "/./") {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.substr(0, 4) == "/../" || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      size_t cut = out.rfind('/');
      out.resize(cut == std::string::npos ? 0 : cut);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      size_t next = in.find('/', in[0] == '/' ? 1 : 0);
      if (next == std::string_view::npos) next = in.size();
      out.append(in.substr(0, next));
      in.remove_prefix(next);
    }
  }
  return out;
}

// RFC 3986 §5.2.3.
std::string Merge(const IriParts& base, std::string_view ref_path) {
  if (base.authority && base.path.empty()) return "/" + std::string(ref_path);
  size_t slash = base.path.rfind('/');
  if (slash == std::string_view::npos) return std::string(ref_path);
  return std::string(base.path.substr(0, slash + 1)) + std::string(ref_path);
}

std::string Recompose(const IriParts& p, const std::string& path) {
  std::string out;
  if (p.scheme) out.append(*p.scheme).append(":");
  if (p.authority) out.append("//").append(*p.authority);
  out.append(path);
  if (p.query) out.append("?").append(*p.query);
  if (p.fragment) out.append("#").append(*p.fragment);
  return out;
}

}  // namespace

std::string ResolveIri(std::string_view base, std::string_view ref) {
  if (base.empty()) return std::string(ref);
  IriParts r = Split(ref);
  if (r.scheme) return Recompose(r, RemoveDotSegments(r.path));
  IriParts b = Split(base);
  IriParts t;
  t.scheme = b.scheme;
  t.fragment = r.fragment;
  std::string path;
  if (r.authority) {
    t.authority = r.authority;
    t.query = r.query;
    path = RemoveDotSegments(r.path);
  } else {
    t.authority = b.authority;
    if (r.path.empty()) {
      path = std::string(b.path);
      t.query = r.query ? r.query : b.query;
    } else {
      path = RemoveDotSegments(r.path[0] == '/' ? std::string(r.path) : Merge(b, r.path));
      t.query = r.query;
    }
  }
  return Recompose(t, path);
}

bool IsAbsoluteIri(std::string_view v) { return SchemeLength(v) > 0 && !HasWhitespace(v); }

bool IsIriOrBlank(std::string_view v) {
  return IsBlankNode(v) ? !HasWhitespace(v) : IsAbsoluteIri(v);
}

std::string_view Keyword(std::string_view v) {
  // By length, so a lookup compares against two or three candidates.
  static constexpr std::string_view kKeywords[][6] = {
      {"@id"},
      {"@set"},
      {"@base", "@json", "@list", "@nest", "@none", "@type"},
      {"@graph", "@index", "@value", "@vocab"},
      {"@import", "@prefix"},
      {"@context", "@default", "@reverse", "@version"},
      {"@included", "@language", "@preserve"},
      {"@container", "@direction", "@propagate", "@protected"},
  };
  if (v.size() < 3 || v.size() > 10 || v[0] != '@') return {};
  // The second character tells most candidates apart without a compare call
  // (the empty fillers have none and never match).
  for (std::string_view k : kKeywords[v.size() - 3])
    if (!k.empty() && k[1] == v[1] && k == v) return k;
  return {};
}

bool HasKeywordForm(std::string_view v) {
  if (v.size() < 2 || v[0] != '@') return false;
  return std::all_of(v.begin() + 1, v.end(), IsAlpha);
}

bool EndsWithGenDelim(std::string_view v) {
  if (v.empty()) return false;
  return std::string_view(":/?#[]@").find(v.back()) != std::string_view::npos;
}

bool IsWellFormedIri(std::string_view v) {
  if (SchemeLength(v) == 0) return false;
  const uint8_t classes = Classes(v);
  if (classes & kNotInIri) return false;
  // '#' only opens the fragment.
  return !(classes & kHash) || v.find('#') == v.rfind('#');
}

bool IsWellFormedBlankNode(std::string_view v) {
  return IsBlankNode(v) && v.size() > 2 && !HasWhitespace(v);
}

bool IsWellFormedLanguage(std::string_view v) {
  size_t start = 0;
  bool first = true;
  while (true) {
    size_t dash = v.find('-', start);
    std::string_view part = v.substr(start, dash == std::string_view::npos ? v.npos : dash - start);
    if (part.empty() || part.size() > 8) return false;
    for (char c : part)
      if (!IsAlpha(c) && (first || !IsDigit(c))) return false;
    if (dash == std::string_view::npos) return true;
    start = dash + 1;
    first = false;
  }
}

std::string AsciiLower(std::string_view v) {
  std::string out(v);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace pathbridge::jsonld::internal
