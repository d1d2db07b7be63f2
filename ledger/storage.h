// The narrow storage interface under the Merkle log. The log keeps its tree
// as "fat" hash tiles (see FatTile), its entries as C2SP entry bundles, the
// caller-supplied identity keys used for deduplication, and every signed
// checkpoint. A write is one Batch, applied atomically and durably: after
// Commit returns Ok, a crash loses none of it; after it fails, none of it is
// visible. SQLite is the embedded default (sqlite_storage.h); a PostgreSQL
// backend is meant to implement the same interface.
//
// Thread-safety: implementations allow concurrent reads from any thread and
// one writer (the log's sequencer) at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ledger/hash.h"
#include "ledger/proof.h"

namespace pathbridge::ledger {

// A hash tile with all eight of its internal rows: row k (0..7) holds the
// 256 >> k hashes of tree level 8*level + k under this tile. Row 0 is the
// C2SP tile; rows 1..7 are kept so that a proof needs one tile read per
// tile level instead of re-hashing up to 255 nodes. Slots of incomplete
// subtrees are zero. 510 hashes, 16,320 bytes.
struct FatTile {
  static constexpr size_t kSlots = 510;
  static constexpr size_t RowOffset(uint32_t row) { return 512 - (512u >> row); }

  uint8_t level = 0;
  uint64_t index = 0;
  uint32_t width = 0;  // complete hashes in row 0 (1..256)
  std::array<Hash, kSlots> nodes{};

  const Hash& at(uint32_t row, uint64_t i) const { return nodes[RowOffset(row) + i]; }
  Hash& at(uint32_t row, uint64_t i) { return nodes[RowOffset(row) + i]; }
  bool full() const { return width == 256; }
  // Whether the subtree at (row, slot) is complete under this tile's width.
  bool Holds(uint32_t row, uint64_t slot) const { return ((slot + 1) << row) <= width; }
};

// Where tree node (level, index) lives: its fat tile and its place in it.
struct NodeLocation {
  uint8_t tile_level;
  uint64_t tile_index;
  uint32_t row;
  uint64_t slot;
};
inline NodeLocation LocateNode(uint32_t level, uint64_t index) {
  uint32_t row = level % 8;
  return {static_cast<uint8_t>(level / 8), index >> (8 - row), row,
          index & ((uint64_t{256} >> row) - 1)};
}

struct StoredCheckpoint {
  uint64_t size = 0;
  std::string note;  // the signed note, as published
};

// One atomic, durable write: the batch's new entries (each stored once,
// by index; bundles are assembled from them on read), the tiles that grew,
// identity keys, and perhaps a checkpoint.
struct StorageBatch {
  std::vector<const FatTile*> tiles;                        // new or grown tiles
  std::vector<std::pair<uint64_t, ByteSpan>> entries;       // entry index -> entry
  std::vector<std::pair<Bytes, uint64_t>> identities;       // identity key -> entry index
  std::optional<StoredCheckpoint> checkpoint;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Log metadata (origin, format version), fixed when the log is created.
  virtual Result<std::optional<std::string>> GetMeta(const std::string& key) = 0;
  virtual Status PutMeta(const std::string& key, const std::string& value) = 0;

  // The number of entries: derived from the level-0 tiles, so it can never
  // disagree with the tree.
  virtual Result<uint64_t> TreeSize() = 0;
  // Reads a tile into `out` without allocating; NotFound if never written.
  // (An implementation may derive the partial level-0 tile from the edge
  // entries instead of storing it; readers cannot tell.)
  virtual Status ReadTileInto(uint8_t level, uint64_t index, FatTile& out) = 0;
  Result<FatTile> ReadTile(uint8_t level, uint64_t index) {
    FatTile t;
    PB_RETURN_IF_ERROR(ReadTileInto(level, index, t));
    return t;
  }
  // Entry bundle `index` (full, or the partial one at the edge), assembled
  // from the stored entries; NotFound if it has none.
  virtual Result<Bytes> ReadBundle(uint64_t index) = 0;
  // One entry; NotFound beyond the stored entries.
  virtual Result<Bytes> ReadEntry(uint64_t index) = 0;
  virtual Result<std::optional<uint64_t>> FindIdentity(ByteSpan key) = 0;
  virtual Result<std::optional<StoredCheckpoint>> LatestCheckpoint() = 0;
  // Calls fn for each stored checkpoint in increasing size; stops at the
  // first error fn returns.
  virtual Status ForEachCheckpoint(const std::function<Status(const StoredCheckpoint&)>& fn) = 0;

  virtual Status Commit(const StorageBatch& batch) = 0;
};

// Fills rows 1..7 of a tile from its row 0 and width (complete subtrees
// only; the rest stay zero).
void ComputeTileRows(FatTile& tile);

// Read paths straight from storage, for tools that run beside a live log
// (CLI reads, fsck): every committed batch leaves storage complete.
NodeSource StorageNodes(Storage& storage);

}  // namespace pathbridge::ledger
