// Reading the members of a JSON object whose members are partly optional (a
// configuration or key file, a controller document) with errors that say
// where: each error's location is the object's location followed by the
// member's JSON pointer token, e.g. "trust.json:/entries/2/validFrom".
// (For objects of a fixed shape, json.h has CheckMembers and StringMember.)
//
// Thread-safety: a JsonFields refers to an object it does not own; use it
// while the object lives, from one thread at a time.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/object.hpp>

#include "standards/time.h"
#include "standards/status.h"

namespace pathbridge::json {

class JsonFields {
 public:
  // `where` locates the object itself: "file.json:" for a whole file,
  // "file.json:/entries/2" for a nested object.
  JsonFields(const boost::json::object& object, std::string where)
      : o_(object), where_(std::move(where)) {}

  const boost::json::object& object() const { return o_; }
  const std::string& where() const { return where_; }
  // The location of member `key`.
  std::string Where(std::string_view key) const;

  // A required non-empty string.
  Result<std::string_view> String(std::string_view key) const;
  // An optional string: "" when absent.
  Result<std::string_view> OptionalString(std::string_view key) const;
  // An optional RFC 3339 date-time (nullopt when absent)...
  Result<std::optional<Timestamp>> OptionalTimestamp(std::string_view key) const;
  // ...or the same normalized to UTC by FormatRfc3339 ("" when absent).
  Result<std::string> OptionalDateTime(std::string_view key) const;
  // A required whole number in [min, max]; above max is kResourceExhausted
  // (a limit), below min kInvalidArgument.
  Result<uint64_t> Unsigned(std::string_view key, uint64_t min, uint64_t max) const;
  // Fails on a member not in `allowed`, so a misspelt setting is not ignored.
  Status OnlyThese(std::initializer_list<std::string_view> allowed) const;

 private:
  const boost::json::object& o_;
  std::string where_;
};

}  // namespace pathbridge::json
