#include "ledger/verifier.h"

namespace pathbridge::ledger {
namespace {

std::string Line(size_t n) { return "line " + std::to_string(n); }

}  // namespace

std::string FormatProofFile(const ProofFile& file) {
  std::string out(kProofFileHeader);
  out += '\n';
  if (file.extra) out += "extra " + Base64Encode(*file.extra) + "\n";
  out += "index " + std::to_string(file.index) + "\n";
  for (const Hash& h : file.proof) out += Base64Encode(AsBytes(h)) + "\n";
  out += "\n";
  out += file.checkpoint;
  return out;
}

Result<ProofFile> ParseProofFile(std::string_view text) {
  ProofFile file;
  size_t line_no = 0;
  auto next_line = [&](std::string_view& line) -> bool {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return false;
    line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    ++line_no;
    return true;
  };
  std::string_view line;
  if (!next_line(line) || line != kProofFileHeader)
    return InvalidArgument("not a tlog-proof file: the first line must be " +
                               std::string(kProofFileHeader),
                           Line(1));
  if (!next_line(line)) return InvalidArgument("missing index line", Line(2));
  if (line.starts_with("extra ")) {
    auto extra = Base64Decode(line.substr(6));
    if (!extra.ok()) return extra.status().WithContext(Line(line_no));
    file.extra = std::move(*extra);
    if (!next_line(line)) return InvalidArgument("missing index line", Line(line_no + 1));
  }
  if (!line.starts_with("index "))
    return InvalidArgument("expected \"index N\"", Line(line_no));
  auto index = ParseCanonicalDecimal(line.substr(6), "the index");
  if (!index.ok()) return index.status().WithContext(Line(line_no));
  file.index = *index;
  for (;;) {
    if (!next_line(line))
      return InvalidArgument("missing blank line before the checkpoint", Line(line_no + 1));
    if (line.empty()) break;
    if (file.proof.size() >= 64) return InvalidArgument("proof has more than 64 hashes", Line(line_no));
    auto h = HashFromBase64(line, Line(line_no));
    if (!h.ok()) return h.status();
    file.proof.push_back(*h);
  }
  if (text.empty()) return InvalidArgument("missing checkpoint", Line(line_no + 1));
  file.checkpoint = std::string(text);
  return file;
}

Result<VerifiedInclusion> VerifyProofFile(std::string_view text, const NoteVerifier& log,
                                          const WitnessPolicy& policy,
                                          std::optional<ByteSpan> entry) {
  PB_ASSIGN_OR_RETURN(ProofFile file, ParseProofFile(text));
  if (!entry && !file.extra)
    return InvalidArgument("the proof file carries no entry; give the entry separately");
  if (entry && file.extra && !std::equal(entry->begin(), entry->end(), file.extra->begin(),
                                         file.extra->end()))
    return VerificationFailed("the entry given differs from the entry in the proof file");
  ByteSpan data = entry ? *entry : ByteSpan(*file.extra);
  auto checkpoint = VerifyCheckpoint(file.checkpoint, log, policy);
  if (!checkpoint.ok()) return checkpoint.status().WithContext("checkpoint");
  VerifiedInclusion out;
  out.index = file.index;
  out.leaf_hash = ThreadHasher().Leaf(data);
  out.checkpoint = std::move(*checkpoint);
  const Checkpoint& cp = out.checkpoint.checkpoint;
  Status s = VerifyInclusion(file.index, cp.size, out.leaf_hash, file.proof, cp.root);
  if (!s.ok())
    return VerificationFailed("entry " + std::to_string(file.index) +
                              " is not included in the checkpoint of size " +
                              std::to_string(cp.size) + ": " + s.message());
  return out;
}

Status VerifyCheckpointConsistency(std::string_view older, std::string_view newer,
                                   const std::vector<Hash>& proof, const NoteVerifier& log,
                                   const WitnessPolicy& policy) {
  auto a = VerifyCheckpoint(older, log, policy);
  if (!a.ok()) return a.status().WithContext("older checkpoint");
  auto b = VerifyCheckpoint(newer, log, policy);
  if (!b.ok()) return b.status().WithContext("newer checkpoint");
  const Checkpoint& ca = a->checkpoint;
  const Checkpoint& cb = b->checkpoint;
  if (ca.size > cb.size)
    return VerificationFailed("the older checkpoint is larger than the newer one");
  if (ca.size == 0) return proof.empty() ? Status::Ok()
                                         : VerificationFailed("proof from size 0 must be empty");
  return VerifyConsistency(ca.size, cb.size, ca.root, cb.root, proof);
}

}  // namespace pathbridge::ledger
