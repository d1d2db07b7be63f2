#include "certs/tls/certificate_authority.h"

#include <arpa/inet.h>
#include <openssl/rand.h>

#include <cctype>

#include "certs/tls/pem.h"

namespace pathbridge::certs {
namespace {

constexpr long kBackdateSeconds = 3600;
constexpr size_t kMaxCommonName = 64;  // X.520 ub-common-name
constexpr size_t kMaxNames = 32;       // SANs per certificate
constexpr size_t kMaxUri = 256;

bool IsIpAddress(std::string_view host) {
  std::string h(host);
  unsigned char buf[16];
  return inet_pton(AF_INET, h.c_str(), buf) == 1 || inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

bool IsDnsName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  size_t start = 0;
  while (start <= host.size()) {
    size_t end = host.find('.', start);
    if (end == std::string_view::npos) end = host.size();
    std::string_view label = host.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return false;
    start = end + 1;
  }
  return true;
}

Status CheckCommonName(std::string_view cn) {
  if (cn.empty() || cn.size() > kMaxCommonName)
    return InvalidArgument("a common name must be 1 to 64 characters", "common name");
  for (unsigned char c : cn)
    if (c < 0x20 || c == 0x7f)
      return InvalidArgument("a common name must not hold control characters", "common name");
  return Status::Ok();
}

Status CheckUri(std::string_view uri) {
  if (uri.empty() || uri.size() > kMaxUri || uri.find(':') == std::string_view::npos)
    return InvalidArgument("not a URI (scheme:rest, at most 256 characters)", std::string(uri));
  for (unsigned char c : uri)
    if (c <= 0x20 || c >= 0x7f)
      return InvalidArgument("a URI name must be printable ASCII without spaces", "URI name");
  return Status::Ok();
}

Result<PkeyPtr> NewP256Key() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return Internal("cannot make a P-256 key: " + OpenSslError());
  return key;
}

bool SetRandomSerial(X509& cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return false;
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7f) | 0x40);  // positive, 16 bytes
  BignumPtr bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  return bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(&cert)) != nullptr;
}

// A version 3 certificate for `key`, named `cn`, valid from an hour ago for
// `validity`, with no issuer, extensions or signature yet.
Result<X509Ptr> NewCertificate(std::string_view cn, EVP_PKEY& key, std::chrono::days validity) {
  X509Ptr cert(X509_new());
  if (!cert) return Internal("cannot build a certificate: " + OpenSslError());
  X509_NAME* subject = X509_get_subject_name(cert.get());
  bool ok = X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
            SetRandomSerial(*cert) &&
            X509_NAME_add_entry_by_NID(subject, NID_commonName, MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(cn.data()),
                                       static_cast<int>(cn.size()), -1, 0) == 1 &&
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) &&
            X509_time_adj_ex(X509_getm_notAfter(cert.get()), static_cast<int>(validity.count()),
                             0, nullptr) &&
            X509_set_pubkey(cert.get(), &key) == 1;
  if (!ok) return Internal("cannot build a certificate: " + OpenSslError());
  return cert;
}

bool AddExtension(X509& cert, X509& issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, &issuer, &cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(&cert, ext.get(), -1) == 1;
}

bool AddName(GENERAL_NAMES& names, int type, const std::string& value) {
  GENERAL_NAME* name = a2i_GENERAL_NAME(nullptr, nullptr, nullptr, type, value.c_str(), 0);
  if (name && sk_GENERAL_NAME_push(&names, name) > 0) return true;
  GENERAL_NAME_free(name);
  return false;
}

bool AddSubjectAltNames(X509& cert, const LeafSpec& spec) {
  if (spec.hosts.empty() && spec.uris.empty()) return true;
  GeneralNamesPtr names(GENERAL_NAMES_new());
  if (!names) return false;
  for (const std::string& host : spec.hosts)
    if (!AddName(*names, IsIpAddress(host) ? GEN_IPADD : GEN_DNS, host)) return false;
  for (const std::string& uri : spec.uris)
    if (!AddName(*names, GEN_URI, uri)) return false;
  return X509_add1_ext_i2d(&cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) == 1;
}

Status CheckLeafSpec(const LeafSpec& spec) {
  PB_RETURN_IF_ERROR(CheckCommonName(spec.common_name));
  if (spec.hosts.size() + spec.uris.size() > kMaxNames)
    return InvalidArgument("more than 32 subject alternative names", spec.common_name);
  if (spec.use == CertificateUse::kServer && spec.hosts.empty())
    return InvalidArgument("a server certificate needs at least one host", spec.common_name);
  for (const std::string& host : spec.hosts) PB_RETURN_IF_ERROR(CheckCertificateHost(host));
  for (const std::string& uri : spec.uris) PB_RETURN_IF_ERROR(CheckUri(uri));
  if (spec.validity.count() < 1 || spec.validity > kCaValidity)
    return InvalidArgument("validity must be 1 to 3650 days", spec.common_name);
  return Status::Ok();
}

}  // namespace

PemPair::~PemPair() { WipeSecret(private_key); }

Status CheckCertificateHost(std::string_view host) {
  if (IsIpAddress(host) || IsDnsName(host)) return Status::Ok();
  return InvalidArgument("not an IP address or a DNS name (letters, digits, hyphens, dots)",
                         std::string(host.substr(0, 253)));
}

Result<CertificateAuthority> CertificateAuthority::Create(std::string_view common_name,
                                                          std::chrono::days validity) {
  PB_RETURN_IF_ERROR(CheckCommonName(common_name));
  PB_ASSIGN_OR_RETURN(PkeyPtr key, NewP256Key());
  PB_ASSIGN_OR_RETURN(X509Ptr cert, NewCertificate(common_name, *key, validity));
  // Self-signed: the subject key identifier must exist before the
  // authority key identifier can copy it.
  bool ok = X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) == 1 &&
            AddExtension(*cert, *cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
            AddExtension(*cert, *cert, NID_key_usage, "critical,keyCertSign,cRLSign") &&
            AddExtension(*cert, *cert, NID_subject_key_identifier, "hash") &&
            AddExtension(*cert, *cert, NID_authority_key_identifier, "keyid:always") &&
            X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
  if (!ok) return Internal("cannot make the CA certificate: " + OpenSslError());
  return CertificateAuthority(std::move(cert), std::move(key));
}

Result<CertificateAuthority> CertificateAuthority::FromPem(std::string_view certificate_pem,
                                                           std::string_view key_pem,
                                                           std::string_view where) {
  PB_ASSIGN_OR_RETURN(auto certs, ParseCertificates(certificate_pem, where));
  PB_ASSIGN_OR_RETURN(PkeyPtr key, ParsePrivateKey(key_pem, where));
  X509Ptr& cert = certs.front();
  if (X509_check_ca(cert.get()) == 0)
    return InvalidArgument("the certificate is not a CA certificate", std::string(where));
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    OpenSslError();  // clear the queue
    return InvalidArgument("the CA key does not match the CA certificate", std::string(where));
  }
  return CertificateAuthority(std::move(cert), std::move(key));
}

Result<PemPair> CertificateAuthority::Issue(const LeafSpec& spec) const {
  PB_RETURN_IF_ERROR(CheckLeafSpec(spec));
  PB_ASSIGN_OR_RETURN(PkeyPtr key, NewP256Key());
  PB_ASSIGN_OR_RETURN(X509Ptr cert, NewCertificate(spec.common_name, *key, spec.validity));
  const char* eku = spec.use == CertificateUse::kServer ? "serverAuth" : "clientAuth";
  bool ok = X509_set_issuer_name(cert.get(), X509_get_subject_name(cert_.get())) == 1 &&
            AddExtension(*cert, *cert_, NID_basic_constraints, "critical,CA:FALSE") &&
            AddExtension(*cert, *cert_, NID_key_usage, "critical,digitalSignature") &&
            AddExtension(*cert, *cert_, NID_ext_key_usage, eku) &&
            AddExtension(*cert, *cert_, NID_subject_key_identifier, "hash") &&
            AddExtension(*cert, *cert_, NID_authority_key_identifier, "keyid:always") &&
            AddSubjectAltNames(*cert, spec) && X509_sign(cert.get(), key_.get(), EVP_sha256()) > 0;
  if (!ok) return Internal("cannot issue the certificate: " + OpenSslError(), spec.common_name);
  PemPair pair;
  pair.certificate = CertificateToPem(*cert);
  pair.private_key = PrivateKeyToPem(*key);
  return pair;
}

PemPair CertificateAuthority::ToPem() const {
  PemPair pair;
  pair.certificate = CertificateToPem(*cert_);
  pair.private_key = PrivateKeyToPem(*key_);
  return pair;
}

}  // namespace pathbridge::certs
