// The streaming CSV tokenizer and the RFC 4180 writer.
#include "adapters/oneroster_csv/csv.h"

#include <gtest/gtest.h>

#include <sstream>

namespace pathbridge::adapters::csv {
namespace {

std::vector<std::vector<std::string>> ReadAll(const std::string& text,
                                              std::vector<Position>* last_positions = nullptr) {
  std::istringstream in(text);
  Reader reader(in, "t.csv");
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> fields;
  std::vector<Position> pos;
  while (true) {
    auto next = reader.Next(&fields, &pos);
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || !*next) return out;
    out.push_back(fields);
    if (last_positions) *last_positions = pos;
  }
}

TEST(Csv, LineEndingsAndPositions) {
  std::vector<Position> pos;
  auto rows = ReadAll("a,b\rc,\"d\ne\"\r\n\r\nf,gh", &pos);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"c", "d\ne"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"f", "gh"}));
  EXPECT_EQ(pos[1].line, 5u);  // CR, LF inside quotes, CRLF, blank line
  EXPECT_EQ(pos[1].column, 3u);
}

TEST(Csv, WriterQuotesOnlyWhenNeededAndGuardsALeadingBom) {
  std::ostringstream out;
  Writer w(out);
  w.Write({"\xEF\xBB\xBFx", "plain", "a,b", "say \"hi\"", ""});
  w.Write({"\xEF", "line\nbreak"});
  EXPECT_EQ(out.str(),
            "\"\xEF\xBB\xBFx\",plain,\"a,b\",\"say \"\"hi\"\"\",\r\n\xEF,\"line\nbreak\"\r\n");
  auto rows = ReadAll(out.str());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "\xEF\xBB\xBFx");
  EXPECT_EQ(rows[1][1], "line\nbreak");
}

}  // namespace
}  // namespace pathbridge::adapters::csv
