// SQLite implementation of Storage: one database file in WAL mode with
// synchronous=FULL, so a commit returns only after its WAL frames are
// fsync'ed. One transaction per StorageBatch.
//
// Thread-safety: reads from any thread (each thread borrows a connection
// from a pool); Commit from one thread at a time.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "ledger/storage.h"

struct sqlite3;

namespace pathbridge::ledger {

class SqliteStorage final : public Storage {
 public:
  struct Options {
    int cache_mib = 64;  // SQLite page cache per connection
    // A writer creates the database if needed and holds an exclusive lock
    // (<db>.lock) so that two processes never sequence the same log. A
    // reader opens an existing database only and takes no lock.
    bool writer = true;
  };
  // Opens (creating if needed) the database at `path`. A file that is not a
  // pathbridge ledger, or is damaged, gives a Corruption error naming it.
  static Result<std::unique_ptr<SqliteStorage>> Open(const std::filesystem::path& path,
                                                     Options options);
  static Result<std::unique_ptr<SqliteStorage>> Open(const std::filesystem::path& path) {
    return Open(path, Options{});
  }
  ~SqliteStorage() override;

  Result<std::optional<std::string>> GetMeta(const std::string& key) override;
  Status PutMeta(const std::string& key, const std::string& value) override;
  Result<uint64_t> TreeSize() override;
  Status ReadTileInto(uint8_t level, uint64_t index, FatTile& out) override;
  Result<Bytes> ReadBundle(uint64_t index) override;
  Result<Bytes> ReadEntry(uint64_t index) override;
  Result<std::optional<uint64_t>> FindIdentity(ByteSpan key) override;
  Result<std::optional<StoredCheckpoint>> LatestCheckpoint() override;
  Status ForEachCheckpoint(const std::function<Status(const StoredCheckpoint&)>& fn) override;
  Status Commit(const StorageBatch& batch) override;

 private:
  class Connection;
  class Lease;
  SqliteStorage(std::filesystem::path path, Options options);
  Result<Lease> Acquire();
  Status DeriveEdgeTile(uint64_t index, FatTile& out);
  void Release(std::unique_ptr<Connection> conn);

  std::filesystem::path path_;
  Options options_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> pool_;
  int lock_fd_ = -1;
};

}  // namespace pathbridge::ledger
