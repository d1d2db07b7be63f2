#include "standards/multibase.h"

#include <gtest/gtest.h>

namespace pathbridge {
namespace {

// multiformats/multibase tests/basic.csv, leading_zero.csv and
// two_leading_zeros.csv (base58btc and base64url rows).
TEST(Multibase, MultiformatsTestVectors) {
  struct Case {
    const char* id;
    std::string bytes;
    const char* encoded;
  };
  const Case kCases[] = {
      {"basic base58btc", "yes mani !", "z7paNL19xttacUY"},
      {"basic base64url", "yes mani !", "ueWVzIG1hbmkgIQ"},
      {"leading_zero base58btc", std::string("\0yes mani !", 11), "z17paNL19xttacUY"},
      {"leading_zero base64url", std::string("\0yes mani !", 11), "uAHllcyBtYW5pICE"},
      {"two_leading_zeros base58btc", std::string("\0\0yes mani !", 12), "z117paNL19xttacUY"},
      {"two_leading_zeros base64url", std::string("\0\0yes mani !", 12), "uAAB5ZXMgbWFuaSAh"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.id);
    auto base = c.encoded[0] == 'z' ? Multibase::kBase58Btc : Multibase::kBase64Url;
    EXPECT_EQ(MultibaseEncode(base, AsBytes(c.bytes)), c.encoded);
    auto decoded = MultibaseDecode(c.encoded);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(AsChars(*decoded), c.bytes);
  }
}

TEST(Base58Btc, ZerosAndEmpty) {
  EXPECT_EQ(Base58BtcEncode({}), "");
  EXPECT_EQ(Base58BtcDecode("")->size(), 0u);
  Bytes zeros(3, 0);
  EXPECT_EQ(Base58BtcEncode(zeros), "111");
  EXPECT_EQ(*Base58BtcDecode("111"), zeros);
  Bytes b = {0, 0, 0xff};
  EXPECT_EQ(*Base58BtcDecode(Base58BtcEncode(b)), b);
}

TEST(Base58Btc, RejectsCharactersOutsideTheAlphabetWithOffset) {
  for (char c : {'0', 'O', 'I', 'l', '+', ' '}) {
    std::string text = "2NEpo7TZ";
    text[3] = c;
    auto r = Base58BtcDecode(text);
    ASSERT_FALSE(r.ok()) << c;
    EXPECT_EQ(r.status().where(), "offset 3") << c;
  }
  auto r = Base58BtcDecode(std::string(kMaxBase58Length + 1, '2'));
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
}

TEST(Multibase, ErrorsPointIntoTheWholeString) {
  auto r = MultibaseDecode("z6Mk0");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().where(), "offset 4");
  r = MultibaseDecode("uAB=C");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().where(), "offset 3");
  r = MultibaseDecode("f00ff");  // base16: a real multibase, not one we accept
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().where(), "offset 0");
  EXPECT_FALSE(MultibaseDecode("").ok());
}

}  // namespace
}  // namespace pathbridge
