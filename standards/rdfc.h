// RDF Dataset Canonicalization (W3C RDFC-1.0): issues deterministic blank
// node labels (c14n0, c14n1, ...) so that isomorphic datasets serialize to the
// same canonical N-Quads document, the input that eddsa-rdfc-2022 and
// ecdsa-rdfc-2019 proofs hash and sign.
//
// Poison graphs (RDFC-1.0 Security Considerations, "Dataset Poisoning"):
// highly symmetric blank node structures make Hash N-Degree Quads
// exponential. Options bounds its calls, permutations, recursion depth and
// total work; past a bound Canonicalize returns Code::kResourceExhausted
// instead of running on.
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
  // Work limits for Hash N-Degree Quads. The defaults pass every W3C test
  // meant to complete (the "evil" graphs 044-046 need 430 calls, 2652
  // permutations and about 0.4M work units, 1 ms) and stop the 10-node clique
  // of test074 in about 20 ms; credentials with a few dozen blank nodes need
  // a handful of calls, or none.
  uint64_t max_ndegree_calls = 4096;  // calls, recursion included
  uint64_t max_permutations = 65536;  // permutations examined (§4.8.3 step 5.4)
  uint32_t max_ndegree_depth = 256;   // recursion depth, which bounds stack use
  // Overall cost budget, for few but huge calls or permutations (a blank node
  // with thousands of identical neighbours). Units approximate CPU time: a
  // digest costs 64, each issuer entry scanned or copied and each path
  // element costs 1. About 8M units is 20-50 ms.
  uint64_t max_work = uint64_t{1} << 23;
};

struct CanonicalResult {
  // The canonical N-Quads document: one line per distinct quad, code point
  // sorted, each ending in "\n".
  std::string nquads;
  // The issued identifiers map: input blank node label -> canonical label
  // ("c14n0", without "_:"), in issuance order (so canonical labels ascend).
  std::vector<std::pair<std::string, std::string>> issued;
  // Work done, to tune limits: Hash N-Degree Quads calls, permutations and
  // work units (see Options).
  uint64_t ndegree_calls = 0;
  uint64_t permutations = 0;
  uint64_t work = 0;
};

// Canonicalizes a dataset. Duplicate quads count once (an RDF dataset is a
// set). Blank node labels are the input identifiers of the issued map.
Result<CanonicalResult> Canonicalize(const rdf::Dataset& dataset, const Options& options = {});

// ParseNQuads then Canonicalize.
Result<CanonicalResult> CanonicalizeNQuads(std::string_view nquads, const Options& options = {});

}  // namespace pathbridge::rdfc
