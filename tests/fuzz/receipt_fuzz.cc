// Fuzzes ledger receipts and credential ledger entries from arbitrary bytes.
// Beyond "never crash", it checks:
//   - an entry DecodeEntry accepts encodes back to the very same bytes
//     (entries have exactly one spelling);
//   - a receipt ParseReceipt accepts formats to text that parses to the same
//     receipt, and can always be checked (VerifyReceipt errors only for
//     what ParseReceipt refuses);
//   - a checkpoint that verified is consistent with itself.
// The seeds (corpus/receipt_fuzz/) hold a valid receipt for kCredential
// under the key made from kLedgerSeed, so mutations reach every check.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ledger/credentials/receipt.h"
#include "ledger/verifier.h"

namespace pathbridge::credentials {
namespace {

constexpr std::string_view kCredential =
    R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
    R"("issuer":"did:web:college.example","validFrom":"2026-01-01T00:00:00Z",)"
    R"("credentialSubject":{"id":"did:example:holder"},"credentialStatus":{)"
    R"("type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"42",)"
    R"("statusListCredential":"https://college.example/status/1"}})";
constexpr uint8_t kLedgerSeed = 0x42;
constexpr std::string_view kLedgerName = "fuzz.example/ledger";

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "receipt_fuzz invariant broken: %s\n", what);
  std::abort();
}

const ReceiptTrust& Trust() {
  static const ReceiptTrust trust = [] {
    auto key = *certs::Ed25519Key::FromSeed(Bytes(32, kLedgerSeed));
    ReceiptTrust t;
    t.ledger_keys.push_back(
        ledger::NoteVerifier::ForEd25519(std::string(kLedgerName), key.public_key()));
    return t;
  }();
  return trust;
}

const std::vector<SignedCredential>& Credentials() {
  static const std::vector<SignedCredential> credentials = [] {
    std::string jws = "eyJhbGciOiJFZERTQSJ9." + Base64UrlEncode(AsBytes(kCredential)) + ".c2ln";
    return std::vector<SignedCredential>{*ParseSignedCredential(kCredential),
                                         *ParseSignedCredential(jws)};
  }();
  return credentials;
}

void FuzzEntry(std::string_view in) {
  auto entry = DecodeEntry(in);
  if (!entry.ok()) return;
  auto again = EncodeEntry(*entry);
  Require(again.ok() && *again == in, "EncodeEntry(DecodeEntry(x)) != x");
  (void)IdentityKey(*entry);
}

void FuzzCredential(std::string_view in) {
  auto credential = ParseSignedCredential(in);
  if (!credential.ok()) return;
  (void)Commitment(Salt{}, *credential);
  auto claims = CredentialClaims(*credential);
  if (claims.ok()) (void)CredentialStatusSlots(*claims);
}

void FuzzReceipt(std::string_view in) {
  auto receipt = ParseReceipt(in);
  if (!receipt.ok()) return;
  auto again = ParseReceipt(FormatReceipt(*receipt));
  Require(again.ok() && *again == *receipt, "ParseReceipt(FormatReceipt(r)) != r");
  ReceiptTrust trust = Trust();
  for (const auto& credential : Credentials()) {
    auto check = VerifyReceipt(*receipt, credential, trust);
    Require(check.ok(), "a parsed receipt could not be checked");
    (void)check->Summary();
  }
  // Against its own checkpoint as the one the verifier knows.
  trust.known = KnownCheckpoint{ledger::ParseProofFile(receipt->proof)->checkpoint, {}};
  auto check = VerifyReceipt(*receipt, Credentials()[0], trust);
  Require(check.ok() && check->consistency.has_value(), "no consistency result");
  Require(!check->checkpoint.ok() || check->consistency->ok(),
          "a verified checkpoint is inconsistent with itself");
}

}  // namespace
}  // namespace pathbridge::credentials

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  pathbridge::credentials::FuzzEntry(in);
  pathbridge::credentials::FuzzCredential(in);
  pathbridge::credentials::FuzzReceipt(in);
  return 0;
}
