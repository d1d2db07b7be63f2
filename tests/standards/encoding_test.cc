#include "standards/encoding.h"

#include <vector>

#include <gtest/gtest.h>

namespace pathbridge {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> kVectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (auto [plain, enc] : kVectors) {
    EXPECT_EQ(Base64Encode(AsBytes(plain)), enc);
    auto dec = Base64Decode(enc);
    ASSERT_TRUE(dec.ok()) << enc;
    EXPECT_EQ(AsChars(*dec), plain);
  }
}

TEST(Base64, RejectsNonCanonicalAndReportsOffset) {
  EXPECT_FALSE(Base64Decode("Zg=").ok());     // wrong length
  EXPECT_FALSE(Base64Decode("Zh==").ok());    // non-zero trailing bits
  auto bad = Base64Decode("Zm9v!mFy");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().where(), "offset 4");
}

TEST(Base64Url, RoundTripsWithoutPadding) {
  Bytes b = {0xfb, 0xff, 0xfe};
  EXPECT_EQ(Base64UrlEncode(b), "-__-");
  EXPECT_EQ(*Base64UrlDecode("-__-"), b);
  EXPECT_FALSE(Base64UrlDecode("-__-=").ok());
}

TEST(Hex, RoundTripAndErrors) {
  Bytes b = {0x00, 0xab, 0xff};
  EXPECT_EQ(HexEncode(b), "00abff");
  EXPECT_EQ(*HexDecode("00ABff"), b);
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_EQ(HexDecode("0g").status().where(), "offset 1");
}

TEST(Decimal, OneSpellingPerNumber) {
  EXPECT_EQ(*ParseCanonicalDecimal("0", "n"), 0u);
  EXPECT_EQ(*ParseCanonicalDecimal("18446744073709551615", "n"), UINT64_MAX);
  const std::pair<const char*, const char*> kBad[] = {
      {"", "of 1 to 20 digits"},        {"007", "leading zero"},
      {"+7", "must be a decimal"},      {"7 ", "must be a decimal"},
      {"18446744073709551616", "does not fit in 64 bits"},
      {"123456789012345678901", "of 1 to 20 digits"}};
  for (auto [text, words] : kBad) {
    auto r = ParseCanonicalDecimal(text, "the index");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().message().find("the index"), 0u) << r.status().ToString();
    EXPECT_NE(r.status().message().find(words), std::string::npos) << r.status().ToString();
  }
}

// RFC 3629 §7 examples, then forms §3 and §10 rule out: an overlong NUL,
// a surrogate, a value above U+10FFFF and a truncated sequence.
TEST(Utf8, Rfc3629Examples) {
  const std::pair<const char*, std::vector<uint32_t>> kValid[] = {
      {"A\xE2\x89\xA2\xCE\x91.", {0x41, 0x2262, 0x391, 0x2E}},
      {"\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4", {0xD55C, 0xAD6D, 0xC5B4}},
      {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", {0x65E5, 0x672C, 0x8A9E}},
      {"\xEF\xBB\xBF\xF0\xA3\x8E\xB4", {0xFEFF, 0x233B4}},
  };
  for (const auto& [text, want] : kValid) {
    std::string_view s(text);
    std::vector<uint32_t> got;
    for (std::size_t i = 0, n; i < s.size(); i += n) {
      uint32_t cp = 0;
      n = DecodeUtf8(s, i, &cp);
      ASSERT_GT(n, 0u) << HexEncode(AsBytes(s)) << " at " << i;
      got.push_back(cp);
    }
    EXPECT_EQ(got, want) << HexEncode(AsBytes(s));
  }
  uint32_t cp;
  for (const char* bad : {"\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x89"})
    EXPECT_EQ(DecodeUtf8(bad, 0, &cp), 0u) << HexEncode(AsBytes(bad));
}

}  // namespace
}  // namespace pathbridge
