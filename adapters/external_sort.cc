#include "adapters/external_sort.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>


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
// gives (<0, 0, >0), eight bytes at a time instead of through a library
// call for the short ids sorted most. Past the whole words, a key of eight
// bytes or more compares the word ending at its last byte, overlapping
// bytes already found equal: ids differ in their tails.
int KeyTagCompare(std::string_view a, uint8_t a_tag, std::string_view b, uint8_t b_tag) {
  size_t n = std::min(a.size(), b.size());
  auto word_order = [&](size_t at) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + at, 8);
    std::memcpy(&y, b.data() + at, 8);
    if (x == y) return 0;
    if constexpr (std::endian::native == std::endian::little) {
      x = __builtin_bswap64(x);
      y = __builtin_bswap64(y);
    }
    return x < y ? -1 : 1;
  };
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    if (int c = word_order(i)) return c;
  if (i < n && n >= 8) {
    if (int c = word_order(n - 8)) return c;
    i = n;
  }
  for (; i < n; ++i)
    if (a[i] != b[i])
      return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]) ? -1 : 1;
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return int{a_tag} - int{b_tag};
}

// A run is written a chunk of this many bytes at a time.
constexpr size_t kRunChunkBytes = 64 << 10;

// A new run file's name, numbered across the process: sorters may share a
// folder.
std::filesystem::path NewRunPath(const std::filesystem::path& dir) {
  static std::atomic<uint64_t> next_run{0};
  return dir / ("sort-run-" + std::to_string(next_run++));
}

}  // namespace

// The file a sorter's runs are written to, one after another; each run is
// a byte range of it, read back with pread.
class ExternalSorter::RunFile {
 public:
  static pathbridge::Result<std::unique_ptr<RunFile>> Make(const fs::path& dir) {
    fs::path path = NewRunPath(dir);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return IoError("cannot write", path.string());
    return std::unique_ptr<RunFile>(new RunFile(std::move(path), fd));
  }
  ~RunFile() {
    ::close(fd_);
    std::error_code ec;
    fs::remove(path_, ec);
  }
  const fs::path& path() const { return path_; }
  uint64_t size() const { return size_; }

  Status Append(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(size_));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return IoError("cannot write", path_.string());
      size_ += static_cast<uint64_t>(n);
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }
  // Up to n bytes at `at`; fewer only where the file ends.
  pathbridge::Result<size_t> ReadAt(uint64_t at, char* out, size_t n) const {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(fd_, out + got, n - got, static_cast<off_t>(at + got));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return IoError("temp file unreadable", path_.string());
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    return got;
  }
  // The range [begin, end) is read for the last time: its disk space and
  // cached pages go back (where the file system can), for the next runs.
  void Release(uint64_t begin, uint64_t end) const {
    if (end > begin)
      ::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(begin),
                  static_cast<off_t>(end - begin));
  }

 private:
  RunFile(fs::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  fs::path path_;
  int fd_;
  uint64_t size_ = 0;
};

// A sorted run, read back one entry at a time during the merge, from blocks
// of its own: through a stream, an entry's three reads cost more than the
// merge around them. Runs are written one at a time, so a run is the bytes
// its file gained while it was written.
class ExternalSorter::Run {
 public:
  explicit Run(RunFile& file) : file_(file), begin_(file.size()) {}
  ~Run() { file_.Release(begin_, begin_ + written_); }

  // Writing, once: entries in order, a chunk at a time.
  Status Append(std::string_view key, uint8_t tag, std::string_view value) {
    AppendEntry(chunk_, key, tag, value);
    return chunk_.size() >= kRunChunkBytes ? Flush() : Status::Ok();
  }
  Status EndWriting() {
    PB_RETURN_IF_ERROR(Flush());
    std::string().swap(chunk_);
    return Status::Ok();
  }

  Status Open() {
    block_.resize(kMergeBlockBytes);
    return Advance();
  }
  // Reads the next entry into current(); at the end, done() is true.
  Status Advance() {
    PB_ASSIGN_OR_RETURN(bool any, Have(kHeaderBytes));
    if (!any) {
      // Cut short, even between entries: not the size written.
      if (pos_ != end_ || read_ != written_)
        return IoError("temp file unreadable", file_.path().string());
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
    if (!whole) return IoError("temp file unreadable", file_.path().string());
    const char* key = block_.data() + pos_ + kHeaderBytes;
    // clear and append: assign's aliasing checks cost more than a short key
    current_.key.clear();
    current_.key.append(key, key_size);
    current_.value.clear();
    current_.value.append(key + key_size, value_size);
    pos_ += size;
    read_ += size;
    return Status::Ok();
  }
  bool done() const { return done_; }
  Entry& current() { return current_; }

 private:
  // Whether the next n bytes are in block_ at pos_, reading on as needed;
  // false if the run (or, cut short, its file) ends first.
  pathbridge::Result<bool> Have(size_t n) {
    if (end_ - pos_ >= n) return true;
    std::memmove(block_.data(), block_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
    if (block_.size() < n) block_.resize(n);  // an entry larger than a block
    while (end_ < n && !eof_) {
      size_t want = static_cast<size_t>(
          std::min<uint64_t>(block_.size() - end_, written_ - fetched_));
      PB_ASSIGN_OR_RETURN(size_t got,
                          file_.ReadAt(begin_ + fetched_, block_.data() + end_, want));
      end_ += got;
      fetched_ += got;
      eof_ = got < want || fetched_ == written_;
    }
    ReleaseRead();
    return end_ >= n;
  }

  // Gives back the whole pages of the run read so far, a megabyte at a
  // time: the runs' disk space shrinks as they are read, and their pages
  // are free for the merge's output (the encoder's files) to take.
  void ReleaseRead() {
    constexpr uint64_t kPage = 4096, kEvery = 1 << 20;
    uint64_t from = (begin_ + released_ + kPage - 1) / kPage * kPage;
    uint64_t to = (begin_ + fetched_) / kPage * kPage;
    if (to < from + kEvery) return;
    file_.Release(from, to);
    released_ = to - begin_;
  }

  Status Flush() {
    PB_RETURN_IF_ERROR(file_.Append(chunk_));
    written_ += chunk_.size();
    chunk_.clear();
    return Status::Ok();
  }

  RunFile& file_;
  uint64_t begin_;        // where the run starts in file_
  std::string chunk_;     // entries waiting to be written
  uint64_t written_ = 0;  // bytes written
  uint64_t fetched_ = 0;  // bytes read from the file
  uint64_t released_ = 0;  // bytes given back (ReleaseRead)
  uint64_t read_ = 0;     // bytes of entries read back
  std::vector<char> block_;  // [pos_, end_) read and not yet used
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  Entry current_;
  bool done_ = false;
};

ExternalSorter::ExternalSorter(fs::path dir, size_t memory_bytes, bool spill_on_thread,
                               canonical::Source sources)
    : dir_(std::move(dir)),
      memory_bytes_(memory_bytes),
      spill_on_thread_(spill_on_thread),
      sources_(sources),
      buffer_bytes_(spill_on_thread ? memory_bytes / 2 : memory_bytes) {}

ExternalSorter::~ExternalSorter() {
  if (spiller_.joinable()) spiller_.join();
}

Status ExternalSorter::Add(std::string_view key, uint8_t tag, std::string_view value) {
  if (finished_) return Internal("ExternalSorter::Add after Finish", dir_.string());
  if (key.size() > UINT32_MAX || value.size() > UINT32_MAX)
    return InvalidArgument("sort entry larger than 4 GiB", dir_.string());
  // Its full size at once: grown by doubling, it could take twice the budget.
  std::string& bytes = buffer_.bytes;
  if (bytes.capacity() < buffer_bytes_) bytes.reserve(buffer_bytes_);
  buffer_.refs.push_back({bytes.size(), static_cast<uint32_t>(key.size()),
                          static_cast<uint32_t>(value.size()), tag});
  bytes.append(key);
  bytes.append(value);
  ++added_;
  if (bytes.size() + buffer_.refs.size() * sizeof(Ref) >= buffer_bytes_)
    return Spill(spill_on_thread_);
  return Status::Ok();
}

void ExternalSorter::SortBuffer(Buffer& buffer) {
  const std::string& bytes = buffer.bytes;
  std::stable_sort(buffer.refs.begin(), buffer.refs.end(), [&](const Ref& a, const Ref& b) {
    return KeyTagCompare(a.Key(bytes), a.tag, b.Key(bytes), b.tag) < 0;
  });
}

size_t ExternalSorter::fan_in() const {
  return std::clamp(memory_bytes_ / kMergeBlockBytes, kMinFanIn, kMaxFanIn);
}

Status ExternalSorter::JoinSpill() {
  if (spiller_.joinable()) spiller_.join();
  return spill_status_;
}

Status ExternalSorter::Spill(bool on_thread) {
  PB_RETURN_IF_ERROR(JoinSpill());  // runs are written one at a time, in order
  if (file_ == nullptr) {
    PB_ASSIGN_OR_RETURN(file_, RunFile::Make(dir_));
  }
  Run& run = *runs_.emplace_back(std::make_unique<Run>(*file_));
  ++spilled_;
  if (!on_thread) return WriteRun(buffer_, run);  // emptied, it fills again in the same pages
  std::swap(buffer_, spilling_);  // the other half of the budget fills meanwhile
  spiller_ = std::thread([this, &run] { spill_status_ = WriteRun(spilling_, run); });
  return Status::Ok();
}

Status ExternalSorter::WriteRun(Buffer& buffer, Run& run) {
  SortBuffer(buffer);
  for (const Ref& r : buffer.refs) {
    std::string_view entry(buffer.bytes.data() + r.at, size_t{r.key_size} + r.value_size);
    PB_RETURN_IF_ERROR(run.Append(entry.substr(0, r.key_size), r.tag, entry.substr(r.key_size)));
  }
  PB_RETURN_IF_ERROR(run.EndWriting());
  buffer.bytes.clear();  // keeps its capacity
  buffer.refs.clear();
  return Status::Ok();
}

Status ExternalSorter::Finish() {
  if (finished_) return Status::Ok();
  finished_ = true;
  PB_RETURN_IF_ERROR(JoinSpill());
  if (runs_.empty()) {
    SortBuffer(buffer_);
    return Status::Ok();
  }
  if (!buffer_.refs.empty()) PB_RETURN_IF_ERROR(Spill(false));
  buffer_ = Buffer();
  spilling_ = Buffer();
  // Each run merged holds a read buffer: merging every run at once would
  // take memory that grows with the input.
  // Each step merges just enough runs (consecutive ones, so that equal
  // entries keep the order they were added in) to get closer: the fewest
  // bytes written again.
  const size_t fan_in = this->fan_in();
  for (size_t first = 0; runs_.size() > fan_in; ++first) {
    size_t n = std::min(fan_in, runs_.size() - fan_in + 1);
    if (first + n > runs_.size()) first = 0;  // a pass over the merged runs
    PB_RETURN_IF_ERROR(MergeRuns(first, n));
  }
  return StartMerge(0, runs_.size());
}

Status ExternalSorter::StartMerge(size_t first, size_t n) {
  for (size_t i = first; i < first + n; ++i) PB_RETURN_IF_ERROR(runs_[i]->Open());
  merge_first_ = first;
  merge_n_ = n;
  if (n == 0) return Status::Ok();
  // Played bottom-up: each inner node keeps the loser of its two children's
  // winners and passes the winner up.
  std::vector<size_t> winners(2 * n);
  for (size_t i = 0; i < n; ++i) winners[n + i] = first + i;
  losers_.assign(n, 0);
  for (size_t j = n - 1; j >= 1; --j) {
    size_t a = winners[2 * j], b = winners[2 * j + 1];
    bool a_first = Before(a, b);
    winners[j] = a_first ? a : b;
    losers_[j] = a_first ? b : a;
  }
  winner_ = n == 1 ? first : winners[1];
  return Status::Ok();
}

// Runs hold entries in the order they were added, run after run: merged
// into one run in their place, equal entries still come back in that order.
Status ExternalSorter::MergeRuns(size_t first, size_t n) {
  PB_RETURN_IF_ERROR(StartMerge(first, n));
  auto merged = std::make_unique<Run>(*file_);
  Entry e;
  while (true) {
    PB_ASSIGN_OR_RETURN(bool got, NextFromRuns(&e));
    if (!got) break;
    PB_RETURN_IF_ERROR(merged->Append(e.key, e.tag, e.value));
  }
  PB_RETURN_IF_ERROR(merged->EndWriting());
  auto begin = runs_.begin() + static_cast<ptrdiff_t>(first);
  runs_.erase(begin, begin + static_cast<ptrdiff_t>(n));  // releases their bytes
  runs_.insert(runs_.begin() + static_cast<ptrdiff_t>(first), std::move(merged));
  return Status::Ok();
}

bool ExternalSorter::Before(size_t a, size_t b) const {
  Run& x = *runs_[a];  // (current() is not const)
  Run& y = *runs_[b];
  if (x.done() || y.done()) return !x.done();
  int c = KeyTagCompare(x.current().key, x.current().tag, y.current().key, y.current().tag);
  return c < 0 || (c == 0 && a < b);
}

pathbridge::Result<bool> ExternalSorter::Next(Entry* out) {
  if (!finished_) return Internal("ExternalSorter::Next before Finish", dir_.string());
  if (runs_.empty()) {
    if (next_ref_ == buffer_.refs.size()) return false;
    const Ref& r = buffer_.refs[next_ref_++];
    out->key.assign(buffer_.bytes, r.at, r.key_size);
    out->tag = r.tag;
    out->value.assign(buffer_.bytes, r.at + r.key_size, r.value_size);
    return true;
  }
  PB_ASSIGN_OR_RETURN(bool got, NextFromRuns(out));
  // Read to the end: the file goes now, on the reading thread, not in the
  // destructor, which may run after every other thread is done (freeing
  // hundreds of megabytes of a file can take a large part of a second).
  if (!got && file_ != nullptr) {
    runs_.clear();
    file_.reset();
    merge_n_ = 0;
  }
  return got;
}

pathbridge::Result<bool> ExternalSorter::NextFromRuns(Entry* out) {
  if (merge_n_ == 0) return false;
  Run& run = *runs_[winner_];
  if (run.done()) return false;  // the winner is done only when all are
  std::swap(*out, run.current());  // the run's strings are reused for its next entry
  PB_RETURN_IF_ERROR(run.Advance());
  size_t w = winner_;
  for (size_t j = (merge_n_ + (w - merge_first_)) / 2; j >= 1; j /= 2)
    if (Before(losers_[j], w)) std::swap(losers_[j], w);
  winner_ = w;
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
