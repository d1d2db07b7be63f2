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

TEST_F(CliCredentialTest, OneEdTechVectorVerifiesWithADocumentMapForItsIssuerKey) {
  auto dir = testing::SharedDir() / "standards/ob3/impl-guide-test-vector";
  js::object values = testing::ReadJson(dir / "values.json").as_object();
  std::string method(values.at("verificationMethod").as_string());
  std::string controller = method.substr(0, method.find('#'));
  js::object doc{{"id", controller},
                 {"verificationMethod", js::array{{{"id", method},
                                                   {"type", "Multikey"},
                                                   {"controller", controller},
                                                   {"publicKeyMultibase", values.at("publicKeyMultibase")}}}},
                 {"assertionMethod", js::array{method}}};
  Write("docs.json", js::serialize(js::object{{controller, doc}}));
  std::string vector = (dir / "signed-credential.json").string();

  CliResult ok = Cli("credential verify --docs " + Path("docs.json") + " " + vector);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  CliResult unknown_key = Cli("credential verify " + vector);
  EXPECT_EQ(unknown_key.exit_code, 1) << unknown_key.out << unknown_key.err;
  EXPECT_NE(unknown_key.out.find("\"id\":\"proof\",\"outcome\":\"indeterminate\""), std::string::npos)
      << unknown_key.out;
}

// A verifier without the hub's data directory: the DID document and the
// status lists, as the hub publishes them, in a document map directory.
TEST_F(CliCredentialTest, VerifiesAwayFromTheHubWithPublishedDocuments) {
  CliResult issued = Cli("credential issue " + Data() + " --issuer cc " + Path("unsigned.json"));
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  Write("badge.json", issued.out);
  CliResult did = Cli("org key " + Data() + " --document cc");
  ASSERT_EQ(did.exit_code, 0) << did.err;
  std::filesystem::create_directory(Path("docs"));
  Write("docs/did.json", did.out);

  CliResult no_lists = Cli("credential verify --docs " + Path("docs") + " " + Path("badge.json"));
  EXPECT_EQ(no_lists.exit_code, 1) << no_lists.out << no_lists.err;
  EXPECT_NE(no_lists.out.find("is not available offline"), std::string::npos) << no_lists.out;

  for (const char* purpose : {"revocation", "suspension"})
    std::filesystem::copy_file(dir_.path() / "var/status/cc" / purpose / "1.json",
                               Path("docs/" + std::string(purpose) + ".json"));
  CliResult ok = Cli("credential verify --docs " + Path("docs") + " " + Path("badge.json"));
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
}

}  // namespace
}  // namespace pathbridge
