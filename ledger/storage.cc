#include "ledger/storage.h"

#include "ledger/tiles.h"

namespace pathbridge::ledger {

void ComputeTileRows(FatTile& tile) {
  Hasher& hasher = ThreadHasher();
  for (uint32_t row = 1; row < 8; ++row)
    for (uint32_t j = 0; ((j + 1) << row) <= tile.width; ++j)
      tile.at(row, j) = hasher.Node(tile.at(row - 1, 2 * j), tile.at(row - 1, 2 * j + 1));
}

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

}  // namespace pathbridge::ledger
