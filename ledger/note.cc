#include "ledger/note.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "ledger/hash.h"

namespace pathbridge::ledger {

namespace {

constexpr std::string_view kSigPrefix = "\xe2\x80\x94 ";  // em dash, space
constexpr std::string_view kPrivatePrefix = "PRIVATE+KEY+";
// Go's sumdb/note stops at 100; C2SP requires accepting at least 16.
constexpr size_t kMaxSignatures = 100;

std::string LineWhere(size_t line) { return "line " + std::to_string(line); }

std::string HexId(uint32_t id) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", id);
  return buf;
}

// Go's unicode.IsSpace: ASCII and Latin-1 spaces plus the White_Space set.
bool IsSpace(uint32_t r) {
  switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case 0x85: case 0xa0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202f: case 0x205f: case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200a;
  }
}

// Valid UTF-8 with no control character except '\n'; `first_line` numbers
// the line that s starts on, for the error.
Status CheckChars(std::string_view s, size_t first_line) {
  size_t line = first_line;
  for (size_t i = 0; i < s.size();) {
    uint32_t r = 0;
    size_t n = DecodeUtf8(s, i, &r);
    if (n == 0) return InvalidArgument("invalid UTF-8", LineWhere(line));
    if (r == '\n') ++line;
    else if (r < 0x20) return InvalidArgument("control character in note", LineWhere(line));
    i += n;
  }
  return Status::Ok();
}

uint32_t ReadId(ByteSpan b) {
  return uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3];
}

void AppendId(Bytes& out, uint32_t id) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(id >> shift));
}

std::string SignatureLineFor(std::string_view name, uint32_t id, ByteSpan sig) {
  Bytes raw;
  raw.reserve(4 + sig.size());
  AppendId(raw, id);
  raw.insert(raw.end(), sig.begin(), sig.end());
  std::string line(kSigPrefix);
  line.append(name).append(" ").append(Base64Encode(raw)).append("\n");
  return line;
}

// "name+hexid+base64": the name ends at the first '+', the id at the next
// (base64 may itself contain '+').
Result<VerifierKey> SplitKey(std::string_view key) {
  size_t p1 = key.find('+');
  size_t p2 = p1 == std::string_view::npos ? p1 : key.find('+', p1 + 1);
  if (p2 == std::string_view::npos)
    return InvalidArgument("key must be <name>+<hex id>+<base64 key>");
  VerifierKey k;
  k.name = std::string(key.substr(0, p1));
  PB_RETURN_IF_ERROR(CheckKeyName(k.name));
  std::string_view hex = key.substr(p1 + 1, p2 - p1 - 1);
  auto id = HexDecode(hex);
  if (hex.size() != 8 || !id.ok()) return InvalidArgument("key id must be 8 hex digits", "key id");
  k.key_id = ReadId(*id);
  auto data = Base64Decode(key.substr(p2 + 1));
  if (!data.ok()) return data.status().WithContext("key data");
  if (data->empty()) return InvalidArgument("key data is empty", "key data");
  k.type = (*data)[0];
  k.public_key.assign(data->begin() + 1, data->end());
  return k;
}

Result<certs::Ed25519PublicKey> Ed25519FromKey(const VerifierKey& k, uint8_t type) {
  if (k.type != type)
    return InvalidArgument("unsupported key type 0x" + HexEncode(Bytes{k.type}), "key data");
  if (k.public_key.size() != 32)
    return InvalidArgument("an Ed25519 key must be 32 bytes", "key data");
  certs::Ed25519PublicKey pub;
  std::copy(k.public_key.begin(), k.public_key.end(), pub.begin());
  return pub;
}

// Parses one "— name base64(id||sig)" line (without its '\n').
Result<NoteSignature> ParseSignatureLine(std::string_view line, size_t line_no) {
  if (!line.starts_with(kSigPrefix))
    return InvalidArgument("signature line must start with an em dash and a space",
                           LineWhere(line_no));
  line.remove_prefix(kSigPrefix.size());
  size_t space = line.find(' ');
  if (space == std::string_view::npos)
    return InvalidArgument("signature line needs a key name and a signature", LineWhere(line_no));
  NoteSignature sig;
  sig.name = std::string(line.substr(0, space));
  Status name_ok = CheckKeyName(sig.name);
  if (!name_ok.ok()) return InvalidArgument(name_ok.message(), LineWhere(line_no));
  auto raw = Base64Decode(line.substr(space + 1));
  if (!raw.ok()) return InvalidArgument("signature is not valid base64", LineWhere(line_no));
  if (raw->size() < 5)
    return InvalidArgument("signature must hold a key id and at least one byte",
                           LineWhere(line_no));
  sig.key_id = ReadId(*raw);
  sig.signature.assign(raw->begin() + 4, raw->end());
  return sig;
}

}  // namespace

Status CheckKeyName(std::string_view name) {
  if (name.empty()) return InvalidArgument("key name is empty");
  for (size_t i = 0; i < name.size();) {
    uint32_t r = 0;
    size_t n = DecodeUtf8(name, i, &r);
    if (n == 0) return InvalidArgument("key name is not valid UTF-8");
    if (r == '+' || IsSpace(r)) return InvalidArgument("key name contains a space or '+'");
    if (r < 0x20) return InvalidArgument("key name contains a control character");
    i += n;
  }
  return Status::Ok();
}

Status CheckNoteText(std::string_view text) {
  if (text.size() > kMaxNoteSize)
    return Status(Code::kResourceExhausted, "note text exceeds " + std::to_string(kMaxNoteSize) +
                                                " bytes");
  if (text.empty() || text.back() != '\n')
    return InvalidArgument("note text must end with a newline");
  return CheckChars(text, 1);
}

uint32_t KeyId(std::string_view name, uint8_t type, ByteSpan public_key) {
  static constexpr uint8_t kNewline = '\n';
  Hash h = ThreadHasher().Sha256({AsBytes(name), ByteSpan(&kNewline, 1), ByteSpan(&type, 1),
                                  public_key});
  return ReadId(h);
}

uint32_t Ed25519KeyId(std::string_view name, const certs::Ed25519PublicKey& key) {
  return KeyId(name, kEd25519SignatureType, key);
}

Result<VerifierKey> ParseVerifierKey(std::string_view vkey) {
  PB_ASSIGN_OR_RETURN(VerifierKey k, SplitKey(vkey));
  if (KeyId(k.name, k.type, k.public_key) != k.key_id)
    return InvalidArgument("key id does not match the key", "key id");
  return k;
}

std::string FormatVerifierKey(std::string_view name, uint8_t type, ByteSpan public_key) {
  Bytes data{type};
  data.insert(data.end(), public_key.begin(), public_key.end());
  return std::string(name) + "+" + HexId(KeyId(name, type, public_key)) + "+" +
         Base64Encode(data);
}

// ---- NoteVerifier ----

Result<NoteVerifier> NoteVerifier::Parse(std::string_view vkey) {
  PB_ASSIGN_OR_RETURN(VerifierKey k, ParseVerifierKey(vkey));
  PB_ASSIGN_OR_RETURN(auto pub, Ed25519FromKey(k, kEd25519SignatureType));
  return ForEd25519(std::move(k.name), pub);
}

NoteVerifier NoteVerifier::ForEd25519(std::string name, const certs::Ed25519PublicKey& key) {
  NoteVerifier v;
  v.key_id_ = Ed25519KeyId(name, key);
  v.name_ = std::move(name);
  v.key_ = key;
  return v;
}

bool NoteVerifier::Verify(std::string_view text, ByteSpan signature) const {
  return certs::VerifyEd25519(key_, AsBytes(text), signature);
}

std::string NoteVerifier::ToString() const {
  return FormatVerifierKey(name_, kEd25519SignatureType, key_);
}

// ---- NoteSigner ----

NoteSigner::NoteSigner(std::string name, certs::Ed25519Key key)
    : name_(std::move(name)), key_id_(Ed25519KeyId(name_, key.public_key())), key_(std::move(key)) {}

Result<NoteSigner> NoteSigner::Parse(std::string_view skey) {
  // Never echo the key in errors: it is a secret.
  if (!skey.starts_with(kPrivatePrefix))
    return InvalidArgument("signer key must start with PRIVATE+KEY+");
  PB_ASSIGN_OR_RETURN(VerifierKey k, SplitKey(skey.substr(kPrivatePrefix.size())));
  if (k.type != kEd25519SignatureType)
    return InvalidArgument("unsupported signer key type", "key data");
  auto key = certs::Ed25519Key::FromSeed(k.public_key);
  if (!key.ok()) return InvalidArgument("an Ed25519 seed must be 32 bytes", "key data");
  // The id is derived from the public key, so check it after deriving that.
  if (Ed25519KeyId(k.name, key->public_key()) != k.key_id)
    return InvalidArgument("key id does not match the key", "key id");
  return NoteSigner(std::move(k.name), std::move(*key));
}

Result<NoteSigner> NoteSigner::Create(std::string name, certs::Ed25519Key key) {
  PB_RETURN_IF_ERROR(CheckKeyName(name));
  return NoteSigner(std::move(name), std::move(key));
}

Result<NoteSigner> NoteSigner::Generate(std::string name) {
  return Create(std::move(name), certs::Ed25519Key::Generate());
}

NoteVerifier NoteSigner::verifier() const { return NoteVerifier::ForEd25519(name_, key_.public_key()); }

std::string NoteSigner::ToString() const {
  Bytes data{kEd25519SignatureType};
  ByteSpan seed = key_.seed();
  data.insert(data.end(), seed.begin(), seed.end());
  return std::string(kPrivatePrefix) + name_ + "+" + HexId(key_id_) + "+" + Base64Encode(data);
}

std::string NoteSigner::SignatureLine(std::string_view text) const {
  auto sig = key_.Sign(AsBytes(text));
  return SignatureLineFor(name_, key_id_, sig);
}

// ---- Notes ----

Result<Note> ParseNote(std::string_view note) {
  if (note.size() > kMaxNoteSize)
    return Status(Code::kResourceExhausted,
                  "note exceeds " + std::to_string(kMaxNoteSize) + " bytes");
  PB_RETURN_IF_ERROR(CheckChars(note, 1));
  // The text ends at the last blank line; everything after is signatures.
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos)
    return InvalidArgument("note has no blank line before its signatures");
  Note out;
  out.text = std::string(note.substr(0, split + 1));
  std::string_view sigs = note.substr(split + 2);
  size_t line_no = static_cast<size_t>(std::count(out.text.begin(), out.text.end(), '\n')) + 2;
  if (sigs.empty() || sigs.back() != '\n')
    return InvalidArgument("note must end with a newline-terminated signature line",
                           LineWhere(line_no));
  while (!sigs.empty()) {
    if (out.signatures.size() == kMaxSignatures)
      return Status(Code::kResourceExhausted,
                    "note has more than " + std::to_string(kMaxSignatures) + " signatures",
                    LineWhere(line_no));
    size_t nl = sigs.find('\n');
    PB_ASSIGN_OR_RETURN(auto sig, ParseSignatureLine(sigs.substr(0, nl), line_no));
    out.signatures.push_back(std::move(sig));
    sigs.remove_prefix(nl + 1);
    ++line_no;
  }
  return out;
}

std::string FormatNote(const Note& note) {
  std::string out = note.text + "\n";
  for (const auto& s : note.signatures) out += SignatureLineFor(s.name, s.key_id, s.signature);
  return out;
}

Result<std::string> SignNote(std::string_view text,
                             const std::vector<const NoteSigner*>& signers) {
  PB_RETURN_IF_ERROR(CheckNoteText(text));
  if (signers.empty()) return InvalidArgument("a note needs at least one signer");
  if (signers.size() > kMaxSignatures) return InvalidArgument("too many signers");
  std::string out(text);
  out += "\n";
  for (const NoteSigner* s : signers) {
    if (s == nullptr) return InvalidArgument("null signer");
    out += s->SignatureLine(text);
  }
  return out;
}

Result<std::vector<std::string>> VerifyNote(const Note& note,
                                            const std::vector<NoteVerifier>& known) {
  std::vector<std::string> verified;
  std::set<std::pair<std::string, uint32_t>> seen;
  for (size_t i = 0; i < note.signatures.size(); ++i) {
    const NoteSignature& sig = note.signatures[i];
    auto match = [&](const NoteVerifier& v) {
      return v.name() == sig.name && v.key_id() == sig.key_id;
    };
    auto it = std::find_if(known.begin(), known.end(), match);
    if (it == known.end()) continue;  // unknown key: ignored, per spec
    if (std::count_if(known.begin(), known.end(), match) > 1)
      return InvalidArgument("ambiguous key " + sig.name + "+" + HexId(sig.key_id));
    // A repeated signature by one key counts once (as in Go).
    if (!seen.insert({sig.name, sig.key_id}).second) continue;
    if (!it->Verify(note.text, sig.signature))
      return VerificationFailed("invalid signature for key " + sig.name + "+" + HexId(sig.key_id),
                                "signature " + std::to_string(i + 1));
    verified.push_back(sig.name);
  }
  if (verified.empty()) return VerificationFailed("note has no verifiable signatures");
  return verified;
}

}  // namespace pathbridge::ledger
