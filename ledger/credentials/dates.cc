#include "ledger/credentials/dates.h"

#include <optional>

#include "ledger/credentials/vc.h"

namespace pathbridge::credentials {

namespace json = boost::json;

namespace {

Timestamp Shift(Timestamp t, std::chrono::seconds by) {
  t.seconds += by.count();
  return t;
}

// The member's time, or nullopt when it is absent.
Result<std::optional<Timestamp>> DateMember(const json::object& o, const std::string& key) {
  const json::value* v = o.if_contains(key);
  if (!v) return std::optional<Timestamp>();
  if (!v->is_string())
    return InvalidArgument(key + " must be a date-time string like 2026-03-01T12:00:00Z", "/" + key);
  auto t = ParseRfc3339(v->as_string());
  if (!t.ok()) return InvalidArgument(key + " is " + t.status().message(), "/" + key);
  return std::optional<Timestamp>(*t);
}

}  // namespace

Result<ValidityWindow> CheckValidity(const json::object& credential, Timestamp now,
                                     std::chrono::seconds skew) {
  const bool v11 = IsVc11(credential);
  const std::string from_key = v11 ? "issuanceDate" : "validFrom";
  const std::string until_key = v11 ? "expirationDate" : "validUntil";
  PB_ASSIGN_OR_RETURN(auto from, DateMember(credential, from_key));
  PB_ASSIGN_OR_RETURN(auto until, DateMember(credential, until_key));
  if (v11 && !from) return InvalidArgument("a VC 1.1 credential needs issuanceDate", "/issuanceDate");
  if (from && until && *until < *from)
    return InvalidArgument(until_key + " is before " + from_key, "/" + until_key);

  ValidityWindow w;
  if (from) {
    w.from_field = from_key;
    w.from = std::string(credential.at(from_key).as_string());
    if (Shift(now, skew) < *from) w.validity = Validity::kNotYetValid;
  }
  if (until) {
    w.until_field = until_key;
    w.until = std::string(credential.at(until_key).as_string());
    if (!(Shift(now, -skew) < *until)) w.validity = Validity::kExpired;
  }
  return w;
}

}  // namespace pathbridge::credentials
