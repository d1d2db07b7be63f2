// The VC API request bodies (gateway/vc_api_request.h): the shapes the
// routes accept, and refusals that point at the member without quoting it.
#include "gateway/vc_api_request.h"

#include <gtest/gtest.h>

namespace pathbridge::gateway {
namespace {

namespace cr = pathbridge::credentials;

void ExpectRefused(const Status& s, std::string_view where, std::string_view body = {}) {
  EXPECT_EQ(s.code(), Code::kInvalidArgument) << s.ToString();
  EXPECT_EQ(s.where().substr(0, where.size()), where) << s.ToString();
  if (!body.empty()) {
    EXPECT_EQ(s.ToString().find(body), std::string::npos) << s.ToString();
  }
}

TEST(VcApiRequestTest, IssueTakesACredentialAndACryptosuite) {
  auto r = ParseIssueRequest(R"({"credential":{"type":"VerifiableCredential"}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->suite, cr::IssueSuite::kEddsaRdfc2022);
  r = ParseIssueRequest(R"({"credential":{},"options":{"cryptosuite":"eddsa-jcs-2022"}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->suite, cr::IssueSuite::kEddsaJcs2022);
  // vc-jose is the CLI's; the route answers Data Integrity credentials only.
  ExpectRefused(ParseIssueRequest(R"({"credential":{},"options":{"cryptosuite":"vc-jose"}})").status(),
                "/options/cryptosuite");
  ExpectRefused(ParseIssueRequest(R"({"credential":{},"options":{"credentialId":"x"}})").status(),
                "/options", "credentialId");
  ExpectRefused(ParseIssueRequest(R"({"credential":"x"})").status(), "/credential");
  ExpectRefused(ParseIssueRequest(R"({"options":{}})").status(), "/credential");
  ExpectRefused(ParseIssueRequest(R"({"credential":{},"Jane Doe":1})").status(), "/", "Jane");
  ExpectRefused(ParseIssueRequest("").status(), "");
  ExpectRefused(ParseIssueRequest(R"({"credential":{},"credential":{}})").status(), "");
  EXPECT_EQ(ParseIssueRequest(std::string(100, '[')).status().code(), Code::kResourceExhausted);
}

TEST(VcApiRequestTest, VerifyTakesAnObjectOrACompactJwsAndAReceipt) {
  auto r = ParseVerifyCredentialRequest(R"({"verifiableCredential":{"id":"x"}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(std::holds_alternative<boost::json::object>(r->credential));
  EXPECT_FALSE(r->receipt);
  r = ParseVerifyCredentialRequest(R"({"verifiableCredential":"eyJhbGciOiJFZERTQSJ9.e30.c2ln"})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(std::holds_alternative<cr::CompactJws>(r->credential));
  // A JSON text in a string is not a JWS.
  ExpectRefused(ParseVerifyCredentialRequest(R"({"verifiableCredential":"{}"})").status(),
                "/verifiableCredential");
  ExpectRefused(ParseVerifyCredentialRequest(R"({"verifiableCredential":[]})").status(),
                "/verifiableCredential");
  ExpectRefused(
      ParseVerifyCredentialRequest(R"({"verifiableCredential":{},"options":{"ledgerReceipt":{}}})")
          .status(),
      "/options/ledgerReceipt");
  ExpectRefused(
      ParseVerifyCredentialRequest(R"({"verifiableCredential":{},"options":{"checks":["proof"]}})")
          .status(),
      "/options");
}

TEST(VcApiRequestTest, PresentationsNeedTheirTypeAndStringOptions) {
  auto r = ParseVerifyPresentationRequest(
      R"({"verifiablePresentation":{"type":["VerifiablePresentation"]},"options":{"challenge":"c"}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->challenge, "c");
  EXPECT_FALSE(r->domain);
  ExpectRefused(ParseVerifyPresentationRequest(R"({"verifiablePresentation":{"type":"X"}})").status(),
                "/verifiablePresentation/type");
  ExpectRefused(ParseVerifyPresentationRequest(
                    R"({"verifiablePresentation":{"type":"VerifiablePresentation"},"options":{"domain":1}})")
                    .status(),
                "/options/domain");
}

TEST(VcApiRequestTest, StatusIsTheVcApiUpdateShape) {
  auto r = ParseStatusRequest(
      R"({"credentialId":"urn:uuid:1","credentialStatus":{"type":"BitstringStatusListEntry",)"
      R"("statusPurpose":"suspension","statusListIndex":"7"},"status":false})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->credential_id, "urn:uuid:1");
  EXPECT_EQ(r->purpose, cr::StatusPurpose::kSuspension);
  EXPECT_FALSE(r->set);
  EXPECT_EQ(r->list_index, "7");
  EXPECT_FALSE(r->list_url);
  // The VC API's own example names the list type.
  EXPECT_TRUE(ParseStatusRequest(R"({"credentialId":"a","credentialStatus":{"type":)"
                                 R"("BitstringStatusList","statusPurpose":"revocation"},"status":true})")
                  .ok());
  ExpectRefused(ParseStatusRequest(R"({"credentialId":"a","credentialStatus":{"type":)"
                                   R"("BitstringStatusListEntry","statusPurpose":"refresh"},"status":true})")
                    .status(),
                "/credentialStatus/statusPurpose");
  ExpectRefused(ParseStatusRequest(R"({"credentialId":"a","credentialStatus":{"type":)"
                                   R"("StatusList2021Entry","statusPurpose":"revocation"},"status":true})")
                    .status(),
                "/credentialStatus/type");
  ExpectRefused(ParseStatusRequest(R"({"credentialId":"a","credentialStatus":{"type":)"
                                   R"("BitstringStatusListEntry","statusPurpose":"revocation"},"status":"revoked"})")
                    .status(),
                "/status");
  ExpectRefused(ParseStatusRequest(R"({"credentialId":"","credentialStatus":{},"status":true})").status(),
                "/credentialId");
}

}  // namespace
}  // namespace pathbridge::gateway
