#include "ledger/fsck.h"

#include <array>
#include <vector>

#include "ledger/checkpoint.h"
#include "ledger/proof.h"
#include "ledger/tiles.h"

namespace pathbridge::ledger {
namespace {

std::string TileName(uint8_t level, uint64_t index) {
  return "tile " + std::to_string(level) + "/" + std::to_string(index);
}

// Recomputes tiles level by level from hashes fed in order, comparing each
// finished (or final partial) tile with the stored one.
class TileChecker {
 public:
  explicit TileChecker(Storage& storage) : storage_(storage) {}

  Status Add(uint8_t level, const Hash& h) {
    auto& buf = pending_[level];
    buf.push_back(h);
    if (buf.size() < kTileWidth) return Status::Ok();
    PB_ASSIGN_OR_RETURN(Hash top, Check(level, true));
    return Add(static_cast<uint8_t>(level + 1), top);
  }

  // Checks the partial tiles left at the right edge.
  Status Finish() {
    for (uint8_t level = 0; level < pending_.size(); ++level)
      if (!pending_[level].empty()) PB_RETURN_IF_ERROR(Check(level, false).status());
    return Status::Ok();
  }

  uint64_t tiles_checked() const { return checked_; }

 private:
  Result<Hash> Check(uint8_t level, bool full) {
    auto& buf = pending_[level];
    uint64_t index = next_index_[level]++;
    std::string where = TileName(level, index);
    auto stored = storage_.ReadTile(level, index);
    if (!stored.ok()) return Corruption("tile is missing: " + stored.status().message(), where);
    if (stored->width != buf.size())
      return Corruption("tile width is " + std::to_string(stored->width) + ", the entries give " +
                            std::to_string(buf.size()),
                        where);
    FatTile expect;
    uint32_t width = static_cast<uint32_t>(buf.size());
    for (uint32_t i = 0; i < width; ++i) expect.at(0, i) = buf[i];
    expect.width = width;
    ComputeTileRows(expect);
    for (uint32_t row = 0; row < 8; ++row)
      for (uint32_t j = 0; expect.Holds(row, j); ++j)
        if (expect.at(row, j) != stored->at(row, j))
          return Corruption("stored hash differs from the recomputed one",
                            where + " row " + std::to_string(row) + " slot " + std::to_string(j));
    ++checked_;
    buf.clear();
    if (!full) return Hash{};
    return ThreadHasher().Node(expect.at(7, 0), expect.at(7, 1));
  }

  Storage& storage_;
  std::array<std::vector<Hash>, 9> pending_;
  std::array<uint64_t, 9> next_index_{};
  uint64_t checked_ = 0;
};

Status CheckEntries(Storage& storage, uint64_t size, TileChecker& tiles) {
  Hasher& hasher = ThreadHasher();
  uint64_t bundles = (size + kTileWidth - 1) / kTileWidth;
  for (uint64_t b = 0; b < bundles; ++b) {
    std::string where = "entry bundle " + std::to_string(b);
    auto bundle = storage.ReadBundle(b);
    if (!bundle.ok()) return Corruption("bundle is missing: " + bundle.status().message(), where);
    auto entries = ParseEntryBundle(*bundle);
    if (!entries.ok()) return Corruption(entries.status().message(), where);
    uint64_t want = std::min<uint64_t>(kTileWidth, size - b * kTileWidth);
    if (entries->size() != want)
      return Corruption("bundle holds " + std::to_string(entries->size()) +
                            " entries, the tree size needs " + std::to_string(want),
                        where);
    for (ByteSpan e : *entries) PB_RETURN_IF_ERROR(tiles.Add(0, hasher.Leaf(e)));
  }
  return tiles.Finish();
}

Status CheckCheckpoints(Storage& storage, const NoteVerifier& key, FsckReport& report) {
  NodeSource nodes = StorageNodes(storage);
  std::optional<Checkpoint> previous;
  return storage.ForEachCheckpoint([&](const StoredCheckpoint& stored) -> Status {
    std::string where = "checkpoint at size " + std::to_string(stored.size);
    auto verified = VerifyCheckpoint(stored.note, key);
    if (!verified.ok()) return Corruption(verified.status().ToString(), where);
    const Checkpoint& cp = verified->checkpoint;
    if (cp.size != stored.size)
      return Corruption("note says size " + std::to_string(cp.size), where);
    if (cp.size > report.tree_size)
      return Corruption("checkpoint is beyond the tree size " + std::to_string(report.tree_size),
                        where);
    PB_ASSIGN_OR_RETURN(Hash root, RootHash(cp.size, nodes));
    if (root != cp.root) return Corruption("signed root differs from the stored tree", where);
    if (previous && previous->size > 0) {
      PB_ASSIGN_OR_RETURN(auto proof, BuildConsistencyProof(previous->size, cp.size, nodes));
      Status s = VerifyConsistency(previous->size, cp.size, previous->root, cp.root, proof);
      if (!s.ok()) return Corruption("not consistent with the previous checkpoint", where);
    }
    previous = cp;
    ++report.checkpoints;
    return Status::Ok();
  });
}

}  // namespace

Result<FsckReport> Fsck(Storage& storage, const NoteVerifier& log_key) {
  FsckReport report;
  PB_ASSIGN_OR_RETURN(report.tree_size, storage.TreeSize());
  PB_ASSIGN_OR_RETURN(auto origin, storage.GetMeta("origin"));
  if (origin && *origin != log_key.name())
    return Corruption("log origin \"" + *origin + "\" does not match the key \"" +
                          log_key.name() + "\"",
                      "meta.origin");
  TileChecker tiles(storage);
  PB_RETURN_IF_ERROR(CheckEntries(storage, report.tree_size, tiles));
  report.entries = report.tree_size;
  report.tiles = tiles.tiles_checked();
  PB_ASSIGN_OR_RETURN(report.root, RootHash(report.tree_size, StorageNodes(storage)));
  PB_RETURN_IF_ERROR(CheckCheckpoints(storage, log_key, report));
  if (report.checkpoints == 0 && report.tree_size > 0)
    return Corruption("the log has entries but no checkpoint", "checkpoints");
  return report;
}

}  // namespace pathbridge::ledger
