// RFC 9457 problem details: every error the gateway answers is an
// `application/problem+json` object with type, title, status, detail and
// instance (the request id). Server-side failures get a generic detail so
// that storage paths, SQL and other internals never reach a client.
//
// Thread-safety: pure functions, except that ProblemFromStatus writes the
// cause of a server error to stderr (one line, with the request id).
#pragma once

#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

#include "gateway/http.h"
#include "standards/status.h"

namespace pathbridge::gateway {

inline constexpr std::string_view kProblemContentType = "application/problem+json";

// The standard reason phrase ("Not Found"), or "Error" for unknown codes.
std::string_view ReasonPhrase(int http_status);

// The HTTP status for a Status code: InvalidArgument 400, PermissionDenied
// 403, NotFound 404, AlreadyExists 409, FailedPrecondition 409,
// VerificationFailed 422, ResourceExhausted 413 (a size or depth limit;
// callers pass 429 or 503 for rate and queue limits), Unavailable 503,
// everything else 500.
int HttpStatusFor(Code code);

// A problem response. `detail` must be safe to show to anyone.
Response Problem(int http_status, std::string_view detail, std::string_view request_id);
// The same with RFC 9457 extension members (a verification's checks, say)
// after the standard ones, which `extensions` must not name.
Response Problem(int http_status, std::string_view detail, std::string_view request_id,
                 const boost::json::object& extensions);

// The problem for a failed Status. 4xx answers carry the status message
// (our own wording about the client's input); 5xx answers carry a generic
// text and the request id only, and the cause goes to stderr. `http_status`
// overrides the mapping.
Response ProblemFromStatus(const Status& status, std::string_view request_id,
                           std::optional<int> http_status = std::nullopt);

}  // namespace pathbridge::gateway
