// Small SQLite helpers shared by the ledger's stores (sqlite_storage and
// credentials/status_store): error mapping, statement reset on scope exit,
// column reads, and the one-writer-process lock file.
//
// Thread-safety: pure functions; a StatementReset belongs to one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "standards/encoding.h"

struct sqlite3;
struct sqlite3_stmt;

namespace pathbridge::ledger {

// SQLITE_CORRUPT/NOTADB -> kCorruption, SQLITE_FULL -> kResourceExhausted,
// anything else kIoError; the message is SQLite's.
Status SqliteError(sqlite3* db, int rc, const std::string& where);

// Resets a statement when the scope ends, so a pooled or cached connection
// never holds a statement mid-step (which would pin a WAL snapshot).
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* st) : st_(st) {}
  ~StatementReset();
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* st_;
};

Bytes ColumnBytes(sqlite3_stmt* st, int col);
std::string ColumnText(sqlite3_stmt* st, int col);

Status ExecSql(sqlite3* db, const char* sql, const std::string& where);
// The first column of the first row (0 if there is none).
Result<int64_t> QueryInt(sqlite3* db, const char* sql, const std::string& where);

// Prepares `sql` into `slot` (SQLITE_PREPARE_PERSISTENT) unless already done.
Result<sqlite3_stmt*> PrepareOnce(sqlite3* db, sqlite3_stmt*& slot, const char* sql,
                                  const std::string& where);

// What a database file holds: PRAGMA application_id and user_version mark
// it, `sql` creates its tables, `kind` names it in errors ("ledger").
struct SchemaInfo {
  int application_id;
  int version;
  const char* sql;
  const char* kind;
};
// Creates the schema in an empty database, or checks that an existing one
// is this kind (else kCorruption) at this version (else kFailedPrecondition).
Status InitSchema(sqlite3* db, const SchemaInfo& schema, const std::string& where);

// Steps a statement that returns no rows, then resets it.
Status StepDone(sqlite3_stmt* st, sqlite3* db, const char* what);

// Takes an exclusive flock on `lock_path` (created 0600) and returns its
// descriptor; the lock lasts until it is closed. kFailedPrecondition with
// `busy_message` if another process holds it.
Result<int> LockForWriting(const std::filesystem::path& lock_path, const std::string& busy_message,
                           const std::string& where);

}  // namespace pathbridge::ledger
