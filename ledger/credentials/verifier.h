// Verifying a credential from anyone: a W3C Verifiable Credential (Open
// Badges 3.0, CLR 2.0, any VC 2.0 or 1.1) secured with Data Integrity proofs
// or as a VC-JOSE compact JWS. The answer is a VerificationReport, one check
// per question a registrar asks:
//   schema             well-formed: known contexts, no undefined terms
//   proof              every signature verifies (DI proofs, or the JWS)
//   issuer             the issuer is the controller of the signing key
//   dates              validFrom/validUntil (issuanceDate/expirationDate)
//                      against now, with a clock-skew tolerance
//   status.<purpose>   each credentialStatus entry, read from its verified
//                      Bitstring Status List credential
//   trust              which trust-list entry the issuer matched (only when
//                      a trust registry is given)
//   receipt            the ledger receipt (only when one is given)
//   nested[i]          each embedded credential (CLR verifiableCredential,
//                      OB endorsements), verified the same way; its checks
//                      follow as "nested[i].<id>"
// Nothing is fetched: keys come from the KeyResolver, status lists from a
// StatusListSource; what neither has is "could not check" (indeterminate),
// never "valid".
//
// Thread-safety: Verify is reentrant; the context's objects must be safe to
// share (the resolvers and sources here are immutable).
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "certs/key_resolver.h"
#include "certs/trust_registry.h"
#include "ledger/credentials/ledger_entry.h"
#include "ledger/credentials/receipt.h"
#include "ledger/credentials/verification_report.h"
#include "standards/jsonld.h"
#include "standards/time.h"

namespace pathbridge::credentials {

// Where status list credentials come from. kNotFound: not available here.
class StatusListSource {
 public:
  virtual ~StatusListSource() = default;
  virtual Result<boost::json::object> Fetch(std::string_view url) const = 0;
};

// Status list credentials held in memory, by URL (a local document map).
class MapStatusListSource final : public StatusListSource {
 public:
  explicit MapStatusListSource(std::map<std::string, boost::json::object, std::less<>> lists)
      : lists_(std::move(lists)) {}
  Result<boost::json::object> Fetch(std::string_view url) const override;

 private:
  std::map<std::string, boost::json::object, std::less<>> lists_;
};

// A status list credential is a few KiB (131,072 bits compress well).
inline constexpr std::size_t kMaxStatusListFile = 4u << 20;

// The lists a hub publishes under its data directory: the URL
// "<base_url>/status/<org>/<purpose>/<n>" is the file
// DATA/status/<org>/<purpose>/<n>.json (see issuer.h).
class PublishedStatusListSource final : public StatusListSource {
 public:
  PublishedStatusListSource(std::filesystem::path data_dir, std::string base_url)
      : data_dir_(std::move(data_dir)), base_url_(std::move(base_url)) {}
  Result<boost::json::object> Fetch(std::string_view url) const override;

 private:
  std::filesystem::path data_dir_;
  std::string base_url_;
};

// Tries each source in order; the first answer other than kNotFound wins.
class ChainStatusListSource final : public StatusListSource {
 public:
  explicit ChainStatusListSource(std::vector<std::shared_ptr<const StatusListSource>> sources)
      : sources_(std::move(sources)) {}
  Result<boost::json::object> Fetch(std::string_view url) const override;

 private:
  std::vector<std::shared_ptr<const StatusListSource>> sources_;
};

struct VerifyContext {
  const certs::KeyResolver* keys = nullptr;  // required: without it nothing verifies
  const StatusListSource* status_lists = nullptr;  // none: status "could not check"
  const certs::TrustRegistry* trust = nullptr;  // none: no trust check
  const ReceiptTrust* ledger = nullptr;  // the ledger keys a receipt is checked against
  Timestamp now;
  std::chrono::seconds clock_skew{300};
  std::size_t max_nesting = 4;  // embedded credentials inside embedded credentials
  const jsonld::DocumentLoader* loader = &jsonld::BundledLoader::Instance();
};

// `receipt` is optional: without one there is no receipt check.
VerificationReport Verify(const SignedCredential& credential, const VerifyContext& context,
                          const Receipt* receipt = nullptr);

}  // namespace pathbridge::credentials
