#include "ledger/tile_cache.h"

namespace pathbridge::ledger {

std::shared_ptr<const FatTile> TileCache::Get(uint8_t level, uint64_t index) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map_.find(MakeKey(level, index));
  if (it == map_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void TileCache::Put(std::shared_ptr<const FatTile> tile) {
  if (capacity_ == 0 || !tile->full()) return;
  Key key = MakeKey(tile->level, tile->index);
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = map_.find(key); it != map_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.emplace_front(key, std::move(tile));
  map_[key] = lru_.begin();
  if (lru_.size() > capacity_) {
    map_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

}  // namespace pathbridge::ledger
