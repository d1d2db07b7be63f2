// CompactMap: an exact hash map from short strings (record ids, natural
// keys) to small values, for indexes kept in memory that grow with a
// catalog (the Ed-Fi encoder's natural keys of schools, sessions, courses
// and course offerings; the class and org ids ReferenceCheck holds before
// its budget is spent). A std::unordered_map<std::string, V> costs about
// 100 bytes an entry before its value (node, bucket, string header, a heap
// block once the key passes 15 bytes); here an entry is its key's bytes in
// an arena, 24 bytes of entry (with V's padding) and 8 of slots, plus V. Entries are never
// erased, so their keys and values keep their addresses (values: until the
// next Insert).
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

  const V* Find(std::string_view key) const {
    uint32_t i = Lookup(key, Hash(key));
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
    entries_.push_back({arena_.Store(key), hash, std::move(value)});
    Place(static_cast<uint32_t>(entries_.size() - 1));
    return {&entries_.back().value, true};
  }

  // The i-th key added (0 <= i < size()).
  std::string_view KeyAt(size_t i) const { return entries_[i].key; }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Entry {
    std::string_view key;
    uint32_t hash;
    V value;
  };

  static uint32_t Hash(std::string_view key) {
    uint64_t h = std::hash<std::string_view>{}(key);
    return static_cast<uint32_t>(h ^ (h >> 32));
  }

  uint32_t Lookup(std::string_view key, uint32_t hash) const {
    if (slots_.empty()) return kEmpty;
    size_t mask = slots_.size() - 1;
    for (size_t s = hash & mask;; s = (s + 1) & mask) {
      uint32_t i = slots_[s];
      if (i == kEmpty) return kEmpty;
      if (entries_[i].hash == hash && entries_[i].key == key) return i;
    }
  }

  void Place(uint32_t i) {
    size_t mask = slots_.size() - 1;
    size_t s = entries_[i].hash & mask;
    while (slots_[s] != kEmpty) s = (s + 1) & mask;
    slots_[s] = i;
  }

  void Grow() {
    slots_.assign(std::max<size_t>(16, slots_.size() * 2), kEmpty);
    for (uint32_t i = 0; i < entries_.size(); ++i) Place(i);
  }

  StringArena arena_;
  std::vector<Entry> entries_;
  std::vector<uint32_t> slots_;  // entry index or kEmpty; at most half full
};

// A set of strings, as a CompactMap with no value.
class CompactSet {
 public:
  bool Insert(std::string_view key) { return map_.Insert(key, {}).second; }
  bool Contains(std::string_view key) const { return map_.Find(key) != nullptr; }
  size_t size() const { return map_.size(); }
  std::string_view KeyAt(size_t i) const { return map_.KeyAt(i); }  // in insertion order

 private:
  struct Nothing {};
  CompactMap<Nothing> map_;
};

}  // namespace pathbridge::adapters
