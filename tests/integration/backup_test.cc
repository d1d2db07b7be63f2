// `pathbridge backup` against real data directories: a quiet one, one that
// changes while it is copied, and one a running server holds.
#include "gateway/backup.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <boost/json.hpp>

#include "certs/org_registry.h"
#include "gateway/auth/client_store.h"
#include "ledger/fsck.h"
#include "ledger/hash.h"
#include "ledger/ledger_dir.h"
#include "standards/encoding.h"
#include "tests/testing/http_testing.h"

namespace pathbridge::gateway {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

const Timestamp kNow = ParseRfc3339("2026-11-23T12:00:00Z").value();

unsigned ModeOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

void Append(const fs::path& data, int n, const std::string& tag) {
  auto log = ledger::OpenLedger(data);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  for (int i = 0; i < n; ++i)
    ASSERT_TRUE((*log)->Append(AsBytes(tag + std::to_string(i))).ok());
  ASSERT_TRUE((*log)->Close().ok());
}

// The root fsck recomputes for the ledger under `data`.
std::string LedgerRoot(const fs::path& data, uint64_t* size) {
  auto key = ledger::LoadLogVerifier(data);
  auto storage = ledger::OpenLedgerStorageForReading(data);
  EXPECT_TRUE(key.ok() && storage.ok());
  if (!key.ok() || !storage.ok()) return "";
  auto report = ledger::Fsck(**storage, *key);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  *size = report.ok() ? report->tree_size : 0;
  return report.ok() ? Base64Encode(ledger::AsBytes(report->root)) : "";
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    certs::OrgSpec spec;
    spec.slug = "rcc";
    spec.name = "Riverbend Community College";
    ASSERT_TRUE(certs::AddOrganization(data_, spec, {}, kNow).ok());
    Append(data_, 5, "entry ");
    auth::ClientStoreOptions options;
    options.hash_limits = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    auto clients = auth::ClientStore::Open(data_, options);
    ASSERT_TRUE(clients.ok()) << clients.status().ToString();
    auto added = (*clients)->Add({"rcc", {"translate"}, std::nullopt}, kNow);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    client_id_ = added->client.client_id;
    fs::create_directories(data_ / "tmp" / "http");
    testing::WriteFile(data_ / "tmp" / "http" / "pathbridge-body-1", "a spooled upload");
  }

  TempDir dir_;
  fs::path data_ = dir_.path() / "var";
  fs::path dest_ = dir_.path() / "backup";
  std::string client_id_;
};

TEST_F(BackupTest, AQuietDirectoryIsCopiedWholeAndItsLedgerChecks) {
  auto report = BackupDataDir(data_, dest_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->attempts, 1);
  EXPECT_EQ(report->databases, 2);  // ledger/log.db, clients.db
  EXPECT_EQ(report->ledger_size, 5u);
  uint64_t size = 0;
  EXPECT_EQ(report->ledger_root, LedgerRoot(data_, &size));
  uint64_t copied_size = 0;
  EXPECT_EQ(LedgerRoot(dest_, &copied_size), report->ledger_root);
  EXPECT_EQ(copied_size, 5u);

  // Private, without what is transient.
  EXPECT_EQ(ModeOf(dest_), 0700u);
  EXPECT_EQ(ModeOf(dest_ / "ledger/log.key"), 0600u);
  EXPECT_EQ(ModeOf(dest_ / "orgs/rcc/keys/key-1.key"), 0600u);
  for (const auto& e : fs::recursive_directory_iterator(dest_)) {
    std::string name = e.path().filename().string();
    EXPECT_FALSE(name.ends_with("-wal") || name.ends_with("-shm") || name.ends_with(".lock"))
        << e.path();
  }
  EXPECT_FALSE(fs::exists(dest_ / "tmp"));

  // The copy works as a data directory: its clients and organization.
  auto clients = auth::ClientStore::Open(dest_);
  ASSERT_TRUE(clients.ok()) << clients.status().ToString();
  EXPECT_TRUE((*clients)->Find(client_id_).ok());
  auto org = certs::LoadOrganization(dest_, "rcc");
  ASSERT_TRUE(org.ok()) << org.status().ToString();
  EXPECT_EQ(org->Did(), certs::LoadOrganization(data_, "rcc").value().Did());
  EXPECT_EQ(testing::ReadFile(dest_ / "ledger/log.key"), testing::ReadFile(data_ / "ledger/log.key"));

  auto manifest = testing::ReadJson(dest_ / "backup.json").as_object();
  EXPECT_EQ(manifest.at("ledger").at("size"), 5);
  EXPECT_EQ(testing::Str(manifest.at("ledger").at("root")), report->ledger_root);
}

TEST_F(BackupTest, DataThatChangesDuringTheCopyIsCopiedAgain) {
  BackupOptions options;
  options.retry_delay = std::chrono::milliseconds(1);
  options.after_copy = [this](int attempt) {
    if (attempt == 1) Append(data_, 2, "during the copy ");
  };
  auto report = BackupDataDir(data_, dest_, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->attempts, 2);
  EXPECT_EQ(report->ledger_size, 7u);

  // Changing on every attempt: refused, and nothing is left behind.
  fs::path other = dir_.path() / "other";
  options.attempts = 3;
  options.after_copy = [this](int attempt) {
    testing::WriteFile(data_ / "orgs" / "note.txt", std::to_string(attempt));
  };
  auto busy = BackupDataDir(data_, other, options);
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.status().code(), Code::kUnavailable);
  EXPECT_FALSE(fs::exists(other));
  for (const auto& e : fs::directory_iterator(dir_.path()))
    EXPECT_EQ(e.path().filename().string().find(".partial-"), std::string::npos) << e.path();
}

TEST_F(BackupTest, AnExistingOrInnerDestinationOrAMissingSourceIsRefused) {
  fs::create_directories(dest_);
  EXPECT_EQ(BackupDataDir(data_, dest_).status().code(), Code::kAlreadyExists);
  EXPECT_TRUE(fs::is_empty(dest_));
  EXPECT_EQ(BackupDataDir(dir_.path() / "missing", dir_.path() / "b2").status().code(),
            Code::kNotFound);
  for (const fs::path& inside : {data_ / "backup", data_ / "ledger" / ".." / "b3", data_ / "tmp" / "b4"}) {
    EXPECT_EQ(BackupDataDir(data_, inside).status().code(), Code::kInvalidArgument) << inside;
    EXPECT_FALSE(fs::exists(inside)) << inside;
  }
}

// The command, while `pathbridge serve` holds the data directory: the
// ledger in the copy has what the server had logged.
TEST(BackupCommandTest, CopiesTheDataOfARunningServer) {
  TempDir dir;
  std::string data = (dir.path() / "var").string();
  testing::ServeProcess serve("--plain --listen 127.0.0.1:0 --dev-loopback-admin --data " + data,
                              dir.path() / "serve.out");
  std::string base = serve.BaseUrl();
  ASSERT_FALSE(base.empty()) << serve.Output();
  testing::HttpClient client(static_cast<uint16_t>(std::stoi(base.substr(base.rfind(':') + 1))));
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(client.Send(boost::beast::http::verb::post, "/ledger/entries", "entry " + std::to_string(i))
                  .status(),
              201);
  fs::path dest = dir.path() / "backup";
  auto run = testing::RunPathbridge("backup --data " + data + " " + dest.string());
  ASSERT_EQ(run.exit_code, 0) << run.out;
  auto out = boost::json::parse(run.out).as_object();
  EXPECT_EQ(out.at("ledgerSize"), 4);
  uint64_t size = 0;
  EXPECT_EQ(LedgerRoot(dest, &size), testing::Str(out.at("ledgerRoot")));

  auto again = testing::RunPathbridge("backup --data " + data + " " + dest.string());
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_NE(again.out.find("already exists"), std::string::npos) << again.out;
}

}  // namespace
}  // namespace pathbridge::gateway
