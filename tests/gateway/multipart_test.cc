// multipart/form-data as browsers send it (the bodies below are shaped like
// Chromium's), and what a strict reader must refuse.
#include "gateway/multipart.h"

#include <gtest/gtest.h>

namespace pathbridge::gateway {
namespace {

constexpr std::string_view kBoundary = "----WebKitFormBoundaryx7YQ2mDOtYpA9wvE";

std::string Part(std::string_view disposition, std::string_view body,
                 std::string_view type = {}) {
  std::string p = "--" + std::string(kBoundary) + "\r\nContent-Disposition: " + std::string(disposition) +
                  "\r\n";
  if (!type.empty()) p += "Content-Type: " + std::string(type) + "\r\n";
  return p + "\r\n" + std::string(body) + "\r\n";
}

std::string Close() { return "--" + std::string(kBoundary) + "--\r\n"; }

TEST(MultipartTest, BoundaryFromContentType) {
  EXPECT_EQ(*FormDataBoundary("multipart/form-data; boundary=" + std::string(kBoundary)), kBoundary);
  EXPECT_EQ(*FormDataBoundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(*FormDataBoundary("multipart/form-data; charset=utf-8; boundary=x"), "x");
  for (std::string_view bad :
       {"multipart/mixed; boundary=x", "multipart/form-data", "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"a \"", "multipart/form-data; boundary=x; boundary=y",
        "multipart/form-data; boundary=\"unclosed", "text/plain; boundary=x",
        "multipart/form-data; boundary=\"a\x01\""}) {
    EXPECT_FALSE(FormDataBoundary(bad).ok()) << bad;
  }
  EXPECT_FALSE(FormDataBoundary("multipart/form-data; boundary=" + std::string(71, 'a')).ok());
  EXPECT_TRUE(FormDataBoundary("multipart/form-data; boundary=" + std::string(70, 'a')).ok());
}

TEST(MultipartTest, ReadsTextAndFileParts) {
  std::string body = Part("form-data; name=\"credential\"", "{\"a\":\r\n1}") +
                     Part("form-data; name=\"file\"; filename=\"badge %22x%22.json\"", "{}",
                          "application/json") +
                     Part("form-data; name=\"empty\"; filename=\"\"", "", "application/octet-stream") +
                     Close();
  auto parts = ParseFormData(body, kBoundary);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "credential");
  EXPECT_EQ((*parts)[0].body, "{\"a\":\r\n1}");
  EXPECT_FALSE((*parts)[0].filename.has_value());
  EXPECT_EQ((*parts)[1].filename, "badge %22x%22.json");
  EXPECT_EQ((*parts)[1].content_type, "application/json");
  EXPECT_EQ((*parts)[1].body, "{}");
  EXPECT_EQ((*parts)[2].filename, "");
  EXPECT_EQ((*parts)[2].body, "");
  // The final CRLF is optional.
  EXPECT_TRUE(ParseFormData(body.substr(0, body.size() - 2), kBoundary).ok());
}

TEST(MultipartTest, RefusesMalformedBodies) {
  std::string good = Part("form-data; name=\"a\"", "1");
  const std::pair<std::string, std::string_view> cases[] = {
      {"", "offset 0"},
      {"preamble\r\n" + good + Close(), "offset 0"},
      {good, "offset"},                                                   // never closed
      {good + Close() + "epilogue", "offset"},
      {Part("attachment; name=\"a\"", "1") + Close(), "offset"},
      {Part("form-data", "1") + Close(), "offset"},                       // no name
      {Part("form-data; name=\"\"", "1") + Close(), "offset"},
      {Part("form-data; name=\"a\"; name=\"b\"", "1") + Close(), "offset"},
      {Part("form-data; name=\"a\"; filename*=UTF-8''x", "1") + Close(), "offset"},
      {Part("form-data; name=\"a", "1") + Close(), "offset"},
      {"--" + std::string(kBoundary) + "\r\n\r\nbody\r\n" + Close(), "offset"},  // no headers
      {"--" + std::string(kBoundary) + "\r\nContent-Type: text/plain\r\n\r\nx\r\n" + Close(), "offset"},
      {"--" + std::string(kBoundary) + "\r\nno colon here\r\n\r\nx\r\n" + Close(), "offset"},
      {good.substr(0, good.size() - 2) + "--" + std::string(kBoundary) + "--", "offset"},  // no CRLF before
  };
  for (const auto& [body, where] : cases) {
    auto r = ParseFormData(body, kBoundary);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << body;
    EXPECT_TRUE(r.status().where().starts_with(where)) << body << " -> " << r.status().ToString();
  }
}

TEST(MultipartTest, Limits) {
  std::string many;
  for (int i = 0; i < 9; ++i) many += Part("form-data; name=\"p" + std::to_string(i) + "\"", "x");
  EXPECT_FALSE(ParseFormData(many + Close(), kBoundary).ok());
  EXPECT_TRUE(ParseFormData(many + Close(), kBoundary, {.max_parts = 9}).ok());
  std::string long_header = Part("form-data; name=\"" + std::string(3000, 'n') + "\"", "x") + Close();
  EXPECT_FALSE(ParseFormData(long_header, kBoundary).ok());
  EXPECT_TRUE(ParseFormData(long_header, kBoundary, {.max_header_bytes = 4096}).ok());
}

}  // namespace
}  // namespace pathbridge::gateway
