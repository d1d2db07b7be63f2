// HtmlEscape: what the /verify page puts between tags and in attributes.
#include "gateway/html.h"

#include <gtest/gtest.h>

namespace pathbridge::gateway {
namespace {

TEST(HtmlEscapeTest, EscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape("<script>alert(\"x\")</script>"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("Tom & Jerry's"), "Tom &amp; Jerry&#39;s");
  EXPECT_EQ(HtmlEscape("&amp;"), "&amp;amp;");  // already escaped text stays text
  EXPECT_EQ(HtmlEscape("\" onmouseover=\"x"), "&quot; onmouseover=&quot;x");
}

TEST(HtmlEscapeTest, KeepsTextAndUtf8DropsControls) {
  EXPECT_EQ(HtmlEscape("Lakeview Community College"), "Lakeview Community College");
  EXPECT_EQ(HtmlEscape("Universit\xC3\xA9 de Montr\xC3\xA9" "al"), "Universit\xC3\xA9 de Montr\xC3\xA9" "al");
  EXPECT_EQ(HtmlEscape(std::string("a\0b\x1b[31m\x7f" "c\td\n", 13)), "ab[31mc\td\n");
  EXPECT_EQ(HtmlEscape(""), "");
}

}  // namespace
}  // namespace pathbridge::gateway
