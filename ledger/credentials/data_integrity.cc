#include "ledger/credentials/data_integrity.h"

#include <algorithm>
#include <span>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "certs/multikey.h"
#include "standards/jcs.h"
#include "standards/json.h"
#include "standards/multibase.h"

namespace pathbridge::credentials {
namespace {

namespace js = boost::json;

constexpr std::string_view kDataIntegrityProof = "DataIntegrityProof";
constexpr std::string_view kSupported =
    "pathbridge checks eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020 proofs";

bool IsRdfc(Cryptosuite s) { return s != Cryptosuite::kEddsaJcs2022; }

std::string Pointer(std::string_view base, std::string_view token) {
  std::string p(base);
  json::AppendPointerToken(p, token);
  return p;
}

// An RFC 3339 time; a bad one is an error of `code`.
Result<Timestamp> ParseTime(std::string_view text, std::string_view what, std::string where,
                            Code code) {
  auto t = ParseRfc3339(text);
  if (!t.ok())
    return Status(code,
                  std::string(what) + " is not a date-time like 2024-05-01T12:00:00Z (" +
                      t.status().message() + ")",
                  std::move(where));
  return t;
}

// A JSON value that may be one item or a list of them, as a list.
std::span<const js::value> Items(const js::value* v) {
  if (v == nullptr) return {};
  if (v->is_array()) return {v->get_array().data(), v->get_array().size()};
  return {v, 1};
}

// The suite a proof names through its type and cryptosuite.
Result<Cryptosuite> SuiteOf(std::string_view type, const js::value* cryptosuite,
                            std::string_view where) {
  if (type == CryptosuiteName(Cryptosuite::kEd25519Signature2020))
    return Cryptosuite::kEd25519Signature2020;
  if (type != kDataIntegrityProof)
    return Status(Code::kFailedPrecondition,
                  "the proof type \"" + std::string(type) + "\" is not supported: " +
                      std::string(kSupported),
                  Pointer(where, "type"));
  if (cryptosuite == nullptr || !cryptosuite->is_string())
    return VerificationFailed("a DataIntegrityProof must name its cryptosuite",
                              Pointer(where, "cryptosuite"));
  auto suite = ParseCryptosuite(cryptosuite->get_string());
  if (!suite.ok() || *suite == Cryptosuite::kEd25519Signature2020)
    return Status(Code::kFailedPrecondition,
                  "the cryptosuite \"" + std::string(cryptosuite->get_string()) +
                      "\" is not supported: " + std::string(kSupported),
                  Pointer(where, "cryptosuite"));
  return suite;
}

// The legacy suite's terms come from its own context, which the credential
// must list (as jsonld-signatures requires).
Status CheckSuiteContext(Cryptosuite suite, const js::object& doc) {
  if (suite != Cryptosuite::kEd25519Signature2020) return Status::Ok();
  for (const js::value& c : Items(doc.if_contains("@context")))
    if (c.is_string() && c.get_string() == kEd25519Signature2020Context) return Status::Ok();
  return VerificationFailed("an Ed25519Signature2020 proof needs " +
                                std::string(kEd25519Signature2020Context) +
                                " in the credential's @context",
                            "/@context");
}

// Quads the proof configuration yields at least when every one of its terms
// is defined: one per value (a list counts each item); "id" names the node.
std::size_t MinimumProofQuads(const js::object& config) {
  std::size_t n = 0;
  for (const auto& kv : config) {
    if (kv.key() == "@context" || kv.key() == "id" || kv.value().is_null()) continue;
    n += kv.value().is_array() ? kv.value().get_array().size() : 1;
  }
  return n;
}

struct Canon {
  std::string text;
  DigestValue hash;
};

Result<Canon> Canonicalize(Cryptosuite suite, const js::value& doc, const TransformOptions& o,
                           std::size_t min_quads = 0) {
  Canon c;
  if (IsRdfc(suite)) {
    PB_ASSIGN_OR_RETURN(rdf::Dataset quads, jsonld::ToRdf(doc, *o.loader, o.jsonld));
    // A term the context does not define is dropped by toRdf, and would go
    // unsigned: refuse instead.
    if (quads.size() < min_quads)
      return VerificationFailed(
          "the proof uses terms the credential's @context does not define, so they would not "
          "be signed; list https://www.w3.org/ns/credentials/v2 in @context",
          "/@context");
    PB_ASSIGN_OR_RETURN(rdfc::CanonicalResult canonical, rdfc::Canonicalize(quads, o.rdfc));
    c.text = std::move(canonical.nquads);
  } else {
    PB_ASSIGN_OR_RETURN(c.text, jcs::Canonicalize(doc));
  }
  c.hash = ThreadDigester(HashAlgorithm::kSha256).Hash(c.text);
  return c;
}

// The suites' Proof Configuration algorithm: the proof without
// proofValue, carrying the @context the document is read with.
Result<Canon> CanonicalProofConfig(Cryptosuite suite, const js::object& proof,
                                   const js::value* context, const TransformOptions& o) {
  js::value config(js::object_kind);
  js::object& c = config.get_object();
  c.reserve(proof.size() + 1);
  for (const auto& kv : proof)
    if (kv.key() != "proofValue" && kv.key() != "@context") c.emplace(kv.key(), kv.value());
  if (context != nullptr) {
    c.emplace("@context", *context);
  } else if (IsRdfc(suite)) {
    return VerificationFailed("the credential has no @context, which an " +
                                  std::string(CryptosuiteName(suite)) + " proof needs",
                              "/@context");
  }
  return Canonicalize(suite, config, o, MinimumProofQuads(c));
}

std::array<uint8_t, 64> HashData(const DigestValue& proof_config, const DigestValue& document) {
  std::array<uint8_t, 64> out{};
  std::copy_n(proof_config.bytes.begin(), 32, out.begin());
  std::copy_n(document.bytes.begin(), 32, out.begin() + 32);
  return out;
}

Result<ProofHashes> HashProofOf(const js::value& doc, const js::object& proof,
                                const TransformOptions& o) {
  const js::value* type = proof.if_contains("type");
  if (type == nullptr || !type->is_string())
    return InvalidArgument("the proof needs a type", "/type");
  PB_ASSIGN_OR_RETURN(Cryptosuite suite,
                      SuiteOf(type->get_string(), proof.if_contains("cryptosuite"), ""));
  PB_RETURN_IF_ERROR(CheckSuiteContext(suite, doc.get_object()));
  PB_ASSIGN_OR_RETURN(Canon document, Canonicalize(suite, doc, o));
  PB_ASSIGN_OR_RETURN(Canon config, CanonicalProofConfig(suite, proof,
                                                         doc.get_object().if_contains("@context"),
                                                         o));
  ProofHashes h;
  h.hash_data = HashData(config.hash, document.hash);
  h.canonical_document = std::move(document.text);
  h.canonical_proof_config = std::move(config.text);
  h.document_hash = document.hash;
  h.proof_config_hash = config.hash;
  return h;
}

// The document without its proofs.
js::value WithoutProof(const js::object& doc) {
  js::value out(js::object_kind);
  js::object& o = out.get_object();
  o.reserve(doc.size());
  for (const auto& kv : doc)
    if (kv.key() != "proof") o.emplace(kv.key(), kv.value());
  return out;
}

// The proofs of `ids` among `all`: what a proof with previousProof signed
// beside the document.
Result<js::array> MatchingProofs(std::span<const js::value> ids, std::span<const js::value> all,
                                 std::string_view where) {
  js::array out;
  for (const js::value& id : ids) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const js::value& p) {
      const js::value* pid = p.is_object() ? p.get_object().if_contains("id") : nullptr;
      return pid != nullptr && *pid == id && id.is_string();
    });
    if (it == all.end())
      return VerificationFailed("previousProof names " + js::serialize(id) +
                                    ", but the document has no proof with that id",
                                std::string(where));
    out.push_back(*it);
  }
  return out;
}

Result<js::object> NewProof(const ProofOptions& o, const js::object& doc) {
  if (o.verification_method.empty())
    return InvalidArgument("a proof needs a verification method", "verification_method");
  if (o.proof_purpose.empty())
    return InvalidArgument("a proof needs a proof purpose", "proof_purpose");
  const std::string created = o.created.empty() ? FormatRfc3339({Now().seconds, 0}) : o.created;
  PB_RETURN_IF_ERROR(ParseTime(created, "created", "created", Code::kInvalidArgument).status());
  if (o.expires)
    PB_RETURN_IF_ERROR(
        ParseTime(*o.expires, "expires", "expires", Code::kInvalidArgument).status());

  const bool data_integrity = o.suite != Cryptosuite::kEd25519Signature2020;
  js::object p;
  p["type"] = data_integrity ? kDataIntegrityProof : CryptosuiteName(o.suite);
  if (!o.id.empty()) p["id"] = o.id;
  if (data_integrity) p["cryptosuite"] = CryptosuiteName(o.suite);
  p["created"] = created;
  p["verificationMethod"] = o.verification_method;
  p["proofPurpose"] = o.proof_purpose;
  if (o.expires) p["expires"] = *o.expires;
  if (o.domain) p["domain"] = *o.domain;
  if (o.challenge) p["challenge"] = *o.challenge;
  if (o.previous_proof.size() == 1) {
    p["previousProof"] = o.previous_proof.front();
  } else if (!o.previous_proof.empty()) {
    js::array ids;
    for (const auto& id : o.previous_proof) ids.emplace_back(id);
    p["previousProof"] = std::move(ids);
  }
  // eddsa-jcs-2022 Create Proof: the proof carries the document's @context.
  if (const js::value* ctx = doc.if_contains("@context");
      ctx != nullptr && o.suite == Cryptosuite::kEddsaJcs2022)
    p["@context"] = *ctx;
  return p;
}

// A did:key method names its key; catch signing with the wrong one.
Status CheckDidKey(const ProofOptions& o, const certs::Ed25519Key& key) {
  if (!o.verification_method.starts_with("did:key:")) return Status::Ok();
  auto named = certs::ParseDidKey(o.verification_method);
  if (!named.ok()) return named.status().WithContext("verification_method");
  if (*named != key.public_key())
    return InvalidArgument("the verification method is the did:key of another key",
                           "verification_method");
  return Status::Ok();
}

// Verifies the proofs of one document, sharing the document's canonical hash
// between proofs of a set that read it the same way.
class Verifier {
 public:
  Verifier(const js::object& secured, std::span<const js::value> all_proofs,
           const certs::KeyResolver& resolver, const VerifyOptions& options)
      : secured_(secured),
        all_proofs_(all_proofs),
        resolver_(resolver),
        options_(options),
        now_(options.now.value_or(Now())),
        unsecured_(WithoutProof(secured)) {}

  ProofResult Verify(const js::value& proof, const std::string& where) {
    ProofResult r;
    if (!proof.is_object()) {
      r.status = VerificationFailed("a proof must be a JSON object", where);
      return r;
    }
    r.status = Check(proof.get_object(), where, r);
    return r;
  }

 private:
  // Copies a string member into `out`; absent or not a string is an error
  // when `required`.
  static Status Field(const js::object& proof, std::string_view key, const std::string& where,
                      bool required, std::string& out) {
    const js::value* v = proof.if_contains(key);
    if (v == nullptr) {
      if (!required) return Status::Ok();
      return VerificationFailed("the proof has no " + std::string(key), Pointer(where, key));
    }
    if (!v->is_string())
      return VerificationFailed(std::string(key) + " must be a string", Pointer(where, key));
    out = v->get_string();
    return Status::Ok();
  }

  Status Check(const js::object& proof, const std::string& where, ProofResult& r) {
    std::string proof_value, expires;
    PB_RETURN_IF_ERROR(Field(proof, "type", where, true, r.type));
    PB_RETURN_IF_ERROR(Field(proof, "cryptosuite", where, false, r.cryptosuite));
    PB_RETURN_IF_ERROR(Field(proof, "verificationMethod", where, true, r.verification_method));
    PB_RETURN_IF_ERROR(Field(proof, "proofPurpose", where, true, r.proof_purpose));
    PB_RETURN_IF_ERROR(Field(proof, "created", where, false, r.created));
    PB_RETURN_IF_ERROR(Field(proof, "expires", where, false, expires));
    PB_RETURN_IF_ERROR(Field(proof, "proofValue", where, true, proof_value));
    PB_ASSIGN_OR_RETURN(Cryptosuite suite,
                        SuiteOf(r.type, proof.if_contains("cryptosuite"), where));

    std::optional<Timestamp> created;
    if (proof.contains("created")) {
      PB_ASSIGN_OR_RETURN(created, ParseTime(r.created, "the proof's created time",
                                             Pointer(where, "created"), Code::kVerificationFailed));
    }
    PB_RETURN_IF_ERROR(CheckPurposeAndBinding(proof, where, r, expires));
    PB_ASSIGN_OR_RETURN(Bytes signature, DecodeProofValue(proof_value, where));

    PB_RETURN_IF_ERROR(ResolveKey(created, where, r));
    PB_ASSIGN_OR_RETURN(DigestValue doc_hash, DocumentHash(suite, proof, where));
    const js::value* context = proof.if_contains("@context");
    if (context == nullptr) context = secured_.if_contains("@context");
    PB_ASSIGN_OR_RETURN(Canon config, CanonicalProofConfig(suite, proof, context,
                                                           options_.transform));
    const std::array<uint8_t, 64> data = HashData(config.hash, doc_hash);
    if (!certs::VerifyEd25519(r.method->public_key, data, signature))
      return VerificationFailed(std::string(kSignatureMismatch), Pointer(where, "proofValue"));
    return Status::Ok();
  }

  // Resolves the proof's key into r.method and checks that it was allowed to
  // make the proof: listed for its purpose, valid when it was created.
  Status ResolveKey(const std::optional<Timestamp>& created, const std::string& where,
                    ProofResult& r) const {
    auto method = resolver_.Resolve(r.verification_method);
    if (!method.ok()) {
      if (method.status().code() == Code::kNotFound)
        return NotFound("the key that signed this proof (" + r.verification_method +
                            ") is not known here",
                        Pointer(where, "verificationMethod"));
      return method.status().WithContext(Pointer(where, "verificationMethod"));
    }
    const certs::VerificationMethod& key = r.method.emplace(std::move(*method));
    if (!key.HasRelationship(r.proof_purpose))
      return VerificationFailed("the key " + key.id + " is not listed by its controller " +
                                    key.controller + " for " + r.proof_purpose,
                                Pointer(where, "proofPurpose"));
    if (created) return CheckKeyValidAt(key, *created, Pointer(where, "created"));
    if (!key.valid_from.empty() || !key.valid_until.empty() || !key.revoked.empty())
      return VerificationFailed("the proof has no created time, so it cannot be shown to fall "
                                "in the period when the key " + key.id + " was valid",
                                Pointer(where, "created"));
    return Status::Ok();
  }

  Status CheckPurposeAndBinding(const js::object& proof, const std::string& where,
                                const ProofResult& r, const std::string& expires) const {
    if (!options_.proof_purpose.empty() && r.proof_purpose != options_.proof_purpose)
      return VerificationFailed("the proof is for " + r.proof_purpose + ", but " +
                                    options_.proof_purpose + " was expected",
                                Pointer(where, "proofPurpose"));
    if (proof.contains("expires")) {
      PB_ASSIGN_OR_RETURN(Timestamp t, ParseTime(expires, "the proof's expiry time",
                                                 Pointer(where, "expires"),
                                                 Code::kVerificationFailed));
      if (t <= now_)
        return VerificationFailed("the proof expired at " + expires, Pointer(where, "expires"));
    }
    if (options_.domain) {
      const auto domains = Items(proof.if_contains("domain"));
      if (std::none_of(domains.begin(), domains.end(),
                       [&](const js::value& d) {
                         return d.is_string() && d.get_string() == *options_.domain;
                       }))
        return VerificationFailed("the proof was not made for the domain " + *options_.domain,
                                  Pointer(where, "domain"));
    }
    if (options_.challenge) {
      const js::value* c = proof.if_contains("challenge");
      if (c == nullptr || !c->is_string() || c->get_string() != *options_.challenge)
        return VerificationFailed("the proof does not answer the expected challenge",
                                  Pointer(where, "challenge"));
    }
    return Status::Ok();
  }

  static Result<Bytes> DecodeProofValue(std::string_view text, const std::string& where) {
    const std::string at = Pointer(where, "proofValue");
    if (text.empty() || text.front() != static_cast<char>(Multibase::kBase58Btc))
      return VerificationFailed("the signature (proofValue) must be base58btc, starting with 'z'",
                                at);
    auto bytes = MultibaseDecode(text);
    if (!bytes.ok())
      return VerificationFailed("the signature (proofValue) is not valid base58btc: " +
                                    bytes.status().ToString(),
                                at);
    if (bytes->size() != 64)
      return VerificationFailed("the signature (proofValue) must be 64 bytes, found " +
                                    std::to_string(bytes->size()),
                                at);
    return std::move(*bytes);
  }

  // The hash of the document as `proof` signed it: read with the proof's
  // @context (which must begin the document's), and with the proofs it
  // chains to.
  Result<DigestValue> DocumentHash(Cryptosuite suite, const js::object& proof,
                                   const std::string& where) {
    PB_RETURN_IF_ERROR(CheckSuiteContext(suite, secured_));
    const js::value* proof_context = proof.if_contains("@context");
    const auto doc_context = Items(secured_.if_contains("@context"));
    bool replace_context = false;
    if (proof_context != nullptr) {
      const auto prefix = Items(proof_context);
      if (prefix.size() > doc_context.size() ||
          !std::equal(prefix.begin(), prefix.end(), doc_context.begin()))
        return VerificationFailed("the proof's @context is not the start of the credential's",
                                  Pointer(where, "@context"));
      replace_context = prefix.size() != doc_context.size();
    }
    const js::value* previous = proof.if_contains("previousProof");
    if (!replace_context && previous == nullptr) {
      std::optional<DigestValue>& cached = cache_[IsRdfc(suite)];
      if (!cached) {
        PB_ASSIGN_OR_RETURN(Canon c, Canonicalize(suite, unsecured_, options_.transform));
        cached = c.hash;
      }
      return *cached;
    }
    js::value doc = unsecured_;
    if (replace_context) doc.get_object()["@context"] = *proof_context;
    if (previous != nullptr) {
      PB_ASSIGN_OR_RETURN(js::array matching, MatchingProofs(Items(previous), all_proofs_,
                                                             Pointer(where, "previousProof")));
      doc.get_object()["proof"] = std::move(matching);
    }
    PB_ASSIGN_OR_RETURN(Canon c, Canonicalize(suite, doc, options_.transform));
    return c.hash;
  }

  const js::object& secured_;
  std::span<const js::value> all_proofs_;
  const certs::KeyResolver& resolver_;
  const VerifyOptions& options_;
  const Timestamp now_;
  const js::value unsecured_;
  std::optional<DigestValue> cache_[2];  // by IsRdfc
};

}  // namespace

std::string_view CryptosuiteName(Cryptosuite suite) {
  switch (suite) {
    case Cryptosuite::kEddsaRdfc2022: return "eddsa-rdfc-2022";
    case Cryptosuite::kEddsaJcs2022: return "eddsa-jcs-2022";
    case Cryptosuite::kEd25519Signature2020: return "Ed25519Signature2020";
  }
  return "";
}

Result<Cryptosuite> ParseCryptosuite(std::string_view name) {
  for (Cryptosuite s : {Cryptosuite::kEddsaRdfc2022, Cryptosuite::kEddsaJcs2022,
                        Cryptosuite::kEd25519Signature2020})
    if (name == CryptosuiteName(s)) return s;
  return InvalidArgument("unknown cryptosuite \"" + std::string(name) + "\"; " +
                         std::string(kSupported));
}

Status CheckKeyValidAt(const certs::VerificationMethod& m, Timestamp signed_at,
                       const std::string& where) {
  std::optional<Timestamp> bounds[3];
  const std::string* texts[3] = {&m.valid_from, &m.valid_until, &m.revoked};
  for (int i = 0; i < 3; ++i) {
    if (texts[i]->empty()) continue;
    PB_ASSIGN_OR_RETURN(bounds[i], ParseTime(*texts[i], "a validity time in the record of key " +
                                                            m.id, m.source,
                                             Code::kInvalidArgument));
  }
  const std::string when = FormatRfc3339(signed_at);
  if (bounds[0] && signed_at < *bounds[0])
    return VerificationFailed("signed at " + when + ", before the key " + m.id +
                                  " came into use (" + m.valid_from + ")",
                              where);
  if (bounds[1] && signed_at >= *bounds[1])
    return VerificationFailed("signed at " + when + ", after the key " + m.id +
                                  " was retired (" + m.valid_until + ")",
                              where);
  if (bounds[2] && signed_at >= *bounds[2])
    return VerificationFailed("signed at " + when + ", but the key " + m.id +
                                  " was revoked at " + m.revoked +
                                  " and nothing it signed from then on is accepted",
                              where);
  return Status::Ok();
}

Result<ProofHashes> HashProof(const js::object& unsecured, const js::object& proof,
                              const TransformOptions& options) {
  return HashProofOf(js::value(unsecured), proof, options);
}

Result<js::object> AddProof(const js::object& unsecured, const certs::Ed25519Key& key,
                            const ProofOptions& options, const jsonld::DocumentLoader& loader) {
  const js::value* existing = unsecured.if_contains("proof");
  if (existing != nullptr && !existing->is_object() && !existing->is_array())
    return InvalidArgument("proof must be an object or a list of objects", "/proof");
  PB_RETURN_IF_ERROR(CheckDidKey(options, key));
  js::value doc = WithoutProof(unsecured);
  if (!options.previous_proof.empty()) {
    js::array ids;
    for (const auto& id : options.previous_proof) ids.emplace_back(id);
    auto matching = MatchingProofs({ids.data(), ids.size()}, Items(existing), "/proof");
    if (!matching.ok()) return InvalidArgument(matching.status().message(), "previous_proof");
    doc.get_object()["proof"] = std::move(*matching);
  }
  PB_ASSIGN_OR_RETURN(js::object proof, NewProof(options, unsecured));
  TransformOptions t;
  t.loader = &loader;
  PB_ASSIGN_OR_RETURN(ProofHashes hashes, HashProofOf(doc, proof, t));
  const certs::Ed25519Signature signature = key.Sign(hashes.hash_data);
  proof["proofValue"] = MultibaseEncode(Multibase::kBase58Btc, signature);

  js::object secured = unsecured;
  if (existing == nullptr) {
    secured["proof"] = std::move(proof);
  } else {
    js::array all;
    for (const js::value& p : Items(existing)) all.push_back(p);
    all.emplace_back(std::move(proof));
    secured["proof"] = std::move(all);
  }
  return secured;
}

Result<std::vector<ProofResult>> VerifyProofs(const js::object& secured,
                                              const certs::KeyResolver& resolver,
                                              const VerifyOptions& options) {
  const js::value* proof = secured.if_contains("proof");
  if (proof == nullptr || (proof->is_array() && proof->get_array().empty()))
    return InvalidArgument("the credential has no proof, so there is nothing to verify", "/proof");
  if (!proof->is_object() && !proof->is_array())
    return InvalidArgument("proof must be an object or a list of objects", "/proof");
  const auto proofs = Items(proof);
  if (proofs.size() > options.max_proofs)
    return Status(Code::kResourceExhausted,
                  "the credential has " + std::to_string(proofs.size()) +
                      " proofs; at most " + std::to_string(options.max_proofs) + " are checked",
                  "/proof");
  Verifier verifier(secured, proofs, resolver, options);
  std::vector<ProofResult> results;
  results.reserve(proofs.size());
  for (std::size_t i = 0; i < proofs.size(); ++i)
    results.push_back(verifier.Verify(
        proofs[i], proof->is_array() ? "/proof/" + std::to_string(i) : std::string("/proof")));
  return results;
}

}  // namespace pathbridge::credentials
