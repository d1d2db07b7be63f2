// In-memory index from leaf hash to entry index, for deduplication. It is
// not persisted: the log rebuilds it at open from the level-0 tiles, which
// already hold every leaf hash durably. A slot keeps 8 bytes of the hash and
// the index (16 bytes); a prefix match is only a candidate, which the log
// confirms against the stored leaf hash, so a collision can never merge two
// different entries.
//
// Thread-safety: none; the log's sequencer thread owns it.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger/hash.h"

namespace pathbridge::ledger {

class DedupIndex {
 public:
  DedupIndex() : slots_(1024) {}

  // Calls `fn(index)` for each stored index whose hash prefix matches, until
  // fn returns true; returns whether it did.
  template <typename Fn>
  bool FindCandidate(const Hash& leaf, Fn&& fn) const {
    uint64_t key = Key(leaf);
    for (size_t i = Start(key);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.index_plus_one == 0) return false;
      if (s.key == key && fn(s.index_plus_one - 1)) return true;
    }
  }

  void Insert(const Hash& leaf, uint64_t index);
  void Clear() {
    slots_.assign(1024, Slot{});
    count_ = 0;
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint64_t index_plus_one = 0;  // 0 marks an empty slot
  };
  static uint64_t Key(const Hash& h);
  size_t Start(uint64_t key) const { return key & (slots_.size() - 1); }
  void Grow();

  std::vector<Slot> slots_;
  size_t count_ = 0;
};

}  // namespace pathbridge::ledger
