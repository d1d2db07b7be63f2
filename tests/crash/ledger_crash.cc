// Crash test: the ledger survives SIGKILL at any moment without losing an
// acknowledged append or contradicting a published checkpoint.
//
// Each round, a child process (this binary, re-executed with --child) opens
// the ledger and appends from several threads; after Append returns it
// reports the (index, entry) pair to the parent over a pipe, and it reports
// every checkpoint it sees published. Writes of at most PIPE_BUF bytes are
// atomic, so a report is either whole or absent. The parent kills the child
// with SIGKILL after a random 10-300 ms, then checks that:
//   - OpenLedger succeeds (recovery works from whatever was on disk);
//   - every acknowledged index holds exactly its entry (all of this round's,
//     a sample of earlier rounds'), and re-appending it or reusing its
//     identity key returns that index as a duplicate;
//   - every checkpoint published before the crash is consistent with the
//     new one (and with the previous round's, so by transitivity with all);
//   - fsck passes on the stored log.
// Rounds accumulate on one ledger.
//
// Usage: ledger_crash [--rounds N] [--writers W] [--seed S] [--dir PATH]
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ledger/fsck.h"
#include "ledger/ledger_dir.h"
#include "ledger/log.h"
#include "ledger/verifier.h"
#include "tests/testing/test_util.h"

namespace pathbridge::ledger {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kOrigin = "crash.example/log";

LogOptions CrashOptions() {
  LogOptions o;
  // Short, so each round publishes several checkpoints to check.
  o.checkpoint_interval = std::chrono::milliseconds(15);
  return o;
}

// ---- Child --------------------------------------------------------------

// One report line, written with a single write(2) so it is atomic on the
// pipe even with several threads writing.
void Report(int fd, const std::string& line) {
  if (line.size() > PIPE_BUF) std::abort();  // would lose atomicity
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(4);  // the parent is gone
    p += n;
    left -= static_cast<size_t>(n);
  }
}

[[noreturn]] void ChildFail(int fd, const std::string& what) {
  Report(fd, "F " + what.substr(0, 1000) + "\n");
  _exit(3);
}

int ChildMain(const fs::path& dir, int fd, int round, int writers) {
  // If the parent dies, so do we: never leave a writer behind.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  auto log = OpenLedger(dir, kOrigin, CrashOptions());
  if (!log.ok()) ChildFail(fd, "OpenLedger: " + log.status().ToString());
  Log& l = **log;
  Report(fd, "O " + std::to_string(l.Size()) + "\n");

  std::thread watcher([&] {
    std::string last;
    for (;;) {
      auto cp = l.LatestCheckpoint();
      if (cp->note != last) {
        last = cp->note;
        Report(fd, "C " + HexEncode(AsBytes(cp->note)) + "\n");
      }
      l.AwaitCheckpoint(cp->size + 1, std::chrono::milliseconds(50)).ok();
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < writers; ++t)
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(static_cast<uint64_t>(round) * 1000 + static_cast<uint64_t>(t));
      for (uint64_t i = 0;; ++i) {
        std::string entry = "round " + std::to_string(round) + " writer " + std::to_string(t) +
                            " entry " + std::to_string(i) + " ";
        entry.append(rng() % 120, static_cast<char>('a' + rng() % 26));
        // Every fourth entry carries an identity key, so that the identity
        // table is exercised across crashes too.
        std::string identity;
        if (i % 4 == 0) identity = "urn:crash:" + std::to_string(round) + ":" +
                                   std::to_string(t) + ":" + std::to_string(i);
        auto r = l.Append(AsBytes(entry), identity);
        if (!r.ok()) ChildFail(fd, "Append: " + r.status().ToString());
        if (r->duplicate) ChildFail(fd, "a unique entry was answered as a duplicate");
        // Only now is the append acknowledged: report it.
        Report(fd, "A " + std::to_string(r->index) + " " + HexEncode(AsBytes(entry)) + " " +
                       HexEncode(AsBytes(identity)) + "\n");
      }
    });
  // The parent kills us; this is only a backstop.
  std::this_thread::sleep_for(std::chrono::seconds(60));
  _exit(5);
}

// ---- Parent -------------------------------------------------------------

struct Acked {
  uint64_t index;
  std::string entry;
  std::string identity;
};

struct RoundReports {
  std::vector<Acked> acked;
  std::vector<std::string> checkpoints;
  bool opened = false;
  std::string failure;
};

[[noreturn]] void Fail(int round, const std::string& what) {
  std::fprintf(stderr, "ledger_crash: round %d: FAILED: %s\n", round, what.c_str());
  std::exit(1);
}

std::string Unhex(int round, std::string_view hex) {
  auto b = HexDecode(hex);
  if (!b.ok()) Fail(round, "bad report from the child: " + b.status().ToString());
  return std::string(AsChars(*b));
}

void ParseReport(int round, std::string_view line, RoundReports& out) {
  if (line.size() < 2) Fail(round, "short report line");
  std::string_view rest = line.substr(2);
  switch (line[0]) {
    case 'A': {
      size_t sp1 = rest.find(' ');
      size_t sp2 = rest.find(' ', sp1 + 1);
      if (sp1 == std::string_view::npos || sp2 == std::string_view::npos)
        Fail(round, "bad A report");
      out.acked.push_back({std::stoull(std::string(rest.substr(0, sp1))),
                           Unhex(round, rest.substr(sp1 + 1, sp2 - sp1 - 1)),
                           Unhex(round, rest.substr(sp2 + 1))});
      break;
    }
    case 'C':
      out.checkpoints.push_back(Unhex(round, rest));
      break;
    case 'O':
      out.opened = true;
      break;
    case 'F':
      out.failure = std::string(rest);
      break;
    default:
      Fail(round, "unknown report line");
  }
}

// Runs one child, kills it after `delay`, and returns what it reported.
RoundReports RunChild(const fs::path& self, const fs::path& dir, int round, int writers,
                      std::chrono::milliseconds delay) {
  int fds[2];
  if (pipe(fds) != 0) Fail(round, "pipe");
  pid_t pid = fork();
  if (pid < 0) Fail(round, "fork");
  if (pid == 0) {
    ::close(fds[0]);
    std::string fd = std::to_string(fds[1]), r = std::to_string(round),
                w = std::to_string(writers);
    execl(self.c_str(), "ledger_crash", "--child", dir.c_str(), fd.c_str(), r.c_str(), w.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(fds[1]);
  RoundReports out;
  std::string buf;
  auto consume = [&] {
    size_t nl;
    while ((nl = buf.find('\n')) != std::string::npos) {
      ParseReport(round, std::string_view(buf).substr(0, nl), out);
      buf.erase(0, nl + 1);
    }
  };
  auto deadline = Clock::now() + delay;
  bool killed = false;
  char chunk[1 << 16];
  for (;;) {
    if (!killed && Clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
    int timeout_ms = -1;
    if (!killed)
      timeout_ms = static_cast<int>(std::max<int64_t>(
          0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())
                 .count()));
    pollfd p{fds[0], POLLIN, 0};
    int rc = poll(&p, 1, timeout_ms);
    if (rc < 0 && errno == EINTR) continue;
    if (rc == 0) continue;  // deadline: kill on the next pass
    ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child is gone
    buf.append(chunk, static_cast<size_t>(n));
    consume();
  }
  ::close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!buf.empty()) Fail(round, "a report was cut in half (writes must be atomic)");
  if (!out.failure.empty()) Fail(round, "the child failed: " + out.failure);
  if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
    Fail(round, "the child ended before it was killed (status " + std::to_string(status) + ")");
  return out;
}

struct Args {
  int rounds = 10;
  int writers = 4;
  uint64_t seed = 0;
  fs::path dir;
};

int ParentMain(const Args& args) {
  std::unique_ptr<testing::TempDir> temp;
  fs::path dir = args.dir;
  if (dir.empty()) {
    temp = std::make_unique<testing::TempDir>();
    dir = temp->path();
  }
  fs::path self = fs::read_symlink("/proc/self/exe");
  uint64_t seed = args.seed ? args.seed : std::random_device{}();
  std::mt19937_64 rng(seed);
  std::printf("ledger_crash: %d rounds, %d writers, seed %" PRIu64 ", ledger in %s\n",
              args.rounds, args.writers, seed, dir.c_str());

  std::vector<Acked> all;             // every acknowledged append so far
  std::string anchor;                 // the checkpoint after the last restart
  uint64_t checked_entries = 0, checked_checkpoints = 0, rounds_opened = 0;
  auto started = Clock::now();
  for (int round = 1; round <= args.rounds; ++round) {
    auto delay = std::chrono::milliseconds(10 + rng() % 291);
    RoundReports rep = RunChild(self, dir, round, args.writers, delay);
    if (rep.opened) ++rounds_opened;

    auto log = OpenLedger(dir, kOrigin, CrashOptions());
    if (!log.ok()) Fail(round, "OpenLedger after the crash: " + log.status().ToString());
    Log& l = **log;
    NoteVerifier verifier = l.verifier();
    uint64_t size = l.Size();

    // Acknowledged appends are durable and exactly as written.
    auto check_entry = [&](const Acked& a) {
      if (a.index >= size)
        Fail(round, "acknowledged index " + std::to_string(a.index) + " is beyond the tree size " +
                        std::to_string(size) + " after restart");
      auto got = l.ReadEntry(a.index);
      if (!got.ok()) Fail(round, "ReadEntry(" + std::to_string(a.index) + "): " +
                                     got.status().ToString());
      if (AsChars(*got) != a.entry)
        Fail(round, "index " + std::to_string(a.index) + " holds other bytes than acknowledged");
      ++checked_entries;
    };
    for (const Acked& a : rep.acked) check_entry(a);
    for (int i = 0; i < 200 && !all.empty(); ++i) check_entry(all[rng() % all.size()]);
    // Dedup (rebuilt from tiles) and identity keys (stored) survive too.
    for (int i = 0; i < 5 && !rep.acked.empty(); ++i) {
      const Acked& a = rep.acked[rng() % rep.acked.size()];
      auto again = l.Append(AsBytes(a.entry));
      if (!again.ok() || again->index != a.index || !again->duplicate)
        Fail(round, "re-appending acknowledged index " + std::to_string(a.index) +
                        " did not return it as a duplicate");
      if (!a.identity.empty()) {
        auto keyed = l.Append(AsBytes(a.entry + " (edited)"), a.identity);
        if (!keyed.ok() || keyed->index != a.index || !keyed->duplicate)
          Fail(round, "identity key of index " + std::to_string(a.index) + " was forgotten");
      }
    }
    all.insert(all.end(), rep.acked.begin(), rep.acked.end());

    // Every checkpoint published before the crash is a prefix of the new one.
    auto now_cp = l.LatestCheckpoint();
    if (now_cp->size != size) Fail(round, "the reopened log's checkpoint is not at its size");
    std::vector<std::string> olds = rep.checkpoints;
    if (!anchor.empty()) olds.push_back(anchor);
    for (const std::string& old : olds) {
      auto v = VerifyCheckpoint(old, verifier);
      if (!v.ok()) Fail(round, "a published checkpoint does not verify: " + v.status().ToString());
      uint64_t old_size = v->checkpoint.size;
      if (old_size > size)
        Fail(round, "a checkpoint at size " + std::to_string(old_size) +
                        " was published, but the tree has only " + std::to_string(size));
      if (old_size == 0) continue;  // nothing to prove for the empty tree
      auto proof = l.ConsistencyProof(old_size, size);
      if (!proof.ok()) Fail(round, "ConsistencyProof: " + proof.status().ToString());
      Status s = VerifyCheckpointConsistency(old, now_cp->note, *proof, verifier);
      if (!s.ok())
        Fail(round, "checkpoint at size " + std::to_string(old_size) +
                        " is inconsistent with the one after restart: " + s.ToString());
      ++checked_checkpoints;
    }
    anchor = now_cp->note;
    Status closed = l.Close();
    if (!closed.ok()) Fail(round, "Close: " + closed.ToString());
    log->reset();

    auto storage = OpenLedgerStorageForReading(dir);
    if (!storage.ok()) Fail(round, "open for fsck: " + storage.status().ToString());
    auto report = Fsck(**storage, verifier);
    if (!report.ok()) Fail(round, "fsck: " + report.status().ToString());
    if (report->tree_size != size) Fail(round, "fsck saw another tree size");

    std::printf("round %3d: killed after %3lld ms, %4zu acked, %2zu checkpoints seen, size %" PRIu64
                ", fsck ok\n",
                round, static_cast<long long>(delay.count()), rep.acked.size(),
                rep.checkpoints.size(), size);
    std::fflush(stdout);
  }
  std::printf(
      "ledger_crash: OK: %d rounds (%" PRIu64 " reached OpenLedger before the kill), %zu acked "
      "appends, %" PRIu64 " entry checks, %" PRIu64 " checkpoint consistency checks, %.1f s\n",
      args.rounds, rounds_opened, all.size(), checked_entries, checked_checkpoints,
      std::chrono::duration<double>(Clock::now() - started).count());
  return 0;
}

[[noreturn]] void Usage(const std::string& why) {
  std::fprintf(stderr,
               "ledger_crash: %s\nusage: ledger_crash [--rounds N] [--writers W] [--seed S] "
               "[--dir PATH]\n",
               why.c_str());
  std::exit(2);
}

int Main(int argc, char** argv) {
  if (argc == 6 && std::string(argv[1]) == "--child")
    return ChildMain(argv[2], std::stoi(argv[3]), std::stoi(argv[4]), std::stoi(argv[5]));
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (i + 1 >= argc) Usage("missing value after " + s);
    std::string v = argv[++i];
    if (s == "--rounds") {
      args.rounds = std::stoi(v);
    } else if (s == "--writers") {
      args.writers = std::stoi(v);
    } else if (s == "--seed") {
      args.seed = std::stoull(v);
    } else if (s == "--dir") {
      args.dir = v;
    } else {
      Usage("unknown argument " + s);
    }
  }
  if (args.rounds < 1 || args.writers < 1) Usage("--rounds and --writers must be positive");
  return ParentMain(args);
}

}  // namespace
}  // namespace pathbridge::ledger

int main(int argc, char** argv) { return pathbridge::ledger::Main(argc, argv); }
