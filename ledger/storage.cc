#include "ledger/storage.h"

namespace pathbridge::ledger {

void ComputeTileRows(FatTile& tile) {
  Hasher& hasher = ThreadHasher();
  for (uint32_t row = 1; row < 8; ++row)
    for (uint32_t j = 0; tile.Holds(row, j); ++j)
      tile.at(row, j) = hasher.Node(tile.at(row - 1, 2 * j), tile.at(row - 1, 2 * j + 1));
}

NodeSource StorageNodes(Storage& storage) {
  return [&storage](uint32_t level, uint64_t index) -> Result<Hash> {
    NodeLocation at = LocateNode(level, index);
    PB_ASSIGN_OR_RETURN(FatTile t, storage.ReadTile(at.tile_level, at.tile_index));
    if (!t.Holds(at.row, at.slot))
      return Corruption("node is not complete in its stored tile",
                        "tile " + std::to_string(at.tile_level) + "/" + std::to_string(t.index));
    return t.at(at.row, at.slot);
  };
}

}  // namespace pathbridge::ledger
