// The identity pieces end to end: an organization of the hub signs a W3C
// test credential with its active key (certs/org_registry.h), and the Data
// Integrity verifier (ledger/credentials) checks it through the registry's
// resolver, before and after key rotation and revocation, and through the
// DID document the organization publishes.
#include <gtest/gtest.h>

#include "certs/key_file.h"
#include "certs/org_registry.h"
#include "certs/resolvers.h"
#include "ledger/credentials/data_integrity.h"
#include "tests/testing/test_util.h"

namespace pathbridge {
namespace {

namespace bj = boost::json;
using certs::ChainResolver;
using certs::KeyResolver;
using testing::TempDir;

const Timestamp kT1 = *ParseRfc3339("2026-01-01T00:00:00Z");
const Timestamp kRotation = *ParseRfc3339("2026-06-01T00:00:00Z");

class OrgSigningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    certs::OrgSpec spec;
    spec.slug = "cc";
    spec.name = "Lakeview Community College";
    ASSERT_TRUE(certs::AddOrganization(dir_.path(), spec, {}, kT1).ok());
  }

  bj::object Sign(const certs::Ed25519Key& key, const std::string& method,
                  const std::string& created) {
    credentials::ProofOptions o;
    o.verification_method = method;
    o.created = created;
    auto secured = credentials::AddProof(unsigned_, key, o);
    EXPECT_TRUE(secured.ok()) << secured.status().ToString();
    return secured.ok() ? *secured : bj::object{};
  }
  bj::object SignWithActiveKey(const std::string& created) {
    auto key = certs::ActiveSigningKey(dir_.path(), "cc", "");
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    return Sign(key->key, key->verification_method, created);
  }

  // The hub's resolver chain, loaded from DATA/orgs as it is now.
  std::unique_ptr<KeyResolver> Registry() {
    auto orgs = certs::ListOrganizations(dir_.path());
    EXPECT_TRUE(orgs.ok()) << orgs.status().ToString();
    auto registry = certs::MakeOrgRegistryResolver(*orgs);
    EXPECT_TRUE(registry.ok()) << registry.status().ToString();
    return std::make_unique<ChainResolver>(std::vector<std::shared_ptr<const KeyResolver>>{
        std::make_shared<certs::DocumentMapResolver>(std::move(*registry)),
        std::make_shared<certs::DidKeyResolver>()});
  }

  static Status Verify(const bj::object& secured, const KeyResolver& resolver) {
    credentials::VerifyOptions o;
    o.now = *ParseRfc3339("2026-12-01T00:00:00Z");
    auto results = credentials::VerifyProofs(secured, resolver, o);
    if (!results.ok()) return results.status();
    EXPECT_EQ(results->size(), 1u);
    return results->front().status;
  }

  TempDir dir_;
  const bj::object unsigned_ =
      testing::ReadJson(testing::SharedDir() / "standards/vc2/vc-di-eddsa/unsigned.json").as_object();
};

TEST_F(OrgSigningTest, RetiredKeyStillVerifiesWhatItSigned) {
  const bj::object before = SignWithActiveKey("2026-03-01T00:00:00Z");
  EXPECT_TRUE(Verify(before, *Registry()).ok()) << Verify(before, *Registry()).ToString();

  ASSERT_TRUE(certs::RotateKey(dir_.path(), "cc", {}, kRotation).ok());
  const auto resolver = Registry();
  EXPECT_TRUE(Verify(before, *resolver).ok()) << Verify(before, *resolver).ToString();

  // The retired key signing after its retirement is refused.
  auto old_key = certs::ReadKeyFile(dir_.path() / "orgs/cc/keys/key-1.key");
  ASSERT_TRUE(old_key.ok());
  const bj::object late = Sign(*old_key, "did:web:localhost%3A8443:orgs:cc#key-1",
                               "2026-07-01T00:00:00Z");
  Status s = Verify(late, *resolver);
  EXPECT_EQ(s.code(), Code::kVerificationFailed) << s.ToString();
  EXPECT_NE(s.message().find("was retired (2026-06-01T00:00:00Z)"), std::string::npos) << s.ToString();

  const bj::object after = SignWithActiveKey("2026-07-01T00:00:00Z");
  EXPECT_TRUE(Verify(after, *resolver).ok()) << Verify(after, *resolver).ToString();
  // The new key did not exist before the rotation.
  const bj::object backdated = SignWithActiveKey("2026-03-01T00:00:00Z");
  s = Verify(backdated, *resolver);
  EXPECT_EQ(s.code(), Code::kVerificationFailed);
  EXPECT_NE(s.message().find("came into use"), std::string::npos) << s.ToString();

  // A verifier elsewhere with only the published DID document agrees.
  auto org = certs::LoadOrganization(dir_.path(), "cc");
  ASSERT_TRUE(org.ok());
  auto published = certs::DocumentMapResolver::FromJson(certs::DidDocument(*org), "did.json");
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_TRUE(Verify(before, *published).ok()) << Verify(before, *published).ToString();
  EXPECT_EQ(Verify(late, *published).code(), Code::kVerificationFailed);
}

TEST_F(OrgSigningTest, RevokedKeyVerifiesNothing) {
  const bj::object signed_doc = SignWithActiveKey("2026-03-01T00:00:00Z");
  ASSERT_TRUE(certs::RevokeKey(dir_.path(), "cc", "key-1", kRotation).ok());
  // Signed before the revocation time, and refused all the same: whoever
  // holds a compromised key can backdate `created`.
  Status s = Verify(signed_doc, *Registry());
  EXPECT_EQ(s.code(), Code::kVerificationFailed) << s.ToString();
  EXPECT_NE(s.message().find("is not listed by its controller"), std::string::npos) << s.ToString();
}

TEST_F(OrgSigningTest, DidKeyOrganizationKeepsItsOldDid) {
  certs::OrgSpec spec;
  spec.slug = "kk";
  spec.name = "Key College";
  spec.did_method = certs::DidMethod::kKey;
  ASSERT_TRUE(certs::AddOrganization(dir_.path(), spec, {}, kT1).ok());
  auto key = certs::ActiveSigningKey(dir_.path(), "kk", "");
  ASSERT_TRUE(key.ok());
  const bj::object before = Sign(key->key, key->verification_method, "2026-03-01T00:00:00Z");
  ASSERT_TRUE(certs::RotateKey(dir_.path(), "kk", {}, kRotation).ok());
  const auto resolver = Registry();
  EXPECT_TRUE(Verify(before, *resolver).ok()) << Verify(before, *resolver).ToString();
  // The registry's window applies to the old did:key, ahead of the bare did:key resolver.
  const bj::object late = Sign(key->key, key->verification_method, "2026-07-01T00:00:00Z");
  Status s = Verify(late, *resolver);
  EXPECT_EQ(s.code(), Code::kVerificationFailed);
  EXPECT_NE(s.message().find("was retired"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace pathbridge
