// RFC 3339 timestamps: the `created`, `expires`, `validFrom` and key
// validity times of credentials and proofs, parsed into an instant so that
// times written with different offsets or fractions compare correctly
// ("2024-01-01T01:00:00+01:00" == "2024-01-01T00:00:00Z").
//
// Accepted form (RFC 3339 §5.6 date-time, which is also an XML Schema
// dateTimeStamp, the type Data Integrity requires for `created`):
//   YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)
// with upper-case T and Z, a real calendar date, hours 00-23 and seconds
// 00-59 (XML Schema has no leap second). Fraction digits past the ninth are
// dropped (nanosecond resolution).
//
// Thread-safety: pure functions; Now() reads the system clock.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "standards/status.h"

namespace pathbridge {

// An instant in UTC.
struct Timestamp {
  int64_t seconds = 0;  // since 1970-01-01T00:00:00Z
  int32_t nanos = 0;    // 0 .. 999'999'999
  auto operator<=>(const Timestamp&) const = default;
};

// kInvalidArgument with where = "offset N" (the first bad character).
Result<Timestamp> ParseRfc3339(std::string_view text);

// "YYYY-MM-DDThh:mm:ssZ" in UTC, with a fraction (trailing zeros trimmed)
// only when nanos is not zero. Years must be 0000-9999.
std::string FormatRfc3339(Timestamp t);

// The system clock now.
Timestamp Now();

}  // namespace pathbridge
