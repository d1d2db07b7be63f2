// `pathbridge credential ...` as a registrar runs it: the real binary, a real
// data directory, an organization added with `pathbridge org add`.
#include <gtest/gtest.h>

#include <algorithm>

#include <boost/json.hpp>

#include "tests/testing/test_util.h"

namespace pathbridge {
namespace {

namespace js = boost::json;
using testing::TempDir;

// Standard output, standard error (kept apart: verify's output is JSON
// lines) and the exit code.
struct CliResult {
  int exit_code;
  std::string out;
  std::string err;
};

CliResult Pathbridge(const std::string& args, const TempDir& dir) {
  std::filesystem::path err = dir.path() / "stderr";
  auto r = testing::RunCommand((testing::BinaryDir() / "gateway" / "pathbridge").string() + " " +
                               args + " 2>" + err.string());
  return {r.exit_code, r.out, testing::ReadFile(err)};
}

class CliCredentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CliResult add = Cli("org add " + Data() + " --name 'Lakeview Community College' cc");
    ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
    js::object badge =
        testing::ReadJson(testing::SharedDir() / "standards/ob3/spec-examples/basicOpenBadgeCredential.json")
            .as_object();
    badge.erase("id");
    badge["issuer"].as_object().erase("id");
    badge["issuer"].as_object()["name"] = "Lakeview Community College";
    Write("unsigned.json", js::serialize(badge));
  }

  CliResult Cli(const std::string& args) { return Pathbridge(args, dir_); }
  std::string Data() const { return "--data " + (dir_.path() / "var").string(); }
  std::string Path(const std::string& name) const { return (dir_.path() / name).string(); }
  void Write(const std::string& name, const std::string& text) { testing::WriteFile(Path(name), text); }

  TempDir dir_;
};

TEST_F(CliCredentialTest, IssueVerifyRevoke) {
  CliResult issued = Cli("credential issue " + Data() + " --issuer cc --receipt " + Path("receipt.json") +
                   " " + Path("unsigned.json"));
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  Write("badge.json", issued.out);
  std::string id(js::parse(issued.out).at("id").as_string());

  CliResult ok = Cli("credential verify " + Data() + " --receipt " + Path("receipt.json") + " " + Path("badge.json"));
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  js::object line = js::parse(ok.out).as_object();
  EXPECT_EQ(line.at("file"), js::value(Path("badge.json")));
  EXPECT_EQ(line.at("verified"), js::value(true));

  CliResult revoked = Cli("credential revoke " + Data() + " " + id);
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_NE(revoked.out.find("https://localhost:8443/status/cc/revocation/1"), std::string::npos) << revoked.out;

  CliResult bad = Cli("credential verify " + Data() + " " + Path("badge.json"));
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("The credential was revoked by Lakeview Community College"), std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("\"verified\":false"), std::string::npos) << bad.out;
}

TEST_F(CliCredentialTest, VcJoseIsOneLine) {
  CliResult issued = Cli("credential issue " + Data() + " --issuer cc --suite vc-jose " + Path("unsigned.json"));
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  EXPECT_EQ(std::count(issued.out.begin(), issued.out.end(), '.'), 2) << issued.out;
  Write("badge.jwt", issued.out);
  CliResult ok = Cli("credential verify " + Data() + " " + Path("badge.jwt"));
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
}

TEST_F(CliCredentialTest, BadJsonIsAnInputErrorWithItsPlace) {
  Write("broken.json", "{\n  \"type\": [\"VerifiableCredential\",]\n}\n");
  CliResult r = Cli("credential verify " + Data() + " " + Path("broken.json"));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find(Path("broken.json") + ":2:"), std::string::npos) << r.err;

  CliResult issue = Cli("credential issue " + Data() + " --issuer cc " + Path("broken.json"));
  EXPECT_EQ(issue.exit_code, 3) << issue.err;
  EXPECT_NE(issue.err.find(Path("broken.json") + ":2:"), std::string::npos) << issue.err;
}

TEST_F(CliCredentialTest, OneLinePerFileAndTheWorstExitCode) {
  CliResult issued = Cli("credential issue " + Data() + " --issuer cc " + Path("unsigned.json"));
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  Write("badge.json", issued.out);
  js::object tampered = js::parse(issued.out).as_object();
  tampered["name"] = "Another Badge";
  Write("tampered.json", js::serialize(tampered));

  CliResult r = Cli("credential verify " + Data() + " " + Path("badge.json") + " " + Path("tampered.json"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
  EXPECT_NE(r.out.find("does not verify"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pathbridge
