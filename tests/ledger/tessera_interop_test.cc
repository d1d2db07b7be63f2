// Interoperability with Tessera: given Tessera's published test key and the
// same entries, pathbridge's log must produce byte-identical checkpoints,
// hash tiles and entry bundles to Tessera's real test log in
// shared/vectors/ledger/tessera-testdata-log; and the roots recomputed from
// Tessera's tiles must equal its signed roots.
#include <gtest/gtest.h>

#include "ledger/ledger_dir.h"
#include "ledger/sqlite_storage.h"
#include "tests/testing/test_util.h"

namespace pathbridge::ledger {
namespace {


const char* const kWords[] = {"one",    "two",     "three",    "four",    "five",
                              "six",    "seven",   "eit",      "nain",    "ten",
                              "ileven", "twelf",   "threeten", "fourten", "fivten"};

std::filesystem::path TesseraLog() { return testing::LedgerVectors() / "tessera-testdata-log"; }

std::string TesseraSkey() {
  for (const auto& p : testing::SignedNoteVectors().at("positive").as_array())
    if (p.at("id").as_string() == "tessera-testdata-log-key")
      return std::string(p.at("skey").as_string());
  return "";
}

TEST(TesseraInterop, RootsRecomputedFromTesseraTilesMatchItsCheckpoints) {
  auto signer = NoteSigner::Parse(TesseraSkey());
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  for (uint64_t n = 1; n <= 15; ++n) {
    std::string note = testing::ReadFile(TesseraLog() / ("checkpoint." + std::to_string(n)));
    auto cp = VerifyCheckpoint(note, signer->verifier());
    ASSERT_TRUE(cp.ok()) << n << ": " << cp.status().ToString();
    ASSERT_EQ(cp->checkpoint.size, n);
    std::string tile = testing::ReadFile(TesseraLog() / ("tile/0/000.p/" + std::to_string(n)));
    ASSERT_EQ(tile.size(), 32 * n);
    // Level-0 hashes come from the tile; higher nodes are hashed from them.
    NodeSource nodes = [&](uint32_t level, uint64_t index) -> Result<Hash> {
      std::function<Hash(uint32_t, uint64_t)> node = [&](uint32_t l, uint64_t i) {
        if (l == 0) return *HashFromBytes(AsBytes(std::string_view(tile).substr(32 * i, 32)), "leaf");
        return ThreadHasher().Node(node(l - 1, 2 * i), node(l - 1, 2 * i + 1));
      };
      return node(level, index);
    };
    auto root = RootHash(n, nodes);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(*root, cp->checkpoint.root) << "size " << n;
  }
}

TEST(TesseraInterop, PathbridgeReproducesTesseraByteForByte) {
  testing::TempDir dir;
  auto signer = NoteSigner::Parse(TesseraSkey());
  ASSERT_TRUE(signer.ok());
  auto storage = SqliteStorage::Open(dir.path() / "log.db");
  ASSERT_TRUE(storage.ok());
  LogOptions options;
  options.checkpoint_interval = std::chrono::milliseconds(0);  // sign every batch
  auto log = Log::Open(std::move(*storage), std::move(*signer), options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ((*log)->LatestCheckpoint()->note, testing::ReadFile(TesseraLog() / "checkpoint.0"));
  for (uint64_t n = 1; n <= 15; ++n) {
    auto r = (*log)->Append(AsBytes(kWords[n - 1]));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->index, n - 1);
    auto cp = (*log)->AwaitCheckpoint(n, std::chrono::seconds(10));
    ASSERT_TRUE(cp.ok());
    std::string suffix = std::to_string(n);
    EXPECT_EQ((*cp)->note, testing::ReadFile(TesseraLog() / ("checkpoint." + suffix))) << n;
    auto tile = (*log)->ReadTile(*ParseTilePath("tile/0/000.p/" + suffix));
    ASSERT_TRUE(tile.ok());
    EXPECT_EQ(AsChars(*tile), testing::ReadFile(TesseraLog() / ("tile/0/000.p/" + suffix))) << n;
    auto bundle = (*log)->ReadTile(*ParseTilePath("tile/entries/000.p/" + suffix));
    ASSERT_TRUE(bundle.ok());
    EXPECT_EQ(AsChars(*bundle),
              testing::ReadFile(TesseraLog() / ("tile/entries/000.p/" + suffix)))
        << n;
  }
  EXPECT_EQ((*log)->LatestCheckpoint()->note, testing::ReadFile(TesseraLog() / "checkpoint"));
}

}  // namespace
}  // namespace pathbridge::ledger
