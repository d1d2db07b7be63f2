#include "ledger/credentials/receipt.h"

#include <algorithm>

#include <boost/json.hpp>

#include "ledger/verifier.h"
#include "standards/json.h"

namespace pathbridge::credentials {
namespace bj = boost::json;
namespace {

constexpr uint64_t kMaxSafeInteger = (uint64_t{1} << 53) - 1;  // JSON numbers stay exact

Result<LedgerEntry> DecodeIssuedEntry(std::string_view bytes) {
  PB_ASSIGN_OR_RETURN(LedgerEntry entry, DecodeEntry(bytes));
  if (entry.type != EntryType::kCredentialIssued)
    return InvalidArgument("a receipt is for a credential.issued entry, not a " +
                           std::string(EntryTypeName(entry.type)) + " entry");
  return entry;
}

Result<ledger::Checkpoint> ReadCheckpoint(std::string_view signed_note) {
  PB_ASSIGN_OR_RETURN(ledger::Note note, ledger::ParseNote(signed_note));
  return ledger::ParseCheckpoint(note.text);
}

// Messages quote the credential's issuer and other untrusted text; control
// characters are blanked so that none can forge a line of the Summary.
Status Failed(std::string message) {
  for (char& c : message)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return VerificationFailed(std::move(message));
}

Status CheckCommitment(const Salt& salt, const LedgerEntry& entry,
                       const SignedCredential& credential) {
  auto commitment = Commitment(salt, credential);
  if (!commitment.ok())
    return Failed("The credential could not be read to compute its fingerprint: " +
                  commitment.status().ToString());
  if (*commitment != entry.commitment)
    return Failed(
        "This credential is not the one recorded in the ledger: its salted fingerprint differs "
        "from the one in the ledger entry (the credential or the receipt's salt has been "
        "changed).");
  return Status::Ok();
}

Status CheckCredential(const LedgerEntry& entry, const SignedCredential& credential) {
  auto claims = CredentialClaims(credential);
  if (!claims.ok())
    return Failed("The credential could not be read: " + claims.status().ToString());
  Status s = CheckCredentialSlot(*claims, entry.slot);
  if (s.ok()) return s;
  return Failed("The ledger entry does not describe this credential: " + s.message() + ".");
}

Status CheckInclusion(const Receipt& receipt, const ledger::ProofFile& file,
                      const ledger::Checkpoint& cp) {
  if (file.index != receipt.index)
    return Failed("The receipt says the entry is number " + std::to_string(receipt.index) +
                  " in the ledger, but its proof is for entry number " +
                  std::to_string(file.index) + ".");
  if (file.extra && AsChars(*file.extra) != receipt.entry)
    return Failed("The receipt's proof carries a different ledger entry than the receipt.");
  ledger::Hash leaf = ledger::ThreadHasher().Leaf(AsBytes(receipt.entry));
  if (!ledger::VerifyInclusion(file.index, cp.size, leaf, file.proof, cp.root).ok())
    return Failed("The ledger entry is not in the ledger at position " +
                  std::to_string(receipt.index) + ": the inclusion proof does not lead to the " +
                  "signed checkpoint's root (ledger size " + std::to_string(cp.size) + ").");
  return Status::Ok();
}

// The trusted key that signed the checkpoint, or why there is none.
Result<const ledger::NoteVerifier*> TrustedKey(std::string_view note, const std::string& origin,
                                               const ReceiptTrust& trust) {
  Status last;
  for (const ledger::NoteVerifier& key : trust.ledger_keys) {
    if (key.name() != origin) continue;
    auto verified = ledger::VerifyCheckpoint(note, key, trust.witnesses);
    if (verified.ok()) return &key;
    last = verified.status();
  }
  if (last.ok())
    return Failed("The receipt's checkpoint comes from the ledger \"" + origin +
                  "\", and none of the ledger keys you trust is for that ledger.");
  return Failed(
      "The receipt's checkpoint is not validly signed by the ledger key you trust for \"" + origin +
      "\" (" + last.ToString() + ").");
}

Status CheckConsistency(const std::string& receipt_note, uint64_t receipt_size,
                        const KnownCheckpoint& known, const ledger::NoteVerifier* key,
                        const ReceiptTrust& trust) {
  if (key == nullptr)
    return Failed(
        "Consistency with the checkpoint you know cannot be checked, because the "
        "receipt's checkpoint is not signed by a ledger key you trust.");
  auto known_cp = ReadCheckpoint(known.checkpoint);
  if (!known_cp.ok())
    return Failed("The checkpoint you know could not be read: " + known_cp.status().ToString());
  bool receipt_older = receipt_size <= known_cp->size;
  uint64_t old_size = receipt_older ? receipt_size : known_cp->size;
  uint64_t new_size = receipt_older ? known_cp->size : receipt_size;
  if (old_size != new_size && known.consistency_proof.empty())
    return Failed("No consistency proof was given between ledger sizes " +
                  std::to_string(old_size) + " and " + std::to_string(new_size) +
                  "; fetch one from the ledger: GET /ledger/proof/consistency?old=" +
                  std::to_string(old_size) + "&size=" + std::to_string(new_size) + ".");
  Status s = ledger::VerifyCheckpointConsistency(receipt_older ? receipt_note : known.checkpoint,
                                                 receipt_older ? known.checkpoint : receipt_note,
                                                 known.consistency_proof, *key, trust.witnesses);
  if (s.ok()) return s;
  return Failed("The receipt's checkpoint (ledger size " + std::to_string(receipt_size) +
                ") and the checkpoint you know (size " + std::to_string(known_cp->size) +
                ") do not describe the same ledger history, so the ledger may have been " +
                "altered (" + s.ToString() + ").");
}

void Line(std::string& out, const Status& s, std::string_view passed) {
  out += s.ok() ? "ok: " + std::string(passed) : "FAILED: " + s.message();
  out += '\n';
}

}  // namespace

std::string FormatReceipt(const Receipt& receipt) {
  bj::object o;
  o["type"] = kReceiptType;
  o["v"] = kReceiptVersion;
  o["salt"] = Base64UrlEncode(ByteSpan(receipt.salt));
  o["entry"] = receipt.entry;
  o["index"] = receipt.index;
  o["proof"] = receipt.proof;
  return bj::serialize(o);
}

Result<Receipt> ParseReceipt(std::string_view text) {
  static constexpr std::string_view kMembers[] = {"type", "v", "salt", "entry", "index", "proof"};
  json::ParseOptions options;
  options.max_depth = 2;
  options.max_size = kMaxReceiptSize;
  PB_ASSIGN_OR_RETURN(bj::value parsed, json::Parse(text, options));
  if (!parsed.is_object()) return InvalidArgument("a receipt must be a JSON object");
  const bj::object& o = parsed.as_object();
  PB_RETURN_IF_ERROR(json::CheckMembers(o, kMembers, "a receipt"));
  PB_ASSIGN_OR_RETURN(std::string_view type, json::StringMember(o, "type"));
  if (type != kReceiptType)
    return InvalidArgument("must be \"" + std::string(kReceiptType) + "\"", "/type");
  bj::error_code ec;
  if (o.at("v").to_number<int>(ec) != kReceiptVersion || ec)
    return InvalidArgument("unsupported receipt version; this reader knows version 1", "/v");
  Receipt r;
  PB_ASSIGN_OR_RETURN(std::string_view salt_text, json::StringMember(o, "salt"));
  auto salt = Base64UrlDecode(salt_text);
  if (!salt.ok()) return salt.status().WithContext("/salt");
  if (salt->size() != r.salt.size()) return InvalidArgument("must be 32 bytes", "/salt");
  std::copy(salt->begin(), salt->end(), r.salt.begin());
  PB_ASSIGN_OR_RETURN(r.entry, json::StringMember(o, "entry"));
  if (auto entry = DecodeIssuedEntry(r.entry); !entry.ok())
    return entry.status().WithContext("/entry");
  r.index = o.at("index").to_number<uint64_t>(ec);
  if (ec || r.index > kMaxSafeInteger)
    return InvalidArgument("must be an integer from 0 to 2^53 - 1", "/index");
  PB_ASSIGN_OR_RETURN(r.proof, json::StringMember(o, "proof"));
  if (auto proof = ledger::ParseProofFile(r.proof); !proof.ok())
    return proof.status().WithContext("/proof");
  return r;
}

Result<Receipt> MakeReceipt(const ledger::Log& log, uint64_t index, const Salt& salt,
                            std::chrono::milliseconds wait) {
  PB_ASSIGN_OR_RETURN(Bytes entry, log.ReadEntry(index));
  PB_RETURN_IF_ERROR(DecodeIssuedEntry(AsChars(entry)).status());
  auto cp = log.AwaitCheckpoint(index + 1, wait);
  if (!cp.ok())
    return Status(Code::kUnavailable,
                  "entry " + std::to_string(index) + " is recorded, but no checkpoint covered it " +
                      "within " + std::to_string(wait.count()) + " ms; ask for the receipt again");
  ledger::ProofFile file;
  file.index = index;
  PB_ASSIGN_OR_RETURN(file.proof, log.InclusionProof(index, (*cp)->size));
  file.checkpoint = (*cp)->note;
  Receipt r;
  r.salt = salt;
  r.entry = std::string(AsChars(entry));
  r.index = index;
  r.proof = ledger::FormatProofFile(file);
  return r;
}

bool ReceiptCheck::ok() const {
  return commitment.ok() && credential.ok() && inclusion.ok() && checkpoint.ok() &&
         (!consistency || consistency->ok());
}

std::string ReceiptCheck::Summary() const {
  std::string out;
  Line(out, commitment, "The credential matches the fingerprint recorded in the ledger.");
  Line(out, credential, "The ledger entry names this credential's issuer and status entry.");
  Line(out, inclusion, "The ledger entry is included in the ledger's signed checkpoint.");
  Line(out, checkpoint, "The checkpoint is signed by the ledger key you trust.");
  if (consistency)
    Line(out, *consistency, "The checkpoint agrees with the checkpoint you already know.");
  return out;
}

Result<ReceiptCheck> VerifyReceipt(const Receipt& receipt, const SignedCredential& credential,
                                   const ReceiptTrust& trust) {
  ReceiptCheck check;
  PB_ASSIGN_OR_RETURN(check.entry, DecodeIssuedEntry(receipt.entry));
  PB_ASSIGN_OR_RETURN(ledger::ProofFile file, ledger::ParseProofFile(receipt.proof));
  check.commitment = CheckCommitment(receipt.salt, check.entry, credential);
  check.credential = CheckCredential(check.entry, credential);
  auto cp = ReadCheckpoint(file.checkpoint);
  if (!cp.ok()) {
    check.inclusion = check.checkpoint =
        Failed("The receipt's checkpoint could not be read: " + cp.status().ToString());
    if (trust.known) check.consistency = check.checkpoint;
    return check;
  }
  check.checkpoint_size = cp->size;
  check.inclusion = CheckInclusion(receipt, file, *cp);
  auto key = TrustedKey(file.checkpoint, cp->origin, trust);
  check.checkpoint = key.status();
  if (trust.known)
    check.consistency =
        CheckConsistency(file.checkpoint, cp->size, *trust.known, key.ok() ? *key : nullptr, trust);
  return check;
}

}  // namespace pathbridge::credentials
