#include "ledger/dedup_index.h"

#include <cstring>

namespace pathbridge::ledger {

uint64_t DedupIndex::Key(const Hash& h) {
  uint64_t k;
  std::memcpy(&k, h.data(), sizeof k);  // SHA-256 output is already uniform
  return k;
}

void DedupIndex::Insert(const Hash& leaf, uint64_t index) {
  if ((count_ + 1) * 10 > slots_.size() * 7) Grow();  // load factor <= 0.7
  uint64_t key = Key(leaf);
  size_t i = Start(key);
  while (slots_[i].index_plus_one != 0) i = (i + 1) & (slots_.size() - 1);
  slots_[i] = Slot{key, index + 1};
  ++count_;
}

void DedupIndex::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  for (const Slot& s : old) {
    if (s.index_plus_one == 0) continue;
    size_t i = Start(s.key);
    while (slots_[i].index_plus_one != 0) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = s;
  }
}

}  // namespace pathbridge::ledger
