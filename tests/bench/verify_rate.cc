// The in-process baseline of gateway_load.sh's POST /credentials/verify:
// what the route's workers do per request, without HTTP. Each of N threads
// (the CredentialApi's worker count) parses the same request body
// (ParseVerifyCredentialRequest) and verifies it (credentials::Verify) with
// the data directory's verification sources loaded once, as the server
// holds them, for S wall-clock seconds. Prints "verifies/s N cpu_ms M" (M:
// the process's CPU time per verification) on standard output; exits 1 if a
// verification does not verify.
//
// Usage: verify_rate --data DIR --body FILE [--threads N] [--seconds S]
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "gateway/credential_routes.h"
#include "gateway/vc_api_request.h"
#include "ledger/credentials/offline_sources.h"
#include "ledger/credentials/verifier.h"
#include "standards/time.h"
#include "tests/testing/test_util.h"

namespace pathbridge {
namespace {

namespace cr = credentials;

struct Args {
  std::string data;
  std::string body;
  int threads = gateway::CredentialApiOptions{}.threads;
  double seconds = 2;
};

// On a bad command line prints the usage and exits with status 2.
Args ParseArgs(int argc, char** argv) {
  Args a;
  bool ok = argc % 2 == 1;  // options in pairs
  for (int i = 1; ok && i + 1 < argc; i += 2) {
    const char* flag = argv[i];
    const char* value = argv[i + 1];
    if (std::strcmp(flag, "--data") == 0) {
      a.data = value;
    } else if (std::strcmp(flag, "--body") == 0) {
      a.body = value;
    } else if (std::strcmp(flag, "--threads") == 0) {
      a.threads = std::atoi(value);
    } else if (std::strcmp(flag, "--seconds") == 0) {
      a.seconds = std::atof(value);
    } else {
      ok = false;
    }
  }
  if (!ok || a.data.empty() || a.body.empty() || a.threads < 1 || a.seconds <= 0) {
    std::fprintf(stderr, "usage: verify_rate --data DIR --body FILE [--threads N] [--seconds S]\n");
    std::exit(2);
  }
  return a;
}

// What one request costs the route's worker: the body parsed, then verified
// as of now (the body has no receipt, so there is no receipt check).
bool VerifyOnce(const std::string& body, const cr::OfflineSources& sources) {
  auto in = gateway::ParseVerifyCredentialRequest(body);
  return in.ok() && cr::Verify(in->credential, sources.Context(Now())).verified();
}

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace
}  // namespace pathbridge

int main(int argc, char** argv) {
  using namespace pathbridge;
  const Args args = ParseArgs(argc, argv);
  const std::string body = testing::ReadFile(args.body);
  cr::OfflineSetup setup;
  setup.data_dir = args.data;
  auto sources = cr::OfflineSources::Load(setup);
  if (!sources.ok()) {
    std::fprintf(stderr, "verify_rate: %s\n", sources.status().ToString().c_str());
    return 1;
  }
  std::atomic<bool> stop{false}, failed{false};
  std::atomic<long> verified{0};
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = ProcessCpuSeconds();
  for (int t = 0; t < args.threads; ++t) {
    threads.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        if (!VerifyOnce(body, *sources)) failed = true;
        verified.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(args.seconds));
  stop = true;
  for (std::thread& t : threads) t.join();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  const double cpu = ProcessCpuSeconds() - cpu_start;
  if (failed) {
    std::fprintf(stderr, "verify_rate: the credential did not verify\n");
    return 1;
  }
  const auto n = static_cast<double>(verified.load());
  std::printf("verifies/s %.0f cpu_ms %.3f\n", n / elapsed.count(), 1000 * cpu / n);
  return 0;
}
