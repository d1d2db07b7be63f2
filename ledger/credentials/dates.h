// Credential dates: parsing the XML Schema dateTimeStamp / RFC 3339 times
// that VC 2.0 (validFrom, validUntil) and VC 1.1 (issuanceDate,
// expirationDate) use, and checking a credential's validity window against
// the verifier's clock with a skew tolerance.
//
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "standards/status.h"

namespace pathbridge::credentials {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

// "2026-03-01T12:00:00Z", "2026-03-01T12:00:00.5+02:00". A time zone is
// required (dateTimeStamp); a leap second (:60) reads as :59.999.
Result<TimePoint> ParseDateTime(std::string_view text);
// UTC, whole seconds: "2026-03-01T12:00:00Z".
std::string FormatDateTime(TimePoint t);

enum class Validity { kValid, kNotYetValid, kExpired };

struct ValidityWindow {
  Validity validity = Validity::kValid;
  std::string from_field, until_field;  // which members were read ("" = absent)
  std::string from, until;              // their values, as written
};

// Reads validFrom/validUntil (VC 2.0) or issuanceDate/expirationDate (VC
// 1.1) and places `now` against them, granting `skew` on each side.
// kInvalidArgument (where = the member) for a malformed date, a window that
// ends before it starts, or a VC 1.1 credential without issuanceDate.
Result<ValidityWindow> CheckValidity(const boost::json::object& credential, TimePoint now,
                                     std::chrono::seconds skew);

}  // namespace pathbridge::credentials
