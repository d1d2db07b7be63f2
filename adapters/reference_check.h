// ReferenceCheck: that every reference names a record the input defines (an
// enrollment's class and school in a OneRoster bundle), in memory bounded
// by a budget. Ids are kept in memory (CompactSet, about 40 bytes and the
// id each) until they pass `memory_bytes`; then they and every later id and
// reference go to an ExternalSorter in a temp folder of the system's, and
// Finish() merges them. A reference is checked against the ids defined
// before it: callers define a kind's ids before referring to them.
//
// A reference to an unknown id is an error: at once while in memory; from
// Finish() once spooled, naming the first such reference made.
//
// Thread-safety: one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/compact_map.h"
#include "adapters/external_sort.h"
#include "standards/canonical/model.h"
#include "standards/status.h"

namespace pathbridge::adapters {

class ReferenceCheck {
 public:
  // The error's message for a reference of `kind` to `id`.
  using Describe = std::function<std::string(uint8_t kind, std::string_view id)>;
  ReferenceCheck(size_t memory_bytes, Describe describe);
  ~ReferenceCheck();  // removes its temp folder
  ReferenceCheck(const ReferenceCheck&) = delete;
  ReferenceCheck& operator=(const ReferenceCheck&) = delete;

  Status Define(uint8_t kind, std::string_view id);
  Status Refer(uint8_t kind, std::string_view id, const canonical::SourceLocation& where);
  // A hint that these references are about to be made, in this order
  // (the `id`s' bytes staying where they are until then): while the ids
  // are in memory and outgrow the cache (an enrollment's class, at 100 k
  // classes), each Refer then starts loading what the next few will read,
  // so that their cache misses overlap the caller's work. Changes no
  // answer.
  struct Reference {
    uint8_t kind;
    std::string_view id;
  };
  void Plan(std::span<const Reference> references);
  // After the last Define and Refer.
  Status Finish();

  bool spooled() const { return sorter_ != nullptr; }

 private:
  Status Spool();  // moves the ids in memory to the sorter
  static std::string Key(uint8_t kind, std::string_view id);

  size_t memory_bytes_;
  Describe describe_;
  size_t bytes_ = 0;                // held by sets_, roughly
  std::vector<CompactSet> sets_;    // by kind, until spooled
  std::unique_ptr<ScratchFolder> scratch_;  // the sorter's, once spooled
  std::unique_ptr<ExternalSorter> sorter_;
  uint64_t references_ = 0;         // numbers spooled references in the order made
  // Plan's references (an id by its address and size) with their hashes,
  // and the next.
  struct Planned {
    uint8_t kind;
    std::string_view id;
    uint32_t hash;
  };
  std::vector<Planned> planned_;
  size_t next_planned_ = 0;
  uint32_t HashOf(uint8_t kind, std::string_view id);  // taking the next planned's
  void LoadAhead();  // the hints for the planned references after the next
};

}  // namespace pathbridge::adapters
