// Offline verification, for the CLI, tests and anyone holding a log's public
// key: C2SP tlog-proof files (an entry's inclusion under a signed, optionally
// witnessed checkpoint) and consistency between two signed checkpoints.
//
// The proof file is c2sp.org/tlog-proof@v1. pathbridge puts the entry itself
// in the `extra` line, so a file is self-contained; the entry is
// authenticated by the inclusion proof, not by being in the file.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ledger/checkpoint.h"
#include "ledger/proof.h"

namespace pathbridge::ledger {

inline constexpr std::string_view kProofFileHeader = "c2sp.org/tlog-proof@v1";

struct ProofFile {
  std::optional<Bytes> extra;  // pathbridge: the entry bytes
  uint64_t index = 0;
  std::vector<Hash> proof;
  std::string checkpoint;      // signed note, verbatim
};

std::string FormatProofFile(const ProofFile& file);
// Syntax only; errors name the line.
Result<ProofFile> ParseProofFile(std::string_view text);

struct VerifiedInclusion {
  uint64_t index = 0;
  Hash leaf_hash{};
  VerifiedCheckpoint checkpoint;
};

// Verifies a proof file against the log's key and witness policy. The entry
// is `entry` if given (it must then equal any extra data), else the extra.
Result<VerifiedInclusion> VerifyProofFile(std::string_view text, const NoteVerifier& log,
                                          const WitnessPolicy& policy = {},
                                          std::optional<ByteSpan> entry = std::nullopt);

// Verifies both checkpoints and that `newer` extends `older` by `proof`.
Status VerifyCheckpointConsistency(std::string_view older, std::string_view newer,
                                   const std::vector<Hash>& proof, const NoteVerifier& log,
                                   const WitnessPolicy& policy = {});

}  // namespace pathbridge::ledger
