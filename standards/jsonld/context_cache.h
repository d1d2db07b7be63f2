// The process-wide cache of processed JSON-LD contexts (standards/jsonld.h
// says what it keys on; Processor::ProcessContext builds the keys). A bounded
// map from key to an immutable result: past its entry or byte limit, the
// least recently used quarter of the entries is dropped.
//
// Thread-safety: every member may be called concurrently. Find takes a
// shared lock (recency is an atomic stamp, so hits never write-lock);
// Insert and Clear take it exclusively. Results are immutable and shared.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "standards/jsonld.h"
#include "standards/jsonld/processor.h"

namespace pathbridge::jsonld::internal {

// One processed context and what its processing needed, so that a hit is
// charged and checked as the processing would have been.
struct CachedContext {
  ContextPtr result;
  std::shared_ptr<const void> keep;  // keeps JSON the key refers to by address alive
  size_t work = 0;                   // work units the processing spent
  size_t depth = 0;                  // nesting it reached below its own depth
  size_t remote = 0;                 // remote contexts it had open at most
};

class ContextCache {
 public:
  ContextCache(size_t max_entries, size_t max_bytes)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}
  ContextCache(const ContextCache&) = delete;
  ContextCache& operator=(const ContextCache&) = delete;

  // The cache Expand and ToRdf use: 4,096 entries, 64 MiB.
  static ContextCache& Global();

  // nullptr on a miss.
  std::shared_ptr<const CachedContext> Find(std::string_view key);
  // `bytes`: the memory the entry holds, as estimated by the caller. An entry
  // over a sixteenth of the byte limit is not kept.
  void Insert(std::string key, std::shared_ptr<const CachedContext> entry, size_t bytes);
  void Clear();
  ContextCacheStats Stats() const;

 private:
  struct Slot {
    std::shared_ptr<const CachedContext> entry;
    size_t bytes = 0;
    mutable std::atomic<uint64_t> used{0};  // tick of the last hit
  };
  void EvictLocked(std::vector<std::shared_ptr<const CachedContext>>& dropped);

  const size_t max_entries_;
  const size_t max_bytes_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Slot, StringHash, std::equal_to<>> map_;
  size_t bytes_ = 0;
  std::atomic<uint64_t> tick_{0};
  std::atomic<size_t> hits_{0}, misses_{0}, evictions_{0};
};

}  // namespace pathbridge::jsonld::internal
