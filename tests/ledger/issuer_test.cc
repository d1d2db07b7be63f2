// The credential service over a real data directory: an organization in the
// registry, the ledger, the status store and the published lists; every
// credential is checked with the verifier as an outsider would (the hub's
// registry, published lists and ledger key, read from the directory).
#include "ledger/credentials/issuer.h"

#include <fstream>
#include <set>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "certs/multikey.h"
#include "certs/org_registry.h"
#include "ledger/credentials/offline_sources.h"
#include "ledger/credentials/status_store.h"
#include "ledger/ledger_dir.h"
#include "tests/testing/test_util.h"

namespace pathbridge::credentials {
namespace {

namespace fs = std::filesystem;
namespace js = boost::json;
using testing::ReadJson;
using testing::SharedDir;

constexpr std::string_view kCollege = "Lakeview Community College";

Timestamp At(std::string_view rfc3339) { return *ParseRfc3339(rfc3339); }

// An OB 3.0 spec example, made unsigned and issuer-less: the hub fills in
// the issuer's id (keeping the Profile object), the id and the status.
js::object UnsignedBadge(std::string_view file = "basicOpenBadgeCredential.json") {
  js::object c = ReadJson(SharedDir() / "standards/ob3/spec-examples" / file).as_object();
  c.erase("id");
  c.erase("proof");
  js::object& issuer = c["issuer"].as_object();
  issuer.erase("id");
  issuer["name"] = kCollege;
  return c;
}

class IssuerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    certs::OrgSpec spec;
    spec.slug = "cc";
    spec.name = std::string(kCollege);
    auto org = certs::AddOrganization(Data(), spec, {}, At("2025-01-01T00:00:00Z"));
    ASSERT_TRUE(org.ok()) << org.status().ToString();
    did_ = org->Did();
    OpenService();
    // The key is in the log, as `org add` leaves it when the ledger is free,
    // so each test counts only its own entries.
    auto logged = CredentialLedger(*log_).RecordKeyEvents(*org);
    ASSERT_TRUE(logged.ok()) << logged.status().ToString();
    ASSERT_EQ(*logged, 1);
  }

  void OpenService() {
    auto log = ledger::OpenLedger(Data());
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    log_ = std::move(*log);
    auto service = CredentialService::Open(Data(), *log_);
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(*service);
  }
  void CloseService() {
    service_.reset();
    log_.reset();
  }

  fs::path Data() const { return dir_.path() / "var"; }

  IssuedCredential Issue(const js::object& c, IssueSuite suite = IssueSuite::kEddsaRdfc2022) {
    auto issued = service_->Issue(c, "cc", suite, issued_at_);
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    return issued.ok() ? std::move(*issued) : IssuedCredential{};
  }

  VerificationReport Verify(const SignedCredential& c, const Receipt* receipt = nullptr,
                            std::string_view trust_file = {}) {
    OfflineSetup setup;
    setup.data_dir = Data();
    setup.trust = trust_file;
    auto sources = OfflineSources::Load(setup);
    EXPECT_TRUE(sources.ok()) << sources.status().ToString();
    VerifyContext ctx = sources->Context(verify_at_);
    std::optional<ReceiptTrust> ledger;
    if (receipt) {
      auto trust = sources->ReceiptTrustFor(*receipt);
      EXPECT_TRUE(trust.ok()) << trust.status().ToString();
      ledger = *trust;
      ctx.ledger = &*ledger;
    }
    return credentials::Verify(c, ctx, receipt);
  }

  static const Check& Get(const VerificationReport& r, std::string_view id) {
    static const Check kMissing{"missing", Outcome::kIndeterminate, "no such check", {}};
    const Check* c = r.Find(id);
    EXPECT_NE(c, nullptr) << "no check " << id << " in " << js::serialize(r.ToJson());
    return c ? *c : kMissing;
  }

  testing::TempDir dir_;
  std::string did_;
  std::unique_ptr<ledger::Log> log_;
  std::unique_ptr<CredentialService> service_;
  Timestamp issued_at_ = At("2025-02-01T00:00:00Z");
  Timestamp verify_at_ = At("2025-03-01T00:00:00Z");
};

// The entries of the ledger that are key events, decoded, in log order.
std::vector<LedgerEntry> KeyEntries(const ledger::Log& log) {
  std::vector<LedgerEntry> out;
  for (uint64_t i = 0; i < log.Size(); ++i) {
    auto bytes = log.ReadEntry(i);
    EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
    auto entry = DecodeEntry(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
    EXPECT_TRUE(entry.ok()) << entry.status().ToString();
    if (entry.ok() && IsKeyEvent(entry->type)) out.push_back(*entry);
  }
  return out;
}

// Each key change is in the log, once, before the key signs: a rotation
// when the new key first signs, a revocation at the service's next
// issuance after it reopens.
TEST_F(IssuerTest, KeyChangesAreLoggedOnceBeforeTheKeySigns) {
  Issue(UnsignedBadge());
  std::vector<LedgerEntry> keys = KeyEntries(*log_);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(log_->Size(), 2u);  // the key (logged once), then the credential
  EXPECT_EQ(keys[0].type, EntryType::kKeyAdded);
  EXPECT_EQ(keys[0].key.issuer, did_);
  EXPECT_EQ(keys[0].key.verification_method, did_ + "#key-1");
  EXPECT_EQ(keys[0].time, "2025-01-01T00:00:00Z");

  auto rotated = certs::RotateKey(Data(), "cc", {}, At("2025-01-15T00:00:00Z"));
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  uint64_t before = log_->Size();
  Issue(UnsignedBadge());
  keys = KeyEntries(*log_);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[1].type, EntryType::kKeyRotated);
  EXPECT_EQ(keys[1].key.verification_method, did_ + "#key-2");
  EXPECT_EQ(keys[1].key.public_key_multibase,
            certs::Ed25519PublicKeyMultibase(rotated->keys.back().public_key));
  EXPECT_EQ(log_->Size(), before + 2);  // the rotation, then the issuance

  ASSERT_TRUE(certs::RevokeKey(Data(), "cc", "key-1", At("2025-01-20T00:00:00Z")).ok());
  CloseService();
  OpenService();
  EXPECT_EQ(KeyEntries(*log_).size(), 2u);
  Issue(UnsignedBadge());
  keys = KeyEntries(*log_);
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[2].type, EntryType::kKeyRevoked);
  EXPECT_EQ(keys[2].key.verification_method, did_ + "#key-1");
  EXPECT_EQ(keys[2].time, "2025-01-20T00:00:00Z");
  before = log_->Size();
  CloseService();
  OpenService();
  Issue(UnsignedBadge());
  EXPECT_EQ(log_->Size(), before + 1);  // the credential only: each key event is logged once
}

TEST_F(IssuerTest, IssuesAnOpenBadgeThatVerifiesWithItsReceipt) {
  IssuedCredential issued = Issue(UnsignedBadge());
  const js::object& c = std::get<js::object>(issued.credential);
  EXPECT_EQ(c.at("issuer").at("id"), js::value(did_));
  EXPECT_EQ(c.at("issuer").at("name"), js::value(kCollege));  // the Profile object is kept
  EXPECT_TRUE(issued.id.starts_with("urn:uuid:")) << issued.id;
  EXPECT_EQ(c.at("validFrom"), js::value("2010-01-01T00:00:00Z"));  // the input's, kept
  ASSERT_TRUE(c.at("credentialStatus").is_array());
  EXPECT_EQ(c.at("credentialStatus").as_array().size(), 2u);

  VerificationReport r = Verify(issued.credential, &issued.receipt);
  EXPECT_TRUE(r.verified()) << js::serialize(r.ToJson());
  EXPECT_EQ(Get(r, "status.revocation").outcome, Outcome::kValid);
  EXPECT_EQ(Get(r, "status.suspension").outcome, Outcome::kValid);
  EXPECT_EQ(Get(r, "receipt").outcome, Outcome::kValid);
}

TEST_F(IssuerTest, BatchIssuesEveryCredentialAndEachVerifies) {
  js::object aligned = UnsignedBadge("achievementAlignmentCe.json");
  std::vector<js::object> batch = {UnsignedBadge(), aligned, UnsignedBadge()};
  uint64_t before = log_->Size();
  auto issued = service_->IssueBatch(batch, "cc", IssueSuite::kEddsaRdfc2022, issued_at_);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  ASSERT_EQ(issued->size(), 3u);
  EXPECT_EQ(log_->Size(), before + 3);
  std::set<std::string> ids;
  for (const IssuedCredential& c : *issued) {
    ids.insert(c.id);
    VerificationReport r = Verify(c.credential, &c.receipt);
    EXPECT_TRUE(r.verified()) << js::serialize(r.ToJson());
  }
  EXPECT_EQ(ids.size(), 3u);
}

TEST_F(IssuerTest, BatchWithOneBadCredentialIssuesAndLogsNothing) {
  js::object bad = UnsignedBadge();
  bad["proof"] = js::object{{"type", "DataIntegrityProof"}};  // already signed: refused
  std::vector<js::object> batch = {UnsignedBadge(), bad, UnsignedBadge()};
  uint64_t before = log_->Size();
  auto issued = service_->IssueBatch(batch, "cc", IssueSuite::kEddsaRdfc2022, issued_at_);
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.status().where(), "credential 1 /proof");
  EXPECT_EQ(log_->Size(), before);

  js::object twice = UnsignedBadge();
  twice["id"] = "urn:uuid:2f8c0c1a-1111-4222-8333-444455556666";
  auto repeated = service_->IssueBatch({twice, twice}, "cc", IssueSuite::kEddsaRdfc2022, issued_at_);
  ASSERT_FALSE(repeated.ok());
  EXPECT_EQ(log_->Size(), before);
}

TEST_F(IssuerTest, BadgeWithoutIssuerGetsTheOrganizationsProfile) {
  js::object c = UnsignedBadge();
  c.erase("issuer");
  IssuedCredential issued = Issue(c);
  const js::value& issuer = std::get<js::object>(issued.credential).at("issuer");
  EXPECT_EQ(issuer.at("id"), js::value(did_));
  EXPECT_EQ(issuer.at("type"), js::value(js::array{"Profile"}));
  EXPECT_EQ(issuer.at("name"), js::value(kCollege));
  EXPECT_TRUE(Verify(issued.credential).verified());
}

TEST_F(IssuerTest, EverySuiteVerifies) {
  for (IssueSuite suite : {IssueSuite::kEddsaJcs2022, IssueSuite::kVcJose}) {
    IssuedCredential issued = Issue(UnsignedBadge(), suite);
    EXPECT_EQ(std::holds_alternative<CompactJws>(issued.credential), suite == IssueSuite::kVcJose);
    VerificationReport r = Verify(issued.credential, &issued.receipt);
    EXPECT_TRUE(r.verified()) << IssueSuiteName(suite) << js::serialize(r.ToJson());
  }
}

TEST_F(IssuerTest, RevokedCredentialFailsWithThePlainReason) {
  IssuedCredential issued = Issue(UnsignedBadge());
  auto update = service_->ChangeStatus(issued.id, StatusAction::kRevoke, verify_at_);
  ASSERT_TRUE(update.ok()) << update.status().ToString();
  EXPECT_TRUE(update->list_url.starts_with("https://localhost:8443/status/cc/revocation/")) << update->list_url;
  EXPECT_TRUE(fs::exists(Data() / "status/cc/revocation/1.json"));

  VerificationReport r = Verify(issued.credential);
  EXPECT_FALSE(r.verified());
  EXPECT_EQ(Get(r, "status.revocation").outcome, Outcome::kInvalid);
  EXPECT_NE(Get(r, "status.revocation").message.find("revoked by Lakeview Community College"),
            std::string::npos)
      << Get(r, "status.revocation").message;

  auto again = service_->ChangeStatus(issued.id, StatusAction::kReinstate, verify_at_);
  EXPECT_EQ(again.status().code(), Code::kFailedPrecondition);  // revocation is final
}

TEST_F(IssuerTest, SuspendAndReinstate) {
  IssuedCredential issued = Issue(UnsignedBadge());
  ASSERT_TRUE(service_->ChangeStatus(issued.id, StatusAction::kSuspend, verify_at_).ok());
  VerificationReport suspended = Verify(issued.credential);
  EXPECT_EQ(Get(suspended, "status.suspension").outcome, Outcome::kInvalid);
  EXPECT_EQ(Get(suspended, "status.revocation").outcome, Outcome::kValid);
  EXPECT_FALSE(suspended.verified());

  ASSERT_TRUE(service_->ChangeStatus(issued.id, StatusAction::kReinstate, verify_at_).ok());
  VerificationReport reinstated = Verify(issued.credential);
  EXPECT_TRUE(reinstated.verified()) << js::serialize(reinstated.ToJson());
}

TEST_F(IssuerTest, ExpiredAndNotYetValid) {
  js::object c = UnsignedBadge();
  c["validFrom"] = "2025-02-01T00:00:00Z";
  c["validUntil"] = "2025-02-15T00:00:00Z";
  IssuedCredential issued = Issue(c);
  VerificationReport expired = Verify(issued.credential);
  EXPECT_EQ(Get(expired, "dates").outcome, Outcome::kInvalid);
  EXPECT_NE(Get(expired, "dates").message.find("expired"), std::string::npos);

  verify_at_ = At("2025-01-31T00:00:00Z");
  VerificationReport early = Verify(issued.credential);
  EXPECT_EQ(Get(early, "dates").outcome, Outcome::kInvalid);
  EXPECT_NE(Get(early, "dates").message.find("not valid until"), std::string::npos);
}

TEST_F(IssuerTest, TamperedCredentialFails) {
  IssuedCredential issued = Issue(UnsignedBadge());
  js::object c = std::get<js::object>(issued.credential);
  c["credentialSubject"].as_object()["id"] = "did:example:someone-else";
  VerificationReport r = Verify(c, &issued.receipt);
  EXPECT_EQ(Get(r, "proof").outcome, Outcome::kInvalid);
  EXPECT_EQ(Get(r, "receipt").outcome, Outcome::kInvalid);  // not the credential the ledger saw
  EXPECT_FALSE(r.verified());
}

TEST_F(IssuerTest, RefusesWhatItShouldNotSign) {
  js::object other = UnsignedBadge();
  other["issuer"].as_object()["id"] = "https://example.com/issuers/876543";
  EXPECT_EQ(service_->Issue(other, "cc", IssueSuite::kEddsaRdfc2022, issued_at_).status().code(),
            Code::kInvalidArgument);

  js::object undefined_term = UnsignedBadge();
  undefined_term["favouriteColour"] = "green";
  EXPECT_EQ(service_->Issue(undefined_term, "cc", IssueSuite::kEddsaRdfc2022, issued_at_).status().code(),
            Code::kInvalidArgument);

  EXPECT_EQ(service_->Issue(UnsignedBadge(), "nobody", IssueSuite::kEddsaRdfc2022, issued_at_).status().code(),
            Code::kNotFound);

  js::object with_id = UnsignedBadge();
  with_id["id"] = "https://localhost:8443/credentials/42";
  Issue(with_id);
  EXPECT_EQ(service_->Issue(with_id, "cc", IssueSuite::kEddsaRdfc2022, issued_at_).status().code(),
            Code::kAlreadyExists);
}

TEST_F(IssuerTest, UntrustedIssuer) {
  IssuedCredential issued = Issue(UnsignedBadge());
  fs::path trusted = dir_.path() / "trusted.json";
  fs::path other = dir_.path() / "other.json";
  std::ofstream(trusted) << js::serialize(js::object{
      {"name", "Lakeview consortium"},
      {"entries", js::array{js::object{{"name", "Hub organizations"}, {"idPrefix", "did:web:localhost%3A8443:orgs:"}}}}});
  std::ofstream(other) << js::serialize(js::object{
      {"name", "Elsewhere"}, {"entries", js::array{js::object{{"name", "A"}, {"id", "did:web:elsewhere.example"}}}}});

  VerificationReport yes = Verify(issued.credential, nullptr, trusted.string());
  EXPECT_EQ(Get(yes, "trust").outcome, Outcome::kValid) << Get(yes, "trust").message;
  EXPECT_NE(Get(yes, "trust").message.find("Hub organizations"), std::string::npos);
  EXPECT_TRUE(yes.verified());

  VerificationReport no = Verify(issued.credential, nullptr, other.string());
  EXPECT_EQ(Get(no, "trust").outcome, Outcome::kInvalid) << Get(no, "trust").message;
  EXPECT_FALSE(no.verified());
}

TEST_F(IssuerTest, UnpublishedStatusListCouldNotBeChecked) {
  IssuedCredential issued = Issue(UnsignedBadge());
  fs::remove_all(Data() / "status");
  VerificationReport r = Verify(issued.credential);
  EXPECT_EQ(Get(r, "status.revocation").outcome, Outcome::kIndeterminate);
  EXPECT_NE(Get(r, "status.revocation").message.find("Could not check revocation"), std::string::npos);
  EXPECT_FALSE(r.verified());
}

TEST_F(IssuerTest, ClrWithTwoIssuedBadgesAndOneTampered) {
  js::object a = std::get<js::object>(Issue(UnsignedBadge()).credential);
  js::object b = std::get<js::object>(Issue(UnsignedBadge("achievementAlignmentCase.json")).credential);
  js::object clr = ReadJson(SharedDir() / "standards/clr2/impl-guide-test-vector/signed-credential.json").as_object();
  clr.erase("proof");
  clr.erase("id");
  clr["issuer"].as_object().erase("id");
  clr["credentialSubject"].as_object()["verifiableCredential"] = js::array{a, b};

  VerificationReport good = Verify(Issue(clr).credential);
  EXPECT_TRUE(good.verified()) << js::serialize(good.ToJson());
  EXPECT_EQ(Get(good, "nested[1].proof").outcome, Outcome::kValid);
  EXPECT_EQ(Get(good, "nested[1].status.revocation").outcome, Outcome::kValid);

  b["name"] = "Changed after signing";
  clr["credentialSubject"].as_object()["verifiableCredential"] = js::array{a, b};
  VerificationReport bad = Verify(Issue(clr).credential);
  EXPECT_EQ(Get(bad, "proof").outcome, Outcome::kValid);  // the CLR itself is intact
  EXPECT_EQ(Get(bad, "nested[0]").outcome, Outcome::kValid);
  EXPECT_EQ(Get(bad, "nested[1]").outcome, Outcome::kInvalid);
  EXPECT_EQ(Get(bad, "nested[1].proof").outcome, Outcome::kInvalid);
  EXPECT_FALSE(bad.verified());
}

TEST_F(IssuerTest, Vc11CredentialGetsIssuanceDateAndVerifies) {
  js::object c{{"@context", js::array{"https://www.w3.org/2018/credentials/v1",
                                      "https://www.w3.org/2018/credentials/examples/v1"}},
               {"type", js::array{"VerifiableCredential", "UniversityDegreeCredential"}},
               {"credentialSubject", js::object{{"id", "did:example:ebfeb1f712ebc6f1c276e12ec21"},
                                                {"degree", js::object{{"type", "BachelorDegree"},
                                                                      {"name", "Bachelor of Science"}}}}}};
  IssuedCredential issued = Issue(c);
  const js::object& s = std::get<js::object>(issued.credential);
  EXPECT_EQ(s.at("issuanceDate"), js::value("2025-02-01T00:00:00Z"));
  EXPECT_EQ(s.at("issuer"), js::value(did_));  // not an Open Badge: the DID alone
  EXPECT_FALSE(s.contains("validFrom"));
  VerificationReport r = Verify(issued.credential);
  EXPECT_TRUE(r.verified()) << js::serialize(r.ToJson());
}

TEST_F(IssuerTest, ReceiptCanBeMadeAgain) {
  IssuedCredential issued = Issue(UnsignedBadge());
  Issue(UnsignedBadge());  // the tree grows
  auto receipt = service_->ReceiptFor(issued.id);
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_EQ(receipt->index, issued.receipt.index);
  EXPECT_EQ(receipt->salt, issued.receipt.salt);
  VerificationReport r = Verify(issued.credential, &*receipt);
  EXPECT_EQ(Get(r, "receipt").outcome, Outcome::kValid) << Get(r, "receipt").message;
  EXPECT_EQ(service_->ReceiptFor("urn:uuid:never-issued").status().code(), Code::kNotFound);
}

TEST_F(IssuerTest, StatusOfNamesTheIssuingOrganizationAndItsEntries) {
  IssuedCredential issued = Issue(UnsignedBadge());
  auto status = service_->StatusOf(issued.id);
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->org, "cc");
  // The entries are the ones the signed credential carries.
  const js::array& carried = std::get<js::object>(issued.credential).at("credentialStatus").as_array();
  ASSERT_EQ(status->entries.size(), carried.size());
  for (const StatusAllocation& e : status->entries) {
    bool found = false;
    for (const js::value& c : carried)
      found |= c.at("statusListCredential") == js::value(e.list_url) &&
               c.at("statusListIndex") == js::value(std::to_string(e.index));
    EXPECT_TRUE(found) << e.list_url << " " << e.index;
  }
  EXPECT_EQ(service_->StatusOf("urn:uuid:never-issued").status().code(), Code::kNotFound);
}

TEST_F(IssuerTest, StatusChangeNotYetLoggedIsLoggedAndPublishedOnReopen) {
  IssuedCredential issued = Issue(UnsignedBadge());
  uint64_t size_before = log_->Size();
  CloseService();
  {  // a change the service did not get to log (it crashed right after the store's commit)
    auto store = StatusStore::Open(StatusStorePath(Data()));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->Revoke(issued.id).ok());
  }
  OpenService();
  EXPECT_EQ(log_->Size(), size_before + 1);
  VerificationReport r = Verify(issued.credential);
  EXPECT_EQ(Get(r, "status.revocation").outcome, Outcome::kInvalid) << js::serialize(r.ToJson());
}

}  // namespace
}  // namespace pathbridge::credentials
