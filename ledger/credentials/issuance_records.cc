#include "ledger/credentials/issuance_records.h"

#include <sqlite3.h>

#include <boost/json.hpp>

#include "certs/ed25519.h"
#include "ledger/ledger_dir.h"
#include "ledger/sqlite_util.h"
#include "standards/digest.h"
#include "standards/json.h"

namespace pathbridge::credentials {
namespace {

namespace json = boost::json;

constexpr int kApplicationId = 0x70626973;  // "pbis"
constexpr int kSchemaVersion = 1;
constexpr const char* kSchema = R"sql(
CREATE TABLE issued (
  key BLOB PRIMARY KEY,        -- SHA-256 of the credential id
  org TEXT NOT NULL,
  salt BLOB NOT NULL,
  ledger_index INTEGER         -- NULL until logged
) WITHOUT ROWID;
)sql";

DigestValue KeyOf(std::string_view credential_id) {
  return ThreadDigester(HashAlgorithm::kSha256).Hash(credential_id);
}

}  // namespace

IssuanceRecords::IssuanceRecords(std::filesystem::path data_dir)
    : data_dir_(std::move(data_dir)),
      path_((data_dir_ / "credentials" / "issued.db").string()) {}

IssuanceRecords::~IssuanceRecords() {
  sqlite3_finalize(get_);
  sqlite3_finalize(put_);
  sqlite3_close(db_);
}

Result<std::unique_ptr<IssuanceRecords>> IssuanceRecords::Open(const std::filesystem::path& data_dir) {
  std::unique_ptr<IssuanceRecords> r(new IssuanceRecords(data_dir));
  PB_RETURN_IF_ERROR(ledger::MakePrivateDir(data_dir / "credentials"));
  int rc = sqlite3_open_v2(r->path_.c_str(), &r->db_,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return ledger::SqliteError(r->db_, rc, r->path_);
  std::error_code ec;
  std::filesystem::permissions(r->path_, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace, ec);
  sqlite3_busy_timeout(r->db_, 10000);
  PB_RETURN_IF_ERROR(
      ledger::ExecSql(r->db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", r->path_));
  PB_RETURN_IF_ERROR(ledger::InitSchema(
      r->db_, {kApplicationId, kSchemaVersion, kSchema, "issuance records"}, r->path_));
  return r;
}

Result<std::optional<IssuanceRecord>> IssuanceRecords::Get(std::string_view credential_id) {
  DigestValue key = KeyOf(credential_id);
  {
    std::lock_guard<std::mutex> lock(mu_);
    PB_ASSIGN_OR_RETURN(sqlite3_stmt * st,
                        ledger::PrepareOnce(db_, get_,
                                            "SELECT org, salt, ledger_index FROM issued WHERE key = ?",
                                            path_));
    ledger::StatementReset reset(st);
    sqlite3_bind_blob(st, 1, key.bytes.data(), static_cast<int>(key.size), SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      IssuanceRecord r;
      r.org = ledger::ColumnText(st, 0);
      Bytes salt = ledger::ColumnBytes(st, 1);
      if (salt.size() != r.salt.size()) return Corruption("an issuance record's salt is damaged", path_);
      std::copy(salt.begin(), salt.end(), r.salt.begin());
      if (sqlite3_column_type(st, 2) != SQLITE_NULL)
        r.ledger_index = static_cast<uint64_t>(sqlite3_column_int64(st, 2));
      return std::optional<IssuanceRecord>(std::move(r));
    }
    if (rc != SQLITE_DONE) return ledger::SqliteError(db_, rc, path_);
  }
  return GetLegacy(credential_id);
}

// The per-file record of versions before issued.db.
Result<std::optional<IssuanceRecord>> IssuanceRecords::GetLegacy(std::string_view credential_id) const {
  DigestValue d = KeyOf(credential_id);
  std::filesystem::path file = data_dir_ / "credentials" / "issued" /
                               (Base64UrlEncode(ByteSpan(d.bytes.data(), d.size)) + ".json");
  if (!std::filesystem::exists(file)) return std::optional<IssuanceRecord>();
  PB_ASSIGN_OR_RETURN(std::string text, certs::ReadSecretFile(file));
  auto doc = pathbridge::json::Parse(text);
  const json::object* o = doc.ok() ? doc->if_object() : nullptr;
  const json::value* org = o ? o->if_contains("org") : nullptr;
  const json::value* salt = o ? o->if_contains("salt") : nullptr;
  const json::value* index = o ? o->if_contains("ledgerIndex") : nullptr;
  auto salt_bytes = salt && salt->is_string() ? Base64UrlDecode(salt->as_string())
                                              : Result<Bytes>(InvalidArgument("no salt"));
  if (!org || !org->is_string() || !salt_bytes.ok() || salt_bytes->size() != 32 ||
      (index && !index->is_uint64() && !index->is_int64()))
    return Corruption("the issuance record is damaged", file.string());
  IssuanceRecord r;
  r.org = std::string(org->as_string());
  std::copy(salt_bytes->begin(), salt_bytes->end(), r.salt.begin());
  if (index) r.ledger_index = index->to_number<uint64_t>();
  return std::optional<IssuanceRecord>(std::move(r));
}

Status IssuanceRecords::PutLocked(std::string_view credential_id, const IssuanceRecord& record) {
  PB_ASSIGN_OR_RETURN(
      sqlite3_stmt * st,
      ledger::PrepareOnce(db_, put_,
                          "INSERT OR REPLACE INTO issued (key, org, salt, ledger_index) VALUES (?, ?, ?, ?)",
                          path_));
  DigestValue key = KeyOf(credential_id);
  sqlite3_bind_blob(st, 1, key.bytes.data(), static_cast<int>(key.size), SQLITE_STATIC);
  sqlite3_bind_text(st, 2, record.org.data(), static_cast<int>(record.org.size()), SQLITE_STATIC);
  sqlite3_bind_blob(st, 3, record.salt.data(), static_cast<int>(record.salt.size()), SQLITE_STATIC);
  if (record.ledger_index)
    sqlite3_bind_int64(st, 4, static_cast<sqlite3_int64>(*record.ledger_index));
  else
    sqlite3_bind_null(st, 4);
  return ledger::StepDone(st, db_, path_.c_str());
}

Status IssuanceRecords::Put(std::string_view credential_id, const IssuanceRecord& record) {
  std::lock_guard<std::mutex> lock(mu_);
  return PutLocked(credential_id, record);
}

Status IssuanceRecords::PutAll(const std::vector<std::pair<std::string, IssuanceRecord>>& records) {
  std::lock_guard<std::mutex> lock(mu_);
  PB_RETURN_IF_ERROR(ledger::ExecSql(db_, "BEGIN IMMEDIATE", path_));
  Status s;
  for (const auto& [id, record] : records)
    if (s = PutLocked(id, record); !s.ok()) break;
  if (s.ok()) s = ledger::ExecSql(db_, "COMMIT", path_);
  if (!s.ok() && !sqlite3_get_autocommit(db_)) ledger::ExecSql(db_, "ROLLBACK", path_).ok();
  return s;
}

Result<Receipt> ReceiptForIssued(IssuanceRecords& records, const ledger::Log& log,
                                 std::string_view credential_id, std::chrono::milliseconds wait) {
  PB_ASSIGN_OR_RETURN(auto record, records.Get(credential_id));
  if (!record || !record->ledger_index)
    return NotFound("no credential with this id was issued here", std::string(credential_id));
  return MakeReceipt(log, *record->ledger_index, record->salt, wait);
}

}  // namespace pathbridge::credentials
