// C2SP tlog-tiles: tile paths, tile shapes and entry bundles.
//
// A hash tile at level L holds up to 256 consecutive hashes of tree level
// 8*L; tile N at level L covers those hashes [256*N, 256*N + 256). A partial
// tile of width W (1..255) is served at "<path>.p/W". Entry bundles hold up to
// 256 entries, each as a big-endian uint16 length followed by the bytes.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "standards/encoding.h"
#include "standards/status.h"

namespace pathbridge::ledger {

inline constexpr uint64_t kTileWidth = 256;
inline constexpr size_t kMaxEntrySize = 65535;  // uint16 length prefix

// Index encoding: "x001/x234/067" for 1234067.
std::string EncodeTileIndex(uint64_t n);

struct TilePath {
  bool entries = false;   // tile/entries/... (entry bundle) rather than a hash tile
  uint8_t level = 0;      // hash tiles only; 0..63
  uint64_t index = 0;
  uint32_t width = 256;   // 256 for a full tile, else 1..255 (".p/W")
  bool partial() const { return width < kTileWidth; }
};

// "tile/0/x001/234" or "tile/entries/000.p/5" (no leading slash). Rejects
// non-canonical forms (a leading "x000" group, groups not of 3 digits, an
// unprefixed group before the last, empty parts, level or width with a sign
// or leading zero, width 0 or >= 256, level > 63, anything after the path)
// with InvalidArgument whose where() is "offset N". Accepted paths are
// exactly those FormatTilePath produces.
Result<TilePath> ParseTilePath(std::string_view path);
// Expects a valid TilePath (level <= 63, width 1..256; level is ignored for
// entry bundles).
std::string FormatTilePath(const TilePath& tile);

// Width of tile `index` at `level` in a tree of `size` leaves: 256 if full,
// 1..255 if partial, 0 if the tile does not exist at that size.
uint32_t TileWidthAt(uint8_t level, uint64_t index, uint64_t tree_size);
// Number of hashes at tree level 8*level for a tree of `size` leaves (always
// 0 from level 8 up, as a uint64 size never fills a level-8 hash).
uint64_t HashesAtTileLevel(uint8_t level, uint64_t tree_size);

// Appends one entry to an entry bundle (length prefix + bytes). Empty entries
// and entries over kMaxEntrySize are InvalidArgument; `bundle` is then
// unchanged.
Status AppendBundleEntry(Bytes& bundle, ByteSpan entry);
// Splits a bundle into its entries (views into `bundle`). InvalidArgument for
// an empty bundle, a truncated length prefix or record, or more than 256
// entries; where() is "entry N, offset M" (N counts from 0, M is the byte
// offset of that entry's length prefix; "offset 0" for an empty bundle).
// Zero-length records are accepted: the format allows them, though
// AppendBundleEntry never writes one.
// The caller checks the entry count against the tile width it asked for.
Result<std::vector<ByteSpan>> ParseEntryBundle(ByteSpan bundle);

}  // namespace pathbridge::ledger
