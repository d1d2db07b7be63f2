// RFC 3339 date-times (§5.6), the form of `validFrom`, `created`, `expires`
// and `revoked` in credentials, proofs and controller documents:
//   "1985-04-12T23:20:50.52Z", "1996-12-19T16:39:57-08:00".
// Parsed to a UTC instant with microsecond resolution (further fraction
// digits are truncated), so times written with different offsets compare
// correctly; formatted back in UTC with a "Z".
//
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "standards/status.h"

namespace pathbridge {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// Strict: four-digit year, two-digit fields in range (the day checked
// against the month), "T" and "Z" in either case (RFC 3339 §5.6 note), a
// required offset. Second 60 (a leap second) is read as the next second.
// The instant must fall in the years 0000-9999 UTC, so FormatRfc3339 can
// write it back.
Result<Timestamp> ParseRfc3339(std::string_view text);

// "2026-01-01T00:00:00Z", with ".ffffff" (trailing zeros dropped) only when
// there is a fraction (for instants ParseRfc3339 accepts).
std::string FormatRfc3339(Timestamp t);

// The current time, truncated to whole seconds (what credentials record).
Timestamp NowSeconds();

}  // namespace pathbridge
