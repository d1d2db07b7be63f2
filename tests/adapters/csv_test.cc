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

// Next(..., kept): the fields past `kept` are read past, left empty, with
// their places; quotes, line ends, errors and the size bound are as Next's.
TEST(Csv, KeepingTheFirstFieldsReadsTheRestPast) {
  const std::string text = "id,\"x,\ny\",z\r\n\r\nid2,\"\"\"q\"\"\",w\nid3\n";
  std::istringstream in(text);
  Reader reader(in, "t.csv");
  std::vector<std::string> fields{"stale", "stale", "stale", "stale"};
  std::vector<Position> pos;
  auto next = reader.Next(&fields, &pos, 1);
  ASSERT_TRUE(next.ok() && *next);
  EXPECT_EQ(fields, (std::vector<std::string>{"id", "", ""}));
  ASSERT_EQ(pos.size(), 3u);
  EXPECT_EQ(pos[2].line, 2u);  // after the quoted line end
  EXPECT_EQ(pos[2].column, 4u);
  next = reader.Next(&fields, &pos, 2);
  ASSERT_TRUE(next.ok() && *next);
  EXPECT_EQ(fields, (std::vector<std::string>{"id2", "\"q\"", ""}));
  EXPECT_EQ(pos[0].line, 4u);
  next = reader.Next(&fields, &pos, 0);
  ASSERT_TRUE(next.ok() && *next);
  EXPECT_EQ(fields, (std::vector<std::string>{""}));
  EXPECT_EQ(pos[0].line, 5u);
  next = reader.Next(&fields, &pos, 1);
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(*next);

  std::istringstream unclosed("a,\"b\nc");
  Reader bad(unclosed, "u.csv");
  next = bad.Next(&fields, &pos, 1);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().where(), "u.csv:1:3");

  std::istringstream long_row("a," + std::string(100, 'x') + "\n");
  Reader bounded(long_row, "l.csv", 50);
  next = bounded.Next(&fields, &pos, 1);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), Code::kResourceExhausted);
}

}  // namespace
}  // namespace pathbridge::adapters::csv
