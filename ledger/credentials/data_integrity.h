// Data Integrity proofs on Verifiable Credentials (W3C "Verifiable
// Credential Data Integrity 1.0") with Ed25519 keys, in the cryptosuites of
// W3C "Data Integrity EdDSA Cryptosuites v1.0":
//   eddsa-rdfc-2022       the credential and the proof configuration as
//                         RDFC-1.0 canonical N-Quads (JSON-LD toRdf first)
//   eddsa-jcs-2022        the same two as RFC 8785 JCS text
//   Ed25519Signature2020  the legacy suite: like eddsa-rdfc-2022 (URDNA2015
//                         is RDFC-1.0), proof type "Ed25519Signature2020", no
//                         cryptosuite, and the suite's context in @context
// The signature signs SHA-256(canonical proof config) || SHA-256(canonical
// credential); proofValue is its base58btc multibase.
//
// Proof sets and chains (VC DI "Add Proof Set/Chain", "Verify Proof Sets and
// Chains"): a document may carry several proofs; each one is verified on its
// own. A proof with `previousProof` signed the document together with the
// proofs it names.
//
// Verification outcome per proof (ProofResult::status):
//   ok                    valid
//   kVerificationFailed   invalid: the proof is malformed, the signature does
//                         not match, or the key was not allowed to make it
//                         (wrong proof purpose, outside its validity window)
//   any other code        indeterminate: it could not be checked here
//                         (kNotFound: unknown key; kFailedPrecondition:
//                         unsupported suite; kResourceExhausted: limits hit;
//                         kInvalidArgument: a context or the key's record is
//                         unusable)
// Every message is written for a registrar, and `where` is a JSON pointer
// into the credential ("/proof/proofValue", "/proof/1/created").
//
// Data loss (VC DI: JSON-LD processing must fail when it drops a term): the
// proof's own terms are checked (an rdfc proof whose @context leaves them
// undefined is refused); terms of the credential body are not yet, for
// jsonld::ToRdf has no safe mode to report them.
//
// Thread-safety: pure functions over immutable inputs; safe from many
// threads when the loader and resolver are (the bundled loader is).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "certs/ed25519.h"
#include "certs/key_resolver.h"
#include "standards/digest.h"
#include "standards/jsonld.h"
#include "standards/rdfc.h"
#include "standards/time.h"

namespace pathbridge::credentials {

enum class Cryptosuite { kEddsaRdfc2022, kEddsaJcs2022, kEd25519Signature2020 };

// "eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020".
std::string_view CryptosuiteName(Cryptosuite suite);
// The inverse of CryptosuiteName; kInvalidArgument for any other name.
Result<Cryptosuite> ParseCryptosuite(std::string_view name);

// The context an Ed25519Signature2020 credential must list.
inline constexpr std::string_view kEd25519Signature2020Context =
    "https://w3id.org/security/suites/ed25519-2020/v1";

// What a registrar is told when a signature does not verify.
inline constexpr std::string_view kSignatureMismatch =
    "the signature does not match the credential: it was changed after signing, or signed by "
    "another key";

struct ProofOptions {
  Cryptosuite suite = Cryptosuite::kEddsaRdfc2022;
  std::string verification_method;  // URL of the signing key
  // RFC 3339; empty = now, in whole seconds ("2024-05-01T12:00:00Z").
  std::string created;
  std::string proof_purpose = "assertionMethod";
  std::optional<std::string> expires;  // RFC 3339
  std::optional<std::string> domain;
  std::optional<std::string> challenge;
  // Optional proof id, so that a later proof can chain to this one.
  std::string id;
  // Ids of existing proofs this one chains to (previousProof): they are
  // signed with the document.
  std::vector<std::string> previous_proof;
};

// Signs `unsecured` and returns it with the new proof. A document that
// already has proofs gets the new one added to its proof set. For
// Ed25519Signature2020 the document's @context must list
// kEd25519Signature2020Context. A did:key verification method must name
// `key` itself.
Result<boost::json::object> AddProof(
    const boost::json::object& unsecured, const certs::Ed25519Key& key,
    const ProofOptions& options,
    const jsonld::DocumentLoader& loader = jsonld::BundledLoader::Instance());

// How documents become canonical text: the context loader and the JSON-LD
// and RDFC-1.0 work limits (rdfc suites only).
struct TransformOptions {
  const jsonld::DocumentLoader* loader = &jsonld::BundledLoader::Instance();
  jsonld::Options jsonld;
  rdfc::Options rdfc;
};

// The intermediate values of one proof, as the W3C test vectors list them.
struct ProofHashes {
  std::string canonical_document;
  std::string canonical_proof_config;
  DigestValue document_hash;
  DigestValue proof_config_hash;
  std::array<uint8_t, 64> hash_data{};  // proof_config_hash || document_hash: what is signed
};

// The transformation, proof configuration and hashing steps of the suite
// `proof` names (by type and cryptosuite), for `unsecured` (the document
// without its proof). `proof` is the proof without proofValue (one present is
// ignored); its @context is replaced by the document's as the suite requires.
Result<ProofHashes> HashProof(const boost::json::object& unsecured,
                              const boost::json::object& proof,
                              const TransformOptions& options = {});

struct VerifyOptions {
  // The purpose every proof must state; empty accepts any (the key must
  // still be listed under the purpose the proof states).
  std::string proof_purpose = "assertionMethod";
  std::optional<std::string> domain;     // required proof domain, if any
  std::optional<std::string> challenge;  // required proof challenge, if any
  TransformOptions transform;
  // Proofs beyond this many are not checked (kResourceExhausted).
  std::size_t max_proofs = 16;
  // The time `expires` is checked against; nullopt = now.
  std::optional<Timestamp> now;
};

struct ProofResult {
  Status status;
  // As the proof states them (empty when absent or not a string).
  std::string type, cryptosuite, verification_method, created, proof_purpose;
  // The key, once resolved.
  std::optional<certs::VerificationMethod> method;

  bool valid() const { return status.ok(); }
  bool invalid() const { return status.code() == Code::kVerificationFailed; }
  bool indeterminate() const { return !valid() && !invalid(); }
};

// One result per proof, in document order. Fails only when there is no proof
// to check (kInvalidArgument at /proof) or too many (kResourceExhausted).
Result<std::vector<ProofResult>> VerifyProofs(const boost::json::object& secured,
                                              const certs::KeyResolver& resolver,
                                              const VerifyOptions& options = {});

// Whether `method` could sign at `signed_at`: inside [valid_from,
// valid_until) and before `revoked`. kVerificationFailed with a plain message
// (where = `where`, the signing time's place in the credential) if not;
// kInvalidArgument if the key's record holds a malformed time.
Status CheckKeyValidAt(const certs::VerificationMethod& method, Timestamp signed_at,
                       const std::string& where);

}  // namespace pathbridge::credentials
