// RFC 8785 JSON Canonicalization Scheme (JCS): the byte string that
// eddsa-jcs-2022 and other JSON signatures hash. Object members are sorted
// by their names as UTF-16 code units (§3.2.3), numbers are written as
// ECMAScript's Number::toString writes them (§3.2.2.3; integers are first
// converted to the nearest double, as ECMAScript would parse them), strings
// are escaped as JSON.stringify does (§3.2.2.2), with no whitespace.
//
// Errors (Code::kInvalidArgument, `where` is the JSON pointer of the value):
// NaN or infinite numbers, strings or keys that are not valid UTF-8 (which
// includes lone surrogates), and nesting deeper than kMaxDepth.
// Parse untrusted text with json::Parse first: it enforces I-JSON.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string>

#include <boost/json/value.hpp>

#include "standards/status.h"

namespace pathbridge::jcs {

// Far above json::ParseOptions::max_depth; bounds recursion for values
// built in code.
inline constexpr std::size_t kMaxDepth = 1000;

Result<std::string> Canonicalize(const boost::json::value& value);

}  // namespace pathbridge::jcs
