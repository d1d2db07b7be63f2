// Readiness for GET /readyz: whether this gateway should get traffic now.
// Ready means: the ledger takes appends (not closing, queue not full, last
// commit succeeded), its signed checkpoint keeps up with its entries (a
// checkpoint exists, and one lagging behind the log has not stayed stuck
// for longer than max_checkpoint_lag), the data directory is writable, and
// the server is not draining for shutdown (SIGTERM: from then on readyz
// answers 503 so a load balancer stops sending new requests, while
// in-flight ones finish). Liveness (GET /healthz) is separate and only says
// the process answers.
//
// Thread-safety: every method may be called from any thread. The Log must
// outlive the Readiness.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ledger/log.h"

namespace pathbridge::gateway {

class Readiness {
 public:
  struct Check {
    std::string name;     // "ledger", "checkpoint", "data_dir", "shutdown"
    std::string problem;  // empty: passed; else why not, safe to show anyone
  };

  Readiness(const ledger::Log& log, std::filesystem::path data_dir,
            std::chrono::steady_clock::duration max_checkpoint_lag = std::chrono::seconds(10));

  // From now on not ready: the server is shutting down.
  void SetDraining();
  bool draining() const;

  // Runs every check (cheap: no I/O beyond one access(2)).
  std::vector<Check> Evaluate();

 private:
  std::string CheckpointProblem();

  const ledger::Log& log_;
  const std::filesystem::path data_dir_;
  const std::chrono::steady_clock::duration max_lag_;
  std::atomic<bool> draining_{false};

  std::mutex mu_;  // guards the checkpoint progress seen by earlier checks
  uint64_t seen_checkpoint_size_ = 0;
  std::optional<std::chrono::steady_clock::time_point> behind_since_;
};

}  // namespace pathbridge::gateway
