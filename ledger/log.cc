#include "ledger/log.h"

#include <algorithm>
#include <cstring>
#include <future>
#include <unordered_map>

namespace pathbridge::ledger {
namespace {

using Clock = std::chrono::steady_clock;

struct HashKeyHasher {
  size_t operator()(const Hash& h) const {
    size_t v;
    std::memcpy(&v, h.data(), sizeof v);
    return v;
  }
};

// Number of tile levels that hold at least one hash for a tree of `size`.
uint8_t TileLevels(uint64_t size) {
  uint8_t levels = 0;
  while (levels < 8 && (size >> (8 * levels)) > 0) ++levels;
  return levels;
}

}  // namespace

// What readers see: the durable tree size and its partial right-edge tiles
// and entry bundle. Immutable once published.
struct Log::Snapshot {
  uint64_t size = 0;
  Hash root{};
  std::vector<std::shared_ptr<const FatTile>> edge;   // by level; null if none
  std::shared_ptr<const Bytes> edge_bundle;           // null if size % 256 == 0
  // Tiles completed by the batch being built, not yet in storage (the
  // sequencer's working view only).
  std::vector<std::shared_ptr<const FatTile>> pending_full;
};

struct Log::Pending {
  Bytes entry;
  std::string identity;
  Hash leaf{};
  AppendCallback done;
  Clock::time_point queued;
};

// One batch's callbacks and their results, in queue order.
struct Log::Answers {
  std::vector<AppendCallback> callbacks;
  std::vector<Result<AppendResult>> results;
  std::vector<Clock::time_point> queued;  // only with options_.on_answered
};

// The sequencer's working state for one batch: copy-on-write clones of the
// edge tiles and bundle, so readers keep the published snapshot untouched
// until the batch is durable.
struct Log::Work {
  uint64_t size = 0;
  std::vector<std::shared_ptr<FatTile>> edge;
  std::vector<std::shared_ptr<const FatTile>> completed;
  std::shared_ptr<Bytes> bundle;  // the edge bundle, for readers
  std::vector<Hash> new_leaves;   // leaf hashes of entries [first_new, size)
  uint64_t first_new = 0;
  std::unordered_map<Hash, uint64_t, HashKeyHasher> batch_leaves;
  std::unordered_map<std::string, uint64_t> batch_identities;
  StorageBatch storage;
};

Log::Log(std::unique_ptr<Storage> storage, NoteSigner signer, LogOptions options)
    : storage_(std::move(storage)),
      signer_(std::move(signer)),
      options_(options),
      cache_(options.tile_cache_tiles) {}

Log::~Log() { Close().ok(); }

Result<std::unique_ptr<Log>> Log::Open(std::unique_ptr<Storage> storage, NoteSigner signer,
                                       LogOptions options) {
  std::unique_ptr<Log> log(new Log(std::move(storage), std::move(signer), options));
  PB_RETURN_IF_ERROR(log->Recover());
  log->completer_ = std::thread([l = log.get()] { l->RunCompletions(); });
  log->sequencer_ = std::thread([l = log.get()] { l->Run(); });
  return log;
}

Status Log::Recover() {
  PB_ASSIGN_OR_RETURN(auto origin, storage_->GetMeta("origin"));
  if (!origin) {
    PB_RETURN_IF_ERROR(storage_->PutMeta("origin", signer_.name()));
  } else if (*origin != signer_.name()) {
    return Status(Code::kFailedPrecondition,
                  "this log's origin is \"" + *origin + "\" but its key is named \"" +
                      signer_.name() + "\"",
                  "meta.origin");
  }
  PB_ASSIGN_OR_RETURN(uint64_t size, storage_->TreeSize());
  auto snap = std::make_shared<Snapshot>();
  snap->size = size;
  uint8_t levels = TileLevels(size);
  snap->edge.resize(8);
  for (uint8_t level = 0; level < levels; ++level) {
    uint64_t hashes = size >> (8 * level);
    if (hashes % kTileWidth == 0) continue;
    auto tile = storage_->ReadTile(level, hashes / kTileWidth);
    if (!tile.ok()) return Corruption("edge tile missing: " + tile.status().message(),
                                      tile.status().where());
    if (tile->width != hashes % kTileWidth)
      return Corruption("edge tile has width " + std::to_string(tile->width) + ", tree size " +
                            std::to_string(size) + " needs " +
                            std::to_string(hashes % kTileWidth),
                        "tile " + std::to_string(level) + "/" + std::to_string(tile->index));
    snap->edge[level] = std::make_shared<const FatTile>(std::move(*tile));
  }
  if (size % kTileWidth != 0) {
    PB_ASSIGN_OR_RETURN(Bytes bundle, storage_->ReadBundle(size / kTileWidth));
    PB_ASSIGN_OR_RETURN(auto entries, ParseEntryBundle(bundle));
    if (entries.size() != size % kTileWidth)
      return Corruption("edge entry bundle holds " + std::to_string(entries.size()) +
                            " entries, tree size needs " + std::to_string(size % kTileWidth),
                        "bundle " + std::to_string(size / kTileWidth));
    snap->edge_bundle = std::make_shared<const Bytes>(std::move(bundle));
  }
  PB_ASSIGN_OR_RETURN(snap->root, RootHash(size, Nodes(*snap)));
  if (options_.dedup) PB_RETURN_IF_ERROR(RebuildDedup(*snap));

  PB_ASSIGN_OR_RETURN(auto stored, storage_->LatestCheckpoint());
  std::shared_ptr<const PublishedCheckpoint> published;
  if (stored) {
    auto note = ParseNote(stored->note);
    if (!note.ok()) return Corruption("stored checkpoint: " + note.status().message(), "checkpoints");
    PB_ASSIGN_OR_RETURN(Checkpoint cp, ParseCheckpoint(note->text));
    if (cp.size > size)
      return Corruption("stored checkpoint size " + std::to_string(cp.size) +
                            " is beyond the tree size " + std::to_string(size),
                        "checkpoints");
    PB_ASSIGN_OR_RETURN(Hash root_then, RootHash(cp.size, Nodes(*snap)));
    if (root_then != cp.root)
      return Corruption("stored checkpoint at size " + std::to_string(cp.size) +
                            " does not match the stored tree",
                        "checkpoints");
    published = std::make_shared<PublishedCheckpoint>(
        PublishedCheckpoint{cp.size, cp.root, stored->note});
  }
  if (!published || published->size != size) {
    StorageBatch batch;
    batch.checkpoint = SignCheckpoint(size, snap->root);
    PB_RETURN_IF_ERROR(storage_->Commit(batch));
    published = std::make_shared<PublishedCheckpoint>(
        PublishedCheckpoint{size, snap->root, batch.checkpoint->note});
  }
  last_checkpoint_ = Clock::now();
  Publish(std::move(snap), std::move(published));
  return Status::Ok();
}

Status Log::RebuildDedup(const Snapshot& snap) {
  dedup_.Clear();
  uint64_t full = snap.size / kTileWidth;
  auto scratch = std::make_unique<FatTile>();
  FatTile& tile = *scratch;
  for (uint64_t t = 0; t < full; ++t) {
    PB_RETURN_IF_ERROR(storage_->ReadTileInto(0, t, tile));
    for (uint32_t i = 0; i < kTileWidth; ++i) dedup_.Insert(tile.at(0, i), t * kTileWidth + i);
  }
  if (const auto& edge = snap.edge[0]) {
    for (uint32_t i = 0; i < edge->width; ++i)
      dedup_.Insert(edge->at(0, i), edge->index * kTileWidth + i);
  }
  return Status::Ok();
}

StoredCheckpoint Log::SignCheckpoint(uint64_t size, const Hash& root) const {
  Checkpoint cp{signer_.name(), size, root, {}};
  std::string text = FormatCheckpoint(cp);
  return StoredCheckpoint{size, text + "\n" + signer_.SignatureLine(text)};
}

std::shared_ptr<const Log::Snapshot> Log::snapshot() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return snapshot_;
}

std::shared_ptr<const PublishedCheckpoint> Log::LatestCheckpoint() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return checkpoint_;
}

uint64_t Log::Size() const { return snapshot()->size; }

void Log::Publish(std::shared_ptr<const Snapshot> snap,
                  std::shared_ptr<const PublishedCheckpoint> checkpoint) {
  const bool new_checkpoint = checkpoint != nullptr;
  {
    std::lock_guard<std::mutex> lock(state_mu_);
    if (snap) snapshot_ = std::move(snap);
    if (new_checkpoint) checkpoint_ = std::move(checkpoint);
  }
  if (new_checkpoint) checkpoint_cv_.notify_all();
}

Result<std::shared_ptr<const PublishedCheckpoint>> Log::AwaitCheckpoint(
    uint64_t size, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(state_mu_);
  if (!checkpoint_cv_.wait_for(lock, timeout, [&] { return checkpoint_->size >= size; }))
    return Status(Code::kUnavailable, "no checkpoint covers size " + std::to_string(size) +
                                          " yet");
  return checkpoint_;
}

// ---- Reads -------------------------------------------------------------

Result<std::shared_ptr<const FatTile>> Log::GetTile(const Snapshot& snap, uint8_t level,
                                                    uint64_t index,
                                                    std::shared_ptr<FatTile>* scratch) const {
  if (level < snap.edge.size() && snap.edge[level] && snap.edge[level]->index == index)
    return snap.edge[level];
  for (const auto& t : snap.pending_full)
    if (t->level == level && t->index == index) return t;
  if (auto cached = cache_.Get(level, index)) return cached;
  // Level-0 tiles are the bulk of a large log (one per 256 entries) and a
  // proof needs 8 hashes from one of them: read it into the caller's
  // scratch tile rather than churn the cache. Upper tiles are few and hot.
  bool use_scratch = scratch != nullptr && level == 0;
  if (use_scratch && (!*scratch || scratch->use_count() > 1))
    *scratch = std::make_shared<FatTile>();
  auto tile = use_scratch ? *scratch : std::make_shared<FatTile>();
  PB_RETURN_IF_ERROR(storage_->ReadTileInto(level, index, *tile));
  if (!tile->full())
    return Corruption("tile below the tree's edge is not full",
                      "tile " + std::to_string(level) + "/" + std::to_string(index));
  if (!use_scratch) cache_.Put(tile);
  return std::shared_ptr<const FatTile>(std::move(tile));
}

NodeSource Log::Nodes(const Snapshot& snap) const {
  // Proofs and roots ask for runs of nodes from one tile (up to 8 from the
  // level-0 tile of a proof); keeping the last tile saves a cache lookup,
  // with its mutex, per node. Valid because the source is bound to one
  // immutable snapshot.
  return [this, &snap, tile = std::shared_ptr<const FatTile>(),
          scratch = std::shared_ptr<FatTile>()](uint32_t level,
                                                uint64_t index) mutable -> Result<Hash> {
    NodeLocation at = LocateNode(level, index);
    if (!tile || tile->level != at.tile_level || tile->index != at.tile_index) {
      tile.reset();  // frees the scratch tile for reuse
      PB_ASSIGN_OR_RETURN(tile, GetTile(snap, at.tile_level, at.tile_index, &scratch));
    }
    if (!tile->Holds(at.row, at.slot))
      return Internal("node " + std::to_string(level) + "/" + std::to_string(index) +
                      " is not complete in its tile");
    return tile->at(at.row, at.slot);
  };
}

Result<Bytes> Log::ReadTile(const TilePath& path) const {
  auto snap = snapshot();
  if (path.entries) {
    uint64_t have = path.index < snap->size / kTileWidth ? kTileWidth
                    : path.index == snap->size / kTileWidth ? snap->size % kTileWidth
                                                            : 0;
    if (have < path.width || have == 0)
      return NotFound("entry bundle is beyond the tree", FormatTilePath(path));
    Bytes bundle;
    if (have == kTileWidth) {
      PB_ASSIGN_OR_RETURN(bundle, storage_->ReadBundle(path.index));
    } else {
      bundle = *snap->edge_bundle;
    }
    if (path.width == have) return bundle;
    PB_ASSIGN_OR_RETURN(auto entries, ParseEntryBundle(bundle));
    const auto& last = entries[path.width - 1];
    size_t end = static_cast<size_t>(last.data() + last.size() - bundle.data());
    bundle.resize(end);
    return bundle;
  }
  uint64_t hashes = path.level < 64 ? snap->size >> std::min<uint32_t>(63, 8u * path.level) : 0;
  if (path.level >= 8) hashes = 0;
  uint64_t have = path.index < hashes / kTileWidth ? kTileWidth
                  : path.index == hashes / kTileWidth ? hashes % kTileWidth
                                                      : 0;
  if (have < path.width || have == 0)
    return NotFound("tile is beyond the tree", FormatTilePath(path));
  PB_ASSIGN_OR_RETURN(auto tile, GetTile(*snap, path.level, path.index));
  const auto* begin = tile->nodes[0].data();
  return Bytes(begin, begin + 32 * path.width);
}

Result<Bytes> Log::ReadEntry(uint64_t index) const {
  if (uint64_t size = Size(); index >= size)
    return NotFound("entry index is beyond the tree size " + std::to_string(size),
                    "index " + std::to_string(index));
  return storage_->ReadEntry(index);
}

Result<Hash> Log::LeafHash(uint64_t index) const {
  auto snap = snapshot();
  if (index >= snap->size)
    return NotFound("entry index is beyond the tree size " + std::to_string(snap->size),
                    "index " + std::to_string(index));
  return Nodes(*snap)(0, index);
}

Result<Hash> Log::RootAt(uint64_t size) const {
  auto snap = snapshot();
  if (size > snap->size)
    return NotFound("size " + std::to_string(size) + " is beyond the tree size " +
                    std::to_string(snap->size));
  return RootHash(size, Nodes(*snap));
}

Result<std::vector<Hash>> Log::InclusionProof(uint64_t index, uint64_t size) const {
  auto snap = snapshot();
  if (size > snap->size)
    return NotFound("size " + std::to_string(size) + " is beyond the tree size " +
                        std::to_string(snap->size),
                    "size");
  return BuildInclusionProof(index, size, Nodes(*snap));
}

Result<std::vector<Hash>> Log::ConsistencyProof(uint64_t old_size, uint64_t new_size) const {
  auto snap = snapshot();
  if (new_size > snap->size)
    return NotFound("size " + std::to_string(new_size) + " is beyond the tree size " +
                        std::to_string(snap->size),
                    "size");
  return BuildConsistencyProof(old_size, new_size, Nodes(*snap));
}

// ---- Appends -----------------------------------------------------------

void Log::AppendAsync(Bytes entry, std::string identity, AppendCallback done) {
  if (entry.empty())
    return done(InvalidArgument("an entry must not be empty", "entry"));
  if (entry.size() > kMaxEntrySize)
    return done(Status(Code::kResourceExhausted,
                       "an entry is at most " + std::to_string(kMaxEntrySize) + " bytes, got " +
                           std::to_string(entry.size()),
                       "entry"));
  if (identity.size() > options_.max_identity_size)
    return done(InvalidArgument("an identity key is at most " +
                                    std::to_string(options_.max_identity_size) + " bytes",
                                "identity"));
  Pending p{std::move(entry), std::move(identity), {}, std::move(done), {}};
  if (options_.on_answered) p.queued = Clock::now();
  p.leaf = ThreadHasher().Leaf(p.entry);  // hash on the caller's thread, in parallel
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    if (closing_) {
      auto cb = std::move(p.done);
      return cb(Status(Code::kUnavailable, "the log is shutting down"));
    }
    if (queue_.size() >= options_.max_queue)
      return p.done(Status(Code::kResourceExhausted, "too many appends are waiting; retry"));
    queue_.push_back(std::move(p));
  }
  queue_cv_.notify_one();
}

Result<AppendResult> Log::Append(ByteSpan entry, std::string_view identity) {
  std::promise<Result<AppendResult>> promise;
  auto future = promise.get_future();
  AppendAsync(Bytes(entry.begin(), entry.end()), std::string(identity),
              [&promise](Result<AppendResult> r) { promise.set_value(std::move(r)); });
  return future.get();
}

void Log::Run() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(queue_mu_);
      auto due = last_checkpoint_ + options_.checkpoint_interval;
      auto ready = [&] { return !queue_.empty() || closing_; };
      if (checkpoint_dirty_) {
        queue_cv_.wait_until(lock, due, ready);
      } else {
        queue_cv_.wait(lock, ready);
      }
      if (queue_.size() <= options_.max_batch) {
        batch.swap(queue_);
      } else {
        auto split = queue_.begin() + static_cast<ptrdiff_t>(options_.max_batch);
        std::move(queue_.begin(), split, std::back_inserter(batch));
        queue_.erase(queue_.begin(), split);
      }
      if (batch.empty() && closing_) break;
    }
    if (!batch.empty()) {
      ProcessBatch(batch);
      batch.clear();
    } else if (checkpoint_dirty_ && Clock::now() >= last_checkpoint_ + options_.checkpoint_interval) {
      PublishCheckpointNow().ok();  // on failure, dirty stays set and we retry
    }
  }
  if (checkpoint_dirty_) close_status_ = PublishCheckpointNow();
}

void Log::RunCompletions() {
  std::vector<Answers> ready;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(answers_mu_);
      answers_cv_.wait(lock, [&] { return !answers_.empty() || answers_closing_; });
      if (answers_.empty()) return;  // closing, and everything is answered
      ready.swap(answers_);
    }
    for (Answers& a : ready) {
      for (size_t i = 0; i < a.callbacks.size(); ++i) {
        // Counted before the answer goes out: a client that reads the
        // metrics after its answer finds its append there.
        if (options_.on_answered) options_.on_answered(Clock::now() - a.queued[i]);
        a.callbacks[i](std::move(a.results[i]));
      }
    }
    ready.clear();
  }
}

Status Log::PublishCheckpointNow() {
  auto snap = snapshot();
  StorageBatch batch;
  batch.checkpoint = SignCheckpoint(snap->size, snap->root);
  PB_RETURN_IF_ERROR(storage_->Commit(batch));
  checkpoint_dirty_ = false;
  last_checkpoint_ = Clock::now();
  Publish(nullptr, std::make_shared<PublishedCheckpoint>(
                       PublishedCheckpoint{snap->size, snap->root, batch.checkpoint->note}));
  return Status::Ok();
}

Result<std::optional<uint64_t>> Log::FindDuplicate(const Pending& p, Work& work) {
  if (!p.identity.empty()) {
    if (auto it = work.batch_identities.find(p.identity); it != work.batch_identities.end())
      return std::optional<uint64_t>(it->second);
    PB_ASSIGN_OR_RETURN(auto found, storage_->FindIdentity(AsBytes(p.identity)));
    if (found) return found;
  }
  if (!options_.dedup) return std::optional<uint64_t>();
  if (auto it = work.batch_leaves.find(p.leaf); it != work.batch_leaves.end())
    return std::optional<uint64_t>(it->second);
  std::optional<uint64_t> hit;
  Status error;
  dedup_.FindCandidate(p.leaf, [&](uint64_t index) {
    auto leaf = LeafHash(index);  // confirm: the index holds only 8 bytes
    if (!leaf.ok()) {
      error = leaf.status();
      return true;
    }
    if (*leaf != p.leaf) return false;
    hit = index;
    return true;
  });
  if (!error.ok()) return error;
  return hit;
}

namespace {

// Adds hash `h` as node (level 8*tile_level, position n) and carries
// completed tiles up a level.
void AddToTile(std::vector<std::shared_ptr<FatTile>>& edge,
               std::vector<std::shared_ptr<const FatTile>>& completed, uint8_t level, uint64_t n,
               const Hash& h) {
  Hasher& hasher = ThreadHasher();
  auto& tile = edge[level];
  if (!tile) {
    tile = std::make_shared<FatTile>();
    tile->level = level;
    tile->index = n / kTileWidth;
  }
  uint32_t pos = static_cast<uint32_t>(n % kTileWidth);
  tile->at(0, pos) = h;
  tile->width = pos + 1;
  for (uint32_t row = 1; row < 8 && ((pos + 1) & ((1u << row) - 1)) == 0; ++row) {
    uint32_t j = ((pos + 1) >> row) - 1;
    tile->at(row, j) = hasher.Node(tile->at(row - 1, 2 * j), tile->at(row - 1, 2 * j + 1));
  }
  if (tile->full()) {
    Hash top = hasher.Node(tile->at(7, 0), tile->at(7, 1));
    completed.push_back(tile);
    tile.reset();
    AddToTile(edge, completed, static_cast<uint8_t>(level + 1), n / kTileWidth, top);
  }
}

}  // namespace

void Log::ProcessBatch(std::vector<Pending>& batch) {
  auto snap = snapshot();
  Work work;
  work.size = work.first_new = snap->size;
  work.edge.resize(9);
  for (size_t l = 0; l < snap->edge.size(); ++l)
    if (snap->edge[l]) work.edge[l] = std::make_shared<FatTile>(*snap->edge[l]);
  if (snap->edge_bundle) work.bundle = std::make_shared<Bytes>(*snap->edge_bundle);

  std::vector<Result<AppendResult>> results;
  results.reserve(batch.size());
  for (const Pending& p : batch) {
    auto dup = FindDuplicate(p, work);
    if (!dup.ok()) {
      results.push_back(dup.status());
      continue;
    }
    if (*dup) {
      uint64_t idx = **dup;
      if (idx >= work.first_new) {
        results.push_back(AppendResult{idx, work.new_leaves[idx - work.first_new], true});
      } else if (auto leaf = LeafHash(idx); leaf.ok()) {
        results.push_back(AppendResult{idx, *leaf, true});
      } else {
        results.push_back(leaf.status());
      }
      continue;
    }
    uint64_t idx = work.size++;
    if (!work.bundle) work.bundle = std::make_shared<Bytes>();
    AppendBundleEntry(*work.bundle, p.entry).ok();  // sizes were checked on entry
    if (work.size % kTileWidth == 0) work.bundle.reset();  // full: storage has it
    work.storage.entries.emplace_back(idx, ByteSpan(p.entry));
    AddToTile(work.edge, work.completed, 0, idx, p.leaf);
    work.new_leaves.push_back(p.leaf);
    work.batch_leaves.emplace(p.leaf, idx);
    if (!p.identity.empty()) {
      work.batch_identities.emplace(p.identity, idx);
      work.storage.identities.emplace_back(Bytes(p.identity.begin(), p.identity.end()), idx);
    }
    results.push_back(AppendResult{idx, p.leaf, false});
  }
  CommitBatch(batch, *snap, work, results);
}

void Log::CommitBatch(std::vector<Pending>& batch, const Snapshot& before, Work& work,
                      std::vector<Result<AppendResult>>& results) {
  auto answer = [&] {
    Answers a;
    a.callbacks.reserve(batch.size());
    for (Pending& p : batch) {
      a.callbacks.push_back(std::move(p.done));
      if (options_.on_answered) a.queued.push_back(p.queued);
    }
    a.results = std::move(results);
    {
      std::lock_guard<std::mutex> lock(answers_mu_);
      answers_.push_back(std::move(a));
    }
    answers_cv_.notify_one();
  };
  if (work.size == before.size) return answer();  // nothing new: all were duplicates

  auto next = std::make_shared<Snapshot>();
  next->size = work.size;
  next->edge.resize(8);
  for (size_t l = 0; l < 8; ++l) next->edge[l] = work.edge[l];
  if (work.size % kTileWidth != 0) next->edge_bundle = work.bundle;
  next->pending_full = work.completed;
  Status status;
  if (auto root = RootHash(work.size, Nodes(*next)); root.ok()) {
    next->root = *root;
  } else {
    status = root.status();
  }

  StorageBatch& sb = work.storage;
  for (const auto& t : work.completed) sb.tiles.push_back(t.get());
  for (size_t l = 0; l < 8; ++l) {
    const auto& now = work.edge[l];
    const auto& was = before.edge[l];
    if (now && (!was || was->index != now->index || was->width != now->width))
      sb.tiles.push_back(now.get());
  }
  auto now = Clock::now();
  bool sign = now >= last_checkpoint_ + options_.checkpoint_interval;
  if (status.ok() && sign) sb.checkpoint = SignCheckpoint(work.size, next->root);
  if (status.ok()) status = storage_->Commit(sb);
  commit_failed_ = !status.ok();

  if (!status.ok()) {
    // Nothing of this batch is durable: fail the new entries (and
    // duplicates of them); duplicates of older entries stay answered.
    for (auto& r : results)
      if (r.ok() && r->index >= work.first_new) r = status;
    return answer();
  }
  for (size_t i = 0; i < work.new_leaves.size(); ++i)
    if (options_.dedup) dedup_.Insert(work.new_leaves[i], work.first_new + i);
  for (const auto& t : work.completed) cache_.Put(t);
  next->pending_full.clear();
  std::shared_ptr<const PublishedCheckpoint> cp;
  if (sb.checkpoint) {
    cp = std::make_shared<PublishedCheckpoint>(
        PublishedCheckpoint{work.size, next->root, sb.checkpoint->note});
    last_checkpoint_ = now;
  }
  checkpoint_dirty_ = !sb.checkpoint;
  Publish(std::move(next), std::move(cp));
  answer();
}

bool Log::Appendable() const {
  if (commit_failed_) return false;
  std::lock_guard<std::mutex> lock(queue_mu_);
  return !closing_ && queue_.size() < options_.max_queue;
}

Status Log::Close() {
  std::call_once(close_once_, [this] {
    {
      std::lock_guard<std::mutex> lock(queue_mu_);
      closing_ = true;
    }
    queue_cv_.notify_all();
    if (sequencer_.joinable()) sequencer_.join();
    // The sequencer has answered its last batch; let those answers out.
    {
      std::lock_guard<std::mutex> lock(answers_mu_);
      answers_closing_ = true;
    }
    answers_cv_.notify_all();
    if (completer_.joinable()) completer_.join();
  });
  return close_status_;
}

}  // namespace pathbridge::ledger
