// The storage for what lives for one ToRdf call only (the expanded form, as
// boost::json values, and the node map, in std::pmr containers): bump
// allocation from 32 KiB blocks, all freed together when the arena goes.
// Blocks are recycled through a small per-thread pool (up to 1 MiB), so a
// steady stream of calls neither allocates them anew nor grows and trims the
// heap; requests over 4 KiB get their own allocation. Memory freed during
// the call is not reused: the input and the work budget bound the total.
//
// Thread-safety: an Arena is used and destroyed on the thread that made it.
#pragma once

#include <cstddef>
#include <memory>
#include <memory_resource>
#include <type_traits>
#include <vector>

#include <boost/json/memory_resource.hpp>
#include <boost/json/storage_ptr.hpp>

namespace pathbridge::jsonld::internal {

class Arena final : public boost::json::memory_resource, public std::pmr::memory_resource {
 public:
  Arena() = default;
  ~Arena() override;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Non-owning: values built in it must go before the arena does.
  boost::json::storage_ptr storage();

 private:
  using Block = std::unique_ptr<std::byte[]>;

  // For both bases: their allocation hooks have the same signature.
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void*, std::size_t, std::size_t) override {}  // all at once, in ~Arena
  bool do_is_equal(const boost::json::memory_resource& other) const noexcept override {
    return this == &other;
  }
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }

  std::vector<Block> blocks_;  // pooled size; the last one is being filled
  std::vector<Block> large_;   // requests too big to share a block
  std::byte* next_ = nullptr;
  std::size_t left_ = 0;
};

}  // namespace pathbridge::jsonld::internal

// Lets boost::json skip walking values to free them.
template <>
struct boost::json::is_deallocate_trivial<pathbridge::jsonld::internal::Arena> : std::true_type {};

namespace pathbridge::jsonld::internal {
inline boost::json::storage_ptr Arena::storage() { return boost::json::storage_ptr(this); }
}  // namespace pathbridge::jsonld::internal
