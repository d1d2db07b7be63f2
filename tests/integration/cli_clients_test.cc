// `pathbridge clients ...` as an operator runs it: the real binary, a real
// data dir. The secret is on standard output once (JSON), the curl hint on
// standard error; listing never shows a secret.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "gateway/auth/client_store.h"
#include "standards/encoding.h"
#include "tests/testing/test_util.h"

namespace pathbridge {
namespace {

namespace bj = boost::json;
using testing::CommandResult;
using testing::RunPathbridge;
using testing::TempDir;

class CliClientsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(RunPathbridge("org add college-a --name 'College A' " + Data()).exit_code, 0);
  }
  std::string Data() { return "--data " + dir_.path().string(); }
  // Standard output only; standard error goes to err().
  CommandResult Run(const std::string& args) {
    return testing::RunCommand((testing::BinaryDir() / "gateway" / "pathbridge").string() + " " +
                               args + " 2>" + (dir_.path() / "stderr.txt").string());
  }
  std::string err() { return testing::ReadFile(dir_.path() / "stderr.txt"); }
  bj::value Json(const CommandResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r.out << err();
    boost::system::error_code ec;
    bj::value v = bj::parse(r.out, ec);
    EXPECT_FALSE(ec) << r.out;
    return v;
  }
  TempDir dir_;
};

TEST_F(CliClientsTest, AddShowsTheSecretOnceListAndDisableNever) {
  bj::value added = Json(Run("clients add --org college-a --scopes translate,credentials:issue " +
                             Data() + " --url https://hub.example"));
  std::string id(added.at("client_id").as_string());
  std::string secret(added.at("client_secret").as_string());
  EXPECT_EQ(Base64UrlDecode(secret)->size(), 32u);
  EXPECT_EQ(added.at("org"), "college-a");
  EXPECT_EQ(added.at("scopes"), "credentials:issue translate");
  EXPECT_NE(err().find("curl -s -u '" + id + ":" + secret +
                       "' -d grant_type=client_credentials https://hub.example/oauth/token"),
            std::string::npos)
      << err();
  struct stat st;
  ASSERT_EQ(::stat(gateway::auth::ClientStorePath(dir_.path()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  CommandResult list = Run("clients list " + Data());
  EXPECT_EQ(list.out.find(secret), std::string::npos);
  EXPECT_EQ(list.out.find("argon2"), std::string::npos);
  bj::value clients = Json(list);
  ASSERT_EQ(clients.as_array().size(), 1u);
  EXPECT_EQ(clients.at(0).at("client_id").as_string(), id);
  EXPECT_FALSE(clients.at(0).as_object().contains("disabled"));

  bj::value disabled = Json(Run("clients disable " + id + " " + Data()));
  EXPECT_TRUE(disabled.as_object().contains("disabled"));
  EXPECT_TRUE(Json(Run("clients list " + Data())).at(0).as_object().contains("disabled"));
}

TEST_F(CliClientsTest, UnknownScopesOrganizationsAndClientsAreClearErrors) {
  CommandResult scope = RunPathbridge("clients add --org college-a --scopes translate,root " + Data());
  EXPECT_EQ(scope.exit_code, 3);
  EXPECT_NE(scope.out.find("unknown scope \"root\""), std::string::npos) << scope.out;
  EXPECT_NE(scope.out.find("credentials:status"), std::string::npos) << scope.out;
  CommandResult org = RunPathbridge("clients add --org college-z --scopes translate " + Data());
  EXPECT_EQ(org.exit_code, 3);
  EXPECT_NE(org.out.find("no organization \"college-z\""), std::string::npos) << org.out;
  CommandResult thumb = RunPathbridge(
      "clients add --org college-a --scopes translate --cert-thumbprint abc " + Data());
  EXPECT_EQ(thumb.exit_code, 3);
  EXPECT_NE(thumb.out.find("x5t#S256"), std::string::npos) << thumb.out;
  EXPECT_EQ(RunPathbridge("clients disable no-such-client " + Data()).exit_code, 3);
  EXPECT_EQ(RunPathbridge("clients add --org college-a " + Data()).exit_code, 2);  // --scopes required
  EXPECT_TRUE(Json(Run("clients list " + Data())).as_array().empty());
}

TEST_F(CliClientsTest, ACertificateBoundClient) {
  std::string thumb = Base64UrlEncode(Bytes(32, 0x11));
  bj::value added = Json(Run("clients add --org college-a --scopes admin --cert-thumbprint " +
                             thumb + " " + Data()));
  EXPECT_EQ(added.at("cert_thumbprint").as_string(), thumb);
  EXPECT_EQ(Json(Run("clients list " + Data())).at(0).at("cert_thumbprint").as_string(), thumb);
}

}  // namespace
}  // namespace pathbridge
