#include "standards/status.h"

namespace pathbridge {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kNotFound: return "not found";
    case Code::kAlreadyExists: return "already exists";
    case Code::kFailedPrecondition: return "failed precondition";
    case Code::kVerificationFailed: return "verification failed";
    case Code::kCorruption: return "corruption";
    case Code::kIoError: return "I/O error";
    case Code::kResourceExhausted: return "resource exhausted";
    case Code::kUnavailable: return "unavailable";
    case Code::kInternal: return "internal error";
    case Code::kPermissionDenied: return "permission denied";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  if (where_.empty()) return message_;
  return where_ + ": " + message_;
}

Status Status::WithContext(std::string_view outer) const {
  if (ok()) return *this;
  std::string w(outer);
  if (!where_.empty()) w += (where_.front() == '/' ? "" : ":") + where_;
  return Status(code_, message_, std::move(w));
}

}  // namespace pathbridge
