// Fuzzes proof verification: bytes -> json::Parse -> VerifyProofs (every
// suite, proof sets and chains, through JSON-LD, RDFC-1.0 and JCS with small
// work limits), and the same bytes as a compact JWS -> VerifyJose. The
// resolver knows one did:key, the W3C vc-di-eddsa test key, which signed the
// seeds. Every input must end in results or an error, never a crash or hang.
// Invariants: one result per proof; a valid result names the known key.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "certs/multikey.h"
#include "ledger/credentials/data_integrity.h"
#include "ledger/credentials/jose.h"
#include "standards/json.h"

namespace pathbridge::credentials {
namespace {

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "proof_fuzz invariant broken: %s\n", what);
  std::abort();
}

// Knows did:key:z6MkrJVn...#z6MkrJVn... (vc-di-eddsa keyPair.json).
class OneDidKey final : public certs::KeyResolver {
 public:
  OneDidKey() {
    auto key = certs::ParseEd25519PublicKeyMultibase(
        "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
    Require(key.ok(), "the test key parses");
    method_.public_key = *key;
    method_.id = certs::DidKeyVerificationMethod(*key);
    method_.controller = certs::DidKey(*key);
    method_.relationships = {"assertionMethod", "authentication"};
    method_.source = "did:key";
  }
  Result<certs::VerificationMethod> Resolve(std::string_view url) const override {
    if (url != method_.id) return NotFound("unknown key", std::string(url));
    return method_;
  }
  const certs::VerificationMethod& method() const { return method_; }

 private:
  certs::VerificationMethod method_;
};

void Fuzz(std::string_view bytes) {
  static const OneDidKey resolver;
  if (auto jose = VerifyJose(bytes, resolver); jose.ok())
    Require(jose->method.id == resolver.method().id, "a valid JWS names the known key");

  json::ParseOptions po;
  po.max_size = 1 << 16;
  auto doc = json::Parse(bytes, po);
  if (!doc.ok() || !doc->is_object()) return;
  VerifyOptions o;
  o.max_proofs = 4;
  o.transform.jsonld.max_work = 20'000;
  o.transform.jsonld.max_depth = 40;
  o.transform.rdfc.max_work = 1 << 18;
  auto results = VerifyProofs(doc->get_object(), resolver, o);
  if (!results.ok()) return;
  const boost::json::value& proof = doc->get_object().at("proof");
  Require(results->size() == (proof.is_array() ? proof.get_array().size() : 1),
          "one result per proof");
  for (const ProofResult& r : *results)
    if (r.valid())
      Require(r.method && r.method->id == resolver.method().id, "a valid proof names the key");
}

}  // namespace
}  // namespace pathbridge::credentials

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pathbridge::credentials::Fuzz(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
