#include "standards/json.h"

#include <string>

#include <gtest/gtest.h>

namespace pathbridge::json {
namespace {

struct BadCase {
  const char* id;
  std::string text;
  Code code;
  const char* where;     // "line:column" and JSON pointer
  const char* message;   // a phrase the message must contain
};

// Each rule of the reader, with the place it must name.
TEST(JsonParse, RejectsWithLineColumnAndPointer) {
  const BadCase kCases[] = {
      {"duplicate key", "{\"a\":1,\n \"b\":{\"c\":2,\"c\":3}}", Code::kInvalidArgument,
       "2:13 /b/c", "duplicate object key \"c\""},
      {"duplicate escaped key", R"({"a\"/":1,"a\"/":2})", Code::kInvalidArgument,
       "1:11 /a\"~1", "duplicate object key"},
      {"number overflow", "[1,2,1e400]", Code::kInvalidArgument, "1:6 /2", "overflows"},
      {"negative overflow", "{\"n\":[0, -1e400]}", Code::kInvalidArgument, "1:10 /n/1",
       "overflows"},
      {"exponent overflow", "[1e99999999999]", Code::kInvalidArgument, "1:13 /0",
       "exponent is too large"},
      {"UTF-8 surrogate", "[\"\xed\xa0\x80\"]", Code::kInvalidArgument, "1:3 /0",
       "invalid UTF-8"},
      {"overlong UTF-8", "[\"\xc0\xaf\"]", Code::kInvalidArgument, "1:3 /0", "invalid UTF-8"},
      {"lone high surrogate", R"({"k":"ab\ud800"})", Code::kInvalidArgument, "1:15 /k",
       "lone UTF-16 surrogate"},
      {"lone low surrogate", R"({"k":"ab\udc00"})", Code::kInvalidArgument, "1:15 /k",
       "lone UTF-16 surrogate"},
      {"high surrogate then non-surrogate", R"({"k":"\ud800\u0041"})", Code::kInvalidArgument,
       "1:15 /k", "lone UTF-16 surrogate"},
      {"raw newline in string", "[\"a\nb\"]", Code::kInvalidArgument, "1:4 /0",
       "control character 0x0A"},
      {"truncated", "[1,2", Code::kInvalidArgument, "1:5 /2", "unexpected end of input"},
      {"empty", "", Code::kInvalidArgument, "1:1", "unexpected end of input"},
      {"trailing data", "{} x", Code::kInvalidArgument, "1:4",
       "unexpected data after the JSON document"},
      {"trailing comma", "[1,]", Code::kInvalidArgument, "1:4 /1", "unexpected character ']'"},
      {"bad literal", R"({"a/b~c":[true, nul]})", Code::kInvalidArgument, "1:17 /a~1b~0c/1",
       "unexpected character 'n'"},
      {"byte order mark", "\xef\xbb\xbf{}", Code::kInvalidArgument, "1:1", "byte order mark"},
      {"too deep", std::string(65, '[') + std::string(65, ']'), Code::kResourceExhausted,
       "1:65", "nested deeper than 64"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.id);
    auto r = Parse(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), c.code);
    EXPECT_EQ(r.status().where().substr(0, std::string(c.where).size()), c.where)
        << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << r.status().ToString();
  }
}

TEST(JsonParse, AcceptsAtTheLimits) {
  EXPECT_TRUE(Parse(std::string(64, '[') + std::string(64, ']')).ok());
  EXPECT_TRUE(Parse("  {\"z\":1}  \n").ok());
  ParseOptions small;
  small.max_size = 7;
  EXPECT_TRUE(Parse("[1,2,3]", small).ok());
  auto r = Parse("[1,2,3] ", small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
  small.max_depth = 2;
  EXPECT_TRUE(Parse("[[]]", small).ok());
  EXPECT_EQ(Parse("[[[]]]", small).status().code(), Code::kResourceExhausted);
}

TEST(JsonParse, KeepsIntegersAndRoundsDecimalsCorrectly) {
  auto v = Parse(R"([9223372036854775807, 18446744073709551615, -1, 1.5,
                     333333333.33333329, 1e-400, -1e-400])");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  const auto& a = v->as_array();
  EXPECT_EQ(a[0].as_int64(), INT64_MAX);
  EXPECT_EQ(a[1].as_uint64(), UINT64_MAX);
  EXPECT_EQ(a[2].as_int64(), -1);
  EXPECT_EQ(a[3].as_double(), 1.5);
  // RFC 8785 §3.2.2's first number: the nearest double is 0x41b3de4355555555.
  EXPECT_EQ(a[4].as_double(), 333333333.3333333);
  // Underflow is not an I-JSON error: the nearest double is (signed) zero.
  EXPECT_EQ(a[5].as_double(), 0.0);
  EXPECT_TRUE(std::signbit(a[6].as_double()));
}

TEST(JsonParse, KeysSplitAcrossEscapesAreCheckedWhole) {
  // Long escaped keys reach the handler in parts; duplicates are still seen.
  std::string key(5000, 'k');
  key += "\\u00e9";
  auto r = Parse("{\"" + key + "\":1,\"" + key + "\":2}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("duplicate"), std::string::npos);
  EXPECT_TRUE(Parse("{\"" + key + "\":1,\"" + key + "x\":2}").ok());
}

TEST(JsonPointer, EscapesTildeAndSlash) {
  std::string p;
  AppendPointerToken(p, "a/b~c");
  AppendPointerToken(p, "");
  EXPECT_EQ(p, "/a~1b~0c/");
}

TEST(JsonMembers, ExactlyTheNamedMembers) {
  constexpr std::string_view kNames[] = {"a", "b/c"};
  auto object = [](std::string_view text) { return Parse(text)->as_object(); };
  EXPECT_TRUE(CheckMembers(object(R"({"b/c":1,"a":"x"})"), kNames, "a thing").ok());
  Status extra = CheckMembers(object(R"({"a":1,"b/c":2,"x~":3})"), kNames, "a thing");
  EXPECT_EQ(extra.where(), "/x~0");
  EXPECT_EQ(extra.message(), "is not a member of a thing");
  Status missing = CheckMembers(object(R"({"a":1})"), kNames, "a thing");
  EXPECT_EQ(missing.where(), "/b~1c");
  EXPECT_EQ(missing.message(), "missing member");

  auto o = object(R"({"s":"text","n":1})");
  EXPECT_EQ(*StringMember(o, "s"), "text");
  EXPECT_EQ(StringMember(o, "n").status().message(), "must be a string");
  EXPECT_EQ(StringMember(o, "none").status().where(), "/none");
}

}  // namespace
}  // namespace pathbridge::json
