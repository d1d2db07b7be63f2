#include "certs/tls/certificate_identity.h"

#include <openssl/evp.h>

#include "certs/tls/openssl_handles.h"
#include "certs/tls/pem.h"
#include "standards/encoding.h"

namespace pathbridge::certs {
namespace {

std::string Utf8(const ASN1_STRING* s) {
  unsigned char* out = nullptr;
  int n = ASN1_STRING_to_UTF8(&out, s);
  if (n < 0) return {};
  std::string text(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  OPENSSL_free(out);
  return text;
}

std::string SubjectCommonName(X509& cert) {
  X509_NAME* subject = X509_get_subject_name(&cert);
  int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (i < 0) return {};
  return Utf8(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i)));
}

std::vector<std::string> SanUris(X509& cert) {
  std::vector<std::string> uris;
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(&cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return uris;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()) && uris.size() < kMaxSanUris; ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_URI) continue;
    const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
    uris.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                      static_cast<size_t>(ASN1_STRING_length(uri)));
  }
  return uris;
}

}  // namespace

std::optional<std::string> CertificateIdentity::OrgId() const {
  std::optional<std::string> org;
  for (const std::string& uri : san_uris) {
    if (!uri.starts_with(kOrgUriPrefix)) continue;
    if (org) return std::nullopt;
    org = uri.substr(kOrgUriPrefix.size());
  }
  if (org && org->empty()) return std::nullopt;
  return org;
}

std::string OrgUri(std::string_view org_id) { return std::string(kOrgUriPrefix) + std::string(org_id); }

CertificateIdentity IdentityOf(X509& cert) {
  CertificateIdentity id;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(&cert, EVP_sha256(), digest, &n) == 1)
    id.thumbprint_s256 = Base64UrlEncode(ByteSpan(digest, n));
  id.subject_cn = SubjectCommonName(cert);
  id.san_uris = SanUris(cert);
  return id;
}

Result<CertificateIdentity> IdentityFromPem(std::string_view pem, std::string_view where) {
  PB_ASSIGN_OR_RETURN(auto certs, ParseCertificates(pem, where));
  return IdentityOf(*certs.front());
}

}  // namespace pathbridge::certs
