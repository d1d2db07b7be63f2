#include "ledger/checkpoint.h"

#include <algorithm>
#include <set>
#include <utility>

namespace pathbridge::ledger {

namespace {

constexpr uint64_t kMaxTimestamp = (uint64_t{1} << 63) - 1;  // tlog-cosignature limit

std::string LineWhere(size_t line) { return "line " + std::to_string(line); }

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');  // CheckNoteText guarantees a final '\n'
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  return lines;
}

Result<uint64_t> ParseSize(std::string_view s) {
  auto size = ParseCanonicalDecimal(s, "tree size");
  if (!size.ok()) return size.status().WithContext(LineWhere(2));
  return size;
}

std::string CosignedMessage(std::string_view checkpoint_text, uint64_t timestamp) {
  std::string msg = "cosignature/v1\ntime " + std::to_string(timestamp) + "\n";
  msg.append(checkpoint_text);
  return msg;
}

std::string HexId(uint32_t id) {
  Bytes b;
  for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<uint8_t>(id >> shift));
  return HexEncode(b);
}

Status CheckPolicy(const WitnessPolicy& policy) {
  if (policy.threshold > policy.witnesses.size())
    return InvalidArgument("witness threshold " + std::to_string(policy.threshold) +
                           " exceeds the " + std::to_string(policy.witnesses.size()) +
                           " witnesses");
  // A witness listed twice must not count twice towards the threshold.
  std::set<std::pair<std::string, uint32_t>> keys;
  for (const auto& w : policy.witnesses)
    if (!keys.insert({w.name(), w.key_id()}).second)
      return InvalidArgument("witness " + w.name() + " is listed twice");
  return Status::Ok();
}

// Whether `witness` cosigned; any signature line under its name and id
// must verify (a bad one rejects the note, as for the log's signature).
Result<bool> WitnessCosigned(const Note& note, const CosignatureVerifier& witness) {
  bool any = false;
  for (size_t i = 0; i < note.signatures.size(); ++i) {
    const NoteSignature& sig = note.signatures[i];
    if (sig.name != witness.name() || sig.key_id != witness.key_id()) continue;
    auto ts = witness.Verify(note.text, sig.signature);
    if (!ts.ok())
      return VerificationFailed("invalid cosignature by witness " + witness.name(),
                                "signature " + std::to_string(i + 1));
    any = true;
  }
  return any;
}

}  // namespace

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  PB_RETURN_IF_ERROR(CheckNoteText(text));
  std::vector<std::string_view> lines = SplitLines(text);
  if (lines.size() < 3)
    return InvalidArgument("checkpoint needs origin, tree size and root hash lines",
                           LineWhere(lines.size() + 1));
  Checkpoint cp;
  if (lines[0].empty()) return InvalidArgument("origin is empty", LineWhere(1));
  cp.origin = std::string(lines[0]);
  PB_ASSIGN_OR_RETURN(cp.size, ParseSize(lines[1]));
  auto root = HashFromBase64(lines[2], "root hash");
  if (!root.ok()) return InvalidArgument(root.status().ToString(), LineWhere(3));
  cp.root = *root;
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return InvalidArgument("extension line is empty", LineWhere(i + 1));
    cp.extensions.emplace_back(lines[i]);
  }
  return cp;
}

std::string FormatCheckpoint(const Checkpoint& checkpoint) {
  std::string out = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                    Base64Encode(AsBytes(checkpoint.root)) + "\n";
  for (const auto& e : checkpoint.extensions) out += e + "\n";
  return out;
}

// ---- Cosignatures ----

Result<CosignatureVerifier> CosignatureVerifier::Parse(std::string_view vkey) {
  PB_ASSIGN_OR_RETURN(VerifierKey k, ParseVerifierKey(vkey));
  if (k.type != kCosignatureV1SignatureType)
    return InvalidArgument("witness key type must be 0x04 (cosignature/v1)", "key data");
  if (k.public_key.size() != 32)
    return InvalidArgument("an Ed25519 key must be 32 bytes", "key data");
  CosignatureVerifier v;
  v.name_ = std::move(k.name);
  v.key_id_ = k.key_id;
  std::copy(k.public_key.begin(), k.public_key.end(), v.key_.begin());
  return v;
}

Result<uint64_t> CosignatureVerifier::Verify(std::string_view checkpoint_text,
                                             ByteSpan signature) const {
  if (signature.size() != 8 + 64)
    return VerificationFailed("a cosignature is an 8-byte timestamp and a 64-byte signature");
  uint64_t ts = 0;
  for (size_t i = 0; i < 8; ++i) ts = ts << 8 | signature[i];
  if (ts > kMaxTimestamp) return VerificationFailed("cosignature timestamp exceeds 2^63-1");
  std::string msg = CosignedMessage(checkpoint_text, ts);
  if (!certs::VerifyEd25519(key_, AsBytes(msg), signature.subspan(8)))
    return VerificationFailed("invalid cosignature by " + name_);
  return ts;
}

std::string CosignatureVerifier::ToString() const {
  return FormatVerifierKey(name_, kCosignatureV1SignatureType, key_);
}

std::string Cosign(std::string_view name, const certs::Ed25519Key& key,
                   std::string_view checkpoint_text, uint64_t timestamp) {
  uint32_t id = KeyId(name, kCosignatureV1SignatureType, key.public_key());
  std::string msg = CosignedMessage(checkpoint_text, timestamp);
  auto sig = key.Sign(AsBytes(msg));
  Bytes raw;
  for (int shift = 24; shift >= 0; shift -= 8) raw.push_back(static_cast<uint8_t>(id >> shift));
  for (int shift = 56; shift >= 0; shift -= 8)
    raw.push_back(static_cast<uint8_t>(timestamp >> shift));
  raw.insert(raw.end(), sig.begin(), sig.end());
  return "\xe2\x80\x94 " + std::string(name) + " " + Base64Encode(raw) + "\n";
}

std::string CosignatureVerifierKey(std::string_view name, const certs::Ed25519PublicKey& key) {
  return FormatVerifierKey(name, kCosignatureV1SignatureType, key);
}

// ---- Verification ----

Result<VerifiedCheckpoint> VerifyCheckpoint(std::string_view note_text, const NoteVerifier& log,
                                            const WitnessPolicy& policy,
                                            std::optional<std::string> origin) {
  PB_RETURN_IF_ERROR(CheckPolicy(policy));
  PB_ASSIGN_OR_RETURN(Note note, ParseNote(note_text));
  auto by_log = VerifyNote(note, {log});
  if (!by_log.ok())
    return VerificationFailed("checkpoint not signed by log " + log.name() + "+" +
                              HexId(log.key_id()) + ": " + by_log.status().message(),
                              by_log.status().where());
  VerifiedCheckpoint out;
  PB_ASSIGN_OR_RETURN(out.checkpoint, ParseCheckpoint(note.text));
  const std::string& want = origin ? *origin : log.name();
  if (out.checkpoint.origin != want)
    return VerificationFailed("checkpoint origin '" + out.checkpoint.origin +
                              "' is not the expected '" + want + "'", LineWhere(1));
  for (const auto& w : policy.witnesses) {
    PB_ASSIGN_OR_RETURN(bool cosigned, WitnessCosigned(note, w));
    if (cosigned) out.witnesses.push_back(w.name());
  }
  if (out.witnesses.size() < policy.threshold)
    return VerificationFailed("checkpoint has " + std::to_string(out.witnesses.size()) +
                              " valid witness cosignatures, policy needs " +
                              std::to_string(policy.threshold));
  return out;
}

}  // namespace pathbridge::ledger
