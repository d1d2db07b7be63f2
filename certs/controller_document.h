// Controller documents (W3C Controlled Identifiers 1.0; a DID document is
// one): reading the Ed25519 verification methods out of a document, and
// writing the documents pathbridge publishes for its organizations.
//
// Reading understands the method types the Data Integrity EdDSA suites are
// used with:
//   Multikey, Ed25519VerificationKey2020   publicKeyMultibase "z6Mk..."
//   Ed25519VerificationKey2018             publicKeyBase58
//   JsonWebKey, JsonWebKey2020             publicKeyJwk {kty OKP, crv Ed25519, x}
// Method ids may be relative ("#key-1", against the document id). The
// relationships (authentication, assertionMethod, ...) list methods by
// reference or embed them. `expires` and `revoked` (RFC 3339) become
// VerificationMethod::valid_until and ::revoked, normalized to UTC.
//
// A document speaks only for its own methods, so it cannot stand in for
// another's keys: a method whose id without the fragment is not the
// document id is ignored (like a reference to another document's method),
// and one whose controller is not the document id is unusable (as the
// "retrieve verification method" algorithm of Controlled Identifiers
// requires). Methods of other key types, or with key material that does not
// decode, do not fail the document either: they are kept with the reason,
// which a resolver reports if one of them is asked for. Structural faults
// fail the whole document, with the JSON pointer of the fault; so does a
// published private key.
//
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "certs/key_resolver.h"

namespace pathbridge::certs {

inline constexpr std::array<std::string_view, 5> kVerificationRelationships = {
    "authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation",
    "keyAgreement"};

struct ControllerDocument {
  std::string id;
  std::vector<VerificationMethod> methods;  // the usable Ed25519 keys, in document order
  // Methods listed but not usable, each with the reason.
  std::vector<std::pair<std::string, Status>> unusable;
};

// `where` prefixes error locations (e.g. "issuers.json:/did:web:college.example");
// `source` is copied into each VerificationMethod.
Result<ControllerDocument> ParseControllerDocument(const boost::json::value& doc,
                                                   std::string_view where,
                                                   std::string_view source);

// A DID document for `id` listing `methods` as Multikeys, each under the
// relationships it carries, with `expires` (from valid_until) and `revoked`
// when set; valid_from has no place in the document and is left out.
// ParseControllerDocument reads back the same methods.
boost::json::object BuildControllerDocument(std::string_view id,
                                            const std::vector<VerificationMethod>& methods);

}  // namespace pathbridge::certs
