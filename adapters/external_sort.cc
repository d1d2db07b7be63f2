#include "adapters/external_sort.h"

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>

#include "adapters/buffered_stream.h"

namespace pathbridge::adapters {
namespace fs = std::filesystem;

namespace {

constexpr size_t kHeaderBytes = 4 + 1 + 4;  // key size, tag, value size

void PutHeader(char* at, uint32_t key_size, uint8_t tag, uint32_t value_size) {
  std::memcpy(at, &key_size, 4);
  at[4] = static_cast<char>(tag);
  std::memcpy(at + 5, &value_size, 4);
}

// Appends one entry as a run file holds it.
void AppendEntry(std::string& chunk, std::string_view key, uint8_t tag, std::string_view value) {
  size_t at = chunk.size();
  chunk.resize(at + kHeaderBytes);
  PutHeader(chunk.data() + at, static_cast<uint32_t>(key.size()), tag,
            static_cast<uint32_t>(value.size()));
  chunk.append(key);
  chunk.append(value);
}

// (key, tag) order, keys as unsigned bytes: what comparing tuples of them
// gives, eight bytes at a time instead of through a library call for the
// short ids sorted most.
bool KeyTagLess(std::string_view a, uint8_t a_tag, std::string_view b, uint8_t b_tag) {
  size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x == y) continue;
    if constexpr (std::endian::native == std::endian::little) {
      x = __builtin_bswap64(x);
      y = __builtin_bswap64(y);
    }
    return x < y;
  }
  for (; i < n; ++i)
    if (a[i] != b[i]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
  if (a.size() != b.size()) return a.size() < b.size();
  return a_tag < b_tag;
}

// A new run file's name, numbered across the process: sorters may share a
// folder.
std::filesystem::path NewRunPath(const std::filesystem::path& dir) {
  static std::atomic<uint64_t> next_run{0};
  return dir / ("sort-run-" + std::to_string(next_run++));
}

}  // namespace

// A sorted run on disk, read back one entry at a time during the merge,
// from blocks of its own: through the stream, an entry's three reads cost
// more than the merge around them.
class ExternalSorter::Run {
 public:
  explicit Run(fs::path path) : path_(std::move(path)) {}
  ~Run() {
    out_.close();
    in_.close();
    std::error_code ec;
    fs::remove(path_, ec);
  }
  const fs::path& path() const { return path_; }

  // Writing, once: entries in order, a chunk at a time.
  void Append(std::string_view key, uint8_t tag, std::string_view value) {
    AppendEntry(chunk_, key, tag, value);
    if (chunk_.size() >= kStreamBufferBytes) Flush();
  }
  Status EndWriting() {
    Flush();
    out_.close();
    std::string().swap(chunk_);
    if (!out_) return IoError("cannot write", path_.string());
    return Status::Ok();
  }

  Status Open() {
    in_.rdbuf()->pubsetbuf(nullptr, 0);  // Have() reads whole blocks
    in_.open(path_, std::ios::binary);
    if (!in_.is_open()) return IoError("cannot open", path_.string());
    block_.resize(kStreamBufferBytes);
    return Advance();
  }
  // Reads the next entry into current(); at the end, done() is true.
  Status Advance() {
    PB_ASSIGN_OR_RETURN(bool any, Have(kHeaderBytes));
    if (!any) {
      // Cut short, even between entries: not the size written.
      if (pos_ != end_ || read_ != written_)
        return IoError("temp file unreadable", path_.string());
      done_ = true;
      return Status::Ok();
    }
    const char* header = block_.data() + pos_;
    uint32_t key_size, value_size;
    std::memcpy(&key_size, header, 4);
    std::memcpy(&value_size, header + 5, 4);
    current_.tag = static_cast<uint8_t>(header[4]);
    size_t size = kHeaderBytes + size_t{key_size} + value_size;
    PB_ASSIGN_OR_RETURN(bool whole, Have(size));
    if (!whole) return IoError("temp file unreadable", path_.string());
    const char* key = block_.data() + pos_ + kHeaderBytes;
    current_.key.assign(key, key_size);
    current_.value.assign(key + key_size, value_size);
    pos_ += size;
    read_ += size;
    return Status::Ok();
  }
  bool done() const { return done_; }
  Entry& current() { return current_; }

 private:
  // Whether the next n bytes are in block_ at pos_, reading on as needed;
  // false if the file ends first.
  pathbridge::Result<bool> Have(size_t n) {
    if (end_ - pos_ >= n) return true;
    std::memmove(block_.data(), block_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
    if (block_.size() < n) block_.resize(n);  // an entry larger than a block
    while (end_ < n && !eof_) {
      in_.read(block_.data() + end_, static_cast<std::streamsize>(block_.size() - end_));
      end_ += static_cast<size_t>(in_.gcount());
      if (in_.bad()) return IoError("temp file unreadable", path_.string());
      eof_ = in_.eof();
    }
    return end_ >= n;
  }

  void Flush() {
    if (!out_.is_open()) out_.open(path_, std::ios::binary | std::ios::trunc);
    out_.write(chunk_.data(), static_cast<std::streamsize>(chunk_.size()));
    written_ += chunk_.size();
    chunk_.clear();
  }

  fs::path path_;
  std::ofstream out_;
  std::string chunk_;     // entries waiting to be written
  uint64_t written_ = 0;  // bytes written
  uint64_t read_ = 0;     // bytes of entries read back
  std::ifstream in_;
  std::vector<char> block_;  // [pos_, end_) read and not yet used
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  Entry current_;
  bool done_ = false;
};

ExternalSorter::ExternalSorter(fs::path dir, size_t memory_bytes)
    : dir_(std::move(dir)), memory_bytes_(memory_bytes) {}

ExternalSorter::~ExternalSorter() = default;

Status ExternalSorter::Add(std::string_view key, uint8_t tag, std::string_view value) {
  if (finished_) return Internal("ExternalSorter::Add after Finish", dir_.string());
  if (key.size() > UINT32_MAX || value.size() > UINT32_MAX)
    return InvalidArgument("sort entry larger than 4 GiB", dir_.string());
  // Its full size at once: grown by doubling, it could take twice the budget.
  if (buffer_.capacity() < memory_bytes_) buffer_.reserve(memory_bytes_);
  refs_.push_back({buffer_.size(), static_cast<uint32_t>(key.size()),
                   static_cast<uint32_t>(value.size()), tag});
  buffer_.append(key);
  buffer_.append(value);
  ++added_;
  if (buffer_.size() + refs_.size() * sizeof(Ref) >= memory_bytes_) return Spill();
  return Status::Ok();
}

void ExternalSorter::SortBuffer() {
  std::stable_sort(refs_.begin(), refs_.end(), [&](const Ref& a, const Ref& b) {
    return KeyTagLess(a.Key(buffer_), a.tag, b.Key(buffer_), b.tag);
  });
}

Status ExternalSorter::Spill() {
  SortBuffer();
  Run& run = *runs_.emplace_back(std::make_unique<Run>(NewRunPath(dir_)));
  ++spilled_;
  for (const Ref& r : refs_) {
    std::string_view entry(buffer_.data() + r.at, size_t{r.key_size} + r.value_size);
    run.Append(entry.substr(0, r.key_size), r.tag, entry.substr(r.key_size));
  }
  PB_RETURN_IF_ERROR(run.EndWriting());
  buffer_.clear();  // keeps its capacity: the next run fills the same pages
  refs_.clear();
  return Status::Ok();
}

Status ExternalSorter::Finish() {
  if (finished_) return Status::Ok();
  finished_ = true;
  if (runs_.empty()) {
    SortBuffer();
    return Status::Ok();
  }
  if (!refs_.empty()) PB_RETURN_IF_ERROR(Spill());
  std::string().swap(buffer_);
  std::vector<Ref>().swap(refs_);
  // Each run merged holds a read buffer: merging every run at once would
  // take memory that grows with the input.
  // Each step merges just enough runs (consecutive ones, so that equal
  // entries keep the order they were added in) to get closer: the fewest
  // bytes written again.
  for (size_t first = 0; runs_.size() > kMaxFanIn; ++first) {
    size_t n = std::min(kMaxFanIn, runs_.size() - kMaxFanIn + 1);
    if (first + n > runs_.size()) first = 0;  // a pass over the merged runs
    PB_RETURN_IF_ERROR(MergeRuns(first, n));
  }
  return StartMerge(0, runs_.size());
}

Status ExternalSorter::StartMerge(size_t first, size_t n) {
  heap_.clear();
  for (size_t i = first; i < first + n; ++i) {
    PB_RETURN_IF_ERROR(runs_[i]->Open());
    if (!runs_[i]->done()) heap_.push_back(i);
  }
  std::make_heap(heap_.begin(), heap_.end(), [&](size_t a, size_t b) { return After(a, b); });
  return Status::Ok();
}

// Runs hold entries in the order they were added, run after run: merged
// into one run in their place, equal entries still come back in that order.
Status ExternalSorter::MergeRuns(size_t first, size_t n) {
  PB_RETURN_IF_ERROR(StartMerge(first, n));
  auto merged = std::make_unique<Run>(NewRunPath(dir_));  // removes the file on error
  Entry e;
  while (true) {
    PB_ASSIGN_OR_RETURN(bool got, NextFromRuns(&e));
    if (!got) break;
    merged->Append(e.key, e.tag, e.value);
  }
  PB_RETURN_IF_ERROR(merged->EndWriting());
  auto begin = runs_.begin() + static_cast<ptrdiff_t>(first);
  runs_.erase(begin, begin + static_cast<ptrdiff_t>(n));  // removes their files
  runs_.insert(runs_.begin() + static_cast<ptrdiff_t>(first), std::move(merged));
  return Status::Ok();
}

bool ExternalSorter::After(size_t a, size_t b) const {
  const Entry& x = runs_[a]->current();
  const Entry& y = runs_[b]->current();
  // Equal entries come from the earlier run first: it holds those added first.
  if (KeyTagLess(y.key, y.tag, x.key, x.tag)) return true;
  return !KeyTagLess(x.key, x.tag, y.key, y.tag) && a > b;
}

pathbridge::Result<bool> ExternalSorter::Next(Entry* out) {
  if (!finished_) return Internal("ExternalSorter::Next before Finish", dir_.string());
  if (runs_.empty()) {
    if (next_ref_ == refs_.size()) return false;
    const Ref& r = refs_[next_ref_++];
    out->key.assign(buffer_, r.at, r.key_size);
    out->tag = r.tag;
    out->value.assign(buffer_, r.at + r.key_size, r.value_size);
    return true;
  }
  return NextFromRuns(out);
}

pathbridge::Result<bool> ExternalSorter::NextFromRuns(Entry* out) {
  if (heap_.empty()) return false;
  auto after = [&](size_t a, size_t b) { return After(a, b); };
  std::pop_heap(heap_.begin(), heap_.end(), after);
  Run& run = *runs_[heap_.back()];
  std::swap(*out, run.current());  // the run's strings are reused for its next entry
  PB_RETURN_IF_ERROR(run.Advance());
  if (run.done()) heap_.pop_back();
  else std::push_heap(heap_.begin(), heap_.end(), after);
  return true;
}

Status ExternalSorter::ForEachGroup(
    const std::function<Status(Entry&)>& on_entry,
    const std::function<Status(const std::string& key)>& on_group_end) {
  Entry e;
  std::string key;
  bool open = false;
  while (true) {
    PB_ASSIGN_OR_RETURN(bool got, Next(&e));
    if (open && (!got || e.key != key)) {
      PB_RETURN_IF_ERROR(on_group_end(key));
      open = false;
    }
    if (!got) return Status::Ok();
    if (!open) {
      key = e.key;
      open = true;
    }
    PB_RETURN_IF_ERROR(on_entry(e));
  }
}

pathbridge::Result<std::unique_ptr<ScratchFolder>> ScratchFolder::Make(std::string_view prefix) {
  std::string pattern = (fs::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    return IoError("cannot make a temp folder", fs::temp_directory_path().string());
  return std::unique_ptr<ScratchFolder>(new ScratchFolder(pattern));
}

ScratchFolder::~ScratchFolder() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace pathbridge::adapters
