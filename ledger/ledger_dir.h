// The ledger's place under a data directory (`--data DIR`):
//   DIR/ledger/log.db    the SQLite store (WAL files beside it)
//   DIR/ledger/log.key   the checkpoint signing key, note signer-key form,
//                        mode 0600; made on first use
//   DIR/ledger/log.vkey  its public verifier key (not secret)
// Directories are created with mode 0700.
//
// Thread-safety: the functions are safe to call from any thread; the Log
// they return is thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "ledger/log.h"

namespace pathbridge::ledger {

inline constexpr std::string_view kDefaultOrigin = "localhost/pathbridge";

struct LedgerPaths {
  std::filesystem::path dir, db, key, vkey;
};
LedgerPaths PathsFor(const std::filesystem::path& data_dir);

// Creates `dir` and missing parents; `dir` itself gets mode 0700.
Status MakePrivateDir(const std::filesystem::path& dir);

// Loads the log key, making one named `origin` if there is none yet. An
// existing key keeps its name; `origin` is then only checked if non-empty.
Result<NoteSigner> LoadOrCreateLogKey(const std::filesystem::path& data_dir,
                                      std::string_view origin = {});
// Loads the key without creating anything (NotFound if absent).
Result<NoteSigner> LoadLogKey(const std::filesystem::path& data_dir);

// Opens the stored log for reading beside a running writer; nothing is
// created. NotFound if there is no ledger under data_dir.
Result<std::unique_ptr<Storage>> OpenLedgerStorageForReading(const std::filesystem::path& data_dir);
// The log's public key, from log.vkey.
Result<NoteVerifier> LoadLogVerifier(const std::filesystem::path& data_dir);

// Opens (creating on first use) the log under data_dir, as its only writer.
Result<std::unique_ptr<Log>> OpenLedger(const std::filesystem::path& data_dir,
                                        std::string_view origin = {}, LogOptions options = {});

}  // namespace pathbridge::ledger
