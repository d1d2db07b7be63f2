#include "gateway/auth/client_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "certs/org_registry.h"
#include "ledger/sqlite_util.h"
#include "standards/encoding.h"

namespace pathbridge::gateway::auth {
namespace {

constexpr int kApplicationId = 0x7062636c;  // "pbcl"
constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE clients(
  client_id TEXT PRIMARY KEY NOT NULL,
  org TEXT NOT NULL,
  scopes TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  cert_thumbprint TEXT,
  created INTEGER NOT NULL,
  disabled INTEGER) STRICT;
)sql";

constexpr const char* kColumns =
    "client_id, org, scopes, secret_hash, cert_thumbprint, created, disabled";

using StmtPtr = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

Result<StmtPtr> Prepare(sqlite3* db, const std::string& sql, const std::string& where) {
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
  if (rc != SQLITE_OK) return ledger::SqliteError(db, rc, where);
  return StmtPtr(st, sqlite3_finalize);
}

void BindText(sqlite3_stmt* st, int i, std::string_view text) {
  sqlite3_bind_text(st, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

Result<Client> ReadClient(sqlite3_stmt* st, const std::string& where) {
  Client c;
  c.client_id = ledger::ColumnText(st, 0);
  c.org = ledger::ColumnText(st, 1);
  auto scopes = ParseScopeParameter(ledger::ColumnText(st, 2));
  if (!scopes.ok()) return Corruption("client " + c.client_id + ": " + scopes.status().message(), where);
  c.scopes = std::move(*scopes);
  c.secret_hash = ledger::ColumnText(st, 3);
  if (sqlite3_column_type(st, 4) != SQLITE_NULL) c.cert_thumbprint = ledger::ColumnText(st, 4);
  c.created = {sqlite3_column_int64(st, 5), 0};
  if (sqlite3_column_type(st, 6) != SQLITE_NULL) c.disabled = Timestamp{sqlite3_column_int64(st, 6), 0};
  return c;
}

// SQLite would create the file with the umask's mode; the hashes in it are
// nobody else's business, so it is made 0600 first (WAL files copy it).
Status CreatePrivateFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(std::strerror(errno), path);
  ::close(fd);
  return Status::Ok();
}

}  // namespace

std::filesystem::path ClientStorePath(const std::filesystem::path& data_dir) {
  return data_dir / "clients.db";
}

Status CheckCertThumbprint(std::string_view thumbprint) {
  auto bytes = Base64UrlDecode(thumbprint);
  if (!bytes.ok() || bytes->size() != 32)
    return InvalidArgument(
        "a certificate thumbprint is x5t#S256: the base64url SHA-256 of the DER (43 characters)",
        "cert_thumbprint");
  return Status::Ok();
}

ClientStore::ClientStore(std::filesystem::path data_dir, ClientStoreOptions options)
    : data_dir_(std::move(data_dir)),
      path_(ClientStorePath(data_dir_).string()),
      options_(options) {}

ClientStore::~ClientStore() { sqlite3_close_v2(db_); }

Result<std::unique_ptr<ClientStore>> ClientStore::Open(const std::filesystem::path& data_dir,
                                                       ClientStoreOptions options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir, ec))
    return NotFound("no data directory here", data_dir.string());
  std::unique_ptr<ClientStore> s(new ClientStore(data_dir, options));
  PB_RETURN_IF_ERROR(CreatePrivateFile(s->path_));
  int rc = sqlite3_open_v2(s->path_.c_str(), &s->db_,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return ledger::SqliteError(s->db_, rc, s->path_);
  sqlite3_busy_timeout(s->db_, 5000);
  PB_RETURN_IF_ERROR(
      ledger::ExecSql(s->db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", s->path_));
  PB_RETURN_IF_ERROR(
      ledger::InitSchema(s->db_, {kApplicationId, kSchemaVersion, kSchema, "clients"}, s->path_));
  return s;
}

Result<RegisteredClient> ClientStore::Add(const ClientSpec& spec, Timestamp now) {
  if (spec.scopes.empty()) return InvalidArgument("a client needs at least one scope", "scopes");
  PB_ASSIGN_OR_RETURN(ScopeList scopes, ParseScopeParameter(FormatScopes(spec.scopes)));
  if (spec.cert_thumbprint) PB_RETURN_IF_ERROR(CheckCertThumbprint(*spec.cert_thumbprint));
  PB_RETURN_IF_ERROR(certs::LoadOrganization(data_dir_, spec.org).status());
  RegisteredClient out;
  out.client_secret = RandomToken(kSecretBytes);
  PB_ASSIGN_OR_RETURN(std::string hash, HashSecret(out.client_secret, options_.hash_limits));
  out.client = {RandomClientId(), spec.org, std::move(scopes), std::move(hash),
                spec.cert_thumbprint, {now.seconds, 0}, std::nullopt};
  const Client& c = out.client;
  std::lock_guard<std::mutex> lock(mu_);
  PB_ASSIGN_OR_RETURN(StmtPtr st, Prepare(db_, std::string("INSERT INTO clients(") + kColumns +
                                                   ") VALUES(?,?,?,?,?,?,NULL)",
                                          path_));
  BindText(st.get(), 1, c.client_id);
  BindText(st.get(), 2, c.org);
  BindText(st.get(), 3, FormatScopes(c.scopes));
  BindText(st.get(), 4, c.secret_hash);
  if (c.cert_thumbprint) BindText(st.get(), 5, *c.cert_thumbprint);
  sqlite3_bind_int64(st.get(), 6, c.created.seconds);
  PB_RETURN_IF_ERROR(ledger::StepDone(st.get(), db_, path_.c_str()));
  return out;
}

Result<Client> ClientStore::Find(std::string_view client_id) {
  if (client_id.empty() || client_id.size() > kMaxClientIdLength)
    return NotFound("no such client", "client_id");
  std::lock_guard<std::mutex> lock(mu_);
  PB_ASSIGN_OR_RETURN(
      StmtPtr st,
      Prepare(db_, std::string("SELECT ") + kColumns + " FROM clients WHERE client_id = ?", path_));
  BindText(st.get(), 1, client_id);
  int rc = sqlite3_step(st.get());
  if (rc == SQLITE_DONE) return NotFound("no such client", "client_id");
  if (rc != SQLITE_ROW) return ledger::SqliteError(db_, rc, path_);
  return ReadClient(st.get(), path_);
}

Result<std::vector<Client>> ClientStore::List() {
  std::lock_guard<std::mutex> lock(mu_);
  PB_ASSIGN_OR_RETURN(StmtPtr st, Prepare(db_,
                                          std::string("SELECT ") + kColumns +
                                              " FROM clients ORDER BY created, client_id",
                                          path_));
  std::vector<Client> out;
  for (int rc; (rc = sqlite3_step(st.get())) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) return ledger::SqliteError(db_, rc, path_);
    PB_ASSIGN_OR_RETURN(Client c, ReadClient(st.get(), path_));
    out.push_back(std::move(c));
  }
  return out;
}

Result<Client> ClientStore::Disable(std::string_view client_id, Timestamp now) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    PB_ASSIGN_OR_RETURN(
        StmtPtr st,
        Prepare(db_, "UPDATE clients SET disabled = ? WHERE client_id = ? AND disabled IS NULL",
                path_));
    sqlite3_bind_int64(st.get(), 1, now.seconds);
    BindText(st.get(), 2, client_id);
    PB_RETURN_IF_ERROR(ledger::StepDone(st.get(), db_, path_.c_str()));
  }
  return Find(client_id);
}

}  // namespace pathbridge::gateway::auth
