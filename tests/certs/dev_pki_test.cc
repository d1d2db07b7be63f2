// The development PKI on disk: what it writes, with which modes, what it
// refuses to overwrite, and that what it issues chains to its CA (checked
// with the openssl command).
#include "certs/tls/dev_pki.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "certs/tls/certificate_identity.h"
#include "tests/testing/test_util.h"

namespace pathbridge::certs {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::RunCommand;
using testing::TempDir;

unsigned Mode(const fs::path& p) {
  struct stat st;
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

int OpensslVerify(const DevPkiLayout& pki, const fs::path& leaf, const char* purpose) {
  return RunCommand("openssl verify -purpose " + std::string(purpose) + " -CAfile " +
                    pki.ca_cert.string() + " " + leaf.string() + " 2>&1")
      .exit_code;
}

class DevPkiTest : public ::testing::Test {
 protected:
  fs::path Pki() const { return dir_.path() / "var" / "pki"; }
  TempDir dir_;
};

TEST_F(DevPkiTest, MakesCaServerAndClientsWithPrivateKeys) {
  DevPkiOptions options;
  options.extra_hosts = {"hub.example"};
  options.clients = {{"cc", "cc"}, {"registrar", "lakeview"}};
  auto pki = MakeDevPki(Pki(), options);
  ASSERT_TRUE(pki.ok()) << pki.status().ToString();
  for (const fs::path& key : {pki->ca_key, pki->server_key, pki->ClientKey("cc"),
                              pki->ClientKey("registrar")})
    EXPECT_EQ(Mode(key), 0600u) << key;
  for (const fs::path& cert : {pki->ca_cert, pki->server_cert, pki->ClientCert("cc")})
    EXPECT_EQ(Mode(cert), 0644u) << cert;
  EXPECT_EQ(Mode(pki->dir), 0700u);
  EXPECT_EQ(Mode(pki->clients_dir), 0700u);

  EXPECT_EQ(OpensslVerify(*pki, pki->server_cert, "sslserver"), 0);
  EXPECT_EQ(OpensslVerify(*pki, pki->ClientCert("cc"), "sslclient"), 0);
  EXPECT_EQ(OpensslVerify(*pki, pki->ClientCert("registrar"), "sslclient"), 0);
  auto text = RunCommand("openssl x509 -noout -ext subjectAltName -in " +
                         pki->server_cert.string());
  for (const char* name : {"DNS:localhost", "IP Address:127.0.0.1", "DNS:hub.example"})
    EXPECT_NE(text.out.find(name), std::string::npos) << text.out;

  auto registrar = IdentityFromPem(ReadFile(pki->ClientCert("registrar")), "registrar");
  ASSERT_TRUE(registrar.ok());
  EXPECT_EQ(registrar->subject_cn, "registrar");
  EXPECT_EQ(registrar->OrgId(), "lakeview");
}

TEST_F(DevPkiTest, RefusesToOverwriteUnlessForced) {
  ASSERT_TRUE(MakeDevPki(Pki(), {}).ok());
  std::string ca = ReadFile(Pki() / "ca.pem");
  auto again = MakeDevPki(Pki(), {});
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(again.status().where(), (Pki() / "ca.pem").string());
  EXPECT_EQ(ReadFile(Pki() / "ca.pem"), ca);

  DevPkiOptions force;
  force.force = true;
  ASSERT_TRUE(MakeDevPki(Pki(), force).ok());
  EXPECT_NE(ReadFile(Pki() / "ca.pem"), ca);  // a new CA
}

TEST_F(DevPkiTest, BadInputWritesNothing) {
  for (const char* name : {"Upper", "../escape", "a/b", ""}) {
    DevPkiOptions options;
    options.clients = {{name, ""}};
    EXPECT_EQ(MakeDevPki(Pki(), options).status().code(), Code::kInvalidArgument) << name;
  }
  DevPkiOptions twice;
  twice.clients = {{"cc", "cc"}, {"cc", "dd"}};
  EXPECT_FALSE(MakeDevPki(Pki(), twice).ok());
  DevPkiOptions bad_host;
  bad_host.extra_hosts = {"not a host"};
  EXPECT_FALSE(MakeDevPki(Pki(), bad_host).ok());
  EXPECT_FALSE(fs::exists(Pki()));
}

TEST_F(DevPkiTest, AddsClientsFromTheExistingCa) {
  auto pki = MakeDevPki(Pki(), {});
  ASSERT_TRUE(pki.ok());
  ASSERT_TRUE(AddDevClient(Pki(), {"dd", "dd"}, false).ok());
  EXPECT_EQ(OpensslVerify(*pki, pki->ClientCert("dd"), "sslclient"), 0);
  EXPECT_EQ(Mode(pki->ClientKey("dd")), 0600u);
  EXPECT_EQ(AddDevClient(Pki(), {"dd", "dd"}, false).code(), Code::kAlreadyExists);
  EXPECT_TRUE(AddDevClient(Pki(), {"dd", "ee"}, true).ok());
  EXPECT_EQ(IdentityFromPem(ReadFile(pki->ClientCert("dd")), "dd")->OrgId(), "ee");

  EXPECT_EQ(AddDevClient(dir_.path() / "nothing", {"dd", "dd"}, false).code(), Code::kNotFound);
  ASSERT_EQ(::chmod(pki->ca_key.c_str(), 0644), 0);  // a CA key others can read is not used
  EXPECT_EQ(AddDevClient(Pki(), {"ff", "ff"}, false).code(), Code::kFailedPrecondition);
}

TEST_F(DevPkiTest, EnsureMakesOnceAndRefusesAPartialPki) {
  auto first = EnsureDevPki(Pki());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(*first);
  std::string server = ReadFile(Pki() / "server.pem");
  auto second = EnsureDevPki(Pki());
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  EXPECT_EQ(ReadFile(Pki() / "server.pem"), server);

  fs::remove(Pki() / "server.key");
  auto partial = EnsureDevPki(Pki());
  EXPECT_EQ(partial.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(partial.status().where(), (Pki() / "server.key").string());
}

}  // namespace
}  // namespace pathbridge::certs
