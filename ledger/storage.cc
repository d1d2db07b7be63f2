#include "ledger/storage.h"

#include "ledger/tiles.h"

namespace pathbridge::ledger {

NodeSource StorageNodes(Storage& storage) {
  return [&storage](uint32_t level, uint64_t index) -> Result<Hash> {
    uint32_t row = level % 8;
    PB_ASSIGN_OR_RETURN(FatTile t, storage.ReadTile(static_cast<uint8_t>(level / 8),
                                                    index >> (8 - row)));
    uint64_t slot = index & ((kTileWidth >> row) - 1);
    if (((slot + 1) << row) > t.width)
      return Corruption("node is not complete in its stored tile",
                        "tile " + std::to_string(level / 8) + "/" + std::to_string(t.index));
    return t.at(row, slot);
  };
}

Result<Bytes> ReadStoredEntry(Storage& storage, uint64_t index) {
  PB_ASSIGN_OR_RETURN(uint64_t size, storage.TreeSize());
  if (index >= size)
    return NotFound("entry index is beyond the tree size " + std::to_string(size),
                    "index " + std::to_string(index));
  PB_ASSIGN_OR_RETURN(Bytes bundle, storage.ReadBundle(index / kTileWidth));
  auto entries = ParseEntryBundle(bundle);
  if (!entries.ok() || index % kTileWidth >= entries->size())
    return Corruption("entry bundle is damaged or short", "index " + std::to_string(index));
  ByteSpan e = (*entries)[index % kTileWidth];
  return Bytes(e.begin(), e.end());
}

}  // namespace pathbridge::ledger
