#include "ledger/proof.h"

#include <bit>
#include <string>

namespace pathbridge::ledger {
namespace {

int BitWidth(uint64_t x) { return static_cast<int>(std::bit_width(x)); }
int Ctz(uint64_t x) { return static_cast<int>(std::countr_zero(x)); }
int Popcount(uint64_t x) { return static_cast<int>(std::popcount(x)); }
// x >> n, also for n == 64 (a fork at the top of a 2^64-leaf tree), where the
// built-in shift is undefined.
uint64_t Shr(uint64_t x, int n) { return n >= 64 ? 0 : x >> n; }

// Levels between the node (level, index) and the node where its path to the
// root joins the path of the last leaf, size - 1. Below that fork every
// sibling is a complete subtree; the fork's right child may not be.
int InnerLevels(uint32_t level, uint64_t index, uint64_t size) {
  return BitWidth(index ^ ((size - 1) >> level));
}

// Number of hashes in the inclusion path of the complete node (level, index)
// in a tree of `size` leaves: the inner siblings, then one left sibling per
// level where the border path turns right.
size_t PathLength(uint32_t level, uint64_t index, uint64_t size) {
  const int inner = InnerLevels(level, index, size);
  return static_cast<size_t>(inner + Popcount(Shr(index, inner)));
}

// MTH(D[begin:end]) when begin is a multiple of bit_floor(end - begin): the
// aligned perfect subtrees then shrink from left to right, one per set bit of
// the length, which is exactly how the MTH definition splits the range.
Result<Hash> AlignedRangeHash(uint64_t begin, uint64_t end, const NodeSource& nodes) {
  Hasher& hasher = ThreadHasher();
  uint64_t rest = end - begin;
  uint64_t pos = end;
  Hash acc{};
  for (bool first = true; rest != 0; rest &= rest - 1, first = false) {
    const int level = Ctz(rest);
    pos -= uint64_t{1} << level;
    PB_ASSIGN_OR_RETURN(Hash node, nodes(static_cast<uint32_t>(level), pos >> level));
    acc = first ? node : hasher.Node(node, acc);
  }
  return acc;
}

// Appends PATH for the complete node (level, index) in a tree of `size`
// leaves, lowest level first (RFC 9162 §2.1.3.1 with that node as a leaf).
Status AppendPath(uint32_t level, uint64_t index, uint64_t size, const NodeSource& nodes,
                  std::vector<Hash>& out) {
  const int inner = InnerLevels(level, index, size);
  for (int j = 0; j + 1 < inner; ++j) {
    PB_ASSIGN_OR_RETURN(Hash sibling, nodes(level + j, (index >> j) ^ 1));
    out.push_back(sibling);
  }
  if (inner > 0) {
    // The fork's right child ends at the tree's edge, so may be partial.
    const int top = static_cast<int>(level) + inner - 1;
    const uint64_t begin = ((size - 1) >> top) << top;
    PB_ASSIGN_OR_RETURN(Hash right, AlignedRangeHash(begin, size, nodes));
    out.push_back(right);
  }
  // Above the fork the path runs along the right border: only left siblings.
  for (int j = inner; Shr(index, j) != 0; ++j) {
    if (((index >> j) & 1) == 0) continue;
    PB_ASSIGN_OR_RETURN(Hash sibling, nodes(level + j, (index >> j) - 1));
    out.push_back(sibling);
  }
  return Status::Ok();
}

Status LengthError(size_t got, size_t want) {
  const std::string hashes = got == 1 ? " hash" : " hashes";
  return VerificationFailed(
      "proof has " + std::to_string(got) + hashes + ", expected " + std::to_string(want), "proof");
}

// Right-shifts fn and sn together until fn is odd or zero (RFC 9162 steps
// 3.b.ii and 6.b.ii).
void ShiftToOddOrZero(uint64_t& fn, uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

Result<Hash> RangeHash(uint64_t begin, uint64_t end, const NodeSource& nodes) {
  if (begin >= end)
    return InvalidArgument("empty range [" + std::to_string(begin) + ", " +
                               std::to_string(end) + ")",
                           "range");
  const uint64_t n = end - begin;
  if (begin % std::bit_floor(n) == 0) return AlignedRangeHash(begin, end, nodes);
  // An unaligned range has no stored interior nodes: split it as MTH does
  // (depth <= 64); costs O(end - begin) calls in the worst case.
  const uint64_t k = std::bit_floor(n - 1);
  PB_ASSIGN_OR_RETURN(Hash left, RangeHash(begin, begin + k, nodes));
  PB_ASSIGN_OR_RETURN(Hash right, RangeHash(begin + k, end, nodes));
  return ThreadHasher().Node(left, right);
}

Result<Hash> RootHash(uint64_t size, const NodeSource& nodes) {
  if (size == 0) return Hasher::EmptyRoot();
  return AlignedRangeHash(0, size, nodes);
}

Result<std::vector<Hash>> BuildInclusionProof(uint64_t index, uint64_t size,
                                              const NodeSource& nodes) {
  if (index >= size)
    return InvalidArgument(
        "leaf index " + std::to_string(index) + " is not below tree size " + std::to_string(size),
        "index");
  std::vector<Hash> proof;
  proof.reserve(PathLength(0, index, size));
  PB_RETURN_IF_ERROR(AppendPath(0, index, size, nodes, proof));
  return proof;
}

Result<std::vector<Hash>> BuildConsistencyProof(uint64_t old_size, uint64_t new_size,
                                                const NodeSource& nodes) {
  if (old_size == 0)
    return InvalidArgument("old tree size is 0; a consistency proof needs 0 < old size",
                           "old_size");
  if (old_size > new_size)
    return InvalidArgument("old tree size " + std::to_string(old_size) +
                               " is larger than new tree size " + std::to_string(new_size),
                           "old_size");
  std::vector<Hash> proof;
  if (old_size == new_size) return proof;
  // The proof is the inclusion path of the last complete subtree of the old
  // tree, preceded by that subtree unless it is the whole old tree (whose
  // root the verifier already has).
  const auto level = static_cast<uint32_t>(Ctz(old_size));
  const uint64_t index = (old_size - 1) >> level;
  const bool whole = index == 0;
  proof.reserve((whole ? 0 : 1) + PathLength(level, index, new_size));
  if (!whole) {
    PB_ASSIGN_OR_RETURN(Hash node, nodes(level, index));
    proof.push_back(node);
  }
  PB_RETURN_IF_ERROR(AppendPath(level, index, new_size, nodes, proof));
  return proof;
}

Result<Hash> RootFromInclusionProof(uint64_t index, uint64_t size, const Hash& leaf_hash,
                                    const std::vector<Hash>& proof) {
  if (index >= size)
    return VerificationFailed(
        "leaf index " + std::to_string(index) + " is not below tree size " + std::to_string(size),
        "index");
  const size_t want = PathLength(0, index, size);
  if (proof.size() != want) return LengthError(proof.size(), want);
  // RFC 9162 §2.1.3.2, step 3.
  Hasher& hasher = ThreadHasher();
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if ((fn & 1) == 1 || fn == sn) {
      r = hasher.Node(p, r);
      ShiftToOddOrZero(fn, sn);
    } else {
      r = hasher.Node(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  // The length check above makes this hold; kept as the RFC's final check.
  if (sn != 0) return VerificationFailed("proof does not reach the root", "proof");
  return r;
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       const std::vector<Hash>& proof, const Hash& root) {
  PB_ASSIGN_OR_RETURN(Hash computed, RootFromInclusionProof(index, size, leaf_hash, proof));
  if (computed != root) return VerificationFailed("root mismatch", "root");
  return Status::Ok();
}

Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                         const Hash& new_root, const std::vector<Hash>& proof) {
  if (old_size == 0)
    return VerificationFailed("old tree size is 0; consistency from an empty tree is not checked",
                              "old_size");
  if (old_size > new_size)
    return VerificationFailed("old tree size " + std::to_string(old_size) +
                                  " is larger than new tree size " + std::to_string(new_size),
                              "old_size");
  if (old_size == new_size) {
    if (!proof.empty()) return LengthError(proof.size(), 0);
    if (old_root != new_root) return VerificationFailed("root mismatch", "new_root");
    return Status::Ok();
  }
  const int level = Ctz(old_size);
  const uint64_t index = (old_size - 1) >> level;
  // RFC 9162 §2.1.4.2 step 2: for a power-of-2 old size the first path
  // element is the old root itself, which the proof leaves out.
  const bool whole = index == 0;
  const size_t want =
      (whole ? 0 : 1) + PathLength(static_cast<uint32_t>(level), index, new_size);
  if (proof.size() != want) return LengthError(proof.size(), want);

  Hasher& hasher = ThreadHasher();
  uint64_t fn = index;  // steps 3 and 4: (old_size - 1) shifted past its low 1 bits
  uint64_t sn = (new_size - 1) >> level;
  size_t next = whole ? 0 : 1;
  Hash fr = whole ? old_root : proof[0];
  Hash sr = fr;
  for (; next < proof.size(); ++next) {
    const Hash& c = proof[next];
    if (sn == 0) return VerificationFailed("proof is too long", "proof");
    if ((fn & 1) == 1 || fn == sn) {
      fr = hasher.Node(c, fr);
      sr = hasher.Node(c, sr);
      ShiftToOddOrZero(fn, sn);
    } else {
      sr = hasher.Node(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return VerificationFailed("proof does not reach the new root", "proof");
  if (fr != old_root) return VerificationFailed("old root mismatch", "old_root");
  if (sr != new_root) return VerificationFailed("new root mismatch", "new_root");
  return Status::Ok();
}

}  // namespace pathbridge::ledger
