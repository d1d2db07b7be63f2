#include "certs/multikey.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <vector>

#include <gtest/gtest.h>

#include "standards/jcs.h"
#include "standards/json.h"
#include "standards/multibase.h"
#include "tests/testing/test_util.h"

namespace pathbridge::certs {
namespace {

namespace fs = std::filesystem;

fs::path EddsaVectors() { return testing::SharedDir() / "standards/vc2/vc-di-eddsa"; }

std::string Text(const boost::json::value& v, const char* key) {
  return std::string(v.at(key).as_string());
}

// W3C vc-di-eddsa keyPair.json and proof-set-chain/multiKeyPairs.json:
// both keys decode, the secret key derives the public key, and encoding
// gives back the same strings.
TEST(Multikey, W3cKeyPairsDecodeAndMatch) {
  std::vector<std::pair<std::string, boost::json::value>> pairs;
  pairs.emplace_back("keyPair.json", testing::ReadJson(EddsaVectors() / "keyPair.json"));
  const auto multi = testing::ReadJson(EddsaVectors() / "proof-set-chain/multiKeyPairs.json");
  for (const auto& kv : multi.as_object())
    pairs.emplace_back("multiKeyPairs.json " + std::string(kv.key()), kv.value());
  ASSERT_EQ(pairs.size(), 5u);
  for (const auto& [id, pair] : pairs) {
    SCOPED_TRACE(id);
    const std::string pub_text = Text(pair, "publicKeyMultibase");
    const std::string priv_text = Text(pair, "privateKeyMultibase");
    auto pub = ParseEd25519PublicKeyMultibase(pub_text);
    ASSERT_TRUE(pub.ok()) << pub.status().ToString();
    auto key = ParseEd25519SecretKeyMultibase(priv_text);
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(key->public_key(), *pub);
    EXPECT_EQ(Ed25519PublicKeyMultibase(*pub), pub_text);
    EXPECT_EQ(Ed25519SecretKeyMultibase(*key), priv_text);
  }
}

// did:key test vectors, w3c-ccg/did-method-key test-vectors/ed25519-x25519.json
// (seed, DID and the Ed25519 key's publicKeyBase58 of each entry).
struct DidKeyVector {
  const char* seed_hex;
  const char* did;
  const char* public_key_base58;
};
constexpr DidKeyVector kDidKeyVectors[] = {
    {"0000000000000000000000000000000000000000000000000000000000000000",
     "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
     "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS"},
    {"0000000000000000000000000000000000000000000000000000000000000001",
     "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
     "6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt"},
    {"0000000000000000000000000000000000000000000000000000000000000002",
     "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf",
     "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH"},
    {"0000000000000000000000000000000000000000000000000000000000000003",
     "did:key:z6MkvqoYXQfDDJRv8L4wKzxYeuKyVZBfi9Qo6Ro8MiLH3kDQ",
     "HPYVwAQmskwT1qEEeRzhoomyfyupJGASQQtCXSNG8XS2"},
    {"0000000000000000000000000000000000000000000000000000000000000004",
     "did:key:z6MkwW6aqMnjgrhJXFUko3NnZPGzVpkNzhYK7yEhnsibmLwL",
     "J3qYF7YJMKCqQke47UQwiHizgFUXapHxRxKmxbkar89x"},
};

TEST(DidKey, DidMethodKeyTestVectors) {
  for (const auto& v : kDidKeyVectors) {
    SCOPED_TRACE(v.did);
    auto key = Ed25519Key::FromSeed(*HexDecode(v.seed_hex));
    ASSERT_TRUE(key.ok());
    const Ed25519PublicKey& pub = key->public_key();
    EXPECT_EQ(Base58BtcEncode(pub), v.public_key_base58);
    EXPECT_EQ(DidKey(pub), v.did);
    const std::string fragment = std::string(v.did).substr(std::strlen("did:key:"));
    EXPECT_EQ(DidKeyVerificationMethod(pub), std::string(v.did) + "#" + fragment);
    for (const std::string& text : {std::string(v.did), DidKeyVerificationMethod(pub)}) {
      auto parsed = ParseDidKey(text);
      ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
      EXPECT_EQ(*parsed, pub);
    }
  }
}

// The vectors' documents name the same DID, verification method id,
// controller and relationships; the key is expressed as a Multikey.
TEST(DidKey, DocumentUsesMultikeyAndTheSpecRelationships) {
  const auto& v = kDidKeyVectors[0];
  auto key = Ed25519Key::FromSeed(*HexDecode(v.seed_hex));
  ASSERT_TRUE(key.ok());
  boost::json::object doc = DidKeyDocument(key->public_key());
  const std::string vm = DidKeyVerificationMethod(key->public_key());
  EXPECT_EQ(doc.at("id").as_string(), v.did);
  EXPECT_EQ(doc.at("@context").as_array(),
            (boost::json::array{"https://www.w3.org/ns/did/v1",
                                "https://w3id.org/security/multikey/v1"}));
  const auto& method = doc.at("verificationMethod").as_array().at(0).as_object();
  EXPECT_EQ(method.at("id").as_string(), vm);
  EXPECT_EQ(method.at("type").as_string(), "Multikey");
  EXPECT_EQ(method.at("controller").as_string(), v.did);
  EXPECT_EQ(method.at("publicKeyMultibase").as_string(),
            std::string(v.did).substr(std::strlen("did:key:")));
  for (const char* rel :
       {"authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation"})
    EXPECT_EQ(doc.at(rel).as_array(), boost::json::array{vm}) << rel;
}

Bytes Sha256(std::string_view s) {
  Bytes h(crypto_hash_sha256_BYTES);
  crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(s.data()), s.size());
  return h;
}

// vc-di-eddsa eddsa-jcs-2022 vectors end to end: the JCS bytes hash to the
// published hashes and the key pair's secret key signs them to the
// published signature (Ed25519 is deterministic).
TEST(Multikey, SignsTheEddsaJcs2022Vectors) {
  const fs::path dir = EddsaVectors() / "eddsa-jcs-2022";
  auto pair = testing::ReadJson(EddsaVectors() / "keyPair.json");
  auto key = ParseEd25519SecretKeyMultibase(Text(pair, "privateKeyMultibase"));
  ASSERT_TRUE(key.ok());
  auto config = json::Parse(testing::ReadFile(dir / "proofConfigJCS.json"));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(Text(*config, "verificationMethod"), DidKeyVerificationMethod(key->public_key()));

  auto doc = jcs::Canonicalize(*json::Parse(testing::ReadFile(EddsaVectors() / "unsigned.json")));
  auto proof = jcs::Canonicalize(*config);
  ASSERT_TRUE(doc.ok() && proof.ok());
  Bytes doc_hash = Sha256(*doc), proof_hash = Sha256(*proof);
  EXPECT_EQ(HexEncode(doc_hash), testing::ReadFile(dir / "docHashJCS.txt"));
  EXPECT_EQ(HexEncode(proof_hash), testing::ReadFile(dir / "proofHashJCS.txt"));

  Bytes combined = proof_hash;
  combined.insert(combined.end(), doc_hash.begin(), doc_hash.end());
  EXPECT_EQ(HexEncode(combined), testing::ReadFile(dir / "combinedHashJCS.txt"));
  Ed25519Signature sig = key->Sign(combined);
  EXPECT_EQ(HexEncode(sig), testing::ReadFile(dir / "sigHexJCS.txt"));
  EXPECT_EQ(MultibaseEncode(Multibase::kBase58Btc, sig), testing::ReadFile(dir / "sigBTC58JCS.txt"));
}

TEST(Multikey, RejectsOtherEncodingsWithReasons) {
  Ed25519Key key = *Ed25519Key::FromSeed(Bytes(32, 7));
  const std::string pub = Ed25519PublicKeyMultibase(key.public_key());
  Bytes raw(2 + 32);
  raw[0] = 0xed;
  raw[1] = 0x01;
  std::copy(key.public_key().begin(), key.public_key().end(), raw.begin() + 2);

  struct Case {
    const char* id;
    std::string text;
    const char* message;
  };
  Bytes identity = {0xed, 0x01, 0x01};  // the neutral point: small order
  identity.resize(34, 0);
  const Case kCases[] = {
      {"base64url", MultibaseEncode(Multibase::kBase64Url, raw), "base58btc"},
      {"secret key header", Ed25519SecretKeyMultibase(key), "multicodec header"},
      {"short", MultibaseEncode(Multibase::kBase58Btc, ByteSpan(raw).first(33)), "32 key bytes"},
      {"bad character", pub.substr(0, 10) + "0" + pub.substr(11), "invalid base58btc"},
      {"small-order point", MultibaseEncode(Multibase::kBase58Btc, identity), "curve point"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.id);
    auto r = ParseEd25519PublicKeyMultibase(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << r.status().ToString();
  }
  EXPECT_FALSE(ParseEd25519SecretKeyMultibase(pub).ok());
}

TEST(DidKey, RejectsMalformedIdentifiers) {
  Ed25519Key key = *Ed25519Key::FromSeed(Bytes(32, 7));
  const std::string did = DidKey(key.public_key());
  EXPECT_EQ(ParseDidKey("did:web:example.com").status().where(), "offset 0");
  auto r = ParseDidKey(did + "#key-1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().where(), "offset " + std::to_string(did.size() + 1));
  r = ParseDidKey(did.substr(0, 12) + "l" + did.substr(13));  // 'l' is not base58
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().where(), "offset 12");
}

}  // namespace
}  // namespace pathbridge::certs
