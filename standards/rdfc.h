// RDF Dataset Canonicalization (W3C RDFC-1.0): issues deterministic blank
// node labels (c14n0, c14n1, ...) so that isomorphic datasets serialize to the
// same canonical N-Quads document, the input that eddsa-rdfc-2022 and
// ecdsa-rdfc-2019 proofs hash and sign.
//
// Poison graphs (RDFC-1.0 §7.1 Dataset Poisoning): highly symmetric blank node
// structures make Hash N-Degree Quads exponential. Options bounds its calls,
// permutations and recursion depth; past a bound Canonicalize returns
// Code::kResourceExhausted instead of running on.
//
// Thread-safety: Canonicalize may run on many threads at once; each thread
// reuses its own scratch buffers and digest contexts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "standards/digest.h"
#include "standards/rdf.h"
#include "standards/status.h"

namespace pathbridge::rdfc {

struct Options {
  // RDFC-1.0 uses SHA-256; the suite also runs SHA-384 (test075).
  HashAlgorithm hash = HashAlgorithm::kSha256;
  // Work limits. The defaults pass every W3C test that is meant to complete
  // (the "evil" graphs 044-046 need under 300 calls) and stop the 10-clique
  // of test074 within milliseconds; a credential with a few dozen blank
  // nodes needs a handful of calls, or none.
  uint64_t max_ndegree_calls = 4096;  // Hash N-Degree Quads calls, recursion included
  uint64_t max_permutations = 65536;  // permutations examined (step 4.8.3 (5.4)), in total
  uint32_t max_ndegree_depth = 256;   // recursion depth, which bounds stack use
};

struct CanonicalResult {
  // The canonical N-Quads document: one line per distinct quad, code point
  // sorted, each ending in "\n".
  std::string nquads;
  // The issued identifiers map: input blank node label -> canonical label
  // ("c14n0", without "_:"), in issuance order (so canonical labels ascend).
  std::vector<std::pair<std::string, std::string>> issued;
  // Work done, to tune limits: Hash N-Degree Quads calls and permutations.
  uint64_t ndegree_calls = 0;
  uint64_t permutations = 0;
};

// Canonicalizes a dataset. Duplicate quads count once (an RDF dataset is a
// set). Blank node labels are the input identifiers of the issued map.
Result<CanonicalResult> Canonicalize(const rdf::Dataset& dataset, const Options& options = {});

// ParseNQuads then Canonicalize.
Result<CanonicalResult> CanonicalizeNQuads(std::string_view nquads, const Options& options = {});

}  // namespace pathbridge::rdfc
