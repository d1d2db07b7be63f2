// URL-encoded text, strictly: query strings and
// application/x-www-form-urlencoded bodies (name=value pairs joined by '&'),
// and single percent-encoded components. Escapes must be whole ("%2G" and a
// trailing "%" are errors), decoded text may hold no control characters
// (but tab, CR and LF where UrlEncodedSyntax::line_breaks allows them),
// and raw text may hold no spaces, controls or non-ASCII bytes. Errors say
// "offset N" into the text given.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "standards/status.h"

namespace pathbridge::gateway {

inline constexpr size_t kMaxUrlEncodedPairs = 32;

struct UrlEncodedSyntax {
  bool plus_is_space = false;  // forms write ' ' as '+'; queries keep '+'
  bool line_breaks = false;    // decoded text may hold tab, CR and LF (a form's textarea)
};

// Decodes one name or value.
Result<std::string> PercentDecode(std::string_view raw, UrlEncodedSyntax syntax = {});

// name=value pairs: every part has a non-empty name and a '=', no name
// repeats, no trailing '&', at most kMaxUrlEncodedPairs pairs.
Result<std::map<std::string, std::string>> ParseUrlEncoded(std::string_view raw,
                                                           UrlEncodedSyntax syntax = {});

}  // namespace pathbridge::gateway
