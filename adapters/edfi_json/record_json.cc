#include "adapters/edfi_json/record_json.h"

#include "adapters/edfi_json/resources.h"

#include <array>
#include <type_traits>

namespace pathbridge::adapters::edfi_json {
namespace {

namespace bj = boost::json;
using canonical::Extensions;
using canonical::Identifier;
using canonical::Record;

bj::value ToJson(const std::string& s) { return bj::string(s); }
bj::value ToJson(const std::optional<bool>& b) { return b ? bj::value(*b) : bj::value(nullptr); }
bj::value ToJson(const std::optional<double>& d) { return d ? bj::value(*d) : bj::value(nullptr); }
template <typename E>
  requires std::is_enum_v<E>
bj::value ToJson(E e) {
  return static_cast<int64_t>(e);
}
bj::value ToJson(const Identifier& id) { return bj::array{bj::string(id.system), bj::string(id.value)}; }
template <typename T>
bj::value ToJson(const std::vector<T>& v) {
  bj::array a;
  for (const T& x : v) a.push_back(ToJson(x));
  return a;
}
bj::value ToJson(const Extensions& m) {
  bj::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

bool FromJson(const bj::value& v, std::string& out) {
  if (!v.is_string()) return false;
  out = v.as_string();
  return true;
}
bool FromJson(const bj::value& v, std::optional<bool>& out) {
  if (v.is_null()) out.reset();
  else if (v.is_bool()) out = v.as_bool();
  else return false;
  return true;
}
bool FromJson(const bj::value& v, std::optional<double>& out) {
  if (v.is_null()) out.reset();
  else if (v.is_number()) out = v.to_number<double>();
  else return false;
  return true;
}
template <typename E>
  requires std::is_enum_v<E>
bool FromJson(const bj::value& v, E& out) {
  if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() > 64) return false;
  out = static_cast<E>(v.as_int64());
  return true;
}
bool FromJson(const bj::value& v, Identifier& out) {
  const bj::array* a = v.if_array();
  if (a == nullptr || a->size() != 2 || !(*a)[0].is_string() || !(*a)[1].is_string()) return false;
  out = {std::string((*a)[0].as_string()), std::string((*a)[1].as_string())};
  return true;
}
template <typename T>
bool FromJson(const bj::value& v, std::vector<T>& out) {
  const bj::array* a = v.if_array();
  if (a == nullptr) return false;
  std::vector<T> items(a->size());
  for (size_t i = 0; i < a->size(); ++i)
    if (!FromJson((*a)[i], items[i])) return false;
  out = std::move(items);
  return true;
}
bool FromJson(const bj::value& v, Extensions& out) {
  const bj::object* o = v.if_object();
  if (o == nullptr) return false;
  Extensions m;
  for (const auto& kv : *o) {
    if (!kv.value().is_string()) return false;
    m[std::string(kv.key())] = kv.value().as_string();
  }
  out = std::move(m);
  return true;
}

// Calls fn(type, name, member) for each field of the record held by `r`.
// No "type.name" strings are built: this runs for every field of every
// record spooled by an encoder.
template <typename R, typename Fn>
void ForEachField(R& r, Fn&& fn) {
  std::visit(
      [&](auto& rec) {
        using T = std::remove_cvref_t<decltype(rec)>;
        T::Fields(rec, [&](std::string_view name, auto& member) { fn(T::kType, name, member); });
      },
      r);
}

// Whether `path` is "type.name".
bool PathIs(std::string_view path, std::string_view type, std::string_view name) {
  return path.size() == type.size() + 1 + name.size() && path.starts_with(type) &&
         path[type.size()] == '.' && path.ends_with(name);
}

// Calls fn(type, name, a's member, b's member) for each field of two records
// of type T. One pass: both records list their fields in the same order, so
// b's members are collected first and matched by position (this runs for
// every record an encoder checks).
template <typename T, typename Fn>
void ForEachFieldPair(T& a, const std::remove_const_t<T>& b, Fn&& fn) {
  using Plain = std::remove_const_t<T>;
  std::array<const void*, 32> members{};
  size_t n = 0;
  Plain::Fields(b, [&](std::string_view, const auto& m) { members.at(n++) = &m; });
  size_t i = 0;
  Plain::Fields(a, [&](std::string_view name, auto& m) {
    using M = std::remove_cvref_t<decltype(m)>;
    fn(Plain::kType, name, m, *static_cast<const M*>(members[i++]));
  });
}

template <typename M>
bool Present(const M& m) {
  return !(m == M{});
}

}  // namespace

std::optional<bj::value> FieldToJson(const Record& r, std::string_view path) {
  std::optional<bj::value> out;
  ForEachField(r, [&](std::string_view type, std::string_view name, const auto& member) {
    if (PathIs(path, type, name)) out = ToJson(member);
  });
  return out;
}

bool FieldFromJson(Record& r, std::string_view path, const bj::value& v) {
  bool ok = false;
  ForEachField(r, [&](std::string_view type, std::string_view name, auto& member) {
    if (PathIs(path, type, name)) ok = FromJson(v, member);
  });
  return ok;
}

bj::object RecordToJson(const Record& r) {
  bj::object o;
  o["@type"] = canonical::RecordType(r);
  ForEachField(r, [&](std::string_view, std::string_view name, const auto& member) {
    if (Present(member)) o[name] = ToJson(member);
  });
  return o;
}

const bj::value* PathbridgeFieldsOf(const bj::object& element) {
  const bj::value* ext = element.if_contains("_ext");
  const bj::value* pb = ext != nullptr && ext->is_object() ? ext->as_object().if_contains("pathbridge")
                                                           : nullptr;
  return pb != nullptr && pb->is_object() ? pb->as_object().if_contains("fields") : nullptr;
}

std::vector<std::string> ApplyPathbridgeFields(const bj::object& element,
                                               std::vector<Record>& records) {
  const bj::value* fields = PathbridgeFieldsOf(element);
  return fields == nullptr ? std::vector<std::string>() : ApplyPathbridgeFieldValues(*fields, records);
}

std::vector<std::string> ApplyPathbridgeFieldValues(const bj::value& fields,
                                                    std::vector<Record>& records) {
  std::vector<std::string> failed;
  if (!fields.is_object()) return {"_ext/pathbridge/fields"};
  for (const auto& kv : fields.as_object()) {
    std::string path(kv.key());
    std::string_view type = std::string_view(path).substr(0, path.find('.'));
    bool done = false;
    for (Record& r : records)
      if (!done && canonical::RecordType(r) == type) done = FieldFromJson(r, path, kv.value());
    if (!done) failed.push_back(path);
  }
  return failed;
}

void PutPathbridgeFields(bj::object& element, bj::object fields) {
  if (fields.empty()) return;
  bj::value& ext = element["_ext"];
  if (!ext.is_object()) ext.emplace_object();
  ext.as_object()["pathbridge"].emplace_object()["fields"] = std::move(fields);
}

template <typename T>
void AddDifferences(const T& want, const T& got, const Capabilities& caps, bj::object& out) {
  ForEachFieldPair(want, got, [&](std::string_view type, std::string_view name,
                                  const auto& member, const auto& other) {
    if (member == other) return;
    std::string path = std::string(type) + "." + std::string(name);  // only for differences
    if (caps.Carries(path)) out[path] = ToJson(member);
  });
}

template <typename T>
uint64_t ComparedFields(const Capabilities& caps,
                        const std::function<bool(std::string_view)>& skip) {
  uint64_t compared = 0, bit = 1;  // ForEachFieldPair takes at most 32 fields
  const T none{};
  T::Fields(none, [&](std::string_view name, const auto&) {
    std::string path = std::string(T::kType) + "." + std::string(name);
    if (caps.Carries(path) && !(skip && skip(path))) compared |= bit;
    bit <<= 1;
  });
  return compared;
}

template <typename T>
uint64_t FieldBit(std::string_view path) {
  // Asked once an element for the field a property names (AlsoCompare),
  // mostly the same one: the last answer is kept (a search over the fields
  // of a record made for it cost 650 instructions).
  thread_local std::string last_path;
  thread_local uint64_t last_bit = 0;
  if (path == last_path) return last_bit;
  static const T kNone{};
  uint64_t found = 0, bit = 1;
  T::Fields(kNone, [&](std::string_view name, const auto&) {
    if (path.size() == T::kType.size() + 1 + name.size() && path.starts_with(T::kType) &&
        path[T::kType.size()] == '.' && path.ends_with(name))
      found = bit;
    bit <<= 1;
  });
  last_path.assign(path);
  last_bit = found;
  return found;
}

template <typename T>
void ForEachDifference(const T& want, const T& got, uint64_t compared, DirectFields& out) {
  if (compared == 0) return;
  ForEachFieldPair(want, got, [&](std::string_view type, std::string_view name,
                                  const auto& member, const auto& other) {
    bool compare = compared & 1;
    compared >>= 1;
    if (!compare || member == other) return;
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(member)>, std::string>)
      out.AddString(type, name, member);  // a record id, most often
    else
      out.Add(type, name, ToJson(member));
  });
}


template <typename T>
void MergeMissing(T& into, const T& from) {
  ForEachFieldPair(into, from, [](std::string_view, std::string_view, auto& member,
                                  const auto& other) {
    if (!Present(member)) member = other;
  });
}

#define PB_RECORD_JSON_INSTANTIATE(T)                                                        \
  template void AddDifferences(const canonical::T&, const canonical::T&, const Capabilities&, \
                               bj::object&);                                                 \
  template uint64_t ComparedFields<canonical::T>(const Capabilities&,                        \
                                                 const std::function<bool(std::string_view)>&); \
  template uint64_t FieldBit<canonical::T>(std::string_view);                                \
  template void ForEachDifference(const canonical::T&, const canonical::T&, uint64_t,         \
                                  DirectFields&);                                            \
  template void MergeMissing(canonical::T&, const canonical::T&);
PB_RECORD_JSON_INSTANTIATE(Organization)
PB_RECORD_JSON_INSTANTIATE(Person)
PB_RECORD_JSON_INSTANTIATE(Demographics)
PB_RECORD_JSON_INSTANTIATE(AcademicSession)
PB_RECORD_JSON_INSTANTIATE(Course)
PB_RECORD_JSON_INSTANTIATE(Section)
PB_RECORD_JSON_INSTANTIATE(Enrollment)
PB_RECORD_JSON_INSTANTIATE(CourseResult)
PB_RECORD_JSON_INSTANTIATE(AchievementAward)
#undef PB_RECORD_JSON_INSTANTIATE

}  // namespace pathbridge::adapters::edfi_json
