// `pathbridge org ...` as an operator runs it: the real binary, a real data dir.
#include <stdlib.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "tests/testing/test_util.h"

namespace pathbridge {
namespace {

namespace bj = boost::json;
using testing::CommandResult;
using testing::RunPathbridge;
using testing::TempDir;

class CliOrgTest : public ::testing::Test {
 protected:
  bj::value Json(const CommandResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r.out;
    boost::system::error_code ec;
    bj::value v = bj::parse(r.out, ec);
    EXPECT_FALSE(ec) << r.out;
    return v;
  }
  std::string Data() { return "--data " + dir_.path().string(); }
  std::string Path(const std::string& rel) { return (dir_.path() / rel).string(); }
  TempDir dir_;
};

TEST_F(CliOrgTest, AddKeyRotateList) {
  const bj::value added = Json(RunPathbridge("org add cc --name 'Lakeview Community College' " + Data()));
  EXPECT_EQ(added.at("did"), "did:web:localhost%3A8443:orgs:cc");
  EXPECT_EQ(added.at("verificationMethod"), "did:web:localhost%3A8443:orgs:cc#key-1");
  const std::string first_key(added.at("publicKeyMultibase").as_string());
  EXPECT_EQ(first_key.rfind("z6Mk", 0), 0u);
  struct stat st;
  ASSERT_EQ(::stat(Path("orgs/cc/keys/key-1.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  const bj::value key = Json(RunPathbridge("org key cc " + Data()));
  bj::object added_key = added.as_object();
  added_key.erase("ledger");  // what became of the key event
  EXPECT_EQ(key, added_key);
  const bj::value doc = Json(RunPathbridge("org key cc --document " + Data()));
  EXPECT_EQ(doc.at("id"), "did:web:localhost%3A8443:orgs:cc");
  EXPECT_EQ(doc.at("verificationMethod").at(0).at("publicKeyMultibase").as_string(), first_key);
  EXPECT_EQ(doc.at("assertionMethod"), bj::array{"did:web:localhost%3A8443:orgs:cc#key-1"});

  const bj::value rotated = Json(RunPathbridge("org rotate cc " + Data()));
  EXPECT_EQ(rotated.at("verificationMethod"), "did:web:localhost%3A8443:orgs:cc#key-2");
  EXPECT_EQ(rotated.at("retired"), "did:web:localhost%3A8443:orgs:cc#key-1");
  const bj::value after = Json(RunPathbridge("org key cc --document " + Data()));
  ASSERT_EQ(after.at("verificationMethod").as_array().size(), 2u);
  EXPECT_TRUE(after.at("verificationMethod").at(0).as_object().contains("expires"));

  Json(RunPathbridge("org add kk --name 'Key College' --did key " + Data()));
  Json(RunPathbridge("org add web --name 'Hub College' --web-host hub.example:8443 " + Data()));
  const bj::value list = Json(RunPathbridge("org list " + Data()));
  ASSERT_EQ(list.as_array().size(), 3u);
  EXPECT_EQ(list.at(0).at("org"), "cc");
  EXPECT_EQ(list.at(0).at("keys"), 2);
  EXPECT_EQ(list.at(1).at("did").as_string().subview().substr(0, 12), "did:key:z6Mk");
  EXPECT_EQ(list.at(2).at("did"), "did:web:hub.example%3A8443:orgs:web");

  const bj::value revoked = Json(RunPathbridge("org revoke cc key-1 --at 2026-01-01T00:00:00Z " + Data()));
  EXPECT_EQ(revoked.at("revoked"), "2026-01-01T00:00:00Z");
  const bj::value final_doc = Json(RunPathbridge("org key cc --document " + Data()));
  EXPECT_EQ(final_doc.at("verificationMethod").at(0).at("revoked"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(final_doc.at("assertionMethod"), bj::array{"did:web:localhost%3A8443:orgs:cc#key-2"});
}

// The passphrase comes from the environment variable --passphrase-env names.
TEST_F(CliOrgTest, PassphraseFromTheEnvironment) {
  ASSERT_EQ(::setenv("PATHBRIDGE_TEST_PASSPHRASE", "correct horse battery", 1), 0);
  ASSERT_EQ(::setenv("PATHBRIDGE_TEST_WRONG", "incorrect", 1), 0);
  Json(RunPathbridge("org add enc --name Sealed --passphrase-env PATHBRIDGE_TEST_PASSPHRASE " + Data()));
  const std::string file = testing::ReadFile(Path("orgs/enc/keys/key-1.key"));
  EXPECT_NE(file.find("\"kdf\":\"argon2id13\""), std::string::npos);
  EXPECT_NE(file.find("\"opslimit\":3,\"memlimit\":268435456"), std::string::npos);  // MODERATE

  auto no_passphrase = RunPathbridge("org rotate enc " + Data());
  EXPECT_EQ(no_passphrase.exit_code, 1) << no_passphrase.out;
  EXPECT_NE(no_passphrase.out.find("encrypted"), std::string::npos) << no_passphrase.out;
  auto wrong = RunPathbridge("org rotate enc --passphrase-env PATHBRIDGE_TEST_WRONG " + Data());
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.out.find("wrong passphrase or corrupted key file"), std::string::npos) << wrong.out;
  EXPECT_EQ(wrong.out.find("incorrect"), std::string::npos);  // the passphrase is never printed
  auto unset = RunPathbridge("org rotate enc --passphrase-env PATHBRIDGE_TEST_UNSET " + Data());
  EXPECT_EQ(unset.exit_code, 3) << unset.out;
  const bj::value ok = Json(RunPathbridge("org rotate enc --passphrase-env PATHBRIDGE_TEST_PASSPHRASE " + Data()));
  EXPECT_EQ(ok.at("verificationMethod"), "did:web:localhost%3A8443:orgs:enc#key-2");
}

TEST_F(CliOrgTest, ExitCodes) {
  EXPECT_EQ(RunPathbridge("org").exit_code, 2);
  EXPECT_EQ(RunPathbridge("org add cc " + Data()).exit_code, 2);  // no --name
  EXPECT_EQ(RunPathbridge("org add cc --name X --did plc " + Data()).exit_code, 2);
  auto help = RunPathbridge("org add --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--passphrase-env"), std::string::npos);

  auto bad_id = RunPathbridge("org add Not_Valid --name X " + Data());
  EXPECT_EQ(bad_id.exit_code, 3) << bad_id.out;
  auto bad_host = RunPathbridge("org add cc --name X --web-host 10.0.0.1 " + Data());
  EXPECT_EQ(bad_host.exit_code, 3) << bad_host.out;
  EXPECT_EQ(RunPathbridge("org key nobody " + Data()).exit_code, 3);

  Json(RunPathbridge("org add cc --name X " + Data()));
  auto again = RunPathbridge("org add cc --name X " + Data());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.out.find("already exists"), std::string::npos) << again.out;
  EXPECT_EQ(RunPathbridge("org revoke cc key-9 " + Data()).exit_code, 3);
  EXPECT_EQ(RunPathbridge("org revoke cc key-1 --at yesterday " + Data()).exit_code, 3);
  Json(RunPathbridge("org revoke cc key-1 " + Data()));
  auto no_key = RunPathbridge("org key cc " + Data());
  EXPECT_EQ(no_key.exit_code, 1);
  EXPECT_NE(no_key.out.find("org rotate"), std::string::npos) << no_key.out;
}

// A key change is logged at once when the ledger exists and is free;
// otherwise it is left for whoever opens the credential service next.
TEST_F(CliOrgTest, KeyChangesGoToTheLedgerWhenItIsFree) {
  const bj::value first = Json(RunPathbridge("org add cc --name 'Lakeview Community College' " + Data()));
  EXPECT_EQ(first.at("ledger").as_string().subview().substr(0, 8), "pending:");
  testing::WriteFile(dir_.path() / "entry.txt", "an entry");
  Json(RunPathbridge("ledger append --origin hub.example/pathbridge " + Data() + " " + Path("entry.txt")));
  const bj::value rotated = Json(RunPathbridge("org rotate cc " + Data()));
  EXPECT_EQ(rotated.at("ledger"), "logged (2 new entries)");  // key-1 added, key-2 rotated
  const bj::value again = Json(RunPathbridge("org revoke cc key-1 " + Data()));
  EXPECT_EQ(again.at("ledger"), "logged (1 new entries)");
  auto fsck = RunPathbridge("ledger fsck " + Data());
  EXPECT_EQ(fsck.exit_code, 0) << fsck.out;
  EXPECT_NE(fsck.out.find(" 4 entries"), std::string::npos) << fsck.out;
}

}  // namespace
}  // namespace pathbridge
