#include "standards/datetime.h"

#include <cstdio>

namespace pathbridge {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads `n` ASCII digits at text[*pos]; false if any is not a digit.
bool Digits(std::string_view text, std::size_t* pos, int n, int* out) {
  if (text.size() < *pos + n) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view text, std::size_t* pos, std::string_view chars) {
  if (*pos >= text.size() || chars.find(text[*pos]) == std::string_view::npos) return false;
  ++*pos;
  return true;
}

Status Bad(std::string_view what, std::size_t pos) {
  return InvalidArgument("not an RFC 3339 date-time (" + std::string(what) + ")",
                         "offset " + std::to_string(pos));
}

}  // namespace

Result<Timestamp> ParseRfc3339(std::string_view text) {
  std::size_t p = 0;
  int y, mo, d, h, mi, s;
  if (!Digits(text, &p, 4, &y) || !Expect(text, &p, "-") || !Digits(text, &p, 2, &mo) ||
      !Expect(text, &p, "-") || !Digits(text, &p, 2, &d))
    return Bad("want YYYY-MM-DD", p);
  const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(mo),
                                         std::chrono::day(d)};
  if (!date.ok()) return Bad("no such date", 0);
  if (!Expect(text, &p, "Tt")) return Bad("want 'T' between date and time", p);
  if (!Digits(text, &p, 2, &h) || !Expect(text, &p, ":") || !Digits(text, &p, 2, &mi) ||
      !Expect(text, &p, ":") || !Digits(text, &p, 2, &s))
    return Bad("want hh:mm:ss", p);
  if (h > 23 || mi > 59 || s > 60) return Bad("time out of range", p - 8);
  microseconds fraction{0};
  if (p < text.size() && text[p] == '.') {
    std::size_t start = ++p;
    int64_t scale = 100000;
    for (; p < text.size() && text[p] >= '0' && text[p] <= '9'; ++p, scale /= 10)
      fraction += microseconds((text[p] - '0') * scale);
    if (p == start) return Bad("want digits after '.'", p);
  }
  minutes offset{0};
  if (!Expect(text, &p, "Zz")) {
    if (p >= text.size() || (text[p] != '+' && text[p] != '-')) return Bad("want Z or an offset", p);
    const bool minus = text[p++] == '-';
    int oh, om;
    if (!Digits(text, &p, 2, &oh) || !Expect(text, &p, ":") || !Digits(text, &p, 2, &om) ||
        oh > 23 || om > 59)
      return Bad("want an offset +hh:mm", p);
    offset = hours(oh) + minutes(om);
    if (minus) offset = -offset;
  }
  if (p != text.size()) return Bad("unexpected text after the date-time", p);
  const Timestamp t =
      std::chrono::sys_days(date) + hours(h) + minutes(mi) + seconds(s) + fraction - offset;
  // An offset or leap second can carry a time past the four-digit years;
  // refuse it so every Timestamp formats back to RFC 3339.
  if (t < Timestamp(std::chrono::sys_days(std::chrono::year(0) / 1 / 1)) ||
      t >= Timestamp(std::chrono::sys_days(std::chrono::year(10000) / 1 / 1)))
    return Bad("outside the years 0000 to 9999 in UTC", 0);
  return t;
}

std::string FormatRfc3339(Timestamp t) {
  const auto day = std::chrono::floor<days>(t);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  std::string out = buf;
  if (auto us = time.subseconds().count(); us != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(us));
    std::string frac = buf;
    while (frac.back() == '0') frac.pop_back();
    out += frac;
  }
  return out + "Z";
}

Timestamp NowSeconds() {
  return std::chrono::floor<seconds>(std::chrono::system_clock::now());
}

}  // namespace pathbridge
