#include "ledger/credentials/credential_ledger.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "certs/multikey.h"

namespace pathbridge::credentials {

std::vector<LedgerEntry> KeyEventsOf(const certs::Organization& org) {
  std::vector<LedgerEntry> events;
  for (size_t i = 0; i < org.keys.size(); ++i) {
    const certs::OrgKey& k = org.keys[i];
    KeyRecord record{org.DidOf(k), org.MethodUrl(k), certs::Ed25519PublicKeyMultibase(k.public_key)};
    events.push_back(KeyEventEntry(i == 0 ? EntryType::kKeyAdded : EntryType::kKeyRotated, record,
                                   k.valid_from));
    if (!k.revoked.empty()) events.push_back(KeyEventEntry(EntryType::kKeyRevoked, record, k.revoked));
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const LedgerEntry& a, const LedgerEntry& b) { return a.time < b.time; });
  return events;
}

Result<int> CredentialLedger::RecordKeyEvents(const certs::Organization& org) {
  int added = 0;
  for (const LedgerEntry& e : KeyEventsOf(org)) {
    PB_ASSIGN_OR_RETURN(ledger::AppendResult r, Append(e));
    added += r.duplicate ? 0 : 1;
  }
  return added;
}

Result<ledger::AppendResult> CredentialLedger::Append(const LedgerEntry& entry) {
  PB_ASSIGN_OR_RETURN(std::string bytes, EncodeEntry(entry));
  return log_.Append(AsBytes(bytes), IdentityKey(entry));
}

Result<IssuedRecord> CredentialLedger::RecordIssued(const SignedCredential& credential,
                                                    const StatusSlot& slot, std::string time,
                                                    const Salt& salt) {
  const IssueToRecord item{&credential, slot, salt};
  std::vector<Result<IssuedRecord>> one = RecordIssuedAll({&item, 1}, std::move(time));
  return std::move(one.front());
}

std::vector<Result<IssuedRecord>> CredentialLedger::RecordIssuedAll(
    std::span<const IssueToRecord> items, std::string time) {
  std::vector<Hash> commitments(items.size());
  std::vector<std::optional<Result<ledger::AppendResult>>> appended(items.size());
  std::vector<Status> refused(items.size());
  // Every entry queued at once: they share group commits, and none waits on
  // a thread of its own.
  std::mutex mu;
  std::condition_variable done;
  size_t pending = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    Result<LedgerEntry> entry = IssuedEntryFor(items[i], time, &commitments[i]);
    Result<std::string> bytes = entry.ok() ? EncodeEntry(*entry) : entry.status();
    if (!bytes.ok()) {
      refused[i] = bytes.status();
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      ++pending;
    }
    log_.AppendAsync(Bytes(bytes->begin(), bytes->end()), IdentityKey(*entry),
                     [&, i](Result<ledger::AppendResult> r) {
                       std::lock_guard<std::mutex> lock(mu);
                       appended[i] = std::move(r);
                       if (--pending == 0) done.notify_all();
                     });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    done.wait(lock, [&] { return pending == 0; });
  }
  std::vector<Result<IssuedRecord>> out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!refused[i].ok()) out.emplace_back(refused[i]);
    else if (!appended[i]->ok()) out.emplace_back(appended[i]->status());
    else out.push_back(Finish(items[i], commitments[i], **appended[i]));
  }
  return out;
}

Result<LedgerEntry> CredentialLedger::IssuedEntryFor(const IssueToRecord& item,
                                                     const std::string& time, Hash* commitment) {
  PB_ASSIGN_OR_RETURN(boost::json::object claims, CredentialClaims(*item.credential));
  PB_RETURN_IF_ERROR(CheckCredentialSlot(claims, item.slot));
  PB_ASSIGN_OR_RETURN(*commitment, Commitment(item.salt, *item.credential));
  return IssuedEntry(*commitment, item.slot, time);
}

// The receipt for an appended issuance; a duplicate is a retry only if it
// commits to this credential under this salt.
Result<IssuedRecord> CredentialLedger::Finish(const IssueToRecord& item, const Hash& commitment,
                                              const ledger::AppendResult& appended) {
  if (appended.duplicate) {
    // The slot's identity key found an earlier entry.
    PB_ASSIGN_OR_RETURN(Bytes existing, log_.ReadEntry(appended.index));
    PB_ASSIGN_OR_RETURN(LedgerEntry earlier, DecodeEntry(AsChars(existing)));
    if (earlier.type != EntryType::kCredentialIssued || earlier.commitment != commitment)
      return Status(Code::kAlreadyExists,
                    "index " + std::to_string(item.slot.status_index) + " of status list " +
                        item.slot.status_list + " is already recorded (entry " +
                        std::to_string(appended.index) +
                        ") for another credential, or for this one under another salt");
  }
  PB_ASSIGN_OR_RETURN(Receipt receipt, MakeReceipt(log_, appended.index, item.salt, receipt_wait_));
  return IssuedRecord{appended.index, appended.duplicate, std::move(receipt)};
}

Result<ledger::AppendResult> CredentialLedger::RecordStatusChange(EntryType type, StatusSlot slot,
                                                                  std::string time) {
  if (!IsStatusChange(type))
    return InvalidArgument("not a status change: " + std::string(EntryTypeName(type)), "type");
  return Append(StatusChangeEntry(type, std::move(slot), std::move(time)));
}

Result<ledger::AppendResult> CredentialLedger::RecordKeyEvent(EntryType type, KeyRecord key,
                                                              std::string time) {
  if (!IsKeyEvent(type))
    return InvalidArgument("not a key event: " + std::string(EntryTypeName(type)), "type");
  return Append(KeyEventEntry(type, std::move(key), std::move(time)));
}

}  // namespace pathbridge::credentials
