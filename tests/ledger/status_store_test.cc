#include "ledger/credentials/status_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "ledger/sqlite_storage.h"
#include "tests/testing/test_util.h"

namespace pathbridge::credentials {
namespace {

constexpr std::string_view kBase = "https://localhost:8443/status";
constexpr StatusPurpose kBoth[] = {StatusPurpose::kRevocation, StatusPurpose::kSuspension};
constexpr StatusPurpose kRevocationOnly[] = {StatusPurpose::kRevocation};

class StatusStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path DbPath() const { return StatusStorePath(dir_.path()); }

  std::unique_ptr<StatusStore> Open(uint32_t entries_per_list = kMinimumListBits) {
    StatusStoreOptions options;
    options.entries_per_list = entries_per_list;
    auto store = StatusStore::Open(DbPath(), options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  static std::vector<StatusAllocation> Allocate(StatusStore& store, const std::string& id,
                                                std::span<const StatusPurpose> purposes = kBoth,
                                                std::string_view org = "acme") {
    auto a = store.Allocate(id, org, purposes, kBase);
    EXPECT_TRUE(a.ok()) << id << ": " << a.status().ToString();
    return a.ok() ? *a : std::vector<StatusAllocation>{};
  }

  static void ExpectRefused(const Result<StatusChange>& r, Code code, const std::string& message) {
    ASSERT_FALSE(r.ok()) << "expected: " << message;
    EXPECT_EQ(r.status().code(), code);
    EXPECT_EQ(r.status().message(), message);
  }

  testing::TempDir dir_;
};

TEST_F(StatusStoreTest, LivesUnderTheDataDirectory) {
  EXPECT_EQ(DbPath(), dir_.path() / "credentials" / "status.db");
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_TRUE(std::filesystem::exists(DbPath()));
  const auto perms = std::filesystem::status(DbPath().parent_path()).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_all);
}

TEST_F(StatusStoreTest, AllocatesOnePositionPerPurpose) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto a = Allocate(*store, "urn:uuid:7d1f0a3c-0000-4000-8000-000000000001");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].purpose, StatusPurpose::kRevocation);
  EXPECT_EQ(a[0].list_url, "https://localhost:8443/status/acme/revocation/1");
  EXPECT_EQ(a[1].purpose, StatusPurpose::kSuspension);
  EXPECT_EQ(a[1].list_url, "https://localhost:8443/status/acme/suspension/1");
  for (const auto& x : a) {
    EXPECT_LT(x.index, kMinimumListBits);
    EXPECT_FALSE(x.set);
  }
  auto found = store->Lookup("urn:uuid:7d1f0a3c-0000-4000-8000-000000000001");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].index, a[0].index);
  EXPECT_EQ((*found)[1].index, a[1].index);
  EXPECT_EQ(store->Lookup("urn:uuid:unknown").status().code(), Code::kNotFound);
}

TEST_F(StatusStoreTest, SameCredentialTwiceIsRefused) {
  auto store = Open();
  ASSERT_TRUE(store);
  Allocate(*store, "cred-1", kRevocationOnly);
  for (auto purposes : {std::span<const StatusPurpose>(kBoth),
                        std::span<const StatusPurpose>(kRevocationOnly)}) {
    auto again = store->Allocate("cred-1", "acme", purposes, kBase);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  }
  auto found = store->Lookup("cred-1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 1u);  // the refused call added nothing
}

TEST_F(StatusStoreTest, RefusesBadArguments) {
  auto store = Open();
  ASSERT_TRUE(store);
  const StatusPurpose refresh[] = {StatusPurpose::kRefresh};
  const StatusPurpose twice[] = {StatusPurpose::kRevocation, StatusPurpose::kRevocation};
  struct Case {
    std::string id, org;
    std::span<const StatusPurpose> purposes;
    std::string base;
  } cases[] = {
      {"", "acme", kBoth, std::string(kBase)},
      {std::string(3000, 'x'), "acme", kBoth, std::string(kBase)},
      {"c", "", kBoth, std::string(kBase)},
      {"c", "ac/me", kBoth, std::string(kBase)},
      {"c", "..", kBoth, std::string(kBase)},
      {"c", "acme", {}, std::string(kBase)},
      {"c", "acme", refresh, std::string(kBase)},
      {"c", "acme", twice, std::string(kBase)},
      {"c", "acme", kBoth, ""},
      {"c", "acme", kBoth, std::string(kBase) + "/"},
  };
  for (const Case& c : cases) {
    auto r = store->Allocate(c.id, c.org, c.purposes, c.base);
    ASSERT_FALSE(r.ok()) << c.org << " " << c.base;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  }
  EXPECT_EQ(store->Lookup("c").status().code(), Code::kNotFound);
}

TEST_F(StatusStoreTest, PositionsAreUniqueAndListsRollOver) {
  auto store = Open(/*entries_per_list=*/64);
  ASSERT_TRUE(store);
  std::map<std::string, std::set<uint64_t>> used;
  for (int i = 0; i < 200; ++i)
    for (const auto& a : Allocate(*store, "cred-" + std::to_string(i), kRevocationOnly)) {
      EXPECT_LT(a.index, 64u);
      EXPECT_TRUE(used[a.list_url].insert(a.index).second) << a.list_url << " #" << a.index;
    }
  ASSERT_EQ(used.size(), 4u);  // 64 + 64 + 64 + 8
  for (int n = 1; n <= 3; ++n)
    EXPECT_EQ(used[std::string(kBase) + "/acme/revocation/" + std::to_string(n)].size(), 64u);
  EXPECT_EQ(used["https://localhost:8443/status/acme/revocation/4"].size(), 8u);
}

// A batch (one transcript's credentials) in one transaction: positions are
// unique across the batch, lists roll over inside it, and a batch with one
// refused id allocates nothing.
TEST_F(StatusStoreTest, AllocateAllIsOneUnit) {
  auto store = Open(/*entries_per_list=*/64);
  ASSERT_TRUE(store);
  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i) ids.push_back("batch-" + std::to_string(i));
  auto all = store->AllocateAll(ids, "acme", kRevocationOnly, kBase);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), ids.size());
  std::map<std::string, std::set<uint64_t>> used;
  for (size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ((*all)[i].size(), 1u);
    const StatusAllocation& a = (*all)[i][0];
    EXPECT_TRUE(used[a.list_url].insert(a.index).second) << a.list_url << " #" << a.index;
    auto found = store->Lookup(ids[i]);
    ASSERT_TRUE(found.ok());
    EXPECT_EQ((*found)[0].index, a.index);
    EXPECT_EQ((*found)[0].list_url, a.list_url);
  }
  EXPECT_EQ(used.size(), 2u);  // 64 + 36
  // The next single allocation continues the second list.
  EXPECT_EQ(Allocate(*store, "after", kRevocationOnly)[0].list_url,
            std::string(kBase) + "/acme/revocation/2");

  std::vector<std::string> refused = {"new-1", "batch-7", "new-2"};
  auto again = store->AllocateAll(refused, "acme", kRevocationOnly, kBase);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(again.status().where(), "batch-7");
  EXPECT_EQ(store->Lookup("new-1").status().code(), Code::kNotFound);  // rolled back
  EXPECT_EQ(store->Lookup("new-2").status().code(), Code::kNotFound);
}

TEST_F(StatusStoreTest, PositionsAreNotHandedOutInOrder) {
  auto store = Open();
  ASSERT_TRUE(store);
  std::vector<uint64_t> indexes;
  for (int i = 0; i < 16; ++i)
    indexes.push_back(Allocate(*store, "c" + std::to_string(i), kRevocationOnly)[0].index);
  // Random positions: sixteen in a row (or sorted, or all in the first
  // 1,024) would give the issuance order and count away.
  EXPECT_FALSE(std::is_sorted(indexes.begin(), indexes.end()));
  EXPECT_GT(*std::max_element(indexes.begin(), indexes.end()), 1024u);
}

TEST_F(StatusStoreTest, SeriesAreSeparatePerOrganization) {
  auto store = Open(4);
  ASSERT_TRUE(store);
  for (int i = 0; i < 5; ++i) {
    Allocate(*store, "a" + std::to_string(i), kRevocationOnly, "acme");
    Allocate(*store, "b" + std::to_string(i), kRevocationOnly, "beta-org");
  }
  EXPECT_EQ((*store->Lookup("a4"))[0].list_url, "https://localhost:8443/status/acme/revocation/2");
  EXPECT_EQ((*store->Lookup("b4"))[0].list_url,
            "https://localhost:8443/status/beta-org/revocation/2");
}

TEST_F(StatusStoreTest, ConcurrentAllocationsNeverCollide) {
  auto store = Open(32);
  ASSERT_TRUE(store);
  std::vector<std::thread> threads;
  std::vector<std::vector<StatusAllocation>> got(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        auto a = store->Allocate("t" + std::to_string(t) + "-" + std::to_string(i), "acme",
                                 kRevocationOnly, kBase);
        if (a.ok()) got[t].push_back((*a)[0]);
      }
    });
  for (auto& th : threads) th.join();
  std::set<std::pair<std::string, uint64_t>> seen;
  for (const auto& list : got) {
    EXPECT_EQ(list.size(), 20u);
    for (const auto& a : list) EXPECT_TRUE(seen.insert({a.list_url, a.index}).second);
  }
  EXPECT_EQ(seen.size(), 80u);
}

TEST_F(StatusStoreTest, PersistsAcrossReopen) {
  std::vector<StatusAllocation> first;
  {
    auto store = Open(64);
    ASSERT_TRUE(store);
    first = Allocate(*store, "kept");
    for (int i = 0; i < 29; ++i) Allocate(*store, "fill-" + std::to_string(i), kRevocationOnly);
    ASSERT_TRUE(store->Revoke("kept").ok());
  }
  // A different size now applies to new lists only.
  auto store = Open(1000);
  ASSERT_TRUE(store);
  auto found = store->Lookup("kept");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].index, first[0].index);
  EXPECT_TRUE((*found)[0].set);
  EXPECT_FALSE((*found)[1].set);
  // The reopened store continues the 64-entry list: 30 used, 34 left.
  std::set<uint64_t> list1 = {first[0].index};
  for (int i = 0; i < 29; ++i) list1.insert((*store->Lookup("fill-" + std::to_string(i)))[0].index);
  int in_list2 = 0;
  for (int i = 0; i < 40; ++i) {
    auto a = Allocate(*store, "more-" + std::to_string(i), kRevocationOnly)[0];
    if (a.list_url.ends_with("/revocation/1")) {
      EXPECT_TRUE(list1.insert(a.index).second) << a.index;
    } else {
      EXPECT_EQ(a.list_url, "https://localhost:8443/status/acme/revocation/2");
      EXPECT_LT(a.index, 1000u);
      ++in_list2;
    }
  }
  EXPECT_EQ(list1.size(), 64u);
  EXPECT_EQ(in_list2, 6);
  auto list = store->GetList("acme", StatusPurpose::kRevocation, 1);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->bits.Get(first[0].index));
  EXPECT_EQ(list->bits.CountSet(), 1u);
}

TEST_F(StatusStoreTest, RevocationIsFinal) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto a = Allocate(*store, "cred");
  auto revoked = store->Revoke("cred");
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->list_url, a[0].list_url);
  EXPECT_EQ(revoked->index, a[0].index);
  EXPECT_EQ(revoked->purpose, StatusPurpose::kRevocation);
  EXPECT_TRUE(revoked->value);
  EXPECT_EQ(revoked->seq, 1u);
  const auto now = std::chrono::system_clock::now();
  EXPECT_LE(revoked->time, now);
  EXPECT_GT(revoked->time, now - std::chrono::minutes(1));

  ExpectRefused(store->Revoke("cred"), Code::kFailedPrecondition,
                "the credential is already revoked");
  ExpectRefused(store->Suspend("cred"), Code::kFailedPrecondition,
                "the credential is revoked, and revocation is final");
  ExpectRefused(store->Reinstate("cred"), Code::kFailedPrecondition,
                "the credential is revoked, and revocation is final");
}

TEST_F(StatusStoreTest, SuspensionIsReversibleUntilRevoked) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto a = Allocate(*store, "cred");
  ExpectRefused(store->Reinstate("cred"), Code::kFailedPrecondition,
                "the credential is not suspended");
  auto suspended = store->Suspend("cred");
  ASSERT_TRUE(suspended.ok()) << suspended.status().ToString();
  EXPECT_EQ(suspended->purpose, StatusPurpose::kSuspension);
  EXPECT_EQ(suspended->list_url, a[1].list_url);
  EXPECT_EQ(suspended->index, a[1].index);
  EXPECT_TRUE(suspended->value);
  ExpectRefused(store->Suspend("cred"), Code::kFailedPrecondition,
                "the credential is already suspended");
  auto reinstated = store->Reinstate("cred");
  ASSERT_TRUE(reinstated.ok());
  EXPECT_FALSE(reinstated->value);
  EXPECT_EQ(reinstated->seq, suspended->seq + 1);
  ASSERT_TRUE(store->Suspend("cred").ok());
  ASSERT_TRUE(store->Revoke("cred").ok());  // a suspended credential can be revoked
  ExpectRefused(store->Reinstate("cred"), Code::kFailedPrecondition,
                "the credential is revoked, and revocation is final");
}

TEST_F(StatusStoreTest, ChangesNeedAPositionForThatPurpose) {
  auto store = Open();
  ASSERT_TRUE(store);
  Allocate(*store, "revocable", kRevocationOnly);
  const StatusPurpose suspension_only[] = {StatusPurpose::kSuspension};
  Allocate(*store, "suspendable", suspension_only);
  ExpectRefused(store->Suspend("revocable"), Code::kFailedPrecondition,
                "the credential was issued without a suspension position");
  ExpectRefused(store->Revoke("suspendable"), Code::kFailedPrecondition,
                "the credential was issued without a revocation position");
  ExpectRefused(store->Revoke("nobody"), Code::kNotFound,
                "no status list positions for this credential");
}

TEST_F(StatusStoreTest, ListsShowTheCurrentBits) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto a = Allocate(*store, "cred");
  Allocate(*store, "other");
  auto before = store->GetList("acme", StatusPurpose::kSuspension, 1);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->list_url, a[1].list_url);
  EXPECT_EQ(before->bits.size(), kMinimumListBits);
  EXPECT_EQ(before->bits.CountSet(), 0u);
  EXPECT_EQ(before->last_change_seq, 0u);

  auto change = store->Suspend("cred");
  ASSERT_TRUE(change.ok());
  auto after = store->GetList("acme", StatusPurpose::kSuspension, 1);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->bits.Get(a[1].index));
  EXPECT_EQ(after->bits.CountSet(), 1u);
  EXPECT_EQ(after->last_change_seq, change->seq);

  // What a verifier sees: the published list and the credential's entry.
  StatusListCredentialInfo info{after->list_url, "did:example:hub",
                                std::chrono::sys_seconds{std::chrono::seconds{1700000000}},
                                std::nullopt, StatusPurpose::kSuspension};
  auto vc = BuildStatusListCredential(info, after->bits);
  ASSERT_TRUE(vc.ok());
  auto check = CheckStatus(BuildStatusListEntry(a[1].list_url, a[1].index, a[1].purpose), *vc);
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_FALSE(check->valid);

  ASSERT_TRUE(store->Reinstate("cred").ok());
  auto cleared = store->GetList("acme", StatusPurpose::kSuspension, 1);
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(cleared->bits.CountSet(), 0u);
  EXPECT_EQ(store->GetList("acme", StatusPurpose::kSuspension, 2).status().code(),
            Code::kNotFound);
  EXPECT_EQ(store->GetList("nobody", StatusPurpose::kRevocation, 1).status().code(),
            Code::kNotFound);
}

TEST_F(StatusStoreTest, SmallListsStillPublishTheMinimumLength) {
  auto store = Open(16);
  ASSERT_TRUE(store);
  Allocate(*store, "cred", kRevocationOnly);
  ASSERT_TRUE(store->Revoke("cred").ok());
  auto list = store->GetList("acme", StatusPurpose::kRevocation, 1);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->bits.size(), kMinimumListBits);
  EXPECT_EQ(list->bits.CountSet(), 1u);
}

TEST_F(StatusStoreTest, UnloggedChangesSurviveReopenUntilMarked) {
  uint64_t first_seq = 0;
  {
    auto store = Open();
    ASSERT_TRUE(store);
    Allocate(*store, "a");
    Allocate(*store, "b");
    first_seq = store->Suspend("a")->seq;
    ASSERT_TRUE(store->Revoke("b").ok());
    ASSERT_TRUE(store->Reinstate("a").ok());
    ASSERT_TRUE(store->MarkLogged(first_seq).ok());
  }
  auto store = Open();
  ASSERT_TRUE(store);
  auto pending = store->UnloggedChanges();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].seq, first_seq + 1);
  EXPECT_EQ((*pending)[0].purpose, StatusPurpose::kRevocation);
  EXPECT_TRUE((*pending)[0].value);
  EXPECT_EQ((*pending)[0].list_url, (*store->Lookup("b"))[0].list_url);
  EXPECT_EQ((*pending)[0].index, (*store->Lookup("b"))[0].index);
  EXPECT_EQ((*pending)[1].seq, first_seq + 2);
  EXPECT_FALSE((*pending)[1].value);
  EXPECT_EQ(store->UnloggedChanges(1)->size(), 1u);
  ASSERT_TRUE(store->MarkLogged((*pending)[0].seq).ok());
  ASSERT_TRUE(store->MarkLogged((*pending)[1].seq).ok());
  EXPECT_TRUE(store->UnloggedChanges()->empty());
  EXPECT_EQ(store->MarkLogged(999).code(), Code::kNotFound);
}

TEST_F(StatusStoreTest, OneProcessAtATime) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto second = StatusStore::Open(DbPath());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kFailedPrecondition);
}

TEST_F(StatusStoreTest, RefusesOtherDatabases) {
  std::filesystem::create_directories(DbPath().parent_path());
  {
    auto ledger = ledger::SqliteStorage::Open(DbPath());
    ASSERT_TRUE(ledger.ok());
  }
  auto store = StatusStore::Open(DbPath());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kCorruption);
  EXPECT_EQ(store.status().message(), "not a pathbridge credential status database");
}

}  // namespace
}  // namespace pathbridge::credentials
