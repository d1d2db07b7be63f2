// Resolving a verification method URL (the `verificationMethod` of a proof,
// the `kid` of a JWS) to the Ed25519 key behind it and the controller that
// owns it: the contract between the proof suites in ledger/credentials and
// the identity sources in certs (did:key, did:web documents from a local
// map, the hub's own organizations).
//
// Key rotation: a key carries the window in which it could sign. A proof is
// accepted only if its `created` time falls inside [valid_from, valid_until)
// (empty = unbounded). A retired key keeps verifying what it signed before
// it was retired; a key with `revoked` set verifies nothing signed at or
// after that time.
//
// Thread-safety: implementations are immutable after construction, so
// Resolve may be called from many threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "certs/ed25519.h"

namespace pathbridge::certs {

struct VerificationMethod {
  std::string id;          // absolute URL, e.g. "did:web:hub.example:orgs:cc#key-2"
  std::string controller;  // the DID or URL that controls the key
  Ed25519PublicKey public_key{};
  // Verification relationships the controller lists the key under
  // ("assertionMethod", "authentication", ...).
  std::vector<std::string> relationships;
  // RFC 3339 UTC times ("2026-01-01T00:00:00Z"); empty = unbounded.
  std::string valid_from;
  std::string valid_until;
  std::string revoked;
  // Where the key came from, for messages: "did:key", "did:web document map",
  // "organization cc (pathbridge registry)".
  std::string source;

  bool HasRelationship(std::string_view relationship) const {
    for (const auto& r : relationships)
      if (r == relationship) return true;
    return false;
  }
};

class KeyResolver {
 public:
  virtual ~KeyResolver() = default;
  // kNotFound when this resolver does not know the URL (so a chain can try
  // the next one); kInvalidArgument for a malformed URL or document.
  virtual Result<VerificationMethod> Resolve(std::string_view method_url) const = 0;
};

// Tries each resolver in order; the first answer other than kNotFound wins.
class ChainResolver final : public KeyResolver {
 public:
  explicit ChainResolver(std::vector<std::shared_ptr<const KeyResolver>> resolvers)
      : resolvers_(std::move(resolvers)) {}
  Result<VerificationMethod> Resolve(std::string_view method_url) const override {
    for (const auto& r : resolvers_) {
      auto vm = r->Resolve(method_url);
      if (vm.ok() || vm.status().code() != Code::kNotFound) return vm;
    }
    return NotFound("no resolver knows this verification method", std::string(method_url));
  }

 private:
  std::vector<std::shared_ptr<const KeyResolver>> resolvers_;
};

}  // namespace pathbridge::certs
