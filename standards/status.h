// Status and Result<T>: the error types every pathbridge module returns
// instead of throwing across module boundaries. An error carries a code, a
// location (file:line:column, JSON pointer, field, index...) and a plain
// message that a person can act on.
//
// Thread-safety: value types; distinct objects may be used from any thread.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace pathbridge {

enum class Code {
  kOk = 0,
  kInvalidArgument,   // the input is malformed or out of range
  kNotFound,          // the thing asked for does not exist (yet)
  kAlreadyExists,
  kFailedPrecondition,
  kVerificationFailed,  // a signature, proof or hash did not check out
  kCorruption,        // stored data is inconsistent with itself
  kIoError,
  kResourceExhausted, // a size, depth or rate limit was hit
  kUnavailable,       // shutting down, or a dependency is not ready
  kInternal,
  kPermissionDenied,  // the caller is known but may not do this (HTTP 403)
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message, std::string where = {})
      : code_(code), message_(std::move(message)), where_(std::move(where)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // Where the problem is: "file:line:col", "/json/pointer", "index 17"...
  const std::string& where() const { return where_; }

  // "where: message" (or just the message), for logs and CLI output.
  std::string ToString() const;
  // The same error with more context prepended to `where`, e.g. a file name.
  Status WithContext(std::string_view outer) const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string where_;
};

inline Status InvalidArgument(std::string msg, std::string where = {}) {
  return {Code::kInvalidArgument, std::move(msg), std::move(where)};
}
inline Status NotFound(std::string msg, std::string where = {}) {
  return {Code::kNotFound, std::move(msg), std::move(where)};
}
inline Status VerificationFailed(std::string msg, std::string where = {}) {
  return {Code::kVerificationFailed, std::move(msg), std::move(where)};
}
inline Status Corruption(std::string msg, std::string where = {}) {
  return {Code::kCorruption, std::move(msg), std::move(where)};
}
inline Status IoError(std::string msg, std::string where = {}) {
  return {Code::kIoError, std::move(msg), std::move(where)};
}
inline Status Internal(std::string msg, std::string where = {}) {
  return {Code::kInternal, std::move(msg), std::move(where)};
}

// Result<T> holds either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                 // NOLINT
  Result(Status status) : v_(std::move(status)) {           // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace pathbridge

// Propagate an error: PB_RETURN_IF_ERROR(DoThing());
#define PB_RETURN_IF_ERROR(expr)                     \
  do {                                               \
    ::pathbridge::Status pb_status_ = (expr);        \
    if (!pb_status_.ok()) return pb_status_;         \
  } while (0)

#define PB_CONCAT_INNER_(a, b) a##b
#define PB_CONCAT_(a, b) PB_CONCAT_INNER_(a, b)
// PB_ASSIGN_OR_RETURN(auto x, MakeX());
#define PB_ASSIGN_OR_RETURN(lhs, expr)                               \
  auto PB_CONCAT_(pb_result_, __LINE__) = (expr);                    \
  if (!PB_CONCAT_(pb_result_, __LINE__).ok())                        \
    return PB_CONCAT_(pb_result_, __LINE__).status();                \
  lhs = std::move(PB_CONCAT_(pb_result_, __LINE__)).value()
