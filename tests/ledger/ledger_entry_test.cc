// Credential ledger entries: the exact JCS form, strict decoding, the
// checks that keep prose (and so PII) out, identity keys, commitments over
// both credential forms, and reading issuer and status slots from real
// credential samples.
#include "ledger/credentials/ledger_entry.h"

#include <gtest/gtest.h>

#include "certs/ed25519.h"
#include "certs/multikey.h"
#include "tests/testing/test_util.h"

namespace pathbridge::credentials {
namespace {

namespace bj = boost::json;
using testing::ReadFile;
using testing::ReadJson;
using testing::SharedDir;

std::filesystem::path VcDir() { return SharedDir() / "standards" / "vc2" / "vc-di-eddsa"; }

StatusSlot Slot(uint64_t index = 94567) {
  return {"did:web:college.example", "https://college.example/status/3", index};
}

KeyRecord Key() {
  auto key = *certs::Ed25519Key::FromSeed(Bytes(32, 9));
  std::string did = certs::DidKey(key.public_key());
  return {did, certs::DidKeyVerificationMethod(key.public_key()),
          certs::Ed25519PublicKeyMultibase(key.public_key())};
}

Hash Ones() {
  Hash h;
  h.fill(1);
  return h;
}

TEST(CredentialEntry, IssuedEntryIsExactlyTheDocumentedJcsObject) {
  auto bytes = EncodeEntry(IssuedEntry(Ones(), Slot(), "2026-01-31T09:30:00Z"));
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  // Members sorted by name (RFC 8785 §3.2.3), no whitespace; 32 bytes of 0x01
  // in unpadded base64url.
  EXPECT_EQ(*bytes,
            R"({"commitment":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",)"
            R"("issuer":"did:web:college.example","statusIndex":"94567",)"
            R"("statusList":"https://college.example/status/3","time":"2026-01-31T09:30:00Z",)"
            R"("type":"credential.issued","v":1})");
}

TEST(CredentialEntry, StatusAndKeyEntriesHaveTheirOwnMembers) {
  auto revoked = EncodeEntry(
      StatusChangeEntry(EntryType::kCredentialRevoked, Slot(7), "2026-02-01T00:00:00.5Z"));
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(*revoked,
            R"({"issuer":"did:web:college.example","statusIndex":"7",)"
            R"("statusList":"https://college.example/status/3","time":"2026-02-01T00:00:00.5Z",)"
            R"("type":"credential.revoked","v":1})");
  KeyRecord key = Key();
  auto added = EncodeEntry(KeyEventEntry(EntryType::kKeyAdded, key, "2026-02-01T00:00:00Z"));
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, R"({"issuer":")" + key.issuer + R"(","publicKeyMultibase":")" +
                        key.public_key_multibase +
                        R"(","time":"2026-02-01T00:00:00Z","type":"key.added","v":1,)"
                        R"("verificationMethod":")" +
                        key.verification_method + R"("})");
}

TEST(CredentialEntry, EveryTypeRoundTrips) {
  std::vector<LedgerEntry> entries = {
      IssuedEntry(Ones(), Slot(), "2026-01-31T09:30:00Z"),
      StatusChangeEntry(EntryType::kCredentialRevoked, Slot(), "2026-01-31T09:30:00Z"),
      StatusChangeEntry(EntryType::kCredentialSuspended, Slot(0), "2024-02-29T23:59:60Z"),
      StatusChangeEntry(EntryType::kCredentialReinstated, Slot(18446744073709551615u),
                        "2026-01-31T09:30:00.123456789Z"),
      KeyEventEntry(EntryType::kKeyAdded, Key(), "2026-01-31T09:30:00Z"),
      KeyEventEntry(EntryType::kKeyRotated, Key(), "2026-01-31T09:30:00Z"),
      KeyEventEntry(EntryType::kKeyRevoked, Key(), "2026-01-31T09:30:00Z"),
  };
  for (const auto& e : entries) {
    auto bytes = EncodeEntry(e);
    ASSERT_TRUE(bytes.ok()) << EntryTypeName(e.type) << ": " << bytes.status().ToString();
    auto back = DecodeEntry(*bytes);
    ASSERT_TRUE(back.ok()) << *bytes << ": " << back.status().ToString();
    EXPECT_EQ(*back, e) << *bytes;
  }
}

void ExpectDecodeError(const std::string& text, std::string_view where, std::string_view words) {
  auto r = DecodeEntry(text);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.status().where(), where) << text << ": " << r.status().ToString();
  EXPECT_NE(r.status().message().find(words), std::string::npos)
      << text << ": " << r.status().ToString();
}

// A credential.revoked entry with one member spelled differently.
std::string Revoked(std::string_view issuer = R"("did:web:college.example")",
                    std::string_view index = R"("7")",
                    std::string_view time = R"("2026-02-01T00:00:00Z")",
                    std::string_view type = R"("credential.revoked")", std::string_view v = "1") {
  return R"({"issuer":)" + std::string(issuer) + R"(,"statusIndex":)" + std::string(index) +
         R"(,"statusList":"https://college.example/status/3","time":)" + std::string(time) +
         R"(,"type":)" + std::string(type) + R"(,"v":)" + std::string(v) + "}";
}

TEST(CredentialEntry, DecodeAcceptsTheCanonicalForm) {
  auto e = DecodeEntry(Revoked());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->type, EntryType::kCredentialRevoked);
  EXPECT_EQ(e->slot, Slot(7));
  EXPECT_EQ(e->time, "2026-02-01T00:00:00Z");
}

TEST(CredentialEntry, DecodeRejectsUnknownTypesAndVersions) {
  ExpectDecodeError(Revoked(R"("did:web:college.example")", R"("7")", R"("2026-02-01T00:00:00Z")",
                            R"("credential.deleted")"),
                    "/type", "unknown entry type");
  ExpectDecodeError(Revoked(R"("did:web:college.example")", R"("7")", R"("2026-02-01T00:00:00Z")",
                            R"("credential.revoked")", "2"),
                    "/v", "version");
  ExpectDecodeError(Revoked(R"("did:web:college.example")", R"("7")", R"("2026-02-01T00:00:00Z")",
                            R"("credential.revoked")", R"("1")"),
                    "/v", "version");
  ExpectDecodeError("[]", "", "JSON object");
}

TEST(CredentialEntry, DecodeRejectsMissingAndExtraMembers) {
  ExpectDecodeError(
      R"({"issuer":"did:web:college.example","statusList":"https://college.example/status/3",)"
      R"("time":"2026-02-01T00:00:00Z","type":"credential.revoked","v":1})",
      "/statusIndex", "missing member");
  // A name cannot ride along in an extra member.
  ExpectDecodeError(
      R"({"issuer":"did:web:college.example","name":"Jane Doe","statusIndex":"7",)"
      R"("statusList":"https://college.example/status/3","time":"2026-02-01T00:00:00Z",)"
      R"("type":"credential.revoked","v":1})",
      "/name", "is not a member of a credential.revoked entry");
  ExpectDecodeError(
      R"({"commitment":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",)"
      R"("issuer":"did:web:college.example","statusIndex":"7",)"
      R"("statusList":"https://college.example/status/3","time":"2026-02-01T00:00:00Z",)"
      R"("type":"credential.revoked","v":1})",
      "/commitment", "is not a member");
}

TEST(CredentialEntry, DecodeRejectsBadMembers) {
  ExpectDecodeError(Revoked(R"("Jane Doe")"), "/issuer", "URI characters");
  ExpectDecodeError(Revoked(R"("mailto:jane@college.example")"), "/issuer",
                    "must be a DID or an http(s) URL");
  ExpectDecodeError(Revoked(R"({"id":"did:web:college.example"})"), "/issuer", "must be a string");
  ExpectDecodeError(Revoked(R"("did:web:college.example")", R"("007")"), "/statusIndex",
                    "leading zero");
  ExpectDecodeError(Revoked(R"("did:web:college.example")", "7"), "/statusIndex",
                    "must be a string");
  for (std::string_view time :
       {R"("2026-02-30T00:00:00Z")", R"("2026-02-01T00:00:00+01:00")", R"("2026-02-01t00:00:00z")",
        R"("2026-02-01T24:00:00Z")", R"("2026-02-01T00:00:00.Z")", R"("2026-02-01")"})
    ExpectDecodeError(Revoked(R"("did:web:college.example")", R"("7")", time), "/time", "RFC 3339");
  ExpectDecodeError(
      R"({"commitment":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ",)"
      R"("issuer":"did:web:college.example",)"
      R"("statusIndex":"7","statusList":"https://college.example/status/3",)"
      R"("time":"2026-02-01T00:00:00Z","type":"credential.issued","v":1})",
      "/commitment", "32 bytes");
}

TEST(CredentialEntry, DecodeRejectsNonCanonicalSpellings) {
  std::string spaced = Revoked();
  spaced.insert(1, " ");
  ExpectDecodeError(spaced, "", "canonical");
  // "v" first: valid JSON with the right members, but not sorted.
  std::string reordered =
      R"({"v":1,"issuer":"did:web:college.example","statusIndex":"7",)"
      R"("statusList":"https://college.example/status/3","time":"2026-02-01T00:00:00Z",)"
      R"("type":"credential.revoked"})";
  ExpectDecodeError(reordered, "", "canonical");
  ExpectDecodeError(Revoked(R"("did:web:college.example")", R"("7")", R"("2026-02-01T00:00:00Z")",
                            R"("credential.revoked")", "1.0"),
                    "", "canonical");
  EXPECT_FALSE(DecodeEntry(Revoked() + Revoked()).ok());
}

TEST(CredentialEntry, EncodeRefusesWhatCouldCarryProse) {
  auto bad = [](const LedgerEntry& e, std::string_view where, std::string_view words) {
    auto r = EncodeEntry(e);
    ASSERT_FALSE(r.ok()) << where;
    EXPECT_EQ(r.status().where(), where) << r.status().ToString();
    EXPECT_NE(r.status().message().find(words), std::string::npos) << r.status().ToString();
  };
  const std::string t = "2026-02-01T00:00:00Z";
  StatusSlot named = Slot();
  named.issuer = "https://college.example/students/Jane Doe";
  bad(IssuedEntry(Ones(), named, t), "/issuer", "URI characters");
  StatusSlot did_list = Slot();
  did_list.status_list = "did:web:college.example";
  bad(StatusChangeEntry(EntryType::kCredentialSuspended, did_list, t), "/statusList",
      "must be an http(s) URL");
  StatusSlot long_issuer = Slot();
  long_issuer.issuer = "https://college.example/" + std::string(kMaxIdentifierLength, 'a');
  bad(IssuedEntry(Ones(), long_issuer, t), "/issuer", "longer than");
  KeyRecord key = Key();
  key.public_key_multibase = "z6MkNotAKey";
  bad(KeyEventEntry(EntryType::kKeyAdded, key, t), "/publicKeyMultibase", "");
  LedgerEntry key_with_slot = KeyEventEntry(EntryType::kKeyAdded, Key(), t);
  key_with_slot.slot = Slot();
  bad(key_with_slot, "", "no status slot");
  LedgerEntry revoked_with_commitment = StatusChangeEntry(EntryType::kCredentialRevoked, Slot(), t);
  revoked_with_commitment.commitment = Ones();
  bad(revoked_with_commitment, "", "only a credential.issued entry carries a commitment");
  LedgerEntry unknown = StatusChangeEntry(static_cast<EntryType>(99), Slot(), t);
  bad(unknown, "/type", "unknown entry type");
}

TEST(CredentialEntry, IdentityKeysFollowTheSlotOrTheKey) {
  Hash other = Ones();
  other[0] = 2;
  std::string issued = IdentityKey(IssuedEntry(Ones(), Slot(), "2026-01-01T00:00:00Z"));
  EXPECT_TRUE(issued.starts_with("credential.issued:")) << issued;
  EXPECT_LE(issued.size(), 256u);  // LogOptions::max_identity_size
  // A retry with a new time (or a clash with another commitment) finds the slot.
  EXPECT_EQ(issued, IdentityKey(IssuedEntry(other, Slot(), "2026-01-02T00:00:00Z")));
  EXPECT_NE(issued, IdentityKey(IssuedEntry(Ones(), Slot(94568), "2026-01-01T00:00:00Z")));
  std::string revoked =
      IdentityKey(StatusChangeEntry(EntryType::kCredentialRevoked, Slot(), "2026-01-01T00:00:00Z"));
  EXPECT_TRUE(revoked.starts_with("credential.revoked:")) << revoked;
  EXPECT_EQ(revoked.substr(revoked.find(':')), issued.substr(issued.find(':')));
  EXPECT_EQ(IdentityKey(
                StatusChangeEntry(EntryType::kCredentialSuspended, Slot(), "2026-01-01T00:00:00Z")),
            "");
  std::string added =
      IdentityKey(KeyEventEntry(EntryType::kKeyAdded, Key(), "2026-01-01T00:00:00Z"));
  EXPECT_TRUE(added.starts_with("key.added:")) << added;
  EXPECT_EQ(added, IdentityKey(KeyEventEntry(EntryType::kKeyAdded, Key(), "2027-01-01T00:00:00Z")));
  KeyRecord rotated = Key();
  rotated.public_key_multibase =
      certs::Ed25519PublicKeyMultibase(certs::Ed25519Key::FromSeed(Bytes(32, 10))->public_key());
  EXPECT_NE(IdentityKey(KeyEventEntry(EntryType::kKeyRotated, Key(), "2026-01-01T00:00:00Z")),
            IdentityKey(KeyEventEntry(EntryType::kKeyRotated, rotated, "2026-01-01T00:00:00Z")));
}

Salt TestSalt(uint8_t fill) {
  Salt salt;
  salt.fill(fill);
  return salt;
}

Hash Sha256Of(const Salt& salt, std::string_view bytes) {
  return ledger::ThreadHasher().Sha256({ByteSpan(salt), AsBytes(bytes)});
}

TEST(CredentialCommitment, ObjectFormHashesSaltThenW3cJcsBytes) {
  // The W3C eddsa-jcs-2022 vector gives the JCS bytes of unsigned.json.
  bj::object credential = ReadJson(VcDir() / "unsigned.json").as_object();
  std::string jcs = ReadFile(VcDir() / "eddsa-jcs-2022" / "canonDocJCS.txt");
  Salt salt = TestSalt(0x5a);
  auto c = Commitment(salt, credential);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*c, Sha256Of(salt, jcs));
  EXPECT_NE(*Commitment(TestSalt(0x5b), credential), *c);
}

TEST(CredentialCommitment, JwsFormHashesSaltThenTheCompactAscii) {
  const std::string jws = "eyJhbGciOiJFZERTQSJ9.eyJpc3N1ZXIiOiJkaWQ6d2ViOmEifQ.c2ln";
  Salt salt = TestSalt(3);
  auto c = JwsCommitment(salt, jws);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*c, Sha256Of(salt, jws));
  auto via_variant = Commitment(salt, SignedCredential(CompactJws{jws}));
  ASSERT_TRUE(via_variant.ok());
  EXPECT_EQ(*via_variant, *c);
  for (std::string bad :
       {"", "a.b", "a..c", ".b.c", "a.b.", "a.b.c.d", "a.b.c=", "a.b c.d", "{\"a\":1}"})
    EXPECT_FALSE(JwsCommitment(salt, bad).ok()) << bad;
}

TEST(CredentialCommitment, ParsesEitherFormFromText) {
  std::string json = ReadFile(VcDir() / "eddsa-jcs-2022" / "signedJCS.json");
  auto object = ParseSignedCredential(json);
  ASSERT_TRUE(object.ok()) << object.status().ToString();
  ASSERT_TRUE(std::holds_alternative<bj::object>(*object));
  EXPECT_EQ(*CredentialIssuer(std::get<bj::object>(*object)), "https://vc.example/issuers/5678");

  // The payload of a VC-JOSE credential is the credential itself.
  std::string payload = Base64UrlEncode(AsBytes(ReadFile(VcDir() / "unsigned.json")));
  std::string jws = "eyJhbGciOiJFZERTQSIsInR5cCI6InZjK2p3dCJ9." + payload + ".c2lnbmF0dXJl";
  auto compact = ParseSignedCredential("  " + jws + "\n");
  ASSERT_TRUE(compact.ok()) << compact.status().ToString();
  ASSERT_TRUE(std::holds_alternative<CompactJws>(*compact));
  EXPECT_EQ(std::get<CompactJws>(*compact).text, jws);
  auto claims = CredentialClaims(*compact);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(*CredentialIssuer(*claims), "https://vc.example/issuers/5678");
  // The same credential in the two forms commits differently.
  Salt salt = TestSalt(1);
  EXPECT_NE(*Commitment(salt, *compact),
            *Commitment(salt, ReadJson(VcDir() / "unsigned.json").as_object()));

  EXPECT_FALSE(ParseSignedCredential("hello").ok());
  EXPECT_FALSE(ParseSignedCredential("{\"a\":").ok());
  auto not_json = ParseSignedCredential("eyJhIjoxfQ.bm90IGpzb24.c2ln");
  ASSERT_TRUE(not_json.ok());
  EXPECT_FALSE(CredentialClaims(*not_json).ok());
}

TEST(CredentialCommitment, SaltsAreFresh) { EXPECT_NE(NewSalt(), NewSalt()); }

// The Bitstring Status List spec's example entry.
bj::object BitstringEntry(std::string_view index) {
  return {{"id", "https://example.com/credentials/status/3#" + std::string(index)},
          {"type", "BitstringStatusListEntry"},
          {"statusPurpose", "revocation"},
          {"statusListIndex", index},
          {"statusListCredential", "https://example.com/credentials/status/3"}};
}

TEST(CredentialSlots, ReadIssuerAndBitstringEntries) {
  bj::object badge =
      ReadJson(SharedDir() / "standards/ob3/spec-examples/basicOpenBadgeCredential.json")
          .as_object();
  EXPECT_EQ(*CredentialIssuer(badge), "https://example.com/issuers/876543");
  auto none = CredentialStatusSlots(badge);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  badge["credentialStatus"] = BitstringEntry("94567");
  auto one = CredentialStatusSlots(badge);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_EQ(one->size(), 1u);
  StatusSlot expected{"https://example.com/issuers/876543",
                      "https://example.com/credentials/status/3", 94567};
  EXPECT_EQ((*one)[0], expected);
  EXPECT_TRUE(CheckCredentialSlot(badge, expected).ok());

  badge["credentialStatus"] = bj::array{BitstringEntry("1"), BitstringEntry("94567")};
  EXPECT_TRUE(CheckCredentialSlot(badge, expected).ok());
  StatusSlot wrong_index = expected;
  wrong_index.status_index = 2;
  Status s = CheckCredentialSlot(badge, wrong_index);
  EXPECT_EQ(s.code(), Code::kVerificationFailed);
  EXPECT_NE(s.message().find("not one of the credential's credentialStatus"), std::string::npos);
  StatusSlot wrong_issuer = expected;
  wrong_issuer.issuer = "did:web:other.example";
  s = CheckCredentialSlot(badge, wrong_issuer);
  EXPECT_NE(s.message().find("the credential names issuer https://example.com/issuers/876543"),
            std::string::npos)
      << s.ToString();

  badge["credentialStatus"] = bj::array{BitstringEntry("01")};
  auto bad = CredentialStatusSlots(badge);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().where(), "/credentialStatus/0/statusListIndex");
}

TEST(CredentialSlots, OtherStatusMechanismsAreSkipped) {
  // fullOpenBadge.json uses 1EdTechRevocationList, which has no list index.
  bj::object full =
      ReadJson(SharedDir() / "standards/ob3/spec-examples/fullOpenBadge.json").as_object();
  auto slots = CredentialStatusSlots(full);
  ASSERT_TRUE(slots.ok()) << slots.status().ToString();
  EXPECT_TRUE(slots->empty());
}

}  // namespace
}  // namespace pathbridge::credentials
