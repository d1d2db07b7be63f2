// The registered OAuth clients of a hub, in DATA/clients.db (SQLite, WAL,
// mode 0600, schema versioned by PRAGMA user_version). A client belongs to
// one organization of the registry (certs/org_registry.h) and holds scopes
// (scopes.h); its secret is shown once, at registration, and stored only
// as an Argon2id hash (secrets.h). A client may be bound to a TLS client
// certificate by its x5t#S256 thumbprint (RFC 8705), and may be disabled;
// clients are never deleted, so an id is never reused.
//
// `pathbridge clients` writes while `pathbridge serve` reads: every call is
// its own transaction and waits up to 5 s for the other process's lock.
//
// Thread-safety: all methods are safe from any thread (one mutex).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/auth/scopes.h"
#include "gateway/auth/secrets.h"
#include "standards/time.h"

struct sqlite3;

namespace pathbridge::gateway::auth {

// DATA/clients.db
std::filesystem::path ClientStorePath(const std::filesystem::path& data_dir);

struct Client {
  std::string client_id;
  std::string org;
  ScopeList scopes;
  std::string secret_hash;  // "$argon2id$..."
  std::optional<std::string> cert_thumbprint;  // x5t#S256: base64url SHA-256 of the DER
  Timestamp created;
  std::optional<Timestamp> disabled;

  bool enabled() const { return !disabled.has_value(); }
};

struct ClientSpec {
  std::string org;
  ScopeList scopes;  // known scopes, at least one
  std::optional<std::string> cert_thumbprint;
};

// A new client and its secret: the only time the secret exists in clear.
struct RegisteredClient {
  Client client;
  std::string client_secret;
};

struct ClientStoreOptions {
  HashLimits hash_limits = InteractiveLimits();
};

class ClientStore {
 public:
  // Opens DATA/clients.db, creating it (mode 0600) if absent; NotFound if
  // there is no directory `data_dir`.
  static Result<std::unique_ptr<ClientStore>> Open(const std::filesystem::path& data_dir,
                                                   ClientStoreOptions options = {});
  ~ClientStore();
  ClientStore(const ClientStore&) = delete;
  ClientStore& operator=(const ClientStore&) = delete;

  // Registers a client of an existing organization (NotFound otherwise)
  // with a fresh random id and secret.
  Result<RegisteredClient> Add(const ClientSpec& spec, Timestamp now);
  // NotFound for an unknown id.
  Result<Client> Find(std::string_view client_id);
  // Every client, oldest first.
  Result<std::vector<Client>> List();
  // Disables a client (for good; a client disabled before keeps its time).
  Result<Client> Disable(std::string_view client_id, Timestamp now);

 private:
  ClientStore(std::filesystem::path data_dir, ClientStoreOptions options);

  std::filesystem::path data_dir_;
  std::string path_;
  ClientStoreOptions options_;
  std::mutex mu_;
  sqlite3* db_ = nullptr;
};

// Checks an x5t#S256 thumbprint: 43 base64url characters, 32 bytes.
Status CheckCertThumbprint(std::string_view thumbprint);

}  // namespace pathbridge::gateway::auth
