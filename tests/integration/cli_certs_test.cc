// `pathbridge certs` and `pathbridge serve` over HTTPS as an operator runs
// them: the real binary, a real data dir, and openssl and curl (knowing
// nothing of this code) on the other side.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "tests/testing/test_util.h"

namespace pathbridge {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::ReadFile;
using testing::RunCommand;
using testing::RunPathbridge;
using testing::ServeProcess;
using testing::TempDir;

unsigned Mode(const fs::path& p) {
  struct stat st;
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

// For serve commands that must fail: bounded, should one start serving.
testing::CommandResult FailingServe(const std::string& args) {
  return RunCommand("timeout 30 " + (testing::BinaryDir() / "gateway" / "pathbridge").string() +
                    " serve " + args + " 2>&1");
}

class CliCertsTest : public ::testing::Test {
 protected:
  std::string Data() const { return dir_.path().string() + "/var"; }
  fs::path Pki() const { return dir_.path() / "var" / "pki"; }
  testing::CommandResult Curl(const std::string& args) {
    return RunCommand("curl -sS --max-time 10 " + args + " 2>&1");
  }
  TempDir dir_;
};

TEST_F(CliCertsTest, InitWritesAVerifyingPkiWithPrivateKeys) {
  auto init = RunPathbridge("certs init --data " + Data() +
                            " --host hub.example --client cc --client registrar=lakeview");
  ASSERT_EQ(init.exit_code, 0) << init.out;
  EXPECT_NE(init.out.find("curl --cacert " + (Pki() / "ca.pem").string()), std::string::npos)
      << init.out;
  for (const char* key : {"ca.key", "server.key", "clients/cc.key", "clients/registrar.key"})
    EXPECT_EQ(Mode(Pki() / key), 0600u) << key;
  std::string ca = (Pki() / "ca.pem").string();
  auto verify = RunCommand("openssl verify -CAfile " + ca + " " + (Pki() / "server.pem").string() +
                           " 2>&1");
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  auto client = RunCommand("openssl verify -purpose sslclient -CAfile " + ca + " " +
                           (Pki() / "clients" / "registrar.pem").string() + " 2>&1");
  EXPECT_EQ(client.exit_code, 0) << client.out;
  auto sans = RunCommand("openssl x509 -noout -ext subjectAltName -in " +
                         (Pki() / "clients" / "registrar.pem").string());
  EXPECT_NE(sans.out.find("URI:urn:pathbridge:org:lakeview"), std::string::npos) << sans.out;

  std::string before = ReadFile(Pki() / "ca.pem");
  auto again = RunPathbridge("certs init --data " + Data());
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_NE(again.out.find("--force"), std::string::npos) << again.out;
  EXPECT_EQ(ReadFile(Pki() / "ca.pem"), before);
  EXPECT_EQ(RunPathbridge("certs init --force --data " + Data()).exit_code, 0);
  EXPECT_NE(ReadFile(Pki() / "ca.pem"), before);

  auto added = RunPathbridge("certs client dd --data " + Data());
  ASSERT_EQ(added.exit_code, 0) << added.out;
  EXPECT_EQ(RunCommand("openssl verify -purpose sslclient -CAfile " + ca + " " +
                       (Pki() / "clients" / "dd.pem").string())
                .exit_code,
            0);
  EXPECT_EQ(RunPathbridge("certs init --data " + Data() + " --client Bad/Name").exit_code, 3);
}

TEST_F(CliCertsTest, ServeAnswersCurlOverHttpsWithTheDevCa) {
  if (RunCommand("command -v curl").exit_code != 0) GTEST_SKIP() << "curl is not installed";
  ServeProcess serve("--listen 127.0.0.1:0 --data " + Data(), dir_.path() / "serve.out");
  std::string base = serve.BaseUrl();
  ASSERT_EQ(base.rfind("https://127.0.0.1:", 0), 0u) << serve.Output();
  EXPECT_NE(serve.Output().find("Made development certificates"), std::string::npos);
  EXPECT_NE(serve.Output().find("--cacert " + Data() + "/pki/ca.pem"), std::string::npos)
      << serve.Output();

  std::string cacert = "--cacert " + (Pki() / "ca.pem").string() + " ";
  auto ok = Curl(cacert + base + "/healthz");
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_EQ(ok.out, "ok");
  EXPECT_NE(Curl(base + "/healthz").exit_code, 0);  // the dev CA is not trusted by default
  EXPECT_NE(Curl(cacert + "--tls-max 1.2 " + base + "/healthz").exit_code, 0);
  auto localhost = Curl(cacert + "https://localhost" + base.substr(17) + "/healthz");
  EXPECT_EQ(localhost.out, "ok");
}

TEST_F(CliCertsTest, ServeWithRequiredClientCertificates) {
  if (RunCommand("command -v curl").exit_code != 0) GTEST_SKIP() << "curl is not installed";
  ASSERT_EQ(RunPathbridge("certs init --data " + Data() + " --client cc").exit_code, 0);
  ServeProcess serve("--listen 127.0.0.1:0 --client-certs required --tls12 --data " + Data(),
                     dir_.path() / "serve.out");
  std::string base = serve.BaseUrl();
  ASSERT_FALSE(base.empty()) << serve.Output();
  std::string cacert = "--cacert " + (Pki() / "ca.pem").string() + " ";
  std::string cert = "--cert " + (Pki() / "clients" / "cc.pem").string() + " --key " +
                     (Pki() / "clients" / "cc.key").string() + " ";
  auto with = Curl(cacert + cert + base + "/healthz");
  EXPECT_EQ(with.out, "ok");
  EXPECT_NE(Curl(cacert + base + "/healthz").exit_code, 0);
  auto tls12 = Curl(cacert + cert + "--tls-max 1.2 " + base + "/healthz");
  EXPECT_EQ(tls12.out, "ok");
}

TEST_F(CliCertsTest, PlainHttpIsLoopbackOnlyUnlessAllowed) {
  ServeProcess serve("--plain --listen 127.0.0.1:0 --data " + Data(), dir_.path() / "plain.out");
  std::string base = serve.BaseUrl();
  ASSERT_EQ(base.rfind("http://127.0.0.1:", 0), 0u) << serve.Output();
  if (RunCommand("command -v curl").exit_code == 0) {
    EXPECT_EQ(Curl(base + "/healthz").out, "ok");
  }

  std::string other = " --data " + Data() + "2";  // the ledger above is locked
  auto remote = FailingServe("--plain --listen 0.0.0.0:0" + other);
  EXPECT_EQ(remote.exit_code, 1) << remote.out;
  EXPECT_NE(remote.out.find("--allow-plain-remote"), std::string::npos) << remote.out;
  EXPECT_EQ(FailingServe("--plain --tls12" + other).exit_code, 2);
  auto bad_cert = FailingServe("--listen 127.0.0.1:0 --tls-cert " + Data() +
                                "/nothing.pem --tls-key " + Data() + "/nothing.key" + other);
  EXPECT_EQ(bad_cert.exit_code, 3) << bad_cert.out;
  EXPECT_NE(bad_cert.out.find("nothing.pem"), std::string::npos) << bad_cert.out;
}

}  // namespace
}  // namespace pathbridge
