#include "ledger/credentials/status_store.h"

#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>

#include "certs/ed25519.h"
#include "ledger/ledger_dir.h"
#include "ledger/sqlite_util.h"

namespace pathbridge::credentials {
namespace {

using std::chrono::sys_seconds;

constexpr int kApplicationId = 0x70627374;  // "pbst"
constexpr int kSchemaVersion = 1;
constexpr const char* kWhere = "credential status";

constexpr const char* kSchema = R"sql(
CREATE TABLE lists(
  id INTEGER PRIMARY KEY,
  org TEXT NOT NULL,
  purpose TEXT NOT NULL,
  number INTEGER NOT NULL,
  url TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  created INTEGER NOT NULL,
  UNIQUE(org, purpose, number));
CREATE TABLE entries(
  credential_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  list_id INTEGER NOT NULL REFERENCES lists(id),
  idx INTEGER NOT NULL,
  value INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  PRIMARY KEY(credential_id, purpose),
  UNIQUE(list_id, idx)) WITHOUT ROWID;
CREATE TABLE changes(
  seq INTEGER PRIMARY KEY,
  list_id INTEGER NOT NULL REFERENCES lists(id),
  idx INTEGER NOT NULL,
  value INTEGER NOT NULL,
  time INTEGER NOT NULL,
  logged INTEGER NOT NULL DEFAULT 0);
CREATE INDEX changes_by_list ON changes(list_id, seq);
CREATE INDEX changes_unlogged ON changes(seq) WHERE logged = 0;
)sql";

enum StmtId {
  kBegin, kCommit, kRollback, kNewestList, kInsertList, kListUsed, kCredentialEntries,
  kInsertEntry, kSetValue, kInsertChange, kFindList, kListSetBits, kListLastChange, kUnlogged,
  kMarkLogged, kNumStmts
};

constexpr const char* kSql[kNumStmts] = {
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
    "SELECT id, url, number, size FROM lists WHERE org = ?1 AND purpose = ?2 "
    "ORDER BY number DESC LIMIT 1",
    "INSERT INTO lists(org, purpose, number, url, size, created) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    "SELECT idx FROM entries WHERE list_id = ?1",
    "SELECT e.purpose, l.url, e.idx, e.value, e.list_id FROM entries e "
    "JOIN lists l ON l.id = e.list_id WHERE e.credential_id = ?1 ORDER BY e.purpose",
    "INSERT INTO entries(credential_id, purpose, list_id, idx, value, updated) "
    "VALUES(?1, ?2, ?3, ?4, 0, ?5)",
    "UPDATE entries SET value = ?3, updated = ?4 WHERE credential_id = ?1 AND purpose = ?2",
    "INSERT INTO changes(list_id, idx, value, time) VALUES(?1, ?2, ?3, ?4)",
    "SELECT id, url, size FROM lists WHERE org = ?1 AND purpose = ?2 AND number = ?3",
    "SELECT idx FROM entries WHERE list_id = ?1 AND value = 1",
    "SELECT coalesce(max(seq), 0) FROM changes WHERE list_id = ?1",
    "SELECT c.seq, l.url, c.idx, l.purpose, c.value, c.time FROM changes c "
    "JOIN lists l ON l.id = c.list_id WHERE c.logged = 0 ORDER BY c.seq LIMIT ?1",
    "UPDATE changes SET logged = 1 WHERE seq = ?1",
};

sys_seconds Now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

void BindText(sqlite3_stmt* st, int i, std::string_view text) {
  sqlite3_bind_text(st, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}
void BindInt(sqlite3_stmt* st, int i, int64_t v) { sqlite3_bind_int64(st, i, v); }
uint64_t ColumnU64(sqlite3_stmt* st, int col) {
  return static_cast<uint64_t>(sqlite3_column_int64(st, col));
}

Result<StatusPurpose> StoredPurpose(const std::string& name) {
  auto p = ParsePurpose(name);
  if (!p.ok()) return Corruption("stored status purpose is unknown", kWhere);
  return p;
}

// URL-safe organization slugs: [A-Za-z0-9._-], not starting with '.'.
bool IsSlug(std::string_view s) {
  if (s.empty() || s.size() > 64 || s.front() == '.') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
  });
}

Status CheckAllocation(std::string_view credential_id, std::string_view org,
                       std::span<const StatusPurpose> purposes, std::string_view base_url) {
  if (credential_id.empty() || credential_id.size() > 2048)
    return InvalidArgument("a credential id must be 1 to 2048 bytes", "credential id");
  if (!IsSlug(org))
    return InvalidArgument("an organization slug must be 1 to 64 of A-Z a-z 0-9 . _ - "
                           "(not starting with '.')",
                           "organization");
  if (base_url.empty() || base_url.back() == '/')
    return InvalidArgument("the status base URL must be non-empty, without a trailing '/'",
                           "base URL");
  if (purposes.empty()) return InvalidArgument("no status purpose given", "purposes");
  for (std::size_t i = 0; i < purposes.size(); ++i) {
    if (purposes[i] != StatusPurpose::kRevocation && purposes[i] != StatusPurpose::kSuspension)
      return InvalidArgument("the status store keeps revocation and suspension lists only",
                             "purposes");
    if (std::find(purposes.begin(), purposes.begin() + static_cast<std::ptrdiff_t>(i),
                  purposes[i]) != purposes.begin() + static_cast<std::ptrdiff_t>(i))
      return InvalidArgument("a status purpose is given twice", "purposes");
  }
  return Status::Ok();
}

Status FailedPrecondition(std::string message) {
  return Status(Code::kFailedPrecondition, std::move(message), kWhere);
}

}  // namespace

std::filesystem::path StatusStorePath(const std::filesystem::path& data_dir) {
  return data_dir / "credentials" / "status.db";
}

StatusStore::StatusStore(std::string path, StatusStoreOptions options)
    : path_(std::move(path)), options_(options), stmts_(kNumStmts, nullptr) {}

StatusStore::~StatusStore() {
  for (sqlite3_stmt* st : stmts_) sqlite3_finalize(st);
  sqlite3_close_v2(db_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Result<std::unique_ptr<StatusStore>> StatusStore::Open(const std::filesystem::path& db_path,
                                                       StatusStoreOptions options) {
  if (options.entries_per_list == 0)
    return InvalidArgument("a status list needs at least one entry", "entries_per_list");
  if (db_path.has_parent_path()) PB_RETURN_IF_ERROR(ledger::MakePrivateDir(db_path.parent_path()));
  certs::InitCrypto();  // randombytes for index allocation
  std::unique_ptr<StatusStore> s(new StatusStore(db_path.string(), options));
  PB_ASSIGN_OR_RETURN(s->lock_fd_,
                      ledger::LockForWriting(s->path_ + ".lock",
                                             "the status registry is open in another process "
                                             "(a running `pathbridge serve`?)",
                                             s->path_));
  int rc = sqlite3_open_v2(s->path_.c_str(), &s->db_,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) return ledger::SqliteError(s->db_, rc, s->path_);
  sqlite3_busy_timeout(s->db_, 10000);
  PB_RETURN_IF_ERROR(ledger::ExecSql(
      s->db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
      s->path_));
  PB_RETURN_IF_ERROR(ledger::InitSchema(
      s->db_, {kApplicationId, kSchemaVersion, kSchema, "credential status"}, s->path_));
  return s;
}

Result<sqlite3_stmt*> StatusStore::Stmt(int which) {
  return ledger::PrepareOnce(db_, stmts_[static_cast<std::size_t>(which)], kSql[which], path_);
}

Status StatusStore::Exec(int which) {
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, Stmt(which));
  return ledger::StepDone(st, db_, path_.c_str());
}

Status StatusStore::InTransaction(const std::function<Status()>& body) {
  PB_RETURN_IF_ERROR(Exec(kBegin));
  Status s = body();
  if (s.ok()) s = Exec(kCommit);
  if (!s.ok() && !sqlite3_get_autocommit(db_)) Exec(kRollback).ok();
  return s;
}

Result<std::vector<StatusStore::Entry>> StatusStore::LookupLocked(std::string_view credential_id) {
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, Stmt(kCredentialEntries));
  ledger::StatementReset reset(st);
  BindText(st, 1, credential_id);
  std::vector<Entry> out;
  for (int rc; (rc = sqlite3_step(st)) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) return ledger::SqliteError(db_, rc, path_);
    PB_ASSIGN_OR_RETURN(StatusPurpose purpose, StoredPurpose(ledger::ColumnText(st, 0)));
    out.push_back({{purpose, ledger::ColumnText(st, 1), ColumnU64(st, 2),
                    sqlite3_column_int64(st, 3) != 0},
                   sqlite3_column_int64(st, 4)});
  }
  return out;
}

Result<StatusStore::OpenList> StatusStore::LoadList(int64_t id, std::string url, uint64_t number,
                                                    uint32_t size) {
  OpenList list{id, std::move(url), number, size, Bitstring(size), 0};
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, Stmt(kListUsed));
  ledger::StatementReset reset(st);
  BindInt(st, 1, id);
  for (int rc; (rc = sqlite3_step(st)) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) return ledger::SqliteError(db_, rc, path_);
    const uint64_t index = ColumnU64(st, 0);
    if (index >= size) return Corruption("a stored position is outside its list", list.url);
    list.used.Set(index, true);
    ++list.count;
  }
  return list;
}

// The series' newest list if it has room, else a new one (in the caller's
// transaction; the cache is updated only after it commits). `current` is
// the series' list as this transaction left it, if it touched it.
Result<StatusStore::OpenList> StatusStore::ListWithRoom(const SeriesKey& series,
                                                        std::string_view base_url,
                                                        sys_seconds now, OpenList* current) {
  const std::string purpose(PurposeName(series.second));
  OpenList list;
  if (current != nullptr) {
    list = std::move(*current);
  } else if (auto it = open_lists_.find(series); it != open_lists_.end()) {
    list = it->second;
  } else {
    PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, Stmt(kNewestList));
    ledger::StatementReset reset(st);
    BindText(st, 1, series.first);
    BindText(st, 2, purpose);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      PB_ASSIGN_OR_RETURN(list, LoadList(sqlite3_column_int64(st, 0), ledger::ColumnText(st, 1),
                                         ColumnU64(st, 2),
                                         static_cast<uint32_t>(sqlite3_column_int64(st, 3))));
    } else if (rc != SQLITE_DONE) {
      return ledger::SqliteError(db_, rc, path_);
    }
  }
  if (list.id != 0 && list.count < list.size) return list;

  const uint64_t number = list.number + 1;
  const std::string url =
      std::string(base_url) + "/" + series.first + "/" + purpose + "/" + std::to_string(number);
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, Stmt(kInsertList));
  BindText(st, 1, series.first);
  BindText(st, 2, purpose);
  BindInt(st, 3, static_cast<int64_t>(number));
  BindText(st, 4, url);
  BindInt(st, 5, options_.entries_per_list);
  BindInt(st, 6, now.time_since_epoch().count());
  PB_RETURN_IF_ERROR(ledger::StepDone(st, db_, path_.c_str()));
  return OpenList{sqlite3_last_insert_rowid(db_), url, number, options_.entries_per_list,
                  Bitstring(options_.entries_per_list), 0};
}

Result<std::vector<StatusAllocation>> StatusStore::Allocate(std::string_view credential_id,
                                                            std::string_view org,
                                                            std::span<const StatusPurpose> purposes,
                                                            std::string_view base_url) {
  const std::string id(credential_id);
  PB_ASSIGN_OR_RETURN(auto all, AllocateAll(std::span<const std::string>(&id, 1), org, purposes,
                                            base_url));
  return std::move(all.front());
}

Result<std::vector<std::vector<StatusAllocation>>> StatusStore::AllocateAll(
    std::span<const std::string> credential_ids, std::string_view org,
    std::span<const StatusPurpose> purposes, std::string_view base_url) {
  for (const std::string& id : credential_ids)
    PB_RETURN_IF_ERROR(CheckAllocation(id, org, purposes, base_url));
  std::lock_guard<std::mutex> lock(mu_);
  const sys_seconds now = Now();
  std::vector<std::vector<StatusAllocation>> out;
  std::map<SeriesKey, OpenList> staged;
  Status done = InTransaction([&]() -> Status {
    for (const std::string& id : credential_ids) {
      PB_ASSIGN_OR_RETURN(std::vector<Entry> existing, LookupLocked(id));
      if (!existing.empty())
        return Status(Code::kAlreadyExists, "this credential already has status list positions",
                      id);
      std::vector<StatusAllocation>& mine = out.emplace_back();
      for (StatusPurpose purpose : purposes) {
        SeriesKey series{std::string(org), purpose};
        auto current = staged.find(series);
        PB_ASSIGN_OR_RETURN(OpenList list,
                            ListWithRoom(series, base_url, now,
                                         current == staged.end() ? nullptr : &current->second));
        // Rejection sampling: the list has room, so this ends; even the last
        // free position of a 131,072-entry list takes ~131,072 cheap probes.
        uint64_t index;
        do index = randombytes_uniform(list.size);
        while (list.used.Get(index));
        PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, Stmt(kInsertEntry));
        BindText(st, 1, id);
        BindText(st, 2, PurposeName(purpose));
        BindInt(st, 3, list.id);
        BindInt(st, 4, static_cast<int64_t>(index));
        BindInt(st, 5, now.time_since_epoch().count());
        PB_RETURN_IF_ERROR(ledger::StepDone(st, db_, path_.c_str()));
        list.used.Set(index, true);
        ++list.count;
        mine.push_back({purpose, list.url, index, false});
        staged.insert_or_assign(std::move(series), std::move(list));
      }
    }
    return Status::Ok();
  });
  if (!done.ok()) return done;
  for (auto& [series, list] : staged) open_lists_.insert_or_assign(series, std::move(list));
  return out;
}

Result<std::vector<StatusAllocation>> StatusStore::Lookup(std::string_view credential_id) {
  std::lock_guard<std::mutex> lock(mu_);
  PB_ASSIGN_OR_RETURN(std::vector<Entry> entries, LookupLocked(credential_id));
  if (entries.empty()) return NotFound("no status list positions for this credential", kWhere);
  std::vector<StatusAllocation> out;
  for (Entry& e : entries) out.push_back(std::move(e.allocation));
  return out;
}

Result<StatusChange> StatusStore::Revoke(std::string_view credential_id) {
  return Transition(credential_id, Op::kRevoke);
}
Result<StatusChange> StatusStore::Suspend(std::string_view credential_id) {
  return Transition(credential_id, Op::kSuspend);
}
Result<StatusChange> StatusStore::Reinstate(std::string_view credential_id) {
  return Transition(credential_id, Op::kReinstate);
}

Result<StatusChange> StatusStore::Transition(std::string_view credential_id, Op op) {
  std::lock_guard<std::mutex> lock(mu_);
  const sys_seconds now = Now();
  StatusChange change;
  Status done = InTransaction([&]() -> Status {
    PB_ASSIGN_OR_RETURN(std::vector<Entry> entries, LookupLocked(credential_id));
    if (entries.empty()) return NotFound("no status list positions for this credential", kWhere);
    auto find = [&](StatusPurpose p) -> const Entry* {
      for (const Entry& e : entries)
        if (e.allocation.purpose == p) return &e;
      return nullptr;
    };
    const Entry* revocation = find(StatusPurpose::kRevocation);
    if (revocation != nullptr && revocation->allocation.set)
      return FailedPrecondition(op == Op::kRevoke
                                    ? "the credential is already revoked"
                                    : "the credential is revoked, and revocation is final");
    const Entry* target = find(op == Op::kRevoke ? StatusPurpose::kRevocation
                                                 : StatusPurpose::kSuspension);
    if (target == nullptr)
      return FailedPrecondition(op == Op::kRevoke
                                    ? "the credential was issued without a revocation position"
                                    : "the credential was issued without a suspension position");
    const bool value = op != Op::kReinstate;
    if (target->allocation.set == value)
      return FailedPrecondition(op == Op::kReinstate ? "the credential is not suspended"
                                                     : "the credential is already suspended");
    const StatusAllocation& a = target->allocation;
    PB_ASSIGN_OR_RETURN(sqlite3_stmt * set, Stmt(kSetValue));
    BindText(set, 1, credential_id);
    BindText(set, 2, PurposeName(a.purpose));
    BindInt(set, 3, value);
    BindInt(set, 4, now.time_since_epoch().count());
    PB_RETURN_IF_ERROR(ledger::StepDone(set, db_, path_.c_str()));
    PB_ASSIGN_OR_RETURN(sqlite3_stmt * log, Stmt(kInsertChange));
    BindInt(log, 1, target->list_id);
    BindInt(log, 2, static_cast<int64_t>(a.index));
    BindInt(log, 3, value);
    BindInt(log, 4, now.time_since_epoch().count());
    PB_RETURN_IF_ERROR(ledger::StepDone(log, db_, path_.c_str()));
    change = {static_cast<uint64_t>(sqlite3_last_insert_rowid(db_)), a.list_url, a.index,
              a.purpose, value, now};
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return change;
}

Result<StatusListSnapshot> StatusStore::GetList(std::string_view org, StatusPurpose purpose,
                                                uint64_t number) {
  std::lock_guard<std::mutex> lock(mu_);
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * find, Stmt(kFindList));
  ledger::StatementReset reset_find(find);
  BindText(find, 1, org);
  BindText(find, 2, PurposeName(purpose));
  BindInt(find, 3, static_cast<int64_t>(number));
  int rc = sqlite3_step(find);
  if (rc == SQLITE_DONE)
    return NotFound("no such status list", std::string(org) + "/" +
                                               std::string(PurposeName(purpose)) + "/" +
                                               std::to_string(number));
  if (rc != SQLITE_ROW) return ledger::SqliteError(db_, rc, path_);
  const int64_t id = sqlite3_column_int64(find, 0);
  const auto size = static_cast<std::size_t>(sqlite3_column_int64(find, 2));
  StatusListSnapshot snap{ledger::ColumnText(find, 1),
                          Bitstring(std::max(size, kMinimumListBits)), 0};

  PB_ASSIGN_OR_RETURN(sqlite3_stmt * bits, Stmt(kListSetBits));
  ledger::StatementReset reset_bits(bits);
  BindInt(bits, 1, id);
  while ((rc = sqlite3_step(bits)) == SQLITE_ROW) {
    const uint64_t index = ColumnU64(bits, 0);
    if (index >= size) return Corruption("a stored position is outside its list", snap.list_url);
    snap.bits.Set(index, true);
  }
  if (rc != SQLITE_DONE) return ledger::SqliteError(db_, rc, path_);

  PB_ASSIGN_OR_RETURN(sqlite3_stmt * last, Stmt(kListLastChange));
  ledger::StatementReset reset_last(last);
  BindInt(last, 1, id);
  if ((rc = sqlite3_step(last)) != SQLITE_ROW) return ledger::SqliteError(db_, rc, path_);
  snap.last_change_seq = ColumnU64(last, 0);
  return snap;
}

Result<std::vector<StatusChange>> StatusStore::UnloggedChanges(std::size_t max) {
  std::lock_guard<std::mutex> lock(mu_);
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, Stmt(kUnlogged));
  ledger::StatementReset reset(st);
  BindInt(st, 1, static_cast<int64_t>(std::min<std::size_t>(max, INT64_MAX)));
  std::vector<StatusChange> out;
  for (int rc; (rc = sqlite3_step(st)) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) return ledger::SqliteError(db_, rc, path_);
    PB_ASSIGN_OR_RETURN(StatusPurpose purpose, StoredPurpose(ledger::ColumnText(st, 3)));
    out.push_back({ColumnU64(st, 0), ledger::ColumnText(st, 1), ColumnU64(st, 2), purpose,
                   sqlite3_column_int64(st, 4) != 0,
                   sys_seconds(std::chrono::seconds(sqlite3_column_int64(st, 5)))});
  }
  return out;
}

Status StatusStore::MarkLogged(uint64_t seq) {
  std::lock_guard<std::mutex> lock(mu_);
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, Stmt(kMarkLogged));
  BindInt(st, 1, static_cast<int64_t>(seq));
  PB_RETURN_IF_ERROR(ledger::StepDone(st, db_, path_.c_str()));
  if (sqlite3_changes(db_) == 0)
    return NotFound("no such status change", "change " + std::to_string(seq));
  return Status::Ok();
}

}  // namespace pathbridge::credentials
