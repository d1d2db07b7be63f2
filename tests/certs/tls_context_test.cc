// TLS server contexts from PEM files: what they enforce, and the errors
// (naming the file) for each kind of bad input. Handshakes over the wire
// are tested in tests/integration/tls_server_test.cc.
#include "certs/tls/tls_context.h"

#include <openssl/ssl.h>
#include <sys/stat.h>

#include <boost/asio/ssl/context.hpp>
#include <gtest/gtest.h>

#include "certs/tls/certificate_authority.h"
#include "certs/tls/dev_pki.h"
#include "certs/tls/pem.h"
#include "tests/testing/test_util.h"

namespace pathbridge::certs {
namespace {

namespace fs = std::filesystem;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteFile;

class TlsContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DevPkiOptions options;
    options.clients = {{"cc", "cc"}};
    auto pki = MakeDevPki(dir_.path() / "pki", options);
    ASSERT_TRUE(pki.ok()) << pki.status().ToString();
    pki_.emplace(std::move(*pki));
  }
  TlsServerOptions Good() const {
    TlsServerOptions o;
    o.certificate_chain = pki_->server_cert;
    o.private_key = pki_->server_key;
    return o;
  }
  fs::path Path(const std::string& name) const { return dir_.path() / name; }
  // A copy of `text` as a key file, mode 0600.
  fs::path KeyFile(const std::string& name, const std::string& text) const {
    WriteFile(Path(name), text);
    ::chmod(Path(name).c_str(), 0600);
    return Path(name);
  }
  static Status Error(const TlsServerOptions& o) { return MakeServerTlsContext(o).status(); }

  TempDir dir_;
  std::optional<DevPkiLayout> pki_;
};

TEST_F(TlsContextTest, Tls13OnlyUnlessTls12IsAllowed) {
  auto ctx = MakeServerTlsContext(Good());
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  SSL_CTX* native = (*ctx)->native_handle();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(native), TLS1_3_VERSION);
  EXPECT_EQ(SSL_CTX_get_verify_mode(native), SSL_VERIFY_NONE);
  EXPECT_NE(SSL_CTX_get_options(native) & SSL_OP_NO_RENEGOTIATION, 0u);

  TlsServerOptions o = Good();
  o.allow_tls12 = true;
  auto tls12 = MakeServerTlsContext(o);
  ASSERT_TRUE(tls12.ok()) << tls12.status().ToString();
  native = (*tls12)->native_handle();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(native), TLS1_2_VERSION);
  // Every TLS 1.2 suite on offer has forward secrecy and an AEAD cipher.
  STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(native);
  ASSERT_GT(sk_SSL_CIPHER_num(ciphers), 0);
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(ciphers, i);
    if (std::string_view(SSL_CIPHER_get_version(c)) == "TLSv1.3") continue;
    EXPECT_TRUE(SSL_CIPHER_is_aead(c)) << SSL_CIPHER_get_name(c);
    EXPECT_EQ(SSL_CIPHER_get_kx_nid(c), NID_kx_ecdhe) << SSL_CIPHER_get_name(c);
  }
}

TEST_F(TlsContextTest, ClientCertificateModes) {
  TlsServerOptions o = Good();
  o.client_certs = ClientCertMode::kRequired;
  EXPECT_EQ(Error(o).code(), Code::kInvalidArgument);  // no CA bundle to check against
  o.client_ca = pki_->ca_cert;
  auto required = MakeServerTlsContext(o);
  ASSERT_TRUE(required.ok()) << required.status().ToString();
  EXPECT_EQ(SSL_CTX_get_verify_mode((*required)->native_handle()),
            SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
  EXPECT_EQ(sk_X509_NAME_num(SSL_CTX_get_client_CA_list((*required)->native_handle())), 1);
  o.client_certs = ClientCertMode::kOptional;
  auto optional = MakeServerTlsContext(o);
  ASSERT_TRUE(optional.ok());
  EXPECT_EQ(SSL_CTX_get_verify_mode((*optional)->native_handle()), SSL_VERIFY_PEER);

  o.client_ca = Path("missing-ca.pem");
  EXPECT_EQ(Error(o).code(), Code::kNotFound);
  EXPECT_EQ(Error(o).where(), Path("missing-ca.pem").string());
}

TEST_F(TlsContextTest, FileErrorsNameTheFile) {
  TlsServerOptions o = Good();
  o.certificate_chain = Path("missing.pem");
  EXPECT_EQ(Error(o).code(), Code::kNotFound);
  EXPECT_EQ(Error(o).where(), Path("missing.pem").string());

  WriteFile(Path("not.pem"), "this is not PEM\n");
  o.certificate_chain = Path("not.pem");
  EXPECT_EQ(Error(o).code(), Code::kInvalidArgument);
  EXPECT_EQ(Error(o).where(), Path("not.pem").string());

  o = Good();
  o.private_key = KeyFile("garbage.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  EXPECT_EQ(Error(o).code(), Code::kInvalidArgument);
  EXPECT_EQ(Error(o).where(), o.private_key.string());
}

TEST_F(TlsContextTest, KeyMustMatchAndStayPrivate) {
  TlsServerOptions o = Good();
  o.private_key = pki_->ClientKey("cc");  // a valid key, of another certificate
  Status s = Error(o);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.where(), pki_->ClientKey("cc").string());
  EXPECT_NE(s.message().find("does not match"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find(pki_->server_cert.string()), std::string::npos) << s.ToString();

  o = Good();
  ASSERT_EQ(::chmod(o.private_key.c_str(), 0644), 0);
  EXPECT_EQ(Error(o).code(), Code::kFailedPrecondition);
  ASSERT_EQ(::chmod(o.private_key.c_str(), 0600), 0);

  // An encrypted key would need a passphrase typed at startup: refused
  // with a hint, never prompted for.
  fs::path encrypted = Path("encrypted.key");
  auto r = RunCommand("openssl pkey -in " + o.private_key.string() +
                      " -aes256 -passout pass:secret -out " + encrypted.string() + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ::chmod(encrypted.c_str(), 0600);
  o.private_key = encrypted;
  s = Error(o);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("encrypted"), std::string::npos) << s.ToString();
}

// A certificate outside its validity period is refused at startup rather
// than failing every handshake later.
TEST_F(TlsContextTest, ExpiredCertificateIsRefused) {
  auto key_pem = testing::ReadFile(pki_->server_key);
  PkeyPtr key = std::move(*ParsePrivateKey(key_pem, "key"));
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("old"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3 * 86400);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), -86400);
  X509_set_pubkey(cert.get(), key.get());
  ASSERT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);
  WriteFile(Path("expired.pem"), CertificateToPem(*cert));

  TlsServerOptions o = Good();
  o.certificate_chain = Path("expired.pem");
  Status s = Error(o);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("expired"), std::string::npos) << s.ToString();
  EXPECT_EQ(s.where(), Path("expired.pem").string());
}

}  // namespace
}  // namespace pathbridge::certs
