// The client registry on a real SQLite file: registration, secrets hashed
// with Argon2id, lookups from a second connection (the CLI writes while the
// server reads), disabling, and refusals.
#include "gateway/auth/client_store.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "certs/org_registry.h"
#include "standards/encoding.h"
#include "tests/testing/test_util.h"

namespace pathbridge::gateway::auth {
namespace {

constexpr Timestamp kT1{1767225600, 0};  // 2026-01-01T00:00:00Z
constexpr Timestamp kT2{1767229200, 0};

// Argon2id at its smallest, where the test is not about the parameters.
ClientStoreOptions Fast() {
  return {.hash_limits = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}};
}

class ClientStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* slug : {"college-a", "college-b"}) {
      certs::OrgSpec spec;
      spec.slug = slug;
      spec.name = slug;
      ASSERT_TRUE(certs::AddOrganization(dir_.path(), spec, {}, kT1).ok());
    }
  }

  std::unique_ptr<ClientStore> Open(ClientStoreOptions options = Fast()) {
    auto s = ClientStore::Open(dir_.path(), options);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  testing::TempDir dir_;
};

// One base64url id in 64 would start with '-'; `pathbridge clients disable
// <id>` would then take it for an option (CliClientsTest failed so once).
TEST(ClientIdTest, NeverStartsWithADash) {
  for (int i = 0; i < 5000; ++i) {
    std::string id = RandomClientId();
    ASSERT_NE(id.front(), '-') << id;
    ASSERT_EQ(Base64UrlDecode(id)->size(), kClientIdBytes) << id;
  }
}

TEST_F(ClientStoreTest, RegistersAClientWithAnArgon2idHashedSecret) {
  auto store = Open(ClientStoreOptions{});  // the production limits
  auto added = store->Add({"college-a", {"translate", "credentials:issue"}, std::nullopt}, kT1);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  const Client& c = added->client;
  EXPECT_EQ(c.org, "college-a");
  EXPECT_EQ(c.scopes, (ScopeList{"credentials:issue", "translate"}));
  EXPECT_EQ(c.created.seconds, kT1.seconds);
  EXPECT_TRUE(c.enabled());
  EXPECT_EQ(Base64UrlDecode(c.client_id)->size(), kClientIdBytes);
  ASSERT_EQ(added->client_secret.size(), kSecretChars);
  EXPECT_EQ(Base64UrlDecode(added->client_secret)->size(), 32u);
  EXPECT_EQ(c.secret_hash.rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << c.secret_hash;
  EXPECT_EQ(c.secret_hash.find(added->client_secret), std::string::npos);
  EXPECT_TRUE(SecretMatches(c.secret_hash, added->client_secret));
  std::string wrong = added->client_secret;
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(SecretMatches(c.secret_hash, wrong));
  EXPECT_FALSE(SecretMatches(c.secret_hash, ""));

  struct stat st;
  ASSERT_EQ(::stat(ClientStorePath(dir_.path()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Nothing secret is stored in clear.
  std::string file = testing::ReadFile(ClientStorePath(dir_.path()));
  std::string wal = testing::ReadFile(ClientStorePath(dir_.path()).string() + "-wal");
  EXPECT_EQ((file + wal).find(added->client_secret), std::string::npos);
}

TEST_F(ClientStoreTest, IdsAndSecretsAreFreshEachTime) {
  auto store = Open();
  auto a = store->Add({"college-a", {"translate"}, std::nullopt}, kT1);
  auto b = store->Add({"college-a", {"translate"}, std::nullopt}, kT1);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->client.client_id, b->client.client_id);
  EXPECT_NE(a->client_secret, b->client_secret);
  EXPECT_NE(a->client.secret_hash, b->client.secret_hash);  // salted
}

TEST_F(ClientStoreTest, WhatOneConnectionWritesAnotherReads) {
  auto writer = Open();
  auto reader = Open();
  std::string thumb = Base64UrlEncode(Bytes(32, 7));
  auto added = writer->Add({"college-b", {"admin"}, thumb}, kT1);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  auto found = reader->Find(added->client.client_id);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->org, "college-b");
  EXPECT_EQ(found->scopes, ScopeList{"admin"});
  EXPECT_EQ(found->secret_hash, added->client.secret_hash);
  EXPECT_EQ(found->cert_thumbprint, thumb);
  EXPECT_EQ(reader->Find("no-such-client").status().code(), Code::kNotFound);
  EXPECT_EQ(reader->Find(std::string(1000, 'x')).status().code(), Code::kNotFound);

  auto disabled = writer->Disable(added->client.client_id, kT2);
  ASSERT_TRUE(disabled.ok());
  EXPECT_EQ(disabled->disabled->seconds, kT2.seconds);
  EXPECT_FALSE(reader->Find(added->client.client_id)->enabled());
  auto again = writer->Disable(added->client.client_id, Timestamp{kT2.seconds + 60, 0});
  EXPECT_EQ(again->disabled->seconds, kT2.seconds);  // the first time stays
  EXPECT_EQ(writer->Disable("no-such-client", kT2).status().code(), Code::kNotFound);
}

TEST_F(ClientStoreTest, ListsEveryClientOldestFirstAcrossReopens) {
  std::string first;
  {
    auto store = Open();
    first = store->Add({"college-a", {"translate"}, std::nullopt}, kT1)->client.client_id;
    ASSERT_TRUE(store->Add({"college-b", {"ledger:append"}, std::nullopt}, kT2).ok());
  }
  auto clients = Open()->List();
  ASSERT_TRUE(clients.ok());
  ASSERT_EQ(clients->size(), 2u);
  EXPECT_EQ((*clients)[0].client_id, first);
  EXPECT_EQ((*clients)[1].org, "college-b");
}

TEST_F(ClientStoreTest, RefusesUnknownOrganizationsScopesAndBadThumbprints) {
  auto store = Open();
  auto no_org = store->Add({"college-z", {"translate"}, std::nullopt}, kT1);
  EXPECT_EQ(no_org.status().code(), Code::kNotFound);
  EXPECT_NE(no_org.status().message().find("college-z"), std::string::npos);
  EXPECT_EQ(store->Add({"college-a", {}, std::nullopt}, kT1).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(store->Add({"college-a", {"root"}, std::nullopt}, kT1).status().code(),
            Code::kInvalidArgument);
  for (std::string bad : {std::string("abc"), Base64UrlEncode(Bytes(31, 1)),
                          Base64Encode(Bytes(32, 0xfb)), std::string(43, '*')})
    EXPECT_EQ(store->Add({"college-a", {"translate"}, bad}, kT1).status().code(),
              Code::kInvalidArgument)
        << bad;
  EXPECT_TRUE(store->List()->empty());
  EXPECT_EQ(ClientStore::Open(dir_.path() / "missing").status().code(), Code::kNotFound);
}

void SetPragma(const std::filesystem::path& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST_F(ClientStoreTest, TheSchemaIsVersionedAndOtherDatabasesAreRefused) {
  ASSERT_NE(Open(), nullptr);
  SetPragma(ClientStorePath(dir_.path()), "PRAGMA user_version=2");
  EXPECT_EQ(ClientStore::Open(dir_.path()).status().code(), Code::kFailedPrecondition);
  testing::TempDir other;
  SetPragma(ClientStorePath(other.path()), "CREATE TABLE t(x)");
  EXPECT_EQ(ClientStore::Open(other.path()).status().code(), Code::kCorruption);
}

}  // namespace
}  // namespace pathbridge::gateway::auth
