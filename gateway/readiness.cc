#include "gateway/readiness.h"

#include <unistd.h>

namespace pathbridge::gateway {

Readiness::Readiness(const ledger::Log& log, std::filesystem::path data_dir,
                     std::chrono::steady_clock::duration max_checkpoint_lag)
    : log_(log), data_dir_(std::move(data_dir)), max_lag_(max_checkpoint_lag) {}

void Readiness::SetDraining() { draining_ = true; }
bool Readiness::draining() const { return draining_; }

// A checkpoint that lags the log is normal for a moment (it is signed
// within the log's checkpoint interval); one that stays at the same size
// while the log is ahead of it, across checks spanning max_lag_, is stuck.
std::string Readiness::CheckpointProblem() {
  auto cp = log_.LatestCheckpoint();
  if (!cp) return "no checkpoint is published yet";
  uint64_t size = log_.Size();
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  if (cp->size >= size) {
    behind_since_.reset();
    return "";
  }
  if (!behind_since_ || cp->size != seen_checkpoint_size_) {
    seen_checkpoint_size_ = cp->size;
    behind_since_ = now;
    return "";
  }
  if (now - *behind_since_ <= max_lag_) return "";
  return "the signed checkpoint has not caught up with the log for " +
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now - *behind_since_).count()) +
         " s";
}

std::vector<Readiness::Check> Readiness::Evaluate() {
  std::vector<Check> checks;
  checks.push_back({"ledger", log_.Appendable() ? "" : "the ledger is not taking appends"});
  checks.push_back({"checkpoint", CheckpointProblem()});
  bool writable = ::access(data_dir_.c_str(), W_OK) == 0;
  checks.push_back({"data_dir", writable ? "" : "the data directory is not writable"});
  checks.push_back({"shutdown", draining() ? "the server is shutting down" : ""});
  return checks;
}

}  // namespace pathbridge::gateway
