#include "certs/org_registry.h"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "certs/did_web.h"
#include "certs/multikey.h"
#include "tests/testing/test_util.h"

namespace pathbridge::certs {
namespace {

namespace bj = boost::json;
namespace fs = std::filesystem;
using testing::TempDir;

const Timestamp kT1 = *ParseRfc3339("2026-01-01T00:00:00Z");
const Timestamp kT2 = *ParseRfc3339("2026-06-01T00:00:00Z");
const Timestamp kT3 = *ParseRfc3339("2026-09-01T00:00:00Z");

KeyFileProtection Fast(std::string_view passphrase) {
  return {passphrase, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

unsigned Mode(const fs::path& p) {
  struct stat st;
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

OrgSpec Spec(const std::string& slug, DidMethod method = DidMethod::kWeb) {
  OrgSpec s;
  s.slug = slug;
  s.name = "Lakeview Community College";
  s.did_method = method;
  return s;
}

class OrgRegistryTest : public ::testing::Test {
 protected:
  Organization Add(const OrgSpec& spec, const KeyFileProtection& p = {}) {
    auto org = AddOrganization(dir_.path(), spec, p, kT1);
    EXPECT_TRUE(org.ok()) << org.status().ToString();
    return org.ok() ? *org : Organization{};
  }
  fs::path OrgDir(const std::string& slug) { return dir_.path() / "orgs" / slug; }
  TempDir dir_;
};

TEST_F(OrgRegistryTest, AddWritesTheLayout) {
  const Organization org = Add(Spec("cc"));
  EXPECT_EQ(org.Did(), "did:web:localhost%3A8443:orgs:cc");
  EXPECT_EQ(*DidWebToUrl(org.Did()), "https://localhost:8443/orgs/cc/did.json");
  ASSERT_EQ(org.keys.size(), 1u);
  EXPECT_EQ(org.MethodUrl(org.keys[0]), "did:web:localhost%3A8443:orgs:cc#key-1");
  EXPECT_EQ(org.keys[0].valid_from, "2026-01-01T00:00:00Z");

  EXPECT_EQ(Mode(OrgDir("cc") / "org.json"), 0644u);
  EXPECT_EQ(Mode(OrgDir("cc") / "keys"), 0700u);
  EXPECT_EQ(Mode(OrgDir("cc") / "keys/key-1.key"), 0600u);
  const auto json = testing::ReadJson(OrgDir("cc") / "org.json");
  EXPECT_EQ(json.at("id"), "cc");
  EXPECT_EQ(json.at("name"), "Lakeview Community College");
  EXPECT_EQ(json.at("didMethod"), "web");
  EXPECT_EQ(json.at("webHost"), "localhost%3A8443");
  EXPECT_EQ(json.at("did").as_string(), org.Did());
  EXPECT_EQ(json.at("keys").at(0).at("publicKeyMultibase").as_string(),
            Ed25519PublicKeyMultibase(org.keys[0].public_key));
  // Nothing is left of the directory it was built in.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_.path() / "orgs"), fs::directory_iterator()), 1);

  auto loaded = LoadOrganization(dir_.path(), "cc");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->Did(), org.Did());
  EXPECT_EQ(loaded->keys[0].public_key, org.keys[0].public_key);
}

TEST_F(OrgRegistryTest, RefusesDuplicatesAndBadIds) {
  Add(Spec("cc"));
  const std::string before = testing::ReadFile(OrgDir("cc") / "org.json");
  auto again = AddOrganization(dir_.path(), Spec("cc"), {}, kT2);
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(testing::ReadFile(OrgDir("cc") / "org.json"), before);
  for (const char* slug : {"", "CC", "a/b", "..", "a_b", "x.y"}) {
    SCOPED_TRACE(slug);
    EXPECT_EQ(AddOrganization(dir_.path(), Spec(slug), {}, kT1).status().code(),
              Code::kInvalidArgument);
    EXPECT_EQ(LoadOrganization(dir_.path(), slug).status().code(), Code::kInvalidArgument);
  }
  OrgSpec bad_host = Spec("dd");
  bad_host.web_host = "10.0.0.1";
  EXPECT_EQ(AddOrganization(dir_.path(), bad_host, {}, kT1).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(LoadOrganization(dir_.path(), "zz").status().code(), Code::kNotFound);
}

TEST_F(OrgRegistryTest, WebHostOption) {
  OrgSpec spec = Spec("cc");
  spec.web_host = "hub.example:8443";
  const Organization org = Add(spec);
  EXPECT_EQ(org.Did(), "did:web:hub.example%3A8443:orgs:cc");
  EXPECT_EQ(*DidWebToUrl(org.Did()), "https://hub.example:8443/orgs/cc/did.json");
}

TEST_F(OrgRegistryTest, ActiveKeySigns) {
  const Organization org = Add(Spec("cc"));
  auto key = ActiveSigningKey(dir_.path(), "cc", "");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->did, org.Did());
  EXPECT_EQ(key->verification_method, org.Did() + "#key-1");
  const std::string message = "credential bytes";
  const Ed25519Signature sig = key->key.Sign(AsBytes(message));
  EXPECT_TRUE(VerifyEd25519(org.keys[0].public_key, AsBytes(message), sig));
}

// Rotation keeps the old key listed with its window; the new one takes over.
TEST_F(OrgRegistryTest, RotationWindows) {
  Add(Spec("cc"));
  auto rotated = RotateKey(dir_.path(), "cc", {}, kT2);
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  ASSERT_EQ(rotated->keys.size(), 2u);
  EXPECT_EQ(rotated->keys[0].valid_until, "2026-06-01T00:00:00Z");
  EXPECT_EQ(rotated->keys[1].id, "key-2");
  EXPECT_EQ(rotated->keys[1].valid_from, "2026-06-01T00:00:00Z");
  EXPECT_EQ(rotated->ActiveKey(), &rotated->keys[1]);
  EXPECT_EQ(rotated->Did(), "did:web:localhost%3A8443:orgs:cc");  // a did:web stays
  EXPECT_EQ(ActiveSigningKey(dir_.path(), "cc", "")->verification_method, rotated->Did() + "#key-2");
  EXPECT_EQ(Mode(OrgDir("cc") / "keys/key-2.key"), 0600u);

  auto resolver = MakeOrgRegistryResolver({*rotated});
  ASSERT_TRUE(resolver.ok()) << resolver.status().ToString();
  auto old_key = resolver->Resolve(rotated->Did() + "#key-1");
  ASSERT_TRUE(old_key.ok()) << old_key.status().ToString();
  EXPECT_EQ(old_key->valid_from, "2026-01-01T00:00:00Z");
  EXPECT_EQ(old_key->valid_until, "2026-06-01T00:00:00Z");
  EXPECT_TRUE(old_key->HasRelationship("assertionMethod"));
  EXPECT_EQ(old_key->source, "organization cc (pathbridge registry)");
  auto new_key = resolver->Resolve(rotated->Did() + "#key-2");
  ASSERT_TRUE(new_key.ok());
  EXPECT_EQ(new_key->valid_from, "2026-06-01T00:00:00Z");
  EXPECT_TRUE(new_key->valid_until.empty());

  // The DID document lists both; the retired key with "expires".
  const bj::object doc = DidDocument(*rotated);
  const auto& methods = doc.at("verificationMethod").as_array();
  ASSERT_EQ(methods.size(), 2u);
  EXPECT_EQ(methods[0].at("expires"), "2026-06-01T00:00:00Z");
  EXPECT_FALSE(methods[1].as_object().contains("expires"));
  EXPECT_EQ(doc.at("assertionMethod"), (bj::array{rotated->Did() + "#key-1", rotated->Did() + "#key-2"}));
  // What a verifier elsewhere reads from the published document matches the registry.
  auto published = DocumentMapResolver::FromJson(doc, "did.json");
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(published->Resolve(rotated->Did() + "#key-1")->valid_until, old_key->valid_until);
  EXPECT_EQ(published->Resolve(rotated->Did() + "#key-1")->public_key, old_key->public_key);

  // A clock behind the active key's start is refused.
  EXPECT_EQ(RotateKey(dir_.path(), "cc", {}, kT1).status().code(), Code::kFailedPrecondition);
}

TEST_F(OrgRegistryTest, RevocationLeavesTheRelationships) {
  Add(Spec("cc"));
  auto revoked = RevokeKey(dir_.path(), "cc", "key-1", kT2);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->keys[0].revoked, "2026-06-01T00:00:00Z");
  EXPECT_EQ(revoked->ActiveKey(), nullptr);
  EXPECT_EQ(ActiveSigningKey(dir_.path(), "cc", "").status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(RevokeKey(dir_.path(), "cc", "key-1", kT3).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(RevokeKey(dir_.path(), "cc", "key-7", kT3).status().code(), Code::kNotFound);

  auto rotated = RotateKey(dir_.path(), "cc", {}, kT3);
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_TRUE(rotated->keys[0].valid_until.empty());  // revoked, not retired
  const bj::object doc = DidDocument(*rotated);
  EXPECT_EQ(doc.at("verificationMethod").at(0).at("revoked"), "2026-06-01T00:00:00Z");
  EXPECT_EQ(doc.at("assertionMethod"), bj::array{rotated->Did() + "#key-2"});
  EXPECT_EQ(doc.at("authentication"), bj::array{rotated->Did() + "#key-2"});
  auto resolver = MakeOrgRegistryResolver({*rotated});
  auto old_key = resolver->Resolve(rotated->Did() + "#key-1");
  ASSERT_TRUE(old_key.ok());
  EXPECT_EQ(old_key->revoked, "2026-06-01T00:00:00Z");
  EXPECT_TRUE(old_key->relationships.empty());
}

TEST_F(OrgRegistryTest, EncryptedKeys) {
  Add(Spec("cc"), Fast("s3cret"));
  const std::string sealed = testing::ReadFile(OrgDir("cc") / "keys/key-1.key");
  EXPECT_NE(sealed.find("ciphertext"), std::string::npos);
  EXPECT_EQ(ActiveSigningKey(dir_.path(), "cc", "").status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(ActiveSigningKey(dir_.path(), "cc", "wrong").status().code(), Code::kVerificationFailed);
  EXPECT_TRUE(ActiveSigningKey(dir_.path(), "cc", "s3cret").ok());

  // Rotation needs the passphrase, and seals the new key with it.
  EXPECT_EQ(RotateKey(dir_.path(), "cc", {}, kT2).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(RotateKey(dir_.path(), "cc", Fast("wrong"), kT2).status().code(),
            Code::kVerificationFailed);
  EXPECT_EQ(LoadOrganization(dir_.path(), "cc")->keys.size(), 1u);  // nothing changed
  ASSERT_TRUE(RotateKey(dir_.path(), "cc", Fast("s3cret"), kT2).ok());
  EXPECT_EQ(ReadKeyFile(OrgDir("cc") / "keys/key-2.key").status().code(), Code::kFailedPrecondition);
  auto key = ActiveSigningKey(dir_.path(), "cc", "s3cret");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->verification_method, "did:web:localhost%3A8443:orgs:cc#key-2");
}

// A did:key organization's DID follows its key; the old DIDs still resolve.
TEST_F(OrgRegistryTest, DidKeyOrganizationRotation) {
  const Organization first = Add(Spec("kk", DidMethod::kKey));
  const std::string old_did = first.Did();
  EXPECT_EQ(old_did, DidKey(first.keys[0].public_key));
  EXPECT_EQ(first.MethodUrl(first.keys[0]), DidKeyVerificationMethod(first.keys[0].public_key));
  EXPECT_FALSE(testing::ReadJson(OrgDir("kk") / "org.json").as_object().contains("webHost"));

  auto rotated = RotateKey(dir_.path(), "kk", {}, kT2);
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_EQ(rotated->Did(), DidKey(rotated->keys[1].public_key));
  EXPECT_NE(rotated->Did(), old_did);
  EXPECT_EQ(bj::value(DidDocument(*rotated)), bj::value(DidKeyDocument(rotated->keys[1].public_key)));

  auto resolver = MakeOrgRegistryResolver({*rotated});
  ASSERT_TRUE(resolver.ok()) << resolver.status().ToString();
  auto old_key = resolver->Resolve(first.MethodUrl(first.keys[0]));
  ASSERT_TRUE(old_key.ok()) << old_key.status().ToString();
  EXPECT_EQ(old_key->controller, old_did);
  EXPECT_EQ(old_key->valid_until, "2026-06-01T00:00:00Z");
  EXPECT_EQ(old_key->source, "organization kk (pathbridge registry)");
  EXPECT_EQ(resolver->Resolve(old_did)->id, old_key->id);  // the bare did:key too
  EXPECT_TRUE(resolver->Resolve(rotated->MethodUrl(rotated->keys[1]))->valid_until.empty());
}

TEST_F(OrgRegistryTest, ListSkipsUnfinishedDirectories) {
  Add(Spec("zz"));
  Add(Spec("aa", DidMethod::kKey));
  fs::create_directories(dir_.path() / "orgs" / ".bb.new-0011");  // an interrupted add
  auto orgs = ListOrganizations(dir_.path());
  ASSERT_TRUE(orgs.ok()) << orgs.status().ToString();
  ASSERT_EQ(orgs->size(), 2u);
  EXPECT_EQ((*orgs)[0].slug, "aa");
  EXPECT_EQ((*orgs)[1].slug, "zz");
  TempDir empty;
  EXPECT_TRUE(ListOrganizations(empty.path())->empty());
  EXPECT_TRUE(MakeOrgRegistryResolver(*orgs).ok());
}

TEST_F(OrgRegistryTest, DamagedFilesAreReported) {
  Add(Spec("cc"));
  Add(Spec("dd"));
  const fs::path org_json = OrgDir("cc") / "org.json";
  auto json = testing::ReadJson(org_json).as_object();
  json["did"] = "did:web:elsewhere.example:orgs:cc";
  std::ofstream(org_json) << bj::serialize(json);
  auto bad = LoadOrganization(dir_.path(), "cc");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().where(), org_json.string() + ":/did");
  EXPECT_FALSE(ListOrganizations(dir_.path()).ok());

  // A key file that does not hold the listed key.
  fs::copy_file(OrgDir("dd") / "keys/key-1.key", OrgDir("cc") / "keys/key-1.key",
                fs::copy_options::overwrite_existing);
  json["did"] = "did:web:localhost%3A8443:orgs:cc";
  std::ofstream(org_json) << bj::serialize(json);
  EXPECT_EQ(ActiveSigningKey(dir_.path(), "cc", "").status().code(), Code::kCorruption);

  json["keys"].as_array()[0].as_object()["id"] = "key-3";
  std::ofstream(org_json) << bj::serialize(json);
  EXPECT_EQ(LoadOrganization(dir_.path(), "cc").status().where(), org_json.string() + ":/keys/0/id");
}

}  // namespace
}  // namespace pathbridge::certs
