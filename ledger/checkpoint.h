// C2SP tlog-checkpoint bodies (origin, tree size, base64 root hash, optional
// extension lines) and C2SP tlog-cosignature/v1 witness cosignatures, with a
// k-of-n witness policy.
//
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/hash.h"
#include "ledger/note.h"

namespace pathbridge::ledger {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // lines after the root, without '\n'
};

// Parses a note text (not the signatures) as a checkpoint; errors say which
// line is wrong. Sizes must be canonical decimal; the root 32 bytes.
Result<Checkpoint> ParseCheckpoint(std::string_view text);
std::string FormatCheckpoint(const Checkpoint& checkpoint);

// A witness verifier key for tlog-cosignature/v1 (key type byte 0x04):
// "<name>+<hex id>+<base64(0x04 || pub)>".
class CosignatureVerifier {
 public:
  static Result<CosignatureVerifier> Parse(std::string_view vkey);
  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  // Checks one cosignature (8-byte big-endian timestamp || Ed25519 sig) over
  // the checkpoint text; returns the timestamp.
  Result<uint64_t> Verify(std::string_view checkpoint_text, ByteSpan signature) const;
  std::string ToString() const;

 private:
  std::string name_;
  uint32_t key_id_ = 0;
  certs::Ed25519PublicKey key_{};
};

// Produces a cosignature line for tests and a future witness:
// "— name base64(id || timestamp || sig)\n".
std::string Cosign(std::string_view name, const certs::Ed25519Key& key,
                   std::string_view checkpoint_text, uint64_t timestamp);
// The vkey of a cosigning key.
std::string CosignatureVerifierKey(std::string_view name, const certs::Ed25519PublicKey& key);

struct WitnessPolicy {
  std::vector<CosignatureVerifier> witnesses;
  size_t threshold = 0;  // k of witnesses.size()
};

struct VerifiedCheckpoint {
  Checkpoint checkpoint;
  std::vector<std::string> witnesses;  // names whose cosignature verified
};

// Verifies a signed checkpoint: the log's signature (required), its origin
// (must equal the log verifier's name unless `origin` is given), and at least
// policy.threshold valid witness cosignatures. Cosignatures by keys not in the
// policy are ignored; one under a policy witness's name and id that does not
// verify rejects the note. A threshold above the witness count, or a witness
// listed twice, is an InvalidArgument.
Result<VerifiedCheckpoint> VerifyCheckpoint(std::string_view note_text,
                                            const NoteVerifier& log,
                                            const WitnessPolicy& policy = {},
                                            std::optional<std::string> origin = std::nullopt);

}  // namespace pathbridge::ledger
