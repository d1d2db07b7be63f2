#include "standards/jcs.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

#include <gtest/gtest.h>

#include "standards/encoding.h"
#include "standards/json.h"
#include "tests/testing/test_util.h"

namespace pathbridge::jcs {
namespace {

namespace fs = std::filesystem;

std::string Hex64(uint64_t bits) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(bits));
  return buf;
}

double FromBits(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

std::string CanonicalOf(std::string_view json_text) {
  auto v = json::Parse(json_text);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  if (!v.ok()) return {};
  auto c = Canonicalize(*v);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : std::string();
}

// RFC 8785 Appendix B, "ECMAScript-Compatible JSON Number Serialization
// Samples", transcribed row by row (IEEE 754 bits, JSON representation).
TEST(JcsNumbers, Rfc8785AppendixB) {
  const std::pair<uint64_t, const char*> kSamples[] = {
      {0x0000000000000000, "0"},                       // Zero
      {0x8000000000000000, "0"},                       // Minus zero
      {0x0000000000000001, "5e-324"},                  // Min pos number
      {0x8000000000000001, "-5e-324"},                 // Min neg number
      {0x7fefffffffffffff, "1.7976931348623157e+308"}, // Max pos number
      {0xffefffffffffffff, "-1.7976931348623157e+308"},// Max neg number
      {0x4340000000000000, "9007199254740992"},        // Max pos int (1)
      {0xc340000000000000, "-9007199254740992"},       // Max neg int (1)
      {0x4430000000000000, "295147905179352830000"},   // ~2**68 (2)
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},      // Round to even (4)
  };
  for (auto [bits, want] : kSamples) {
    SCOPED_TRACE(Hex64(bits));
    auto got = Canonicalize(boost::json::value(FromBits(bits)));
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, want);
    // Read back, the text gives the same double (zero aside: "0" is +0).
    // Boost.JSON 1.81's own conversion misses four of these rows.
    auto back = json::Parse(want);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    double d = back->is_double() ? back->as_double() : back->to_number<double>();
    if (d != 0) {
      EXPECT_EQ(Hex64(std::bit_cast<uint64_t>(d)), Hex64(bits));
    }
  }
  // Rows marked (3): NaN and Infinity are errors.
  for (uint64_t bits : {0x7fffffffffffffffULL, 0x7ff0000000000000ULL}) {
    auto got = Canonicalize(boost::json::value(FromBits(bits)));
    ASSERT_FALSE(got.ok()) << Hex64(bits);
    EXPECT_EQ(got.status().code(), Code::kInvalidArgument);
  }
}

// RFC 8785 §3.2.2 parses this object; §3.2.4 gives the canonical UTF-8
// bytes in hexadecimal.
TEST(JcsRfc8785, PrimitivesExampleMatchesSection324Bytes) {
  const char* kInput = R"({
    "numbers": [333333333.33333329, 1E30, 4.50,
                2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })";
  const char* kBytes =
      "7b226c69746572616c73223a5b6e756c6c2c74727565"
      "2c66616c73655d2c226e756d62657273223a5b333333"
      "3333333333332e333333333333332c31652b33302c34"
      "2e352c302e3030322c31652d32375d2c22737472696e"
      "67223a22e282ac245c75303030665c6e4127425c225c"
      "5c5c5c5c222f227d";
  auto want = HexDecode(kBytes);
  ASSERT_TRUE(want.ok());
  EXPECT_EQ(CanonicalOf(kInput), AsChars(*want));
}

// RFC 8785 §3.2.3: property names sort by UTF-16 code units; the RFC lists
// the values in the expected order.
TEST(JcsRfc8785, SortingExampleOrdersByUtf16CodeUnits) {
  const char* kInput = R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })";
  const char* kOrder[] = {"Carriage Return", "One", "Control",
                          "Latin Small Letter O With Diaeresis", "Euro Sign",
                          "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"};
  auto canonical = json::Parse(CanonicalOf(kInput));
  ASSERT_TRUE(canonical.ok()) << canonical.status().ToString();
  std::size_t i = 0;
  for (const auto& kv : canonical->as_object()) {
    ASSERT_LT(i, std::size(kOrder));
    EXPECT_EQ(kv.value().as_string(), kOrder[i]) << "position " << i;
    ++i;
  }
  EXPECT_EQ(i, std::size(kOrder));
}

// RFC 8785 §3.2.3: names sort as "", "a", "aa", "ab"; child objects, also
// inside arrays, are sorted too, and array order is kept.
TEST(JcsRfc8785, SortsRecursivelyAndKeepsArrayOrder) {
  EXPECT_EQ(CanonicalOf(R"({"ab":1,"aa":2,"a":3,"":4})"), R"({"":4,"a":3,"aa":2,"ab":1})");
  EXPECT_EQ(CanonicalOf(R"([3,{"b":[{"d":1,"c":2}],"a":null},1])"),
            R"([3,{"a":null,"b":[{"c":2,"d":1}]},1])");
}

// W3C vc-di-eddsa test vectors: eddsa-jcs-2022 canonicalizes the unsigned
// credential and the proof configuration with JCS.
TEST(JcsW3c, ReproducesEddsaJcs2022Vectors) {
  const fs::path dir = testing::SharedDir() / "standards/vc2/vc-di-eddsa";
  const std::pair<const char*, const char*> kCases[] = {
      {"unsigned.json", "eddsa-jcs-2022/canonDocJCS.txt"},
      {"eddsa-jcs-2022/proofConfigJCS.json", "eddsa-jcs-2022/proofCanonJCS.txt"},
  };
  for (auto [input, output] : kCases) {
    SCOPED_TRACE(input);
    auto v = json::Parse(testing::ReadFile(dir / input));
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    auto c = Canonicalize(*v);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(*c, testing::ReadFile(dir / output));
  }
}

// Every JSON sample in shared/standards: strict parse, canonicalize, and
// canonicalizing the canonical form again changes nothing.
TEST(JcsSharedSamples, CanonicalFormIsAFixedPoint) {
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(testing::SharedDir() / "standards")) {
    const auto ext = entry.path().extension();
    if (ext != ".json" && ext != ".jsonld") continue;
    SCOPED_TRACE(entry.path().string());
    ++files;
    auto v = json::Parse(testing::ReadFile(entry.path()));
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    auto once = Canonicalize(*v);
    ASSERT_TRUE(once.ok()) << once.status().ToString();
    EXPECT_EQ(CanonicalOf(*once), *once);
  }
  EXPECT_GT(files, 100);
}

TEST(JcsIntegers, ConvertToTheNearestDoubleLikeEcmaScript) {
  // 2^53 + 1 is not a double: ECMAScript reads it as 2^53.
  EXPECT_EQ(CanonicalOf("[9007199254740993, -9007199254740993]"),
            "[9007199254740992,-9007199254740992]");
  EXPECT_EQ(CanonicalOf("[18446744073709551615, 100000000000000000000000]"),
            "[18446744073709552000,1e+23]");
  EXPECT_EQ(CanonicalOf("[-0, 0.0, -0.0, 1.0, 1e2]"), "[0,0,0,1,100]");
}

TEST(JcsStrings, EscapesOnlyWhatJsonStringifyEscapes) {
  EXPECT_EQ(CanonicalOf(R"(["\u0000\u0008\u0009\u000a\u000c\u000d\u001f\u007f\u2028/"])"),
            "[\"\\u0000\\b\\t\\n\\f\\r\\u001f\x7f\xe2\x80\xa8/\"]");
}

TEST(JcsErrors, NamesTheValueByJsonPointer) {
  boost::json::object o;
  o["a/b"] = boost::json::array{1, std::numeric_limits<double>::quiet_NaN()};
  auto r = Canonicalize(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().where(), "/a~1b/1");

  boost::json::object bad_key;
  bad_key["\xed\xa0\x80"] = 1;  // U+D800 written as UTF-8: a lone surrogate
  r = Canonicalize(boost::json::object{{"x", bad_key}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("surrogate"), std::string::npos) << r.status().ToString();
  EXPECT_EQ(r.status().where().rfind("/x/", 0), 0u) << r.status().where();

  r = Canonicalize(boost::json::array{"ok", "\xc3"});  // truncated sequence
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().where(), "/1");
}

TEST(JcsErrors, BoundsNestingDepth) {
  boost::json::value v = 1;
  for (std::size_t i = 0; i < kMaxDepth; ++i) v = boost::json::array{v};
  EXPECT_TRUE(Canonicalize(v).ok());
  v = boost::json::array{v};
  auto r = Canonicalize(v);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
}

}  // namespace
}  // namespace pathbridge::jcs
