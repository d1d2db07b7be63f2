// IRI helpers for the JSON-LD processor: RFC 3986 §5.2 reference
// resolution (no normalization, as JSON-LD requires), the "has the form of"
// predicates the algorithms test, and the stricter well-formedness checks
// that decide which IRIs and language tags reach RDF.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace pathbridge::jsonld::internal {

// Resolves `ref` against `base` (RFC 3986 §5.2.2, with dot-segment removal).
std::string ResolveIri(std::string_view base, std::string_view ref);

// scheme ":" ... with no whitespace (what the algorithms call an IRI).
bool IsAbsoluteIri(std::string_view v);
// An absolute IRI or a blank node identifier ("_:x").
bool IsIriOrBlank(std::string_view v);
inline bool IsBlankNode(std::string_view v) { return v.size() >= 2 && v[0] == '_' && v[1] == ':'; }

// The JSON-LD keyword v is (@context, @id, ...), as a view of static
// storage, or "" when v is none.
std::string_view Keyword(std::string_view v);
inline bool IsKeyword(std::string_view v) { return !Keyword(v).empty(); }
// "@" followed by ASCII letters only: reserved for future keywords, ignored.
bool HasKeywordForm(std::string_view v);
// Ends with an RFC 3986 gen-delim (: / ? # [ ] @): may serve as a prefix.
bool EndsWithGenDelim(std::string_view v);

// Checks for RDF: an absolute IRI without characters IRIs may not contain.
bool IsWellFormedIri(std::string_view v);
bool IsWellFormedBlankNode(std::string_view v);
// BCP 47 shape: 1-8 letters, then "-" and 1-8 alphanumerics, repeated.
bool IsWellFormedLanguage(std::string_view v);

std::string AsciiLower(std::string_view v);

}  // namespace pathbridge::jsonld::internal
