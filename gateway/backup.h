// `pathbridge backup`: a consistent copy of a hub's data directory, taken
// while the server runs (no downtime). The directory holds SQLite databases
// (the ledger, status lists, issuance records, OAuth clients) and files
// (keys, organizations, published status lists, the development PKI).
//
// Each database is copied with SQLite's online backup API (a snapshot, even
// while the server writes); files are copied with their modes (secrets stay
// 0600). The stores are separate, so one copy of each could mix moments (a
// revocation in the ledger but not yet in the status store); a backup is
// therefore kept only if nothing in the directory changed while it was
// taken (each database's PRAGMA data_version, each file's size and mtime),
// and retried otherwise. Skipped: tmp/ (spool and scratch), SQLite's -wal,
// -shm and -journal files (folded into the copies), *.lock and *.tmp.
//
// The copy is written under DEST.partial-<pid>, fsynced, its ledger checked
// from scratch (ledger::Fsck), then renamed to DEST, which must not exist:
// nothing half-written is left behind. DEST/backup.json says what it holds.
//
// Thread-safety: one call at a time per destination; it only reads `data`.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "standards/status.h"

namespace pathbridge::gateway {

struct BackupOptions {
  int attempts = 5;  // copies tried before giving up on a busy hub
  std::chrono::milliseconds retry_delay{200};
  // Runs after each copy, before the check for changes (tests change the
  // data here to see the copy retried).
  std::function<void(int attempt)> after_copy;
};

struct BackupReport {
  int databases = 0;
  int files = 0;
  uint64_t bytes = 0;
  int attempts = 0;
  uint64_t ledger_size = 0;  // entries, checked by fsck (0: no ledger)
  std::string ledger_root;   // base64 root hash at ledger_size
};

Result<BackupReport> BackupDataDir(const std::filesystem::path& data,
                                   const std::filesystem::path& dest, BackupOptions options = {});

}  // namespace pathbridge::gateway
