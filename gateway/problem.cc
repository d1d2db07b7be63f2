#include "gateway/problem.h"

#include <cstdio>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace pathbridge::gateway {

std::string_view ReasonPhrase(int http_status) {
  switch (http_status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kPermissionDenied: return 403;
    case Code::kNotFound: return 404;
    case Code::kAlreadyExists:
    case Code::kFailedPrecondition: return 409;
    case Code::kVerificationFailed: return 422;
    case Code::kResourceExhausted: return 413;
    case Code::kUnavailable: return 503;
    case Code::kCorruption:
    case Code::kIoError:
    case Code::kInternal: return 500;
  }
  return 500;
}

Response Problem(int http_status, std::string_view detail, std::string_view request_id) {
  return Problem(http_status, detail, request_id, {});
}

Response Problem(int http_status, std::string_view detail, std::string_view request_id,
                 const boost::json::object& extensions) {
  boost::json::object body;
  // "about:blank" says the status code is all the type there is (RFC 9457 4.2.1).
  body["type"] = "about:blank";
  body["title"] = ReasonPhrase(http_status);
  body["status"] = http_status;
  body["detail"] = detail;
  body["instance"] = request_id;
  for (const auto& kv : extensions) body.emplace(kv.key(), kv.value());
  Response r;
  r.status = http_status;
  r.content_type = std::string(kProblemContentType);
  r.headers.emplace_back("Cache-Control", "no-store");
  if (http_status == 503 || http_status == 429) r.headers.emplace_back("Retry-After", "1");
  r.body = boost::json::serialize(body);
  return r;
}

Response ProblemFromStatus(const Status& status, std::string_view request_id,
                           std::optional<int> http_status) {
  int code = http_status.value_or(HttpStatusFor(status.code()));
  if (code >= 500 && code != 503) {
    // The operator sees the cause, keyed by the id the client was given.
    std::fprintf(stderr, "pathbridge: request %.*s failed: %s\n",
                 static_cast<int>(request_id.size()), request_id.data(),
                 status.ToString().c_str());
    return Problem(code, "the server could not complete the request; quote the request id",
                   request_id);
  }
  return Problem(code, status.ToString(), request_id);
}

}  // namespace pathbridge::gateway
