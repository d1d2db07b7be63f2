#include "certs/controller_document.h"

#include <gtest/gtest.h>

#include "certs/multikey.h"
#include "standards/multibase.h"
#include "tests/testing/test_util.h"

namespace pathbridge::certs {
namespace {

namespace bj = boost::json;

using Relationships = std::vector<std::string>;
const Relationships kAllFour = {"authentication", "assertionMethod", "capabilityInvocation",
                                "capabilityDelegation"};

ControllerDocument Parse(const bj::value& doc) {
  auto r = ParseControllerDocument(doc, "doc:", "test");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : ControllerDocument{};
}

Status ParseError(const bj::value& doc) {
  auto r = ParseControllerDocument(doc, "doc:", "test");
  EXPECT_FALSE(r.ok());
  return r.ok() ? Status::Ok() : r.status();
}

const Status* Unusable(const ControllerDocument& doc, std::string_view id) {
  for (const auto& [uid, why] : doc.unusable)
    if (uid == id) return &why;
  return nullptr;
}

// vc-di-eddsa §2.1.1 (Multikey) and §2.1.2 (Ed25519VerificationKey2020):
// "An Ed25519 public key encoded as a Multikey in a controller document",
// and the same as an Ed25519VerificationKey2020.
TEST(ControllerDocument, VcDiEddsaExamples) {
  for (const char* type : {"Multikey", "Ed25519VerificationKey2020"}) {
    SCOPED_TRACE(type);
    const bj::value doc = bj::parse(R"({
      "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/data-integrity/v1"],
      "id": "did:example:123",
      "verificationMethod": [{
        "id": "did:example:123#key-0",
        "type": ")" + std::string(type) + R"(",
        "controller": "did:example:123",
        "publicKeyMultibase": "z6Mkf5rGMoatrSj1f4CyvuHBeXJELe9RPdzo2PKGNCKVtZxP"
      }],
      "authentication": ["did:example:123#key-0"],
      "assertionMethod": ["did:example:123#key-0"],
      "capabilityDelegation": ["did:example:123#key-0"],
      "capabilityInvocation": ["did:example:123#key-0"]
    })");
    const ControllerDocument d = Parse(doc);
    EXPECT_EQ(d.id, "did:example:123");
    ASSERT_EQ(d.methods.size(), 1u);
    const VerificationMethod& m = d.methods[0];
    EXPECT_EQ(m.id, "did:example:123#key-0");
    EXPECT_EQ(m.controller, "did:example:123");
    EXPECT_EQ(Ed25519PublicKeyMultibase(m.public_key),
              "z6Mkf5rGMoatrSj1f4CyvuHBeXJELe9RPdzo2PKGNCKVtZxP");
    EXPECT_EQ(m.relationships, kAllFour);
    EXPECT_EQ(m.source, "test");
    EXPECT_TRUE(m.valid_until.empty() && m.revoked.empty());
  }
}

// The Open Badges 3.0 implementation guide's issuer key, given as hex and as
// a Multikey in values.json, written in each key format pathbridge reads,
// in a controller document for the guide's issuer URL: every method holds
// the same 32 bytes.
TEST(ControllerDocument, EveryKeyFormatOfTheOb3IssuerKey) {
  const auto values =
      testing::ReadJson(testing::SharedDir() / "standards/ob3/impl-guide-test-vector/values.json");
  const Bytes raw = *HexDecode(values.at("publicKeyHex").as_string());
  const std::string vm(values.at("verificationMethod").as_string());
  const std::string issuer = vm.substr(0, vm.find('#'));
  const std::string mb(values.at("publicKeyMultibase").as_string());
  bj::object doc{{"id", issuer}};
  bj::array methods;
  auto add = [&](const std::string& id, const char* type, const char* field, bj::value key) {
    methods.push_back(bj::object{{"id", id}, {"type", type}, {"controller", issuer}, {field, key}});
  };
  add(vm, "Multikey", "publicKeyMultibase", bj::value(mb));
  add("#k2020", "Ed25519VerificationKey2020", "publicKeyMultibase", bj::value(mb));
  add("#k2018", "Ed25519VerificationKey2018", "publicKeyBase58", bj::value(Base58BtcEncode(raw)));
  const bj::object jwk{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", Base64UrlEncode(raw)}};
  add("#jwk", "JsonWebKey", "publicKeyJwk", jwk);
  add("#jwk2020", "JsonWebKey2020", "publicKeyJwk", jwk);
  doc["verificationMethod"] = methods;
  doc["assertionMethod"] = bj::array{vm, "#k2018"};

  const ControllerDocument d = Parse(doc);
  ASSERT_EQ(d.methods.size(), 5u);
  EXPECT_TRUE(d.unusable.empty());
  const char* kIds[] = {"", "#k2020", "#k2018", "#jwk", "#jwk2020"};
  for (std::size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(d.methods[i].id, i == 0 ? vm : issuer + kIds[i]);  // relative ids made absolute
    EXPECT_EQ(Bytes(d.methods[i].public_key.begin(), d.methods[i].public_key.end()), raw);
  }
  EXPECT_EQ(d.methods[0].relationships, Relationships{"assertionMethod"});
  EXPECT_EQ(d.methods[2].relationships, Relationships{"assertionMethod"});
  EXPECT_TRUE(d.methods[1].relationships.empty());
}

// The did:web specification's JsonWebKey2020 example: one Ed25519 key, an
// X25519 and a P-256 key. The document loads; the other keys are unusable,
// each with the reason and where it is.
TEST(ControllerDocument, DidWebJwkExampleKeepsOtherKeysAsUnusable) {
  const bj::value doc = bj::parse(R"({
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
    "id": "did:web:example.com",
    "verificationMethod": [
      {"id": "did:web:example.com#key-0", "type": "JsonWebKey2020", "controller": "did:web:example.com",
       "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "0-e2i2_Ua1S5HbTYnVB0lj2Z2ytXu2-tYmDFf8f5NjU"}},
      {"id": "did:web:example.com#key-1", "type": "JsonWebKey2020", "controller": "did:web:example.com",
       "publicKeyJwk": {"kty": "OKP", "crv": "X25519", "x": "9GXjPGGvmRq9F6Ng5dQQ_s31mfhxrcNZxRGONrmH30k"}},
      {"id": "did:web:example.com#key-2", "type": "JsonWebKey2020", "controller": "did:web:example.com",
       "publicKeyJwk": {"kty": "EC", "crv": "P-256", "x": "38M1FDts7Oea7urmseiugGW7tWc3mLpJh6rKe7xINZ8",
                        "y": "nDQW6XZ7b_u2Sy9slofYLlG03sOEoug3I0aAPQ0exs4"}}
    ],
    "authentication": ["did:web:example.com#key-0", "did:web:example.com#key-2"],
    "assertionMethod": ["did:web:example.com#key-0", "did:web:example.com#key-2"],
    "keyAgreement": ["did:web:example.com#key-1", "did:web:example.com#key-2"]
  })");
  const ControllerDocument d = Parse(doc);
  ASSERT_EQ(d.methods.size(), 1u);
  EXPECT_EQ(d.methods[0].id, "did:web:example.com#key-0");
  EXPECT_EQ(Bytes(d.methods[0].public_key.begin(), d.methods[0].public_key.end()),
            *Base64UrlDecode("0-e2i2_Ua1S5HbTYnVB0lj2Z2ytXu2-tYmDFf8f5NjU"));
  EXPECT_EQ(d.methods[0].relationships, (Relationships{"authentication", "assertionMethod"}));
  ASSERT_EQ(d.unusable.size(), 2u);
  const Status* x25519 = Unusable(d, "did:web:example.com#key-1");
  ASSERT_NE(x25519, nullptr);
  EXPECT_EQ(x25519->where(), "doc:/verificationMethod/1/publicKeyJwk");
  EXPECT_NE(x25519->message().find("not an OKP Ed25519 key"), std::string::npos);
  const Status* p256 = Unusable(d, "did:web:example.com#key-2");
  ASSERT_NE(p256, nullptr);
  EXPECT_EQ(p256->where(), "doc:/verificationMethod/2/publicKeyJwk");
}

// The did:web specification's Ed25519VerificationKey2018 example embeds
// its key in "authentication": usable for that relationship only.
TEST(ControllerDocument, EmbeddedMethodHasOnlyItsRelationship) {
  const bj::value doc = bj::parse(R"({
    "@context": "https://www.w3.org/ns/did/v1",
    "id": "did:web:example:com",
    "authentication": [{
      "id": "did:web:example:com#keys-1",
      "type": "Ed25519VerificationKey2018",
      "controller": "did:web:example:com",
      "publicKeyBase58": "H3C2AVvLMv6gmMNam3uVAjZpfkcJCwDwnZn6z3wXmqPV"
    }]
  })");
  const ControllerDocument d = Parse(doc);
  ASSERT_EQ(d.methods.size(), 1u);
  EXPECT_EQ(d.methods[0].id, "did:web:example:com#keys-1");
  EXPECT_EQ(d.methods[0].relationships, Relationships{"authentication"});
  EXPECT_EQ(Bytes(d.methods[0].public_key.begin(), d.methods[0].public_key.end()),
            *Base58BtcDecode("H3C2AVvLMv6gmMNam3uVAjZpfkcJCwDwnZn6z3wXmqPV"));
}

bj::object OneKeyDocument(bj::object method) {
  bj::object m{{"id", "#key-1"},
               {"type", "Multikey"},
               {"controller", "did:web:college.example"},
               {"publicKeyMultibase", "z6Mkf5rGMoatrSj1f4CyvuHBeXJELe9RPdzo2PKGNCKVtZxP"}};
  for (const auto& kv : method) m[kv.key()] = kv.value();
  return {{"id", "did:web:college.example"},
          {"verificationMethod", bj::array{m}},
          {"assertionMethod", bj::array{"#key-1"}}};
}

TEST(ControllerDocument, ExpiresAndRevokedBecomeUtcWindows) {
  const ControllerDocument d = Parse(OneKeyDocument(
      {{"expires", "2027-01-01T01:00:00+01:00"}, {"revoked", "2026-06-30T20:00:00-04:00"}}));
  ASSERT_EQ(d.methods.size(), 1u);
  EXPECT_EQ(d.methods[0].valid_until, "2027-01-01T00:00:00Z");
  EXPECT_EQ(d.methods[0].revoked, "2026-07-01T00:00:00Z");
  EXPECT_TRUE(d.methods[0].valid_from.empty());

  const ControllerDocument bad = Parse(OneKeyDocument({{"revoked", "last tuesday"}}));
  ASSERT_NE(Unusable(bad, "did:web:college.example#key-1"), nullptr);
  EXPECT_EQ(Unusable(bad, "did:web:college.example#key-1")->where(),
            "doc:/verificationMethod/0/revoked");
}

// A document cannot speak for another document's keys.
TEST(ControllerDocument, ForeignMethodsAreNotTheDocuments) {
  bj::object doc = OneKeyDocument({{"id", "did:web:other.example#key-1"}});
  doc["assertionMethod"] = bj::array{"did:web:other.example#key-1"};
  const ControllerDocument foreign = Parse(doc);
  EXPECT_TRUE(foreign.methods.empty());
  EXPECT_TRUE(foreign.unusable.empty());

  const ControllerDocument other_controller =
      Parse(OneKeyDocument({{"controller", "did:web:other.example"}}));
  EXPECT_TRUE(other_controller.methods.empty());
  const Status* why = Unusable(other_controller, "did:web:college.example#key-1");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->where(), "doc:/verificationMethod/0/controller");
}

TEST(ControllerDocument, StructuralFaultsFailWithPointers) {
  struct Case {
    const char* id;
    bj::value doc;
    const char* where;
  };
  bj::object twice = OneKeyDocument({});
  twice["verificationMethod"].as_array().push_back(twice["verificationMethod"].as_array()[0]);
  bj::object dangling = OneKeyDocument({});
  dangling["authentication"] = bj::array{"#key-9"};
  bj::object not_array = OneKeyDocument({});
  not_array["assertionMethod"] = "#key-1";
  const Case kCases[] = {
      {"not an object", bj::array{}, "doc:"},
      {"no id", bj::object{{"verificationMethod", bj::array{}}}, "doc:/id"},
      {"relative document id", bj::object{{"id", "college"}}, "doc:/id"},
      {"method not an object", bj::object{{"id", "did:x:y"}, {"verificationMethod", bj::array{1}}},
       "doc:/verificationMethod/0"},
      {"method without id", OneKeyDocument({{"id", ""}}), "doc:/verificationMethod/0/id"},
      {"defined twice", twice, "doc:/verificationMethod/1/id"},
      {"dangling reference", dangling, "doc:/authentication/0"},
      {"relationship not an array", not_array, "doc:/assertionMethod"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.id);
    Status s = ParseError(c.doc);
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    EXPECT_EQ(s.where(), c.where) << s.ToString();
  }
}

TEST(ControllerDocument, APublishedPrivateKeyFailsTheDocument) {
  const auto pair = testing::ReadJson(testing::SharedDir() / "standards/vc2/vc-di-eddsa/keyPair.json");
  const std::string secret(pair.at("privateKeyMultibase").as_string());
  Status s = ParseError(OneKeyDocument({{"secretKeyMultibase", secret}}));
  EXPECT_EQ(s.where(), "doc:/verificationMethod/0/secretKeyMultibase");
  EXPECT_EQ(s.ToString().find(secret), std::string::npos);  // never echoed

  bj::object jwk_doc = OneKeyDocument(
      {{"type", "JsonWebKey"},
       {"publicKeyJwk", {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "AA"}, {"d", "secret"}}}});
  EXPECT_EQ(ParseError(jwk_doc).where(), "doc:/verificationMethod/0/publicKeyJwk/d");
}

TEST(ControllerDocument, BadKeyMaterialIsUnusableNotFatal) {
  struct Case {
    const char* id;
    bj::object method;
    const char* where;
    const char* message;
  };
  const Case kCases[] = {
      {"other type", {{"type", "EcdsaSecp256k1VerificationKey2019"}}, "doc:/verificationMethod/0/type",
       "not an Ed25519 key type"},
      {"P-256 multikey", {{"publicKeyMultibase", "zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"}},
       "doc:/verificationMethod/0/publicKeyMultibase", "multicodec header"},
      {"short 2018 key", {{"type", "Ed25519VerificationKey2018"}, {"publicKeyBase58", "H3C2AVvLMv6gmMNam3uV"}},
       "doc:/verificationMethod/0/publicKeyBase58", "32 key bytes"},
      {"no key", {{"publicKeyMultibase", 7}}, "doc:/verificationMethod/0/publicKeyMultibase",
       "must be a string"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.id);
    const ControllerDocument d = Parse(OneKeyDocument(c.method));
    EXPECT_TRUE(d.methods.empty());
    const Status* why = Unusable(d, "did:web:college.example#key-1");
    ASSERT_NE(why, nullptr);
    EXPECT_EQ(why->where(), c.where);
    EXPECT_NE(why->message().find(c.message), std::string::npos) << why->ToString();
  }
}

// What pathbridge publishes reads back as the same methods.
TEST(ControllerDocument, BuildThenParseRoundTrips) {
  std::vector<VerificationMethod> methods(3);
  const std::string did = "did:web:hub.example:orgs:cc";
  for (std::size_t i = 0; i < methods.size(); ++i) {
    methods[i].id = did + "#key-" + std::to_string(i + 1);
    methods[i].controller = did;
    methods[i].public_key = Ed25519Key::Generate().public_key();
    methods[i].source = "test";
  }
  methods[0].relationships = {"authentication", "assertionMethod"};
  methods[0].valid_until = "2026-02-01T00:00:00Z";
  methods[1].revoked = "2026-03-01T00:00:00Z";  // compromised: no relationships
  methods[2].relationships = {"authentication", "assertionMethod"};
  const bj::object doc = BuildControllerDocument(did, methods);
  EXPECT_EQ(doc.at("@context"), (bj::array{"https://www.w3.org/ns/did/v1",
                                           "https://w3id.org/security/multikey/v1"}));
  EXPECT_EQ(doc.at("assertionMethod"), (bj::array{methods[0].id, methods[2].id}));
  EXPECT_EQ(doc.at("authentication"), (bj::array{methods[0].id, methods[2].id}));
  EXPECT_EQ(doc.at("verificationMethod").as_array()[0].at("expires"), "2026-02-01T00:00:00Z");
  EXPECT_EQ(doc.at("verificationMethod").as_array()[1].at("revoked"), "2026-03-01T00:00:00Z");

  const ControllerDocument back = Parse(doc);
  ASSERT_EQ(back.methods.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(back.methods[i].id, methods[i].id);
    EXPECT_EQ(back.methods[i].controller, methods[i].controller);
    EXPECT_EQ(back.methods[i].public_key, methods[i].public_key);
    EXPECT_EQ(back.methods[i].relationships, methods[i].relationships);
    EXPECT_EQ(back.methods[i].valid_until, methods[i].valid_until);
    EXPECT_EQ(back.methods[i].revoked, methods[i].revoked);
  }
}

}  // namespace
}  // namespace pathbridge::certs
