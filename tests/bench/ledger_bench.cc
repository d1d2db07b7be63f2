// The ledger's throughput and latency, each beside a baseline measured in the
// same run on the same disk (these machines are noisy, so only the ratio is
// comparable between runs):
//   1. durable appends/s with 1, 8 and 64 writer threads looping Log::Append,
//      beside a single SQLite writer inserting rows of the same size in
//      transactions of the batch size the log achieved;
//   2. at each load, p50/p99 from the Append call to its durable index and to
//      a published checkpoint that covers it;
//   3. inclusion proofs/s from a large log whose tiles mostly come from
//      SQLite, beside random 16 KiB blob reads by primary key from the same
//      database file.
//
// Usage: ledger_bench [--smoke] [--seconds S] [--writers 1,8,64]
//                     [--proof-entries N] [--proof-seconds S] [--dir PATH]
//                     [--only writers|proofs]
// The data goes under <build dir>/bench-data (not tmpfs, unlike some /tmp);
// the proof log is built once and reused by later runs.
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ledger/ledger_dir.h"
#include "ledger/log.h"
#include "ledger/sqlite_storage.h"
#include "tests/testing/forwarding_storage.h"
#include "tests/testing/test_util.h"

namespace pathbridge::ledger {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr size_t kEntrySize = 200;       // a credential status record, roughly
constexpr size_t kProofEntrySize = 32;   // small, so the big log builds quickly
constexpr uint64_t kInFlight = 100'000;  // appends kept queued while building

// Targets from the ledger's design brief.
constexpr double kTargetAppends = 50'000;
constexpr double kTargetCheckpointP99Ms = 250;
constexpr double kTargetRawRatio = 0.60;
constexpr double kTargetProofs = 100'000;

struct Args {
  bool smoke = false;
  double seconds = 5;
  uint64_t proof_entries = 10'000'000;
  double proof_seconds = 5;
  fs::path dir;
  std::string only;
  std::vector<int> writers = {1, 8, 64};
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "ledger_bench: %s\n", what.c_str());
  std::exit(1);
}

void Check(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what + ": " + s.ToString());
}

// CPU seconds used by the whole process so far (all threads, user + system).
// CPU per operation is steadier than wall-clock rates when other work shares
// the cores.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Percentile of a sample, by sorting a copy (samples are at most a few
// million, and this runs after the clock stops).
double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(k), v.end());
  return v[k];
}

// Counts and times the log's storage commits without touching the Log API:
// mean batch = appended entries / commits that carried entries.
class CountingStorage final : public testing::ForwardingStorage {
 public:
  using ForwardingStorage::ForwardingStorage;

  Status ReadTileInto(uint8_t level, uint64_t index, FatTile& out) override {
    storage_tile_reads.fetch_add(1, std::memory_order_relaxed);
    return ForwardingStorage::ReadTileInto(level, index, out);
  }
  Status Commit(const StorageBatch& batch) override {
    auto start = Clock::now();
    Status s = ForwardingStorage::Commit(batch);
    commit_time += Clock::now() - start;  // the sequencer is the only committer
    if (s.ok()) {
      ++commits;
      if (!batch.tiles.empty()) ++entry_commits;  // every batch with entries grows a tile
      for (const FatTile* t : batch.tiles)  // the partial level-0 tile is derived, not written
        if (t->level > 0 || t->full()) ++tiles_written;
      for (const auto& e : batch.entries) bundle_bytes += e.second.size();
      if (batch.checkpoint) ++checkpoints;
    }
    return s;
  }

  void Reset() {
    commits = entry_commits = tiles_written = bundle_bytes = checkpoints = 0;
    commit_time = {};
  }

  // Written by the sequencer thread, read after the run stops.
  uint64_t commits = 0, entry_commits = 0, tiles_written = 0, bundle_bytes = 0, checkpoints = 0;
  Clock::duration commit_time{};
  std::atomic<uint64_t> storage_tile_reads{0};
};

struct OpenedLog {
  std::unique_ptr<Log> log;
  CountingStorage* storage = nullptr;
};

OpenedLog OpenCounted(const fs::path& data_dir, LogOptions options) {
  auto signer = LoadOrCreateLogKey(data_dir, "bench.example/log");
  if (!signer.ok()) Die("log key: " + signer.status().ToString());
  auto sqlite = SqliteStorage::Open(PathsFor(data_dir).db);
  if (!sqlite.ok()) Die("open storage: " + sqlite.status().ToString());
  auto counting = std::make_unique<CountingStorage>(std::move(*sqlite));
  CountingStorage* raw = counting.get();
  auto log = Log::Open(std::move(counting), std::move(*signer), options);
  if (!log.ok()) Die("open log: " + log.status().ToString());
  return {std::move(*log), raw};
}

// Unique entry bytes: a readable prefix, then filler from a cheap PRNG.
void FillEntry(Bytes& e, size_t size, uint64_t seed, const std::string& prefix) {
  e.resize(size);
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    e[i] = static_cast<uint8_t>('a' + x % 26);
  }
  std::memcpy(e.data(), prefix.data(), std::min(prefix.size(), size));
}

// ---- Raw SQLite baseline --------------------------------------------------

void SqliteCheck(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    Die(std::string("raw sqlite ") + what + ": " + sqlite3_errmsg(db));
}

// One thread inserting `kEntrySize`-byte rows into a plain rowid table in
// WAL mode with synchronous=FULL, `batch` rows per transaction: the floor
// the ledger's storage sits on. Runs in slices interleaved with the log's,
// so that both see the same disk and the same neighbours.
class RawInserter {
 public:
  explicit RawInserter(const fs::path& path) {
    fs::remove(path);
    fs::remove(path.string() + "-wal");
    fs::remove(path.string() + "-shm");
    SqliteCheck(db_, sqlite3_open(path.c_str(), &db_), "open");
    SqliteCheck(db_,
                sqlite3_exec(db_,
                             "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                             "CREATE TABLE t(idx INTEGER PRIMARY KEY, data BLOB NOT NULL);",
                             nullptr, nullptr, nullptr),
                "schema");
    SqliteCheck(db_, sqlite3_prepare_v2(db_, "INSERT INTO t(idx, data) VALUES(?1, ?2)", -1, &ins_,
                                        nullptr),
                "prepare");
  }
  ~RawInserter() {
    sqlite3_finalize(ins_);
    sqlite3_close(db_);
  }

  void Run(size_t batch, double seconds) {
    double cpu0 = CpuSeconds();
    auto start = Clock::now();
    auto end = start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(seconds));
    while (Clock::now() < end) {
      SqliteCheck(db_, sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "begin");
      for (size_t i = 0; i < batch; ++i, ++rows) {
        FillEntry(row_, kEntrySize, rows, "raw");
        sqlite3_bind_int64(ins_, 1, static_cast<int64_t>(rows));
        sqlite3_bind_blob(ins_, 2, row_.data(), static_cast<int>(row_.size()), SQLITE_STATIC);
        SqliteCheck(db_, sqlite3_step(ins_), "insert");
        sqlite3_reset(ins_);
      }
      SqliteCheck(db_, sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr), "commit");
    }
    elapsed += Clock::now() - start;
    cpu += CpuSeconds() - cpu0;
  }

  uint64_t rows = 0;
  Clock::duration elapsed{};
  double cpu = 0;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* ins_ = nullptr;
  Bytes row_;
};

// ---- Writers ----------------------------------------------------------------

struct WriterFigures {
  int writers = 0;
  double appends_per_s = 0;
  double commits_per_s = 0;
  double mean_batch = 0;
  double durable_p50 = 0, durable_p99 = 0;     // ms
  double checkpoint_p50 = 0, checkpoint_p99 = 0;  // ms
  double commit_share = 0;   // fraction of the run the sequencer spent in Commit
  double tiles_per_commit = 0, bundle_kib_per_commit = 0;
  double cpu_us = 0;  // process CPU per append
  double raw_rows_per_s = 0, raw_cpu_us = 0;
};

WriterFigures RunWriters(const Args& args, int writers) {
  fs::path dir = args.dir / ("writers-" + std::to_string(writers));
  fs::remove_all(dir);
  LogOptions options;  // production defaults: dedup on, 50 ms checkpoints
  OpenedLog opened = OpenCounted(dir, options);
  Log& log = *opened.log;
  opened.storage->Reset();

  struct Sample {
    uint64_t index;
    Clock::time_point call;
    Clock::time_point durable;
  };
  std::vector<std::vector<Sample>> samples(static_cast<size_t>(writers));
  struct SeenCheckpoint {
    uint64_t size;
    Clock::time_point at;
  };
  std::vector<SeenCheckpoint> seen;
  std::atomic<bool> stop{false}, stop_watch{false};
  std::atomic<bool> failed{false};

  // Notes each checkpoint as it is published; AwaitCheckpoint wakes on the
  // publish itself, so `at` trails it only by a wake-up.
  std::thread watcher([&] {
    uint64_t last = log.LatestCheckpoint()->size;
    while (!stop_watch.load()) {
      auto cp = log.AwaitCheckpoint(last + 1, std::chrono::milliseconds(20));
      if (!cp.ok()) continue;
      auto now = Clock::now();
      last = (*cp)->size;
      seen.push_back({last, now});
    }
  });

  // The run is cut into slices, each a log slice then a raw slice at the
  // log's mean batch so far: interleaving keeps the disk's mood (other
  // people's builds and fsyncs) the same for both sides of the ratio.
  RawInserter raw(args.dir / "raw.db");
  const int slices = args.smoke ? 1 : 5;
  const double slice_seconds = args.seconds / slices;
  double cpu = 0;
  Clock::duration elapsed{};
  uint64_t appended = 0;
  for (int slice = 0; slice < slices; ++slice) {
    stop = false;
    double cpu0 = CpuSeconds();
    auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < writers; ++t)
      threads.emplace_back([&, t, slice] {
        auto& mine = samples[static_cast<size_t>(t)];
        mine.reserve(1 << 16);
        Bytes entry;
        std::string prefix = "w" + std::to_string(writers) + "-s" + std::to_string(slice) + "-t" +
                             std::to_string(t) + "-";
        for (uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
          FillEntry(entry, kEntrySize,
                    (static_cast<uint64_t>(slice) << 56) | (static_cast<uint64_t>(t) << 40) | i,
                    prefix + std::to_string(i) + "-");
          auto call = Clock::now();
          auto r = log.Append(entry);
          auto durable = Clock::now();
          if (!r.ok()) {
            std::fprintf(stderr, "append failed: %s\n", r.status().ToString().c_str());
            failed = true;
            return;
          }
          if (r->duplicate) {
            std::fprintf(stderr, "unexpected duplicate at %" PRIu64 "\n", r->index);
            failed = true;
            return;
          }
          mine.push_back({r->index, call, durable});
        }
      });
    std::this_thread::sleep_for(std::chrono::duration<double>(slice_seconds));
    stop = true;
    for (auto& th : threads) th.join();
    elapsed += Clock::now() - start;
    cpu += CpuSeconds() - cpu0;
    if (failed) Die("writers failed");
    appended = 0;
    for (const auto& mine : samples) appended += mine.size();
    uint64_t commits = std::max<uint64_t>(1, opened.storage->entry_commits);
    raw.Run(std::max<size_t>(1, static_cast<size_t>(
                                    static_cast<double>(appended) / static_cast<double>(commits) +
                                    0.5)),
            slice_seconds);
  }
  uint64_t final_size = log.Size();
  auto last_cp = log.AwaitCheckpoint(final_size, std::chrono::seconds(5));
  if (!last_cp.ok()) Die("no checkpoint covered the last appends: " + last_cp.status().ToString());
  stop_watch = true;
  watcher.join();

  WriterFigures f;
  f.writers = writers;
  uint64_t total = 0;
  std::vector<double> durable, to_checkpoint;
  for (const auto& mine : samples) {
    total += mine.size();
    for (const Sample& s : mine) {
      durable.push_back(Ms(s.durable - s.call));
      auto it = std::upper_bound(seen.begin(), seen.end(), s.index,
                                 [](uint64_t idx, const SeenCheckpoint& c) { return idx < c.size; });
      if (it == seen.end()) Die("an append is missing from every observed checkpoint");
      to_checkpoint.push_back(Ms(it->at - s.call));
    }
  }
  CountingStorage& st = *opened.storage;
  double secs = Seconds(elapsed);
  // Rates over the log's slices only; commits/s counts commits that carried
  // entries (a checkpoint-only commit may land during a raw slice).
  f.appends_per_s = static_cast<double>(total) / secs;
  f.cpu_us = cpu * 1e6 / static_cast<double>(std::max<uint64_t>(1, total));
  f.commits_per_s = static_cast<double>(st.entry_commits) / secs;
  f.mean_batch = st.entry_commits ? static_cast<double>(total) / static_cast<double>(st.entry_commits)
                                  : 0;
  f.durable_p50 = Percentile(durable, 0.50);
  f.durable_p99 = Percentile(durable, 0.99);
  f.checkpoint_p50 = Percentile(to_checkpoint, 0.50);
  f.checkpoint_p99 = Percentile(to_checkpoint, 0.99);
  f.commit_share = Seconds(st.commit_time) / secs;
  if (st.commits) {
    f.tiles_per_commit = static_cast<double>(st.tiles_written) / static_cast<double>(st.commits);
    f.bundle_kib_per_commit =
        static_cast<double>(st.bundle_bytes) / 1024.0 / static_cast<double>(st.commits);
  }
  f.raw_rows_per_s = static_cast<double>(raw.rows) / Seconds(raw.elapsed);
  f.raw_cpu_us = raw.cpu * 1e6 / static_cast<double>(std::max<uint64_t>(1, raw.rows));
  Check(log.Close(), "close");
  opened.log.reset();
  fs::remove_all(dir);
  return f;
}

// ---- Proofs -----------------------------------------------------------------

// Builds (or reuses) a log of `n` small entries. Appends go in through
// AppendAsync with up to kInFlight queued, so batches are max_batch big.
fs::path BuildProofLog(const Args& args, uint64_t n) {
  fs::path dir = args.dir / ("proofs-" + std::to_string(n));
  fs::path done_marker = dir / "complete";
  if (fs::exists(done_marker)) return dir;
  fs::remove_all(dir);
  std::printf("building a %" PRIu64 "-entry log in %s (reused by later runs) ...\n", n,
              dir.c_str());
  std::fflush(stdout);
  LogOptions options;
  options.dedup = false;  // unique by construction; skip the index
  auto start = Clock::now();
  OpenedLog opened = OpenCounted(dir, options);
  std::atomic<uint64_t> done{0};
  std::atomic<bool> failed{false};
  std::mutex err_mu;
  std::string err;
  Bytes entry;
  for (uint64_t i = 0; i < n; ++i) {
    while (i - done.load(std::memory_order_acquire) >= kInFlight)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    FillEntry(entry, kProofEntrySize, i, "p" + std::to_string(i) + "-");
    opened.log->AppendAsync(entry, "", [&](Result<AppendResult> r) {
      if (!r.ok()) {
        std::lock_guard<std::mutex> lock(err_mu);
        err = r.status().ToString();
        failed = true;
      }
      done.fetch_add(1, std::memory_order_release);
    });
    if (failed) Die("building the proof log: " + err);
  }
  while (done.load() < n) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (failed) Die("building the proof log: " + err);
  if (opened.log->Size() != n) Die("proof log has the wrong size");
  Check(opened.log->Close(), "close");
  opened.log.reset();
  std::ofstream(done_marker) << n << "\n";
  std::printf("built in %.1f s\n", Seconds(Clock::now() - start));
  return dir;
}

struct ProofFigures {
  uint64_t size = 0;
  size_t cache_tiles = 0;
  double proofs_per_s = 0, proof_cpu_us = 0;
  double tile_reads_per_proof = 0;
  double raw_reads_per_s = 0, raw_cpu_us = 0;
};

// Runs fn on `threads` threads for `seconds`; returns calls per second and
// sets *cpu_us to the process CPU microseconds per call.
template <typename Fn>
double RunThreads(int threads, double seconds, double* cpu_us, Fn&& fn) {
  double cpu0 = CpuSeconds();
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> count{0};
  std::vector<std::thread> ts;
  auto start = Clock::now();
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      std::mt19937_64 rng(static_cast<uint64_t>(t) * 7919 + 1);
      uint64_t mine = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        fn(rng, t);
        ++mine;
      }
      count += mine;
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : ts) th.join();
  double calls = static_cast<double>(std::max<uint64_t>(1, count.load()));
  *cpu_us = (CpuSeconds() - cpu0) * 1e6 / calls;
  return calls / Seconds(Clock::now() - start);
}

ProofFigures RunProofs(const Args& args) {
  uint64_t n = args.proof_entries;
  fs::path dir = BuildProofLog(args, n);
  ProofFigures f;
  f.size = n;
  // About a tenth of the level-0 tiles fit, as when a log outgrows memory
  // (4096, the default, for 10M entries).
  f.cache_tiles = std::max<size_t>(16, static_cast<size_t>(n / kTileWidth / 10));
  LogOptions options;
  options.dedup = false;
  options.tile_cache_tiles = f.cache_tiles;
  OpenedLog opened = OpenCounted(dir, options);
  Log& log = *opened.log;
  if (log.Size() != n) Die("proof log size changed; remove " + dir.string());

  // Every proof must be right before its speed means anything.
  auto root = log.RootAt(n);
  if (!root.ok()) Die("root: " + root.status().ToString());
  std::mt19937_64 check_rng(42);
  for (int i = 0; i < 200; ++i) {
    uint64_t idx = check_rng() % n;
    auto proof = log.InclusionProof(idx, n);
    auto leaf = log.LeafHash(idx);
    if (!proof.ok() || !leaf.ok()) Die("proof failed at " + std::to_string(idx));
    Check(VerifyInclusion(idx, n, *leaf, *proof, *root), "verify proof");
  }

  constexpr int kThreads = 2;
  std::atomic<bool> failed{false};
  uint64_t reads_before = opened.storage->storage_tile_reads.load();
  auto t0 = Clock::now();
  f.proofs_per_s = RunThreads(kThreads, args.proof_seconds, &f.proof_cpu_us, [&](std::mt19937_64& rng, int) {
    auto proof = log.InclusionProof(rng() % n, n);
    if (!proof.ok()) failed = true;
  });
  double proofs = f.proofs_per_s * Seconds(Clock::now() - t0);
  if (failed) Die("an inclusion proof failed");
  f.tile_reads_per_proof =
      static_cast<double>(opened.storage->storage_tile_reads.load() - reads_before) / proofs;
  Check(log.Close(), "close");
  opened.log.reset();

  // Baseline: the same kind of read with nothing above it, from the same
  // file: a random full level-0 tile (a 16,320-byte blob) by primary key.
  uint64_t tiles = n / kTileWidth;
  std::string db_path = PathsFor(dir).db.string();
  std::vector<sqlite3*> dbs(kThreads);
  std::vector<sqlite3_stmt*> stmts(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    SqliteCheck(nullptr,
                sqlite3_open_v2(db_path.c_str(), &dbs[t],
                                SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr),
                "open");
    SqliteCheck(dbs[t], sqlite3_exec(dbs[t], "PRAGMA cache_size=-65536", nullptr, nullptr, nullptr),
                "cache");
    SqliteCheck(dbs[t],
                sqlite3_prepare_v2(dbs[t], "SELECT nodes FROM tiles WHERE id = ?1", -1,
                                   &stmts[t], nullptr),
                "prepare");
  }
  f.raw_reads_per_s = RunThreads(kThreads, args.proof_seconds, &f.raw_cpu_us, [&](std::mt19937_64& rng, int t) {
    sqlite3_stmt* st = stmts[static_cast<size_t>(t)];
    sqlite3_bind_int64(st, 1, static_cast<int64_t>(rng() % tiles));  // level 0: id = index
    if (sqlite3_step(st) != SQLITE_ROW) failed = true;
    std::array<uint8_t, FatTile::kSlots * 32> buf;
    std::memcpy(buf.data(), sqlite3_column_blob(st, 0),
                std::min<size_t>(buf.size(), static_cast<size_t>(sqlite3_column_bytes(st, 0))));
    sqlite3_reset(st);
    asm volatile("" : : "r"(buf.data()) : "memory");  // keep the copy
  });
  if (failed) Die("raw tile read failed");
  for (int t = 0; t < kThreads; ++t) {
    sqlite3_finalize(stmts[t]);
    sqlite3_close(dbs[t]);
  }
  return f;
}

// ---- Main -------------------------------------------------------------------

const char* Verdict(bool ok) { return ok ? "meets" : "MISSES"; }

std::string DescribeFs(const fs::path& dir) {
  struct statfs s {};
  if (statfs(dir.c_str(), &s) != 0) return "unknown filesystem";
  constexpr long kTmpfs = 0x01021994, kExt4 = 0xEF53, kXfs = 0x58465342, kBtrfs = 0x9123683E,
                 kOverlay = 0x794c7630;
  long t = static_cast<long>(s.f_type);
  if (t == kTmpfs) return "tmpfs: fsync is free here, figures are NOT durable-disk figures";
  if (t == kExt4) return "ext4";
  if (t == kXfs) return "xfs";
  if (t == kBtrfs) return "btrfs";
  if (t == kOverlay) return "overlayfs";
  char buf[32];
  std::snprintf(buf, sizeof buf, "fs type 0x%lx", t);
  return buf;
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  bool seconds_set = false, proof_set = false, proof_seconds_set = false;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value after " + s);
      return argv[++i];
    };
    if (s == "--smoke") {
      a.smoke = true;
    } else if (s == "--seconds") {
      a.seconds = std::stod(value());
      seconds_set = true;
    } else if (s == "--proof-entries") {
      a.proof_entries = std::stoull(value());
      proof_set = true;
    } else if (s == "--proof-seconds") {
      a.proof_seconds = std::stod(value());
      proof_seconds_set = true;
    } else if (s == "--dir") {
      a.dir = value();
    } else if (s == "--writers") {
      a.writers.clear();
      std::string list = value();
      for (size_t pos = 0; pos < list.size();) {
        size_t comma = list.find(',', pos);
        if (comma == std::string::npos) comma = list.size();
        a.writers.push_back(std::stoi(list.substr(pos, comma - pos)));
        pos = comma + 1;
      }
    } else if (s == "--only") {
      a.only = value();
      if (a.only != "writers" && a.only != "proofs") Die("--only takes writers or proofs");
    } else {
      Die("unknown argument " + s +
          " (usage: [--smoke] [--seconds S] [--writers 1,8,64] [--proof-entries N] "
          "[--proof-seconds S] [--dir PATH] [--only writers|proofs])");
    }
  }
  if (a.smoke) {
    if (!seconds_set) a.seconds = 1;
    if (!proof_set) a.proof_entries = 100'000;
    if (!proof_seconds_set) a.proof_seconds = 1;
  }
  if (a.proof_entries < 2 * kTileWidth) Die("--proof-entries must be at least 512");
  if (a.dir.empty()) a.dir = testing::BinaryDir() / "bench-data";
  return a;
}

int Main(int argc, char** argv) {
  Args args = ParseArgs(argc, argv);
  fs::create_directories(args.dir);
  std::printf("ledger_bench%s: data in %s (%s), %u CPUs\n", args.smoke ? " --smoke" : "",
              args.dir.c_str(), DescribeFs(args.dir).c_str(), std::thread::hardware_concurrency());

  std::vector<WriterFigures> wf;
  if (args.only.empty() || args.only == "writers") {
    for (int w : args.writers) {
      wf.push_back(RunWriters(args, w));
      std::fflush(stdout);
    }
    std::printf(
        "\nDurable appends: %zu-byte unique entries, dedup on, default LogOptions, %.1f s per row;\n"
        "raw = 1 thread inserting %zu-byte rows into a rowid table (WAL, synchronous=FULL),\n"
        "      as many per transaction as the log's mean batch at that load, run in slices\n"
        "      interleaved with the log's so both see the same disk\n",
        kEntrySize, args.seconds, kEntrySize);
    std::printf("%7s %10s %9s %6s %6s | %8s %8s | %8s %8s | %10s %6s %6s | %7s %5s %8s\n",
                "writers", "appends/s", "commits/s", "batch", "cpu us", "dur p50", "dur p99",
                "cp p50", "cp p99", "raw rows/s", "cpu us", "ratio", "commit%", "tiles",
                "bndl KiB");
    for (const auto& f : wf)
      std::printf(
          "%7d %10.0f %9.0f %6.1f %6.1f | %6.2fms %6.2fms | %6.1fms %6.1fms | %10.0f %6.1f %5.0f%% | "
          "%6.0f%% %5.1f %8.1f\n",
          f.writers, f.appends_per_s, f.commits_per_s, f.mean_batch, f.cpu_us, f.durable_p50,
          f.durable_p99, f.checkpoint_p50, f.checkpoint_p99, f.raw_rows_per_s, f.raw_cpu_us,
          100 * f.appends_per_s / f.raw_rows_per_s, 100 * f.commit_share, f.tiles_per_commit,
          f.bundle_kib_per_commit);
    std::printf(
        "  cpu us = process CPU (all threads, user + system) per append or raw row;\n"
        "  dur = Append call to durable index; cp = Append call to a published checkpoint that\n"
        "  covers it; commit%% = share of the run the sequencer spent in Storage::Commit;\n"
        "  tiles, bndl KiB = fat tiles (16 KiB each) and entry bytes written per commit\n");
  }

  std::optional<ProofFigures> pf;
  if (args.only.empty() || args.only == "proofs") {
    pf = RunProofs(args);
    std::printf(
        "\nInclusion proofs: Log::InclusionProof(random index, %" PRIu64
        ") from 2 threads, %.1f s, tile cache %zu tiles (of %" PRIu64 " level-0 tiles)\n",
        pf->size, args.proof_seconds, pf->cache_tiles, pf->size / kTileWidth);
    std::printf("  proofs/s %.0f, %.1f us CPU each (%.2f storage tile reads per proof)\n",
                pf->proofs_per_s, pf->proof_cpu_us, pf->tile_reads_per_proof);
    std::printf(
        "  raw: random full level-0 tile blob by primary key, same file, 2 threads: %.0f/s, "
        "%.1f us CPU each\n",
        pf->raw_reads_per_s, pf->raw_cpu_us);
    std::printf("  ratio proofs / raw reads: %.0f%% by rate, %.0f%% by CPU per operation\n",
                100 * pf->proofs_per_s / pf->raw_reads_per_s, 100 * pf->raw_cpu_us / pf->proof_cpu_us);
  }

  std::printf("\nTargets%s:\n", args.smoke ? " (smoke sizes: indicative only)" : "");
  for (const auto& f : wf) {
    if (f.writers != 64) continue;
    std::printf("  %-6s >= %.0f durable appends/s with 64 writers: %.0f\n",
                Verdict(f.appends_per_s >= kTargetAppends), kTargetAppends, f.appends_per_s);
    std::printf("  %-6s p99 time to checkpoint <= %.0f ms at 64 writers: %.1f ms\n",
                Verdict(f.checkpoint_p99 <= kTargetCheckpointP99Ms), kTargetCheckpointP99Ms,
                f.checkpoint_p99);
    double ratio = f.appends_per_s / f.raw_rows_per_s;
    std::printf("  %-6s ledger >= %.0f%% of raw SQLite at batch %.1f: %.0f%%\n",
                Verdict(ratio >= kTargetRawRatio), 100 * kTargetRawRatio, f.mean_batch,
                100 * ratio);
  }
  if (pf)
    std::printf("  %-6s >= %.0f inclusion proofs/s (%" PRIu64 " entries): %.0f\n",
                Verdict(pf->proofs_per_s >= kTargetProofs), kTargetProofs, pf->size,
                pf->proofs_per_s);
  return 0;
}

}  // namespace
}  // namespace pathbridge::ledger

int main(int argc, char** argv) { return pathbridge::ledger::Main(argc, argv); }
