// Which issuers a verifier accepts: a trust list it is configured with. A
// valid signature says who issued a credential; the trust list says whether
// that issuer counts. JSON:
//   {"name": "Lakeview consortium",
//    "entries": [
//      {"name": "Lakeview Community College", "id": "did:web:lakeview.example"},
//      {"name": "Hub organizations", "idPrefix": "did:web:hub.example:orgs:",
//       "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00Z",
//       "credentialTypes": ["OpenBadgeCredential"]}]}
// An entry names one issuer exactly ("id") or every issuer under a prefix
// ("idPrefix", which must end in ':' or '/', so "did:web:hub.example" cannot
// also admit "did:web:hub.example.evil"). Unknown members are errors: a
// misspelt restriction must not be ignored.
//
// Thread-safety: immutable after loading; Match is safe from many threads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "certs/org_registry.h"
#include "standards/time.h"

namespace pathbridge::certs {

struct TrustEntry {
  std::string name;
  std::string id;         // the issuer, exactly; or
  std::string id_prefix;  // every issuer whose id starts with this
  std::optional<Timestamp> valid_from, valid_until;
  std::vector<std::string> credential_types;  // empty: any type
};

struct TrustMatch {
  std::string name;   // the entry's name
  std::size_t index;  // its place in "entries"
};

class TrustRegistry {
 public:
  TrustRegistry(std::string name, std::vector<TrustEntry> entries)
      : name_(std::move(name)), entries_(std::move(entries)) {}

  const std::string& name() const { return name_; }
  const std::vector<TrustEntry>& entries() const { return entries_; }

  // The first entry that trusts `issuer_id` for a credential with these
  // types (one of them must be listed, if the entry lists any) at time
  // `at`. Otherwise kVerificationFailed, saying why: no entry names the
  // issuer, or those that do are outside their window or for other types.
  Result<TrustMatch> Match(std::string_view issuer_id,
                           const std::vector<std::string>& credential_types, Timestamp at) const;

 private:
  std::string name_;
  std::vector<TrustEntry> entries_;
};

// Errors say where: "trust.json:/entries/2/idPrefix".
Result<TrustRegistry> LoadTrustRegistry(const std::filesystem::path& path);
Result<TrustRegistry> ParseTrustRegistry(const boost::json::value& value, std::string_view where);

// A hub trusts its own organizations: an entry for each DID each has had
// (their keys' windows are the resolver's business).
TrustRegistry OrganizationsTrustRegistry(const std::vector<Organization>& orgs);

}  // namespace pathbridge::certs
