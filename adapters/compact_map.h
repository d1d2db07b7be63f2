// CompactMap: an exact hash map from short strings (record ids, natural
// keys) to small values, for indexes kept in memory that grow with a
// catalog (the Ed-Fi encoder's natural keys of schools, sessions, courses
// and course offerings; the class and org ids ReferenceCheck holds before
// its budget is spent). A std::unordered_map<std::string, V> costs about
// 100 bytes an entry before its value (node, bucket, string header, a heap
// block once the key passes 15 bytes); here an entry is its key's bytes in
// an arena, 16 bytes of entry (and V, padded) and 16 of slots (two per
// entry, each with its key's hash, so that a probe past another key reads
// no entry). Entries are never erased, so their keys and values keep
// their addresses (values: until the next Insert).
//
// Thread-safety: one thread at a time.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace pathbridge::adapters {

// Starts loading the cache line at `p`. (The empty asm is a side effect:
// without one, GCC 12 finds a function that only prefetches free of
// effects and drops the calls to it, prefetch and all.)
inline void LoadIntoCache(const void* p) {
  __builtin_prefetch(p);
  asm volatile("");
}

// Stores strings in 64 KiB blocks; a stored string keeps its address.
class StringArena {
 public:
  std::string_view Store(std::string_view s) {
    if (s.empty()) return {};
    char* at;
    if (s.size() > kBlock) {
      at = large_.emplace_back(std::make_unique<char[]>(s.size())).get();
    } else {
      if (blocks_.empty() || s.size() > kBlock - used_) {
        blocks_.push_back(std::make_unique<char[]>(kBlock));
        used_ = 0;
      }
      at = blocks_.back().get() + used_;
      used_ += s.size();
    }
    std::memcpy(at, s.data(), s.size());
    return {at, s.size()};
  }

 private:
  static constexpr size_t kBlock = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_, large_;
  size_t used_ = 0;
};

template <typename V>
class CompactMap {
 public:
  size_t size() const { return entries_.size(); }

  const V* Find(std::string_view key) const { return Find(key, Hash(key)); }
  // With `hash` = Hash(key), computed before (for the hints below).
  const V* Find(std::string_view key, uint32_t hash) const {
    uint32_t i = Lookup(key, hash);
    return i == kEmpty ? nullptr : &entries_[i].value;
  }
  V* Find(std::string_view key) {
    return const_cast<V*>(std::as_const(*this).Find(key));
  }

  // The entry for `key`, added with `value` if absent; true if added.
  std::pair<V*, bool> Insert(std::string_view key, V value) {
    uint32_t hash = Hash(key);
    if (uint32_t i = Lookup(key, hash); i != kEmpty) return {&entries_[i].value, false};
    if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
    entries_.push_back({arena_.Store(key), std::move(value)});
    Place({static_cast<uint32_t>(entries_.size() - 1), hash});
    return {&entries_.back().value, true};
  }

  // The i-th key added (0 <= i < size()).
  std::string_view KeyAt(size_t i) const { return entries_[i].key; }

  static uint32_t Hash(std::string_view key) {
    uint64_t h = std::hash<std::string_view>{}(key);
    return static_cast<uint32_t>(h ^ (h >> 32));
  }

  // Hints for lookups to come in a map larger than the cache: each of a
  // lookup's three reads (slot, entry, key bytes) depends on the one
  // before, so a lookup waits on up to three cache misses in turn. Given a
  // few lookups ahead, stage by stage (the slot of a key several lookups
  // ahead, the entry of one nearer, whose slot has been loaded by then,
  // the key bytes of the next), those misses overlap the caller's work
  // instead. They only load; a lookup gives the same answer without them.
  void PrefetchSlot(uint32_t hash) const {
    if (!slots_.empty()) LoadIntoCache(&slots_[hash & (slots_.size() - 1)]);
  }
  void PrefetchEntry(uint32_t hash) const {
    if (uint32_t i = Candidate(hash); i != kEmpty) LoadIntoCache(&entries_[i]);
  }
  void PrefetchKey(uint32_t hash) const {
    if (uint32_t i = Candidate(hash); i != kEmpty) LoadIntoCache(entries_[i].key.data());
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Entry {
    std::string_view key;
    [[no_unique_address]] V value;
  };
  struct Slot {
    uint32_t index = kEmpty;  // into entries_, or kEmpty
    uint32_t hash = 0;        // its key's
  };

  // The entry of the first slot with `hash` a lookup of it probes (kEmpty
  // if none): the one whose key it compares first.
  uint32_t Candidate(uint32_t hash) const {
    if (slots_.empty()) return kEmpty;
    size_t mask = slots_.size() - 1;
    for (size_t s = hash & mask;; s = (s + 1) & mask)
      if (slots_[s].index == kEmpty || slots_[s].hash == hash) return slots_[s].index;
  }

  uint32_t Lookup(std::string_view key, uint32_t hash) const {
    if (slots_.empty()) return kEmpty;
    size_t mask = slots_.size() - 1;
    for (size_t s = hash & mask;; s = (s + 1) & mask) {
      const Slot& slot = slots_[s];
      if (slot.index == kEmpty) return kEmpty;
      if (slot.hash == hash && entries_[slot.index].key == key) return slot.index;
    }
  }

  void Place(Slot slot) {
    size_t mask = slots_.size() - 1;
    size_t s = slot.hash & mask;
    while (slots_[s].index != kEmpty) s = (s + 1) & mask;
    slots_[s] = slot;
  }

  void Grow() {
    std::vector<Slot> old(std::max<size_t>(16, slots_.size() * 2));
    old.swap(slots_);
    for (const Slot& slot : old)
      if (slot.index != kEmpty) Place(slot);
  }

  StringArena arena_;
  std::vector<Entry> entries_;
  std::vector<Slot> slots_;  // at most half full
};

// A set of strings, as a CompactMap with no value.
class CompactSet {
  struct Nothing {};

 public:
  bool Insert(std::string_view key) { return map_.Insert(key, {}).second; }
  bool Contains(std::string_view key) const { return map_.Find(key) != nullptr; }
  size_t size() const { return map_.size(); }
  std::string_view KeyAt(size_t i) const { return map_.KeyAt(i); }  // in insertion order
  // With the key's hash, and CompactMap's hints for lookups to come.
  static uint32_t Hash(std::string_view key) { return CompactMap<Nothing>::Hash(key); }
  bool Contains(std::string_view key, uint32_t hash) const { return map_.Find(key, hash) != nullptr; }
  void PrefetchSlot(uint32_t hash) const { map_.PrefetchSlot(hash); }
  void PrefetchEntry(uint32_t hash) const { map_.PrefetchEntry(hash); }
  void PrefetchKey(uint32_t hash) const { map_.PrefetchKey(hash); }

 private:
  CompactMap<Nothing> map_;
};

}  // namespace pathbridge::adapters
