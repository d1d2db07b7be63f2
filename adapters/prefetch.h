// Work made ahead on a thread of its own, for a producer and a taker that
// run on two cores:
//   - BatchPipe<Batch>: the thread and its queues. A filling function fills
//     batches a few ahead of the taker, who hands each batch back for
//     refilling once done with it (so a batch's storage is reused).
//     ReadAheadDecoder (read_ahead.h) reads a decoder through one.
//   - Prefetcher<Item>: items one at a time over a BatchPipe, for an encoder
//     that reads a sort back while writing what it holds (the Ed-Fi
//     sections). Items are reused: an item's strings keep their capacity.
//
// Order is kept exactly. A Prefetcher's filling function's error (or an
// exception it throws: out of memory) comes from Next() after the items
// made before it.
//
// Thread-safety: Take()/Give() and Next() from one thread at a time. The
// filling function runs only on the pipe's thread, from Start() (a
// Prefetcher's construction) until it says it is done, or until the pipe is
// destroyed (which stops the thread after its current batch and waits).
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

template <typename Batch>
class BatchPipe {
 public:
  // Fills a batch; false if it is the last.
  using FillFn = std::function<bool(Batch&)>;

  BatchPipe(size_t batches, FillFn fill) : fill_(std::move(fill)) {
    for (size_t i = 0; i < batches; ++i) free_.push_back(std::make_unique<Batch>());
  }
  ~BatchPipe() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  BatchPipe(const BatchPipe&) = delete;
  BatchPipe& operator=(const BatchPipe&) = delete;

  void Start() {
    thread_ = std::thread([this] { Run(); });
  }
  // The next filled batch, waiting for it. After the last, never.
  std::unique_ptr<Batch> Take() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return !ready_.empty(); });
    std::unique_ptr<Batch> b = std::move(ready_.front());
    ready_.pop_front();
    return b;
  }
  // A batch taken and done with, for refilling.
  void Give(std::unique_ptr<Batch> b) {
    {
      std::lock_guard lock(mu_);
      free_.push_back(std::move(b));
    }
    changed_.notify_all();
  }

 private:
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
      bool more = fill_(*b);
      {
        std::lock_guard lock(mu_);
        ready_.push_back(std::move(b));
      }
      changed_.notify_all();
      if (!more) return;
    }
  }

  FillFn fill_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Batch>> free_, ready_;  // guarded by mu_
  bool stop_ = false;                                 // guarded by mu_
  std::thread thread_;
};

template <typename Item>
class Prefetcher {
 public:
  static constexpr size_t kBatches = 8;
  static constexpr size_t kBatchItems = 128;
  // Makes the next item in place (the item holds what an earlier call put
  // there); false at the end.
  using FillFn = std::function<pathbridge::Result<bool>(Item&)>;

  explicit Prefetcher(FillFn fill)
      : fill_(std::move(fill)), pipe_(kBatches, [this](Batch& b) { return Fill(b); }) {
    pipe_.Start();
  }

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
        pipe_.Give(std::move(current_));
      }
      if (drained_) return nullptr;
      current_ = pipe_.Take();
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

  bool Fill(Batch& b) {
    b.size = 0;
    b.last = false;
    b.status = Status::Ok();
    try {
      while (b.size < kBatchItems) {
        if (b.items.size() == b.size) b.items.emplace_back();
        pathbridge::Result<bool> got = fill_(b.items[b.size]);
        if (!got.ok() || !*got) {
          b.last = true;
          if (!got.ok()) b.status = got.status();
          return false;
        }
        ++b.size;
      }
    } catch (const std::exception& e) {  // not across the thread
      b.last = true;
      b.status = Internal(std::string("prefetching failed: ") + e.what());
      return false;
    }
    return true;
  }

  FillFn fill_;
  std::unique_ptr<Batch> current_;  // the taker's batch
  size_t next_ = 0;                 // its next item
  bool drained_ = false;            // the last batch has been taken
  BatchPipe<Batch> pipe_;           // last: its thread stops before the rest goes
};

}  // namespace pathbridge::adapters
