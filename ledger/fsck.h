// fsck: checks a stored log from scratch without trusting any stored hash.
// It re-hashes every entry, recomputes every tile row, and checks every
// stored checkpoint's signature, its root against the recomputed tree, and
// consistency between successive checkpoints. It stops at the first
// corruption and says where; it never repairs anything.
//
// Thread-safety: reads storage only; safe beside a running log.
#pragma once

#include <cstdint>

#include "ledger/note.h"
#include "ledger/storage.h"

namespace pathbridge::ledger {

struct FsckReport {
  uint64_t tree_size = 0;
  uint64_t entries = 0;
  uint64_t tiles = 0;
  uint64_t checkpoints = 0;
  Hash root{};
};

Result<FsckReport> Fsck(Storage& storage, const NoteVerifier& log_key);

}  // namespace pathbridge::ledger
