#include "certs/resolvers.h"

#include <fstream>

#include <gtest/gtest.h>

#include "certs/multikey.h"
#include "tests/testing/test_util.h"

namespace pathbridge::certs {
namespace {

namespace bj = boost::json;
namespace fs = std::filesystem;
using testing::TempDir;

fs::path EddsaVectors() { return testing::SharedDir() / "standards/vc2/vc-di-eddsa"; }

void Write(const fs::path& p, const bj::value& v) {
  std::ofstream(p, std::ios::binary) << bj::serialize(v);
}

bj::object Document(const std::string& id, const std::vector<std::string>& keys) {
  bj::array methods, refs;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string vm = "#key-" + std::to_string(i + 1);
    methods.push_back(
        {{"id", vm}, {"type", "Multikey"}, {"controller", id}, {"publicKeyMultibase", keys[i]}});
    refs.emplace_back(vm);
  }
  return {{"id", id}, {"verificationMethod", methods}, {"assertionMethod", refs}};
}

// The verification methods of the W3C vc-di-eddsa signed test vectors are
// did:keys; each resolves to the vector's key pair.
TEST(DidKeyResolver, ResolvesTheVcDiEddsaVerificationMethods) {
  const DidKeyResolver resolver;
  const auto signed_doc = testing::ReadJson(EddsaVectors() / "eddsa-rdfc-2022/signedDataInt.json");
  const std::string vm(signed_doc.at("proof").at("verificationMethod").as_string());
  const auto pair = testing::ReadJson(EddsaVectors() / "keyPair.json");
  auto m = resolver.Resolve(vm);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->id, vm);
  EXPECT_EQ(m->controller, vm.substr(0, vm.find('#')));
  EXPECT_EQ(Ed25519PublicKeyMultibase(m->public_key), pair.at("publicKeyMultibase").as_string());
  EXPECT_TRUE(m->HasRelationship("assertionMethod"));
  EXPECT_TRUE(m->HasRelationship("authentication"));
  EXPECT_EQ(m->source, "did:key");
  // The bare DID names the same key.
  auto bare = resolver.Resolve(m->controller);
  ASSERT_TRUE(bare.ok()) << bare.status().ToString();
  EXPECT_EQ(bare->id, vm);

  EXPECT_EQ(resolver.Resolve("did:web:example.com#key-1").status().code(), Code::kNotFound);
  auto bad = resolver.Resolve(m->controller + "#key-1");
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad.status().where().rfind(m->controller, 0), 0u) << bad.status().ToString();
}

// A map file in the shape the brief names: a did:web DID and an https
// controller URL (the OB3 implementation guide's issuer) to their documents.
TEST(DocumentMapResolver, MapFile) {
  TempDir dir;
  const auto values =
      testing::ReadJson(testing::SharedDir() / "standards/ob3/impl-guide-test-vector/values.json");
  const std::string ob3_vm(values.at("verificationMethod").as_string());
  const std::string ob3_issuer = ob3_vm.substr(0, ob3_vm.find('#'));
  const std::string ob3_key(values.at("publicKeyMultibase").as_string());
  const auto pairs = testing::ReadJson(EddsaVectors() / "proof-set-chain/multiKeyPairs.json");
  auto pub = [&](const char* name) {
    return std::string(pairs.at(name).at("publicKeyMultibase").as_string());
  };
  bj::object ob3_doc{{"verificationMethod", bj::array{{{"id", ob3_vm},
                                                       {"type", "Ed25519VerificationKey2020"},
                                                       {"controller", ob3_issuer},
                                                       {"publicKeyMultibase", ob3_key}}}},
                     {"assertionMethod", bj::array{ob3_vm}}};  // its id comes from the map key
  const bj::object map{
      {"did:web:college.example", Document("did:web:college.example", {pub("keyPair1"), pub("keyPair2")})},
      {ob3_issuer, ob3_doc}};
  Write(dir.path() / "issuers.json", map);

  auto r = DocumentMapResolver::Load(dir.path() / "issuers.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto college = r->Resolve("did:web:college.example#key-2");
  ASSERT_TRUE(college.ok()) << college.status().ToString();
  EXPECT_EQ(Ed25519PublicKeyMultibase(college->public_key), pub("keyPair2"));
  EXPECT_EQ(college->controller, "did:web:college.example");
  EXPECT_EQ(college->source, "document map " + (dir.path() / "issuers.json").string());
  EXPECT_TRUE(college->HasRelationship("assertionMethod"));

  auto ob3 = r->Resolve(ob3_vm);
  ASSERT_TRUE(ob3.ok()) << ob3.status().ToString();
  EXPECT_EQ(HexEncode(ob3->public_key), values.at("publicKeyHex").as_string());
  // A bare id resolves only when its document has one key.
  EXPECT_EQ(r->Resolve(ob3_issuer)->id, ob3_vm);
  auto two = r->Resolve("did:web:college.example");
  EXPECT_EQ(two.status().code(), Code::kInvalidArgument);
  EXPECT_NE(two.status().message().find("lists 2"), std::string::npos);

  auto missing_key = r->Resolve("did:web:college.example#key-3");
  EXPECT_EQ(missing_key.status().code(), Code::kNotFound);
  EXPECT_NE(missing_key.status().message().find("issuers.json"), std::string::npos);
  EXPECT_EQ(r->Resolve("did:web:other.example#key-1").status().code(), Code::kNotFound);
}

TEST(DocumentMapResolver, DirectoryOfDocumentsAndOneDocumentFiles) {
  TempDir dir;
  const auto pairs = testing::ReadJson(EddsaVectors() / "proof-set-chain/multiKeyPairs.json");
  const std::string k1(pairs.at("keyPair1").at("publicKeyMultibase").as_string());
  const std::string k3(pairs.at("keyPair3").at("publicKeyMultibase").as_string());
  Write(dir.path() / "a.json", Document("did:web:a.example", {k1}));
  Write(dir.path() / "b.json", Document("https://b.example/issuer", {k3}));
  std::ofstream(dir.path() / "notes.txt") << "ignored";
  auto r = DocumentMapResolver::Load(dir.path());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Ed25519PublicKeyMultibase(r->Resolve("did:web:a.example#key-1")->public_key), k1);
  EXPECT_EQ(Ed25519PublicKeyMultibase(r->Resolve("https://b.example/issuer#key-1")->public_key), k3);

  auto single = DocumentMapResolver::Load(dir.path() / "a.json");  // one document, not a map
  ASSERT_TRUE(single.ok()) << single.status().ToString();
  EXPECT_TRUE(single->Resolve("did:web:a.example#key-1").ok());

  Write(dir.path() / "c.json", Document("did:web:a.example", {k3}));
  auto twice = DocumentMapResolver::Load(dir.path());
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().where(), (dir.path() / "c.json").string());
  EXPECT_NE(twice.status().message().find("a.json"), std::string::npos);
}

TEST(DocumentMapResolver, ErrorsNameTheFileAndPointer) {
  TempDir dir;
  const fs::path file = dir.path() / "map.json";
  auto load_error = [&](const bj::value& v) {
    Write(file, v);
    auto r = DocumentMapResolver::Load(file);
    EXPECT_FALSE(r.ok());
    return r.ok() ? Status::Ok() : r.status();
  };
  const std::string key = "z6Mkf5rGMoatrSj1f4CyvuHBeXJELe9RPdzo2PKGNCKVtZxP";
  bj::object wrong_id{{"did:web:x.example", Document("did:web:y.example", {key})}};
  EXPECT_EQ(load_error(wrong_id).where(), file.string() + ":/did:web:x.example/id");
  bj::object bad_method{{"did:web:x.example", Document("did:web:x.example", {key})}};
  bad_method["did:web:x.example"].as_object()["verificationMethod"].as_array()[0].as_object()["id"] = 5;
  EXPECT_EQ(load_error(bad_method).where(),
            file.string() + ":/did:web:x.example/verificationMethod/0/id");
  EXPECT_EQ(load_error(bj::object{{"did:web:x.example", "not a document"}}).where(),
            file.string() + ":/did:web:x.example");
  std::ofstream(file) << "{\"a\":";
  auto parse = DocumentMapResolver::Load(file);
  ASSERT_FALSE(parse.ok());
  EXPECT_EQ(parse.status().where().rfind(file.string() + ":1:", 0), 0u) << parse.status().ToString();
  EXPECT_EQ(DocumentMapResolver::Load(dir.path() / "absent.json").status().code(), Code::kNotFound);
}

// Asking for a key the document lists but pathbridge cannot use says why.
TEST(DocumentMapResolver, UnusableMethodsReportWhy) {
  bj::object doc = Document("did:web:x.example", {"zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"});
  auto r = DocumentMapResolver::FromJson(doc, "x.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto m = r->Resolve("did:web:x.example#key-1");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(m.status().where(), "x.json:/verificationMethod/0/publicKeyMultibase");
}

TEST(ChainResolver, DocumentsThenDidKey) {
  const auto pair = testing::ReadJson(EddsaVectors() / "keyPair.json");
  const std::string key(pair.at("publicKeyMultibase").as_string());
  auto docs = DocumentMapResolver::FromJson(Document("did:web:college.example", {key}), "docs");
  ASSERT_TRUE(docs.ok());
  const ChainResolver chain({std::make_shared<DocumentMapResolver>(std::move(*docs)),
                             std::make_shared<DidKeyResolver>()});
  EXPECT_EQ(chain.Resolve("did:web:college.example#key-1")->source, "document map docs");
  EXPECT_EQ(chain.Resolve("did:key:" + key + "#" + key)->source, "did:key");
  EXPECT_EQ(chain.Resolve("did:web:elsewhere.example#key-1").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace pathbridge::certs
