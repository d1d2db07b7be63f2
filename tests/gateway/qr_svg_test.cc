// QR codes as SVG: the symbol's size and finder patterns where ISO/IEC 18004
// puts them, the label escaped, and nothing for text no QR code can hold.
#include "gateway/qr_svg.h"

#include <gtest/gtest.h>

namespace pathbridge::gateway {
namespace {

TEST(QrSvgTest, AVersion1SymbolWithItsFinderPatterns) {
  auto svg = QrSvg("HELLO", "QR code");
  ASSERT_TRUE(svg.has_value());
  // Version 1 is 21 modules; with the 4-module quiet zone, 29.
  EXPECT_TRUE(svg->starts_with("<svg class=\"qr\" viewBox=\"0 0 29 29\"")) << *svg;
  // Row 0: the top-left finder (7 dark modules from x=0) and the top-right
  // one (x=14..20), each bounded by its light separator.
  size_t d = svg->find(" d=\"");
  ASSERT_NE(d, std::string::npos);
  EXPECT_EQ(svg->substr(d + 4, 12), "M4 4h7v1h-7z");
  EXPECT_NE(svg->find("M18 4h7v1h-7z"), std::string::npos);
  // Row 1 of a finder: dark, five light, dark.
  EXPECT_NE(svg->find("M4 5h1v1h-1zM10 5h1v1h-1z"), std::string::npos);
  EXPECT_EQ(svg->find("<script"), std::string::npos);
}

TEST(QrSvgTest, SizeGrowsToVersion40ThenStops) {
  auto big = QrSvg(std::string(2900, 'a'), "x");
  ASSERT_TRUE(big.has_value());
  EXPECT_TRUE(big->starts_with("<svg class=\"qr\" viewBox=\"0 0 185 185\""));  // 177 + 8
  EXPECT_FALSE(QrSvg(std::string(3000, 'a'), "x").has_value());
  EXPECT_FALSE(QrSvg("", "x").has_value());
}

TEST(QrSvgTest, TheLabelIsEscaped) {
  auto svg = QrSvg("x", "a \"b\" <c>");
  ASSERT_TRUE(svg.has_value());
  EXPECT_NE(svg->find("aria-label=\"a &quot;b&quot; &lt;c&gt;\""), std::string::npos);
}

}  // namespace
}  // namespace pathbridge::gateway
