// The Merkle log over a real SQLite file: sequencing, dedup, integration,
// checkpoints, proofs, restart recovery, bad input and fsck.
#include "ledger/log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <fstream>
#include <thread>

#include "ledger/fsck.h"
#include "ledger/ledger_dir.h"
#include "ledger/sqlite_storage.h"
#include "ledger/verifier.h"
#include "tests/testing/forwarding_storage.h"
#include "tests/testing/test_util.h"

namespace pathbridge::ledger {
namespace {

using testing::TempDir;

std::string EntryText(uint64_t i) { return "entry number " + std::to_string(i); }

// MTH straight from RFC 9162's recursive definition.
Hash ReferenceRoot(const std::vector<Hash>& leaves, size_t begin, size_t end) {
  if (end - begin == 1) return leaves[begin];
  size_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  return ThreadHasher().Node(ReferenceRoot(leaves, begin, begin + k),
                             ReferenceRoot(leaves, begin + k, end));
}

LogOptions FastOptions() {
  LogOptions o;
  o.checkpoint_interval = std::chrono::milliseconds(5);
  return o;
}

class LogTest : public ::testing::Test {
 protected:
  void Open() {
    auto log = OpenLedger(dir_.path(), "test.example/log", FastOptions());
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    log_ = std::move(*log);
  }
  void Reopen() {
    log_.reset();
    Open();
  }
  std::vector<Hash> AppendMany(uint64_t n) {
    std::vector<Hash> leaves;
    for (uint64_t i = 0; i < n; ++i) {
      auto r = log_->Append(AsBytes(EntryText(i)));
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->index, i);
      leaves.push_back(r->leaf_hash);
    }
    return leaves;
  }

  TempDir dir_;
  std::unique_ptr<Log> log_;
};

TEST_F(LogTest, NewLogHasSignedEmptyCheckpoint) {
  Open();
  auto cp = log_->LatestCheckpoint();
  EXPECT_EQ(cp->size, 0u);
  EXPECT_EQ(cp->root, Hasher::EmptyRoot());
  auto v = VerifyCheckpoint(cp->note, log_->verifier());
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->checkpoint.origin, "test.example/log");
}

TEST_F(LogTest, AppendsIntegrateAcrossTileBoundaries) {
  Open();
  const uint64_t n = 256 * 256 + 300;  // a full level-1 tile and partial tiles on 3 levels
  std::vector<Hash> leaves;
  std::vector<std::string> texts;
  for (uint64_t i = 0; i < n; ++i) texts.push_back(EntryText(i));
  // Append asynchronously so batches are large, as under load.
  std::atomic<uint64_t> done{0};
  for (uint64_t i = 0; i < n; ++i)
    log_->AppendAsync(Bytes(texts[i].begin(), texts[i].end()), "",
                      [&done, i](Result<AppendResult> r) {
                        EXPECT_TRUE(r.ok());
                        EXPECT_EQ(r->index, i);
                        done.fetch_add(1);
                      });
  while (done.load() < n) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  for (const auto& t : texts) leaves.push_back(ThreadHasher().Leaf(AsBytes(t)));
  EXPECT_EQ(log_->Size(), n);
  for (uint64_t size : {1ul, 2ul, 255ul, 256ul, 257ul, 65535ul, 65536ul, 65537ul, n}) {
    auto root = log_->RootAt(size);
    ASSERT_TRUE(root.ok()) << size;
    EXPECT_EQ(*root, ReferenceRoot(leaves, 0, size)) << "size " << size;
  }
  auto cp = log_->AwaitCheckpoint(n, std::chrono::seconds(5));
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ((*cp)->root, ReferenceRoot(leaves, 0, n));
  // Level-1 tile 0 holds the roots of the 256 full level-0 tiles.
  auto tile = log_->ReadTile(*ParseTilePath("tile/1/000"));
  ASSERT_TRUE(tile.ok()) << tile.status().ToString();
  ASSERT_EQ(tile->size(), 256u * 32);
  for (int t = 0; t < 256; t += 51) {
    Hash expect = ReferenceRoot(leaves, t * 256, t * 256 + 256);
    EXPECT_TRUE(std::equal(expect.begin(), expect.end(), tile->begin() + t * 32)) << t;
  }
  // Partial tiles: width and content.
  auto partial = log_->ReadTile(*ParseTilePath("tile/0/256.p/44"));
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->size(), 44u * 32);
  EXPECT_TRUE(std::equal(leaves[65536].begin(), leaves[65536].end(), partial->begin()));
  EXPECT_EQ(log_->ReadTile(*ParseTilePath("tile/0/257")).status().code(), Code::kNotFound);
  EXPECT_EQ(log_->ReadTile(*ParseTilePath("tile/0/257.p/45")).status().code(), Code::kNotFound);
  EXPECT_EQ(log_->ReadTile(*ParseTilePath("tile/2/000")).status().code(), Code::kNotFound);
  auto bundle = log_->ReadTile(*ParseTilePath("tile/entries/256.p/44"));
  ASSERT_TRUE(bundle.ok());
  auto entries = ParseEntryBundle(*bundle);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 44u);
  EXPECT_EQ(AsChars((*entries)[3]), EntryText(65539));
}

TEST_F(LogTest, ProofsVerifyAgainstPublishedCheckpoints) {
  Open();
  auto leaves = AppendMany(700);
  auto cp = log_->AwaitCheckpoint(700, std::chrono::seconds(5));
  ASSERT_TRUE(cp.ok());
  for (uint64_t size : {1u, 7u, 256u, 513u, 700u}) {
    Hash root = *log_->RootAt(size);
    for (uint64_t i = 0; i < size; i += 37) {
      auto proof = log_->InclusionProof(i, size);
      ASSERT_TRUE(proof.ok());
      EXPECT_TRUE(VerifyInclusion(i, size, leaves[i], *proof, root).ok()) << i << "/" << size;
    }
    auto cproof = log_->ConsistencyProof(size, 700);
    ASSERT_TRUE(cproof.ok());
    EXPECT_TRUE(VerifyConsistency(size, 700, root, (*cp)->root, *cproof).ok()) << size;
  }
  EXPECT_FALSE(log_->InclusionProof(700, 700).ok());
  EXPECT_FALSE(log_->InclusionProof(0, 701).ok());
  EXPECT_FALSE(log_->ConsistencyProof(0, 700).ok());
  EXPECT_FALSE(log_->ConsistencyProof(10, 701).ok());
}

TEST_F(LogTest, DuplicatesReturnTheExistingIndexAcrossRestarts) {
  Open();
  AppendMany(300);
  auto again = log_->Append(AsBytes(EntryText(17)));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->index, 17u);
  EXPECT_TRUE(again->duplicate);
  auto keyed = log_->Append(AsBytes(std::string("credential A")), "urn:uuid:1");
  ASSERT_TRUE(keyed.ok());
  EXPECT_EQ(keyed->index, 300u);
  Reopen();
  EXPECT_EQ(log_->Size(), 301u);
  auto dup = log_->Append(AsBytes(EntryText(299)));
  EXPECT_EQ(dup->index, 299u);
  EXPECT_TRUE(dup->duplicate);
  // Same identity key, other bytes: the existing index, not a second one.
  auto by_key = log_->Append(AsBytes(std::string("credential A, edited")), "urn:uuid:1");
  ASSERT_TRUE(by_key.ok());
  EXPECT_EQ(by_key->index, 300u);
  EXPECT_TRUE(by_key->duplicate);
  EXPECT_EQ(log_->Size(), 301u);
}

TEST_F(LogTest, DuplicatesWithinOneBatchShareAnIndex) {
  Open();
  std::atomic<int> done{0};
  std::vector<uint64_t> idx(50);
  for (int i = 0; i < 50; ++i)
    log_->AppendAsync(Bytes{'x', static_cast<uint8_t>('0' + i % 5)}, "",
                      [&, i](Result<AppendResult> r) {
                        idx[i] = r->index;
                        done++;
                      });
  while (done < 50) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(log_->Size(), 5u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(idx[i], idx[i % 5]);
}

TEST_F(LogTest, ConcurrentWritersGetDistinctDurableIndices) {
  Open();
  constexpr int kThreads = 8, kEach = 400;
  std::vector<std::thread> threads;
  std::vector<std::vector<uint64_t>> got(kThreads);
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = log_->Append(AsBytes(EntryText(t * kEach + i)));
        ASSERT_TRUE(r.ok());
        got[t].push_back(r->index);
      }
    });
  for (auto& th : threads) th.join();
  std::set<uint64_t> all;
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kEach; ++i) {
      all.insert(got[t][i]);
      EXPECT_EQ(AsChars(*log_->ReadEntry(got[t][i])), EntryText(t * kEach + i));
    }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*all.rbegin(), static_cast<uint64_t>(kThreads * kEach - 1));
}

TEST_F(LogTest, RejectsBadEntriesWithoutAppending) {
  Open();
  AppendMany(3);
  auto empty = log_->Append(ByteSpan());
  EXPECT_EQ(empty.status().code(), Code::kInvalidArgument);
  Bytes big(kMaxEntrySize + 1, 'a');
  auto too_big = log_->Append(big);
  EXPECT_EQ(too_big.status().code(), Code::kResourceExhausted);
  EXPECT_NE(too_big.status().message().find("65535"), std::string::npos);
  Bytes max(kMaxEntrySize, 'b');
  auto ok = log_->Append(max);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(log_->ReadEntry(ok->index)->size(), kMaxEntrySize);
  EXPECT_EQ(log_->Size(), 4u);
}

TEST_F(LogTest, RestartKeepsTreeAndStaysConsistent) {
  Open();
  AppendMany(1000);
  auto before = log_->AwaitCheckpoint(1000, std::chrono::seconds(5));
  ASSERT_TRUE(before.ok());
  std::string old_note = (*before)->note;
  Reopen();
  EXPECT_EQ(log_->Size(), 1000u);
  EXPECT_EQ(log_->LatestCheckpoint()->note, old_note);  // deterministic Ed25519
  auto more = log_->Append(AsBytes(std::string("after restart")));
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more->index, 1000u);
  auto after = log_->AwaitCheckpoint(1001, std::chrono::seconds(5));
  ASSERT_TRUE(after.ok());
  auto proof = log_->ConsistencyProof(1000, 1001);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(VerifyCheckpointConsistency(old_note, (*after)->note, *proof, log_->verifier()).ok());
}

TEST_F(LogTest, OneWriterPerLedger) {
  Open();
  auto second = OpenLedger(dir_.path());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("another process"), std::string::npos);
}

TEST_F(LogTest, ProofFileVerifiesOffline) {
  Open();
  AppendMany(20);
  auto cp = log_->AwaitCheckpoint(20, std::chrono::seconds(5));
  ProofFile file;
  file.index = 11;
  file.extra = *log_->ReadEntry(11);
  file.proof = *log_->InclusionProof(11, (*cp)->size);
  file.checkpoint = (*cp)->note;
  std::string text = FormatProofFile(file);
  auto v = VerifyProofFile(text, log_->verifier());
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->index, 11u);
  // Another entry's bytes, a wrong index, or another key: rejected.
  std::string other = EntryText(12);
  EXPECT_FALSE(VerifyProofFile(text, log_->verifier(), {}, AsBytes(other)).ok());
  std::string wrong_index = text;
  wrong_index.replace(wrong_index.find("index 11"), 8, "index 12");
  EXPECT_FALSE(VerifyProofFile(wrong_index, log_->verifier()).ok());
  auto stranger = NoteSigner::Generate("test.example/log");
  EXPECT_FALSE(VerifyProofFile(text, stranger->verifier()).ok());
}

TEST_F(LogTest, FsckPassesThenFindsCorruption) {
  Open();
  AppendMany(600);
  log_->AwaitCheckpoint(600, std::chrono::seconds(5)).ok();
  auto verifier = log_->verifier();
  log_.reset();
  auto paths = PathsFor(dir_.path());
  {
    auto storage = OpenLedgerStorageForReading(dir_.path());
    ASSERT_TRUE(storage.ok());
    auto report = Fsck(**storage, verifier);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_EQ(report->entries, 600u);
    EXPECT_GE(report->checkpoints, 1u);
  }
  // Flip one byte of a stored level-0 tile row 3 (a hash inside the tile).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(paths.db.c_str(), &db), SQLITE_OK);
  const char* sql =
      "UPDATE tiles SET nodes = substr(nodes, 1, 14853) || x'ff' || substr(nodes, 14855) "
      "WHERE id = 1";
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto storage = OpenLedgerStorageForReading(dir_.path());
  auto report = Fsck(**storage, verifier);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Code::kCorruption);
  EXPECT_EQ(report.status().where(), "tile 0/1 row 3 slot 16");
}

TEST_F(LogTest, DamagedDatabaseIsAClearError) {
  auto paths = PathsFor(dir_.path());
  std::filesystem::create_directories(paths.dir);
  {
    std::ofstream junk(paths.db);
    junk << std::string(8192, 'J');
  }
  auto log = OpenLedger(dir_.path());
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), Code::kCorruption);
  EXPECT_NE(log.status().ToString().find("log.db"), std::string::npos);
}

}  // namespace
}  // namespace pathbridge::ledger

namespace pathbridge::ledger {
namespace {

// Storage whose commits can be made to fail, as a full or broken disk would.
class FlakyStorage final : public testing::ForwardingStorage {
 public:
  using ForwardingStorage::ForwardingStorage;
  std::atomic<bool> fail{false};

  Status Commit(const StorageBatch& batch) override {
    if (fail) return IoError("disk full (injected)", "test");
    return ForwardingStorage::Commit(batch);
  }
};

TEST(LogObserver, EveryQueuedAppendReportsItsTimeToTheAnswer) {
  testing::TempDir dir;
  std::atomic<int> answered{0};
  LogOptions options = FastOptions();
  options.on_answered = [&answered](std::chrono::steady_clock::duration d) {
    EXPECT_GE(d.count(), 0);
    ++answered;
  };
  auto log = OpenLedger(dir.path(), "test.example/observed", options);
  ASSERT_TRUE(log.ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE((*log)->Append(AsBytes(EntryText(i))).ok());
  ASSERT_TRUE((*log)->Append(AsBytes(EntryText(0))).ok());  // a duplicate is answered too
  EXPECT_FALSE((*log)->Append(ByteSpan{}).ok());           // refused up front: never queued
  ASSERT_TRUE((*log)->Close().ok());  // the completion thread has run every callback
  EXPECT_EQ(answered, 6);
  EXPECT_FALSE((*log)->Appendable());
}

TEST(LogFailure, AFailedCommitAppendsNothingAndTheLogGoesOn) {
  testing::TempDir dir;
  auto sqlite = SqliteStorage::Open(dir.path() / "log.db");
  ASSERT_TRUE(sqlite.ok());
  auto flaky_owned = std::make_unique<FlakyStorage>(std::move(*sqlite));
  FlakyStorage* flaky = flaky_owned.get();
  auto signer = NoteSigner::Generate("test.example/flaky");
  ASSERT_TRUE(signer.ok());
  NoteVerifier verifier = signer->verifier();
  auto log = Log::Open(std::move(flaky_owned), std::move(*signer), FastOptions());
  ASSERT_TRUE(log.ok());
  for (int i = 0; i < 300; ++i) ASSERT_TRUE((*log)->Append(AsBytes(EntryText(i))).ok());
  Hash root_before = *(*log)->RootAt(300);

  EXPECT_TRUE((*log)->Appendable());
  flaky->fail = true;
  auto failed = (*log)->Append(AsBytes(std::string("lost")), "urn:uuid:lost");
  ASSERT_FALSE(failed.ok());
  EXPECT_FALSE((*log)->Appendable());  // what readiness reports
  EXPECT_EQ(failed.status().code(), Code::kIoError);
  EXPECT_EQ((*log)->Size(), 300u);
  // Duplicates of durable entries are still answered while commits fail.
  auto dup = (*log)->Append(AsBytes(EntryText(5)));
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->index, 5u);

  flaky->fail = false;
  auto next = (*log)->Append(AsBytes(std::string("after the failure")));
  ASSERT_TRUE(next.ok());
  EXPECT_TRUE((*log)->Appendable());
  EXPECT_EQ(next->index, 300u);  // the failed append took no index
  auto again = (*log)->Append(AsBytes(std::string("lost")), "urn:uuid:lost");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->duplicate);  // its identity was never recorded
  EXPECT_EQ(again->index, 301u);
  auto proof = (*log)->ConsistencyProof(300, 302);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(VerifyConsistency(300, 302, root_before, *(*log)->RootAt(302), *proof).ok());
  ASSERT_TRUE((*log)->Close().ok());
  log->reset();
  SqliteStorage::Options reader;
  reader.writer = false;
  auto stored = SqliteStorage::Open(dir.path() / "log.db", reader);
  ASSERT_TRUE(stored.ok());
  auto report = Fsck(**stored, verifier);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 302u);
}

}  // namespace
}  // namespace pathbridge::ledger
