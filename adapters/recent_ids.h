// RecentIds: remembers the last ids seen, a few hundred, to drop repeats
// before they reach an ExternalSorter (external_sort.h). A student is named
// by each of its enrollments and results, which exports list together (by
// student or by class), so most repeats are recent. Forgetting an id only
// costs a duplicate entry, never a wrong answer: use it only where the
// sorter's reader ignores repeats.
//
// Thread-safety: one thread at a time.
#pragma once

#include <array>
#include <functional>
#include <string>
#include <string_view>

namespace pathbridge::adapters {

class RecentIds {
 public:
  // True if `id` was seen recently; otherwise remembers it and returns false.
  bool Seen(std::string_view id) {
    std::string& slot = slots_[std::hash<std::string_view>{}(id) % slots_.size()];
    if (slot == id) return true;
    slot.assign(id);
    return false;
  }

 private:
  std::array<std::string, 512> slots_;  // direct-mapped by hash
};

}  // namespace pathbridge::adapters
