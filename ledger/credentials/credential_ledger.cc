#include "ledger/credentials/credential_ledger.h"

namespace pathbridge::credentials {

Result<ledger::AppendResult> CredentialLedger::Append(const LedgerEntry& entry) {
  PB_ASSIGN_OR_RETURN(std::string bytes, EncodeEntry(entry));
  return log_.Append(AsBytes(bytes), IdentityKey(entry));
}

Result<IssuedRecord> CredentialLedger::RecordIssued(const SignedCredential& credential,
                                                    const StatusSlot& slot, std::string time,
                                                    const Salt& salt) {
  PB_ASSIGN_OR_RETURN(boost::json::object claims, CredentialClaims(credential));
  PB_RETURN_IF_ERROR(CheckCredentialSlot(claims, slot));
  PB_ASSIGN_OR_RETURN(Hash commitment, Commitment(salt, credential));
  PB_ASSIGN_OR_RETURN(ledger::AppendResult appended,
                      Append(IssuedEntry(commitment, slot, std::move(time))));
  if (appended.duplicate) {
    // The slot's identity key found an earlier entry: a retry only if it
    // commits to this credential under this salt.
    PB_ASSIGN_OR_RETURN(Bytes existing, log_.ReadEntry(appended.index));
    PB_ASSIGN_OR_RETURN(LedgerEntry earlier, DecodeEntry(AsChars(existing)));
    if (earlier.type != EntryType::kCredentialIssued || earlier.commitment != commitment)
      return Status(Code::kAlreadyExists,
                    "index " + std::to_string(slot.status_index) + " of status list " +
                        slot.status_list + " is already recorded (entry " +
                        std::to_string(appended.index) +
                        ") for another credential, or for this one under another salt");
  }
  PB_ASSIGN_OR_RETURN(Receipt receipt, MakeReceipt(log_, appended.index, salt, receipt_wait_));
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
