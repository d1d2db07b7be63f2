#include "ledger/credentials/dates.h"

#include <cstdio>

#include "ledger/credentials/vc.h"

namespace pathbridge::credentials {

namespace json = boost::json;
using namespace std::chrono;

namespace {

// Reads exactly `n` digits at s[pos], advancing pos.
bool Digits(std::string_view s, size_t& pos, int n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool Char(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

// Fractional seconds, truncated to milliseconds; any number of digits.
milliseconds Fraction(std::string_view s, size_t& pos) {
  int ms = 0, scale = 100;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    ms += (s[pos] - '0') * scale;
    scale /= 10;
    ++pos;
  }
  return milliseconds(ms);
}

// "Z" or "+HH:MM" / "-HH:MM": the offset to subtract to get UTC.
bool ZoneOffset(std::string_view s, size_t& pos, minutes& offset) {
  if (Char(s, pos, 'Z')) {
    offset = minutes(0);
    return true;
  }
  int sign = 0;
  if (Char(s, pos, '+')) sign = 1;
  else if (Char(s, pos, '-')) sign = -1;
  int hh = 0, mm = 0;
  if (!sign || !Digits(s, pos, 2, hh) || !Char(s, pos, ':') || !Digits(s, pos, 2, mm) ||
      hh > 23 || mm > 59)
    return false;
  offset = minutes(sign * (hh * 60 + mm));
  return true;
}

// The member's date, or nullopt when absent.
Result<std::optional<TimePoint>> DateMember(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return std::optional<TimePoint>();
  if (!v->is_string()) return InvalidArgument("must be a date-time string", "/" + std::string(key));
  auto t = ParseDateTime(v->as_string());
  if (!t.ok()) return t.status().WithContext("/" + std::string(key));
  return std::optional<TimePoint>(*t);
}

}  // namespace

Result<TimePoint> ParseDateTime(std::string_view s) {
  size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  bool ok = Digits(s, pos, 4, y) && Char(s, pos, '-') && Digits(s, pos, 2, mo) &&
            Char(s, pos, '-') && Digits(s, pos, 2, d) && Char(s, pos, 'T') &&
            Digits(s, pos, 2, h) && Char(s, pos, ':') && Digits(s, pos, 2, mi) &&
            Char(s, pos, ':') && Digits(s, pos, 2, sec);
  year_month_day date{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ok || !date.ok() || h > 23 || mi > 59 || sec > 60)
    return InvalidArgument("not a date-time like 2026-03-01T12:00:00Z: \"" + std::string(s) + "\"");
  milliseconds frac{0};
  if (Char(s, pos, '.')) frac = Fraction(s, pos);
  if (sec == 60) {  // a leap second: the last instant of the minute before it
    sec = 59;
    frac = milliseconds(999);
  }
  minutes offset{0};
  if (!ZoneOffset(s, pos, offset) || pos != s.size())
    return InvalidArgument("the date-time needs a time zone (\"Z\" or \"+01:00\"): \"" +
                           std::string(s) + "\"");
  return sys_days(date) + hours(h) + minutes(mi) + seconds(sec) + frac - offset;
}

std::string FormatDateTime(TimePoint t) {
  auto day_start = floor<days>(t);
  year_month_day date(day_start);
  hh_mm_ss<seconds> time(floor<seconds>(t - day_start));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02lldZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()),
                static_cast<long long>(time.seconds().count()));
  return buf;
}

Result<ValidityWindow> CheckValidity(const json::object& credential, TimePoint now,
                                     seconds skew) {
  ValidityWindow w;
  bool v11 = IsVc11(credential);
  w.from_field = v11 ? "issuanceDate" : "validFrom";
  w.until_field = v11 ? "expirationDate" : "validUntil";
  PB_ASSIGN_OR_RETURN(auto from, DateMember(credential, w.from_field));
  PB_ASSIGN_OR_RETURN(auto until, DateMember(credential, w.until_field));
  if (v11 && !from) return InvalidArgument("a VC 1.1 credential needs issuanceDate", "/issuanceDate");
  if (from && until && *until < *from)
    return InvalidArgument(w.until_field + " is before " + w.from_field, "/" + w.until_field);
  if (from) w.from = std::string(credential.at(w.from_field).as_string());
  else w.from_field.clear();
  if (until) w.until = std::string(credential.at(w.until_field).as_string());
  else w.until_field.clear();
  if (from && now + skew < *from) w.validity = Validity::kNotYetValid;
  else if (until && now - skew >= *until) w.validity = Validity::kExpired;
  return w;
}

}  // namespace pathbridge::credentials
