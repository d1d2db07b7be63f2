// OutputFile: a file an encoder writes once, front to back, and never reads
// back (an Ed-Fi resource array or a SIF collection of a few gigabytes).
// Writes are gathered in a buffer and written in whole blocks straight to
// the device (O_DIRECT) where the file system takes them; the last partial
// block, and any file on a file system that refuses O_DIRECT (tmpfs), goes
// through the page cache as usual.
//
// Why: through the page cache, each page of a new file is a page the kernel
// must find and fill, and gigabytes of output push the input out of the
// cache. On the 2-core VM the figures in docs/performance.md come from,
// 2 GB written with dd in 1 MiB blocks took 5.1 s of system time through
// the cache (0.5 s when the pages had just been freed) and 0.2 s direct.
//
// The buffer starts at 64 KiB and doubles with each block written, up to
// kMaxBufferBytes, so the many small files of a translation stay small.
//
// Thread-safety: one thread at a time.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "standards/status.h"

namespace pathbridge::adapters {

class OutputFile {
 public:
  static constexpr size_t kMinBufferBytes = 64 << 10;
  static constexpr size_t kMaxBufferBytes = 1 << 20;

  OutputFile() = default;
  ~OutputFile();  // closes the file if Close() was not called (errors lost)
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Creates (or truncates) `path`, mode 0644 less the umask.
  Status Open(const std::filesystem::path& path);
  bool is_open() const { return fd_ >= 0; }
  // Appends `bytes`; the first error (kIoError naming the file) is
  // returned here and by every later call.
  Status Write(std::string_view bytes);
  // Writes what is buffered and closes the file.
  Status Close();
  // Whether blocks go to the device directly (for tests).
  bool direct() const { return direct_; }

 private:
  struct FreeBuffer {
    void operator()(char* p) const;
  };
  using Buffer = std::unique_ptr<char, FreeBuffer>;
  // Writes `n` bytes from `p`; `n` is a whole number of blocks unless this
  // is the last write.
  Status WriteOut(const char* p, size_t n);
  // Hands the full buffer to the writing thread (started on the first
  // call) and takes the one it has written; the writing thread's error, if any.
  Status Hand();
  void WriterLoop();
  Status Join();  // waits for the writing thread to be done and stops it
  Status Fail(std::string message);
  void Buffered();  // stops writing directly

  int fd_ = -1;
  bool direct_ = false;
  std::string display_;
  Buffer buffer_;
  size_t capacity_ = 0, size_ = 0;
  Status status_ = Status::Ok();
  // The writing thread: it writes `spare_` (`pending_` bytes) while the
  // caller fills `buffer_`.
  std::thread writer_;
  std::mutex mu_;
  std::condition_variable cv_;
  Buffer spare_;
  size_t pending_ = 0;
  bool stop_ = false;
  Status writer_status_ = Status::Ok();
};

}  // namespace pathbridge::adapters
