// RDF 1.1 datasets as the JSON-LD toRdf algorithm produces them and RDFC-1.0
// canonicalizes them: terms, quads, and N-Quads text (RDF 1.1 N-Quads,
// canonical form as RDFC-1.0 §4.7 / N-Triples canonical escaping requires).
//
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "standards/status.h"

namespace pathbridge::rdf {

enum class TermKind : uint8_t { kIri, kBlank, kLiteral, kDefaultGraph };

struct Term {
  TermKind kind = TermKind::kIri;
  std::string value;     // IRI, blank node label without "_:", or lexical form
  std::string datatype;  // literals: datatype IRI (xsd:string when plain)
  std::string language;  // literals: language tag (datatype is rdf:langString)

  static Term Iri(std::string iri) { return {TermKind::kIri, std::move(iri), {}, {}}; }
  static Term Blank(std::string label) { return {TermKind::kBlank, std::move(label), {}, {}}; }
  static Term Literal(std::string lexical, std::string datatype, std::string language = {}) {
    return {TermKind::kLiteral, std::move(lexical), std::move(datatype), std::move(language)};
  }
  static Term DefaultGraph() { return {TermKind::kDefaultGraph, {}, {}, {}}; }
  bool operator==(const Term&) const = default;
};

struct Quad {
  Term subject, predicate, object, graph;  // graph: kDefaultGraph for the default graph
  bool operator==(const Quad&) const = default;
};

using Dataset = std::vector<Quad>;

inline constexpr std::string_view kXsdString = "http://www.w3.org/2001/XMLSchema#string";
inline constexpr std::string_view kRdfLangString =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

}  // namespace pathbridge::rdf
