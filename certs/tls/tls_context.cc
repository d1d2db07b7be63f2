#include "certs/tls/tls_context.h"

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/system_error.hpp>

#include "certs/tls/pem.h"

namespace pathbridge::certs {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 only: forward secrecy and AEAD (TLS 1.3's suites are all AEAD).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr unsigned char kSessionIdContext[] = "pathbridge";
constexpr int kMaxClientChainDepth = 4;

int NoPassphrase(char*, int, int, void*) { return 0; }

std::string TimeText(const ASN1_TIME* t) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  ASN1_TIME_print_ex(bio.get(), t, ASN1_DTFLGS_ISO8601);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : "?";
}

Status CheckValidNow(X509& cert, const std::string& where) {
  if (X509_cmp_current_time(X509_get0_notAfter(&cert)) < 0)
    return Status(Code::kFailedPrecondition,
                  "the certificate expired on " + TimeText(X509_get0_notAfter(&cert)), where);
  if (X509_cmp_current_time(X509_get0_notBefore(&cert)) > 0)
    return Status(Code::kFailedPrecondition,
                  "the certificate is not valid before " + TimeText(X509_get0_notBefore(&cert)),
                  where);
  return Status::Ok();
}

Status UseCertificateAndKey(SSL_CTX* ctx, const TlsServerOptions& o) {
  std::string cert_where = o.certificate_chain.string();
  std::string key_where = o.private_key.string();
  PB_ASSIGN_OR_RETURN(std::string chain_pem, ReadPemFile(o.certificate_chain));
  PB_ASSIGN_OR_RETURN(auto chain, ParseCertificates(chain_pem, cert_where));
  X509& leaf = *chain.front();
  PB_RETURN_IF_ERROR(CheckValidNow(leaf, cert_where));
  PB_ASSIGN_OR_RETURN(std::string key_pem, ReadPemKeyFile(o.private_key));
  auto key = ParsePrivateKey(key_pem, key_where);
  WipeSecret(key_pem);
  if (!key.ok()) return key.status();
  if (X509_check_private_key(&leaf, key->get()) != 1) {
    OpenSslError();  // clear the queue
    return InvalidArgument("the private key does not match the certificate in " + cert_where,
                           key_where);
  }
  if (SSL_CTX_use_certificate(ctx, &leaf) != 1 || SSL_CTX_use_PrivateKey(ctx, key->get()) != 1)
    return InvalidArgument("OpenSSL refused the certificate or key: " + OpenSslError(),
                           cert_where);
  for (size_t i = 1; i < chain.size(); ++i)
    if (SSL_CTX_add1_chain_cert(ctx, chain[i].get()) != 1)
      return InvalidArgument("OpenSSL refused a chain certificate: " + OpenSslError(),
                             cert_where);
  return Status::Ok();
}

Status RequestClientCertificates(SSL_CTX* ctx, const TlsServerOptions& o) {
  if (o.client_certs == ClientCertMode::kNone) return Status::Ok();
  if (o.client_ca.empty())
    return InvalidArgument("checking client certificates needs a CA bundle", "client CA");
  std::string where = o.client_ca.string();
  PB_ASSIGN_OR_RETURN(std::string pem, ReadPemFile(o.client_ca));
  PB_ASSIGN_OR_RETURN(auto cas, ParseCertificates(pem, where));
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  SSL_CTX_set_client_CA_list(ctx, names);  // owns it; tells clients which CAs count
  for (const X509Ptr& ca : cas) {
    X509_NAME* name = X509_NAME_dup(X509_get_subject_name(ca.get()));
    if (X509_STORE_add_cert(store, ca.get()) != 1 || !name || sk_X509_NAME_push(names, name) <= 0) {
      X509_NAME_free(name);
      return InvalidArgument("OpenSSL refused a CA certificate: " + OpenSslError(), where);
    }
  }
  int mode = SSL_VERIFY_PEER;
  if (o.client_certs == ClientCertMode::kRequired) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  SSL_CTX_set_verify(ctx, mode, nullptr);
  SSL_CTX_set_verify_depth(ctx, kMaxClientChainDepth);
  // Resumed sessions keep the client's certificate; OpenSSL refuses to
  // resume without a context id when peers are verified.
  SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1);
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<ssl::context>> MakeServerTlsContext(const TlsServerOptions& options) {
  std::shared_ptr<ssl::context> context;
  try {
    context = std::make_shared<ssl::context>(ssl::context::tls_server);
  } catch (const boost::system::system_error& e) {
    return Internal(std::string("cannot make a TLS context: ") + e.what());
  }
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_min_proto_version(ctx, options.allow_tls12 ? TLS1_2_VERSION : TLS1_3_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_default_passwd_cb(ctx, NoPassphrase);
  if (options.allow_tls12 && SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1)
    return Internal("OpenSSL refused the TLS 1.2 cipher list: " + OpenSslError());
  PB_RETURN_IF_ERROR(UseCertificateAndKey(ctx, options));
  PB_RETURN_IF_ERROR(RequestClientCertificates(ctx, options));
  return context;
}

}  // namespace pathbridge::certs
