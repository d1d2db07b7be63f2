// A bounded LRU cache of immutable full tiles, shared by proof readers.
// Full tiles never change, so a cached tile never goes stale; the log's
// partial right-edge tiles are not cached here.
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "ledger/storage.h"

namespace pathbridge::ledger {

class TileCache {
 public:
  explicit TileCache(size_t capacity) : capacity_(capacity) {}

  std::shared_ptr<const FatTile> Get(uint8_t level, uint64_t index);
  void Put(std::shared_ptr<const FatTile> tile);

 private:
  using Key = uint64_t;  // level << 56 | index
  using Lru = std::list<std::pair<Key, std::shared_ptr<const FatTile>>>;
  static Key MakeKey(uint8_t level, uint64_t index) {
    return (static_cast<uint64_t>(level) << 56) | index;
  }

  const size_t capacity_;
  std::mutex mu_;
  Lru lru_;  // front = most recently used
  std::unordered_map<Key, Lru::iterator> map_;
};

}  // namespace pathbridge::ledger
