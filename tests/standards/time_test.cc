#include "standards/time.h"

#include <cstdint>

#include <gtest/gtest.h>

namespace pathbridge {
namespace {

int64_t Seconds(std::string_view text) {
  auto t = ParseRfc3339(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status().ToString();
  return t.ok() ? t->seconds : INT64_MIN;
}

// Epoch seconds from `date -u -d <time> +%s` (GNU coreutils).
TEST(Rfc3339, ParsesToEpochSeconds) {
  EXPECT_EQ(Seconds("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(Seconds("2000-01-01T00:00:00Z"), 946684800);
  EXPECT_EQ(Seconds("2023-02-24T23:36:38Z"), 1677281798);
  EXPECT_EQ(Seconds("2024-02-29T12:00:00Z"), 1709208000);
  EXPECT_EQ(Seconds("1969-12-31T23:59:59Z"), -1);  // before the epoch
}

TEST(Rfc3339, OffsetsAndFractionsCompareAsInstants) {
  EXPECT_EQ(*ParseRfc3339("2024-01-01T01:30:00+01:30"), *ParseRfc3339("2024-01-01T00:00:00Z"));
  EXPECT_EQ(*ParseRfc3339("2023-12-31T19:00:00-05:00"), *ParseRfc3339("2024-01-01T00:00:00Z"));
  const Timestamp frac = *ParseRfc3339("2024-01-01T00:00:00.25Z");
  EXPECT_EQ(frac.nanos, 250'000'000);
  EXPECT_LT(*ParseRfc3339("2024-01-01T00:00:00Z"), frac);
  EXPECT_LT(frac, *ParseRfc3339("2024-01-01T00:00:01Z"));
  // Digits past nanoseconds are dropped.
  EXPECT_EQ(ParseRfc3339("2024-01-01T00:00:00.1234567899Z")->nanos, 123'456'789);
}

TEST(Rfc3339, RejectsWhatIsNotADateTimeStamp) {
  for (const char* bad : {
           "", "2024-01-01", "2024-01-01T00:00:00",  // no time zone
           "2024-01-01t00:00:00Z", "2024-01-01T00:00:00z", "2024-01-01 00:00:00Z",
           "2023-02-29T00:00:00Z",                    // not a leap year
           "2024-04-31T00:00:00Z", "2024-00-10T00:00:00Z", "2024-13-01T00:00:00Z",
           "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z",
           "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00+0100", "2024-01-01T00:00:00+24:00",
           "2024-01-01T00:00:00Z ", "24-01-01T00:00:00Z", "+2024-01-01T00:00:00Z"}) {
    auto t = ParseRfc3339(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
      EXPECT_EQ(t.status().where().rfind("offset ", 0), 0u) << t.status().where();
    }
  }
}

TEST(Rfc3339, FormatsUtcAndRoundTrips) {
  EXPECT_EQ(FormatRfc3339({0, 0}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339({1677281798, 0}), "2023-02-24T23:36:38Z");
  EXPECT_EQ(FormatRfc3339({1677281798, 500'000'000}), "2023-02-24T23:36:38.5Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2024-06-01T02:00:00+02:00")), "2024-06-01T00:00:00Z");
  for (const char* text : {"2024-02-29T12:00:00Z", "1999-12-31T23:59:59.000000001Z"})
    EXPECT_EQ(FormatRfc3339(*ParseRfc3339(text)), text);
  const Timestamp now = Now();
  EXPECT_EQ(*ParseRfc3339(FormatRfc3339(now)), now);
  EXPECT_GT(now.seconds, 1'700'000'000);
}

}  // namespace
}  // namespace pathbridge
