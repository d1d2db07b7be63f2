// Ledger receipts: what a credential's holder keeps to show, to anyone who
// holds the ledger's public key, that the credential was recorded in the
// ledger - offline, without asking the hub. A receipt is JSON:
//
//   {"type":"PathbridgeLedgerReceipt","v":1,
//    "salt":"<base64url, 32 bytes>",
//    "entry":"<the credential.issued entry, its JCS text as logged>",
//    "index":<the entry's index in the log>,
//    "proof":"<c2sp.org/tlog-proof@v1 text: index, inclusion proof, signed checkpoint>"}
//
// The proof is written by ledger/verifier.h without the `extra` line (the
// entry is beside it), so `pathbridge ledger verify-proof --entry` checks it
// too. The salt is what lets the holder - and whoever they show the
// credential to - recompute the entry's commitment; the log alone reveals
// nothing about the credential.
//
// Verifying a receipt for a credential checks, each on its own:
//   commitment  SHA-256(salt || credential bytes) equals the entry's commitment
//   credential  the entry's issuer and status slot are the credential's
//   inclusion   the entry is at `index` under the checkpoint's root
//   checkpoint  the checkpoint is signed by a ledger key the verifier trusts
//               (and cosigned by enough witnesses, under a policy)
//   consistency only when the verifier knows a newer (or older) checkpoint of
//               the ledger: both describe one history. The proof between
//               the two sizes comes from the gateway,
//               GET /ledger/proof/consistency?old=<smaller>&size=<larger>,
//               and is passed in NewerCheckpoint; the verifier need not
//               trust the gateway, the proof checks against both
//               signed roots.
// It does not check the credential's own signature (the proof suites do).
//
// Thread-safety: value types and pure functions; MakeReceipt only reads the
// Log, which is thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "ledger/checkpoint.h"
#include "ledger/credentials/ledger_entry.h"
#include "ledger/log.h"

namespace pathbridge::credentials {

inline constexpr std::string_view kReceiptType = "PathbridgeLedgerReceipt";
inline constexpr int kReceiptVersion = 1;
// A receipt is a few KiB; the bound leaves room for many witness
// cosignatures on the checkpoint.
inline constexpr size_t kMaxReceiptSize = 256 * 1024;
// How long MakeReceipt waits for a checkpoint by default: many times the
// log's checkpoint interval (50 ms).
inline constexpr std::chrono::milliseconds kDefaultReceiptWait{5000};

struct Receipt {
  Salt salt{};
  std::string entry;  // the logged entry's bytes
  uint64_t index = 0;
  std::string proof;  // c2sp.org/tlog-proof@v1
  bool operator==(const Receipt&) const = default;
};

std::string FormatReceipt(const Receipt& receipt);
// Strict: exactly the members above, type and version as written, a 32-byte
// salt, a credential.issued entry (DecodeEntry), an index up to 2^53 - 1 and
// a proof that parses. Errors name the member.
Result<Receipt> ParseReceipt(std::string_view json);

// The receipt for the credential.issued entry at `index`, as logged (read
// back from the log, so the receipt holds exactly the bytes the tree
// commits to). Waits up to `wait` for a checkpoint covering the entry;
// Unavailable if none comes in time (the entry stays recorded: ask again).
Result<Receipt> MakeReceipt(const ledger::Log& log, uint64_t index, const Salt& salt,
                            std::chrono::milliseconds wait = kDefaultReceiptWait);

// A checkpoint of the same ledger that the verifier already trusts (a
// newer one, typically), and the RFC 9162 consistency proof between the
// two tree sizes, smaller to larger (empty when the sizes are equal).
struct KnownCheckpoint {
  std::string checkpoint;  // signed note
  std::vector<ledger::Hash> consistency_proof;
};

struct ReceiptTrust {
  // The ledger's checkpoint keys (note verifier keys, `pathbridge ledger
  // key`); the one named like the checkpoint's origin is used.
  std::vector<ledger::NoteVerifier> ledger_keys;
  ledger::WitnessPolicy witnesses;
  std::optional<KnownCheckpoint> known;
};

// One result per check; a failed check's message is plain language for a
// registrar ("This credential is not the one recorded in the ledger...").
struct ReceiptCheck {
  Status commitment;
  Status credential;
  Status inclusion;
  Status checkpoint;
  std::optional<Status> consistency;  // set when ReceiptTrust::known is
  LedgerEntry entry;                  // what the ledger recorded
  uint64_t checkpoint_size = 0;       // 0 if the checkpoint is unreadable

  bool ok() const;
  // One line per check, "ok: ..." or "FAILED: ...".
  std::string Summary() const;
};

// Errors only for a receipt that cannot be checked at all (its entry is not
// a credential.issued entry, its proof does not parse); every other problem
// is a failed check in the ReceiptCheck.
Result<ReceiptCheck> VerifyReceipt(const Receipt& receipt, const SignedCredential& credential,
                                   const ReceiptTrust& trust);

}  // namespace pathbridge::credentials
