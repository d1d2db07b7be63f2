// Who a certificate names, in the terms the gateway binds tokens and
// organizations to: its SHA-256 thumbprint as RFC 8705 `x5t#S256` writes it
// (base64url of the SHA-256 of the DER), its subject common name, and its
// URI subject alternative names, where a pathbridge client certificate
// carries its organization as `urn:pathbridge:org:<id>`.
//
// Thread-safety: CertificateIdentity is a value type; the functions are pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "standards/status.h"

typedef struct x509_st X509;

namespace pathbridge::certs {

inline constexpr std::string_view kOrgUriPrefix = "urn:pathbridge:org:";
// At most this many URI names are kept from one certificate.
inline constexpr size_t kMaxSanUris = 16;

struct CertificateIdentity {
  // x5t#S256: 43 base64url characters (empty only if OpenSSL could not
  // hash, which is out of memory; an empty one must never match a binding).
  std::string thumbprint_s256;
  std::string subject_cn;  // UTF-8 as issued (escape before logging); may be empty
  std::vector<std::string> san_uris;

  // The organization id of the one `urn:pathbridge:org:` URI; nullopt if
  // there is none, or more than one (an ambiguous certificate names no one).
  std::optional<std::string> OrgId() const;
};

// "urn:pathbridge:org:<org_id>".
std::string OrgUri(std::string_view org_id);

CertificateIdentity IdentityOf(X509& cert);
// The identity of the first certificate in `pem`; `where` names it in errors.
Result<CertificateIdentity> IdentityFromPem(std::string_view pem, std::string_view where);

}  // namespace pathbridge::certs
