// Fuzzes the tlog-tiles parsers: the input as a tile path (text) and as an
// entry bundle (bytes). Invariants: whatever parses formats back to the
// exact input (paths) or re-encodes to it (bundles), and tile shapes stay in
// range. Seeds tessera_entries_*.bin are transparency-dev/tessera
// testdata/log entry bundles (Apache-2.0).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "ledger/tiles.h"

namespace {

using namespace pathbridge;
using namespace pathbridge::ledger;

void Check(bool ok) {
  if (!ok) std::abort();
}

void FuzzPath(std::string_view text) {
  auto tile = ParseTilePath(text);
  if (!tile.ok()) {
    Check(tile.status().code() == Code::kInvalidArgument);
    Check(tile.status().where().rfind("offset ", 0) == 0);
    return;
  }
  Check(tile->level <= 63 && tile->width >= 1 && tile->width <= kTileWidth);
  Check(!tile->entries || tile->level == 0);
  Check(FormatTilePath(*tile) == text);  // only canonical spellings parse
}

void FuzzBundle(ByteSpan data) {
  auto entries = ParseEntryBundle(data);
  if (!entries.ok()) {
    Check(entries.status().code() == Code::kInvalidArgument);
    return;
  }
  Check(!entries->empty() && entries->size() <= kTileWidth);
  Bytes rebuilt;
  for (ByteSpan e : *entries) {
    if (e.empty()) {  // the writer refuses what the reader tolerates
      Check(!AppendBundleEntry(rebuilt, e).ok());
      rebuilt.push_back(0);
      rebuilt.push_back(0);
    } else {
      Check(AppendBundleEntry(rebuilt, e).ok());
    }
  }
  Check(rebuilt.size() == data.size() &&
        std::memcmp(rebuilt.data(), data.data(), data.size()) == 0);
}

// Reads the first 17 bytes as index, level and tree size.
void FuzzShape(ByteSpan data) {
  if (data.size() < 17) return;
  uint64_t index = 0, size = 0;
  std::memcpy(&index, data.data(), 8);
  std::memcpy(&size, data.data() + 8, 8);
  const auto level = static_cast<uint8_t>(data[16] % 64);
  const TilePath tile{false, level, index, 256};
  auto back = ParseTilePath(FormatTilePath(tile));
  Check(back.ok() && back->index == index && back->level == level);
  const uint32_t width = TileWidthAt(level, index, size);
  Check(width <= kTileWidth);
  Check(HashesAtTileLevel(level, size) <= size);
  if (width == kTileWidth) Check(TileWidthAt(level, index / 2, size) == kTileWidth);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan bytes(data, size);
  FuzzPath(AsChars(bytes));
  FuzzBundle(bytes);
  FuzzShape(bytes);
  return 0;
}
