// The Merkle log (Tessera's shape, on one machine): appends are sequenced
// durably with group commit, integrated into the tree, and published as
// signed C2SP checkpoints; reads are C2SP tiles and RFC 9162 proofs.
//
//   AppendAsync --> queue --> sequencer thread: dedup, assign indices,
//   integrate into tiles, one storage transaction (fsync) per batch,
//   publish a snapshot, hand the answers to the completion thread, which
//   calls the callers back while the sequencer goes on to the next batch; a
//   checkpoint is signed into the batch when checkpoint_interval has passed
//   since the last one, or on its own when that deadline comes with no
//   further appends.
//
// An append is acknowledged only when its index is durable. Appending the
// same bytes again, or an entry with an identity key already used, returns
// the existing index (duplicate = true), across restarts.
//
// Thread-safety: every public method may be called from any thread.
// Callbacks run on the completion thread, batch by batch in commit order
// (or at once on the caller's thread for an append rejected up front), and
// must not block: a blocked callback delays every later answer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger/checkpoint.h"
#include "ledger/dedup_index.h"
#include "ledger/note.h"
#include "ledger/proof.h"
#include "ledger/storage.h"
#include "ledger/tile_cache.h"
#include "ledger/tiles.h"

namespace pathbridge::ledger {

struct LogOptions {
  // Upper bound on the time from an entry becoming durable to a published
  // checkpoint that includes it.
  std::chrono::milliseconds checkpoint_interval{50};
  size_t max_batch = 16384;          // entries per transaction
  size_t max_queue = 1 << 20;        // pending appends before Append fails fast
  size_t tile_cache_tiles = 4096;    // full tiles kept in memory (16 KiB each)
  bool dedup = true;                 // deduplicate by leaf hash
  size_t max_identity_size = 256;
  // Called on the completion thread after each queued append is answered,
  // with its time from AppendAsync to the answer (metrics); must not block.
  std::function<void(std::chrono::steady_clock::duration)> on_answered;
};

struct AppendResult {
  uint64_t index = 0;
  Hash leaf_hash{};
  bool duplicate = false;
};

struct PublishedCheckpoint {
  uint64_t size = 0;
  Hash root{};
  std::string note;  // the signed note, as served
};

class Log {
 public:
  using AppendCallback = std::function<void(Result<AppendResult>)>;

  // Opens the log over `storage`, recovering its state. The signer's name is
  // the log's origin; a log created under another origin is refused.
  static Result<std::unique_ptr<Log>> Open(std::unique_ptr<Storage> storage, NoteSigner signer,
                                           LogOptions options = {});
  ~Log();
  Log(const Log&) = delete;
  Log& operator=(const Log&) = delete;

  void AppendAsync(Bytes entry, std::string identity, AppendCallback done);
  // Blocks until the entry is durable (or rejected).
  Result<AppendResult> Append(ByteSpan entry, std::string_view identity = {});

  std::shared_ptr<const PublishedCheckpoint> LatestCheckpoint() const;
  // Blocks until a checkpoint covering `size` is published, or timeout.
  Result<std::shared_ptr<const PublishedCheckpoint>> AwaitCheckpoint(
      uint64_t size, std::chrono::milliseconds timeout) const;
  uint64_t Size() const;  // durable, integrated entries
  // Whether an append would be taken now: the log is not closing, its queue
  // is not full, and the last storage commit succeeded (readiness checks).
  bool Appendable() const;

  // The bytes of a C2SP tile or entry bundle; NotFound beyond the tree.
  Result<Bytes> ReadTile(const TilePath& path) const;
  Result<Bytes> ReadEntry(uint64_t index) const;
  Result<Hash> LeafHash(uint64_t index) const;
  Result<Hash> RootAt(uint64_t size) const;
  Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size) const;
  Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size) const;

  const std::string& origin() const { return signer_.name(); }
  NoteVerifier verifier() const { return signer_.verifier(); }

  // Stops taking appends, commits what is queued, publishes a final
  // checkpoint. Idempotent; the destructor calls it.
  Status Close();

 private:
  struct Snapshot;
  struct Pending;
  struct Work;
  struct Answers;

  Log(std::unique_ptr<Storage> storage, NoteSigner signer, LogOptions options);
  Status Recover();
  Status RebuildDedup(const Snapshot& snap);
  void Run();
  void RunCompletions();
  void ProcessBatch(std::vector<Pending>& batch);
  void CommitBatch(std::vector<Pending>& batch, const Snapshot& before, Work& work,
                   std::vector<Result<AppendResult>>& results);
  Status PublishCheckpointNow();
  Result<std::optional<uint64_t>> FindDuplicate(const Pending& p, Work& work);
  Result<std::shared_ptr<const FatTile>> GetTile(
      const Snapshot& snap, uint8_t level, uint64_t index,
      std::shared_ptr<FatTile>* scratch = nullptr) const;
  NodeSource Nodes(const Snapshot& snap) const;
  std::shared_ptr<const Snapshot> snapshot() const;
  void Publish(std::shared_ptr<const Snapshot> snap,
               std::shared_ptr<const PublishedCheckpoint> checkpoint);
  StoredCheckpoint SignCheckpoint(uint64_t size, const Hash& root) const;

  std::unique_ptr<Storage> storage_;
  NoteSigner signer_;
  LogOptions options_;
  mutable TileCache cache_;
  DedupIndex dedup_;  // sequencer thread only (and Open)

  mutable std::mutex state_mu_;
  mutable std::condition_variable checkpoint_cv_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::shared_ptr<const PublishedCheckpoint> checkpoint_;

  mutable std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<Pending> queue_;
  bool closing_ = false;
  bool checkpoint_dirty_ = false;  // sequencer thread only
  std::atomic<bool> commit_failed_{false};
  std::chrono::steady_clock::time_point last_checkpoint_;
  std::thread sequencer_;

  // Answers waiting for the completion thread. Waking a blocked caller
  // costs a futex wake and a context switch per append; doing that here
  // rather than on the sequencer lets the next batch's commit overlap it.
  std::mutex answers_mu_;
  std::condition_variable answers_cv_;
  std::vector<Answers> answers_;
  bool answers_closing_ = false;
  std::thread completer_;
  Status close_status_;
  std::once_flag close_once_;
};

}  // namespace pathbridge::ledger
