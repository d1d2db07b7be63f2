// Data Integrity proof issuance and verification throughput on one core, beside raw
// Ed25519 verification measured in the same run (these machines are shared
// and noisy, so the ratio is what compares between runs):
//   issue and verify with eddsa-rdfc-2022 and eddsa-jcs-2022 on the 1EdTech
//   OB 3.0 implementation-guide credential (targets: rdfc issue and verify
//   >= 5,000/s; jcs verify >= 80% of raw Ed25519 verify), beside raw
//   Ed25519 sign and verify of the same 64 bytes of hash data
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

#include "ledger/credentials/data_integrity.h"
#include "standards/multibase.h"
#include "tests/testing/map_resolver.h"
#include "tests/bench/bench_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::credentials {
namespace {

namespace js = boost::json;

using bench::Median;
using bench::ThreadCpuSeconds;

constexpr int kSlices = 7;
constexpr double kRdfcTargetPerSecond = 5'000;
constexpr double kJcsTargetRatio = 0.8;

// Calls per CPU second of `fn`, run for at least `seconds`.
double Rate(double seconds, const std::function<bool()>& fn) {
  std::size_t calls = 0;
  const double start = ThreadCpuSeconds();
  double elapsed = 0;
  do {
    if (!fn()) {
      std::fprintf(stderr, "proof_bench: an issuance or verification failed\n");
      std::exit(1);
    }
    ++calls;
    elapsed = ThreadCpuSeconds() - start;
  } while (elapsed < seconds);
  return static_cast<double>(calls) / elapsed;
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
  const bench::SecondsArgs args = bench::ParseSecondsArgs(argc, argv, "proof_bench", 0.3);
  const bool smoke = args.smoke;
  const double seconds = args.seconds;

  const js::object ob3 = Load("ob3/impl-guide-test-vector/signed-credential.json");
  const js::object values = Load("ob3/impl-guide-test-vector/values.json");
  const std::string vm(values.at("verificationMethod").as_string());
  const Bytes secret = *HexDecode(std::string(values.at("privateKeyHex").as_string()));
  const certs::Ed25519Key key = *certs::Ed25519Key::FromSeed(ByteSpan(secret.data(), 32));
  testing::MapResolver resolver;
  resolver.Add(vm, key.public_key());

  js::object unsigned_ob3 = ob3;
  unsigned_ob3.erase("proof");
  ProofOptions rdfc_options;
  rdfc_options.verification_method = vm;
  rdfc_options.created = "2010-01-01T19:23:24Z";
  ProofOptions jcs_options = rdfc_options;
  jcs_options.suite = Cryptosuite::kEddsaJcs2022;
  const js::object jcs_ob3 = *AddProof(unsigned_ob3, key, jcs_options);
  // Raw Ed25519 signs and verifies the same 64 bytes of hash data a proof does.
  js::object jcs_proof = jcs_ob3.at("proof").as_object();
  const ProofHashes hashes = *HashProof(unsigned_ob3, jcs_proof);
  const Bytes signature = *MultibaseDecode(std::string(jcs_proof.at("proofValue").as_string()));
  // toRdf inputs: the OB 3.0 document and its proof configuration.
  const js::value ob3_doc = unsigned_ob3;
  js::object ob3_config = ob3.at("proof").as_object();
  ob3_config.erase("proofValue");
  ob3_config["@context"] = ob3.at("@context");
  const js::value ob3_config_value = ob3_config;
  const auto& loader = jsonld::BundledLoader::Instance();

  enum { kIssueRdfc, kIssueJcs, kRawSign, kVerifyRdfc, kVerifyJcs, kRawVerify, kToRdf, kSides };
  std::vector<std::function<bool()>> sides(kSides);
  sides[kIssueRdfc] = [&] { return AddProof(unsigned_ob3, key, rdfc_options).ok(); };
  sides[kIssueJcs] = [&] { return AddProof(unsigned_ob3, key, jcs_options).ok(); };
  sides[kRawSign] = [&] { return key.Sign(hashes.hash_data).size() == 64; };
  sides[kVerifyRdfc] = [&] { return AllValid(VerifyProofs(ob3, resolver)); };
  sides[kVerifyJcs] = [&] { return AllValid(VerifyProofs(jcs_ob3, resolver)); };
  sides[kRawVerify] = [&] {
    return certs::VerifyEd25519(key.public_key(), hashes.hash_data, signature);
  };
  sides[kToRdf] = [&] {
    return jsonld::ToRdf(ob3_doc, loader).ok() && jsonld::ToRdf(ob3_config_value, loader).ok();
  };
  std::vector<std::vector<double>> rates(kSides);
  std::vector<double> issue_ratio, verify_ratio;
  const double slice = seconds / kSlices;
  for (int s = 0; s < kSlices; ++s) {
    for (int i = 0; i < kSides; ++i) rates[i].push_back(Rate(slice, sides[i]));
    issue_ratio.push_back(rates[kIssueJcs].back() / rates[kRawSign].back());
    verify_ratio.push_back(rates[kVerifyJcs].back() / rates[kRawVerify].back());
  }
  auto median = [&](int side) { return Median(rates[side]); };
  auto verdict = [](bool met) { return met ? "met" : "NOT met"; };
  std::printf("proof_bench%s: OB 3.0 implementation-guide credential, per CPU second of one\n"
              "core, median of %d alternating slices\n", smoke ? " --smoke" : "", kSlices);
  std::printf("  issue  eddsa-rdfc-2022  %9.0f /s  = %.2f of raw sign  (target %.0f/s: %s)\n",
              median(kIssueRdfc), median(kIssueRdfc) / median(kRawSign), kRdfcTargetPerSecond,
              verdict(median(kIssueRdfc) >= kRdfcTargetPerSecond));
  std::printf("  issue  eddsa-jcs-2022   %9.0f /s  = %.2f of raw sign\n", median(kIssueJcs),
              Median(issue_ratio));
  std::printf("  raw Ed25519 sign        %9.0f /s\n", median(kRawSign));
  std::printf("  verify eddsa-rdfc-2022  %9.0f /s  = %.2f of raw verify (target %.0f/s: %s)\n",
              median(kVerifyRdfc), median(kVerifyRdfc) / median(kRawVerify),
              kRdfcTargetPerSecond, verdict(median(kVerifyRdfc) >= kRdfcTargetPerSecond));
  std::printf("  verify eddsa-jcs-2022   %9.0f /s  = %.2f of raw verify (target %.2f: %s)\n",
              median(kVerifyJcs), Median(verify_ratio), kJcsTargetRatio,
              verdict(Median(verify_ratio) >= kJcsTargetRatio));
  std::printf("  raw Ed25519 verify      %9.0f /s\n", median(kRawVerify));
  std::printf("  toRdf x2 (doc + proof config) %9.0f /s = %.0f%% of an rdfc verify\n",
              median(kToRdf), 100.0 * median(kVerifyRdfc) / median(kToRdf));
  return 0;
}
