#include "standards/jsonld/arena.h"

#include <memory>
#include <new>

namespace pathbridge::jsonld::internal {
namespace {

constexpr std::size_t kBlockSize = 32 * 1024;  // under malloc's mmap threshold
constexpr std::size_t kLargeRequest = 4 * 1024;
constexpr std::size_t kPoolBlocks = 32;

std::vector<std::unique_ptr<std::byte[]>>& Pool() {
  thread_local std::vector<std::unique_ptr<std::byte[]>> pool;
  return pool;
}

}  // namespace

Arena::~Arena() {
  auto& pool = Pool();
  for (Block& b : blocks_) {
    if (pool.size() >= kPoolBlocks) break;
    pool.push_back(std::move(b));
  }
}

void* Arena::do_allocate(std::size_t bytes, std::size_t alignment) {
  if (bytes > kLargeRequest) {
    // operator new[] aligns for any fundamental type, all boost::json asks for.
    large_.push_back(std::make_unique_for_overwrite<std::byte[]>(bytes));
    return large_.back().get();
  }
  void* p = next_;
  if (std::align(alignment, bytes, p, left_) == nullptr) {
    auto& pool = Pool();
    if (pool.empty()) {
      blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(kBlockSize));
    } else {
      blocks_.push_back(std::move(pool.back()));
      pool.pop_back();
    }
    p = blocks_.back().get();
    left_ = kBlockSize;
    std::align(alignment, bytes, p, left_);
  }
  next_ = static_cast<std::byte*>(p) + bytes;
  left_ -= bytes;
  return p;
}

}  // namespace pathbridge::jsonld::internal
