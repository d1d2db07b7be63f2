// What the CPU-timed benchmarks share: thread CPU time, the median of the
// slices, and the `[--smoke] [--seconds S]` command line.
//
// Thread-safety: pure functions.
#pragma once

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace pathbridge::bench {

inline double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

inline double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct SecondsArgs {
  bool smoke = false;
  double seconds = 2;  // per side; smoke_seconds with --smoke
};

// Parses `[--smoke] [--seconds S]`; on anything else prints the usage and
// exits with status 2.
inline SecondsArgs ParseSecondsArgs(int argc, char** argv, const char* name, double smoke_seconds) {
  SecondsArgs a;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--smoke") == 0) {
      a.smoke = true;
    } else if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      a.seconds = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--smoke] [--seconds S]\n", name);
      std::exit(2);
    }
  }
  if (a.smoke) a.seconds = smoke_seconds;
  return a;
}

}  // namespace pathbridge::bench
