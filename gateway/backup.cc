#include "gateway/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <thread>
#include <vector>

#include <boost/json/serialize.hpp>

#include "certs/ed25519.h"
#include "ledger/fsck.h"
#include "ledger/hash.h"
#include "ledger/ledger_dir.h"
#include "ledger/sqlite_util.h"
#include "standards/encoding.h"
#include "standards/time.h"

namespace pathbridge::gateway {
namespace {

namespace fs = std::filesystem;

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, SqliteCloser>;

// What the directory holds, as of one look: each database with a connection
// kept open (its data_version moves when anyone else commits), each file
// with its size and modification time.
struct Entry {
  fs::path rel;
  bool database = false;
  Db db;
  int64_t data_version = 0;
  uintmax_t size = 0;
  fs::file_time_type mtime{};
};

bool Skipped(const fs::path& rel) {
  if (!rel.empty() && *rel.begin() == "tmp") return true;  // spool and scratch
  std::string name = rel.filename().string();
  for (std::string_view suffix : {"-wal", "-shm", "-journal", ".lock", ".tmp"})
    if (name.ends_with(suffix)) return true;
  return false;
}

bool IsSqlite(const fs::path& path) {
  char header[16] = {};
  std::ifstream in(path, std::ios::binary);
  in.read(header, sizeof header);
  return in.gcount() == sizeof header && std::memcmp(header, "SQLite format 3", 16) == 0;
}

Result<int64_t> DataVersion(sqlite3* db, const std::string& where) {
  return ledger::QueryInt(db, "PRAGMA data_version", where);
}

Result<Db> OpenReadOnly(const fs::path& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return ledger::SqliteError(db.get(), rc, path.string());
  sqlite3_busy_timeout(db.get(), 5000);
  return db;
}

// The ledger first: the other stores record what the ledger then logs, so
// copied after it they are at least as new as it is.
bool CopyOrder(const Entry& a, const Entry& b) {
  auto rank = [](const Entry& e) { return e.rel == "ledger/log.db" ? 0 : e.database ? 1 : 2; };
  return std::pair(rank(a), a.rel) < std::pair(rank(b), b.rel);
}

// `open_databases`: keep a connection and data_version per database (the
// first look); a later look only lists what is there.
Result<std::vector<Entry>> Look(const fs::path& data, bool open_databases) {
  std::vector<Entry> entries;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(data, ec), end; !ec && it != end; it.increment(ec)) {
    fs::path rel = fs::relative(it->path(), data);
    if (it->is_directory() && Skipped(rel)) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || Skipped(rel)) continue;
    Entry e;
    e.rel = rel;
    e.size = it->file_size(ec);
    if (!ec) e.mtime = it->last_write_time(ec);
    if (ec) break;
    e.database = IsSqlite(it->path());
    if (e.database && open_databases) {
      PB_ASSIGN_OR_RETURN(e.db, OpenReadOnly(it->path()));
      PB_ASSIGN_OR_RETURN(e.data_version, DataVersion(e.db.get(), it->path().string()));
    }
    entries.push_back(std::move(e));
  }
  if (ec) return IoError("cannot read the data directory: " + ec.message(), data.string());
  std::sort(entries.begin(), entries.end(), CopyOrder);
  return entries;
}

// True if anything was added, removed or changed since `before`.
Result<bool> Changed(const fs::path& data, const std::vector<Entry>& before) {
  PB_ASSIGN_OR_RETURN(std::vector<Entry> now, Look(data, false));
  if (now.size() != before.size()) return true;
  for (size_t i = 0; i < now.size(); ++i) {
    const Entry& b = before[i];
    if (now[i].rel != b.rel || now[i].database != b.database) return true;
    if (b.database) {
      PB_ASSIGN_OR_RETURN(int64_t version, DataVersion(b.db.get(), b.rel.string()));
      if (version != b.data_version) return true;
    } else if (now[i].size != b.size || now[i].mtime != b.mtime) {
      return true;
    }
  }
  return false;
}

Status SyncPath(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError(std::strerror(errno), path.string());
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : IoError("cannot sync", path.string());
}

// A standalone copy (rollback journal, not WAL), so it opens read-only
// anywhere without -wal or -shm files.
Status CopyDatabase(sqlite3* source, const fs::path& to) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(to.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Db dest(raw);
  if (rc != SQLITE_OK) return ledger::SqliteError(dest.get(), rc, to.string());
  sqlite3_backup* backup = sqlite3_backup_init(dest.get(), "main", source, "main");
  if (backup == nullptr) return ledger::SqliteError(dest.get(), sqlite3_errcode(dest.get()), to.string());
  rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return ledger::SqliteError(dest.get(), rc, to.string());
  PB_RETURN_IF_ERROR(ledger::ExecSql(dest.get(), "PRAGMA journal_mode=DELETE", to.string()));
  dest.reset();
  ::chmod(to.c_str(), 0600);
  return SyncPath(to);
}

Status CopyFile(const fs::path& from, const fs::path& to) {
  std::ifstream in(from, std::ios::binary);
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return IoError("cannot read", from.string());
  std::error_code ec;
  auto perms = fs::status(from, ec).permissions();
  if (ec) return IoError("cannot read its mode: " + ec.message(), from.string());
  // The source's mode, never wider than the owner's (a hub's data is private).
  unsigned mode = static_cast<unsigned>(perms) & 0700;
  return certs::WriteFileAtomically(to, contents, mode == 0 ? 0600 : mode);
}

Status SyncTree(const fs::path& root) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory()) PB_RETURN_IF_ERROR(SyncPath(it->path()));
  if (ec) return IoError(ec.message(), root.string());
  return SyncPath(root);
}

// One copy of every entry into `staging`.
Status CopyAll(const fs::path& data, const std::vector<Entry>& entries, const fs::path& staging,
               BackupReport* report) {
  for (const Entry& e : entries) {
    fs::path to = staging / e.rel;
    PB_RETURN_IF_ERROR(ledger::MakePrivateDir(to.parent_path()));
    if (e.database) {
      PB_RETURN_IF_ERROR(CopyDatabase(e.db.get(), to));
      ++report->databases;
    } else {
      PB_RETURN_IF_ERROR(CopyFile(data / e.rel, to));
      ++report->files;
    }
    report->bytes += fs::file_size(to);
  }
  return Status::Ok();
}

// Checks the copied ledger from scratch (nothing if there is none).
Status CheckLedger(const fs::path& staging, BackupReport* report) {
  if (!fs::exists(ledger::PathsFor(staging).db)) return Status::Ok();
  PB_ASSIGN_OR_RETURN(auto key, ledger::LoadLogVerifier(staging));
  PB_ASSIGN_OR_RETURN(auto storage, ledger::OpenLedgerStorageForReading(staging));
  auto fsck = ledger::Fsck(*storage, key);
  if (!fsck.ok()) return fsck.status().WithContext("the copied ledger");
  report->ledger_size = fsck->tree_size;
  report->ledger_root = Base64Encode(ledger::AsBytes(fsck->root));
  return Status::Ok();
}

Status WriteManifest(const fs::path& data, const fs::path& staging, const BackupReport& r) {
  boost::json::object manifest{
      {"createdAt", FormatRfc3339(Now())},
      {"source", fs::absolute(data).lexically_normal().string()},
      {"databases", r.databases},
      {"files", r.files},
      {"bytes", r.bytes},
      {"ledger", {{"size", r.ledger_size}, {"root", r.ledger_root}}}};
  return certs::WriteFileAtomically(staging / "backup.json", boost::json::serialize(manifest) + "\n",
                                    0600);
}

// True if `path` is `dir` or below it (after resolving symlinks and "..").
bool Inside(const fs::path& path, const fs::path& dir) {
  const fs::path p = fs::weakly_canonical(path), d = fs::weakly_canonical(dir);
  auto [d_end, p_at] = std::mismatch(d.begin(), d.end(), p.begin(), p.end());
  return d_end == d.end() || (std::next(d_end) == d.end() && d_end->empty());  // "dir/" ends in ""
}

// Removes the staging directory unless released.
class StagingGuard {
 public:
  explicit StagingGuard(fs::path path) : path_(std::move(path)) {}
  ~StagingGuard() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  void Release() { path_.clear(); }

 private:
  fs::path path_;
};

}  // namespace

Result<BackupReport> BackupDataDir(const fs::path& data, const fs::path& dest, BackupOptions options) {
  std::error_code ec;
  if (!fs::is_directory(data, ec)) return NotFound("no data directory here", data.string());
  if (fs::exists(dest, ec))
    return Status(Code::kAlreadyExists, "the backup's destination already exists", dest.string());
  if (Inside(dest, data))  // the copy would copy itself
    return InvalidArgument("the backup's destination is inside the data directory", dest.string());
  fs::path staging = dest;
  staging += ".partial-" + std::to_string(::getpid());
  for (int attempt = 1; attempt <= std::max(1, options.attempts); ++attempt) {
    fs::remove_all(staging, ec);
    StagingGuard guard(staging);
    PB_RETURN_IF_ERROR(ledger::MakePrivateDir(staging));
    BackupReport report;
    report.attempts = attempt;
    PB_ASSIGN_OR_RETURN(std::vector<Entry> entries, Look(data, true));
    PB_RETURN_IF_ERROR(CopyAll(data, entries, staging, &report));
    if (options.after_copy) options.after_copy(attempt);
    PB_ASSIGN_OR_RETURN(bool changed, Changed(data, entries));
    if (changed) {
      std::this_thread::sleep_for(options.retry_delay);
      continue;
    }
    PB_RETURN_IF_ERROR(CheckLedger(staging, &report));
    PB_RETURN_IF_ERROR(WriteManifest(data, staging, report));
    PB_RETURN_IF_ERROR(SyncTree(staging));
    fs::rename(staging, dest, ec);
    if (ec) return IoError("cannot rename the backup into place: " + ec.message(), dest.string());
    guard.Release();
    PB_RETURN_IF_ERROR(SyncPath(fs::absolute(dest).parent_path()));
    return report;
  }
  return Status(Code::kUnavailable,
                "the data changed while each of " + std::to_string(options.attempts) +
                    " copies was taken; retry when the hub is quieter (or with more --attempts)",
                data.string());
}

}  // namespace pathbridge::gateway
