// The `pathbridge` command as a user runs it: real binary, real data dir.
#include <gtest/gtest.h>

#include "tests/testing/test_util.h"

namespace pathbridge {
namespace {

using testing::TempDir;
using testing::WriteFile;

testing::CommandResult Pathbridge(const std::string& args) {
  return testing::RunCommand((testing::BinaryDir() / "gateway" / "pathbridge").string() + " " +
                             args + " 2>&1");
}

class CliTest : public ::testing::Test {
 protected:
  std::string Data() { return "--data " + dir_.path().string() + "/var"; }
  std::string Path(const std::string& name) { return (dir_.path() / name).string(); }
  TempDir dir_;
};

TEST_F(CliTest, AppendProveVerifyRoundTrip) {
  WriteFile(Path("e1"), "first entry");
  WriteFile(Path("e2"), "second entry");
  auto a1 = Pathbridge("ledger append " + Data() + " --origin cli.example/log " + Path("e1"));
  ASSERT_EQ(a1.exit_code, 0) << a1.out;
  EXPECT_NE(a1.out.find("\"index\":0"), std::string::npos) << a1.out;
  auto a2 = Pathbridge("ledger append " + Data() + " " + Path("e2"));
  ASSERT_EQ(a2.exit_code, 0) << a2.out;
  EXPECT_NE(a2.out.find("\"index\":1"), std::string::npos) << a2.out;
  auto again = Pathbridge("ledger append " + Data() + " " + Path("e1"));
  EXPECT_NE(again.out.find("\"duplicate\":true"), std::string::npos) << again.out;

  auto cp = Pathbridge("ledger checkpoint " + Data());
  ASSERT_EQ(cp.exit_code, 0) << cp.out;
  EXPECT_EQ(cp.out.rfind("cli.example/log\n2\n", 0), 0u) << cp.out;
  WriteFile(Path("cp"), cp.out);

  auto key = Pathbridge("ledger key " + Data());
  ASSERT_EQ(key.exit_code, 0);
  EXPECT_EQ(key.out.rfind("cli.example/log+", 0), 0u) << key.out;
  WriteFile(Path("vkey"), key.out);

  auto prove = Pathbridge("ledger prove " + Data() + " 1 -o " + Path("p1"));
  ASSERT_EQ(prove.exit_code, 0) << prove.out;
  auto ok = Pathbridge("ledger verify-proof --key-file " + Path("vkey") + " " + Path("p1"));
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("\"verified\":true"), std::string::npos);
  auto with_entry = Pathbridge("ledger verify-proof --key-file " + Path("vkey") + " --entry " +
                               Path("e1") + " " + Path("p1"));
  EXPECT_EQ(with_entry.exit_code, 1) << with_entry.out;

  // Tamper with the entry carried in the proof file: verification fails.
  std::string proof = testing::ReadFile(Path("p1"));
  size_t extra = proof.find("extra ") + 6;
  proof[extra] = proof[extra] == 'c' ? 'd' : 'c';
  WriteFile(Path("p1bad"), proof);
  auto bad = Pathbridge("ledger verify-proof --key-file " + Path("vkey") + " " + Path("p1bad"));
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_NE(bad.out.find("p1bad"), std::string::npos) << bad.out;

  auto vc = Pathbridge("ledger verify-checkpoint --key-file " + Path("vkey") + " " + Path("cp"));
  EXPECT_EQ(vc.exit_code, 0) << vc.out;
  auto fsck = Pathbridge("ledger fsck " + Data());
  EXPECT_EQ(fsck.exit_code, 0) << fsck.out;
  EXPECT_NE(fsck.out.find("2 entries"), std::string::npos) << fsck.out;
}

TEST_F(CliTest, ExitCodesForUsageAndInput) {
  EXPECT_EQ(Pathbridge("").exit_code, 2);
  EXPECT_EQ(Pathbridge("ledger").exit_code, 2);
  EXPECT_EQ(Pathbridge("ledger prove " + Data()).exit_code, 2);  // missing INDEX
  EXPECT_EQ(Pathbridge("ledger frobnicate").exit_code, 2);
  auto help = Pathbridge("ledger append --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--identity"), std::string::npos);
  auto missing = Pathbridge("ledger checkpoint " + Data());
  EXPECT_EQ(missing.exit_code, 3) << missing.out;
  EXPECT_NE(missing.out.find("no ledger here"), std::string::npos);
  WriteFile(Path("empty"), "");
  auto empty = Pathbridge("ledger append " + Data() + " " + Path("empty"));
  EXPECT_EQ(empty.exit_code, 3) << empty.out;
  auto no_key = Pathbridge("ledger verify-proof " + Path("empty"));
  EXPECT_EQ(no_key.exit_code, 3) << no_key.out;
  auto bad_key = Pathbridge("ledger verify-proof --key nonsense " + Path("empty"));
  EXPECT_EQ(bad_key.exit_code, 3) << bad_key.out;
}

}  // namespace
}  // namespace pathbridge
