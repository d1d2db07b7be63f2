#include "ledger/credentials/jose.h"

#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "certs/multikey.h"
#include "ledger/credentials/data_integrity.h"
#include "tests/testing/map_resolver.h"
#include "tests/testing/test_util.h"

namespace pathbridge::credentials {
namespace {

namespace js = boost::json;

class JoseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    credential_ = testing::ReadJson(testing::SharedDir() /
                                    "standards/ob3/impl-guide-test-vector/signed-credential.json")
                      .as_object();
    credential_.erase("proof");
    kid_ = certs::DidKeyVerificationMethod(key_.public_key());
    resolver_.Add(kid_, key_.public_key());
    resolver_.Add(certs::DidKeyVerificationMethod(other_.public_key()), other_.public_key());
  }

  std::string Sign() {
    auto jws = SignJose(credential_, key_, kid_);
    EXPECT_TRUE(jws.ok()) << jws.status().ToString();
    return *jws;
  }

  // A compact JWS from a header and payload given as text, signed by `key`.
  static std::string Compact(std::string_view header, std::string_view payload,
                             const certs::Ed25519Key& key) {
    std::string input = Base64UrlEncode(AsBytes(header)) + "." + Base64UrlEncode(AsBytes(payload));
    return input + "." + Base64UrlEncode(key.Sign(AsBytes(input)));
  }

  std::string Header(std::string_view alg, std::string_view extra = "") const {
    return R"({"alg":")" + std::string(alg) + R"(","kid":")" + kid_ + R"(","typ":"vc+jwt")" +
           std::string(extra) + "}";
  }

  Code VerifyCode(std::string_view compact) const {
    return VerifyJose(compact, resolver_).status().code();
  }

  certs::Ed25519Key key_ = certs::Ed25519Key::Generate();
  certs::Ed25519Key other_ = certs::Ed25519Key::Generate();
  js::object credential_;
  std::string kid_;
  testing::MapResolver resolver_;
};

TEST_F(JoseTest, RoundTrip) {
  const std::string jws = Sign();
  const std::string header_part = jws.substr(0, jws.find('.'));
  EXPECT_EQ(AsChars(*Base64UrlDecode(header_part)),
            R"({"alg":"EdDSA","kid":")" + kid_ + R"(","typ":"vc+jwt","cty":"vc"})");
  auto r = VerifyJose(jws, resolver_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->payload, credential_);
  EXPECT_EQ(r->header.at("kid").as_string(), kid_);
  EXPECT_EQ(r->method.id, kid_);
  EXPECT_EQ(r->method.public_key, key_.public_key());
}

TEST_F(JoseTest, FullySpecifiedAlgorithmIsAccepted) {
  const std::string jws = Compact(Header("Ed25519"), js::serialize(credential_), key_);
  EXPECT_EQ(VerifyCode(jws), Code::kOk) << VerifyJose(jws, resolver_).status().ToString();
}

TEST_F(JoseTest, TamperedPartsAreInvalid) {
  const std::string jws = Sign();
  const std::size_t a = jws.find('.'), b = jws.rfind('.');
  js::object changed = credential_;
  changed["name"] = "Teamwork Badge (forged)";
  const std::string payload = Base64UrlEncode(AsBytes(js::serialize(changed)));
  EXPECT_EQ(VerifyCode(jws.substr(0, a + 1) + payload + jws.substr(b)), Code::kVerificationFailed);

  const std::string header = Base64UrlEncode(AsBytes(Header("EdDSA", R"(,"cty":"vc","x":1)")));
  EXPECT_EQ(VerifyCode(header + jws.substr(a)), Code::kVerificationFailed);

  std::string sig = jws;
  sig[b + 5] = sig[b + 5] == 'A' ? 'B' : 'A';
  auto r = VerifyJose(sig, resolver_);
  EXPECT_EQ(r.status().code(), Code::kVerificationFailed);
  EXPECT_EQ(r.status().message(), kSignatureMismatch);
}

TEST_F(JoseTest, UnsignedAndOtherAlgorithmsAreRefused) {
  const std::string payload = Base64UrlEncode(AsBytes(js::serialize(credential_)));
  const std::string none = Base64UrlEncode(AsBytes(Header("none"))) + "." + payload + ".";
  auto r = VerifyJose(none, resolver_);
  EXPECT_EQ(r.status().code(), Code::kVerificationFailed);
  EXPECT_NE(r.status().message().find("alg none"), std::string::npos);
  EXPECT_EQ(VerifyCode(Compact(Header("ES256"), "{}", key_)), Code::kFailedPrecondition);
  EXPECT_EQ(VerifyCode(Compact(Header("HS256"), "{}", key_)), Code::kFailedPrecondition);
  EXPECT_EQ(VerifyCode(Compact(R"({"kid":"x"})", "{}", key_)), Code::kInvalidArgument);
  EXPECT_EQ(VerifyCode(Compact(Header("EdDSA", R"(,"crit":["b64"],"b64":false)"), "{}", key_)),
            Code::kFailedPrecondition);
}

TEST_F(JoseTest, WrongOrUnknownKid) {
  // Signed by `other_` but naming `key_`.
  EXPECT_EQ(VerifyCode(Compact(Header("EdDSA"), js::serialize(credential_), other_)),
            Code::kVerificationFailed);
  auto jws = SignJose(credential_, key_, "did:example:nobody#key-1");
  ASSERT_TRUE(jws.ok());
  auto r = VerifyJose(*jws, resolver_);
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().where(), "header.kid");
}

TEST_F(JoseTest, MalformedInputIsRefused) {
  const std::string jws = Sign();
  EXPECT_EQ(VerifyCode(""), Code::kInvalidArgument);
  EXPECT_EQ(VerifyCode(jws + ".x"), Code::kInvalidArgument);
  EXPECT_EQ(VerifyCode(jws.substr(0, jws.rfind('.'))), Code::kInvalidArgument);
  EXPECT_EQ(VerifyCode(jws + "="), Code::kInvalidArgument);  // padding
  EXPECT_EQ(VerifyCode("e30." + jws.substr(jws.find('.') + 1)), Code::kInvalidArgument);  // {}
  EXPECT_EQ(VerifyCode(Compact(R"({"alg":"EdDSA","alg":"none","kid":"x"})", "{}", key_)),
            Code::kInvalidArgument);  // duplicate key
  EXPECT_EQ(VerifyCode(Compact(R"(["EdDSA"])", "{}", key_)), Code::kInvalidArgument);
  EXPECT_EQ(VerifyCode(Compact(Header("EdDSA"), "[1]", key_)), Code::kInvalidArgument);
  EXPECT_EQ(VerifyCode(Compact(Header("EdDSA", R"(,"cty":"json")"), "{}", key_)),
            Code::kInvalidArgument);
  EXPECT_EQ(VerifyCode(std::string(kMaxJoseLength + 1, 'A')), Code::kResourceExhausted);
}

TEST_F(JoseTest, KeyMustHaveBeenValidWhenSigned) {
  certs::VerificationMethod& m = resolver_.Add(kid_, key_.public_key());
  m.revoked = "2015-01-01T00:00:00Z";
  // The credential's validFrom (2010) predates the revocation.
  EXPECT_EQ(VerifyCode(Sign()), Code::kOk);
  credential_["validFrom"] = "2016-01-01T00:00:00Z";
  auto r = VerifyJose(Sign(), resolver_);
  EXPECT_EQ(r.status().code(), Code::kVerificationFailed);
  EXPECT_EQ(r.status().where(), "/validFrom");
  credential_["iat"] = 1262304000;  // 2010-01-01, which wins over validFrom
  EXPECT_EQ(VerifyCode(Sign()), Code::kOk);
  resolver_.Add(kid_, key_.public_key(), {"authentication"});
  EXPECT_EQ(VerifyCode(Sign()), Code::kVerificationFailed);
}

}  // namespace
}  // namespace pathbridge::credentials
