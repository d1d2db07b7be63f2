// The X.509 CA and certificate identities, checked with OpenSSL's own
// verifier and, independently, with the openssl command line.
#include "certs/tls/certificate_authority.h"

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <gtest/gtest.h>

#include "certs/tls/certificate_identity.h"
#include "certs/tls/pem.h"
#include "tests/testing/test_util.h"

namespace pathbridge::certs {
namespace {

namespace fs = std::filesystem;
using testing::RunCommand;
using testing::TempDir;

X509Ptr Parse(const std::string& pem) {
  auto certs = ParseCertificates(pem, "test");
  EXPECT_TRUE(certs.ok()) << certs.status().ToString();
  return certs.ok() ? std::move(certs->front()) : nullptr;
}

// OpenSSL's chain verification for X509_PURPOSE_SSL_SERVER or _CLIENT.
bool Verifies(const std::string& ca_pem, const std::string& leaf_pem, int purpose) {
  X509Ptr ca = Parse(ca_pem), leaf = Parse(leaf_pem);
  std::unique_ptr<X509_STORE, OpenSslDeleter<X509_STORE, X509_STORE_free>> store(X509_STORE_new());
  std::unique_ptr<X509_STORE_CTX, OpenSslDeleter<X509_STORE_CTX, X509_STORE_CTX_free>> ctx(
      X509_STORE_CTX_new());
  X509_STORE_add_cert(store.get(), ca.get());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr);
  X509_STORE_CTX_set_purpose(ctx.get(), purpose);
  bool ok = X509_verify_cert(ctx.get()) == 1;
  OpenSslError();
  return ok;
}

std::string Shell(const std::string& command) {
  auto r = RunCommand(command);
  EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.out;
  return r.out;
}

LeafSpec Server(std::vector<std::string> hosts) {
  return {CertificateUse::kServer, "localhost", std::move(hosts), {}, kLeafValidity};
}
LeafSpec Client(std::string cn, std::vector<std::string> uris) {
  return {CertificateUse::kClient, std::move(cn), {}, std::move(uris), kLeafValidity};
}

class CertificateAuthorityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = CertificateAuthority::Create("test CA");
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    ca_.emplace(std::move(*ca));
    ca_pem_ = ca_->ToPem().certificate;
  }
  std::optional<CertificateAuthority> ca_;
  std::string ca_pem_;
  TempDir dir_;
};

TEST_F(CertificateAuthorityTest, ServerCertificatesChainAndNameTheirHosts) {
  auto server = ca_->Issue(Server({"localhost", "127.0.0.1", "::1", "hub.example"}));
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  EXPECT_TRUE(Verifies(ca_pem_, server->certificate, X509_PURPOSE_SSL_SERVER));
  EXPECT_FALSE(Verifies(ca_pem_, server->certificate, X509_PURPOSE_SSL_CLIENT));  // serverAuth only
  X509Ptr leaf = Parse(server->certificate);
  EXPECT_EQ(X509_check_host(leaf.get(), "hub.example", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(leaf.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(leaf.get(), "other.example", 0, 0, nullptr), 0);
  EXPECT_EQ(X509_check_ip_asc(leaf.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(leaf.get(), "::1", 0), 1);
  EXPECT_EQ(X509_check_ca(leaf.get()), 0);
  PkeyPtr key = std::move(*ParsePrivateKey(server->private_key, "key"));
  EXPECT_EQ(X509_check_private_key(leaf.get(), key.get()), 1);
  char group[64] = {};
  size_t n = 0;
  ASSERT_EQ(EVP_PKEY_get_group_name(key.get(), group, sizeof group, &n), 1);
  EXPECT_STREQ(group, "prime256v1");

  // The openssl command agrees, knowing nothing of this code.
  testing::WriteFile(dir_.path() / "ca.pem", ca_pem_);
  testing::WriteFile(dir_.path() / "server.pem", server->certificate);
  std::string d = dir_.path().string();
  Shell("openssl verify -purpose sslserver -CAfile " + d + "/ca.pem " + d + "/server.pem");
  std::string text = Shell("openssl x509 -noout -text -in " + d + "/server.pem");
  EXPECT_NE(text.find("DNS:hub.example"), std::string::npos) << text;
  EXPECT_NE(text.find("IP Address:0:0:0:0:0:0:0:1"), std::string::npos) << text;
  EXPECT_NE(text.find("TLS Web Server Authentication"), std::string::npos) << text;
  EXPECT_NE(text.find("ecdsa-with-SHA256"), std::string::npos) << text;
}

TEST_F(CertificateAuthorityTest, ClientCertificatesCarryNameOrgAndThumbprint) {
  auto client = ca_->Issue(Client("cc", {OrgUri("cc")}));
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  EXPECT_TRUE(Verifies(ca_pem_, client->certificate, X509_PURPOSE_SSL_CLIENT));
  EXPECT_FALSE(Verifies(ca_pem_, client->certificate, X509_PURPOSE_SSL_SERVER));
  auto id = IdentityFromPem(client->certificate, "client");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->subject_cn, "cc");
  EXPECT_EQ(id->san_uris, std::vector<std::string>{"urn:pathbridge:org:cc"});
  EXPECT_EQ(id->OrgId(), "cc");

  // x5t#S256 (RFC 8705): base64url of the SHA-256 of the DER, as the
  // openssl and basenc commands compute it.
  fs::path pem = dir_.path() / "client.pem";
  testing::WriteFile(pem, client->certificate);
  std::string expected = Shell("openssl x509 -in " + pem.string() +
                               " -outform DER | openssl dgst -sha256 -binary | basenc "
                               "--base64url | tr -d '=\\n'");
  EXPECT_EQ(id->thumbprint_s256, expected);
  EXPECT_EQ(id->thumbprint_s256.size(), 43u);
}

TEST_F(CertificateAuthorityTest, OrgIdNeedsExactlyOneOrgUri) {
  auto none = ca_->Issue(Client("x", {"https://example.org/x"}));
  auto two = ca_->Issue(Client("x", {OrgUri("a"), OrgUri("b")}));
  ASSERT_TRUE(none.ok() && two.ok());
  EXPECT_EQ(IdentityFromPem(none->certificate, "none")->OrgId(), std::nullopt);
  EXPECT_EQ(IdentityFromPem(two->certificate, "two")->OrgId(), std::nullopt);
  EXPECT_EQ(IdentityFromPem(two->certificate, "two")->san_uris.size(), 2u);
}

TEST_F(CertificateAuthorityTest, BadSpecsAreRefused) {
  EXPECT_FALSE(ca_->Issue(Server({})).ok());  // a server needs a host
  for (const char* host : {"exa mple.org", "-bad.example", "bad-.example", "a..b", "", "x/y",
                           "localhost,IP:1.2.3.4"})
    EXPECT_EQ(ca_->Issue(Server({host})).status().code(), Code::kInvalidArgument) << host;
  EXPECT_FALSE(ca_->Issue(Client(std::string(65, 'a'), {})).ok());
  EXPECT_FALSE(ca_->Issue(Client("", {})).ok());
  EXPECT_FALSE(ca_->Issue(Client("a\nb", {})).ok());
  EXPECT_FALSE(ca_->Issue(Client("x", {"no scheme"})).ok());
  EXPECT_FALSE(ca_->Issue(Client("x", {"urn:a b"})).ok());
  LeafSpec forever = Client("x", {});
  forever.validity = std::chrono::days(10000);
  EXPECT_FALSE(ca_->Issue(forever).ok());
}

TEST_F(CertificateAuthorityTest, FromPemReloadsTheCaAndRefusesMismatches) {
  PemPair pem = ca_->ToPem();
  auto again = CertificateAuthority::FromPem(pem.certificate, pem.private_key, "ca");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  auto leaf = again->Issue(Client("cc", {}));
  ASSERT_TRUE(leaf.ok());
  EXPECT_TRUE(Verifies(ca_pem_, leaf->certificate, X509_PURPOSE_SSL_CLIENT));  // same CA

  auto other = CertificateAuthority::Create("other CA");
  ASSERT_TRUE(other.ok());
  auto mismatched = CertificateAuthority::FromPem(pem.certificate, other->ToPem().private_key, "ca");
  EXPECT_EQ(mismatched.status().code(), Code::kInvalidArgument);
  EXPECT_NE(mismatched.status().message().find("does not match"), std::string::npos);
  auto not_ca = CertificateAuthority::FromPem(leaf->certificate, leaf->private_key, "leaf");
  EXPECT_NE(not_ca.status().message().find("not a CA"), std::string::npos);
  EXPECT_EQ(CertificateAuthority::FromPem("junk", pem.private_key, "ca").status().code(),
            Code::kInvalidArgument);
}

TEST(CertificateIdentity, GarbageIsAnErrorNamingTheSource) {
  auto id = IdentityFromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                            "peer.pem");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().where(), "peer.pem");
  EXPECT_FALSE(IdentityFromPem("", "empty").ok());
}

}  // namespace
}  // namespace pathbridge::certs
