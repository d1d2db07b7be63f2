// JSON-LD toRdf throughput on Verifiable Credentials (vc-di-eddsa, Open
// Badges 3.0, CLR 2.0), beside a baseline measured in the same run:
// json::Parse + boost::json::serialize of the same document (a full pass
// over the same JSON), as a ratio. Both sides are timed in thread CPU time,
// in alternating slices, and the median slice is reported (these machines
// are shared and noisy, so only the ratio compares between runs).
//
// Before timing, each credential's dataset is checked against its published
// canonical N-Quads (RDFC-1.0), so a fast wrong answer cannot pass.
//
// "warm" is the steady state of a verifier (contexts already processed and
// cached process-wide); "cold" clears the context cache before every call.
//
// Usage: jsonld_bench [--smoke] [--seconds S]   (one core; S: CPU seconds per case)
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "standards/json.h"
#include "standards/jsonld.h"
#include "standards/rdfc.h"
#include "tests/bench/bench_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::jsonld {
namespace {

namespace fs = std::filesystem;
using bench::Median;
using bench::ThreadCpuSeconds;

// The credentials work verifies >= 5,000 eddsa-rdfc-2022 Open Badges per
// second on one core; toRdf of a credential must stay well under 100 us.
constexpr double kTargetPerSecond = 10'000;
constexpr int kSlices = 7;

// Runs fn for at least `seconds` of thread CPU time; calls per CPU second.
template <typename Fn>
double Rate(double seconds, Fn&& fn) {
  size_t n = 0;
  const double start = ThreadCpuSeconds();
  double elapsed = 0;
  do {
    for (int i = 0; i < 16; ++i, ++n) fn();
    elapsed = ThreadCpuSeconds() - start;
  } while (elapsed < seconds);
  return static_cast<double>(n) / elapsed;
}

enum class Part { kWhole, kWithoutProof, kProofConfig };

struct Case {
  const char* name;
  fs::path file;
  Part part;
  std::optional<fs::path> canonical;  // published RDFC-1.0 N-Quads, if any
  bool headline;                      // an Open Badge: held to the target
};

// The document as Data Integrity hashes it: without its proof, or the proof
// options with the document's @context.
boost::json::value Select(boost::json::value doc, Part part) {
  if (part == Part::kWithoutProof) doc.as_object().erase("proof");
  if (part != Part::kProofConfig) return doc;
  boost::json::object proof = doc.at("proof").as_object();
  proof.erase("proofValue");
  proof["@context"] = doc.at("@context");
  return proof;
}

// Returns false when the case cannot be measured or gives a wrong dataset.
bool RunCase(const Case& c, double seconds) {
  std::error_code ec;
  if (!fs::exists(c.file, ec)) {
    std::printf("%-30s missing %s\n", c.name, c.file.c_str());
    return false;
  }
  auto parsed = json::Parse(testing::ReadFile(c.file));
  if (!parsed.ok()) {
    std::printf("%-30s %s\n", c.name, parsed.status().ToString().c_str());
    return false;
  }
  const boost::json::value doc = Select(std::move(*parsed), c.part);
  const std::string text = boost::json::serialize(doc);
  const BundledLoader& loader = BundledLoader::Instance();
  auto quads = ToRdf(doc, loader);
  if (!quads.ok()) {
    std::printf("%-30s toRdf: %s\n", c.name, quads.status().ToString().c_str());
    return false;
  }
  if (c.canonical) {
    auto canon = rdfc::Canonicalize(*quads);
    if (!canon.ok() || canon->nquads != testing::ReadFile(*c.canonical)) {
      std::printf("%-30s dataset differs from the published canonical form\n", c.name);
      return false;
    }
  }
  size_t sink = 0;
  std::vector<double> warm, cold, base, ratios;
  const double slice = seconds / kSlices;
  for (int s = 0; s < kSlices; ++s) {
    warm.push_back(Rate(slice, [&] { sink += ToRdf(doc, loader)->size(); }));
    cold.push_back(Rate(slice / 4, [&] {
      ClearContextCache();
      sink += ToRdf(doc, loader)->size();
    }));
    base.push_back(Rate(slice, [&] {
      sink += boost::json::serialize(*json::Parse(text)).size();
    }));
    ratios.push_back(warm.back() / base.back());
  }
  const double w = Median(warm);
  std::printf("%-30s %3zu quads %5zu B  toRdf %7.0f/s (%6.1f us)  cold %6.0f/s (%6.1f us)  "
              "parse+serialize %7.0f/s  ratio toRdf/baseline %.3f%s\n",
              c.name, quads->size(), text.size(), w, 1e6 / w, Median(cold), 1e6 / Median(cold),
              Median(base), Median(ratios), sink == 0 ? " (no output?)" : "");
  if (c.headline && w < kTargetPerSecond)
    std::printf("  below the target of %.0f toRdf/s\n", kTargetPerSecond);
  return true;
}

}  // namespace
}  // namespace pathbridge::jsonld

int main(int argc, char** argv) {
  using namespace pathbridge;
  using jsonld::Part;
  namespace fs = std::filesystem;
  const double seconds = bench::ParseSecondsArgs(argc, argv, "jsonld_bench", 0.2).seconds;
  const fs::path s = testing::SharedDir() / "standards";
  const fs::path eddsa = s / "vc2" / "vc-di-eddsa";
  const fs::path ob3 = s / "ob3" / "impl-guide-test-vector";
  const fs::path clr2 = s / "clr2" / "impl-guide-test-vector";
  const jsonld::Case kCases[] = {
      {"vc-di-eddsa unsigned", eddsa / "unsigned.json", Part::kWhole,
       eddsa / "eddsa-rdfc-2022" / "canonDocDataInt.txt", false},
      {"vc-di-eddsa proof config", eddsa / "eddsa-rdfc-2022" / "proofConfigDataInt.json",
       Part::kWhole, eddsa / "eddsa-rdfc-2022" / "proofCanonDataInt.txt", false},
      {"OB 3.0 guide credential", ob3 / "signed-credential.json", Part::kWithoutProof,
       ob3 / "canon-document-canon.txt", true},
      {"OB 3.0 guide proof config", ob3 / "signed-credential.json", Part::kProofConfig,
       ob3 / "canon-proof-canon.txt", true},
      {"OB 3.0 fullOpenBadge", s / "ob3" / "spec-examples" / "fullOpenBadge.json", Part::kWhole,
       std::nullopt, true},
      {"CLR 2.0 guide credential", clr2 / "signed-credential.json", Part::kWithoutProof,
       clr2 / "canon-document-canon.txt", false},
  };
  std::printf("jsonld_bench: %.1f CPU s per case, one thread, median of %d slices\n", seconds,
              jsonld::kSlices);
  bool ok = true;
  for (const auto& c : kCases) ok = jsonld::RunCase(c, seconds) && ok;
  return ok ? 0 : 1;
}
