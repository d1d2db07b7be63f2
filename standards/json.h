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
#include <string_view>

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

}  // namespace pathbridge::json
