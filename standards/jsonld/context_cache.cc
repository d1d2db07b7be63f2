#include "standards/jsonld/context_cache.h"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

namespace pathbridge::jsonld::internal {

ContextCache& ContextCache::Global() {
  static ContextCache* const cache = new ContextCache(4096, 64u << 20);
  return *cache;
}

std::shared_ptr<const CachedContext> ContextCache::Find(std::string_view key) {
  std::shared_lock lock(mu_);
  auto it = map_.find(key);
  if (it == map_.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  // Recency counts inserts, not hits, so a hit writes only when it changes.
  const uint64_t now = tick_.load(std::memory_order_relaxed);
  if (it->second.used.load(std::memory_order_relaxed) != now)
    it->second.used.store(now, std::memory_order_relaxed);
  return it->second.entry;
}

void ContextCache::Insert(std::string key, std::shared_ptr<const CachedContext> entry,
                          size_t bytes) {
  if (bytes > max_bytes_ / 16) return;
  std::vector<std::shared_ptr<const CachedContext>> dropped;  // freed after unlocking
  std::unique_lock lock(mu_);
  auto [it, fresh] = map_.try_emplace(std::move(key));
  if (!fresh) {  // another thread got there first
    bytes_ -= it->second.bytes;
    dropped.push_back(std::move(it->second.entry));
  }
  it->second.entry = std::move(entry);
  it->second.bytes = bytes;
  it->second.used.store(tick_.fetch_add(1, std::memory_order_relaxed) + 1,
                        std::memory_order_relaxed);
  bytes_ += bytes;
  if (map_.size() > max_entries_ || bytes_ > max_bytes_) EvictLocked(dropped);
}

// Drops the least recently used entries until both figures are at three
// quarters of their limits: one O(n log n) pass per n/4 inserts.
void ContextCache::EvictLocked(std::vector<std::shared_ptr<const CachedContext>>& dropped) {
  std::vector<std::pair<uint64_t, decltype(map_)::iterator>> by_age;
  by_age.reserve(map_.size());
  for (auto it = map_.begin(); it != map_.end(); ++it)
    by_age.emplace_back(it->second.used.load(std::memory_order_relaxed), it);
  std::sort(by_age.begin(), by_age.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [used, it] : by_age) {
    if (map_.size() <= max_entries_ / 4 * 3 && bytes_ <= max_bytes_ / 4 * 3) break;
    bytes_ -= it->second.bytes;
    dropped.push_back(std::move(it->second.entry));
    map_.erase(it);
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
}

void ContextCache::Clear() {
  decltype(map_) dropped;  // freed after unlocking
  std::unique_lock lock(mu_);
  dropped.swap(map_);
  bytes_ = 0;
  hits_ = 0;
  misses_ = 0;
  evictions_ = 0;
}

ContextCacheStats ContextCache::Stats() const {
  std::shared_lock lock(mu_);
  ContextCacheStats s;
  s.entries = map_.size();
  s.bytes = bytes_;
  s.hits = hits_.load(std::memory_order_relaxed);
  s.misses = misses_.load(std::memory_order_relaxed);
  s.evictions = evictions_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace pathbridge::jsonld::internal
