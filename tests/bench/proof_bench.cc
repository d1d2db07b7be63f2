// Data Integrity proof verification throughput on one core, beside raw
// Ed25519 verification measured in the same run (these machines are shared
// and noisy, so the ratio is what compares between runs):
//   eddsa-rdfc-2022  the 1EdTech OB 3.0 implementation-guide credential
//                    (target: 5,000 verifications/s)
//   eddsa-jcs-2022   the W3C vc-di-eddsa credential (target: 80% of raw)
//   toRdf share      jsonld::ToRdf of the OB 3.0 credential and of its proof
//                    configuration alone, the part the JSON-LD module owns
// Each side runs in alternating slices of thread CPU time; medians reported.
//
// Usage: proof_bench [--smoke] [--seconds S]   (S: CPU seconds per side)
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "certs/multikey.h"
#include "ledger/credentials/data_integrity.h"
#include "standards/multibase.h"
#include "tests/testing/map_resolver.h"
#include "tests/testing/test_util.h"

namespace pathbridge::credentials {
namespace {

namespace js = boost::json;

constexpr int kSlices = 7;
constexpr double kRdfcTargetPerSecond = 5'000;
constexpr double kJcsTargetRatio = 0.8;

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Calls per CPU second of `fn`, run for at least `seconds`.
double Rate(double seconds, const std::function<bool()>& fn) {
  std::size_t calls = 0;
  const double start = ThreadCpuSeconds();
  double elapsed = 0;
  do {
    if (!fn()) {
      std::fprintf(stderr, "proof_bench: a verification failed\n");
      std::exit(1);
    }
    ++calls;
    elapsed = ThreadCpuSeconds() - start;
  } while (elapsed < seconds);
  return static_cast<double>(calls) / elapsed;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

js::object Load(const char* relative) {
  return testing::ReadJson(testing::SharedDir() / "standards" / relative).as_object();
}

bool AllValid(const Result<std::vector<ProofResult>>& r) {
  return r.ok() && std::all_of(r->begin(), r->end(), [](const ProofResult& p) { return p.valid(); });
}

}  // namespace
}  // namespace pathbridge::credentials

int main(int argc, char** argv) {
  using namespace pathbridge;
  using namespace pathbridge::credentials;
  bool smoke = false;
  double seconds = 2;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--smoke") == 0) {
      smoke = true;
    } else if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: proof_bench [--smoke] [--seconds S]\n");
      return 2;
    }
  }
  if (smoke) seconds = 0.3;

  const js::object ob3 = Load("ob3/impl-guide-test-vector/signed-credential.json");
  const js::object values = Load("ob3/impl-guide-test-vector/values.json");
  const js::object jcs = Load("vc2/vc-di-eddsa/eddsa-jcs-2022/signedJCS.json");
  const js::object pair = Load("vc2/vc-di-eddsa/keyPair.json");
  const auto ob3_key = *certs::ParseEd25519PublicKeyMultibase(
      std::string(values.at("publicKeyMultibase").as_string()));
  const auto w3c_key = *certs::ParseEd25519PublicKeyMultibase(
      std::string(pair.at("publicKeyMultibase").as_string()));
  testing::MapResolver resolver;
  resolver.Add(std::string(values.at("verificationMethod").as_string()), ob3_key);
  resolver.Add(certs::DidKeyVerificationMethod(w3c_key), w3c_key);

  // Raw Ed25519: the JCS proof's own signature over its hash data.
  js::object jcs_proof = jcs.at("proof").as_object();
  js::object jcs_doc = jcs;
  jcs_doc.erase("proof");
  const ProofHashes jcs_hashes = *HashProof(jcs_doc, jcs_proof);
  const Bytes jcs_signature =
      *MultibaseDecode(std::string(jcs_proof.at("proofValue").as_string()));
  // toRdf inputs: the OB 3.0 document and its proof configuration.
  js::value ob3_doc = ob3;
  ob3_doc.as_object().erase("proof");
  js::object ob3_config = ob3.at("proof").as_object();
  ob3_config.erase("proofValue");
  ob3_config["@context"] = ob3.at("@context");
  const js::value ob3_config_value = ob3_config;
  const auto& loader = jsonld::BundledLoader::Instance();

  std::vector<double> rdfc, jcs_rate, raw, to_rdf, ratios;
  const double slice = seconds / kSlices;
  for (int s = 0; s < kSlices; ++s) {
    rdfc.push_back(Rate(slice, [&] { return AllValid(VerifyProofs(ob3, resolver)); }));
    jcs_rate.push_back(Rate(slice, [&] { return AllValid(VerifyProofs(jcs, resolver)); }));
    raw.push_back(Rate(slice, [&] {
      return certs::VerifyEd25519(w3c_key, jcs_hashes.hash_data, jcs_signature);
    }));
    to_rdf.push_back(Rate(slice, [&] {
      return jsonld::ToRdf(ob3_doc, loader).ok() && jsonld::ToRdf(ob3_config_value, loader).ok();
    }));
    ratios.push_back(jcs_rate.back() / raw.back());
  }
  const double rdfc_median = Median(rdfc), to_rdf_median = Median(to_rdf);
  std::printf("proof_bench%s (verifications per CPU second, median of %d alternating slices)\n",
              smoke ? " --smoke" : "", kSlices);
  std::printf("  eddsa-rdfc-2022 OB 3.0      %9.0f /s  (target %.0f: %s)\n", rdfc_median,
              kRdfcTargetPerSecond, rdfc_median >= kRdfcTargetPerSecond ? "met" : "NOT met");
  std::printf("    of which toRdf x2         %9.0f /s  = %.0f%% of the verify time\n",
              to_rdf_median, 100.0 * rdfc_median / to_rdf_median);
  std::printf("  eddsa-jcs-2022 W3C          %9.0f /s\n", Median(jcs_rate));
  std::printf("  raw Ed25519 verify          %9.0f /s\n", Median(raw));
  std::printf("  ratio jcs / raw             %9.2f     (target %.2f: %s)\n", Median(ratios),
              kJcsTargetRatio, Median(ratios) >= kJcsTargetRatio ? "met" : "NOT met");
  return 0;
}
