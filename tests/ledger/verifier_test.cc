// The credential verifier on its own: the 1EdTech signed vectors, and
// credentials signed here with did:key keys, checked against in-memory
// status lists. (Issuing through a real data directory is issuer_test.cc.)
#include "ledger/credentials/verifier.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "certs/multikey.h"
#include "certs/resolvers.h"
#include "ledger/credentials/data_integrity.h"
#include "ledger/credentials/jose.h"
#include "ledger/credentials/status_list.h"
#include "tests/testing/test_util.h"

namespace pathbridge::credentials {
namespace {

namespace js = boost::json;
using testing::ReadJson;
using testing::SharedDir;

constexpr std::string_view kListUrl = "https://hub.example/status/cc/revocation/1";

js::object Object(const std::filesystem::path& p) { return ReadJson(p).as_object(); }

Timestamp At(std::string_view rfc3339) { return *ParseRfc3339(rfc3339); }

// A controller document for the 1EdTech vectors' https issuer key.
js::object OneEdTechIssuerDocument(const std::filesystem::path& values_file) {
  js::object values = Object(values_file);
  std::string multibase(values.at("publicKeyMultibase").as_string());
  std::string vm(values.at("verificationMethod").as_string());
  std::string controller = vm.substr(0, vm.find('#'));
  return {{"@context", "https://www.w3.org/ns/cid/v1"},
          {"id", controller},
          {"verificationMethod",
           js::array{{{"id", vm}, {"type", "Multikey"}, {"controller", controller},
                      {"publicKeyMultibase", multibase}}}},
          {"assertionMethod", js::array{vm}}};
}

// Signs with did:key keys and serves status lists from memory.
class VerifierTest : public ::testing::Test {
 protected:
  VerifierTest() : key_(certs::Ed25519Key::Generate()), other_(certs::Ed25519Key::Generate()) {}

  std::string Did(const certs::Ed25519Key& k) const { return certs::DidKey(k.public_key()); }

  js::object Unsigned(const certs::Ed25519Key& issuer) const {
    js::object c = Object(SharedDir() / "standards/ob3/spec-examples/basicOpenBadgeCredential.json");
    c["issuer"].as_object()["id"] = Did(issuer);
    return c;
  }

  js::object Sign(const js::object& c, const certs::Ed25519Key& k,
                  Cryptosuite suite = Cryptosuite::kEddsaRdfc2022) const {
    ProofOptions o;
    o.suite = suite;
    o.verification_method = certs::DidKeyVerificationMethod(k.public_key());
    o.created = "2024-01-01T00:00:00Z";
    auto signed_c = AddProof(c, k, o);
    EXPECT_TRUE(signed_c.ok()) << signed_c.status().ToString();
    return *signed_c;
  }

  // A credential with a revocation entry at `index` of kListUrl.
  js::object WithStatus(uint64_t index) const {
    js::object c = Unsigned(key_);
    c["credentialStatus"] = BuildStatusListEntry(kListUrl, index, StatusPurpose::kRevocation);
    return Sign(c, key_);
  }

  // Publishes kListUrl, signed by `signer`, with `revoked` set.
  void PublishList(std::vector<uint64_t> revoked, const certs::Ed25519Key& signer) {
    Bitstring bits;
    for (uint64_t i : revoked) bits.Set(i, true);
    StatusListCredentialInfo info;
    info.list_url = std::string(kListUrl);
    info.issuer = Did(signer);
    info.valid_from = std::chrono::sys_days(std::chrono::year(2024) / 2 / 1);
    auto list = BuildStatusListCredential(info, bits);
    ASSERT_TRUE(list.ok()) << list.status().ToString();
    lists_[std::string(kListUrl)] = Sign(*list, signer);
  }

  VerificationReport VerifyNow(const SignedCredential& c, const Receipt* receipt = nullptr) {
    MapStatusListSource source(lists_);
    VerifyContext ctx;
    ctx.keys = &keys_;
    ctx.status_lists = &source;
    ctx.now = now_;
    return Verify(c, ctx, receipt);
  }

  static Outcome OutcomeOf(const VerificationReport& r, std::string_view id) {
    const Check* c = r.Find(id);
    EXPECT_NE(c, nullptr) << "no check " << id << " in " << js::serialize(r.ToJson());
    return c ? c->outcome : Outcome::kIndeterminate;
  }
  static std::string MessageOf(const VerificationReport& r, std::string_view id) {
    const Check* c = r.Find(id);
    return c ? c->message : "";
  }

  certs::Ed25519Key key_, other_;
  certs::DidKeyResolver keys_;
  std::map<std::string, js::object, std::less<>> lists_;
  Timestamp now_ = At("2025-06-01T00:00:00Z");
};

TEST_F(VerifierTest, OneEdTechSignedOpenBadgeVerifiesWithItsIssuerDocument) {
  auto dir = SharedDir() / "standards/ob3/impl-guide-test-vector";
  auto docs = certs::DocumentMapResolver::FromJson(OneEdTechIssuerDocument(dir / "values.json"), "test");
  ASSERT_TRUE(docs.ok()) << docs.status().ToString();
  VerifyContext ctx;
  ctx.keys = &*docs;
  ctx.now = now_;
  js::object signed_c = Object(dir / "signed-credential.json");
  VerificationReport r = Verify(signed_c, ctx);
  EXPECT_TRUE(r.verified()) << js::serialize(r.ToJson());
  EXPECT_EQ(OutcomeOf(r, "issuer"), Outcome::kValid);

  signed_c["name"] = "Teamwork Badge (edited)";
  r = Verify(signed_c, ctx);
  EXPECT_FALSE(r.verified());
  EXPECT_EQ(OutcomeOf(r, "proof"), Outcome::kInvalid) << js::serialize(r.ToJson());
}

TEST_F(VerifierTest, OneEdTechClrVerifiesWithItsNestedCredentials) {
  auto dir = SharedDir() / "standards/clr2/impl-guide-test-vector";
  auto docs = certs::DocumentMapResolver::FromJson(OneEdTechIssuerDocument(dir / "values.json"), "test");
  ASSERT_TRUE(docs.ok()) << docs.status().ToString();
  VerifyContext ctx;
  ctx.keys = &*docs;
  ctx.now = now_;
  VerificationReport r = Verify(Object(dir / "signed-credential.json"), ctx);
  EXPECT_TRUE(r.verified()) << js::serialize(r.ToJson());
  EXPECT_EQ(OutcomeOf(r, "nested[0]"), Outcome::kValid);
  EXPECT_EQ(OutcomeOf(r, "nested[0].proof"), Outcome::kValid);
}

TEST_F(VerifierTest, UnknownKeyIsIndeterminateNotInvalid) {
  VerifyContext ctx;
  ctx.keys = &keys_;  // knows did:key only, not the vector's https issuer
  ctx.now = now_;
  VerificationReport r =
      Verify(Object(SharedDir() / "standards/ob3/impl-guide-test-vector/signed-credential.json"), ctx);
  EXPECT_FALSE(r.verified());
  EXPECT_EQ(OutcomeOf(r, "proof"), Outcome::kIndeterminate) << js::serialize(r.ToJson());
}

TEST_F(VerifierTest, EachSuiteVerifies) {
  for (Cryptosuite suite : {Cryptosuite::kEddsaRdfc2022, Cryptosuite::kEddsaJcs2022}) {
    VerificationReport r = VerifyNow(Sign(Unsigned(key_), key_, suite));
    EXPECT_TRUE(r.verified()) << CryptosuiteName(suite) << js::serialize(r.ToJson());
  }
  auto jws = SignJose(Unsigned(key_), key_, certs::DidKeyVerificationMethod(key_.public_key()));
  ASSERT_TRUE(jws.ok()) << jws.status().ToString();
  VerificationReport r = VerifyNow(CompactJws{*jws});
  EXPECT_TRUE(r.verified()) << js::serialize(r.ToJson());

  std::string tampered = *jws;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyNow(CompactJws{tampered}).verified());
}

TEST_F(VerifierTest, SignedByAnotherKeyThanTheIssuersIsInvalid) {
  VerificationReport r = VerifyNow(Sign(Unsigned(key_), other_));
  EXPECT_EQ(OutcomeOf(r, "proof"), Outcome::kValid);
  EXPECT_EQ(OutcomeOf(r, "issuer"), Outcome::kInvalid);
  EXPECT_NE(MessageOf(r, "issuer").find(Did(other_)), std::string::npos) << MessageOf(r, "issuer");
  EXPECT_FALSE(r.verified());
}

TEST_F(VerifierTest, DatesWithSkewTolerance) {
  js::object c = Unsigned(key_);
  c["validFrom"] = "2025-06-01T00:04:00Z";  // 4 minutes ahead of the verifier: tolerated
  c["validUntil"] = "2025-07-01T00:00:00Z";
  js::object s = Sign(c, key_);
  EXPECT_EQ(OutcomeOf(VerifyNow(s), "dates"), Outcome::kValid);

  c["validFrom"] = "2025-06-01T00:06:00Z";
  VerificationReport early = VerifyNow(Sign(c, key_));
  EXPECT_EQ(OutcomeOf(early, "dates"), Outcome::kInvalid);
  EXPECT_NE(MessageOf(early, "dates").find("not valid until 2025-06-01T00:06:00Z"), std::string::npos);

  now_ = At("2025-07-01T00:06:00Z");
  VerificationReport late = VerifyNow(s);
  EXPECT_EQ(OutcomeOf(late, "dates"), Outcome::kInvalid);
  EXPECT_NE(MessageOf(late, "dates").find("expired on 2025-07-01T00:00:00Z"), std::string::npos);
  EXPECT_FALSE(late.verified());
}

TEST_F(VerifierTest, UndefinedTermIsInvalid) {
  js::object c = Unsigned(key_);
  c["favouriteColour"] = "green";
  VerificationReport r = VerifyNow(Sign(c, key_, Cryptosuite::kEddsaJcs2022));
  EXPECT_EQ(OutcomeOf(r, "schema"), Outcome::kInvalid);
  EXPECT_NE(MessageOf(r, "schema").find("favouriteColour"), std::string::npos) << MessageOf(r, "schema");
}

TEST_F(VerifierTest, UnknownContextIsInvalid) {
  js::object c = Unsigned(key_);
  c["@context"].as_array().push_back("https://contexts.example/unknown/v1");
  VerificationReport r = VerifyNow(Sign(c, key_, Cryptosuite::kEddsaJcs2022));
  EXPECT_EQ(OutcomeOf(r, "schema"), Outcome::kInvalid);
  EXPECT_NE(MessageOf(r, "schema").find("https://contexts.example/unknown/v1"), std::string::npos);
}

TEST_F(VerifierTest, StatusFromAVerifiedList) {
  PublishList({7}, key_);
  VerificationReport good = VerifyNow(WithStatus(6));
  EXPECT_TRUE(good.verified()) << js::serialize(good.ToJson());
  EXPECT_EQ(OutcomeOf(good, "status.revocation"), Outcome::kValid);

  VerificationReport revoked = VerifyNow(WithStatus(7));
  EXPECT_FALSE(revoked.verified());
  EXPECT_EQ(OutcomeOf(revoked, "status.revocation"), Outcome::kInvalid);
  EXPECT_NE(MessageOf(revoked, "status.revocation").find("revoked by Example Corp"), std::string::npos)
      << MessageOf(revoked, "status.revocation");
}

TEST_F(VerifierTest, MissingStatusListCouldNotBeCheckedNeverNotRevoked) {
  VerificationReport r = VerifyNow(WithStatus(3));
  EXPECT_FALSE(r.verified());
  EXPECT_EQ(OutcomeOf(r, "status.revocation"), Outcome::kIndeterminate);
  EXPECT_NE(MessageOf(r, "status.revocation").find("Could not check revocation"), std::string::npos);
  EXPECT_NE(MessageOf(r, "status.revocation").find(kListUrl), std::string::npos);
}

TEST_F(VerifierTest, StatusListOfAnotherIssuerIsNotBelieved) {
  PublishList({}, other_);
  VerificationReport r = VerifyNow(WithStatus(3));
  EXPECT_EQ(OutcomeOf(r, "status.revocation"), Outcome::kIndeterminate) << js::serialize(r.ToJson());
  EXPECT_FALSE(r.verified());
}

TEST_F(VerifierTest, TamperedStatusListIsNotBelieved) {
  PublishList({}, key_);
  lists_[std::string(kListUrl)]["validFrom"] = "2024-03-01T00:00:00Z";
  VerificationReport r = VerifyNow(WithStatus(3));
  EXPECT_EQ(OutcomeOf(r, "status.revocation"), Outcome::kIndeterminate) << js::serialize(r.ToJson());
}

TEST_F(VerifierTest, NestedCredentialsAreVerifiedAndReportedUnderTheirPrefix) {
  js::object inner = Sign(Unsigned(key_), key_);
  js::object endorsed = Unsigned(key_);
  endorsed["endorsement"] = js::array{inner, inner};
  VerificationReport r = VerifyNow(Sign(endorsed, key_));
  EXPECT_EQ(OutcomeOf(r, "nested[1].proof"), Outcome::kValid) << js::serialize(r.ToJson());

  js::array& endorsements = endorsed["endorsement"].as_array();
  endorsements[1].as_object()["name"] = "Changed";
  r = VerifyNow(Sign(endorsed, key_));
  EXPECT_EQ(OutcomeOf(r, "proof"), Outcome::kValid);
  EXPECT_EQ(OutcomeOf(r, "nested[0]"), Outcome::kValid);
  EXPECT_EQ(OutcomeOf(r, "nested[1]"), Outcome::kInvalid);
  EXPECT_EQ(OutcomeOf(r, "nested[1].proof"), Outcome::kInvalid);
  EXPECT_FALSE(r.verified());
}

TEST_F(VerifierTest, NestingBeyondTheLimitIsNotChecked) {
  js::object c = Sign(Unsigned(key_), key_);
  for (int i = 0; i < 6; ++i) {
    js::object outer = Unsigned(key_);
    outer["endorsement"] = js::array{c};
    c = Sign(outer, key_, Cryptosuite::kEddsaJcs2022);
  }
  VerificationReport r = VerifyNow(c);
  EXPECT_FALSE(r.verified());
  bool limited = false;
  for (const Check& check : r.checks())
    limited |= check.outcome == Outcome::kIndeterminate && check.message.find("nested more than") != std::string::npos;
  EXPECT_TRUE(limited) << js::serialize(r.ToJson());
}

}  // namespace
}  // namespace pathbridge::credentials
