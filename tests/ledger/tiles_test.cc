#include "ledger/tiles.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "ledger/hash.h"
#include "tests/testing/test_util.h"

namespace pathbridge::ledger {
namespace {

namespace json = boost::json;
using testing::LedgerVectors;
using testing::ReadFile;
using testing::ReadJson;

// The entries of transparency-dev/tessera testdata/log, in order (the
// misspellings are upstream's).
const std::vector<std::string> kTesseraWords = {
    "one", "two", "three", "four", "five", "six", "seven", "eit",
    "nain", "ten", "ileven", "twelf", "threeten", "fourten", "fivten"};

json::object TilesVectors() {
  return ReadJson(LedgerVectors() / "tlog-tiles-vectors.json").as_object();
}

std::filesystem::path TesseraLog() { return LedgerVectors() / "tessera-testdata-log"; }

std::string CaseId(const json::object& row, const char* key) {
  return std::string(key) + "=" + json::serialize(row.at(key));
}

void ExpectSamePath(const TilePath& got, const TilePath& want, const std::string& id) {
  EXPECT_EQ(got.entries, want.entries) << id;
  EXPECT_EQ(got.level, want.level) << id;
  EXPECT_EQ(got.index, want.index) << id;
  EXPECT_EQ(got.width, want.width) << id;
}

// A new section in the vector file must get a test, not be skipped silently.
TEST(TilesVectors, EverySectionIsCovered) {
  std::set<std::string> keys;
  for (const auto& kv : TilesVectors()) keys.insert(std::string(kv.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"_about", "index_path", "tree_shape",
                                         "entry_bundle_format", "level0_tile_format"}));
}

TEST(TilesVectors, IndexPaths) {
  const auto rows = TilesVectors().at("index_path").as_array();
  ASSERT_FALSE(rows.empty());
  for (const auto& v : rows) {
    const auto& row = v.as_object();
    const std::string id = CaseId(row, "n");
    const uint64_t n = row.at("n").to_number<uint64_t>();
    const std::string path(row.at("path").as_string());
    EXPECT_EQ(EncodeTileIndex(n), path) << id;
    for (const std::string prefix : {"tile/0/", "tile/63/", "tile/entries/"}) {
      auto parsed = ParseTilePath(prefix + path);
      ASSERT_TRUE(parsed.ok()) << id << " " << parsed.status().ToString();
      EXPECT_EQ(parsed->index, n) << id;
      EXPECT_FALSE(parsed->partial()) << id;
      EXPECT_EQ(FormatTilePath(*parsed), prefix + path) << id;
    }
  }
}

// One level row: full tiles, the partial width, and its path.
void CheckLevel(uint64_t size, const json::object& row, const std::string& id) {
  const auto level = static_cast<uint8_t>(row.at("level").to_number<unsigned>());
  const uint64_t full = row.at("full_tiles").to_number<uint64_t>();
  const auto width = row.at("partial_width").to_number<uint32_t>();
  EXPECT_EQ(HashesAtTileLevel(level, size), full * kTileWidth + width) << id;
  if (full > 0) {
    EXPECT_EQ(TileWidthAt(level, 0, size), kTileWidth) << id;
    EXPECT_EQ(TileWidthAt(level, full - 1, size), kTileWidth) << id;
  }
  EXPECT_EQ(TileWidthAt(level, full, size), width) << id;
  EXPECT_EQ(TileWidthAt(level, full + 1, size), 0u) << id;
  if (row.at("partial_path").is_null()) {
    EXPECT_EQ(width, 0u) << id;
    return;
  }
  const std::string path(row.at("partial_path").as_string());
  const TilePath want{false, level, full, width};
  EXPECT_EQ(FormatTilePath(want), path) << id;
  auto parsed = ParseTilePath(path);
  ASSERT_TRUE(parsed.ok()) << id << " " << parsed.status().ToString();
  ExpectSamePath(*parsed, want, id);
}

TEST(TilesVectors, TreeShapes) {
  const auto rows = TilesVectors().at("tree_shape").as_array();
  ASSERT_FALSE(rows.empty());
  for (const auto& v : rows) {
    const auto& row = v.as_object();
    const uint64_t size = row.at("size").to_number<uint64_t>();
    const auto& levels = row.at("levels").as_array();
    ASSERT_FALSE(levels.empty()) << "size=" << size;
    for (size_t i = 0; i < levels.size(); ++i) {
      const auto& level = levels[i].as_object();
      const std::string id = "size=" + std::to_string(size) + " " + CaseId(level, "level");
      EXPECT_EQ(level.at("level").to_number<size_t>(), i) << id;
      CheckLevel(size, level, id);
    }
    // The listed levels are all there are: nothing at the next one up.
    const auto top = static_cast<uint8_t>(levels.size());
    EXPECT_EQ(HashesAtTileLevel(top, size), 0u) << "size=" << size;
    EXPECT_EQ(TileWidthAt(top, 0, size), 0u) << "size=" << size;
  }
}

TEST(TilesVectors, EntryBundleFormatExample) {
  // The file's own example: 000.p/3 = 00 03 'one' 00 03 'two' 00 05 'three'.
  const std::string text(TilesVectors().at("entry_bundle_format").as_string());
  ASSERT_NE(text.find("000.p/3 = 00 03 'one' 00 03 'two' 00 05 'three'"), std::string::npos);
  const std::string want("\x00\x03one\x00\x03two\x00\x05three", 17);
  EXPECT_EQ(ReadFile(TesseraLog() / "tile/entries/000.p/3"), want);
}

TEST(TilesTessera, EntryBundlesHoldTheFirstNWords) {
  for (uint32_t n = 1; n <= kTesseraWords.size(); ++n) {
    const std::string id = "size " + std::to_string(n);
    const TilePath tile{true, 0, 0, TileWidthAt(0, 0, n)};
    ASSERT_EQ(tile.width, n) << id;
    EXPECT_EQ(FormatTilePath(tile), "tile/entries/000.p/" + std::to_string(n)) << id;
    const std::string file = ReadFile(TesseraLog() / FormatTilePath(tile));
    auto entries = ParseEntryBundle(AsBytes(file));
    ASSERT_TRUE(entries.ok()) << id << " " << entries.status().ToString();
    ASSERT_EQ(entries->size(), n) << id;
    Bytes rebuilt;
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(AsChars((*entries)[i]), kTesseraWords[i]) << id << " entry " << i;
      ASSERT_TRUE(AppendBundleEntry(rebuilt, AsBytes(kTesseraWords[i])).ok()) << id;
    }
    EXPECT_EQ(AsChars(rebuilt), file) << id;
  }
}

TEST(TilesTessera, LevelZeroTilesAreConcatenatedLeafHashes) {
  for (uint32_t n = 1; n <= kTesseraWords.size(); ++n) {
    const std::string id = "size " + std::to_string(n);
    const TilePath tile{false, 0, 0, TileWidthAt(0, 0, n)};
    EXPECT_EQ(HashesAtTileLevel(1, n), 0u) << id;  // a level-0 tile is all there is
    const std::string file = ReadFile(TesseraLog() / FormatTilePath(tile));
    ASSERT_EQ(file.size(), 32u * n) << id;
    for (size_t i = 0; i < n; ++i) {
      const Hash leaf = ThreadHasher().Leaf(AsBytes(kTesseraWords[i]));
      EXPECT_EQ(file.substr(32 * i, 32), AsChars(ledger::AsBytes(leaf))) << id << " leaf " << i;
    }
  }
}

TEST(TilePath, RoundTripsCanonicalForms) {
  const uint64_t kIndexes[] = {0, 1, 999, 1000, 1001, 999999, 1000000,
                               std::numeric_limits<uint64_t>::max()};
  for (uint8_t level : {0, 1, 7, 8, 63})
    for (uint64_t index : kIndexes)
      for (uint32_t width : {1u, 112u, 255u, 256u})
        for (bool entries : {false, true}) {
          const TilePath tile{entries, entries ? uint8_t{0} : level, index, width};
          const std::string path = FormatTilePath(tile);
          auto parsed = ParseTilePath(path);
          ASSERT_TRUE(parsed.ok()) << path << " " << parsed.status().ToString();
          ExpectSamePath(*parsed, tile, path);
          EXPECT_EQ(FormatTilePath(*parsed), path);
        }
  EXPECT_EQ(FormatTilePath({false, 0, std::numeric_limits<uint64_t>::max(), 256}),
            "tile/0/x018/x446/x744/x073/x709/x551/615");
}

TEST(TilePath, RejectsMalformedWithOffset) {
  const std::pair<std::string, size_t> kBad[] = {
      {"", 0},
      {"tile", 4},
      {"/tile/0/000", 0},
      {" tile/0/000", 0},
      {"tiles/0/000", 4},
      {"Tile/0/000", 0},
      {"tile//000", 5},
      {"tile/00/000", 5},
      {"tile/01/000", 5},
      {"tile/64/000", 5},
      {"tile/100/000", 5},
      {"tile/0000/000", 5},
      {"tile/+1/000", 5},
      {"tile/-0/000", 5},
      {"tile/0", 6},
      {"tile/0x/000", 6},
      {"tile/0/", 7},
      {"tile/0//000", 7},
      {"tile/0/00", 9},
      {"tile/0/1", 8},
      {"tile/0/0000", 10},
      {"tile/0/000/", 10},
      {"tile/0/001/002", 10},
      {"tile/0/x000/001", 7},
      {"tile/0/x000/x001/000", 7},
      {"tile/0/x001", 11},
      {"tile/0/x001/", 12},
      {"tile/0/x001/x002", 16},
      {"tile/0/x001//002", 12},
      {"tile/0/X001/000", 7},
      {"tile/0/x01/000", 10},
      {"tile/0/x0001/000", 11},
      {"tile/0/xx001/000", 8},
      {"tile/0/x018/x446/x744/x073/x709/x551/616", 37},
      {"tile/0/x001/x000/x000/x000/x000/x000/x000/000", 42},
      {"tile/0/000.p", 12},
      {"tile/0/000.p/", 13},
      {"tile/0/000.p/0", 13},
      {"tile/0/000.p/256", 13},
      {"tile/0/000.p/007", 13},
      {"tile/0/000.p/+5", 13},
      {"tile/0/000.p/5/", 14},
      {"tile/0/000.p/5x", 14},
      {"tile/0/000.p/5\n", 14},
      {"tile/0/000.P/5", 11},
      {"tile/0/000.p5", 12},
      {"tile/0/000 ", 10},
      {std::string("tile/0/000\0", 11), 10},
      {"tile/0/000/.p/5", 10},
      {"tile/entries", 12},
      {"tile/entrie/000", 11},
      {"tile/entries//000", 13},
      {"tile/entries/x000/000", 13},
      {"tile/entries/000.p/256", 19},
      {"tile/entries/0/000", 14},
  };
  for (const auto& [path, offset] : kBad) {
    auto parsed = ParseTilePath(path);
    ASSERT_FALSE(parsed.ok()) << "accepted \"" << path << "\"";
    EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument) << path;
    EXPECT_EQ(parsed.status().where(), "offset " + std::to_string(offset))
        << path << ": " << parsed.status().message();
  }
}

TEST(TileShape, HighLevelsAndLargeSizes) {
  const uint64_t kMax = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(HashesAtTileLevel(0, kMax), kMax);
  EXPECT_EQ(HashesAtTileLevel(7, kMax), 255u);
  EXPECT_EQ(HashesAtTileLevel(8, kMax), 0u);
  EXPECT_EQ(HashesAtTileLevel(63, kMax), 0u);
  EXPECT_EQ(TileWidthAt(7, 0, kMax), 255u);
  EXPECT_EQ(TileWidthAt(0, kMax / 256, kMax), 255u);
  EXPECT_EQ(TileWidthAt(0, kMax, kMax), 0u);
  EXPECT_EQ(TileWidthAt(0, 0, 0), 0u);  // the empty tree has no tiles
}

TEST(EntryBundle, RejectsTruncationWithEntryAndOffset) {
  const std::pair<std::string, std::string> kBad[] = {
      {std::string("", 0), "offset 0"},
      {std::string("\x00", 1), "entry 0, offset 0"},
      {std::string("\x00\x05" "abcd", 6), "entry 0, offset 0"},
      {std::string("\x00\x03one\x00", 6), "entry 1, offset 5"},
      {std::string("\x00\x03one\x01\x00two", 10), "entry 1, offset 5"},
      {std::string("\x00\x03one\xff\xff", 7), "entry 1, offset 5"},
  };
  for (const auto& [bundle, where] : kBad) {
    auto parsed = ParseEntryBundle(AsBytes(bundle));
    ASSERT_FALSE(parsed.ok()) << where;
    EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument) << where;
    EXPECT_EQ(parsed.status().where(), where) << parsed.status().message();
  }
}

TEST(EntryBundle, HoldsAtMost256Entries) {
  Bytes bundle;
  for (int i = 0; i < 256; ++i) ASSERT_TRUE(AppendBundleEntry(bundle, AsBytes("e")).ok());
  auto full = ParseEntryBundle(bundle);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_EQ(full->size(), 256u);
  ASSERT_TRUE(AppendBundleEntry(bundle, AsBytes("e")).ok());
  auto over = ParseEntryBundle(bundle);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().where(), "entry 256, offset 768");
}

TEST(EntryBundle, AppendRejectsEmptyAndOversizedEntries) {
  Bytes bundle = {0x00, 0x01, 'x'};
  const Bytes before = bundle;
  EXPECT_EQ(AppendBundleEntry(bundle, {}).code(), Code::kInvalidArgument);
  EXPECT_EQ(AppendBundleEntry(bundle, Bytes(kMaxEntrySize + 1, 'a')).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(bundle, before);
  ASSERT_TRUE(AppendBundleEntry(bundle, Bytes(kMaxEntrySize, 'a')).ok());
  ASSERT_EQ(bundle.size(), 3 + 2 + kMaxEntrySize);
  EXPECT_EQ(bundle[3], 0xff);
  EXPECT_EQ(bundle[4], 0xff);
  auto parsed = ParseEntryBundle(bundle);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[1].size(), kMaxEntrySize);
}

TEST(EntryBundle, ParseAcceptsZeroLengthRecords) {
  const Bytes bundle = {0x00, 0x00, 0x00, 0x01, 'z'};
  auto parsed = ParseEntryBundle(bundle);  // views into `bundle`
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_TRUE((*parsed)[0].empty());
  EXPECT_EQ(AsChars((*parsed)[1]), "z");
}

}  // namespace
}  // namespace pathbridge::ledger
