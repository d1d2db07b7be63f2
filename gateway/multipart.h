// multipart/form-data request bodies (RFC 7578), strictly, as an HTML form
// sends them: how the /verify page receives a pasted or uploaded credential.
// The body is already whole and bounded (the server's body limit); these
// limits bound the work: at most `max_parts` parts, each with at most
// `max_header_bytes` of headers. Every part needs a Content-Disposition of
// form-data with a name; names and filenames are quoted strings in which a
// browser writes '"', CR and LF as %22, %0D and %0A (the HTML standard), so
// there are no backslash escapes. No preamble; nothing but a final CRLF
// after the closing delimiter. Errors say "offset N" into the body.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "standards/status.h"

namespace pathbridge::gateway {

struct FormPart {
  std::string name;
  // Set for a file input; "" when the form had no file chosen.
  std::optional<std::string> filename;
  std::string content_type;  // as sent; "" if absent
  std::string body;
};

struct MultipartLimits {
  size_t max_parts = 8;
  size_t max_header_bytes = 2048;  // one part's header block
};

// The boundary of a "multipart/form-data; boundary=..." Content-Type
// (1 to 70 characters of RFC 2046's bchars, as a token or quoted).
Result<std::string> FormDataBoundary(std::string_view content_type);

Result<std::vector<FormPart>> ParseFormData(std::string_view body, std::string_view boundary,
                                            MultipartLimits limits = {});

}  // namespace pathbridge::gateway
