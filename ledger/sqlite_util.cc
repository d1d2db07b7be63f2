#include "ledger/sqlite_util.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pathbridge::ledger {

Status SqliteError(sqlite3* db, int rc, const std::string& where) {
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int primary = rc & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    return Corruption(std::string("database is damaged: ") + msg, where);
  if (primary == SQLITE_FULL) return Status(Code::kResourceExhausted, msg, where);
  return IoError(msg, where);
}

StatementReset::~StatementReset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}

Bytes ColumnBytes(sqlite3_stmt* st, int col) {
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(st, col));
  int n = sqlite3_column_bytes(st, col);
  return Bytes(p, p + n);
}

std::string ColumnText(sqlite3_stmt* st, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
  return std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st, col)));
}

Status ExecSql(sqlite3* db, const char* sql, const std::string& where) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  sqlite3_free(err);
  return SqliteError(db, rc, where);
}

Result<int64_t> QueryInt(sqlite3* db, const char* sql, const std::string& where) {
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, where);
  rc = sqlite3_step(st);
  int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db, rc, where);
  return v;
}

Result<sqlite3_stmt*> PrepareOnce(sqlite3* db, sqlite3_stmt*& slot, const char* sql,
                                  const std::string& where) {
  if (slot == nullptr) {
    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db, rc, where);
  }
  return slot;
}

Status InitSchema(sqlite3* db, const SchemaInfo& schema, const std::string& where) {
  PB_ASSIGN_OR_RETURN(int64_t app, QueryInt(db, "PRAGMA application_id", where));
  PB_ASSIGN_OR_RETURN(int64_t tables, QueryInt(db, "SELECT count(*) FROM sqlite_master", where));
  if (app == 0 && tables == 0) {
    PB_RETURN_IF_ERROR(ExecSql(db, "BEGIN IMMEDIATE", where));
    std::string init = std::string(schema.sql) + "PRAGMA application_id=" +
                       std::to_string(schema.application_id) + "; PRAGMA user_version=" +
                       std::to_string(schema.version) + ";";
    Status s = ExecSql(db, init.c_str(), where);
    if (!s.ok()) {
      ExecSql(db, "ROLLBACK", where).ok();
      return s;
    }
    return ExecSql(db, "COMMIT", where);
  }
  if (app != schema.application_id)
    return Corruption(std::string("not a pathbridge ") + schema.kind + " database", where);
  PB_ASSIGN_OR_RETURN(int64_t version, QueryInt(db, "PRAGMA user_version", where));
  if (version != schema.version)
    return Status(Code::kFailedPrecondition,
                  std::string(schema.kind) + " schema version " + std::to_string(version) +
                      " is not supported by this build (expects " +
                      std::to_string(schema.version) + ")",
                  where);
  return Status::Ok();
}

Status StepDone(sqlite3_stmt* st, sqlite3* db, const char* what) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc == SQLITE_DONE) return Status::Ok();
  return SqliteError(db, rc, what);
}

Result<int> LockForWriting(const std::filesystem::path& lock_path, const std::string& busy_message,
                           const std::string& where) {
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(std::strerror(errno), lock_path.string());
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status(Code::kFailedPrecondition, busy_message, where);
  }
  return fd;
}

}  // namespace pathbridge::ledger
