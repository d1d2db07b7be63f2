// What the hub keeps about each credential it issued, so that a receipt can
// be made again later and an interrupted issuance retried: the
// organization, the salt of the ledger commitment and the ledger index.
// Kept in DATA/credentials/issued.db (SQLite, WAL, synchronous=FULL, mode
// 0600: the salt lets its holder link a credential to its ledger entry),
// keyed by SHA-256 of the credential id. No credential content is kept.
// A batch's records go in one transaction: one disk sync for a transcript's
// credentials, not one (and a rename) per credential as the per-file
// records of earlier versions, DATA/credentials/issued/<key>.json, which
// are still read.
//
// Thread-safety: Get and Put may run from many threads (one connection
// behind a mutex). Only the CredentialService opens it, under the status
// store's writer lock, so one process writes. A caller that may race on one
// credential id must serialize itself (the issuer does).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/credentials/ledger_entry.h"
#include "ledger/credentials/receipt.h"
#include "ledger/log.h"

struct sqlite3;
struct sqlite3_stmt;

namespace pathbridge::credentials {

struct IssuanceRecord {
  std::string org;
  Salt salt{};
  std::optional<uint64_t> ledger_index;  // unset until the issuance is logged
};

class IssuanceRecords {
 public:
  static Result<std::unique_ptr<IssuanceRecords>> Open(const std::filesystem::path& data_dir);
  ~IssuanceRecords();
  IssuanceRecords(const IssuanceRecords&) = delete;
  IssuanceRecords& operator=(const IssuanceRecords&) = delete;

  // nullopt if the credential was never issued here.
  Result<std::optional<IssuanceRecord>> Get(std::string_view credential_id);
  Status Put(std::string_view credential_id, const IssuanceRecord& record);
  // All or none, in one transaction.
  Status PutAll(const std::vector<std::pair<std::string, IssuanceRecord>>& records);

 private:
  explicit IssuanceRecords(std::filesystem::path data_dir);
  Result<std::optional<IssuanceRecord>> GetLegacy(std::string_view credential_id) const;
  Status PutLocked(std::string_view credential_id, const IssuanceRecord& record);

  std::filesystem::path data_dir_;
  std::string path_;
  std::mutex mu_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* get_ = nullptr;
  sqlite3_stmt* put_ = nullptr;
};

// A fresh receipt (inclusion under the newest checkpoint, waiting up to
// `wait` for one) for a credential issued here, from its record's salt and
// ledger index. kNotFound if it was not issued here (or not logged yet).
Result<Receipt> ReceiptForIssued(IssuanceRecords& records, const ledger::Log& log,
                                 std::string_view credential_id,
                                 std::chrono::milliseconds wait = kDefaultReceiptWait);

}  // namespace pathbridge::credentials
