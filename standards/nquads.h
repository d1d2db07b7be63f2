// N-Quads 1.1 text for RDF datasets: a strict parser (every deviation from
// the W3C grammar is an error that names line:column and the quad number) and
// the canonical serialization RDFC-1.0 Appendix A requires (single spaces,
// "\n" line ends, no ^^xsd:string, ECHAR for \b \t \n \f \r " \, UCHAR with
// upper-case hex for other controls and DEL, everything else as UTF-8).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "standards/rdf.h"
#include "standards/status.h"

namespace pathbridge::rdf {

// Parses an N-Quads document. Accepted: the N-Quads 1.1 grammar with
// absolute IRIs, valid UTF-8, comments and blank lines. Escapes are decoded:
// Term values hold plain UTF-8. Rejected beyond the grammar: IRIs without a
// scheme, and escapes decoding to characters an IRI may not contain, so every
// parsed dataset serializes back to valid N-Quads. Duplicate quads are kept
// (a Dataset is a list here; RDFC-1.0 Canonicalize treats it as a set).
Result<Dataset> ParseNQuads(std::string_view text);

// One quad in canonical N-Quads form, ending in "\n".
std::string ToNQuads(const Quad& quad);
void AppendNQuads(const Quad& quad, std::string& out);
// One term as it appears in a quad ("<iri>", "_:label", "\"lexical\"@lang"...);
// appends nothing for the default graph.
void AppendTerm(const Term& term, std::string& out);
// The lexical form of a literal with canonical escaping, without the quotes.
void AppendEscapedLiteral(std::string_view lexical, std::string& out);

// Every quad, in dataset order, each in canonical form. Not sorted: the
// canonical document of RDFC-1.0 is rdfc::Canonicalize's output.
std::string SerializeNQuads(const Dataset& dataset);

}  // namespace pathbridge::rdf
