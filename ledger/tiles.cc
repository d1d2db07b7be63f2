#include "ledger/tiles.h"

#include <cstdio>
#include <limits>

namespace pathbridge::ledger {
namespace {

constexpr uint64_t kMaxLevel = 63;

std::string Offset(size_t pos) { return "offset " + std::to_string(pos); }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Consumes `lit` at `pos`, failing at the first byte that differs.
Status Expect(std::string_view path, size_t& pos, std::string_view lit) {
  for (char c : lit) {
    if (pos >= path.size() || path[pos] != c)
      return InvalidArgument("expected '" + std::string(lit) + "'", Offset(pos));
    ++pos;
  }
  return Status::Ok();
}

// A plain decimal in [min, max] with no sign and no leading zeros; `max` is
// small (63 or 255), so three digits always suffice.
Result<uint64_t> SmallDecimal(std::string_view path, size_t& pos, uint64_t min,
                              uint64_t max, const std::string& what) {
  const size_t start = pos;
  uint64_t value = 0;
  while (pos < path.size() && IsDigit(path[pos])) {
    if (pos - start == 3) return InvalidArgument(what + " out of range", Offset(start));
    value = value * 10 + static_cast<uint64_t>(path[pos] - '0');
    ++pos;
  }
  if (pos == start) return InvalidArgument("expected " + what, Offset(start));
  if (pos - start > 1 && path[start] == '0')
    return InvalidArgument(what + " has a leading zero", Offset(start));
  if (value < min || value > max)
    return InvalidArgument(what + " out of range", Offset(start));
  return value;
}

// Three digits as one base-1000 group of the tile index.
Result<uint64_t> IndexGroup(std::string_view path, size_t& pos) {
  uint64_t group = 0;
  for (int i = 0; i < 3; ++i, ++pos) {
    if (pos >= path.size() || !IsDigit(path[pos]))
      return InvalidArgument("tile index groups have exactly 3 digits", Offset(pos));
    group = group * 10 + static_cast<uint64_t>(path[pos] - '0');
  }
  return group;
}

// "x001/x234/067": every group but the last is x-prefixed, and the first
// x-group is never "x000", so each index has exactly one spelling.
Result<uint64_t> TileIndex(std::string_view path, size_t& pos) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  uint64_t index = 0;
  for (bool first = true;; first = false) {
    const size_t start = pos;
    const bool prefixed = pos < path.size() && path[pos] == 'x';
    if (prefixed) ++pos;
    PB_ASSIGN_OR_RETURN(uint64_t group, IndexGroup(path, pos));
    if (index > (kMax - group) / 1000)
      return InvalidArgument("tile index does not fit in 64 bits", Offset(start));
    index = index * 1000 + group;
    if (!prefixed) return index;
    PB_RETURN_IF_ERROR(Expect(path, pos, "/"));
    if (first && group == 0)
      return InvalidArgument("non-canonical tile index: leading x000 group", Offset(start));
  }
}

// "<level>/" or "entries/".
Status LevelPart(std::string_view path, size_t& pos, TilePath& tile) {
  if (pos < path.size() && path[pos] == 'e') {
    tile.entries = true;
    return Expect(path, pos, "entries/");
  }
  PB_ASSIGN_OR_RETURN(uint64_t level, SmallDecimal(path, pos, 0, kMaxLevel, "tile level"));
  tile.level = static_cast<uint8_t>(level);
  return Expect(path, pos, "/");
}

// Optional ".p/<W>", then the end of the path.
Status WidthPart(std::string_view path, size_t& pos, TilePath& tile) {
  if (pos == path.size()) return Status::Ok();
  if (path[pos] != '.')
    return InvalidArgument("unexpected character after tile index", Offset(pos));
  PB_RETURN_IF_ERROR(Expect(path, pos, ".p/"));
  PB_ASSIGN_OR_RETURN(uint64_t width,
                      SmallDecimal(path, pos, 1, kTileWidth - 1, "partial tile width"));
  tile.width = static_cast<uint32_t>(width);
  if (pos != path.size())
    return InvalidArgument("unexpected character after partial tile width", Offset(pos));
  return Status::Ok();
}

std::string BundleWhere(size_t entry, size_t offset) {
  return "entry " + std::to_string(entry) + ", offset " + std::to_string(offset);
}

}  // namespace

std::string EncodeTileIndex(uint64_t n) {
  char group[8];
  std::snprintf(group, sizeof group, "%03u", static_cast<unsigned>(n % 1000));
  std::string out = group;
  for (n /= 1000; n > 0; n /= 1000) {
    std::snprintf(group, sizeof group, "x%03u/", static_cast<unsigned>(n % 1000));
    out.insert(0, group);
  }
  return out;
}

Result<TilePath> ParseTilePath(std::string_view path) {
  TilePath tile;
  size_t pos = 0;
  PB_RETURN_IF_ERROR(Expect(path, pos, "tile/"));
  PB_RETURN_IF_ERROR(LevelPart(path, pos, tile));
  PB_ASSIGN_OR_RETURN(tile.index, TileIndex(path, pos));
  PB_RETURN_IF_ERROR(WidthPart(path, pos, tile));
  return tile;
}

std::string FormatTilePath(const TilePath& tile) {
  std::string out = "tile/";
  out += tile.entries ? std::string("entries") : std::to_string(tile.level);
  out += '/';
  out += EncodeTileIndex(tile.index);
  if (tile.partial()) out += ".p/" + std::to_string(tile.width);
  return out;
}

uint64_t HashesAtTileLevel(uint8_t level, uint64_t tree_size) {
  // Level 8 and up would need more than 2^64 leaves for a single hash.
  if (level >= 8) return 0;
  return tree_size >> (8 * level);
}

uint32_t TileWidthAt(uint8_t level, uint64_t index, uint64_t tree_size) {
  const uint64_t hashes = HashesAtTileLevel(level, tree_size);
  const uint64_t full = hashes / kTileWidth;
  if (index < full) return static_cast<uint32_t>(kTileWidth);
  if (index == full) return static_cast<uint32_t>(hashes % kTileWidth);
  return 0;
}

Status AppendBundleEntry(Bytes& bundle, ByteSpan entry) {
  if (entry.empty())
    return InvalidArgument("entry is empty", Offset(bundle.size()));
  if (entry.size() > kMaxEntrySize)
    return InvalidArgument("entry of " + std::to_string(entry.size()) +
                               " bytes exceeds the 65535-byte limit",
                           Offset(bundle.size()));
  bundle.push_back(static_cast<uint8_t>(entry.size() >> 8));
  bundle.push_back(static_cast<uint8_t>(entry.size() & 0xff));
  bundle.insert(bundle.end(), entry.begin(), entry.end());
  return Status::Ok();
}

Result<std::vector<ByteSpan>> ParseEntryBundle(ByteSpan bundle) {
  if (bundle.empty()) return InvalidArgument("entry bundle is empty", Offset(0));
  std::vector<ByteSpan> entries;
  size_t off = 0;
  while (off < bundle.size()) {
    const size_t n = entries.size();
    if (n == kTileWidth)
      return InvalidArgument("entry bundle holds more than 256 entries", BundleWhere(n, off));
    if (bundle.size() - off < 2)
      return InvalidArgument("truncated length prefix", BundleWhere(n, off));
    const size_t len = (size_t{bundle[off]} << 8) | bundle[off + 1];
    const size_t left = bundle.size() - off - 2;
    if (left < len)
      return InvalidArgument("entry of " + std::to_string(len) + " bytes is truncated to " +
                                 std::to_string(left),
                             BundleWhere(n, off));
    entries.push_back(bundle.subspan(off + 2, len));
    off += 2 + len;
  }
  return entries;
}

}  // namespace pathbridge::ledger
