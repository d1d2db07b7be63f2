#include "standards/datetime.h"

#include <gtest/gtest.h>

namespace pathbridge {
namespace {

using std::chrono::sys_days;
using std::chrono::year;
using namespace std::chrono_literals;

// RFC 3339 §5.8, the examples, with the UTC instant each one names.
TEST(Rfc3339, SpecExamples) {
  struct Case {
    const char* text;
    Timestamp want;
    const char* utc;
  };
  const Case kCases[] = {
      {"1985-04-12T23:20:50.52Z", sys_days(year(1985) / 4 / 12) + 23h + 20min + 50s + 520ms,
       "1985-04-12T23:20:50.52Z"},
      {"1996-12-19T16:39:57-08:00", sys_days(year(1996) / 12 / 20) + 39min + 57s,
       "1996-12-20T00:39:57Z"},
      // A leap second reads as the next second.
      {"1990-12-31T23:59:60Z", sys_days(year(1991) / 1 / 1) + 0s, "1991-01-01T00:00:00Z"},
      {"1990-12-31T15:59:60-08:00", sys_days(year(1991) / 1 / 1) + 0s, "1991-01-01T00:00:00Z"},
      {"1937-01-01T12:00:27.87+00:20", sys_days(year(1937) / 1 / 1) + 11h + 40min + 27s + 870ms,
       "1937-01-01T11:40:27.87Z"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.text);
    auto t = ParseRfc3339(c.text);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(*t, c.want);
    EXPECT_EQ(FormatRfc3339(*t), c.utc);
  }
}

TEST(Rfc3339, LowerCaseSeparatorsAndLongFractions) {
  EXPECT_EQ(*ParseRfc3339("2026-01-01t00:00:00z"), *ParseRfc3339("2026-01-01T00:00:00Z"));
  // Digits past the microsecond are dropped.
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-01-01T00:00:00.123456789Z")),
            "2026-01-01T00:00:00.123456Z");
  // The ends of the range format back as they were.
  for (const char* t : {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"})
    EXPECT_EQ(FormatRfc3339(*ParseRfc3339(t)), t);
}

TEST(Rfc3339, RejectsWithOffsets) {
  struct Case {
    const char* text;
    const char* where;
  };
  const Case kCases[] = {
      {"2026-1-01T00:00:00Z", "offset 5"},    {"2026-02-30T00:00:00Z", "offset 0"},
      {"2026-01-01 00:00:00Z", "offset 10"},  {"2026-01-01T24:00:00Z", "offset 11"},
      {"2026-01-01T00:00:00", "offset 19"},   {"2026-01-01T00:00:00.Z", "offset 20"},
      {"2026-01-01T00:00:00+0100", "offset 22"}, {"2026-01-01T00:00:00Zjunk", "offset 20"},
      {"", "offset 0"},
      {"0000-01-01T00:00:00+00:01", "offset 0"},  // before year 0 in UTC
      {"9999-12-31T23:59:60Z", "offset 0"},       // year 10000
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.text);
    auto t = ParseRfc3339(c.text);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(t.status().where(), c.where);
  }
}

}  // namespace
}  // namespace pathbridge
