// IdMap: a map from record ids to small values, for encoders that must
// remember something about every person of a translation until its end (the
// offset of a spooled demographics line, a student's school). The ids and
// the map's nodes live in one monotonic arena: no heap block per entry, and
// no fragmentation between these long-lived entries and the per-record
// churn around them. About 80 bytes an entry with an 11-character id,
// against ~290 for an unordered_map<std::string, ...> measured by heaptrack
// on the same translation (docs/performance.md, Translation).
//
// Thread-safety: none; used by one encoder on one thread.
#pragma once

#include <cstring>
#include <memory_resource>
#include <string_view>
#include <unordered_map>

namespace pathbridge::adapters {

template <typename V>
class IdMap {
 public:
  IdMap() : map_(&arena_) {}
  IdMap(const IdMap&) = delete;
  IdMap& operator=(const IdMap&) = delete;

  // The value of `id`, value-initialized when `id` is new.
  V& operator[](std::string_view id) {
    auto it = map_.find(id);
    if (it != map_.end()) return it->second;
    char* copy = static_cast<char*>(arena_.allocate(id.size() == 0 ? 1 : id.size(), 1));
    std::memcpy(copy, id.data(), id.size());
    return map_.emplace(std::string_view(copy, id.size()), V{}).first->second;
  }
  // nullptr when `id` was never added.
  V* Find(std::string_view id) {
    auto it = map_.find(id);
    return it == map_.end() ? nullptr : &it->second;
  }
  const V* Find(std::string_view id) const { return const_cast<IdMap*>(this)->Find(id); }
  size_t size() const { return map_.size(); }

  // Each (id, value), in no particular order. The ids stay valid for the
  // map's lifetime.
  auto begin() { return map_.begin(); }
  auto end() { return map_.end(); }

 private:
  std::pmr::monotonic_buffer_resource arena_{64 << 10};
  std::pmr::unordered_map<std::string_view, V> map_;  // keys point into arena_
};

}  // namespace pathbridge::adapters
