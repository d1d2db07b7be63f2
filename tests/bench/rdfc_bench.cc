// RDFC-1.0 throughput on credential-sized datasets, beside a baseline
// measured in the same run: parsing the same N-Quads text and serializing the
// quads back (the cheapest full pass over the same data), as a ratio.
//
// Inputs (W3C vc-di-eddsa and 1EdTech implementation-guide vectors under
// shared/standards): the canonical credential documents, parsed as N-Quads.
// Each timed canonicalization gets a copy whose blank nodes were relabeled at
// random and whose quads were shuffled (64 variants, made before timing), so
// nothing can shortcut on already-canonical labels or order.
//
// Usage: rdfc_bench [--smoke] [--seconds S]   (one core; --smoke < 20 s)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "standards/nquads.h"
#include "standards/rdfc.h"
#include "tests/bench/bench_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::rdfc {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// From the design brief: tens of thousands of credential-sized
// canonicalizations per second on one core.
constexpr double kTargetPerSecond = 20'000;

struct Case {
  const char* name;
  fs::path file;
  bool required;  // the brief's headline input
};

std::vector<rdf::Dataset> Variants(const rdf::Dataset& base, size_t count) {
  std::mt19937_64 rng(42);
  std::vector<rdf::Dataset> out;
  for (size_t v = 0; v < count; ++v) {
    rdf::Dataset ds = base;
    std::map<std::string, std::string> relabel;
    for (rdf::Quad& q : ds)
      for (rdf::Term* t : {&q.subject, &q.object, &q.graph}) {
        if (t->kind != rdf::TermKind::kBlank) continue;
        auto [it, fresh] = relabel.try_emplace(t->value);
        if (fresh) it->second = "b" + std::to_string(rng() % 100000) + "_" + std::to_string(relabel.size());
        t->value = it->second;
      }
    std::shuffle(ds.begin(), ds.end(), rng);
    out.push_back(std::move(ds));
  }
  return out;
}

// Runs fn until `seconds` pass; returns calls per second.
template <typename Fn>
double Rate(double seconds, Fn&& fn) {
  uint64_t n = 0;
  auto start = Clock::now();
  auto deadline = start + std::chrono::duration<double>(seconds);
  Clock::time_point now;
  do {
    for (int i = 0; i < 64; ++i, ++n) fn(n);
    now = Clock::now();
  } while (now < deadline);
  return static_cast<double>(n) / std::chrono::duration<double>(now - start).count();
}

// Returns false when the case is required but failed.
bool RunCase(const Case& c, double seconds) {
  std::error_code ec;
  if (!fs::exists(c.file, ec)) {
    std::printf("%-28s missing %s\n", c.name, c.file.c_str());
    return !c.required;
  }
  std::string text = testing::ReadFile(c.file);
  auto parsed = rdf::ParseNQuads(text);
  if (!parsed.ok()) {
    std::printf("%-28s parse error %s\n", c.name, parsed.status().ToString().c_str());
    return false;
  }
  auto variants = Variants(*parsed, 64);
  size_t blanks = 0;
  {
    auto r = Canonicalize(variants[0]);
    if (!r.ok() || r->nquads != text) {
      std::printf("%-28s canonical form differs from the published one\n", c.name);
      return false;
    }
    blanks = r->issued.size();
  }
  size_t sink = 0;
  double canon = Rate(seconds, [&](uint64_t i) {
    auto r = Canonicalize(variants[i % variants.size()]);
    sink += r->nquads.size();
  });
  double parse_canon = Rate(seconds, [&](uint64_t) {
    auto r = CanonicalizeNQuads(text);
    sink += r->nquads.size();
  });
  double raw = Rate(seconds, [&](uint64_t) {
    auto ds = rdf::ParseNQuads(text);
    sink += rdf::SerializeNQuads(*ds).size();
  });
  std::printf("%-28s %4zu quads %3zu bnodes  canon %9.0f/s  parse+canon %9.0f/s  "
              "parse+serialize %9.0f/s  ratio canon/raw %.2f%s\n",
              c.name, parsed->size(), blanks, canon, parse_canon, raw, canon / raw,
              sink == 0 ? " (no output?)" : "");
  if (c.required && canon < kTargetPerSecond)
    std::printf("  below the target of %.0f canonicalizations/s\n", kTargetPerSecond);
  return true;
}

}  // namespace
}  // namespace pathbridge::rdfc

int main(int argc, char** argv) {
  using namespace pathbridge;
  namespace fs = std::filesystem;
  const double seconds = bench::ParseSecondsArgs(argc, argv, "rdfc_bench", 0.2).seconds;
  fs::path s = testing::SharedDir() / "standards";
  fs::path eddsa = s / "vc2" / "vc-di-eddsa" / "eddsa-rdfc-2022";
  const rdfc::Case kCases[] = {
      {"vc-di-eddsa credential", eddsa / "canonDocDataInt.txt", true},
      {"vc-di-eddsa employment", eddsa / "employ" / "canonDocDataInt.txt", false},
      {"vc-di-eddsa proof config", eddsa / "proofCanonDataInt.txt", false},
      {"OB 3.0 guide credential", s / "ob3" / "impl-guide-test-vector" / "canon-document-canon.txt", false},
      {"CLR 2.0 guide credential", s / "clr2" / "impl-guide-test-vector" / "canon-document-canon.txt", false},
  };
  std::printf("rdfc_bench: %.1f s per figure, one thread\n", seconds);
  bool ok = true;
  for (const auto& c : kCases) ok = rdfc::RunCase(c, seconds) && ok;
  return ok ? 0 : 1;
}
