// The dual-enrollment import (gateway/dual_credit.h) on PESC transcripts:
// signed credentials per second, beside the raw rates it is built from,
// measured in the same run (these machines are shared and noisy, so the
// ratios are what compares between runs):
//   pugixml parse    every transcript's bytes parsed by pugixml, nothing else
//   raw Ed25519 sign libsodium over the 64 bytes a Data Integrity proof signs
//   parse + map      DraftDualCredit without district records: decode the
//                    transcript, mark its dual credit and map each completed
//                    course to an unsigned OB 3.0 credential (in memory)
//   draft            the same, plus writing the district's Ed-Fi records
//                    (files: a temp folder, renamed into place)
//   Data Integrity   AddProof (eddsa-rdfc-2022, the default suite) over each
//                    drafted credential: canonicalization, hashing, signing
//   issue            CredentialService::IssueBatch of each transcript's
//                    drafted credentials (fresh ids): status slots, signing,
//                    durable ledger append with group commit
//   import           draft then issue, one transcript after another: PESC
//                    transcripts -> signed, logged credentials
// The aim (Adapters II issue): parsing and mapping cost less per credential
// than signing it (Data Integrity). The district's records are another
// product of the import, reported beside it (draft).
// Transcripts: the shared PESC samples with completed courses and the US
// fixture (the same set the interop test imports). Each side runs in
// alternating slices; medians reported, per wall second and per CPU second
// of the process (all threads: the ledger's too). Wall rates include disk
// waits (fsync, file creation), which on a shared VM vary with the load;
// CPU rates do not.
//
// Usage: dual_credit_bench [--smoke] [--seconds S]   (S: seconds per side)
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "certs/org_registry.h"
#include "gateway/dual_credit.h"
#include "ledger/credentials/data_integrity.h"
#include "ledger/ledger_dir.h"
#include "tests/bench/bench_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::gateway {
namespace {

namespace fs = std::filesystem;
namespace js = boost::json;
using Clock = std::chrono::steady_clock;

using bench::Median;

constexpr int kSlices = 5;

struct Transcript {
  fs::path path;
  std::string format;
  std::string bytes;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "dual_credit_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Check(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(*r);
}

std::vector<Transcript> Transcripts() {
  std::vector<Transcript> out{
      {fs::path(__FILE__).parent_path().parent_path() /
           "adapters/testdata/pesc/dual_enrollment_college_transcript.xml",
       "pesc-college-xml", ""}};
  std::vector<fs::path> samples;
  for (const auto& e :
       fs::recursive_directory_iterator(testing::SharedDir() / "standards/pesc/samples"))
    if (e.path().extension() == ".xml" && e.path().string().find("Ontario/College") == std::string::npos)
      samples.push_back(e.path());  // Ontario's college sample has no credits earned
  std::sort(samples.begin(), samples.end());
  for (const fs::path& p : samples)
    out.push_back({p, p.string().find("HighSchool") != std::string::npos ? "pesc-hs-xml" : "pesc-college-xml", ""});
  for (Transcript& t : out) t.bytes = testing::ReadFile(t.path);
  return out;
}

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Rates {
  double wall = 0, cpu = 0;  // units per second
};

// Runs `fn` (`units` units of work a call) for at least `seconds` of wall time.
Rates Rate(double seconds, double units, const std::function<void()>& fn) {
  size_t calls = 0;
  const auto start = Clock::now();
  const double cpu_start = ProcessCpuSeconds();
  double elapsed = 0;
  do {
    fn();
    ++calls;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  const double work = static_cast<double>(calls) * units;
  return {work / elapsed, work / (ProcessCpuSeconds() - cpu_start)};
}

}  // namespace
}  // namespace pathbridge::gateway

int main(int argc, char** argv) {
  using namespace pathbridge;
  using namespace pathbridge::gateway;
  const bench::SecondsArgs args = bench::ParseSecondsArgs(argc, argv, "dual_credit_bench", 0.2);
  const double seconds = args.seconds;

  testing::TempDir dir;
  const fs::path data = dir.path() / "hub";
  certs::OrgSpec spec{"college", "Bench Community College", certs::DidMethod::kKey, ""};
  Check(certs::AddOrganization(data, spec, {}, Now()), "org add");
  auto log = Check(ledger::OpenLedger(data), "open ledger");
  auto issuer = Check(credentials::CredentialService::Open(data, *log), "open issuer");
  const certs::SigningKey key = Check(certs::ActiveSigningKey(data, "college", ""), "org key");

  std::vector<Transcript> transcripts = Transcripts();
  size_t work_id = 0;
  auto draft = [&](const Transcript& t, bool district = true) {
    fs::path work = dir.path() / ("draft-" + std::to_string(work_id++));
    DualCreditRequest r;
    r.transcript = t.path;
    r.from = t.format;
    r.issuer_org = "college";
    DualCreditDraft d = Check(DraftDualCredit(r, district ? work / "district" : fs::path()), "draft");
    if (district) fs::remove_all(work);
    return d;
  };
  // The drafts once, to count credentials and to sign; ids dropped so that
  // every issue is a new credential (an id is issued once).
  std::vector<std::vector<js::object>> drafted;
  size_t credentials = 0;
  for (const Transcript& t : transcripts) {
    DualCreditDraft d = draft(t);
    for (js::object& c : d.credentials) c.erase("id");
    credentials += d.credentials.size();
    drafted.push_back(std::move(d.credentials));
  }
  const double n_transcripts = static_cast<double>(transcripts.size());
  const double n_credentials = static_cast<double>(credentials);
  std::printf("dual_credit_bench: %zu PESC transcripts, %zu completed courses -> credentials\n",
              transcripts.size(), credentials);

  credentials::ProofOptions proof;
  proof.verification_method = key.verification_method;
  proof.created = "2026-01-01T00:00:00Z";
  const Bytes hash_data(64, 0x5a);
  enum { kParse, kRawSign, kMap, kDraft, kDataIntegrity, kIssue, kImport, kSides };
  const char* names[kSides] = {"pugixml parse", "raw Ed25519 sign", "parse + map",
                               "draft (+ district records)", "Data Integrity sign (rdfc)",
                               "issue (sign + ledger)", "import (draft + issue)"};
  std::vector<std::function<Rates(double)>> sides(kSides);
  sides[kParse] = [&](double s) {
    return Rate(s, n_transcripts, [&] {
      for (const Transcript& t : transcripts) {
        pugi::xml_document doc;
        if (!doc.load_buffer(t.bytes.data(), t.bytes.size())) Die("pugixml: " + t.path.string());
      }
    });
  };
  sides[kRawSign] = [&](double s) {
    return Rate(s, 1, [&] { key.key.Sign(ByteSpan(hash_data.data(), hash_data.size())); });
  };
  sides[kMap] = [&](double s) {
    return Rate(s, n_credentials, [&] { for (const Transcript& t : transcripts) draft(t, false); });
  };
  sides[kDraft] = [&](double s) {
    return Rate(s, n_credentials, [&] { for (const Transcript& t : transcripts) draft(t); });
  };
  sides[kDataIntegrity] = [&](double s) {
    return Rate(s, n_credentials, [&] {
      for (const auto& batch : drafted)
        for (const js::object& c : batch) Check(credentials::AddProof(c, key.key, proof), "sign");
    });
  };
  const auto suite = credentials::IssueSuite::kEddsaRdfc2022;
  sides[kIssue] = [&](double s) {
    return Rate(s, n_credentials, [&] {
      for (const auto& batch : drafted) Check(issuer->IssueBatch(batch, "college", suite, Now()), "issue");
    });
  };
  sides[kImport] = [&](double s) {
    return Rate(s, n_credentials, [&] {
      for (const Transcript& t : transcripts) {
        DualCreditDraft d = draft(t);
        for (js::object& c : d.credentials) c.erase("id");
        Check(issuer->IssueBatch(d.credentials, "college", suite, Now()), "import");
      }
    });
  };
  std::vector<std::vector<double>> wall(kSides), cpu(kSides);
  for (int slice = 0; slice < kSlices; ++slice)
    for (int i = 0; i < kSides; ++i) {
      Rates r = sides[i](seconds / kSlices);
      wall[i].push_back(r.wall);
      cpu[i].push_back(r.cpu);
    }
  std::vector<double> w(kSides), c(kSides);
  for (int i = 0; i < kSides; ++i) w[i] = Median(wall[i]), c[i] = Median(cpu[i]);
  // Rates per credential (a transcript holds several).
  const double per_transcript = n_credentials / n_transcripts;
  w[kParse] *= per_transcript;
  c[kParse] *= per_transcript;
  std::printf("  %-28s %14s %14s %12s %12s\n", "step (per credential)", "wall /s", "CPU /s", "wall us",
              "CPU us");
  for (int i = 0; i < kSides; ++i)
    std::printf("  %-28s %14.0f %14.0f %12.1f %12.1f\n", names[i], w[i], c[i], 1e6 / w[i], 1e6 / c[i]);
  const double map_vs_sign = c[kDataIntegrity] / c[kMap];
  std::printf("\n  import: %.0f signed, logged credentials per wall second (%.0f per CPU second) = "
              "%.3f x raw Ed25519 sign (CPU)\n",
              w[kImport], c[kImport], c[kImport] / c[kRawSign]);
  std::printf("  parse + map CPU per credential = %.2f x Data Integrity signing (aim < 1: %s)\n",
              map_vs_sign, map_vs_sign < 1 ? "met" : "MISSED");
  std::printf("  with the district's records (draft) = %.2f x Data Integrity signing\n",
              c[kDataIntegrity] / c[kDraft]);
  std::printf("  of which pugixml parsing = %.3f of parse + map (CPU)\n", c[kMap] / c[kParse]);
  Status closed = log->Close();
  if (!closed.ok()) Die(closed.ToString());
  return 0;
}
