// Fuzzes the signed-note, checkpoint and key parsers. Beyond "never crash",
// it checks the round-trip invariant: the parsers are strict (canonical
// base64 and decimal), so anything they accept formats back to the same
// bytes, and anything formatted parses again.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ledger/checkpoint.h"
#include "ledger/note.h"

namespace pathbridge::ledger {
namespace {

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "note_fuzz invariant broken: %s\n", what);
  std::abort();
}

const NoteVerifier& LogVerifier() {
  // The published Tessera test log key (tests/fuzz/corpus/note_fuzz/ seeds).
  static const NoteVerifier v =
      *NoteVerifier::Parse("example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx");
  return v;
}

const WitnessPolicy& Policy() {
  static const WitnessPolicy p = [] {
    Bytes seed(32, 7);
    auto key = *certs::Ed25519Key::FromSeed(seed);
    WitnessPolicy out;
    out.witnesses.push_back(
        *CosignatureVerifier::Parse(CosignatureVerifierKey("witness.example/w", key.public_key())));
    out.threshold = 1;
    return out;
  }();
  return p;
}

void FuzzNote(std::string_view in) {
  auto note = ParseNote(in);
  if (!note.ok()) return;
  std::string again = FormatNote(*note);
  Require(again == in, "FormatNote(ParseNote(x)) != x");
  auto reparsed = ParseNote(again);
  Require(reparsed.ok() && reparsed->text == note->text &&
              reparsed->signatures.size() == note->signatures.size(),
          "ParseNote(FormatNote(n)) differs");
  (void)VerifyNote(*note, {LogVerifier()});
  (void)VerifyCheckpoint(in, LogVerifier(), Policy());
  (void)VerifyCheckpoint(in, LogVerifier(), {}, std::string("example.com/other"));
}

void FuzzCheckpoint(std::string_view in) {
  auto cp = ParseCheckpoint(in);
  if (!cp.ok()) return;
  std::string again = FormatCheckpoint(*cp);
  Require(again == in, "FormatCheckpoint(ParseCheckpoint(x)) != x");
  auto reparsed = ParseCheckpoint(again);
  Require(reparsed.ok() && reparsed->origin == cp->origin && reparsed->size == cp->size &&
              reparsed->root == cp->root && reparsed->extensions == cp->extensions,
          "ParseCheckpoint(FormatCheckpoint(c)) differs");
}

void FuzzKeys(std::string_view in) {
  if (auto v = NoteVerifier::Parse(in); v.ok()) {
    auto again = NoteVerifier::Parse(v->ToString());
    Require(again.ok() && again->name() == v->name() && again->key_id() == v->key_id() &&
                again->public_key() == v->public_key(),
            "NoteVerifier round trip");
  }
  if (auto w = CosignatureVerifier::Parse(in); w.ok()) {
    auto again = CosignatureVerifier::Parse(w->ToString());
    Require(again.ok() && again->key_id() == w->key_id(), "CosignatureVerifier round trip");
  }
  if (auto s = NoteSigner::Parse(in); s.ok()) {
    auto again = NoteSigner::Parse(s->ToString());
    Require(again.ok() && again->key_id() == s->key_id(), "NoteSigner round trip");
  }
}

}  // namespace
}  // namespace pathbridge::ledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  pathbridge::ledger::FuzzNote(in);
  pathbridge::ledger::FuzzCheckpoint(in);
  pathbridge::ledger::FuzzKeys(in);
  return 0;
}
