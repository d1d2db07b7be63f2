#include "standards/json_fields.h"

#include "standards/json.h"

namespace pathbridge::json {

std::string JsonFields::Where(std::string_view key) const {
  std::string w = where_;
  AppendPointerToken(w, key);
  return w;
}

Result<std::string_view> JsonFields::String(std::string_view key) const {
  auto s = StringMember(o_, key);
  if (!s.ok()) return s.status().WithContext(where_);
  if (s->empty()) return InvalidArgument("must not be empty", Where(key));
  return s;
}

Result<std::string_view> JsonFields::OptionalString(std::string_view key) const {
  if (!o_.contains(key)) return std::string_view();
  return String(key);
}

Result<std::optional<Timestamp>> JsonFields::OptionalTimestamp(std::string_view key) const {
  PB_ASSIGN_OR_RETURN(std::string_view text, OptionalString(key));
  if (text.empty()) return std::optional<Timestamp>();
  auto t = ParseRfc3339(text);
  if (!t.ok()) return InvalidArgument(t.status().message() + " at " + t.status().where(), Where(key));
  return std::optional<Timestamp>(*t);
}

Result<std::string> JsonFields::OptionalDateTime(std::string_view key) const {
  PB_ASSIGN_OR_RETURN(std::optional<Timestamp> t, OptionalTimestamp(key));
  return t ? FormatRfc3339(*t) : std::string();
}

Result<uint64_t> JsonFields::Unsigned(std::string_view key, uint64_t min, uint64_t max) const {
  const boost::json::value* v = o_.if_contains(key);
  if (!v || !(v->is_uint64() || (v->is_int64() && v->get_int64() >= 0)))
    return InvalidArgument("want a whole number", Where(key));
  const uint64_t n = v->is_uint64() ? v->get_uint64() : static_cast<uint64_t>(v->get_int64());
  if (n < min) return InvalidArgument("below the minimum, " + std::to_string(min), Where(key));
  if (n > max)
    return Status(Code::kResourceExhausted, "above the limit, " + std::to_string(max), Where(key));
  return n;
}

Status JsonFields::OnlyThese(std::initializer_list<std::string_view> allowed) const {
  for (const auto& kv : o_) {
    bool known = false;
    for (auto a : allowed) known |= kv.key() == a;
    if (!known) return InvalidArgument("unknown member", Where(kv.key()));
  }
  return Status::Ok();
}

}  // namespace pathbridge::json
