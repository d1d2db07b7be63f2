#include "ledger/sqlite_storage.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "ledger/sqlite_util.h"
#include "ledger/tiles.h"

namespace pathbridge::ledger {
namespace {

constexpr int kApplicationId = 0x70627267;  // "pbrg"
constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tiles(id INTEGER PRIMARY KEY, width INTEGER NOT NULL, nodes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS identities(key BLOB PRIMARY KEY, idx INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL);
)sql";

// Tiles are keyed by one integer so the table stays a plain rowid b-tree.
int64_t TileId(uint8_t level, uint64_t index) {
  return static_cast<int64_t>((static_cast<uint64_t>(level) << 56) | index);
}

enum Stmt {
  kGetMeta, kPutMeta, kLastLeafTile, kCountEntries, kReadTile, kPutTile, kReadEntries,
  kPutEntry, kReadEntry, kFindIdentity, kPutIdentity,
  kLatestCheckpoint, kEachCheckpoint, kPutCheckpoint, kBegin, kCommit, kRollback, kNumStmts
};

constexpr const char* kSql[kNumStmts] = {
    "SELECT value FROM meta WHERE key = ?1",
    "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
    // Level-0 tiles have ids below 2^56; only full ones are stored.
    "SELECT id, width FROM tiles WHERE id < 72057594037927936 ORDER BY id DESC LIMIT 1",
    "SELECT count(*) FROM entries WHERE idx >= ?1",
    "SELECT width, nodes FROM tiles WHERE id = ?1",
    // An upsert rewrites the row in place; INSERT OR REPLACE would delete
    // and re-insert it, churning the freelist on every commit.
    "INSERT INTO tiles(id, width, nodes) VALUES(?1, ?2, ?3) "
    "ON CONFLICT(id) DO UPDATE SET width = excluded.width, nodes = excluded.nodes",
    "SELECT idx, data FROM entries WHERE idx >= ?1 AND idx < ?2 ORDER BY idx",
    "INSERT INTO entries(idx, data) VALUES(?1, ?2)",
    "SELECT data FROM entries WHERE idx = ?1",
    "SELECT idx FROM identities WHERE key = ?1",
    "INSERT INTO identities(key, idx) VALUES(?1, ?2)",
    "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1",
    "SELECT size, note FROM checkpoints ORDER BY size",
    "INSERT OR REPLACE INTO checkpoints(size, note) VALUES(?1, ?2)",
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
};

}  // namespace

class SqliteStorage::Connection {
 public:
  explicit Connection(std::string path) : path_(std::move(path)) {}
  ~Connection() {
    for (auto* s : stmts_) sqlite3_finalize(s);
    sqlite3_close_v2(db_);
  }

  Status Open(int cache_mib, bool create) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
    if ((rc & 0xff) == SQLITE_CANTOPEN && !create)
      return NotFound("no ledger database here", path_);
    if (rc != SQLITE_OK) return Error(rc);
    sqlite3_busy_timeout(db_, 10000);
    // page_size=16384 (takes effect when the file is created): a fat tile
    // (16,320 bytes) then fits in one b-tree page, so reading it is one page
    // read instead of a leaf and three overflow pages, and rewriting the edge
    // tile is one WAL frame instead of four. Older files keep their size.
    // secure_delete=OFF: Debian builds SQLite with SECURE_DELETE, which
    // zeroes and rewrites freed pages; every batch replaces the edge tile and
    // edge entry bundle, so that added WAL frames to each commit. The log's
    // content is public: there is nothing to scrub.
    std::string pragmas = "PRAGMA page_size=16384; PRAGMA journal_mode=WAL;"
                          "PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;"
                          "PRAGMA secure_delete=OFF; PRAGMA cache_size=-" +
                          std::to_string(cache_mib * 1024) + ";";
    PB_RETURN_IF_ERROR(ExecSql(db_, pragmas.c_str(), path_));
    for (int i = 0; i < kNumStmts; ++i) stmts_[i] = nullptr;
    return Status::Ok();
  }

  // Creates the schema, or checks that an existing file is ours.
  Status InitSchema() {
    return ledger::InitSchema(db_, {kApplicationId, kSchemaVersion, kSchema, "ledger"}, path_);
  }

  Result<sqlite3_stmt*> Get(Stmt which) {
    return PrepareOnce(db_, stmts_[which], kSql[which], path_);
  }

  Status Error(int rc) { return SqliteError(db_, rc, path_); }
  sqlite3* db() { return db_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmts_[kNumStmts] = {};
};

// Borrows a connection and puts it back; also resets the statement in use.
class SqliteStorage::Lease {
 public:
  Lease(SqliteStorage* owner, std::unique_ptr<Connection> conn)
      : owner_(owner), conn_(std::move(conn)) {}
  Lease(Lease&& o) noexcept : owner_(o.owner_), conn_(std::move(o.conn_)) {}
  ~Lease() {
    if (conn_) owner_->Release(std::move(conn_));
  }
  Connection* operator->() { return conn_.get(); }

 private:
  SqliteStorage* owner_;
  std::unique_ptr<Connection> conn_;
};

SqliteStorage::SqliteStorage(std::filesystem::path path, Options options)
    : path_(std::move(path)), options_(options) {}

SqliteStorage::~SqliteStorage() {
  pool_.clear();  // close connections before dropping the writer lock
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Result<std::unique_ptr<SqliteStorage>> SqliteStorage::Open(const std::filesystem::path& path,
                                                           Options options) {
  std::unique_ptr<SqliteStorage> s(new SqliteStorage(path, options));
  if (options.writer) {
    PB_ASSIGN_OR_RETURN(s->lock_fd_,
                        LockForWriting(path.string() + ".lock",
                                       "the ledger is open for writing in another process (a "
                                       "running `pathbridge serve`?); append through it instead",
                                       path.string()));
  }
  auto conn = std::make_unique<Connection>(path.string());
  PB_RETURN_IF_ERROR(conn->Open(options.cache_mib, options.writer));
  PB_RETURN_IF_ERROR(conn->InitSchema());
  s->Release(std::move(conn));
  return s;
}

Result<SqliteStorage::Lease> SqliteStorage::Acquire() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!pool_.empty()) {
      auto c = std::move(pool_.back());
      pool_.pop_back();
      return Lease(this, std::move(c));
    }
  }
  auto conn = std::make_unique<Connection>(path_.string());
  PB_RETURN_IF_ERROR(conn->Open(options_.cache_mib, false));
  return Lease(this, std::move(conn));
}

void SqliteStorage::Release(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  pool_.push_back(std::move(conn));
}

Result<std::optional<std::string>> SqliteStorage::GetMeta(const std::string& key) {
  PB_ASSIGN_OR_RETURN(Lease c, Acquire());
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, c->Get(kGetMeta));
  StatementReset reset(st);
  sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return c->Error(rc);
  return std::optional<std::string>(ColumnText(st, 0));
}

Status SqliteStorage::PutMeta(const std::string& key, const std::string& value) {
  PB_ASSIGN_OR_RETURN(Lease c, Acquire());
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, c->Get(kPutMeta));
  StatementReset reset(st);
  sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  sqlite3_bind_text(st, 2, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  int rc = sqlite3_step(st);
  return rc == SQLITE_DONE ? Status::Ok() : c->Error(rc);
}

// The tree size is the full level-0 tiles plus the entries after them:
// nothing else to keep in step, and no row rewritten on every commit.
Result<uint64_t> SqliteStorage::TreeSize() {
  PB_ASSIGN_OR_RETURN(Lease c, Acquire());
  uint64_t full_tiles = 0;
  {
    PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, c->Get(kLastLeafTile));
    StatementReset reset(st);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      full_tiles = static_cast<uint64_t>(sqlite3_column_int64(st, 0)) + 1;
      if (sqlite3_column_int64(st, 1) != 256)
        return Corruption("a stored level-0 tile is not full",
                          "tile 0/" + std::to_string(full_tiles - 1));
    } else if (rc != SQLITE_DONE) {
      return c->Error(rc);
    }
  }
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, c->Get(kCountEntries));
  StatementReset reset(st);
  sqlite3_bind_int64(st, 1, static_cast<int64_t>(full_tiles * 256));
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) return c->Error(rc);
  return full_tiles * 256 + static_cast<uint64_t>(sqlite3_column_int64(st, 0));
}

Status SqliteStorage::ReadTileInto(uint8_t level, uint64_t index, FatTile& t) {
  PB_ASSIGN_OR_RETURN(Lease c, Acquire());
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, c->Get(kReadTile));
  StatementReset reset(st);
  sqlite3_bind_int64(st, 1, TileId(level, index));
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) {
    if (level == 0) return DeriveEdgeTile(index, t);
    return NotFound("no such tile", "tile " + std::to_string(level) + "/" + std::to_string(index));
  }
  if (rc != SQLITE_ROW) return c->Error(rc);
  int64_t width = sqlite3_column_int64(st, 0);
  const void* nodes = sqlite3_column_blob(st, 1);
  int bytes = sqlite3_column_bytes(st, 1);
  if (width < 1 || width > 256 || bytes != static_cast<int>(sizeof t.nodes))
    return Corruption("tile record has width " + std::to_string(width) + " and " +
                          std::to_string(bytes) + " bytes",
                      "tile " + std::to_string(level) + "/" + std::to_string(index));
  t.level = level;
  t.index = index;
  t.width = static_cast<uint32_t>(width);
  std::memcpy(t.nodes.data(), nodes, sizeof t.nodes);
  return Status::Ok();
}

// The partial level-0 tile is not stored: every commit would rewrite it.
// Its hashes are the leaf hashes of the entries after the last full tile.
Status SqliteStorage::DeriveEdgeTile(uint64_t index, FatTile& t) {
  auto bundle = ReadBundle(index);
  if (!bundle.ok()) {
    if (bundle.status().code() == Code::kNotFound)
      return NotFound("no such tile", "tile 0/" + std::to_string(index));
    return bundle.status();
  }
  auto entries = ParseEntryBundle(*bundle);
  if (!entries.ok()) return Corruption(entries.status().message(), "bundle " + std::to_string(index));
  t = FatTile{};
  t.level = 0;
  t.index = index;
  t.width = static_cast<uint32_t>(entries->size());
  Hasher& hasher = ThreadHasher();
  for (uint32_t i = 0; i < t.width; ++i) t.at(0, i) = hasher.Leaf((*entries)[i]);
  ComputeTileRows(t);
  return Status::Ok();
}

Result<Bytes> SqliteStorage::ReadBundle(uint64_t index) {
  PB_ASSIGN_OR_RETURN(Lease c, Acquire());
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, c->Get(kReadEntries));
  StatementReset reset(st);
  sqlite3_bind_int64(st, 1, static_cast<int64_t>(index * 256));
  sqlite3_bind_int64(st, 2, static_cast<int64_t>(index * 256 + 256));
  Bytes bundle;
  uint64_t expect = index * 256;
  for (int rc; (rc = sqlite3_step(st)) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) return c->Error(rc);
    if (static_cast<uint64_t>(sqlite3_column_int64(st, 0)) != expect)
      return Corruption("stored entries have a gap", "entry " + std::to_string(expect));
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(st, 1));
    Status s = AppendBundleEntry(bundle, ByteSpan(p, static_cast<size_t>(sqlite3_column_bytes(st, 1))));
    if (!s.ok()) return Corruption(s.message(), "entry " + std::to_string(expect));
    ++expect;
  }
  if (bundle.empty()) return NotFound("no such entry bundle", "bundle " + std::to_string(index));
  return bundle;
}

Result<Bytes> SqliteStorage::ReadEntry(uint64_t index) {
  PB_ASSIGN_OR_RETURN(Lease c, Acquire());
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, c->Get(kReadEntry));
  StatementReset reset(st);
  sqlite3_bind_int64(st, 1, static_cast<int64_t>(index));
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return NotFound("no such entry", "index " + std::to_string(index));
  if (rc != SQLITE_ROW) return c->Error(rc);
  return ColumnBytes(st, 0);
}

Result<std::optional<uint64_t>> SqliteStorage::FindIdentity(ByteSpan key) {
  PB_ASSIGN_OR_RETURN(Lease c, Acquire());
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, c->Get(kFindIdentity));
  StatementReset reset(st);
  sqlite3_bind_blob(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return std::optional<uint64_t>();
  if (rc != SQLITE_ROW) return c->Error(rc);
  return std::optional<uint64_t>(static_cast<uint64_t>(sqlite3_column_int64(st, 0)));
}

Result<std::optional<StoredCheckpoint>> SqliteStorage::LatestCheckpoint() {
  PB_ASSIGN_OR_RETURN(Lease c, Acquire());
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, c->Get(kLatestCheckpoint));
  StatementReset reset(st);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return std::optional<StoredCheckpoint>();
  if (rc != SQLITE_ROW) return c->Error(rc);
  return std::optional<StoredCheckpoint>(
      StoredCheckpoint{static_cast<uint64_t>(sqlite3_column_int64(st, 0)), ColumnText(st, 1)});
}

Status SqliteStorage::ForEachCheckpoint(
    const std::function<Status(const StoredCheckpoint&)>& fn) {
  PB_ASSIGN_OR_RETURN(Lease c, Acquire());
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * st, c->Get(kEachCheckpoint));
  StatementReset reset(st);
  for (;;) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW) return c->Error(rc);
    PB_RETURN_IF_ERROR(fn(
        StoredCheckpoint{static_cast<uint64_t>(sqlite3_column_int64(st, 0)), ColumnText(st, 1)}));
  }
}

Status SqliteStorage::Commit(const StorageBatch& batch) {
  PB_ASSIGN_OR_RETURN(Lease c, Acquire());
  sqlite3* db = c->db();
  PB_ASSIGN_OR_RETURN(sqlite3_stmt * begin, c->Get(kBegin));
  PB_RETURN_IF_ERROR(StepDone(begin, db, "begin"));
  auto body = [&]() -> Status {
    PB_ASSIGN_OR_RETURN(sqlite3_stmt * tile, c->Get(kPutTile));
    for (const FatTile* t : batch.tiles) {
      if (t->level == 0 && !t->full()) continue;  // derived from the entries
      sqlite3_bind_int64(tile, 1, TileId(t->level, t->index));
      sqlite3_bind_int64(tile, 2, t->width);
      sqlite3_bind_blob(tile, 3, t->nodes.data(), sizeof t->nodes, SQLITE_STATIC);
      PB_RETURN_IF_ERROR(StepDone(tile, db, "tiles"));
    }
    PB_ASSIGN_OR_RETURN(sqlite3_stmt * entry, c->Get(kPutEntry));
    for (const auto& [idx, data] : batch.entries) {
      sqlite3_bind_int64(entry, 1, static_cast<int64_t>(idx));
      sqlite3_bind_blob(entry, 2, data.data(), static_cast<int>(data.size()), SQLITE_STATIC);
      PB_RETURN_IF_ERROR(StepDone(entry, db, "entries"));
    }
    PB_ASSIGN_OR_RETURN(sqlite3_stmt * ident, c->Get(kPutIdentity));
    for (const auto& [key, idx] : batch.identities) {
      sqlite3_bind_blob(ident, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
      sqlite3_bind_int64(ident, 2, static_cast<int64_t>(idx));
      PB_RETURN_IF_ERROR(StepDone(ident, db, "identities"));
    }
    if (batch.checkpoint) {
      PB_ASSIGN_OR_RETURN(sqlite3_stmt * cp, c->Get(kPutCheckpoint));
      sqlite3_bind_int64(cp, 1, static_cast<int64_t>(batch.checkpoint->size));
      const std::string& note = batch.checkpoint->note;
      sqlite3_bind_text(cp, 2, note.data(), static_cast<int>(note.size()), SQLITE_STATIC);
      PB_RETURN_IF_ERROR(StepDone(cp, db, "checkpoints"));
    }
    PB_ASSIGN_OR_RETURN(sqlite3_stmt * commit, c->Get(kCommit));
    return StepDone(commit, db, "commit");
  };
  Status s = body();
  if (!s.ok() && !sqlite3_get_autocommit(db)) {
    auto rb = c->Get(kRollback);
    if (rb.ok()) StepDone(*rb, db, "rollback").ok();
  }
  return s;
}

}  // namespace pathbridge::ledger
