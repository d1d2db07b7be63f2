// Translation throughput and memory on a synthetic district
// (adapters/demo_data), beside the raw rate of reading the same CSV files in
// the same run (these machines are shared and noisy, so compare ratios):
//   - plain read: the files read in 1 MiB blocks, counting line ends;
//   - tokenize: every file through the project's CSV tokenizer (csv::Reader),
//     the floor under any OneRoster CSV decoder; the baseline of the ratios;
//   - decode: the oneroster-csv decoder alone (records pulled, not written);
//   - oneroster-csv -> edfi-json and -> sif-xml through adapters::Translate,
//     then again with read_ahead (decoding on a second thread, as the
//     `pathbridge translate` command runs): the same CPU, less wall time;
//   - edfi-json -> sif-xml from the edfi-json step's output: reading Ed-Fi
//     (its rate is of the Ed-Fi bytes; its peak RSS is the point);
//   - with --pairs N, each translation again N times, each run right after a
//     tokenize run of its own, and the median of those adjacent ratios: on
//     a machine whose speed drifts between steps (a shared VM), the ratio of
//     neighbours is steadier than the ratio to one tokenize run.
// Rates are input bundle bytes per CPU second of the step (and per wall
// second). Each step runs in its own forked child so that its peak RSS
// (wait4's ru_maxrss) is its own; the parent stays small. Two district
// sizes are run to show that the peaks do not grow with the input.
//
// Usage: translate_bench [--smoke] [--students N] [--small-students M]
//                        [--dir PATH] [--keep] [--pairs N] [--to T]...
// (--small-students 0 runs one size; --to edfi-json or sif-xml runs that
// translation only, and edfi-json -> sif-xml only with edfi-json.)
// Bundles are generated under <build dir>/bench-data/translate (reused when
// present: generation is deterministic) and outputs removed after each step.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "adapters/demo_data/generator.h"
#include "adapters/oneroster_csv/csv.h"
#include "adapters/registry.h"
#include "adapters/translate.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Targets from the Adapters I issue.
constexpr double kTargetRawRatio = 0.30;
constexpr double kTargetPeakMb = 256;

struct Args {
  bool smoke = false;
  bool keep = false;
  uint64_t students = 100'000;
  uint64_t small_students = 25'000;
  fs::path dir;
  int pairs = 0;  // adjacent (tokenize, translation) pairs per translation
  std::vector<std::string> targets;  // --to: these only (all when empty)
};

constexpr const char* kUsage =
    "usage: translate_bench [--smoke] [--students N] [--small-students M] [--dir PATH] [--keep] "
    "[--pairs N] [--to edfi-json|sif-xml]...";

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "translate_bench: %s\n", what.c_str());
  std::exit(1);
}

// What a step measured, from its child process.
struct Step {
  double wall_s = 0, cpu_s = 0;
  double peak_mb = 0;
  uint64_t units = 0;  // records or fields, as the step counts them
};

// Runs `fn` in a forked child; its wall time, CPU time and peak RSS come
// from wait4, and what it counted through a pipe. A child that fails prints
// why and exits 1, which ends the benchmark.
Step InChild(const std::function<Result<uint64_t>()>& fn) {
  int fds[2];
  if (pipe(fds) != 0) Die("pipe failed");
  std::fflush(nullptr);
  auto start = Clock::now();
  pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    close(fds[0]);
    Result<uint64_t> n = fn();
    if (!n.ok()) {
      std::fprintf(stderr, "translate_bench: %s\n", n.status().ToString().c_str());
      _exit(1);
    }
    uint64_t v = *n;
    _exit(write(fds[1], &v, sizeof v) == sizeof v ? 0 : 1);
  }
  close(fds[1]);
  Step s;
  if (read(fds[0], &s.units, sizeof s.units) != sizeof s.units) s.units = 0;
  close(fds[0]);
  int status = 0;
  rusage ru{};
  if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    Die("a step failed (see above)");
  s.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  s.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  s.peak_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;  // KiB on Linux
  return s;
}

std::vector<fs::path> CsvFiles(const fs::path& bundle) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(bundle))
    if (e.path().extension() == ".csv") files.push_back(e.path());
  return files;
}

uint64_t BundleBytes(const fs::path& bundle) {
  uint64_t n = 0;
  for (const fs::path& f : CsvFiles(bundle)) n += fs::file_size(f);
  return n;
}

uint64_t FolderBytes(const fs::path& folder) {
  uint64_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(folder))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

Result<uint64_t> PlainRead(const fs::path& bundle) {
  std::vector<char> buf(1 << 20);
  uint64_t lines = 0;
  for (const fs::path& f : CsvFiles(bundle)) {
    FILE* in = std::fopen(f.c_str(), "rb");
    if (in == nullptr) return IoError("cannot open", f.string());
    size_t got;
    while ((got = std::fread(buf.data(), 1, buf.size(), in)) > 0)
      for (size_t i = 0; i < got; ++i) lines += buf[i] == '\n';
    std::fclose(in);
  }
  return lines;
}

Result<uint64_t> Tokenize(const fs::path& bundle) {
  uint64_t fields = 0;
  std::vector<std::string> row;
  std::vector<csv::Position> pos;
  for (const fs::path& f : CsvFiles(bundle)) {
    std::ifstream in(f, std::ios::binary);
    csv::Reader reader(in, f.filename().string());
    while (true) {
      PB_ASSIGN_OR_RETURN(bool any, reader.Next(&row, &pos));
      if (!any) break;
      fields += row.size();
    }
  }
  return fields;
}

Result<uint64_t> DecodeOnly(const fs::path& bundle) {
  PB_ASSIGN_OR_RETURN(const Adapter* a, FindAdapter("oneroster-csv"));
  PB_ASSIGN_OR_RETURN(auto decoder, a->OpenDecoder({bundle}, {}));
  uint64_t records = 0;
  PB_RETURN_IF_ERROR(ForEachRecord(*decoder, [&](canonical::Record&&) {
    ++records;
    return Status::Ok();
  }));
  return records;
}

Result<uint64_t> TranslateTo(const std::string& from, const fs::path& in, const std::string& to,
                             const fs::path& out, bool read_ahead = false) {
  TranslateOptions options;
  options.read_ahead = read_ahead;
  PB_ASSIGN_OR_RETURN(LossReport report, Translate(from, to, {in}, out, options));
  uint64_t records = 0;
  for (const auto& [type, c] : report.records) records += c.read;
  return records;
}

// The bundle for `students`, generated unless already there.
fs::path Bundle(const Args& args, uint64_t students) {
  fs::path bundle = args.dir / ("district-" + std::to_string(students));
  if (fs::exists(bundle)) return bundle;
  fs::create_directories(args.dir);
  Step g = InChild([&]() -> Result<uint64_t> {
    PB_ASSIGN_OR_RETURN(auto counts, demo_data::WriteDistrictBundle({students, 1, false}, bundle));
    return counts.records();
  });
  std::printf("  generated %" PRIu64 " records in %.1f s wall, %.1f s CPU, peak RSS %.0f MB\n",
              g.units, g.wall_s, g.cpu_s, g.peak_mb);
  return bundle;
}

struct Translation {
  std::string to;
  Step step;
  double ratio;  // to the tokenize rate, in CPU time
  Step ahead;    // with read_ahead (decoding on a second thread)
  double ahead_wall_ratio = 0;  // to the tokenize rate, in wall time
  // With --pairs: the medians of the ratios to an adjacent tokenize run.
  double paired_ratio = 0, paired_ahead_wall_ratio = 0;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// --pairs: `pairs` times, a tokenize run, the translation on one thread,
// another tokenize run and the translation with read-ahead; each
// translation's ratio is to the tokenize run just before it.
void RunPairs(const Args& args, const fs::path& bundle, double mb, Translation& t) {
  std::vector<double> cpu, wall;
  const fs::path out = args.dir / ("out-pairs-" + t.to);
  for (int i = 0; i < args.pairs; ++i) {
    for (bool ahead : {false, true}) {
      Step tok = InChild([&] { return Tokenize(bundle); });
      fs::remove_all(out);
      Step s = InChild([&] { return TranslateTo("oneroster-csv", bundle, t.to, out, ahead); });
      fs::remove_all(out);
      if (ahead) wall.push_back(tok.wall_s / s.wall_s);
      else cpu.push_back(tok.cpu_s / s.cpu_s);
    }
  }
  t.paired_ratio = Median(cpu);
  t.paired_ahead_wall_ratio = Median(wall);
  auto range = [](const std::vector<double>& v) {
    return std::to_string(static_cast<int>(*std::min_element(v.begin(), v.end()) * 100 + 0.5)) +
           "-" + std::to_string(static_cast<int>(*std::max_element(v.begin(), v.end()) * 100 + 0.5)) + "%";
  };
  std::printf("  -> %-10s %d adjacent pairs: %.0f%% of tokenize in CPU time (median; %s), %.0f%% "
              "in wall time with read ahead (%s); %.1f MB of CSV\n",
              t.to.c_str(), args.pairs, t.paired_ratio * 100, range(cpu).c_str(),
              t.paired_ahead_wall_ratio * 100, range(wall).c_str(), mb);
}
struct SizeResult {
  double tokenize_rate = 0;
  double tokenize_wall_rate = 0;
  std::vector<Translation> translations;
  Step edfi_read;  // edfi-json -> sif-xml, from the edfi-json step's output
};

SizeResult RunSize(const Args& args, uint64_t students) {
  std::printf("\n%" PRIu64 " students:\n", students);
  fs::path bundle = Bundle(args, students);
  const double mb = static_cast<double>(BundleBytes(bundle)) / 1e6;
  std::printf("  bundle %s: %.1f MB of CSV\n", bundle.c_str(), mb);
  std::printf("  %-28s %10s %10s %8s %9s %12s\n", "step", "MB/s CPU", "MB/s wall", "x tok",
              "peak MB", "units");
  SizeResult result;
  auto report = [&](const std::string& name, const Step& s) {
    const double rate = mb / s.cpu_s;
    if (name == "tokenize (csv::Reader)") {
      result.tokenize_rate = rate;
      result.tokenize_wall_rate = mb / s.wall_s;
    }
    std::printf("  %-28s %10.1f %10.1f %8.2f %9.1f %12" PRIu64 "\n", name.c_str(), rate,
                mb / s.wall_s, result.tokenize_rate > 0 ? rate / result.tokenize_rate : 0,
                s.peak_mb, s.units);
    return rate / result.tokenize_rate;
  };
  report("plain read (lines)", InChild([&] { return PlainRead(bundle); }));
  report("tokenize (csv::Reader)", InChild([&] { return Tokenize(bundle); }));
  report("decode oneroster-csv", InChild([&] { return DecodeOnly(bundle); }));
  const fs::path edfi = args.dir / "out-edfi-json";
  for (std::string to : {"edfi-json", "sif-xml"}) {
    if (!args.targets.empty() &&
        std::find(args.targets.begin(), args.targets.end(), to) == args.targets.end())
      continue;
    fs::path out = args.dir / ("out-" + to);
    fs::remove_all(out);
    Step s = InChild([&] { return TranslateTo("oneroster-csv", bundle, to, out); });
    Translation t{to, s, report("-> " + to, s), {}, 0};
    fs::remove_all(out);
    t.ahead = InChild([&] { return TranslateTo("oneroster-csv", bundle, to, out, true); });
    report("-> " + to + " (read ahead)", t.ahead);
    t.ahead_wall_ratio = mb / t.ahead.wall_s / result.tokenize_wall_rate;
    if (args.pairs > 0) RunPairs(args, bundle, mb, t);
    result.translations.push_back(t);
    if (out != edfi) fs::remove_all(out);
  }
  // Reading Ed-Fi joins each student's two resources through a sort; its
  // memory is checked here. Its rate is of the Ed-Fi input (no CSV ratio).
  if (fs::exists(edfi)) {
    const fs::path sif = args.dir / "out-edfi-to-sif";
    fs::remove_all(sif);
    result.edfi_read = InChild([&] { return TranslateTo("edfi-json", edfi, "sif-xml", sif); });
    const double edfi_mb = static_cast<double>(FolderBytes(edfi)) / 1e6;
    std::printf("  %-28s %10.1f %10.1f %8s %9.1f %12" PRIu64 "  (%.1f MB of Ed-Fi JSON)\n",
                "edfi-json -> sif-xml", edfi_mb / result.edfi_read.cpu_s,
                edfi_mb / result.edfi_read.wall_s, "-", result.edfi_read.peak_mb,
                result.edfi_read.units, edfi_mb);
    fs::remove_all(sif);
    fs::remove_all(edfi);
  }
  if (!args.keep && args.smoke) fs::remove_all(bundle);
  return result;
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--smoke") a.smoke = true;
    else if (arg == "--keep") a.keep = true;
    else if (arg == "--students" && has_value) a.students = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--small-students" && has_value) a.small_students = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--dir" && has_value) a.dir = argv[++i];
    else if (arg == "--pairs" && has_value) a.pairs = std::atoi(argv[++i]);
    else if (arg == "--to" && has_value) a.targets.push_back(argv[++i]);
    else Die(kUsage);
  }
  if (a.smoke) {
    a.students = 1000;
    a.small_students = 250;
    a.pairs = std::max(a.pairs, 1);  // the paired runs too, once
  }
  if (a.dir.empty())
    a.dir = fs::path(PATHBRIDGE_BINARY_DIR) / "bench-data" / (a.smoke ? "translate-smoke" : "translate");
  return a;
}

}  // namespace
}  // namespace pathbridge::adapters

int main(int argc, char** argv) {
  using namespace pathbridge::adapters;
  Args args = ParseArgs(argc, argv);
  std::printf("translate_bench%s: oneroster-csv bundles from demo_data, seed 1\n",
              args.smoke ? " --smoke" : "");
  // --small-students 0: one size (its peaks printed twice).
  SizeResult small = args.small_students > 0 ? RunSize(args, args.small_students) : SizeResult{};
  SizeResult big = RunSize(args, args.students);
  if (args.small_students == 0) {
    small = big;
    args.small_students = args.students;
  }
  std::printf("\nagainst the targets (translation >= %.0f%% of the tokenize rate, peak RSS <= %.0f MB "
              "and flat in input size):\n",
              kTargetRawRatio * 100, kTargetPeakMb);
  for (size_t i = 0; i < big.translations.size(); ++i) {
    const Translation& b = big.translations[i];
    const Translation& s = small.translations[i];
    std::printf("  -> %-10s %3.0f%% of tokenize in CPU time (%s), %3.0f%% in wall time with read "
                "ahead; peak %.1f MB at %" PRIu64 " students, %.1f MB at %" PRIu64 " (%s)\n",
                b.to.c_str(), b.ratio * 100, b.ratio >= kTargetRawRatio ? "met" : "MISSED",
                b.ahead_wall_ratio * 100,
                s.step.peak_mb, args.small_students, b.step.peak_mb, args.students,
                b.step.peak_mb <= kTargetPeakMb ? "under the cap" : "OVER the cap");
    if (args.pairs > 0)
      std::printf("     %-10s %3.0f%% in CPU time (%s) and %3.0f%% in wall time with read ahead, "
                  "medians of %d adjacent pairs\n",
                  "", b.paired_ratio * 100, b.paired_ratio >= kTargetRawRatio ? "met" : "MISSED",
                  b.paired_ahead_wall_ratio * 100, args.pairs);
  }
  if (big.edfi_read.wall_s > 0)
    std::printf("  edfi-json -> sif-xml: peak %.1f MB at %" PRIu64 " students, %.1f MB at %" PRIu64
                " (%s)\n",
                small.edfi_read.peak_mb, args.small_students, big.edfi_read.peak_mb, args.students,
                big.edfi_read.peak_mb <= kTargetPeakMb ? "under the cap" : "OVER the cap");
  return 0;
}
