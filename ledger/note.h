// C2SP signed-note: a text plus one or more signature lines
// ("— <name> <base64(keyID || signature)>"), with Ed25519 keys whose ID is
// SHA-256(name || 0x0A || 0x01 || public key)[:4]. Also the key encodings
// used by Go's sumdb/note and the transparency ecosystem:
//   verifier key: "<name>+<hex keyID>+<base64(0x01 || public key)>"
//   signer key:   "PRIVATE+KEY+<name>+<hex keyID>+<base64(0x01 || seed)>"
//
// Thread-safety: NoteSigner and NoteVerifier are immutable; share freely.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "certs/ed25519.h"

namespace pathbridge::ledger {

inline constexpr size_t kMaxNoteSize = 1 << 20;  // bigger notes are rejected

// Signature type bytes (C2SP signed-note "Signature types").
inline constexpr uint8_t kEd25519SignatureType = 0x01;
inline constexpr uint8_t kCosignatureV1SignatureType = 0x04;

// A key name is non-empty, has no whitespace or '+', and is valid UTF-8.
Status CheckKeyName(std::string_view name);
// Note text rules: non-empty, valid UTF-8, no control characters but '\n',
// ends with '\n', at most kMaxNoteSize bytes. Errors give the line number.
Status CheckNoteText(std::string_view text);
// SHA-256(name || 0x0A || type || public key)[:4], big-endian.
uint32_t KeyId(std::string_view name, uint8_t type, ByteSpan public_key);
uint32_t Ed25519KeyId(std::string_view name, const certs::Ed25519PublicKey& key);

// The parts of a verifier key "<name>+<hex id>+<base64(type || key)>", with
// the name and id checked against the key; shared by note and witness keys.
struct VerifierKey {
  std::string name;
  uint32_t key_id = 0;
  uint8_t type = 0;
  Bytes public_key;  // without the type byte
};
Result<VerifierKey> ParseVerifierKey(std::string_view vkey);
std::string FormatVerifierKey(std::string_view name, uint8_t type, ByteSpan public_key);

class NoteVerifier {
 public:
  // Parses "name+hexid+base64(0x01||pub)"; the id must match the key.
  static Result<NoteVerifier> Parse(std::string_view vkey);
  static NoteVerifier ForEd25519(std::string name, const certs::Ed25519PublicKey& key);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const certs::Ed25519PublicKey& public_key() const { return key_; }
  bool Verify(std::string_view text, ByteSpan signature) const;
  std::string ToString() const;  // the vkey form

 private:
  std::string name_;
  uint32_t key_id_ = 0;
  certs::Ed25519PublicKey key_{};
};

class NoteSigner {
 public:
  static Result<NoteSigner> Parse(std::string_view skey);  // PRIVATE+KEY+...
  static Result<NoteSigner> Create(std::string name, certs::Ed25519Key key);
  static Result<NoteSigner> Generate(std::string name);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  NoteVerifier verifier() const;
  std::string ToString() const;  // the PRIVATE+KEY form: a secret
  // One signature line, "— name base64(id||sig)\n", for `text`.
  std::string SignatureLine(std::string_view text) const;

 private:
  NoteSigner(std::string name, certs::Ed25519Key key);
  std::string name_;
  uint32_t key_id_;
  certs::Ed25519Key key_;
};

struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  Bytes signature;  // without the 4-byte key id
};

struct Note {
  std::string text;  // ends with '\n'
  std::vector<NoteSignature> signatures;
};

// Splits a note into text and signature lines; checks the syntax only.
// Errors give the line number. At most 100 signatures are accepted.
Result<Note> ParseNote(std::string_view note);
// Text plus signature lines, in the wire format.
std::string FormatNote(const Note& note);
// Signs `text` (must pass CheckNoteText) with one or more signers.
Result<std::string> SignNote(std::string_view text, const std::vector<const NoteSigner*>& signers);

// The names of the verifiers (among `known`) whose signature on the note is
// valid. Signatures by unknown keys are ignored; a signature by a known name
// and id that does not verify is an error (never silently dropped), and so is
// a note with no valid signature by a known key (C2SP: MUST reject).
Result<std::vector<std::string>> VerifyNote(const Note& note,
                                            const std::vector<NoteVerifier>& known);

}  // namespace pathbridge::ledger
