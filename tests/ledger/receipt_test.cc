// Receipts on a real ledger (SQLite in a TempDir): issuing through
// CredentialLedger, receipts that verify offline, and every kind of
// tampering failing its own check with its own message; retries, status
// and key events, and that no subject data reaches the log.
#include "ledger/credentials/receipt.h"

#include <gtest/gtest.h>

#include <set>

#include "certs/ed25519.h"
#include "certs/multikey.h"
#include "ledger/credentials/credential_ledger.h"
#include "ledger/ledger_dir.h"
#include "ledger/sqlite_storage.h"
#include "ledger/verifier.h"
#include "standards/jcs.h"
#include "tests/testing/test_util.h"

namespace pathbridge::credentials {
namespace {

namespace bj = boost::json;
using ledger::Log;
using testing::ReadJson;
using testing::SharedDir;
using testing::TempDir;

constexpr std::string_view kOrigin = "registry.example/credentials";
constexpr std::string_view kList = "https://vc.example/status/1";
constexpr std::string_view kTime = "2026-03-01T10:00:00Z";

ledger::LogOptions FastOptions() {
  ledger::LogOptions o;
  o.checkpoint_interval = std::chrono::milliseconds(5);
  return o;
}

std::unique_ptr<Log> OpenLog(const TempDir& dir, std::string_view origin = kOrigin,
                             ledger::LogOptions options = FastOptions()) {
  return std::move(ledger::OpenLedger(dir.path(), origin, options).value());
}

// A Bitstring Status List entry as the spec's example writes one.
bj::object StatusEntry(uint64_t index) {
  return {{"id", std::string(kList) + "#" + std::to_string(index)},
          {"type", "BitstringStatusListEntry"},
          {"statusPurpose", "revocation"},
          {"statusListIndex", std::to_string(index)},
          {"statusListCredential", kList}};
}

// The W3C eddsa-jcs-2022 signed example, given a status list entry (the
// proof no longer verifies; receipts do not check it).
bj::object Alumni(uint64_t index) {
  bj::object c =
      ReadJson(SharedDir() / "standards/vc2/vc-di-eddsa/eddsa-jcs-2022/signedJCS.json").as_object();
  c["credentialStatus"] = StatusEntry(index);
  return c;
}

// The Open Badges 3.0 full example: a student's degree with names, emails
// and a licence number in it.
bj::object Degree(uint64_t index) {
  bj::object c =
      ReadJson(SharedDir() / "standards/ob3/spec-examples/fullOpenBadge.json").as_object();
  c["credentialStatus"] = StatusEntry(index);
  return c;
}

StatusSlot SlotOf(const bj::object& credential, uint64_t index) {
  return {CredentialIssuer(credential).value(), std::string(kList), index};
}

Salt FixedSalt(uint8_t fill) {
  Salt s;
  s.fill(fill);
  return s;
}

bool Has(const Status& s, std::string_view words) {
  return s.message().find(words) != std::string::npos;
}

class ReceiptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = OpenLog(dir_);
    ledger_ = std::make_unique<CredentialLedger>(*log_);
    trust_.ledger_keys = {log_->verifier()};
  }

  IssuedRecord Issue(const SignedCredential& credential, uint64_t index,
                     std::string_view time = kTime, Salt salt = NewSalt()) {
    bj::object claims = CredentialClaims(credential).value();
    return ledger_->RecordIssued(credential, SlotOf(claims, index), std::string(time), salt)
        .value();
  }

  ReceiptCheck Verify(const Receipt& receipt, const SignedCredential& credential) {
    return VerifyReceipt(receipt, credential, trust_).value();
  }

  // A receipt for entry `index` under a checkpoint of at least `size`.
  Receipt ReceiptAtSize(uint64_t index, const Salt& salt, uint64_t size) {
    EXPECT_TRUE(log_->AwaitCheckpoint(size, std::chrono::seconds(5)).ok());
    return MakeReceipt(*log_, index, salt).value();
  }

  TempDir dir_;
  std::unique_ptr<Log> log_;
  std::unique_ptr<CredentialLedger> ledger_;
  ReceiptTrust trust_;
};

void ExpectOnlyFailure(const ReceiptCheck& check, const Status ReceiptCheck::*failed,
                       std::string_view words) {
  for (auto member : {&ReceiptCheck::commitment, &ReceiptCheck::credential,
                      &ReceiptCheck::inclusion, &ReceiptCheck::checkpoint}) {
    const Status& s = check.*member;
    if (member == failed) {
      EXPECT_EQ(s.code(), Code::kVerificationFailed) << check.Summary();
      EXPECT_TRUE(Has(s, words)) << check.Summary();
    } else {
      EXPECT_TRUE(s.ok()) << check.Summary();
    }
  }
  EXPECT_FALSE(check.ok());
}

TEST_F(ReceiptTest, IssuedCredentialsGetReceiptsThatVerify) {
  for (uint64_t i = 0; i < 3; ++i) {
    bj::object credential = Alumni(100 + i);
    IssuedRecord record = Issue(credential, 100 + i);
    EXPECT_EQ(record.index, i);
    EXPECT_FALSE(record.duplicate);
    // The holder's copy goes through text.
    auto receipt = ParseReceipt(FormatReceipt(record.receipt));
    ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
    EXPECT_EQ(*receipt, record.receipt);
    ReceiptCheck check = Verify(*receipt, credential);
    EXPECT_TRUE(check.ok()) << check.Summary();
    EXPECT_EQ(check.entry.slot, SlotOf(credential, 100 + i));
    EXPECT_EQ(check.entry.time, kTime);
    EXPECT_GT(check.checkpoint_size, i);
    EXPECT_EQ(check.Summary().find("FAILED"), std::string::npos) << check.Summary();
    // The proof is an ordinary tlog-proof: the ledger's own verifier agrees.
    auto inclusion =
        ledger::VerifyProofFile(receipt->proof, log_->verifier(), {}, AsBytes(receipt->entry));
    EXPECT_TRUE(inclusion.ok()) << inclusion.status().ToString();
  }
}

TEST_F(ReceiptTest, TheLogHoldsNoSubjectData) {
  bj::object degree = Degree(7);
  IssuedRecord record = Issue(degree, 7);
  ReceiptCheck check = Verify(record.receipt, degree);
  EXPECT_TRUE(check.ok()) << check.Summary();
  const Bytes logged = log_->ReadEntry(record.index).value();
  const std::string entry(AsChars(logged));
  const std::string text = FormatReceipt(record.receipt);
  const bj::object& subject = degree.at("credentialSubject").as_object();
  std::vector<std::string> personal = {
      std::string(subject.at("id").as_string()),
      std::string(subject.at("licenseNumber").as_string()),
      std::string(degree.at("name").as_string()),
      std::string(degree.at("id").as_string()),
      "Example Student",
  };
  for (const auto& identifier : subject.at("identifier").as_array())
    personal.emplace_back(identifier.at("identityHash").as_string());
  for (const auto& s : personal) {
    EXPECT_EQ(entry.find(s), std::string::npos) << s << " in " << entry;
    EXPECT_EQ(text.find(s), std::string::npos) << s << " in the receipt";
  }
}

TEST_F(ReceiptTest, VcJoseCredentialsCommitToTheCompactJws) {
  bj::object claims = Alumni(5);
  claims.erase("proof");
  auto key = certs::Ed25519Key::Generate();
  std::string signing_input = Base64UrlEncode(AsBytes(R"({"alg":"EdDSA","typ":"vc+jwt"})")) + "." +
                              Base64UrlEncode(AsBytes(jcs::Canonicalize(claims).value()));
  auto sig = key.Sign(AsBytes(signing_input));
  CompactJws jws{signing_input + "." + Base64UrlEncode(ByteSpan(sig))};
  IssuedRecord record = Issue(jws, 5);
  ReceiptCheck check = Verify(record.receipt, jws);
  EXPECT_TRUE(check.ok()) << check.Summary();
  // The same claims as a JSON object are another credential form.
  ExpectOnlyFailure(Verify(record.receipt, claims), &ReceiptCheck::commitment,
                    "not the one recorded in the ledger");
}

TEST_F(ReceiptTest, AChangedCredentialFailsTheCommitment) {
  bj::object credential = Alumni(1);
  IssuedRecord record = Issue(credential, 1);
  credential["credentialSubject"].as_object()["alumniOf"] = "The School of Forgeries";
  ReceiptCheck check = Verify(record.receipt, credential);
  ExpectOnlyFailure(check, &ReceiptCheck::commitment, "not the one recorded in the ledger");
  EXPECT_NE(check.Summary().find("FAILED: This credential is not the one recorded"),
            std::string::npos)
      << check.Summary();
}

TEST_F(ReceiptTest, ACredentialCannotForgeLinesOfTheSummary) {
  bj::object credential = Alumni(1);
  Receipt receipt = Issue(credential, 1).receipt;
  credential["issuer"] = "did:web:evil.example\nok: The credential matches the fingerprint";
  ReceiptCheck check = Verify(receipt, credential);
  EXPECT_FALSE(check.credential.ok());
  std::string summary = check.Summary();
  EXPECT_EQ(std::count(summary.begin(), summary.end(), '\n'), 4) << summary;
  EXPECT_EQ(summary.find("\nok: The credential"), std::string::npos) << summary;
}

TEST_F(ReceiptTest, AChangedSaltFailsTheCommitment) {
  bj::object credential = Alumni(1);
  Receipt receipt = Issue(credential, 1).receipt;
  receipt.salt[0] ^= 1;
  ExpectOnlyFailure(Verify(receipt, credential), &ReceiptCheck::commitment,
                    "receipt's salt has been changed");
}

TEST_F(ReceiptTest, AChangedIndexFailsInclusion) {
  bj::object credential = Alumni(1);
  Receipt receipt = Issue(credential, 1).receipt;
  Issue(Alumni(2), 2);
  receipt.index = 1;
  ExpectOnlyFailure(Verify(receipt, credential), &ReceiptCheck::inclusion,
                    "says the entry is number 1");
}

TEST_F(ReceiptTest, AChangedProofFailsInclusion) {
  bj::object credential = Alumni(1);
  Salt salt = NewSalt();
  Issue(credential, 1, kTime, salt);
  Issue(Alumni(2), 2);
  Issue(Alumni(3), 3);
  Receipt receipt = ReceiptAtSize(0, salt, 3);
  ledger::ProofFile proof = ledger::ParseProofFile(receipt.proof).value();
  ASSERT_FALSE(proof.proof.empty());
  EXPECT_TRUE(Verify(receipt, credential).ok());
  proof.proof[0][0] ^= 1;
  receipt.proof = ledger::FormatProofFile(proof);
  ExpectOnlyFailure(Verify(receipt, credential), &ReceiptCheck::inclusion,
                    "inclusion proof does not lead to the signed checkpoint's root");
  // Proving another entry's position with this entry fails the same way.
  proof.proof[0][0] ^= 1;
  proof.index = 1;
  receipt.proof = ledger::FormatProofFile(proof);
  receipt.index = 1;
  ExpectOnlyFailure(Verify(receipt, credential), &ReceiptCheck::inclusion,
                    "not in the ledger at position 1");
}

TEST_F(ReceiptTest, AForgedCheckpointSignatureFailsTheCheckpoint) {
  bj::object credential = Alumni(1);
  Receipt receipt = Issue(credential, 1).receipt;
  ledger::ProofFile proof = ledger::ParseProofFile(receipt.proof).value();
  ledger::Note note = ledger::ParseNote(proof.checkpoint).value();
  ASSERT_EQ(note.signatures.size(), 1u);
  note.signatures[0].signature[10] ^= 1;
  proof.checkpoint = ledger::FormatNote(note);
  receipt.proof = ledger::FormatProofFile(proof);
  ExpectOnlyFailure(Verify(receipt, credential), &ReceiptCheck::checkpoint,
                    "not validly signed by the ledger key you trust");
}

TEST_F(ReceiptTest, ACheckpointOfAnotherLedgerKeyFails) {
  bj::object credential = Alumni(1);
  // Same origin, its own key: a hub impersonating this ledger.
  TempDir other_dir;
  auto impostor = OpenLog(other_dir);
  CredentialLedger other(*impostor);
  Receipt receipt =
      other.RecordIssued(credential, SlotOf(credential, 1), std::string(kTime), NewSalt())
          .value()
          .receipt;
  ExpectOnlyFailure(Verify(receipt, credential), &ReceiptCheck::checkpoint,
                    "not validly signed by the ledger key you trust");
  // Another origin: no trusted key even has its name.
  TempDir third_dir;
  auto third = OpenLog(third_dir, "elsewhere.example/log");
  receipt = CredentialLedger(*third)
                .RecordIssued(credential, SlotOf(credential, 1), std::string(kTime), NewSalt())
                .value()
                .receipt;
  ExpectOnlyFailure(Verify(receipt, credential), &ReceiptCheck::checkpoint,
                    "comes from the ledger \"elsewhere.example/log\", and none of the ledger keys");
  // Trusting that ledger's key as well makes it pass.
  trust_.ledger_keys.push_back(third->verifier());
  EXPECT_TRUE(Verify(receipt, credential).ok());
}

TEST_F(ReceiptTest, ConsistencyWithACheckpointTheVerifierKnows) {
  bj::object credential = Alumni(1);
  Receipt receipt = Issue(credential, 1).receipt;
  uint64_t receipt_size = Verify(receipt, credential).checkpoint_size;
  Issue(Alumni(2), 2);
  Issue(Alumni(3), 3);
  auto newer = log_->AwaitCheckpoint(receipt_size + 2, std::chrono::seconds(5)).value();
  trust_.known =
      KnownCheckpoint{newer->note, log_->ConsistencyProof(receipt_size, newer->size).value()};
  ReceiptCheck check = Verify(receipt, credential);
  ASSERT_TRUE(check.consistency.has_value());
  EXPECT_TRUE(check.ok()) << check.Summary();

  // Without the proof, the verifier is told where to get one.
  trust_.known->consistency_proof.clear();
  check = Verify(receipt, credential);
  EXPECT_FALSE(check.consistency->ok());
  EXPECT_TRUE(
      Has(*check.consistency, "GET /ledger/proof/consistency?old=" + std::to_string(receipt_size) +
                                  "&size=" + std::to_string(newer->size)))
      << check.Summary();

  // A fork signed with the ledger's own key: another history of that size.
  TempDir fork_dir;
  auto fork = Log::Open(ledger::SqliteStorage::Open(fork_dir.path() / "fork.db").value(),
                        ledger::LoadLogKey(dir_.path()).value(), FastOptions())
                  .value();
  for (uint64_t i = 0; i < newer->size; ++i)
    ASSERT_TRUE(fork->Append(AsBytes("forked entry " + std::to_string(i))).ok());
  auto forked = fork->AwaitCheckpoint(newer->size, std::chrono::seconds(5)).value();
  trust_.known =
      KnownCheckpoint{forked->note, fork->ConsistencyProof(receipt_size, forked->size).value()};
  check = Verify(receipt, credential);
  EXPECT_TRUE(check.checkpoint.ok() && check.inclusion.ok() && check.commitment.ok());
  ASSERT_TRUE(check.consistency.has_value());
  EXPECT_EQ(check.consistency->code(), Code::kVerificationFailed);
  EXPECT_TRUE(Has(*check.consistency, "do not describe the same ledger history"))
      << check.Summary();
  EXPECT_FALSE(check.ok());
}

TEST_F(ReceiptTest, AnOlderKnownCheckpointIsCheckedTheOtherWay) {
  bj::object credential = Alumni(3);
  Issue(Alumni(1), 1);
  auto older = log_->AwaitCheckpoint(1, std::chrono::seconds(5)).value();
  Issue(Alumni(2), 2);
  Salt salt = NewSalt();
  Issue(credential, 3, kTime, salt);
  Receipt receipt = ReceiptAtSize(2, salt, 3);
  uint64_t size = Verify(receipt, credential).checkpoint_size;
  ASSERT_GT(size, older->size);
  trust_.known = KnownCheckpoint{older->note, log_->ConsistencyProof(older->size, size).value()};
  ReceiptCheck check = Verify(receipt, credential);
  EXPECT_TRUE(check.ok()) << check.Summary();
}

TEST_F(ReceiptTest, AnEntryForAnotherSlotFailsTheCredentialCheck) {
  // A buggy issuer recorded the right credential under a slot it does not name.
  bj::object credential = Alumni(1);
  Salt salt = NewSalt();
  StatusSlot wrong = SlotOf(credential, 2);
  std::string entry =
      EncodeEntry(IssuedEntry(Commitment(salt, credential).value(), wrong, std::string(kTime)))
          .value();
  uint64_t index = log_->Append(AsBytes(entry)).value().index;
  Receipt receipt = MakeReceipt(*log_, index, salt).value();
  ExpectOnlyFailure(Verify(receipt, credential), &ReceiptCheck::credential,
                    "is not one of the credential's credentialStatus entries");
}

TEST_F(ReceiptTest, ARetryWithTheSameSaltReturnsTheFirstEntry) {
  bj::object credential = Alumni(1);
  Salt salt = NewSalt();
  IssuedRecord first = Issue(credential, 1, kTime, salt);
  IssuedRecord again = Issue(credential, 1, "2026-03-01T10:05:00Z", salt);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.index, first.index);
  EXPECT_EQ(again.receipt.entry, first.receipt.entry);  // the first time stays
  EXPECT_TRUE(Verify(again.receipt, credential).ok());
  EXPECT_EQ(log_->Size(), 1u);

  auto other_salt =
      ledger_->RecordIssued(credential, SlotOf(credential, 1), std::string(kTime), NewSalt());
  EXPECT_EQ(other_salt.status().code(), Code::kAlreadyExists);
  bj::object someone_else = Alumni(1);
  someone_else["credentialSubject"].as_object()["id"] = "did:example:someone-else";
  auto clash =
      ledger_->RecordIssued(someone_else, SlotOf(someone_else, 1), std::string(kTime), salt);
  EXPECT_EQ(clash.status().code(), Code::kAlreadyExists);
  EXPECT_TRUE(Has(clash.status(), "is already recorded (entry 0)")) << clash.status().ToString();
  EXPECT_EQ(log_->Size(), 1u);
}

TEST_F(ReceiptTest, RecordIssuedRefusesASlotTheCredentialDoesNotName) {
  bj::object credential = Alumni(1);
  auto wrong_index =
      ledger_->RecordIssued(credential, SlotOf(credential, 2), std::string(kTime), NewSalt());
  EXPECT_EQ(wrong_index.status().code(), Code::kVerificationFailed);
  StatusSlot wrong_issuer = SlotOf(credential, 1);
  wrong_issuer.issuer = "did:web:other.example";
  auto r = ledger_->RecordIssued(credential, wrong_issuer, std::string(kTime), NewSalt());
  EXPECT_EQ(r.status().code(), Code::kVerificationFailed);
  auto bad_time = ledger_->RecordIssued(credential, SlotOf(credential, 1), "yesterday", NewSalt());
  EXPECT_EQ(bad_time.status().where(), "/time");
  EXPECT_EQ(log_->Size(), 0u);
}

// A batch (a transcript's credentials) is queued together: each item gets
// its own entry and receipt, and an item that is refused does not stop the
// others.
TEST_F(ReceiptTest, RecordIssuedAllRecordsEachItemOnItsOwn) {
  const std::vector<SignedCredential> credentials = {Alumni(1), Degree(2), Alumni(3)};
  const std::vector<Salt> salts = {NewSalt(), NewSalt(), NewSalt()};
  std::vector<IssueToRecord> items;
  for (size_t i = 0; i < credentials.size(); ++i)
    items.push_back({&credentials[i], SlotOf(CredentialClaims(credentials[i]).value(), i + 1), salts[i]});
  items[1].slot.status_index = 9;  // not the slot Degree(2) names: refused
  std::vector<Result<IssuedRecord>> out = ledger_->RecordIssuedAll(items, std::string(kTime));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].status().code(), Code::kVerificationFailed);
  std::set<uint64_t> indexes;
  for (size_t i : {0u, 2u}) {
    ASSERT_TRUE(out[i].ok()) << out[i].status().ToString();
    EXPECT_FALSE(out[i]->duplicate);
    EXPECT_EQ(out[i]->receipt.salt, salts[i]);
    indexes.insert(out[i]->index);
    EXPECT_TRUE(Verify(out[i]->receipt, credentials[i]).ok());
  }
  EXPECT_EQ(indexes, (std::set<uint64_t>{0, 1}));
  EXPECT_EQ(log_->Size(), 2u);
}

TEST(CredentialLedgerWait, AReceiptWaitsBoundedlyAndARetryCompletesIt) {
  TempDir dir;
  bj::object credential = Alumni(1);
  Salt salt = NewSalt();
  {
    ledger::LogOptions slow;
    slow.checkpoint_interval = std::chrono::hours(1);
    auto log = OpenLog(dir, kOrigin, slow);
    CredentialLedger ledger(*log, std::chrono::milliseconds(50));
    auto r = ledger.RecordIssued(credential, SlotOf(credential, 1), std::string(kTime), salt);
    EXPECT_EQ(r.status().code(), Code::kUnavailable);
    EXPECT_TRUE(Has(r.status(), "ask for the receipt again")) << r.status().ToString();
    EXPECT_EQ(log->Size(), 1u);  // recorded all the same
  }
  auto log = OpenLog(dir);
  CredentialLedger ledger(*log);
  auto r = ledger.RecordIssued(credential, SlotOf(credential, 1), "2026-03-02T00:00:00Z", salt);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->duplicate);
  ReceiptTrust trust;
  trust.ledger_keys = {log->verifier()};
  auto check = VerifyReceipt(r->receipt, credential, trust);
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok()) << check->Summary();
}

TEST_F(ReceiptTest, StatusChangesAndKeyEvents) {
  bj::object credential = Alumni(1);
  StatusSlot slot = SlotOf(credential, 1);
  auto revoked =
      ledger_->RecordStatusChange(EntryType::kCredentialRevoked, slot, std::string(kTime));
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  auto revoked_again =
      ledger_->RecordStatusChange(EntryType::kCredentialRevoked, slot, "2026-03-05T00:00:00Z");
  ASSERT_TRUE(revoked_again.ok());
  EXPECT_TRUE(revoked_again->duplicate);
  EXPECT_EQ(revoked_again->index, revoked->index);
  // Suspensions may recur for one slot.
  auto s1 = ledger_->RecordStatusChange(EntryType::kCredentialSuspended, slot, std::string(kTime));
  auto s2 =
      ledger_->RecordStatusChange(EntryType::kCredentialSuspended, slot, "2026-03-06T00:00:00Z");
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_NE(s1->index, s2->index);

  auto key = certs::Ed25519Key::Generate();
  KeyRecord record{certs::DidKey(key.public_key()),
                   certs::DidKeyVerificationMethod(key.public_key()),
                   certs::Ed25519PublicKeyMultibase(key.public_key())};
  auto added = ledger_->RecordKeyEvent(EntryType::kKeyAdded, record, std::string(kTime));
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  auto logged = DecodeEntry(AsChars(log_->ReadEntry(added->index).value()));
  ASSERT_TRUE(logged.ok()) << logged.status().ToString();
  EXPECT_EQ(*logged, KeyEventEntry(EntryType::kKeyAdded, record, std::string(kTime)));

  uint64_t size = log_->Size();
  EXPECT_EQ(
      ledger_->RecordStatusChange(EntryType::kKeyAdded, slot, std::string(kTime)).status().code(),
      Code::kInvalidArgument);
  EXPECT_EQ(ledger_->RecordKeyEvent(EntryType::kCredentialRevoked, record, std::string(kTime))
                .status()
                .code(),
            Code::kInvalidArgument);
  slot.issuer = "Jane Doe";
  EXPECT_EQ(ledger_->RecordStatusChange(EntryType::kCredentialSuspended, slot, std::string(kTime))
                .status()
                .where(),
            "/issuer");
  EXPECT_EQ(log_->Size(), size);

  // A receipt is for issued credentials only.
  auto not_issued = MakeReceipt(*log_, revoked->index, NewSalt());
  EXPECT_EQ(not_issued.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(MakeReceipt(*log_, 1000, NewSalt()).status().code(), Code::kNotFound);
}

TEST_F(ReceiptTest, ParseReceiptIsStrict) {
  bj::object credential = Alumni(1);
  Issue(credential, 1);
  auto revoked = ledger_->RecordStatusChange(EntryType::kCredentialRevoked, SlotOf(credential, 1),
                                             std::string(kTime));
  ASSERT_TRUE(revoked.ok());
  const bj::object good =
      bj::parse(FormatReceipt(MakeReceipt(*log_, 0, FixedSalt(1)).value())).as_object();
  ASSERT_TRUE(ParseReceipt(bj::serialize(good)).ok());
  std::string revoked_entry(AsChars(log_->ReadEntry(revoked->index).value()));
  struct Case {
    std::string member;
    bj::value value;
    std::string where;
  };
  const std::vector<Case> cases = {
      {"name", bj::value("Jane Doe"), "/name"},
      {"type", bj::value("SomeOtherReceipt"), "/type"},
      {"v", bj::value(2), "/v"},
      {"salt", bj::value(Base64UrlEncode(Bytes(31, 1))), "/salt"},
      {"salt", bj::value("not base64url!"), "/salt"},
      {"index", bj::value(-1), "/index"},
      {"index", bj::value(uint64_t{1} << 53), "/index"},
      {"index", bj::value("0"), "/index"},
      {"proof", bj::value("not a tlog proof"), "/proof"},
      {"entry", bj::value(revoked_entry), "/entry"},
      {"entry", bj::value("{}"), "/entry"},
  };
  for (const auto& c : cases) {
    bj::object bad = good;
    bad[c.member] = c.value;
    auto r = ParseReceipt(bj::serialize(bad));
    ASSERT_FALSE(r.ok()) << c.member << " = " << bj::serialize(c.value);
    EXPECT_TRUE(r.status().where().starts_with(c.where))
        << c.member << ": " << r.status().ToString();
  }
  bj::object missing = good;
  missing.erase("salt");
  EXPECT_EQ(ParseReceipt(bj::serialize(missing)).status().where(), "/salt");
  EXPECT_FALSE(ParseReceipt("[]").ok());
  EXPECT_EQ(ParseReceipt(std::string(kMaxReceiptSize + 1, ' ')).status().code(),
            Code::kResourceExhausted);

  // A receipt built in code with a broken proof cannot be checked at all.
  Receipt broken = ParseReceipt(bj::serialize(good)).value();
  broken.proof = "garbage";
  EXPECT_FALSE(VerifyReceipt(broken, credential, trust_).ok());
}

}  // namespace
}  // namespace pathbridge::credentials
