// A credential's validity window: validFrom/validUntil (VC 2.0) or
// issuanceDate/expirationDate (VC 1.1), placed against the verifier's clock
// with a tolerance for clock skew between issuer and verifier.
//
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <string>

#include <boost/json/object.hpp>

#include "standards/status.h"
#include "standards/time.h"

namespace pathbridge::credentials {

enum class Validity { kValid, kNotYetValid, kExpired };

struct ValidityWindow {
  Validity validity = Validity::kValid;
  // The members read and their values as written ("" when absent).
  std::string from_field, from;
  std::string until_field, until;
};

// kInvalidArgument (where = the member) for a date that is not RFC 3339, a
// window that ends before it starts, or a VC 1.1 credential without
// issuanceDate. `skew` is granted on both sides.
Result<ValidityWindow> CheckValidity(const boost::json::object& credential, Timestamp now,
                                     std::chrono::seconds skew);

}  // namespace pathbridge::credentials
