// What a credential verification found, check by check, in words a
// registrar can act on. Each check has a stable id ("proof", "issuer",
// "dates", "status.revocation", "trust", "receipt", "schema", and
// "nested[0].proof" for a credential embedded in another), an outcome and a
// plain message. "Could not check" is kIndeterminate, never kValid: a
// credential is verified only when every check is valid.
//
// Thread-safety: value types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace pathbridge::credentials {

enum class Outcome { kValid, kInvalid, kIndeterminate };

std::string_view OutcomeName(Outcome outcome);  // "valid", "invalid", "indeterminate"

struct Check {
  std::string id;
  Outcome outcome = Outcome::kIndeterminate;
  std::string message;
  boost::json::object details;  // optional machine-readable facts
};

class VerificationReport {
 public:
  void Add(std::string id, Outcome outcome, std::string message,
           boost::json::object details = {});
  // Appends a nested credential's checks under "<prefix>.<id>".
  void AddNested(std::string_view prefix, const VerificationReport& nested);

  // True only if there is at least one check and none is invalid or
  // indeterminate.
  bool verified() const;
  const std::vector<Check>& checks() const { return checks_; }
  // The first check with this id, or nullptr.
  const Check* Find(std::string_view id) const;

  // {"verified": bool, "checks": [{"id", "outcome", "message", "details"?}]}
  boost::json::object ToJson() const;

 private:
  std::vector<Check> checks_;
};

}  // namespace pathbridge::credentials
