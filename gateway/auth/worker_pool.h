// A few threads for blocking work, so that it never runs on the server's io
// threads: checking a client secret (Argon2id, tenths of a second and 64 MiB
// each) would otherwise stall every connection sharing the thread. The
// threads bound the memory Argon2 can take at once; the queue is bounded
// too, and Submit refuses when it is full (the caller answers 503).
//
// Thread-safety: Submit from any thread. The destructor runs what is
// queued, then joins; tasks must not outlive what they capture.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pathbridge::gateway::auth {

class WorkerPool {
 public:
  WorkerPool(int threads, size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False (and `task` is dropped) when max_queued tasks are waiting.
  bool Submit(std::function<void()> task);

 private:
  void Work();

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace pathbridge::gateway::auth
