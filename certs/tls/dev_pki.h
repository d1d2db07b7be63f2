// The development PKI that `pathbridge certs init` and the first run of
// `pathbridge serve` make under DATA/pki, so HTTPS and mutual TLS work out
// of the box without anything secret in the repository:
//   pki/ca.pem, ca.key          a P-256 CA ("pathbridge development CA")
//   pki/server.pem, server.key  localhost, 127.0.0.1, ::1 and extra hosts
//   pki/clients/NAME.pem, .key  CN=NAME, SAN URI urn:pathbridge:org:ORG
// Keys are written 0600 and certificates 0644, each through a temp file and
// rename; the pki and clients folders are made 0700. Production deployments
// give the server their own PEM files instead (see docs/operations.md).
//
// Thread-safety: functions over files; concurrent writers of one folder race.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "standards/status.h"

namespace pathbridge::certs {

struct DevPkiLayout {
  explicit DevPkiLayout(const std::filesystem::path& pki_dir);
  std::filesystem::path ClientCert(std::string_view name) const;
  std::filesystem::path ClientKey(std::string_view name) const;

  std::filesystem::path dir, ca_cert, ca_key, server_cert, server_key, clients_dir;
};

struct DevClient {
  std::string name;    // file name and subject CN: an organization id's syntax
  std::string org_id;  // put in the urn:pathbridge:org: URI; empty: none
};

struct DevPkiOptions {
  std::vector<std::string> extra_hosts;  // beyond localhost, 127.0.0.1, ::1
  std::vector<DevClient> clients;
  bool force = false;  // replace files that exist (otherwise kAlreadyExists)
};

// Makes a new CA, the server certificate and each client's. Before writing
// anything, refuses (kAlreadyExists, naming the file) if a file it would
// write exists, unless `force`.
Result<DevPkiLayout> MakeDevPki(const std::filesystem::path& pki_dir,
                                const DevPkiOptions& options);
// Issues one more client certificate from the CA already in `pki_dir`.
Status AddDevClient(const std::filesystem::path& pki_dir, const DevClient& client, bool force);
// For `serve`: makes the PKI with the defaults if `pki_dir` holds none of
// its CA and server files (returns true), accepts a complete one (false),
// and refuses a partial one (kFailedPrecondition).
Result<bool> EnsureDevPki(const std::filesystem::path& pki_dir);

}  // namespace pathbridge::certs
