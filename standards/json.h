// A strict JSON reader for signed and canonicalized data (I-JSON, RFC 7493,
// as RFC 8785 §3.1 requires): on top of RFC 8259 it rejects duplicate object
// keys, numbers that overflow an IEEE 754 double, invalid UTF-8 and lone
// UTF-16 surrogates, nesting deeper than a limit and documents over a size
// limit. Numbers with a fraction or exponent are converted with correct
// rounding (std::from_chars), so JCS sees the same double as ECMAScript.
//
// Errors say where: "line:column /json/pointer" (1-based; the column counts
// bytes), e.g. `3:7 /credentialSubject/id: duplicate object key "id"`.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <span>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "standards/status.h"

namespace pathbridge::json {

struct ParseOptions {
  std::size_t max_depth = 64;            // nested arrays and objects
  std::size_t max_size = 16u << 20;      // bytes of input
};

// Parses one JSON document (surrounding whitespace allowed). Limits give
// Code::kResourceExhausted; every other bad input Code::kInvalidArgument.
Result<boost::json::value> Parse(std::string_view text, const ParseOptions& options = {});

// Appends "/" and `token` escaped per RFC 6901 ("~" -> "~0", "/" -> "~1").
void AppendPointerToken(std::string& pointer, std::string_view token);

// For fixed-shape objects (ledger entries, receipts): Ok if `object` has
// exactly the members `names`. Otherwise Code::kInvalidArgument at the first
// unexpected member ("is not a member of <what>"), else at the first
// missing one ("missing member").
Status CheckMembers(const boost::json::object& object, std::span<const std::string_view> names,
                    std::string_view what);
// The string member `name`: kInvalidArgument at "/name" if it is missing or
// not a string. The view points into `object`.
Result<std::string_view> StringMember(const boost::json::object& object, std::string_view name);

}  // namespace pathbridge::json
