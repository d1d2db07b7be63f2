// Prefetcher<Item>: makes items on a thread of its own, a few batches ahead
// of the thread that takes them, so that the two halves of one job (reading
// a sort back and writing what it holds) run on two cores. The items are
// reused: a batch taken is handed back for refilling, so an item's strings
// keep their capacity and a steady state allocates nothing.
//
// Order is kept exactly. The filling function's error (or an exception it
// throws: out of memory) comes from Next() after the items made before it.
//
// Memory: at most kBatches batches of kBatchItems items.
//
// Thread-safety: Next() from one thread at a time. The filling function
// runs only on the prefetching thread, from construction until it returns
// false or an error, or until the Prefetcher is destroyed (which stops the
// thread after its current batch and waits for it).
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "standards/status.h"

namespace pathbridge::adapters {

template <typename Item>
class Prefetcher {
 public:
  static constexpr size_t kBatches = 8;
  static constexpr size_t kBatchItems = 128;
  // Makes the next item in place (the item holds what an earlier call put
  // there); false at the end.
  using FillFn = std::function<pathbridge::Result<bool>(Item&)>;

  explicit Prefetcher(FillFn fill) : fill_(std::move(fill)) {
    for (size_t i = 0; i < kBatches; ++i) free_.push_back(std::make_unique<Batch>());
    thread_ = std::thread([this] { Run(); });
  }
  ~Prefetcher() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // The next item, valid until the next call; nullptr after the last.
  pathbridge::Result<Item*> Next() {
    while (true) {
      if (current_ != nullptr) {
        if (next_ < current_->size) return &current_->items[next_++];
        if (current_->last) {
          Status s = current_->status;
          current_.reset();
          drained_ = true;
          if (!s.ok()) return s;
          return nullptr;
        }
        {
          std::lock_guard lock(mu_);
          free_.push_back(std::move(current_));
        }
        changed_.notify_all();
      }
      if (drained_) return nullptr;
      std::unique_lock lock(mu_);
      changed_.wait(lock, [&] { return !ready_.empty(); });
      current_ = std::move(ready_.front());
      ready_.pop_front();
      next_ = 0;
    }
  }

 private:
  struct Batch {
    std::vector<Item> items;  // [0, size) filled
    size_t size = 0;
    bool last = false;             // nothing comes after this batch
    Status status = Status::Ok();  // on the last batch: the error, if any
  };

  void Run() {
    while (true) {
      std::unique_ptr<Batch> b;
      {
        std::unique_lock lock(mu_);
        changed_.wait(lock, [&] { return stop_ || !free_.empty(); });
        if (stop_) return;
        b = std::move(free_.front());
        free_.pop_front();
      }
      Fill(*b);
      bool last = b->last;
      {
        std::lock_guard lock(mu_);
        ready_.push_back(std::move(b));
      }
      changed_.notify_all();
      if (last) return;
    }
  }

  void Fill(Batch& b) {
    b.size = 0;
    try {
      while (b.size < kBatchItems) {
        if (b.items.size() == b.size) b.items.emplace_back();
        pathbridge::Result<bool> got = fill_(b.items[b.size]);
        if (!got.ok() || !*got) {
          b.last = true;
          if (!got.ok()) b.status = got.status();
          return;
        }
        ++b.size;
      }
    } catch (const std::exception& e) {  // not across the thread
      b.last = true;
      b.status = Internal(std::string("prefetching failed: ") + e.what());
    }
  }

  FillFn fill_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Batch>> free_, ready_;  // guarded by mu_
  bool stop_ = false;                                 // guarded by mu_
  std::unique_ptr<Batch> current_;  // the taker's batch
  size_t next_ = 0;                 // its next item
  bool drained_ = false;            // the last batch has been taken
  std::thread thread_;
};

}  // namespace pathbridge::adapters
