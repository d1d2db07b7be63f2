// The issuing side's door to the Merkle log: records credential issuances,
// status changes and key events, and hands out receipts. Every entry it
// appends is built and checked by ledger_entry.h (there is no way to append
// other bytes through it), so no name, birth date, student id or credential
// content reaches the public log: a credential enters only as its salted
// commitment.
//
// Issuing, with retries:
//   1. salt = NewSalt(); store it with the issued credential (the holder's
//      receipt needs it, and a retry must reuse it);
//   2. RecordIssued(credential, slot, time, salt) -> index and receipt.
// A retry after a failure or crash (same slot, same salt, any time) finds
// the first entry through the slot's identity key and returns it with
// `duplicate` set; the same slot with another commitment - another
// credential, or the same one under another salt - is AlreadyExists.
//
// Thread-safety: all methods may be called from any thread (Log is
// thread-safe); each blocks until its entry is durable, RecordIssued also
// until a checkpoint covers it (bounded by the receipt wait).
#pragma once

#include <chrono>
#include <span>
#include <vector>

#include "certs/org_registry.h"
#include "ledger/credentials/ledger_entry.h"
#include "ledger/credentials/receipt.h"
#include "ledger/log.h"

namespace pathbridge::credentials {

struct IssuedRecord {
  uint64_t index = 0;
  bool duplicate = false;  // recorded by an earlier attempt
  Receipt receipt;         // carries the salt
};

// One issuance to record: the credential (not owned), its slot and salt.
struct IssueToRecord {
  const SignedCredential* credential = nullptr;
  StatusSlot slot;
  Salt salt{};
};

// The key events an organization's registry implies, oldest first:
// key.added for its first key (at its validFrom), key.rotated for each later
// key (made by rotation: the issuer's key is now this one, at its
// validFrom), and key.revoked for each revoked key (at its revocation).
std::vector<LedgerEntry> KeyEventsOf(const certs::Organization& org);

class CredentialLedger {
 public:
  // `log` must outlive this object.
  explicit CredentialLedger(ledger::Log& log,
                            std::chrono::milliseconds receipt_wait = kDefaultReceiptWait)
      : log_(log), receipt_wait_(receipt_wait) {}

  // Records the issuance of `credential` in `slot` (its issuer and one of
  // its credentialStatus entries, else VerificationFailed) at `time`
  // (RFC 3339 UTC). Unavailable if no checkpoint covers the entry within the
  // receipt wait: the issuance is recorded; call again with the same salt.
  Result<IssuedRecord> RecordIssued(const SignedCredential& credential, const StatusSlot& slot,
                                    std::string time, const Salt& salt);
  // RecordIssued for several credentials (a transcript's): the entries are
  // queued together, so they share group commits and checkpoints, and the
  // call waits once. One result per item, in order; each fails on its own.
  std::vector<Result<IssuedRecord>> RecordIssuedAll(std::span<const IssueToRecord> items,
                                                    std::string time);
  // credential.revoked, .suspended or .reinstated for a slot.
  Result<ledger::AppendResult> RecordStatusChange(EntryType type, StatusSlot slot,
                                                  std::string time);
  // key.added, .rotated or .revoked for an issuer's verification method.
  Result<ledger::AppendResult> RecordKeyEvent(EntryType type, KeyRecord key, std::string time);
  // Every key event `org`'s registry implies (KeyEventsOf), each appended
  // once: an event already in the log is a duplicate, not a new entry.
  // Returns how many were new.
  Result<int> RecordKeyEvents(const certs::Organization& org);

 private:
  Result<ledger::AppendResult> Append(const LedgerEntry& entry);
  Result<LedgerEntry> IssuedEntryFor(const IssueToRecord& item, const std::string& time,
                                     Hash* commitment);
  Result<IssuedRecord> Finish(const IssueToRecord& item, const Hash& commitment,
                              const ledger::AppendResult& appended);

  ledger::Log& log_;
  std::chrono::milliseconds receipt_wait_;
};

}  // namespace pathbridge::credentials
