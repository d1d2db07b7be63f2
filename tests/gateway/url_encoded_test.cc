// Query strings and form bodies: the strict URL-encoded parser both share.
#include "gateway/url_encoded.h"

#include <gtest/gtest.h>

namespace pathbridge::gateway {
namespace {

TEST(UrlEncodedTest, FormsDecodePlusAsSpaceQueriesKeepIt) {
  auto form = ParseUrlEncoded("grant_type=client_credentials&scope=translate+admin",
                              {.plus_is_space = true});
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->at("grant_type"), "client_credentials");
  EXPECT_EQ(form->at("scope"), "translate admin");
  auto query = ParseUrlEncoded("q=a+b%2Bc");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->at("q"), "a+b+c");
  EXPECT_EQ(*PercentDecode("a%3Ab%25+c", {.plus_is_space = true}), "a:b% c");
  EXPECT_EQ(*PercentDecode("%C3%A9"), "\xC3\xA9");
  EXPECT_EQ(ParseUrlEncoded("a=")->at("a"), "");
  EXPECT_TRUE(ParseUrlEncoded("")->empty());
}

TEST(UrlEncodedTest, LineBreaksOnlyWhenAsked) {
  auto text = ParseUrlEncoded("credential=%7B%0D%0A%09%22a%22%7D", {.plus_is_space = true, .line_breaks = true});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->at("credential"), "{\r\n\t\"a\"}");
  EXPECT_FALSE(ParseUrlEncoded("credential=%0A", {.plus_is_space = true}).ok());
  EXPECT_FALSE(ParseUrlEncoded("credential=%00", {.line_breaks = true}).ok());
  EXPECT_FALSE(ParseUrlEncoded("credential=%1B", {.line_breaks = true}).ok());
}

TEST(UrlEncodedTest, RefusesMalformedTextWithItsOffset) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"a=1&a=2", "offset 4"},  {"a=1&", "offset 3"},   {"=1", "offset 0"},
      {"a", "offset 0"},        {"a=%zz", "offset 2"},  {"a=1&b=%0", "offset 6"},
      {"a=%00", "offset 4"},    {"a=1 2", "offset 3"},  {"a=\xC3\xA9", "offset 2"},
      {"a=1&&b=2", "offset 4"}, {"a=%0a", "offset 4"},
  };
  for (const auto& [text, where] : cases) {
    auto r = ParseUrlEncoded(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << text;
    EXPECT_EQ(r.status().where(), where) << text;
  }
  std::string many;
  for (size_t i = 0; i <= kMaxUrlEncodedPairs; ++i) many += (i ? "&p" : "p") + std::to_string(i) + "=1";
  EXPECT_FALSE(ParseUrlEncoded(many).ok());
}

}  // namespace
}  // namespace pathbridge::gateway
