// What the hub keeps about each credential it issued, so that a receipt can
// be made again later and an interrupted issuance retried: the
// organization, the salt of the ledger commitment and the ledger index.
// One file per credential, DATA/credentials/issued/<key>.json, mode 0600
// (the salt lets its holder link a credential to its ledger entry), where
// <key> is base64url(SHA-256(credential id)): ids are URLs, not file names.
// No credential content is kept.
//
// Thread-safety: Get and Put may run from many threads; writes are atomic
// (temp file and rename), and a caller that may race on one credential id
// must serialize itself (the issuer does).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/credentials/ledger_entry.h"

namespace pathbridge::credentials {

struct IssuanceRecord {
  std::string org;
  Salt salt{};
  std::optional<uint64_t> ledger_index;  // unset until the issuance is logged
};

class IssuanceRecords {
 public:
  explicit IssuanceRecords(std::filesystem::path data_dir);
  // nullopt if the credential was never issued here.
  Result<std::optional<IssuanceRecord>> Get(std::string_view credential_id) const;
  Status Put(std::string_view credential_id, const IssuanceRecord& record) const;

 private:
  std::filesystem::path FileFor(std::string_view credential_id) const;
  std::filesystem::path dir_;
};

}  // namespace pathbridge::credentials
