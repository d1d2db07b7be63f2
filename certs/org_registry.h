// The issuing organizations a hub signs credentials for, under a data
// directory:
//   DATA/orgs/<ORG>/org.json         who the organization is and its public keys
//   DATA/orgs/<ORG>/keys/key-N.key   the secret keys (key_file.h; sealed with a
//                                    passphrase when one is given), mode 0600
// org.json:
//   {"id":"cc","name":"Lakeview Community College","didMethod":"web",
//    "webHost":"localhost%3A8443","did":"did:web:localhost%3A8443:orgs:cc",
//    "keys":[{"id":"key-1","publicKeyMultibase":"z6Mk...",
//             "validFrom":"...","validUntil":"...","revoked":"..."}]}
// A did:web organization is did:web:<host>:orgs:<ORG> (its document is served
// at https://<host>/orgs/<ORG>/did.json) and names its keys DID#key-N. A
// did:key organization's DID is the did:key of its active key, so rotation
// gives it a new DID; the old DIDs keep resolving through the registry.
//
// Key rotation: the active key gets validUntil = now and stays listed, so
// what it signed still verifies; the new key-N+1 is valid from now.
// Revocation (a compromised key) sets `revoked`: the key is listed with it
// and leaves every verification relationship, so nothing it signed verifies
// any more, whatever its proof's `created` says (whoever holds a compromised
// key can backdate).
//
// Writes are atomic (temp file or directory, then rename). Thread-safety:
// functions are safe to call from many threads, but concurrent changes to
// one organization race (the last org.json written wins); the CLI is its
// only writer.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "certs/key_file.h"
#include "certs/key_resolver.h"
#include "certs/resolvers.h"
#include "standards/time.h"

namespace pathbridge::certs {

// The gateway's default https address, as a did:web host.
inline constexpr std::string_view kDefaultWebHost = "localhost%3A8443";

enum class DidMethod { kWeb, kKey };

struct OrgKey {
  std::string id;  // "key-N"
  Ed25519PublicKey public_key{};
  std::string valid_from, valid_until, revoked;  // RFC 3339 UTC; empty: not set

  bool active() const { return valid_until.empty() && revoked.empty(); }
};

struct Organization {
  std::string slug;  // [a-z0-9-]{1,63}
  std::string name;
  DidMethod did_method = DidMethod::kWeb;
  std::string web_host;     // did:web only: the host, port colon encoded
  std::vector<OrgKey> keys;  // oldest first

  // The newest active key; null when every key is retired or revoked.
  const OrgKey* ActiveKey() const;
  // The organization's DID now (for did:key, that of the active or newest key).
  std::string Did() const;
  // The DID that names `key`: Did() for did:web, the key's own did:key.
  std::string DidOf(const OrgKey& key) const;
  // "did:web:...#key-N" or "did:key:z6Mk...#z6Mk...".
  std::string MethodUrl(const OrgKey& key) const;
  // Every key with its window and relationships (authentication and
  // assertionMethod unless revoked); source "organization <slug> (pathbridge registry)".
  std::vector<VerificationMethod> VerificationMethods() const;
};

struct OrgSpec {
  std::string slug;
  std::string name;
  DidMethod did_method = DidMethod::kWeb;
  std::string web_host = std::string(kDefaultWebHost);  // any form DidWebHost takes
};

struct SigningKey {
  Ed25519Key key;
  std::string did;
  std::string verification_method;
};

// An organization id (slug): 1 to 63 of a-z, 0-9 and '-'.
Status CheckOrgSlug(std::string_view slug);

// Creates the organization with its first key (valid from `now`);
// kAlreadyExists if there is one with that slug.
Result<Organization> AddOrganization(const std::filesystem::path& data_dir, const OrgSpec& spec,
                                     const KeyFileProtection& protection, Timestamp now);
Result<Organization> LoadOrganization(const std::filesystem::path& data_dir,
                                      std::string_view slug);
// Every organization, by slug; none if DATA/orgs does not exist.
Result<std::vector<Organization>> ListOrganizations(const std::filesystem::path& data_dir);

// The active key, opened with `passphrase` and checked against org.json.
Result<SigningKey> ActiveSigningKey(const std::filesystem::path& data_dir, std::string_view slug,
                                    std::string_view passphrase);
// Retires the active key at `now` (after opening it with the passphrase, so
// the new key is sealed the same way) and adds key-N+1 valid from `now`.
Result<Organization> RotateKey(const std::filesystem::path& data_dir, std::string_view slug,
                               const KeyFileProtection& protection, Timestamp now);
// Marks a key revoked as of `at` (a compromise); rotate afterwards if it
// was the active key.
Result<Organization> RevokeKey(const std::filesystem::path& data_dir, std::string_view slug,
                               std::string_view key_id, Timestamp at);

// The DID document: for did:web every key (BuildControllerDocument), for
// did:key the document derived from the current DID's key.
boost::json::object DidDocument(const Organization& org);

// Resolves the organizations' keys, with their windows: did:web method URLs,
// and every did:key an organization has had. Put it before DidKeyResolver in
// a chain, so the registry's windows apply to its did:keys.
Result<DocumentMapResolver> MakeOrgRegistryResolver(const std::vector<Organization>& orgs);

}  // namespace pathbridge::certs
