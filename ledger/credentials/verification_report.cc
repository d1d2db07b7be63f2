#include "ledger/credentials/verification_report.h"

#include <algorithm>

#include <boost/json/array.hpp>

namespace pathbridge::credentials {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kValid: return "valid";
    case Outcome::kInvalid: return "invalid";
    case Outcome::kIndeterminate: return "indeterminate";
  }
  return "indeterminate";
}

void VerificationReport::Add(std::string id, Outcome outcome, std::string message,
                             boost::json::object details) {
  checks_.push_back({std::move(id), outcome, std::move(message), std::move(details)});
}

void VerificationReport::AddNested(std::string_view prefix, const VerificationReport& nested) {
  for (const Check& c : nested.checks_) {
    Check copy = c;
    copy.id = std::string(prefix) + "." + c.id;
    checks_.push_back(std::move(copy));
  }
}

bool VerificationReport::verified() const {
  return !checks_.empty() && std::all_of(checks_.begin(), checks_.end(), [](const Check& c) {
    return c.outcome == Outcome::kValid;
  });
}

const Check* VerificationReport::Find(std::string_view id) const {
  for (const Check& c : checks_)
    if (c.id == id) return &c;
  return nullptr;
}

boost::json::object VerificationReport::ToJson() const {
  boost::json::array checks;
  for (const Check& c : checks_) {
    boost::json::object o{{"id", c.id}, {"outcome", OutcomeName(c.outcome)}, {"message", c.message}};
    if (!c.details.empty()) o["details"] = c.details;
    checks.push_back(std::move(o));
  }
  return {{"verified", verified()}, {"checks", std::move(checks)}};
}

}  // namespace pathbridge::credentials
