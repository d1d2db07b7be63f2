// The hub's durable registry of credential status: which Bitstring Status
// List position each issued credential holds, and the bit there. One SQLite
// file, DATA/credentials/status.db (WAL, synchronous=FULL; every operation
// is one transaction, so a crash leaves each change wholly done or undone).
//
// Lists form series per (organization slug, purpose), each list
// `entries_per_list` positions at <base_url>/<org>/<purpose>/<n>, n from 1.
// A new credential gets a uniformly random unused position in the series'
// newest list (the spec's privacy advice: the position says nothing about
// when it was issued or how many were), and a new list when that one is full.
//
// Revocation is final; suspension is reversible until then. Each status
// change is also kept in an outbox: the caller appends the returned
// StatusChange to the ledger and then calls MarkLogged; after a crash in
// between, UnloggedChanges hands back what is still to append (the same
// record again, so a deduplicating ledger stores it once).
//
// The store holds no personal data: credential ids, organization slugs,
// list URLs, positions, status bits and times only.
//
// Thread-safety: all methods are safe from any thread (one mutex). One
// process at a time opens a store (an exclusive lock on <db>.lock).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/credentials/bitstring.h"
#include "ledger/credentials/status_list.h"

struct sqlite3;
struct sqlite3_stmt;

namespace pathbridge::credentials {

// DATA/credentials/status.db
std::filesystem::path StatusStorePath(const std::filesystem::path& data_dir);

struct StatusStoreOptions {
  // Positions per new list (existing lists keep theirs). Tests lower it to
  // see rollover; a published list is never shorter than kMinimumListBits.
  uint32_t entries_per_list = kMinimumListBits;
};

// A credential's position in one list.
struct StatusAllocation {
  StatusPurpose purpose = StatusPurpose::kRevocation;
  std::string list_url;
  uint64_t index = 0;
  bool set = false;  // the bit: revoked / suspended
};

// One status change, for the ledger.
struct StatusChange {
  uint64_t seq = 0;  // this store's change number, from 1
  std::string list_url;
  uint64_t index = 0;
  StatusPurpose purpose = StatusPurpose::kRevocation;
  bool value = false;
  std::chrono::sys_seconds time{};
};

// A list's current bits.
struct StatusListSnapshot {
  std::string list_url;
  Bitstring bits;
  uint64_t last_change_seq = 0;  // 0 if no bit ever changed; grows with each change
};

class StatusStore {
 public:
  // Opens (creating if needed, with a 0700 parent directory) the store at
  // `db_path`. kCorruption if the file is not a status store.
  static Result<std::unique_ptr<StatusStore>> Open(const std::filesystem::path& db_path,
                                                   StatusStoreOptions options = {});
  ~StatusStore();
  StatusStore(const StatusStore&) = delete;
  StatusStore& operator=(const StatusStore&) = delete;

  // Gives `credential_id` one position in each purpose's list of `org`
  // (revocation and/or suspension), all or nothing. kAlreadyExists if the
  // credential already has positions. `base_url` is the status route, e.g.
  // "https://localhost:8443/status".
  Result<std::vector<StatusAllocation>> Allocate(std::string_view credential_id,
                                                 std::string_view org,
                                                 std::span<const StatusPurpose> purposes,
                                                 std::string_view base_url);
  // Allocate for several credentials in one transaction (one disk sync, not
  // one per credential), all or nothing; kAlreadyExists names the id that
  // already has positions. The result is in the order of the ids.
  Result<std::vector<std::vector<StatusAllocation>>> AllocateAll(
      std::span<const std::string> credential_ids, std::string_view org,
      std::span<const StatusPurpose> purposes, std::string_view base_url);
  // The credential's positions; kNotFound if it has none.
  Result<std::vector<StatusAllocation>> Lookup(std::string_view credential_id);

  // Sets the revocation bit (final). kFailedPrecondition if already revoked
  // or the credential has no revocation position.
  Result<StatusChange> Revoke(std::string_view credential_id);
  // Sets / clears the suspension bit. kFailedPrecondition if the credential
  // is revoked, is already suspended / is not suspended, or has no
  // suspension position.
  Result<StatusChange> Suspend(std::string_view credential_id);
  Result<StatusChange> Reinstate(std::string_view credential_id);

  // List `number` of (org, purpose); kNotFound if there is none.
  Result<StatusListSnapshot> GetList(std::string_view org, StatusPurpose purpose,
                                     uint64_t number);

  // Changes not yet marked logged, oldest first, at most `max`.
  Result<std::vector<StatusChange>> UnloggedChanges(std::size_t max = 1000);
  // Marks change `seq` as appended to the ledger. kNotFound if no such change.
  Status MarkLogged(uint64_t seq);

 private:
  // The newest list of a series, with its used positions.
  struct OpenList {
    int64_t id = 0;
    std::string url;
    uint64_t number = 0;
    uint32_t size = 0;
    Bitstring used{0};
    std::size_t count = 0;
  };
  struct Entry {
    StatusAllocation allocation;
    int64_t list_id = 0;
  };
  enum class Op { kRevoke, kSuspend, kReinstate };
  using SeriesKey = std::pair<std::string, StatusPurpose>;

  StatusStore(std::string path, StatusStoreOptions options);
  Result<sqlite3_stmt*> Stmt(int which);
  Status Exec(int which);
  Status InTransaction(const std::function<Status()>& body);
  Result<std::vector<Entry>> LookupLocked(std::string_view credential_id);
  Result<OpenList> ListWithRoom(const SeriesKey& series, std::string_view base_url,
                                std::chrono::sys_seconds now, OpenList* current);
  Result<OpenList> LoadList(int64_t id, std::string url, uint64_t number, uint32_t size);
  Result<StatusChange> Transition(std::string_view credential_id, Op op);

  const std::string path_;
  const StatusStoreOptions options_;
  std::mutex mu_;
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> stmts_;
  int lock_fd_ = -1;
  // The newest list of each series, with its used positions, so allocation
  // needs no scan. Updated only after a commit.
  std::map<SeriesKey, OpenList> open_lists_;
};

}  // namespace pathbridge::credentials
