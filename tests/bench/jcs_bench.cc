// JCS (RFC 8785) canonicalization throughput on the Open Badges 3.0 sample
// credentials in shared/standards/ob3, beside boost::json::serialize of the
// same parsed values in the same run (these machines are shared and noisy,
// so only the ratio compares between runs). Both sides are timed in thread
// CPU time, in alternating slices, and the median slice is reported.
//
// Usage: jcs_bench [--smoke] [--seconds S]   (S: CPU seconds per side)
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "standards/jcs.h"
#include "standards/json.h"
#include "tests/bench/bench_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge {
namespace {

namespace fs = std::filesystem;

using bench::Median;
using bench::ThreadCpuSeconds;

constexpr int kSlices = 7;

struct Doc {
  std::string name;
  boost::json::value value;
};

// The sample credentials: every JSON file under ob3 with a credentialSubject
// (this leaves out the schema and the JSON-LD context).
std::vector<Doc> LoadCredentials() {
  std::vector<Doc> docs;
  for (const auto& e : fs::recursive_directory_iterator(testing::SharedDir() / "standards/ob3")) {
    if (e.path().extension() != ".json") continue;
    auto v = json::Parse(testing::ReadFile(e.path()));
    if (!v.ok()) {
      std::fprintf(stderr, "jcs_bench: %s: %s\n", e.path().c_str(), v.status().ToString().c_str());
      std::exit(1);
    }
    if (v->is_object() && v->as_object().contains("credentialSubject"))
      docs.push_back({e.path().filename().string(), std::move(*v)});
  }
  std::sort(docs.begin(), docs.end(), [](const Doc& a, const Doc& b) { return a.name < b.name; });
  return docs;
}

struct Rate {
  double bytes_per_s;   // output bytes
  double passes_per_s;  // passes over all the documents
};

// Runs `write` over all docs, again and again for at least `seconds` of CPU.
template <typename Write>
Rate Measure(const std::vector<Doc>& docs, double seconds, Write write) {
  std::size_t bytes = 0, passes = 0;
  const double start = ThreadCpuSeconds();
  double elapsed = 0;
  do {
    for (const Doc& d : docs) bytes += write(d.value);
    ++passes;
    elapsed = ThreadCpuSeconds() - start;
  } while (elapsed < seconds);
  return {static_cast<double>(bytes) / elapsed, static_cast<double>(passes) / elapsed};
}

}  // namespace
}  // namespace pathbridge

int main(int argc, char** argv) {
  using namespace pathbridge;
  const bench::SecondsArgs args = bench::ParseSecondsArgs(argc, argv, "jcs_bench", 0.3);
  const bool smoke = args.smoke;
  const double seconds = args.seconds;
  const std::vector<Doc> docs = LoadCredentials();
  std::size_t canonical_bytes = 0;
  for (const Doc& d : docs) {
    auto c = jcs::Canonicalize(d.value);
    if (!c.ok()) {
      std::fprintf(stderr, "jcs_bench: %s: %s\n", d.name.c_str(), c.status().ToString().c_str());
      return 1;
    }
    canonical_bytes += c->size();
  }
  std::printf("jcs_bench%s: %zu OB 3.0 sample credentials, %zu canonical bytes\n",
              smoke ? " --smoke" : "", docs.size(), canonical_bytes);

  std::vector<double> jcs_rates, serialize_rates, ratios;
  const double slice = seconds / kSlices;
  for (int s = 0; s < kSlices; ++s) {
    Rate j = Measure(docs, slice, [](const boost::json::value& v) {
      return jcs::Canonicalize(v)->size();
    });
    Rate b = Measure(docs, slice, [](const boost::json::value& v) {
      return boost::json::serialize(v).size();
    });
    jcs_rates.push_back(j.bytes_per_s);
    serialize_rates.push_back(b.bytes_per_s);
    ratios.push_back(j.passes_per_s / b.passes_per_s);
  }
  std::printf("  JCS Canonicalize       %8.1f MB/s of output (CPU time)\n", Median(jcs_rates) / 1e6);
  std::printf("  boost::json::serialize %8.1f MB/s of output (CPU time)\n",
              Median(serialize_rates) / 1e6);
  std::printf("  ratio JCS / serialize  %8.2f documents per CPU second "
              "(median of %d alternating slices)\n",
              Median(ratios), kSlices);
  return 0;
}
