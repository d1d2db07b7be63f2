// A small X.509 certificate authority for development and tests (OpenSSL 3):
// a self-signed P-256 CA (ECDSA with SHA-256, widely accepted by curl,
// browsers and OpenSSL clients) that issues P-256 leaf certificates for TLS
// servers (DNS and IP subject alternative names, serverAuth) and clients
// (a common name and URI names, clientAuth). Serial numbers are 127-bit
// random; validity starts an hour back to absorb clock skew.
//
// Thread-safety: a CertificateAuthority is immutable after creation; Issue
// may be called from several threads.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "certs/tls/openssl_handles.h"
#include "standards/status.h"

namespace pathbridge::certs {

// Browsers refuse leaf certificates valid for more than 398 days.
inline constexpr std::chrono::days kLeafValidity{397};
inline constexpr std::chrono::days kCaValidity{3650};

enum class CertificateUse { kServer, kClient };

struct LeafSpec {
  CertificateUse use = CertificateUse::kServer;
  std::string common_name;             // 1 to 64 characters
  std::vector<std::string> hosts;      // DNS names or IP addresses (servers)
  std::vector<std::string> uris;       // URI names, e.g. OrgUri(id) (clients)
  std::chrono::days validity = kLeafValidity;
};

// A certificate and its private key in PEM. The destructor wipes the key.
struct PemPair {
  std::string certificate;
  std::string private_key;  // unencrypted PKCS#8

  PemPair() = default;
  PemPair(PemPair&&) = default;
  PemPair& operator=(PemPair&&) = default;
  PemPair(const PemPair&) = delete;
  PemPair& operator=(const PemPair&) = delete;
  ~PemPair();
};

// A host name a certificate can carry: an IP address (v4 or v6), or a DNS
// name of letters, digits and hyphens in dot-separated labels. Errors name
// the host.
Status CheckCertificateHost(std::string_view host);

class CertificateAuthority {
 public:
  static Result<CertificateAuthority> Create(std::string_view common_name,
                                             std::chrono::days validity = kCaValidity);
  // A CA from its certificate and key; refuses a key that does not match,
  // or a certificate that is not a CA. `where` names the source in errors.
  static Result<CertificateAuthority> FromPem(std::string_view certificate_pem,
                                              std::string_view key_pem, std::string_view where);

  Result<PemPair> Issue(const LeafSpec& spec) const;
  PemPair ToPem() const;

 private:
  CertificateAuthority(std::shared_ptr<X509> cert, std::shared_ptr<EVP_PKEY> key)
      : cert_(std::move(cert)), key_(std::move(key)) {}

  std::shared_ptr<X509> cert_;
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace pathbridge::certs
