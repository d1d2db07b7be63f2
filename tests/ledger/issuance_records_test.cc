// The issuance records store on a real SQLite file: round trip, batches all
// or nothing in one file with owner-only access, and the per-file records
// of earlier versions still read.
#include "ledger/credentials/issuance_records.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "certs/ed25519.h"
#include "standards/digest.h"
#include "tests/testing/test_util.h"

namespace pathbridge::credentials {
namespace {

namespace fs = std::filesystem;

IssuanceRecord Sample(uint8_t fill, std::optional<uint64_t> index = std::nullopt) {
  IssuanceRecord r{"lakeview", {}, index};
  r.salt.fill(fill);
  return r;
}

TEST(IssuanceRecordsTest, PutGetAndReopen) {
  testing::TempDir dir;
  {
    auto records = IssuanceRecords::Open(dir.path());
    ASSERT_TRUE(records.ok()) << records.status().ToString();
    EXPECT_FALSE((*records)->Get("urn:uuid:a")->has_value());
    ASSERT_TRUE((*records)->Put("urn:uuid:a", Sample(1)).ok());
    ASSERT_TRUE((*records)->PutAll({{"urn:uuid:a", Sample(1, 7)}, {"urn:uuid:b", Sample(2)}}).ok());
  }
  auto records = IssuanceRecords::Open(dir.path());
  ASSERT_TRUE(records.ok());
  auto a = (*records)->Get("urn:uuid:a");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->org, "lakeview");
  EXPECT_EQ((*a)->salt, Sample(1).salt);
  EXPECT_EQ((*a)->ledger_index, 7u);
  auto b = (*records)->Get("urn:uuid:b");
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_FALSE((*b)->ledger_index.has_value());
  struct stat st {};
  ASSERT_EQ(stat((dir.path() / "credentials/issued.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(IssuanceRecordsTest, ReadsTheFilesOfEarlierVersions) {
  testing::TempDir dir;
  DigestValue d = ThreadDigester(HashAlgorithm::kSha256).Hash("urn:uuid:old");
  fs::path file = dir.path() / "credentials/issued" /
                  (Base64UrlEncode(ByteSpan(d.bytes.data(), d.size)) + ".json");
  fs::create_directories(file.parent_path());
  IssuanceRecord want = Sample(9, 3);
  ASSERT_TRUE(certs::WriteSecretFile(file, R"({"org":"lakeview","salt":")" +
                                               Base64UrlEncode(want.salt) + R"(","ledgerIndex":3})")
                  .ok());
  auto records = IssuanceRecords::Open(dir.path());
  ASSERT_TRUE(records.ok());
  auto got = (*records)->Get("urn:uuid:old");
  ASSERT_TRUE(got.ok() && got->has_value()) << got.status().ToString();
  EXPECT_EQ((*got)->salt, want.salt);
  EXPECT_EQ((*got)->ledger_index, 3u);
  testing::WriteFile(file, "{not json");
  EXPECT_EQ((*records)->Get("urn:uuid:old").status().code(), Code::kCorruption);
}

}  // namespace
}  // namespace pathbridge::credentials
