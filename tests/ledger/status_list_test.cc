#include "ledger/credentials/status_list.h"

#include <gtest/gtest.h>

#include <string>

#include "standards/json.h"
#include "tests/testing/test_util.h"

namespace pathbridge::credentials {
namespace {

namespace json = boost::json;

const json::array& Vectors() {
  static const json::value v =
      testing::ReadJson(testing::LedgerVectors() / "bitstring-status-list-vectors.json");
  return v.as_object().at("vectors").as_array();
}
std::string VectorList(size_t i) {
  return std::string(Vectors().at(i).as_object().at("encodedList").as_string());
}

json::object ParseObject(std::string_view text) {
  auto v = pathbridge::json::Parse(text);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v->as_object();
}

// The spec's "Example BitstringStatusListCredential", with a given list.
json::object ListCredential(const std::string& encoded_list,
                            std::string_view purpose = "\"revocation\"") {
  return ParseObject(R"({
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "https://example.com/credentials/status/3",
    "type": ["VerifiableCredential", "BitstringStatusListCredential"],
    "issuer": "did:example:12345",
    "validFrom": "2021-04-05T14:27:40Z",
    "credentialSubject": {
      "id": "https://example.com/status/3#list",
      "type": "BitstringStatusList",
      "statusPurpose": )" + std::string(purpose) + R"(,
      "encodedList": ")" + encoded_list + R"("
    }})");
}

// The spec's example credentialStatus entry, at a given index.
json::object Entry(std::string_view index, std::string_view purpose = "revocation") {
  return ParseObject(R"({
    "id": "https://example.com/credentials/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": ")" + std::string(purpose) + R"(",
    "statusListIndex": ")" + std::string(index) + R"(",
    "statusListCredential": "https://example.com/credentials/status/3"
  })");
}

void ExpectError(const Result<StatusCheck>& r, StatusListError error, Code code,
                 const std::string& message, const std::string& where) {
  ASSERT_FALSE(r.ok()) << "expected " << StatusListErrorName(error);
  EXPECT_EQ(StatusListErrorOf(r.status()), error) << r.status().ToString();
  EXPECT_EQ(r.status().code(), code);
  EXPECT_EQ(r.status().message(), std::string(StatusListErrorName(error)) + ": " + message);
  EXPECT_EQ(r.status().where(), where);
}

std::string Encoded(const Bitstring& bits) {
  auto e = bits.Encode();
  EXPECT_TRUE(e.ok());
  return *e;
}

TEST(StatusListCheck, SpecExampleIsUnset) {
  auto r = CheckStatus(Entry("94567"), ListCredential(VectorList(0)));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->purpose, "revocation");
  EXPECT_EQ(r->status, 0u);
  EXPECT_TRUE(r->valid);
  EXPECT_EQ(r->message, "unset");
}

TEST(StatusListCheck, DerivedVectorBits) {
  const json::object list = ListCredential(VectorList(1));
  for (const char* index : {"0", "7", "8", "42", "131071"}) {
    auto r = CheckStatus(Entry(index), list);
    ASSERT_TRUE(r.ok()) << index << ": " << r.status().ToString();
    EXPECT_EQ(r->status, 1u) << index;
    EXPECT_FALSE(r->valid) << index;
    EXPECT_EQ(r->message, "set");
  }
  for (const char* index : {"1", "6", "9", "41", "43", "131070", "00042"}) {
    auto r = CheckStatus(Entry(index), list);
    ASSERT_TRUE(r.ok()) << index << ": " << r.status().ToString();
    EXPECT_EQ(r->status, std::string_view(index) == "00042" ? 1u : 0u) << index;
  }
}

TEST(StatusListCheck, ListMayCarrySeveralPurposes) {
  const json::object list = ListCredential(VectorList(1), R"(["revocation", "suspension"])");
  auto r = CheckStatus(Entry("42", "suspension"), list);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->purpose, "suspension");
  EXPECT_FALSE(r->valid);
}

TEST(StatusListCheck, PurposeMismatchIsAVerificationError) {
  ExpectError(CheckStatus(Entry("42", "suspension"), ListCredential(VectorList(1))),
              StatusListError::kStatusVerification, Code::kVerificationFailed,
              "the status list is not for the entry's purpose \"suspension\"",
              "statusListCredential/credentialSubject/statusPurpose");
}

TEST(StatusListCheck, ListIdMustBeTheEntrysUrl) {
  json::object list = ListCredential(VectorList(0));
  list["id"] = "https://example.com/credentials/status/4";
  ExpectError(CheckStatus(Entry("1"), list), StatusListError::kStatusVerification,
              Code::kVerificationFailed,
              "the status list credential's id is not the entry's statusListCredential URL",
              "statusListCredential/id");
  list.erase("id");  // the id is optional
  EXPECT_TRUE(CheckStatus(Entry("1"), list).ok());
}

TEST(StatusListCheck, IndexOutsideTheListIsARangeError) {
  const json::object list = ListCredential(VectorList(0));
  ExpectError(CheckStatus(Entry("131072"), list), StatusListError::kRange, Code::kInvalidArgument,
              "statusListIndex 131072 is outside the status list (131072 entries)",
              "credentialStatus/statusListIndex");
  ExpectError(CheckStatus(Entry("123456789012345678901234567890"), list), StatusListError::kRange,
              Code::kInvalidArgument,
              "statusListIndex is beyond any status list this verifier reads",
              "credentialStatus/statusListIndex");
}

TEST(StatusListCheck, MalformedEntries) {
  const json::object list = ListCredential(VectorList(0));
  for (const char* index : {"", "-1", "1.5", "+3", " 7", "0x10", "١"}) {
    SCOPED_TRACE(index);
    auto r = CheckStatus(Entry(index), list);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(StatusListErrorOf(r.status()), StatusListError::kMalformedValue);
    EXPECT_EQ(r.status().where(), "credentialStatus/statusListIndex");
  }
  json::object numeric = Entry("5");
  numeric["statusListIndex"] = 5;  // must be a string
  ExpectError(CheckStatus(numeric, list), StatusListError::kMalformedValue,
              Code::kInvalidArgument, "statusListIndex must be a non-empty string",
              "credentialStatus/statusListIndex");
  json::object wrong_type = Entry("5");
  wrong_type["type"] = "StatusList2021Entry";
  ExpectError(CheckStatus(wrong_type, list), StatusListError::kMalformedValue,
              Code::kInvalidArgument, "type must be BitstringStatusListEntry",
              "credentialStatus/type");
  json::object no_url = Entry("5");
  no_url.erase("statusListCredential");
  ExpectError(CheckStatus(no_url, list), StatusListError::kMalformedValue,
              Code::kInvalidArgument, "statusListCredential is missing",
              "credentialStatus/statusListCredential");
  json::object no_purpose = Entry("5");
  no_purpose.erase("statusPurpose");
  ExpectError(CheckStatus(no_purpose, list), StatusListError::kMalformedValue,
              Code::kInvalidArgument, "statusPurpose is missing",
              "credentialStatus/statusPurpose");
}

TEST(StatusListCheck, MalformedListCredentials) {
  json::object not_a_list = ListCredential(VectorList(0));
  not_a_list["type"] = json::array{"VerifiableCredential"};
  ExpectError(CheckStatus(Entry("1"), not_a_list), StatusListError::kMalformedValue,
              Code::kInvalidArgument,
              "the status list credential's type must include BitstringStatusListCredential",
              "statusListCredential/type");
  json::object subject_type = ListCredential(VectorList(0));
  subject_type["credentialSubject"].as_object()["type"] = "StatusList2021";
  ExpectError(CheckStatus(Entry("1"), subject_type), StatusListError::kMalformedValue,
              Code::kInvalidArgument, "credentialSubject type must be BitstringStatusList",
              "statusListCredential/credentialSubject/type");
  json::object no_subject = ListCredential(VectorList(0));
  no_subject["credentialSubject"] = json::array{};
  ExpectError(CheckStatus(Entry("1"), no_subject), StatusListError::kMalformedValue,
              Code::kInvalidArgument, "credentialSubject must be an object",
              "statusListCredential/credentialSubject");
  ExpectError(CheckStatus(Entry("1"), ListCredential(VectorList(0), "7")),
              StatusListError::kMalformedValue, Code::kInvalidArgument,
              "statusPurpose must be a string or an array of strings",
              "statusListCredential/credentialSubject/statusPurpose");
  ExpectError(CheckStatus(Entry("1"), ListCredential("zH4sI")), StatusListError::kMalformedValue,
              Code::kInvalidArgument,
              "encodedList must be multibase base64url: 'u' then base64url without padding",
              "statusListCredential/credentialSubject/encodedList:offset 0");
  ExpectError(CheckStatus(Entry("1"), ListCredential("uH4sI")), StatusListError::kMalformedValue,
              Code::kInvalidArgument, "encodedList holds truncated GZIP data",
              "statusListCredential/credentialSubject/encodedList");
}

TEST(StatusListCheck, ShortListIsALengthError) {
  const json::object list = ListCredential(Encoded(Bitstring(8192)));
  ExpectError(CheckStatus(Entry("1"), list), StatusListError::kStatusListLength,
              Code::kInvalidArgument,
              "the status list has 8192 entries; at least 131072 are required for herd privacy",
              "statusListCredential/credentialSubject/encodedList");
  CheckOptions lowered;  // an ecosystem with a lower minimum (spec step 2)
  lowered.minimum_entries = 8192;
  EXPECT_TRUE(CheckStatus(Entry("1"), list, lowered).ok());
}

TEST(StatusListCheck, DecompressionBombIsRefused) {
  CheckOptions options;
  options.max_inflated_bytes = 1u << 20;
  auto r = CheckStatus(Entry("1"), ListCredential(Encoded(Bitstring(size_t{2} << 23))), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "MALFORMED_VALUE_ERROR: encodedList inflates to more than 1048576 bytes");
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
  EXPECT_EQ(StatusListErrorOf(r.status()), StatusListError::kMalformedValue);
}

json::object MessageEntry(std::string_view index, int status_size, std::string_view messages) {
  json::object e = Entry(index, "message");
  e["statusSize"] = status_size;
  if (!messages.empty())
    e["statusMessage"] = ParseObject("{\"m\":" + std::string(messages) + "}")["m"];
  return e;
}

constexpr std::string_view kFourMessages =
    R"([{"status":"0x0","message":"pending_review"},{"status":"0x1","message":"accepted"},
        {"status":"0x2","message":"rejected"},{"status":"0x3","message":"undefined"}])";

TEST(StatusListCheck, MultiBitEntriesReadStatusSizeBitsAtIndexTimesSize) {
  Bitstring bits(kMinimumListBits * 2);  // 131,072 two-bit entries
  bits.Set(2 * 5, true);                 // entry 5 = 0b10
  bits.Set(2 * 6 + 1, true);             // entry 6 = 0b01
  bits.Set(2 * 7, true);                 // entry 7 = 0b11
  bits.Set(2 * 7 + 1, true);
  const json::object list = ListCredential(Encoded(bits), "\"message\"");
  const std::pair<const char*, const char*> want[] = {
      {"4", "pending_review"}, {"5", "rejected"}, {"6", "accepted"}, {"7", "undefined"}};
  for (const auto& [index, message] : want) {
    auto r = CheckStatus(MessageEntry(index, 2, kFourMessages), list);
    ASSERT_TRUE(r.ok()) << index << ": " << r.status().ToString();
    EXPECT_EQ(r->message, message) << index;
    EXPECT_EQ(r->valid, std::string_view(index) == "4");
  }
  auto last = CheckStatus(MessageEntry("131071", 2, kFourMessages), list);
  EXPECT_TRUE(last.ok());
  ExpectError(CheckStatus(MessageEntry("131072", 2, kFourMessages), list), StatusListError::kRange,
              Code::kInvalidArgument,
              "statusListIndex 131072 is outside the status list (131072 entries)",
              "credentialStatus/statusListIndex");
}

TEST(StatusListCheck, MultiBitLengthIsCountedInEntries) {
  // 131,072 bits hold only 65,536 two-bit entries.
  const json::object list = ListCredential(VectorList(0), "\"message\"");
  ExpectError(CheckStatus(MessageEntry("1", 2, kFourMessages), list),
              StatusListError::kStatusListLength, Code::kInvalidArgument,
              "the status list has 65536 entries; at least 131072 are required for herd privacy",
              "statusListCredential/credentialSubject/encodedList");
}

TEST(StatusListCheck, StatusSizeAndStatusMessageRules) {
  const json::object list = ListCredential(Encoded(Bitstring(kMinimumListBits * 8)), "\"message\"");
  ExpectError(CheckStatus(MessageEntry("1", 2, ""), list), StatusListError::kMalformedValue,
              Code::kInvalidArgument,
              "statusMessage is required when statusSize is greater than 1",
              "credentialStatus/statusMessage");
  ExpectError(CheckStatus(MessageEntry("1", 0, ""), list), StatusListError::kMalformedValue,
              Code::kInvalidArgument, "statusSize must be an integer greater than zero",
              "credentialStatus/statusSize");
  ExpectError(CheckStatus(MessageEntry("1", 9, ""), list),
              StatusListError::kStatusVerification, Code::kVerificationFailed,
              "statusSize 9 is not supported (at most 8 bits per entry)",
              "credentialStatus/statusSize");
  ExpectError(CheckStatus(MessageEntry("1", 2, R"([{"status":"0x0","message":"a"}])"), list),
              StatusListError::kMalformedValue, Code::kInvalidArgument,
              "statusMessage must be an array of 4 entries (2^statusSize)",
              "credentialStatus/statusMessage");
  const std::string bad_status_message =
      "statusMessage status must be \"0x\" and a hex value below 4, each value once";
  for (const char* messages :
       {R"([{"status":"0x0","message":"a"},{"status":"0x0","message":"b"},
            {"status":"0x2","message":"c"},{"status":"0x3","message":"d"}])",
        R"([{"status":"0x0","message":"a"},{"status":"1","message":"b"},
            {"status":"0x2","message":"c"},{"status":"0x3","message":"d"}])"}) {
    ExpectError(CheckStatus(MessageEntry("1", 2, messages), list),
                StatusListError::kMalformedValue, Code::kInvalidArgument, bad_status_message,
                "credentialStatus/statusMessage/1/status");
  }
  constexpr std::string_view kNoMessage =
      R"([{"status":"0x0","message":"a"},{"status":"0x1"},
          {"status":"0x2","message":"c"},{"status":"0x3","message":"d"}])";
  ExpectError(
      CheckStatus(MessageEntry("1", 2, kNoMessage), list),
      StatusListError::kMalformedValue, Code::kInvalidArgument,
      "each statusMessage entry needs string status and message",
      "credentialStatus/statusMessage/1");
  // statusSize 1 may carry its two messages.
  json::object one_bit = MessageEntry("1", 1, R"([{"status":"0x1","message":"flagged"},
                                                  {"status":"0x0","message":"clear"}])");
  auto r = CheckStatus(one_bit, list);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->message, "clear");
}

TEST(StatusListBuild, CredentialMatchesTheSpecShapeAndRoundTrips) {
  Bitstring bits;
  bits.Set(94567, true);
  StatusListCredentialInfo info;
  info.list_url = "https://localhost:8443/status/acme/revocation/1";
  info.issuer = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
  info.valid_from = std::chrono::sys_days{std::chrono::year{2025} / 5 / 15} +
                    std::chrono::hours{8} + std::chrono::minutes{30};
  info.valid_until = info.valid_from + std::chrono::hours{24};
  auto vc = BuildStatusListCredential(info, bits);
  ASSERT_TRUE(vc.ok()) << vc.status().ToString();
  EXPECT_EQ(json::serialize((*vc)["@context"]), R"(["https://www.w3.org/ns/credentials/v2"])");
  EXPECT_EQ((*vc)["id"].as_string(), info.list_url);
  EXPECT_EQ(json::serialize((*vc)["type"]),
            R"(["VerifiableCredential","BitstringStatusListCredential"])");
  EXPECT_EQ((*vc)["issuer"].as_string(), info.issuer);
  EXPECT_EQ((*vc)["validFrom"].as_string(), "2025-05-15T08:30:00Z");
  EXPECT_EQ((*vc)["validUntil"].as_string(), "2025-05-16T08:30:00Z");
  const json::object& subject = (*vc)["credentialSubject"].as_object();
  EXPECT_EQ(subject.at("id").as_string(), info.list_url + "#list");
  EXPECT_EQ(subject.at("type").as_string(), "BitstringStatusList");
  EXPECT_EQ(subject.at("statusPurpose").as_string(), "revocation");
  auto decoded = Decode(subject.at("encodedList").as_string());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->bytes(), bits.bytes());

  const json::object entry = BuildStatusListEntry(info.list_url, 94567, StatusPurpose::kRevocation);
  EXPECT_EQ(json::serialize(entry),
            R"({"id":"https://localhost:8443/status/acme/revocation/1#94567",)"
            R"("type":"BitstringStatusListEntry","statusPurpose":"revocation",)"
            R"("statusListIndex":"94567",)"
            R"("statusListCredential":"https://localhost:8443/status/acme/revocation/1"})");
  auto r = CheckStatus(entry, *vc);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->valid);
  auto other =
      CheckStatus(BuildStatusListEntry(info.list_url, 94566, StatusPurpose::kRevocation), *vc);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->valid);
}

TEST(StatusListBuild, RefusesShortListsAndMissingFields) {
  StatusListCredentialInfo info;
  info.list_url = "https://localhost:8443/status/acme/revocation/1";
  info.issuer = "did:example:12345";
  auto short_list = BuildStatusListCredential(info, Bitstring(8192));
  ASSERT_FALSE(short_list.ok());
  EXPECT_EQ(short_list.status().message(),
            "a status list needs at least 131072 entries; this one has 8192");
  info.issuer.clear();
  EXPECT_FALSE(BuildStatusListCredential(info, Bitstring()).ok());
}

TEST(StatusListPurpose, NamesRoundTrip) {
  for (auto p : {StatusPurpose::kRevocation, StatusPurpose::kSuspension, StatusPurpose::kRefresh}) {
    auto back = ParsePurpose(PurposeName(p));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, p);
  }
  EXPECT_FALSE(ParsePurpose("message").ok());
  EXPECT_FALSE(ParsePurpose("Revocation").ok());
}

TEST(StatusListErrors, CallersTagRetrievalAndProofFailures) {
  Status retrieval = MakeStatusListError(StatusListError::kStatusRetrieval,
                                         "the status list could not be fetched (HTTP 503)",
                                         "https://example.com/credentials/status/3");
  EXPECT_EQ(retrieval.code(), Code::kUnavailable);
  EXPECT_EQ(StatusListErrorOf(retrieval), StatusListError::kStatusRetrieval);
  EXPECT_EQ(retrieval.message(),
            "STATUS_RETRIEVAL_ERROR: the status list could not be fetched (HTTP 503)");
  Status proof = MakeStatusListError(StatusListError::kStatusVerification, "bad proof");
  EXPECT_EQ(proof.code(), Code::kVerificationFailed);
  EXPECT_EQ(StatusListErrorOf(proof), StatusListError::kStatusVerification);
  EXPECT_EQ(StatusListErrorOf(InvalidArgument("RANGE_ERROR is not a prefix here")), std::nullopt);
  EXPECT_EQ(StatusListErrorOf(InvalidArgument("RANGE_ERRORS: no")), std::nullopt);
}

}  // namespace
}  // namespace pathbridge::credentials
