// RFC 9162 §2.1.3 inclusion proofs and §2.1.4 consistency proofs: building
// them from a source of perfect-subtree hashes, and verifying them.
//
// Policies (see shared/vectors/ledger/SOURCES.md): every hash must be exactly
// 32 bytes; consistency needs 0 < old_size <= new_size (an old size of 0 is
// rejected here; a witness wanting "empty proof from size 0 is valid" must
// special-case it itself).
//
// Thread-safety: pure functions; the NodeSource is called on the caller's
// thread.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "ledger/hash.h"

namespace pathbridge::ledger {

// Returns the hash of the perfect subtree at `level` (0 = leaves) and
// `index` (counted from the left at that level): it covers leaves
// [index << level, (index + 1) << level). Only called for complete subtrees
// of the tree being proved.
using NodeSource = std::function<Result<Hash>(uint32_t level, uint64_t index)>;

// MTH(D[begin:end]) for any 0 <= begin < end, combining perfect subtrees.
Result<Hash> RangeHash(uint64_t begin, uint64_t end, const NodeSource& nodes);
// MTH of the first `size` leaves (EmptyRoot() for size 0).
Result<Hash> RootHash(uint64_t size, const NodeSource& nodes);

// PATH(index, D[0:size]).
Result<std::vector<Hash>> BuildInclusionProof(uint64_t index, uint64_t size,
                                              const NodeSource& nodes);
// PROOF(old_size, D[0:new_size]); requires 0 < old_size <= new_size.
Result<std::vector<Hash>> BuildConsistencyProof(uint64_t old_size, uint64_t new_size,
                                                const NodeSource& nodes);

// RFC 9162 §2.1.3.2. Ok only if the proof is valid for exactly these inputs.
Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       const std::vector<Hash>& proof, const Hash& root);
// RFC 9162 §2.1.4.2.
Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                         const Hash& new_root, const std::vector<Hash>& proof);

// Computes the root the inclusion proof implies (for callers that compare
// it against several candidate roots).
Result<Hash> RootFromInclusionProof(uint64_t index, uint64_t size, const Hash& leaf_hash,
                                    const std::vector<Hash>& proof);

}  // namespace pathbridge::ledger
