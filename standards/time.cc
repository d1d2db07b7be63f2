#include "standards/time.h"

#include <chrono>
#include <cstdio>

namespace pathbridge {
namespace {

namespace chr = std::chrono;

Status Bad(std::string_view why, std::size_t offset) {
  return InvalidArgument("not an RFC 3339 date-time (YYYY-MM-DDThh:mm:ssZ): " + std::string(why),
                         "offset " + std::to_string(offset));
}

// Reads `n` decimal digits at `pos`; -1 when one is missing.
int Digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// The fixed-width fields: each is `width` digits at `pos`, followed by
// `separator` (none for the last one).
struct Field {
  std::size_t pos, width;
  char separator;
  int max;
  const char* name;
};
constexpr Field kFields[] = {
    {0, 4, '-', 9999, "year"},  {5, 2, '-', 12, "month"},  {8, 2, 'T', 31, "day"},
    {11, 2, ':', 23, "hour"},   {14, 2, ':', 59, "minute"}, {17, 2, '\0', 59, "second"},
};

}  // namespace

Result<Timestamp> ParseRfc3339(std::string_view s) {
  int v[6];
  for (int i = 0; i < 6; ++i) {
    const Field& f = kFields[i];
    v[i] = Digits(s, f.pos, f.width);
    if (v[i] < 0) return Bad(std::string("expected the ") + f.name + " digits", f.pos);
    if (v[i] > f.max) return Bad(std::string(f.name) + " out of range", f.pos);
    const std::size_t sep = f.pos + f.width;
    if (f.separator && (sep >= s.size() || s[sep] != f.separator))
      return Bad(std::string("expected '") + f.separator + "'", sep);
  }
  const chr::year_month_day date{chr::year{v[0]}, chr::month(static_cast<unsigned>(v[1])),
                                 chr::day(static_cast<unsigned>(v[2]))};
  if (!date.ok()) return Bad("no such calendar date", 0);

  std::size_t pos = 19;
  int32_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    const std::size_t start = ++pos;
    int scale = 100'000'000;
    for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, scale /= 10)
      nanos += (s[pos] - '0') * scale;  // digits past the ninth have scale 0
    if (pos == start) return Bad("expected fraction digits after '.'", pos);
  }
  int offset_minutes = 0;
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int hh = Digits(s, pos + 1, 2), mm = Digits(s, pos + 4, 2);
    if (hh < 0 || hh > 23 || pos + 3 >= s.size() || s[pos + 3] != ':' || mm < 0 || mm > 59)
      return Bad("expected a UTC offset +hh:mm or -hh:mm", pos);
    offset_minutes = (s[pos] == '-' ? -1 : 1) * (hh * 60 + mm);
    pos += 6;
  } else {
    return Bad("expected 'Z' or a UTC offset", pos);
  }
  if (pos != s.size()) return Bad("unexpected text after the time zone", pos);

  const chr::sys_seconds t = chr::sys_days{date} + chr::hours{v[3]} + chr::minutes{v[4]} +
                             chr::seconds{v[5]} - chr::minutes{offset_minutes};
  return Timestamp{t.time_since_epoch().count(), nanos};
}

std::string FormatRfc3339(Timestamp t) {
  const chr::sys_seconds tp{chr::seconds{t.seconds}};
  const chr::sys_days day = chr::floor<chr::days>(tp);
  const chr::year_month_day date{day};
  const chr::hh_mm_ss<chr::seconds> time{tp - day};
  char buf[40];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", int{date.year()},
                        unsigned{date.month()}, unsigned{date.day()},
                        static_cast<int>(time.hours().count()),
                        static_cast<int>(time.minutes().count()),
                        static_cast<int>(time.seconds().count()));
  std::string out(buf, static_cast<std::size_t>(n));
  if (t.nanos != 0) {
    std::snprintf(buf, sizeof buf, ".%09d", t.nanos);
    std::string_view fraction(buf);
    out += fraction.substr(0, fraction.find_last_not_of('0') + 1);
  }
  out += 'Z';
  return out;
}

Timestamp Now() {
  const auto ns = chr::duration_cast<chr::nanoseconds>(
      chr::system_clock::now().time_since_epoch()).count();
  const int64_t sec = ns / 1'000'000'000, rem = ns % 1'000'000'000;
  return rem < 0 ? Timestamp{sec - 1, static_cast<int32_t>(rem + 1'000'000'000)}
                 : Timestamp{sec, static_cast<int32_t>(rem)};
}

}  // namespace pathbridge
