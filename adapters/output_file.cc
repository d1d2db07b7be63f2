#include "adapters/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace pathbridge::adapters {
namespace {

// O_DIRECT wants the buffer, the offset and the length aligned to the
// device's logical block: 4 KiB covers the usual 512 B and 4 KiB.
constexpr size_t kAlign = 4096;

char* Allocate(size_t bytes) {
  void* p = nullptr;
  return posix_memalign(&p, kAlign, bytes) == 0 ? static_cast<char*>(p) : nullptr;
}

}  // namespace

void OutputFile::FreeBuffer::operator()(char* p) const { std::free(p); }

OutputFile::~OutputFile() {
  static_cast<void>(Join());
  if (fd_ >= 0) ::close(fd_);
}

Status OutputFile::Open(const std::filesystem::path& path) {
  display_ = path.string();
  constexpr int kFlags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
  fd_ = ::open(path.c_str(), kFlags | O_DIRECT, 0644);
  direct_ = fd_ >= 0;
  if (fd_ < 0 && errno == EINVAL) fd_ = ::open(path.c_str(), kFlags, 0644);  // tmpfs
  if (fd_ < 0) return Fail(std::string("cannot create: ") + std::strerror(errno));
  capacity_ = kMinBufferBytes;
  buffer_.reset(Allocate(capacity_));
  if (!buffer_) return Fail("out of memory for the write buffer");
  return Status::Ok();
}

Status OutputFile::Write(std::string_view bytes) {
  if (!status_.ok()) return status_;
  if (fd_ < 0) return status_ = Internal("write to a file not open", display_);
  while (!bytes.empty()) {
    size_t n = std::min(bytes.size(), capacity_ - size_);
    std::memcpy(buffer_.get() + size_, bytes.data(), n);
    size_ += n;
    bytes.remove_prefix(n);
    if (size_ < capacity_) break;
    if (capacity_ == kMaxBufferBytes) {
      PB_RETURN_IF_ERROR(Hand());
    } else {  // a file that fills its buffer may be a big one: a bigger buffer
      Status written = WriteOut(buffer_.get(), size_);
      if (!written.ok()) return status_ = written;
      Buffer bigger(Allocate(capacity_ * 2));
      if (!bigger) return Fail("out of memory for the write buffer");
      buffer_ = std::move(bigger);
      capacity_ *= 2;
    }
    size_ = 0;
  }
  return Status::Ok();
}

Status OutputFile::Close() {
  if (fd_ < 0) return status_;
  Status joined = Join();
  if (status_.ok()) status_ = joined;
  if (status_.ok() && size_ > 0) {
    Buffered();  // the last block is partial
    status_ = WriteOut(buffer_.get(), size_);
  }
  size_ = 0;
  buffer_.reset();
  spare_.reset();
  if (::close(fd_) != 0 && status_.ok())
    status_ = IoError(std::string("cannot write: ") + std::strerror(errno), display_);
  fd_ = -1;
  return status_;
}

Status OutputFile::Hand() {
  if (!writer_.joinable()) {
    spare_.reset(Allocate(kMaxBufferBytes));
    if (!spare_) return Fail("out of memory for the write buffer");
    writer_ = std::thread([this] { WriterLoop(); });
  }
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return pending_ == 0; });
  if (!writer_status_.ok()) return status_ = writer_status_;
  std::swap(buffer_, spare_);
  pending_ = capacity_;
  cv_.notify_all();
  return Status::Ok();
}

void OutputFile::WriterLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return pending_ > 0 || stop_; });
    if (pending_ == 0) return;  // stopped, all written
    size_t n = pending_;
    lock.unlock();
    Status written = writer_status_.ok() ? WriteOut(spare_.get(), n) : Status::Ok();
    lock.lock();
    if (!written.ok()) writer_status_ = written;
    pending_ = 0;
    cv_.notify_all();
  }
}

Status OutputFile::Join() {
  if (!writer_.joinable()) return Status::Ok();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  writer_.join();
  return writer_status_;
}

Status OutputFile::WriteOut(const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EINVAL && direct_) {  // the device wants another alignment
      Buffered();
      continue;
    }
    if (w <= 0)
      return IoError(std::string("cannot write: ") + std::strerror(w < 0 ? errno : EIO), display_);
    p += w;
    n -= static_cast<size_t>(w);
    if (n > 0) Buffered();  // a short write leaves the offset unaligned
  }
  return Status::Ok();
}

void OutputFile::Buffered() {
  if (!direct_) return;
  int flags = ::fcntl(fd_, F_GETFL);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT);
  direct_ = false;
}

Status OutputFile::Fail(std::string message) {
  if (status_.ok()) status_ = IoError(std::move(message), display_);
  return status_;
}

}  // namespace pathbridge::adapters
