// ExternalSorter: sorts more entries than fit in memory, for encoders that
// must join records arriving apart (a student with its demographics, its
// school, the records naming it) without an in-memory index that grows with
// the input. Entries are (key, tag, value) byte strings; they come back
// ordered by key, then tag, then the order they were added in. Entries
// gather in a buffer of about `memory_bytes` (their bytes and 24 bytes of
// bookkeeping each); a full buffer is sorted and written out as a run
// (with `spill_on_thread`, two buffers of half that: one is sorted and
// written on a thread of its own while the other fills, so that the
// caller does not stop for each run: a reading thread feeding it would
// stop too), and Finish() merges the runs, reading each through a 32 KiB
// block, as many at once as the budget holds blocks (fan_in(); more runs
// are first merged into fewer, so memory does not grow with the input).
// Every run is a byte range of one file, so a merge of any width holds one
// descriptor; the pages of a run the merge has read are given back as it
// goes. With nothing spilled, nothing touches the disk. The file is
// removed once Next() has yielded the last entry, or when the sorter is
// destroyed.
//
// Thread-safety: one thread at a time (a spilling thread touches only the
// buffer it spills and its run).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "standards/canonical/record_bytes.h"
#include "standards/status.h"

namespace pathbridge::adapters {

class ExternalSorter {
 public:
  struct Entry {
    std::string key;
    uint8_t tag = 0;
    std::string value;
  };

  // `dir` must exist; the runs' file is made there as "sort-run-N" (N
  // unique in the process, so sorters may share a folder). `sources`:
  // whether AddRecord keeps each record's source location.
  ExternalSorter(std::filesystem::path dir, size_t memory_bytes, bool spill_on_thread = false,
                 canonical::Source sources = canonical::Source::kKept);
  ~ExternalSorter();
  ExternalSorter(const ExternalSorter&) = delete;
  ExternalSorter& operator=(const ExternalSorter&) = delete;

  // Before Finish() only. An error writing a run on its thread comes from
  // the next Add() that spills, or from Finish().
  Status Add(std::string_view key, uint8_t tag, std::string_view value);
  // Adds canonical record `r` as its record bytes
  // (standards/canonical/record_bytes.h), built in a buffer reused.
  template <typename T>
  Status AddRecord(std::string_view key, uint8_t tag, const T& r) {
    record_.clear();
    canonical::AppendRecordBytes(r, &record_, sources_);
    return Add(key, tag, record_);
  }
  // The record an entry's value holds (AddRecord), read into *out, whose
  // strings are reused; an error naming this sorter's folder if it is not
  // one of type T.
  template <typename T>
  Status ReadRecord(std::string_view value, T* out) const {
    if (canonical::RecordFromBytes(value, out).ok()) return Status::Ok();
    return Internal("temp file unreadable", dir_.string());
  }
  // Ends adding; Next() then yields every entry in order.
  Status Finish();
  // The next entry into *out; false after the last.
  pathbridge::Result<bool> Next(Entry* out);
  // Reads the rest as groups of one key: on_entry gets each entry (it may
  // take the entry's value), on_group_end the key after its group's last
  // entry. Stops at the first error either returns.
  Status ForEachGroup(const std::function<Status(Entry&)>& on_entry,
                      const std::function<Status(const std::string& key)>& on_group_end);

  // How many runs are merged at once: the budget's worth of read blocks
  // (the sort buffers are freed by then), within these bounds. Runs are
  // written once up to the budget's square over a block of them: 2 GiB
  // for a translation's 8 MiB, half that spilled on a thread (whose runs
  // are half the budget).
  static constexpr size_t kMergeBlockBytes = 32 << 10;
  static constexpr size_t kMinFanIn = 32, kMaxFanIn = 1024;
  size_t fan_in() const;

  uint64_t size() const { return added_; }
  size_t runs() const { return spilled_; }  // spilled to disk (0: sorted in memory)
  // Read by Next() after Finish() (0 once Next() has yielded the last).
  size_t merged_runs() const { return runs_.size(); }

 private:
  struct Ref {  // an entry in buffer_
    uint64_t at;
    uint32_t key_size, value_size;
    uint8_t tag;
    std::string_view Key(const std::string& buffer) const { return {buffer.data() + at, key_size}; }
  };
  class RunFile;  // the file runs are written to
  class Run;      // a run: written once, then read back during the merge

  struct Buffer {  // entries waiting to be sorted: keys and values, and their Refs
    std::string bytes;
    std::vector<Ref> refs;
  };
  Status Spill(bool on_thread);
  Status JoinSpill();  // waits for the run being written on a thread; its status
  static Status WriteRun(Buffer& buffer, Run& run);  // sorts, writes, empties
  Status StartMerge(size_t first, size_t n);  // the merge over runs_[first, first + n)
  Status MergeRuns(size_t first, size_t n);   // those runs become one, in their place
  pathbridge::Result<bool> NextFromRuns(Entry* out);
  static void SortBuffer(Buffer& buffer);
  // Whether run_a's entry comes before run_b's: by key and tag, then the
  // earlier run (it holds the entries added first); a run that is done
  // comes after every other.
  bool Before(size_t run_a, size_t run_b) const;

  std::filesystem::path dir_;
  size_t memory_bytes_;
  bool spill_on_thread_;
  canonical::Source sources_;
  size_t buffer_bytes_;  // what one buffer may hold
  Buffer buffer_;        // filling
  Buffer spilling_;      // being written on spiller_, or empty
  std::thread spiller_;
  Status spill_status_ = Status::Ok();
  std::string record_;  // AddRecord's
  size_t next_ref_ = 0;  // Next() from memory
  std::unique_ptr<RunFile> file_;  // made at the first spill
  std::vector<std::unique_ptr<Run>> runs_;
  // The merge: a tournament (loser) tree over the n runs merged, in the
  // layout of a binary heap (inner nodes 1..n-1; run i is leaf n + i, its
  // parent node (n + i) / 2). losers_[j] is the run that lost at node j,
  // winner_ the run whose entry comes next. A new entry replays one path
  // to the root: log2(n) comparisons, against the 2 log2(n) of a heap.
  std::vector<size_t> losers_;  // indexes into runs_
  size_t winner_ = 0, merge_first_ = 0, merge_n_ = 0;
  uint64_t added_ = 0;
  size_t spilled_ = 0;
  bool finished_ = false;
};

// A folder made under the system's temp folder (mkdtemp: mode 0700) for a
// sorter used where no output folder is at hand (a decoder), removed with
// everything in it when destroyed.
class ScratchFolder {
 public:
  // "<temp>/<prefix>XXXXXX".
  static pathbridge::Result<std::unique_ptr<ScratchFolder>> Make(std::string_view prefix);
  ~ScratchFolder();
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit ScratchFolder(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace pathbridge::adapters
