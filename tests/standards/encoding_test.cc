#include "standards/encoding.h"

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

}  // namespace
}  // namespace pathbridge
