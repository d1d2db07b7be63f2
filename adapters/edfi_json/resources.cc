#include "adapters/edfi_json/resources.h"

#include "adapters/edfi_json/record_json.h"
#include "standards/json.h"

#include <charconv>
#include <cmath>
#include <memory>

#include <boost/json/serialize.hpp>

namespace pathbridge::adapters::edfi_json {
namespace {

namespace bj = boost::json;
using namespace canonical;

constexpr std::string_view kEdFiPrefix = "edfi:";
constexpr std::string_view kPathbridgeProject = "pathbridge";

// ---- JSON helpers

const bj::object* ObjectAt(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v == nullptr ? nullptr : v->if_object();
}

const bj::value* At(const bj::object* o, std::string_view key) {
  return o == nullptr ? nullptr : o->if_contains(key);
}

// The existing object member `name` of `o`, or a new one.
bj::object& ObjectMember(bj::object& o, std::string_view name) {
  bj::value& v = o[name];
  if (!v.is_object()) v.emplace_object();
  return v.as_object();
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// An education organization id as EdOrgValue reads it back once written
// as an integer: 0 unless positive.
int64_t EdOrgReadBack(int64_t id) { return id > 0 ? id : 0; }

// An education organization id (a JSON integer, or digits in a string); 0 if none.
int64_t EdOrgValue(const bj::value* v) {
  if (v == nullptr) return 0;
  if (v->is_int64()) return EdOrgReadBack(v->as_int64());
  if (v->is_uint64()) return v->as_uint64() <= INT64_MAX ? static_cast<int64_t>(v->as_uint64()) : 0;
  if (v->is_string() && AllDigits(v->as_string()) && v->as_string().size() <= 18) {
    int64_t n = 0;
    std::string_view s = v->as_string();
    std::from_chars(s.data(), s.data() + s.size(), n);
    return n;
  }
  return 0;
}

// A key part as text (strings as they are, integers in decimal); "" otherwise.
std::string KeyText(const bj::value* v) {
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  return {};
}

// Appends KeyText(v) to `out`.
void AppendKeyText(std::string& out, const bj::value* v) {
  if (v == nullptr) return;
  if (v->is_string()) {
    out += std::string_view(v->as_string());
    return;
  }
  char digits[24];
  std::to_chars_result r{digits, {}};
  if (v->is_int64()) r = std::to_chars(digits, digits + sizeof digits, v->as_int64());
  else if (v->is_uint64()) r = std::to_chars(digits, digits + sizeof digits, v->as_uint64());
  out.append(digits, r.ptr);
}

// Appends NaturalId(edorg_id) to `out`.
void AppendEdOrg(std::string& out, int64_t edorg_id) {
  if (edorg_id == 0) return;
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, edorg_id).ptr);
}

// A value kept as an extension: strings verbatim, anything else as JSON text.
std::string ExtensionText(const bj::value& v) {
  return v.is_string() ? std::string(v.as_string()) : bj::serialize(v);
}

// Back from ExtensionText: JSON text that is not a string parses; anything
// else is a string.
bj::value ExtensionValue(const std::string& text) {
  if (text.empty()) return bj::string();
  char c = text.front();
  if (c == '{' || c == '[' || c == '-' || (c >= '0' && c <= '9') || text == "true" ||
      text == "false" || text == "null") {
    auto parsed = json::Parse(text);
    if (parsed.ok() && !parsed->is_string()) return *parsed;
  }
  return bj::string(text);
}

bj::value Number(double d) {
  if (std::trunc(d) == d && std::fabs(d) < 9e15) return static_cast<int64_t>(d);
  return d;
}

// A school year as Ed-Fi writes it (an integer), if it is one.
void PutYear(bj::object& o, std::string_view key, const std::string& year) {
  if (AllDigits(year) && year.size() <= 4) o[key] = std::stoll(year);
}

bool IsIsoDate(std::string_view s) {
  // (Written out: every association has two dates.)
  auto digit = [&s](size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  return s.size() == 10 && s[4] == '-' && s[7] == '-' && digit(0) && digit(1) && digit(2) &&
         digit(3) && digit(5) && digit(6) && digit(8) && digit(9);
}

std::string Join(std::initializer_list<std::string_view> parts) {
  size_t size = parts.size();
  for (std::string_view p : parts) size += p.size();
  std::string out;
  out.reserve(size);
  for (auto it = parts.begin(); it != parts.end(); ++it) {
    if (it != parts.begin()) out += '/';
    out += *it;
  }
  return out;
}

// A string member, unless the value is empty (as the properties write them).
void PutText(DirectElement& out, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  out.Key(name);
  out.String(value);
}

template <typename T>
std::string Path(std::string_view field) {
  return std::string(T::kType) + "." + std::string(field);
}

// ---- Property builders

template <typename T>
using Prop = Property<T>;

template <typename T>
Prop<T> Text(std::string_view name, std::string_view field, std::string T::*m) {
  return {name, {Path<T>(field)},
          [m](T& r, const bj::value& v, const In&) {
            if (!v.is_string()) return false;
            r.*m = v.as_string();
            return true;
          },
          [name, m](const T& r, bj::object& o, EncodeContext&) {
            if (!(r.*m).empty()) o[name] = r.*m;
          },
          [name, m](const T& r, DirectElement& out, EncodeContext&) {
            PutText(out, name, r.*m);
            return true;
          }};
}

// Dates are "YYYY-MM-DD"; a date-time ("2001-12-19T00:00:00", as older
// exports write dates) is read as its date, with a warning.
template <typename T>
Prop<T> Date(std::string_view name, std::string_view field, std::string T::*m) {
  return {name, {Path<T>(field)},
          [name, m](T& r, const bj::value& v, const In& in) {
            if (!v.is_string()) return false;
            std::string_view s = v.as_string();
            if (IsIsoDate(s)) {
              r.*m = s;
              return true;
            }
            if (s.size() > 10 && s[10] == 'T' && IsIsoDate(s.substr(0, 10))) {
              in.Warn(name, "date-time where a date is expected; read as its date");
              r.*m = s.substr(0, 10);
              return true;
            }
            return false;
          },
          [name, m](const T& r, bj::object& o, EncodeContext&) {
            if (!(r.*m).empty()) o[name] = r.*m;
          },
          [name, m](const T& r, DirectElement& out, EncodeContext&) {
            if (!(r.*m).empty() && !IsIsoDate(r.*m)) return false;  // not read back as it is
            PutText(out, name, r.*m);
            return true;
          }};
}

template <typename T>
Prop<T> Bool(std::string_view name, std::string_view field, std::optional<bool> T::*m) {
  return {name, {Path<T>(field)},
          [m](T& r, const bj::value& v, const In&) {
            if (!v.is_bool()) return false;
            r.*m = v.as_bool();
            return true;
          },
          [name, m](const T& r, bj::object& o, EncodeContext&) {
            if (r.*m) o[name] = *(r.*m);
          },
          [name, m](const T& r, DirectElement& out, EncodeContext&) {
            if (!(r.*m)) return true;
            out.Key(name);
            out.Bool(*(r.*m));
            return true;
          }};
}

template <typename T>
Prop<T> Num(std::string_view name, std::string_view field, std::optional<double> T::*m) {
  return {name, {Path<T>(field)},
          [m](T& r, const bj::value& v, const In&) {
            if (!v.is_number()) return false;
            r.*m = v.to_number<double>();
            return true;
          },
          [name, m](const T& r, bj::object& o, EncodeContext&) {
            if (r.*m) o[name] = Number(*(r.*m));
          }};
}

// What a descriptor property writes for each value of its enum E (values
// 0 to 63; any other is worked out each time): the URI, and whether `from`
// reads it back as the value. Made once per property: two string
// conversions, one of them allocating, for every element otherwise.
struct DescriptorUri {
  std::string uri;
  bool exact = false;
};
template <typename E, typename To>
std::shared_ptr<const std::vector<DescriptorUri>> DescriptorUris(E (*from)(std::string_view), To to) {
  auto table = std::make_shared<std::vector<DescriptorUri>>();
  for (int v = 0; v < 64; ++v) {
    E e = static_cast<E>(v);
    std::string uri(to(e));
    bool exact = e != E{} && from(uri) == e;
    table->push_back({std::move(uri), exact});
  }
  return table;
}

template <typename T, typename E, typename To>
Prop<T> Descriptor(std::string_view name, std::string_view field, E T::*m,
                   E (*from)(std::string_view), To to) {
  return {name, {Path<T>(field)},
          [m, from](T& r, const bj::value& v, const In&) {
            if (!v.is_string()) return false;
            E e = from(v.as_string());
            if (e == E{}) return false;
            r.*m = e;
            return true;
          },
          [name, m, to](const T& r, bj::object& o, EncodeContext&) {
            std::string uri(to(r.*m));
            if (!uri.empty()) o[name] = uri;
          },
          [name, m, from, to, uris = DescriptorUris(from, to)](const T& r, DirectElement& out,
                                                             EncodeContext&) {
            auto v = static_cast<size_t>(r.*m);
            DescriptorUri other;
            if (v >= uris->size()) {
              other.uri = to(r.*m);
              other.exact = r.*m != E{} && from(other.uri) == r.*m;
            }
            const DescriptorUri& d = v < uris->size() ? (*uris)[v] : other;
            if (d.uri.empty()) return r.*m == E{};
            out.Key(name);
            out.String(d.uri);
            return d.exact;
          }};
}

// A collection of descriptors, [{"<item>": uri}, ...], read by `from`.
template <typename T, typename E>
Prop<T> DescriptorList(std::string_view name, std::string_view item, std::string_view field,
                       std::vector<E> T::*m, E (*from)(std::string_view),
                       std::string (*to)(E)) {
  return {name, {Path<T>(field)},
          [m, item, from](T& r, const bj::value& v, const In&) {
            const bj::array* a = v.if_array();
            if (a == nullptr) return false;
            std::vector<E> out;
            for (const bj::value& x : *a) {
              const bj::value* d = x.is_object() ? x.as_object().if_contains(item) : nullptr;
              if (d == nullptr || !d->is_string() || from(d->as_string()) == E{}) return false;
              out.push_back(from(d->as_string()));
            }
            r.*m = std::move(out);
            return true;
          },
          [name, item, m, to](const T& r, bj::object& o, EncodeContext&) {
            if ((r.*m).empty()) return;
            bj::array a(o.storage());
            for (E e : r.*m) a.push_back(bj::object({{item, to(e)}}, o.storage()));
            o[name] = std::move(a);
          }};
}

// Free-text codes as descriptors (EdFiDescriptorUri), [{"<item>": uri}, ...].
template <typename T>
Prop<T> CodeList(std::string_view name, std::string_view item, std::string_view descriptor,
                 std::string_view field, std::vector<std::string> T::*m) {
  return {name, {Path<T>(field)},
          [m, item](T& r, const bj::value& v, const In&) {
            const bj::array* a = v.if_array();
            if (a == nullptr) return false;
            std::vector<std::string> out;
            for (const bj::value& x : *a) {
              const bj::value* d = x.is_object() ? x.as_object().if_contains(item) : nullptr;
              if (d == nullptr || !d->is_string()) return false;
              out.emplace_back(EdFiCodeValue(d->as_string()));
            }
            r.*m = std::move(out);
            return true;
          },
          [name, item, descriptor, m](const T& r, bj::object& o, EncodeContext&) {
            if ((r.*m).empty()) return;
            bj::array a(o.storage());
            for (const std::string& s : r.*m)
              a.push_back(bj::object({{item, EdFiDescriptorUri(descriptor, s)}}, o.storage()));
            o[name] = std::move(a);
          }};
}

// A reference to an education organization, {"<key>": 255901107}.
template <typename T>
Prop<T> EdOrgRef(std::string_view name, std::string_view key, std::string_view field,
                 std::string T::*m, std::function<bool(EncodeContext&, const T&)> when = {}) {
  return {name, {Path<T>(field)},
          [m, key](T& r, const bj::value& v, const In& in) {
            int64_t id = EdOrgValue(At(v.if_object(), key));
            if (id == 0) return false;
            r.*m = in.ctx().CatalogId(NaturalId(id));
            return true;
          },
          [name, key, m, when](const T& r, bj::object& o, EncodeContext& ctx) {
            if ((r.*m).empty() || (when && !when(ctx, r))) return;
            ObjectMember(o, name)[key] = ctx.EdOrgId(r.*m);
          },
          [name, key, m, when](const T& r, DirectElement& out, EncodeContext& ctx) {
            if ((r.*m).empty()) return true;
            if (when && !when(ctx, r)) return false;  // a value not written
            int64_t id = ctx.EdOrgId(r.*m);
            out.Open(name);
            out.Key(key);
            out.Int(id);
            out.Close();
            return EdOrgReadBack(id) != 0 && out.reader().CatalogId(NaturalId(id)) == r.*m;
          }};
}

template <typename T>
Prop<T> StudentRef(std::string_view name, std::string_view field, std::string T::*m) {
  return {name, {Path<T>(field)},
          [m](T& r, const bj::value& v, const In&) {
            const bj::value* id = At(v.if_object(), "studentUniqueId");
            if (id == nullptr || !id->is_string()) return false;
            r.*m = id->as_string();
            return true;
          },
          [name, m](const T& r, bj::object& o, EncodeContext&) {
            if (!(r.*m).empty()) ObjectMember(o, name)["studentUniqueId"] = r.*m;
          },
          [name, m](const T& r, DirectElement& out, EncodeContext&) {
            if ((r.*m).empty()) return true;
            out.Open(name);
            PutText(out, "studentUniqueId", r.*m);
            out.Close();
            return true;
          }};
}

template <typename T>
Prop<T> LastModified() {
  return Text<T>("_lastModifiedDate", "dateLastModified", &T::date_last_modified);
}

// A member that is part of the natural key only (the id carries it).
template <typename T>
Prop<T> Key(std::string_view name, std::function<void(const T&, bj::object&, EncodeContext&)> write,
            std::function<bool(const T&, DirectElement&, EncodeContext&)> emit = {}) {
  return {name, {},
          [](T&, const bj::value& v, const In&) { return v.is_string() || v.is_number() || v.is_object(); },
          std::move(write), std::move(emit)};
}

// A Property<Part> applied to the `part` member of a Student.
template <typename Part>
Prop<Student> Lift(Part Student::*part, Prop<Part> p) {
  auto read = p.read;
  auto write = p.write;
  Prop<Student> lifted{
      p.name, p.fields,
      [part, read](Student& s, const bj::value& v, const In& in) { return read(s.*part, v, in); },
      [part, write](const Student& s, bj::object& o, EncodeContext& ctx) {
        write(s.*part, o, ctx);
      }};
  if (p.emit)
    lifted.emit = [part, emit = p.emit](const Student& s, DirectElement& out, EncodeContext& ctx) {
      return emit(s.*part, out, ctx);
    };
  return lifted;
}

// ---- Natural keys from elements and references

SessionKey SessionKeyOf(const bj::object* ref) {
  return {EdOrgValue(At(ref, "schoolId")), KeyText(At(ref, "schoolYear")),
          KeyText(At(ref, "sessionName"))};
}

SectionKey SectionKeyOf(const bj::object* ref) {
  return {SessionKeyOf(ref), KeyText(At(ref, "localCourseCode")),
          KeyText(At(ref, "sectionIdentifier"))};
}

// Appends NaturalId(SectionKeyOf(ref)), without the key's strings: a
// section association's check reads it twice.
void AppendSectionNaturalId(std::string& out, const bj::object* ref) {
  AppendEdOrg(out, EdOrgValue(At(ref, "schoolId")));
  for (std::string_view part : {"schoolYear", "sessionName", "localCourseCode", "sectionIdentifier"}) {
    out += '/';
    AppendKeyText(out, At(ref, part));
  }
}

CourseKey CourseKeyOf(const bj::object* ref) {
  return {EdOrgValue(At(ref, "educationOrganizationId")), KeyText(At(ref, "courseCode"))};
}

void PutSessionKey(bj::object& o, const SessionKey& k) {
  if (k.school_id != 0) o["schoolId"] = k.school_id;
  PutYear(o, "schoolYear", k.school_year);
  if (!k.name.empty()) o["sessionName"] = k.name;
}

void PutOfferingKey(bj::object& o, const SectionKey& k) {
  if (!k.local_course_code.empty()) o["localCourseCode"] = k.local_course_code;
  PutSessionKey(o, k.session);
}

// PutSessionKey and PutOfferingKey, as text.
void PutSessionKey(DirectElement& out, const SessionKey& k) {
  if (k.school_id != 0) {
    out.Key("schoolId");
    out.Int(k.school_id);
  }
  if (AllDigits(k.school_year) && k.school_year.size() <= 4) {
    out.Key("schoolYear");
    out.Int(std::stoll(k.school_year));
  }
  PutText(out, "sessionName", k.name);
}

void PutOfferingKey(DirectElement& out, const SectionKey& k) {
  PutText(out, "localCourseCode", k.local_course_code);
  PutSessionKey(out, k.session);
}

void PutCourseKey(bj::object& o, const CourseKey& k) {
  if (!k.code.empty()) o["courseCode"] = k.code;
  if (k.edorg_id != 0) o["educationOrganizationId"] = k.edorg_id;
}

std::string StudentOf(const bj::object& o, std::string_view ref) {
  return KeyText(At(ObjectAt(o, ref), "studentUniqueId"));
}

// ---- Education organizations

ResourceSpec<Organization> EdOrgSpec(std::string_view name, std::string_view id_key, OrgKind kind,
                                     std::string_view category,
                                     std::vector<Prop<Organization>> parents,
                                     std::vector<std::string_view> required) {
  using O = Organization;
  std::vector<Prop<O>> props{
      Key<O>(id_key,
             [id_key](const O& r, bj::object& o, EncodeContext& ctx) {
               o[id_key] = ctx.EdOrgId(r.id);
             }),
      Text<O>("nameOfInstitution", "name", &O::name),
      {"identificationCodes", {Path<O>("identifiers")},
       [](O& r, const bj::value& v, const In&) {
         const bj::array* a = v.if_array();
         if (a == nullptr) return false;
         for (const bj::value& x : *a) {
           const bj::object* item = x.if_object();
           const bj::value* sys = At(item, "educationOrganizationIdentificationSystemDescriptor");
           const bj::value* code = At(item, "identificationCode");
           if (sys == nullptr || code == nullptr || !sys->is_string() || !code->is_string())
             return false;
           r.identifiers.push_back(
               {IdentifierSystemFromEdFi("EducationOrganizationIdentificationSystemDescriptor",
                                         sys->as_string()),
                std::string(code->as_string())});
         }
         return true;
       },
       [](const O& r, bj::object& o, EncodeContext&) {
         if (r.identifiers.empty()) return;
         bj::array a;
         for (const Identifier& id : r.identifiers)
           a.push_back({{"educationOrganizationIdentificationSystemDescriptor",
                         IdentifierSystemToEdFi(
                             "EducationOrganizationIdentificationSystemDescriptor", id.system)},
                        {"identificationCode", id.value}});
         o["identificationCodes"] = std::move(a);
       }},
      // The category follows from the resource; the kind is what the model keeps.
      {"educationOrganizationCategories", {},
       [](O&, const bj::value& v, const In&) { return v.is_array(); },
       [category](const O&, bj::object& o, EncodeContext&) {
         o["educationOrganizationCategories"] = bj::array{bj::object{
             {"educationOrganizationCategoryDescriptor",
              EdFiStandardUri("EducationOrganizationCategoryDescriptor", category)}}};
       }},
      LastModified<O>(),
  };
  for (auto& p : parents) props.push_back(std::move(p));
  required.insert(required.begin(), {id_key, "nameOfInstitution", "educationOrganizationCategories"});
  return {name,
          std::move(props),
          std::move(required),
          {"organization.kind"},
          [id_key](const bj::object& o) { return NaturalId(EdOrgValue(o.if_contains(id_key))); },
          [kind](O& r) { r.kind = kind; }};
}

Prop<Organization> ParentRef(std::string_view name, std::string_view key,
                             std::initializer_list<OrgKind> kinds) {
  std::vector<OrgKind> allowed(kinds);
  return EdOrgRef<Organization>(name, key, "parentId", &Organization::parent_id,
                                [allowed](EncodeContext& ctx, const Organization& r) {
                                  OrgKind k = ctx.OrgKindOf(r.parent_id);
                                  for (OrgKind x : allowed)
                                    if (k == x) return true;
                                  return allowed.empty();
                                });
}

// ---- Students and their associations

// The model's race flags, by field name.
struct RaceFlag {
  std::string_view field;
  std::optional<bool> Demographics::*flag;
};
constexpr RaceFlag kRaceFlags[] = {
    {"americanIndianOrAlaskaNative", &Demographics::american_indian_or_alaska_native},
    {"asian", &Demographics::asian},
    {"blackOrAfricanAmerican", &Demographics::black_or_african_american},
    {"nativeHawaiianOrOtherPacificIslander",
     &Demographics::native_hawaiian_or_other_pacific_islander},
    {"white", &Demographics::white},
};

Prop<Student> Races() {
  std::vector<std::string> fields;
  for (const RaceFlag& r : kRaceFlags) fields.push_back(Path<Demographics>(r.field));
  fields.push_back(Path<Demographics>("demographicRaceTwoOrMoreRaces"));
  return {"races", fields,
          [](Student& s, const bj::value& v, const In& in) {
            const bj::array* a = v.if_array();
            if (a == nullptr) return false;
            Demographics& d = s.demographics;
            // Listing races says which the student is and, so, is not.
            for (const RaceFlag& r : kRaceFlags) d.*r.flag = false;
            size_t count = 0;
            for (const bj::value& x : *a) {
              const bj::value* race = At(x.if_object(), "raceDescriptor");
              if (race == nullptr) race = At(x.if_object(), "race");  // composite
              if (race == nullptr || !race->is_string()) return false;
              std::string_view field = RaceFieldFromEdFi(race->as_string());
              const RaceFlag* flag = nullptr;
              for (const RaceFlag& r : kRaceFlags)
                if (r.field == field) flag = &r;
              if (flag == nullptr) {
                in.Warn("races", "race is not one of the model's race flags; dropped");
                continue;
              }
              d.*flag->flag = true;
              ++count;
            }
            d.two_or_more_races = count >= 2;
            return true;
          },
          [](const Student& s, bj::object& o, EncodeContext&) {
            bool any = false;
            bj::array a(o.storage());
            for (const RaceFlag& r : kRaceFlags) {
              const std::optional<bool>& v = s.demographics.*r.flag;
              if (!v) continue;
              any = true;
              if (*v)
                a.push_back(bj::object({{"raceDescriptor", RaceFieldToEdFi(r.field)}}, o.storage()));
            }
            if (any) o["races"] = std::move(a);
          },
          // Read back: listed races true, the others false, two or more
          // races from the count. A two-or-more flag the flags contradict
          // (or set with no flag) cannot be said in races: a reader counts
          // the listed ones, and the record's own value goes to the
          // extension (AlsoCompare), as the checked path puts it.
          [](const Student& s, DirectElement& out, EncodeContext&) {
            static const std::string kTwoOrMore = Path<Demographics>("demographicRaceTwoOrMoreRaces");
            const Demographics& d = s.demographics;
            size_t known = 0, listed = 0;
            for (const RaceFlag& r : kRaceFlags) {
              known += (d.*r.flag).has_value();
              listed += (d.*r.flag).value_or(false);
            }
            if (known == 0) return !d.two_or_more_races || out.AlsoCompare(kTwoOrMore);
            bool exact = known == std::size(kRaceFlags);
            out.OpenArray("races");
            for (const RaceFlag& r : kRaceFlags) {
              if (!(d.*r.flag).value_or(false)) continue;
              std::string uri = RaceFieldToEdFi(r.field);
              out.OpenItem();
              out.Key("raceDescriptor");
              out.String(uri);
              out.Close();
              exact = exact && RaceFieldFromEdFi(uri) == r.field;
            }
            out.CloseArray();
            if (!exact) return false;
            if (d.two_or_more_races == (listed >= 2)) return true;
            return d.two_or_more_races.has_value() && out.AlsoCompare(kTwoOrMore);
          }};
}

Prop<Student> Telephones() {
  return {"telephones", {Path<Person>("phone"), Path<Person>("sms")},
          [](Student& s, const bj::value& v, const In&) {
            const bj::array* a = v.if_array();
            if (a == nullptr) return false;
            for (const bj::value& x : *a) {
              const bj::object* t = x.if_object();
              const bj::value* number = At(t, "telephoneNumber");
              if (number == nullptr || !number->is_string()) return false;
              const bj::value* text = At(t, "textMessageCapabilityIndicator");
              const bj::value* type = At(t, "telephoneNumberTypeDescriptor");
              if (type == nullptr) type = At(t, "telephoneNumberType");  // composite
              bool sms = (text != nullptr && text->is_bool() && text->as_bool()) ||
                         (type != nullptr && type->is_string() &&
                          EdFiCodeValue(type->as_string()) == "Mobile");
              std::string& slot = sms ? s.person.sms : s.person.phone;
              if (slot.empty()) slot = number->as_string();
            }
            return true;
          },
          [](const Student& s, bj::object& o, EncodeContext&) {
            bj::array a(o.storage());
            if (!s.person.phone.empty())
              a.push_back({{"telephoneNumber", s.person.phone},
                           {"telephoneNumberTypeDescriptor",
                            EdFiStandardUri("TelephoneNumberTypeDescriptor", "Other")}});
            if (!s.person.sms.empty())
              a.push_back({{"telephoneNumber", s.person.sms},
                           {"telephoneNumberTypeDescriptor",
                            EdFiStandardUri("TelephoneNumberTypeDescriptor", "Mobile")},
                           {"textMessageCapabilityIndicator", true}});
            if (!a.empty()) o["telephones"] = std::move(a);
          },
          [other = EdFiStandardUri("TelephoneNumberTypeDescriptor", "Other"),
           mobile = EdFiStandardUri("TelephoneNumberTypeDescriptor", "Mobile")](
              const Student& s, DirectElement& out, EncodeContext&) {
            if (s.person.phone.empty() && s.person.sms.empty()) return true;
            out.OpenArray("telephones");
            if (!s.person.phone.empty()) {
              out.OpenItem();
              PutText(out, "telephoneNumber", s.person.phone);
              PutText(out, "telephoneNumberTypeDescriptor", other);
              out.Close();
            }
            if (!s.person.sms.empty()) {
              out.OpenItem();
              PutText(out, "telephoneNumber", s.person.sms);
              PutText(out, "telephoneNumberTypeDescriptor", mobile);
              out.Key("textMessageCapabilityIndicator");
              out.Bool(true);
              out.Close();
            }
            out.CloseArray();
            return true;
          }};
}

Prop<Student> ElectronicMails() {
  return {"electronicMails", {Path<Person>("email")},
          [](Student& s, const bj::value& v, const In&) {
            const bj::array* a = v.if_array();
            if (a == nullptr) return false;
            for (const bj::value& x : *a) {
              const bj::value* mail = At(x.if_object(), "electronicMailAddress");
              if (mail == nullptr || !mail->is_string()) return false;
              if (s.person.email.empty()) s.person.email = mail->as_string();
            }
            return true;
          },
          [](const Student& s, bj::object& o, EncodeContext&) {
            if (s.person.email.empty()) return;
            o["electronicMails"] = bj::array(
                {bj::object({{"electronicMailAddress", s.person.email},
                             {"electronicMailTypeDescriptor",
                              EdFiStandardUri("ElectronicMailTypeDescriptor", "Other")}},
                            o.storage())},
                o.storage());
          },
          [other = EdFiStandardUri("ElectronicMailTypeDescriptor", "Other")](
              const Student& s, DirectElement& out, EncodeContext&) {
            if (s.person.email.empty()) return true;
            out.OpenArray("electronicMails");
            out.OpenItem();
            PutText(out, "electronicMailAddress", s.person.email);
            PutText(out, "electronicMailTypeDescriptor", other);
            out.Close();
            out.CloseArray();
            return true;
          }};
}

constexpr std::string_view kStudentIdSystem = "StudentIdentificationSystemDescriptor";

// A student identifier system's descriptor URI, and whether it reads back
// as the system, remembered per thread for the few systems an input uses
// (a search and two strings built an identifier otherwise).
const DescriptorUri& StudentIdSystemUri(const std::string& system) {
  struct Known {
    std::string system;
    DescriptorUri uri;
  };
  thread_local std::vector<Known> known;
  for (const Known& k : known)
    if (k.system == system) return k.uri;
  std::string uri = IdentifierSystemToEdFi(kStudentIdSystem, system);
  bool exact = !uri.empty() && IdentifierSystemFromEdFi(kStudentIdSystem, uri) == system;
  if (known.size() == 16) known.erase(known.begin());  // not the few after all
  known.push_back({system, {std::move(uri), exact}});
  return known.back().uri;
}

Prop<Student> StudentIdentificationCodes(std::string_view name, std::string_view system_member) {
  return {name, {Path<Person>("identifiers")},
          [system_member](Student& s, const bj::value& v, const In&) {
            const bj::array* a = v.if_array();
            if (a == nullptr) return false;
            for (const bj::value& x : *a) {
              const bj::value* sys = At(x.if_object(), system_member);
              const bj::value* code = At(x.if_object(), "identificationCode");
              if (sys == nullptr || code == nullptr || !sys->is_string() || !code->is_string())
                return false;
              s.person.identifiers.push_back(
                  {IdentifierSystemFromEdFi(kStudentIdSystem, sys->as_string()),
                   std::string(code->as_string())});
            }
            return true;
          },
          [name, system_member](const Student& s, bj::object& o, EncodeContext& ctx) {
            if (s.person.identifiers.empty()) return;
            bj::array a(o.storage());
            std::string assigning = NaturalId(ctx.StudentEdOrg(s.person.id));
            for (const Identifier& id : s.person.identifiers) {
              // Ed-Fi requires the system: one without a descriptor stays in
              // the pathbridge extension (the encoder's check keeps it there).
              std::string system = IdentifierSystemToEdFi(kStudentIdSystem, id.system);
              if (system.empty()) continue;
              a.push_back(bj::object({{system_member, system},
                                      {"identificationCode", id.value},
                                      {"assigningOrganizationIdentificationCode", assigning}},
                                     o.storage()));
            }
            if (!a.empty()) o[name] = std::move(a);
          },
          [name, system_member](const Student& s, DirectElement& out, EncodeContext& ctx) {
            if (s.person.identifiers.empty()) return true;
            std::string assigning = NaturalId(ctx.StudentEdOrg(s.person.id));
            bool exact = true, any = false;
            for (const Identifier& id : s.person.identifiers) {
              const DescriptorUri& d = StudentIdSystemUri(id.system);
              const std::string& system = d.uri;
              exact = exact && d.exact;
              if (system.empty()) continue;
              if (!any) out.OpenArray(name);
              any = true;
              out.OpenItem();
              out.Key(system_member);
              out.String(system);
              out.Key("identificationCode");
              out.String(id.value);
              out.Key("assigningOrganizationIdentificationCode");
              out.String(assigning);
              out.Close();
            }
            if (any) out.CloseArray();
            return exact;
          }};
}

// A descriptor whose code value is the model's value (states, countries):
// EdFiStandardUri(descriptor, value).
template <typename T>
Prop<T> CodeValue(std::string_view name, std::string_view field, std::string T::*m,
                  std::string_view descriptor) {
  return {name, {Path<T>(field)},
          [m](T& r, const bj::value& v, const In&) {
            if (!v.is_string()) return false;
            r.*m = EdFiCodeValue(v.as_string());
            return true;
          },
          [name, m, descriptor](const T& r, bj::object& o, EncodeContext&) {
            if (!(r.*m).empty()) o[name] = EdFiStandardUri(descriptor, r.*m);
          },
          // The URI is made in a buffer of the thread's (this runs for every
          // student, twice): EdFiStandardUri's prefix, what it writes before
          // a value ("?" here), then the value. edfi_direct_test checks the
          // bytes against the checked path's.
          [name, m, prefix = EdFiStandardUri(descriptor, "?")](const T& r, DirectElement& out,
                                                               EncodeContext&) {
            if ((r.*m).empty()) return true;
            thread_local std::string uri;
            uri.assign(prefix, 0, prefix.size() - 1);
            uri += r.*m;
            out.Key(name);
            out.String(uri);
            return EdFiCodeValue(uri) == r.*m;
          }};
}

// ---- Course transcripts

Prop<CourseResult> AcademicRecordRef() {
  using C = CourseResult;
  return {"studentAcademicRecordReference", {Path<C>("personId"), Path<C>("awardingOrgId")},
          [](C& r, const bj::value& v, const In& in) {
            const bj::object* ref = v.if_object();
            if (ref == nullptr) return false;
            for (const auto& kv : *ref) {
              if (kv.key() == "studentUniqueId") r.person_id = KeyText(&kv.value());
              else if (kv.key() == "educationOrganizationId")
                r.awarding_org_id = in.ctx().CatalogId(NaturalId(EdOrgValue(&kv.value())));
              else if (kv.key() != "link")  // the record's school year and term
                r.extensions[std::string(kEdFiPrefix) + "studentAcademicRecordReference/" +
                             std::string(kv.key())] = ExtensionText(kv.value());
            }
            return true;
          },
          [](const C& r, bj::object& o, EncodeContext& ctx) {
            bj::object& ref = ObjectMember(o, "studentAcademicRecordReference");
            if (!r.person_id.empty()) ref["studentUniqueId"] = r.person_id;
            if (!r.awarding_org_id.empty())
              ref["educationOrganizationId"] = ctx.EdOrgId(r.awarding_org_id);
          }};
}

constexpr std::string_view kDualCredit = "Dual credit";

Prop<CourseResult> EarnedAdditionalCredits() {
  using C = CourseResult;
  return {"earnedAdditionalCredits", {Path<C>("dualCredit")},
          [](C& r, const bj::value& v, const In& in) {
            const bj::array* a = v.if_array();
            if (a == nullptr) return false;
            for (const bj::value& x : *a) {
              const bj::value* type = At(x.if_object(), "additionalCreditTypeDescriptor");
              if (type == nullptr || !type->is_string()) return false;
              if (EdFiCodeValue(type->as_string()) == kDualCredit) r.dual_credit = true;
              else in.Warn("earnedAdditionalCredits", "additional credits other than dual credit "
                                                      "are not translated");
            }
            return true;
          },
          [](const C& r, bj::object& o, EncodeContext&) {
            if (!r.dual_credit.value_or(false)) return;
            bj::object item{{"additionalCreditTypeDescriptor",
                             EdFiStandardUri("AdditionalCreditTypeDescriptor", kDualCredit)}};
            if (r.credits_earned) item["credits"] = Number(*r.credits_earned);
            o["earnedAdditionalCredits"] = bj::array{std::move(item)};
          }};
}

// Required by Ed-Fi: derived from the credits when the source has no value;
// a value equal to the derived one is not kept as an extension.
std::string DerivedAttemptResult(const CourseResult& r) {
  if (!r.credits_earned) return {};
  bool passed = *r.credits_earned > 0 || r.credits_attempted.value_or(0) == 0;
  return EdFiStandardUri("CourseAttemptResultDescriptor", passed ? "Pass" : "Fail");
}

constexpr std::string_view kAttemptResult = "edfi:courseAttemptResultDescriptor";

Prop<CourseResult> CourseAttemptResult() {
  using C = CourseResult;
  return {"courseAttemptResultDescriptor", {},
          [](C& r, const bj::value& v, const In&) {
            if (!v.is_string()) return false;
            r.extensions[std::string(kAttemptResult)] = v.as_string();
            return true;
          },
          [](const C& r, bj::object& o, EncodeContext&) {
            std::string derived = DerivedAttemptResult(r);
            if (!o.contains("courseAttemptResultDescriptor") && !derived.empty())
              o["courseAttemptResultDescriptor"] = derived;
          }};
}

}  // namespace

void ForgetDerivedValues(CourseResult& r) {
  auto it = r.extensions.find(std::string(kAttemptResult));
  if (it != r.extensions.end() && it->second == DerivedAttemptResult(r)) r.extensions.erase(it);
}

namespace {

// ---- Sections

Prop<Section> CourseOfferingRef() {
  using S = Section;
  return {"courseOfferingReference",
          {Path<S>("courseId"), Path<S>("orgId"), Path<S>("sessionIds")},
          [](S& r, const bj::value& v, const In& in) {
            const bj::object* ref = v.if_object();
            if (ref == nullptr) return false;
            SectionKey k = SectionKeyOf(ref);
            const DecodeContext::Offering* off = in.ctx().FindOffering(OfferingNaturalId(k));
            if (off != nullptr) r.course_id = off->course_id;
            std::string session =
                off != nullptr ? off->session_id : in.ctx().CatalogId(NaturalId(k.session));
            if (!session.empty()) r.session_ids = {session};
            r.org_id = in.ctx().CatalogId(NaturalId(k.session.school_id));
            return true;
          },
          [](const S& r, bj::object& o, EncodeContext& ctx) {
            PutOfferingKey(ObjectMember(o, "courseOfferingReference"), ctx.Section(r.id));
          }};
}

Prop<Section> LocationRef() {
  using S = Section;
  return {"locationReference", {Path<S>("location")},
          [](S& r, const bj::value& v, const In&) {
            const bj::value* room = At(v.if_object(), "classroomIdentificationCode");
            if (room == nullptr || !room->is_string()) return false;
            r.location = room->as_string();
            return true;
          },
          [](const S& r, bj::object& o, EncodeContext& ctx) {
            if (r.location.empty()) return;
            bj::object& ref = ObjectMember(o, "locationReference");
            ref["classroomIdentificationCode"] = r.location;
            if (int64_t school = ctx.Section(r.id).session.school_id) ref["schoolId"] = school;
          }};
}

Prop<Section> ClassPeriods() {
  using S = Section;
  return {"classPeriods", {Path<S>("periods")},
          [](S& r, const bj::value& v, const In&) {
            const bj::array* a = v.if_array();
            if (a == nullptr) return false;
            for (const bj::value& x : *a) {
              const bj::object* item = x.if_object();
              const bj::value* name =
                  item == nullptr ? nullptr
                                  : At(ObjectAt(*item, "classPeriodReference"), "classPeriodName");
              if (name == nullptr || !name->is_string()) return false;
              r.periods.emplace_back(name->as_string());
            }
            return true;
          },
          [](const S& r, bj::object& o, EncodeContext& ctx) {
            if (r.periods.empty()) return;
            int64_t school = ctx.Section(r.id).session.school_id;
            bj::array a;
            for (const std::string& p : r.periods) {
              bj::object ref{{"classPeriodName", p}};
              if (school != 0) ref["schoolId"] = school;
              a.push_back(bj::object{{"classPeriodReference", std::move(ref)}});
            }
            o["classPeriods"] = std::move(a);
          }};
}

// ---- Academic records

AwardKind DiplomaKind(std::string_view type) {
  std::string_view code = EdFiCodeValue(type);
  if (code == "Industry-recognized Certification" || code == "Occupational License")
    return AwardKind::kIndustryCertification;
  if (code.find("ertificate") != std::string_view::npos) return AwardKind::kCertificate;
  return AwardKind::kDiploma;
}

}  // namespace

AwardKind AwardKindFromAchievementCategory(std::string_view category) {
  std::string_view code = EdFiCodeValue(category);
  if (code == "Certificate Earned") return AwardKind::kCertificate;
  if (code == "License Earned" || code == "License Endorsement Earned")
    return AwardKind::kIndustryCertification;
  if (code == "Diploma Earned") return AwardKind::kDiploma;
  return AwardKind::kOther;
}

namespace {

// The descriptors an award's kind implies (written when the source has none).
std::vector<std::pair<std::string_view, std::string>> DerivedDescriptors(AwardKind kind,
                                                                         bool diploma) {
  if (diploma)
    return {{"diplomaTypeDescriptor",
             kind == AwardKind::kIndustryCertification
                 ? EdFiStandardUri("DiplomaTypeDescriptor", "Industry-recognized Certification")
                 : ""}};
  std::vector<std::pair<std::string_view, std::string>> out{
      {"recognitionTypeDescriptor",
       EdFiStandardUri("RecognitionTypeDescriptor",
                       kind == AwardKind::kCertificate ? "Certificate" : "Other")}};
  if (kind == AwardKind::kCertificate)
    out.push_back({"achievementCategoryDescriptor",
                   EdFiStandardUri("AchievementCategoryDescriptor", "Certificate Earned")});
  return out;
}

}  // namespace

void ForgetDerivedValues(AchievementAward& a, bool diploma) {
  for (const auto& [member, value] : DerivedDescriptors(a.kind, diploma)) {
    auto it = a.extensions.find("edfi:" + std::string(member));
    if (it != a.extensions.end() && it->second == value) a.extensions.erase(it);
  }
}

namespace {

// Member names of the three collections of a student academic record.
struct AwardCollection {
  std::string_view name, date, description;
};
constexpr AwardCollection kDiplomas{"diplomas", "diplomaAwardDate", "diplomaDescription"};
constexpr AwardCollection kRecognitions{"recognitions", "recognitionAwardDate",
                                        "recognitionDescription"};
constexpr AwardCollection kHonors{"academicHonors", "honorAwardDate", "honorDescription"};

}  // namespace

// ---- Natural ids

std::string NaturalId(int64_t edorg_id) {
  std::string out;
  AppendEdOrg(out, edorg_id);
  return out;
}
std::string NaturalId(const SessionKey& k) {
  std::string out;
  AppendEdOrg(out, k.school_id);
  for (const std::string* part : {&k.school_year, &k.name}) {
    out += '/';
    out += *part;
  }
  return out;
}
std::string NaturalId(const CourseKey& k) { return Join({NaturalId(k.edorg_id), k.code}); }
std::string OfferingNaturalId(const SectionKey& k) {
  return Join({NaturalId(k.session), k.local_course_code});
}
std::string NaturalId(const SectionKey& k) {
  std::string out = NaturalId(k.session);
  for (const std::string* part : {&k.local_course_code, &k.identifier}) {
    out += '/';
    out += *part;
  }
  return out;
}

DirectElement::DirectElement(json::JsonWriter& out, const DecodeContext& reader)
    : out_(out), reader_(reader) {
  out_.Start();
  out_.Raw('{');
  empty_[0] = true;
}

void DirectElement::Key(std::string_view name) {
  if (!empty_[depth_]) out_.Raw(',');
  empty_[depth_] = false;
  if (depth_ == 0 && count_ < kMaxMembers) members_[count_++] = {name.data(), name.size()};
  out_.PlainKey(name);
}

void DirectElement::Open(std::string_view name) {
  Key(name);
  out_.Raw('{');
  empty_[++depth_] = true;
}

void DirectElement::OpenNested(std::string_view name, std::string_view text, int levels) {
  if (!empty_[depth_]) out_.Raw(',');
  empty_[depth_] = false;
  if (depth_ == 0 && count_ < kMaxMembers) members_[count_++] = {name.data(), name.size()};
  out_.Raw(text);
  for (int i = 1; i < levels; ++i) empty_[++depth_] = false;
  empty_[++depth_] = true;
}

void DirectElement::PathKey(std::string_view type, std::string_view name) {
  out_.Raw(empty_[depth_] ? "\"" : ",\"");
  empty_[depth_] = false;
  out_.Raw(type);
  out_.Raw('.');
  out_.Raw(name);
  out_.Raw("\":");
}

void DirectElement::Close() {
  out_.Raw('}');
  --depth_;
}

void DirectElement::OpenArray(std::string_view name) {
  Key(name);
  out_.Raw('[');
  empty_[++depth_] = true;
}

void DirectElement::OpenItem() {
  out_.Raw(empty_[depth_] ? "{" : ",{");
  empty_[depth_] = false;
  empty_[++depth_] = true;
}

void DirectElement::CloseArray() {
  out_.Raw(']');
  --depth_;
}

bool DirectElement::Has(std::string_view name) const {
  for (size_t i = 0; i < count_; ++i) {
    // The names are the specs' literals: often the very same characters.
    std::string_view m(members_[i].data, members_[i].size);
    if (m.size() == name.size() && (m.data() == name.data() || m == name)) return true;
  }
  return false;
}

bool DirectElement::AlsoCompare(std::string_view path) {
  if (!also_compared_.empty()) return false;
  also_compared_ = path;
  return true;
}

std::string_view DirectElement::Finish() {
  out_.Raw('}');
  return out_.Text();
}

SectionKey AsReadBack(SectionKey k) {
  k.session.school_id = EdOrgReadBack(k.session.school_id);
  std::string& year = k.session.school_year;
  year = AllDigits(year) && year.size() <= 4 ? std::to_string(std::stoll(year)) : "";
  return k;
}

void DirectFields::Key(std::string_view type, std::string_view name) {
  if (!open_) {
    // Open("_ext"), Open(kPathbridgeProject), Open("fields") in one write:
    // most elements have a field here (the record's id).
    static_assert(kPathbridgeProject == "pathbridge");
    e_.OpenNested("_ext", R"("_ext":{"pathbridge":{"fields":{)", 3);
    open_ = true;
  }
  e_.PathKey(type, name);
}

void DirectFields::Add(std::string_view type, std::string_view name, const bj::value& v) {
  Key(type, name);
  e_.Value(v);
}

void DirectFields::AddString(std::string_view type, std::string_view name, std::string_view s) {
  Key(type, name);
  e_.String(s);
}

void DirectFields::Finish() {
  if (!open_) return;
  for (int i = 0; i < 3; ++i) e_.Close();
  open_ = false;
}

void In::Warn(std::string_view member, std::string message) const {
  if (warn_) warn_(std::move(message), pointer_ + "/" + std::string(member));
}

// ---- The resources

const ResourceSpec<Organization>& LocalEducationAgencies() {
  static const auto kSpec = EdOrgSpec(
      "localEducationAgencies", "localEducationAgencyId", OrgKind::kDistrict,
      "Local Education Agency",
      {ParentRef("parentLocalEducationAgencyReference", "localEducationAgencyId",
                 {OrgKind::kDistrict, OrgKind::kLocal}),
       ParentRef("stateEducationAgencyReference", "stateEducationAgencyId", {OrgKind::kState})},
      {"localEducationAgencyCategoryDescriptor"});
  return kSpec;
}

const ResourceSpec<Organization>& Schools() {
  static const auto kSpec = EdOrgSpec(
      "schools", "schoolId", OrgKind::kSchool, "School",
      {ParentRef("localEducationAgencyReference", "localEducationAgencyId",
                 {OrgKind::kDistrict, OrgKind::kLocal})},
      {"gradeLevels"});
  return kSpec;
}

const ResourceSpec<Organization>& StateEducationAgencies() {
  static const auto kSpec = EdOrgSpec("stateEducationAgencies", "stateEducationAgencyId",
                                      OrgKind::kState, "State Education Agency", {}, {});
  return kSpec;
}

const ResourceSpec<Organization>& PostSecondaryInstitutions() {
  static const auto kSpec =
      EdOrgSpec("postSecondaryInstitutions", "postSecondaryInstitutionId", OrgKind::kCollege,
                "Post Secondary Institution", {}, {});
  return kSpec;
}

const ResourceSpec<Organization>& OrganizationDepartments() {
  static const auto kSpec = EdOrgSpec(
      "organizationDepartments", "organizationDepartmentId", OrgKind::kDepartment,
      "Organization Department",
      {ParentRef("parentEducationOrganizationReference", "educationOrganizationId", {})}, {});
  return kSpec;
}

const ResourceSpec<Organization>* OrganizationResource(OrgKind kind) {
  switch (kind) {
    case OrgKind::kSchool: return &Schools();
    case OrgKind::kDistrict:
    case OrgKind::kLocal: return &LocalEducationAgencies();
    case OrgKind::kState: return &StateEducationAgencies();
    case OrgKind::kCollege: return &PostSecondaryInstitutions();
    case OrgKind::kDepartment: return &OrganizationDepartments();
    default: return nullptr;
  }
}

const ResourceSpec<AcademicSession>& Sessions() {
  using S = AcademicSession;
  static const ResourceSpec<S> kSpec{
      "sessions",
      {{"sessionName", {Path<S>("title")},
        [](S& r, const bj::value& v, const In&) {
          if (!v.is_string()) return false;
          r.title = v.as_string();
          return true;
        },
        [](const S& r, bj::object& o, EncodeContext& ctx) {
          std::string name = ctx.Session(r.id).name;
          if (!name.empty()) o["sessionName"] = name;
        }},
       EdOrgRef<S>("schoolReference", "schoolId", "orgId", &S::org_id),
       {"schoolYearTypeReference", {Path<S>("schoolYear")},
        [](S& r, const bj::value& v, const In&) {
          r.school_year = KeyText(At(v.if_object(), "schoolYear"));
          return !r.school_year.empty();
        },
        [](const S& r, bj::object& o, EncodeContext&) {
          bj::object ref;
          PutYear(ref, "schoolYear", r.school_year);
          if (!ref.empty()) o["schoolYearTypeReference"] = std::move(ref);
        }},
       Date<S>("beginDate", "startDate", &S::start_date),
       Date<S>("endDate", "endDate", &S::end_date),
       Descriptor<S>("termDescriptor", "type", &S::type, SessionTypeFromEdFiTerm,
                     SessionTypeToEdFiTerm),
       LastModified<S>()},
      {"sessionName", "schoolReference", "schoolYearTypeReference", "beginDate", "endDate",
       "termDescriptor", "totalInstructionalDays"},
      {},
      [](const bj::object& o) {
        return NaturalId(SessionKey{EdOrgValue(At(ObjectAt(o, "schoolReference"), "schoolId")),
                                    KeyText(At(ObjectAt(o, "schoolYearTypeReference"),
                                               "schoolYear")),
                                    KeyText(o.if_contains("sessionName"))});
      },
      [](S&) {}};
  return kSpec;
}

const ResourceSpec<Course>& Courses() {
  using C = Course;
  static const ResourceSpec<C> kSpec{
      "courses",
      {{"courseCode", {Path<C>("code")},
        [](C& r, const bj::value& v, const In&) {
          if (!v.is_string()) return false;
          r.code = v.as_string();
          return true;
        },
        [](const C& r, bj::object& o, EncodeContext& ctx) {
          std::string code = ctx.Course(r.id).code;
          if (!code.empty()) o["courseCode"] = code;
        }},
       Text<C>("courseTitle", "title", &C::title),
       EdOrgRef<C>("educationOrganizationReference", "educationOrganizationId", "orgId",
                   &C::org_id),
       {"identificationCodes", {Path<C>("scedCode")},
        [](C& r, const bj::value& v, const In& in) {
          const bj::array* a = v.if_array();
          if (a == nullptr) return false;
          for (const bj::value& x : *a) {
            const bj::value* sys = At(x.if_object(), "courseIdentificationSystemDescriptor");
            const bj::value* code = At(x.if_object(), "identificationCode");
            if (sys == nullptr || code == nullptr || !sys->is_string() || !code->is_string())
              return false;
            if (EdFiCodeValue(sys->as_string()) == "SCED course code")
              r.sced_code = code->as_string();
            else if (code->as_string() != r.code)  // the courseCode again: as written below
              in.Warn("identificationCodes", "course codes other than SCED are not translated");
          }
          return true;
        },
        // Ed-Fi requires at least one code: SCED when known, else the course
        // code (the local code) as the LEA's.
        [](const C& r, bj::object& o, EncodeContext& ctx) {
          std::string local = ctx.Course(r.id).code;
          if (r.sced_code.empty() && local.empty()) return;
          bool sced = !r.sced_code.empty();
          o["identificationCodes"] = bj::array{bj::object{
              {"courseIdentificationSystemDescriptor",
               EdFiStandardUri("CourseIdentificationSystemDescriptor",
                               sced ? "SCED course code" : "LEA course code")},
              {"identificationCode", sced ? r.sced_code : local}}};
        }},
       DescriptorList<C, GradeLevel>("offeredGradeLevels", "gradeLevelDescriptor", "gradeLevels",
                                     &C::grade_levels, GradeLevelFromEdFi, GradeLevelToEdFi),
       CodeList<C>("academicSubjects", "academicSubjectDescriptor", "AcademicSubjectDescriptor",
                   "subjects", &C::subjects),
       Num<C>("maximumAvailableCredits", "credits", &C::credits),
       LastModified<C>()},
      {"courseCode", "courseTitle", "numberOfParts", "identificationCodes",
       "educationOrganizationReference"},
      {},
      [](const bj::object& o) {
        return NaturalId(CourseKey{
            EdOrgValue(At(ObjectAt(o, "educationOrganizationReference"), "educationOrganizationId")),
            KeyText(o.if_contains("courseCode"))});
      },
      [](C&) {}};
  return kSpec;
}

const ResourceSpec<Section>& Sections() {
  using S = Section;
  static const ResourceSpec<S> kSpec{
      "sections",
      {{"sectionIdentifier", {Path<S>("code")},
        [](S& r, const bj::value& v, const In&) {
          if (!v.is_string()) return false;
          r.code = v.as_string();
          return true;
        },
        [](const S& r, bj::object& o, EncodeContext& ctx) {
          std::string id = ctx.Section(r.id).identifier;
          if (!id.empty()) o["sectionIdentifier"] = id;
        }},
       Text<S>("sectionName", "title", &S::title), CourseOfferingRef(), LocationRef(),
       ClassPeriods(),
       DescriptorList<S, GradeLevel>("offeredGradeLevels", "gradeLevelDescriptor", "gradeLevels",
                                     &S::grade_levels, GradeLevelFromEdFi, GradeLevelToEdFi),
       LastModified<S>()},
      {"sectionIdentifier", "courseOfferingReference"},
      {},
      [](const bj::object& o) {
        SectionKey k = SectionKeyOf(ObjectAt(o, "courseOfferingReference"));
        k.identifier = KeyText(o.if_contains("sectionIdentifier"));
        return NaturalId(k);
      },
      [](S&) {}};
  return kSpec;
}

const ResourceSpec<Student>& Students() {
  using P = Person;
  using D = Demographics;
  static const ResourceSpec<Student> kSpec{
      "students",
      {Key<Student>("studentUniqueId",
                    [](const Student& s, bj::object& o, EncodeContext&) {
                      o["studentUniqueId"] = s.person.id;
                    },
                    [](const Student& s, DirectElement& out, EncodeContext&) {
                      out.Key("studentUniqueId");
                      out.String(s.person.id);
                      return true;
                    }),
       Lift(&Student::person, Text<P>("firstName", "givenName", &P::given_name)),
       Lift(&Student::person, Text<P>("middleName", "middleName", &P::middle_name)),
       Lift(&Student::person, Text<P>("lastSurname", "familyName", &P::family_name)),
       Lift(&Student::person,
            Text<P>("preferredFirstName", "preferredGivenName", &P::preferred_given_name)),
       Lift(&Student::person,
            Text<P>("preferredLastSurname", "preferredFamilyName", &P::preferred_family_name)),
       Lift(&Student::person, LastModified<P>()),
       Lift(&Student::demographics, Date<D>("birthDate", "birthDate", &D::birth_date)),
       Lift(&Student::demographics, Text<D>("birthCity", "cityOfBirth", &D::city_of_birth)),
       Lift(&Student::demographics,
            CodeValue<D>("birthStateAbbreviationDescriptor", "stateOfBirthAbbreviation",
                         &D::state_of_birth, "StateAbbreviationDescriptor")),
       Lift(&Student::demographics, CodeValue<D>("birthCountryDescriptor", "countryOfBirthCode",
                                                 &D::country_of_birth, "CountryDescriptor")),
       // Sex is written with the association; birth sex is read when it is absent there.
       {"birthSexDescriptor", {},
        [](Student& s, const bj::value& v, const In&) {
          if (!v.is_string() || SexFromEdFi(v.as_string()) == Sex::kUnspecified) return false;
          s.demographics.sex = SexFromEdFi(v.as_string());
          return true;
        },
        [](const Student&, bj::object&, EncodeContext&) {},
        [](const Student&, DirectElement&, EncodeContext&) { return true; }}},
      {"studentUniqueId", "firstName", "lastSurname", "birthDate"},
      {"person.role"},
      [](const bj::object& o) { return KeyText(o.if_contains("studentUniqueId")); },
      [](Student& s) { s.person.role = Role::kStudent; },
      false,
      [](const Student& s, EncodeContext&) { return s.person.id; }};
  return kSpec;
}

const ResourceSpec<Student>& StudentEducationOrganizationAssociations() {
  using P = Person;
  using D = Demographics;
  static const ResourceSpec<Student> kSpec{
      "studentEducationOrganizationAssociations",
      {Key<Student>("studentReference",
                    [](const Student& s, bj::object& o, EncodeContext&) {
                      ObjectMember(o, "studentReference")["studentUniqueId"] = s.person.id;
                    },
                    [](const Student& s, DirectElement& out, EncodeContext&) {
                      out.Open("studentReference");
                      out.Key("studentUniqueId");
                      out.String(s.person.id);
                      out.Close();
                      return true;
                    }),
       Key<Student>("educationOrganizationReference",
                    [](const Student& s, bj::object& o, EncodeContext& ctx) {
                      if (int64_t org = ctx.StudentEdOrg(s.person.id))
                        ObjectMember(o, "educationOrganizationReference")
                            ["educationOrganizationId"] = org;
                    },
                    [](const Student& s, DirectElement& out, EncodeContext& ctx) {
                      if (int64_t org = ctx.StudentEdOrg(s.person.id)) {
                        out.Open("educationOrganizationReference");
                        out.Key("educationOrganizationId");
                        out.Int(org);
                        out.Close();
                      }
                      return true;
                    }),
       Lift(&Student::demographics, Descriptor<D>("sexDescriptor", "sex", &D::sex, SexFromEdFi,
                                                  SexToEdFi)),
       Lift(&Student::demographics,
            Bool<D>("hispanicLatinoEthnicity", "hispanicOrLatinoEthnicity",
                    &D::hispanic_or_latino_ethnicity)),
       Races(), ElectronicMails(), Telephones(),
       StudentIdentificationCodes("studentIdentificationCodes",
                                  "studentIdentificationSystemDescriptor"),
       Lift(&Student::person, Text<P>("loginId", "username", &P::username)),
       Lift(&Student::demographics, LastModified<D>())},
      {"studentReference", "educationOrganizationReference"},
      {},
      [](const bj::object& o) { return StudentOf(o, "studentReference"); },
      [](Student&) {},
      true,
      [](const Student& s, EncodeContext&) { return s.person.id; }};
  return kSpec;
}

const ResourceSpec<Enrollment>& StudentSchoolAssociations() {
  using E = Enrollment;
  static const ResourceSpec<E> kSpec{
      "studentSchoolAssociations",
      {StudentRef<E>("studentReference", "personId", &E::person_id),
       EdOrgRef<E>("schoolReference", "schoolId", "orgId", &E::org_id),
       Date<E>("entryDate", "beginDate", &E::begin_date),
       Date<E>("exitWithdrawDate", "endDate", &E::end_date),
       Descriptor<E>("entryGradeLevelDescriptor", "entryGradeLevel", &E::entry_grade_level,
                     GradeLevelFromEdFi, GradeLevelToEdFi),
       Bool<E>("primarySchool", "primary", &E::primary), LastModified<E>()},
      {"studentReference", "schoolReference", "entryDate", "entryGradeLevelDescriptor"},
      {"enrollment.kind", "enrollment.role"},
      [](const bj::object& o) {
        return Join({StudentOf(o, "studentReference"),
                     NaturalId(EdOrgValue(At(ObjectAt(o, "schoolReference"), "schoolId"))),
                     KeyText(o.if_contains("entryDate"))});
      },
      [](E& r) {
        r.kind = EnrollmentKind::kOrganization;
        r.role = Role::kStudent;
      },
      false,
      [](const E& r, EncodeContext& ctx) {
        int64_t school = r.org_id.empty() ? 0 : ctx.EdOrgId(r.org_id);
        return Join({r.person_id, NaturalId(EdOrgReadBack(school)), r.begin_date});
      }};
  return kSpec;
}

const ResourceSpec<Enrollment>& StudentSectionAssociations() {
  using E = Enrollment;
  static const ResourceSpec<E> kSpec{
      "studentSectionAssociations",
      {StudentRef<E>("studentReference", "personId", &E::person_id),
       {"sectionReference", {Path<E>("sectionId"), Path<E>("orgId")},
        [](E& r, const bj::value& v, const In& in) {
          const bj::object* ref = v.if_object();
          if (ref == nullptr) return false;
          std::string natural;
          AppendSectionNaturalId(natural, ref);
          r.section_id = in.ctx().CatalogId(natural);
          r.org_id = in.ctx().CatalogId(NaturalId(EdOrgValue(At(ref, "schoolId"))));
          return true;
        },
        [](const E& r, bj::object& o, EncodeContext& ctx) {
          if (r.section_id.empty()) return;
          SectionKey k = ctx.Section(r.section_id);
          bj::object& ref = ObjectMember(o, "sectionReference");
          PutOfferingKey(ref, k);
          if (!k.identifier.empty()) ref["sectionIdentifier"] = k.identifier;
        },
        // The same for every association of a section: made once by the
        // encoder for the section it is writing (2 k instructions an
        // association otherwise).
        [](const E& r, DirectElement& out, EncodeContext& ctx) {
          if (r.section_id.empty()) return r.org_id.empty();
          const SectionReference* ref = ctx.CurrentSectionReference(r.section_id);
          SectionReference other;
          if (ref == nullptr) {
            other = MakeSectionReference(ctx.Section(r.section_id),
                                         ctx.SectionReadBackId(r.section_id), out.reader());
            ref = &other;
          }
          out.Member("sectionReference", ref->text);
          return ref->section_id == r.section_id && ref->school_id == r.org_id;
        }},
       Date<E>("beginDate", "beginDate", &E::begin_date),
       Date<E>("endDate", "endDate", &E::end_date), LastModified<E>()},
      {"studentReference", "sectionReference", "beginDate"},
      {"enrollment.kind", "enrollment.role"},
      [](const bj::object& o) {
        std::string id = StudentOf(o, "studentReference");
        id += '/';
        AppendSectionNaturalId(id, ObjectAt(o, "sectionReference"));
        id += '/';
        AppendKeyText(id, o.if_contains("beginDate"));
        return id;
      },
      [](E& r) {
        r.kind = EnrollmentKind::kSection;
        r.role = Role::kStudent;
      },
      false,
      [](const E& r, EncodeContext& ctx) {
        std::string_view section =
            r.section_id.empty() ? "////" : std::string_view(ctx.SectionReadBackId(r.section_id));
        std::string id;
        id.reserve(r.person_id.size() + section.size() + r.begin_date.size() + 2);
        id += r.person_id;
        id += '/';
        id += section;
        id += '/';
        id += r.begin_date;
        return id;
      }};
  return kSpec;
}

SectionReference MakeSectionReference(const SectionKey& key, const std::string& read_back_id,
                                      const DecodeContext& reader) {
  json::JsonWriter text;
  DirectElement value(text, reader);
  PutOfferingKey(value, key);
  PutText(value, "sectionIdentifier", key.identifier);
  return {std::string(value.Finish()), reader.CatalogId(read_back_id),
          reader.CatalogId(NaturalId(EdOrgReadBack(key.session.school_id)))};
}

const ResourceSpec<CourseResult>& CourseTranscripts() {
  using C = CourseResult;
  static const ResourceSpec<C> kSpec{
      "courseTranscripts",
      {AcademicRecordRef(),
       {"courseReference", {Path<C>("courseId")},
        [](C& r, const bj::value& v, const In& in) {
          const bj::object* ref = v.if_object();
          if (ref == nullptr) return false;
          r.course_id = in.ctx().CatalogId(NaturalId(CourseKeyOf(ref)));
          return true;
        },
        [](const C& r, bj::object& o, EncodeContext& ctx) {
          if (!r.course_id.empty())
            PutCourseKey(ObjectMember(o, "courseReference"), ctx.Course(r.course_id));
        }},
       Num<C>("attemptedCredits", "creditsAttempted", &C::credits_attempted),
       Num<C>("earnedCredits", "creditsEarned", &C::credits_earned),
       Text<C>("finalLetterGradeEarned", "letterGrade", &C::letter_grade),
       Num<C>("finalNumericGradeEarned", "numericGrade", &C::numeric_grade),
       {"creditCategories", {Path<C>("creditType")},
        [](C& r, const bj::value& v, const In&) {
          const bj::array* a = v.if_array();
          const bj::value* d = a == nullptr || a->empty()
                                   ? nullptr
                                   : At((*a)[0].if_object(), "creditCategoryDescriptor");
          if (d == nullptr || !d->is_string()) return false;
          r.credit_type = EdFiCodeValue(d->as_string());
          return a->size() == 1;
        },
        [](const C& r, bj::object& o, EncodeContext&) {
          if (r.credit_type.empty()) return;
          o["creditCategories"] = bj::array(
              {bj::object({{"creditCategoryDescriptor",
                            EdFiDescriptorUri("CreditCategoryDescriptor", r.credit_type)}},
                          o.storage())},
              o.storage());
        }},
       EarnedAdditionalCredits(),
       EdOrgRef<C>("externalEducationOrganizationReference", "educationOrganizationId",
                   "dualCreditInstitutionId", &C::dual_credit_institution_id),
       CourseAttemptResult(), LastModified<C>()},
      {"courseAttemptResultDescriptor", "courseReference", "studentAcademicRecordReference"},
      {},
      [](const bj::object& o) {
        const bj::object* sar = ObjectAt(o, "studentAcademicRecordReference");
        return Join({KeyText(At(sar, "studentUniqueId")),
                     NaturalId(EdOrgValue(At(sar, "educationOrganizationId"))),
                     KeyText(At(sar, "schoolYear")),
                     std::string(EdFiCodeValue(KeyText(At(sar, "termDescriptor")))),
                     NaturalId(CourseKeyOf(ObjectAt(o, "courseReference")))});
      },
      [](C& r) { ForgetDerivedValues(r); }};
  return kSpec;
}

// ---- Generic decode and encode

namespace {

void SetId(RecordBase& r, const std::string& id) { r.id = id; }
void SetId(Student& s, const std::string& id) { s.person.id = s.demographics.id = id; }
Extensions& Unmapped(RecordBase& r, bool) { return r.extensions; }
Extensions& Unmapped(Student& s, bool to_demographics) {
  return to_demographics ? s.demographics.extensions : s.person.extensions;
}
const Extensions& EdFiExtensions(const RecordBase& r, bool) { return r.extensions; }
const Extensions& EdFiExtensions(const Student& s, bool to_demographics) {
  return to_demographics ? s.demographics.extensions : s.person.extensions;
}

// Ed-Fi extension projects other than pathbridge's are kept as edfi:_ext/<project>.
void KeepOtherExtensions(const bj::object& ext, Extensions& out) {
  for (const auto& kv : ext)
    if (kv.key() != kPathbridgeProject)
      out[std::string(kEdFiPrefix) + "_ext/" + std::string(kv.key())] = ExtensionText(kv.value());
}

// Members an API response carries that are not data.
bool IsApiBookkeeping(std::string_view name) {
  return name == "_ext" || name == "link" || name == "_etag";
}

}  // namespace

template <typename T>
T DecodeElement(const ResourceSpec<T>& spec, const bj::object& o, const In& in) {
  T rec;
  // Members mostly come in the order of the properties (ours write them
  // so): the search starts after the last one found. Property names are
  // unique within a spec (EdFiJson.PropertyNamesAreUniqueInEachResource).
  const size_t n = spec.properties.size();
  size_t next = 0;
  for (const auto& kv : o) {
    std::string_view name = kv.key();
    if (name == "_ext" && kv.value().is_object()) KeepOtherExtensions(kv.value().as_object(),
                                                                     Unmapped(rec, spec.unmapped_to_demographics));
    if (IsApiBookkeeping(name)) continue;
    const Property<T>* prop = nullptr;
    for (size_t k = 0; k < n && prop == nullptr; ++k) {
      size_t i = next + k < n ? next + k : next + k - n;
      if (spec.properties[i].name != name) continue;
      prop = &spec.properties[i];
      next = i + 1 == n ? 0 : i + 1;
    }
    if (prop != nullptr && prop->read(rec, kv.value(), in)) continue;
    if (prop != nullptr) in.Warn(name, "value not understood; kept as an extension");
    Unmapped(rec, spec.unmapped_to_demographics)[std::string(kEdFiPrefix) + std::string(name)] =
        ExtensionText(kv.value());
  }
  for (std::string_view req : spec.required)
    if (!o.contains(req)) in.Warn(req, "member required by Ed-Fi is missing");
  SetId(rec, spec.natural_id(o));
  spec.complete(rec);
  return rec;
}

template <typename T>
bj::object EncodeElement(const ResourceSpec<T>& spec, const T& r, EncodeContext& ctx,
                         bj::storage_ptr sp) {
  bj::object o(std::move(sp));
  o.reserve(spec.properties.size() + 1);  // one member a property, and _ext: no rehash
  // edfi: extensions first: they are what the source had where the model
  // has no slot; the properties then write what the model has.
  for (const auto& [key, value] : EdFiExtensions(r, spec.unmapped_to_demographics)) {
    if (!key.starts_with(kEdFiPrefix)) continue;
    std::string_view member = std::string_view(key).substr(kEdFiPrefix.size());
    size_t slash = member.find('/');
    if (slash == std::string_view::npos) {
      o[member] = ExtensionValue(value);
    } else {
      ObjectMember(o, member.substr(0, slash))[member.substr(slash + 1)] = ExtensionValue(value);
    }
  }
  for (const auto& p : spec.properties) p.write(r, o, ctx);
  return o;
}

template <typename T>
std::optional<std::string> EncodeDirect(const ResourceSpec<T>& spec, const T& r,
                                        EncodeContext& ctx, DirectElement& out) {
  if (!spec.record_natural_id || spec.properties.size() > DirectElement::kMaxMembers)
    return std::nullopt;
  for (const auto& [key, value] : EdFiExtensions(r, spec.unmapped_to_demographics))
    if (key.starts_with(kEdFiPrefix)) return std::nullopt;  // written as members first
  for (const auto& p : spec.properties)
    if (!p.emit || !p.emit(r, out, ctx)) return std::nullopt;
  return spec.record_natural_id(r, ctx);
}

template <typename T>
bool SpecCarries(const ResourceSpec<T>& spec, std::string_view path) {
  for (const auto& p : spec.properties)
    for (const std::string& f : p.fields)
      if (f == path) return true;
  return false;
}

template Organization DecodeElement(const ResourceSpec<Organization>&, const bj::object&,
                                    const In&);
template AcademicSession DecodeElement(const ResourceSpec<AcademicSession>&, const bj::object&,
                                       const In&);
template Course DecodeElement(const ResourceSpec<Course>&, const bj::object&, const In&);
template Section DecodeElement(const ResourceSpec<Section>&, const bj::object&, const In&);
template Student DecodeElement(const ResourceSpec<Student>&, const bj::object&, const In&);
template Enrollment DecodeElement(const ResourceSpec<Enrollment>&, const bj::object&, const In&);
template CourseResult DecodeElement(const ResourceSpec<CourseResult>&, const bj::object&,
                                    const In&);
template bj::object EncodeElement(const ResourceSpec<Organization>&, const Organization&,
                                  EncodeContext&, bj::storage_ptr);
template bj::object EncodeElement(const ResourceSpec<AcademicSession>&, const AcademicSession&,
                                  EncodeContext&, bj::storage_ptr);
template bj::object EncodeElement(const ResourceSpec<Course>&, const Course&,
                                  EncodeContext&, bj::storage_ptr);
template bj::object EncodeElement(const ResourceSpec<Section>&, const Section&,
                                  EncodeContext&, bj::storage_ptr);
template bj::object EncodeElement(const ResourceSpec<Student>&, const Student&,
                                  EncodeContext&, bj::storage_ptr);
template bj::object EncodeElement(const ResourceSpec<Enrollment>&, const Enrollment&,
                                  EncodeContext&, bj::storage_ptr);
#define PB_DIRECT_INSTANTIATE(T)                                                             \
  template std::optional<std::string> EncodeDirect(const ResourceSpec<T>&, const T&,         \
                                                   EncodeContext&, DirectElement&);          \
  template bool SpecCarries(const ResourceSpec<T>&, std::string_view);
PB_DIRECT_INSTANTIATE(Organization)
PB_DIRECT_INSTANTIATE(AcademicSession)
PB_DIRECT_INSTANTIATE(Course)
PB_DIRECT_INSTANTIATE(Section)
PB_DIRECT_INSTANTIATE(Enrollment)
PB_DIRECT_INSTANTIATE(CourseResult)
PB_DIRECT_INSTANTIATE(Student)
#undef PB_DIRECT_INSTANTIATE
template bj::object EncodeElement(const ResourceSpec<CourseResult>&, const CourseResult&,
                                  EncodeContext&, bj::storage_ptr);

std::vector<Record> ToRecords(Organization r) { return {std::move(r)}; }
std::vector<Record> ToRecords(AcademicSession r) { return {std::move(r)}; }
std::vector<Record> ToRecords(Course r) { return {std::move(r)}; }
std::vector<Record> ToRecords(Section r) { return {std::move(r)}; }
std::vector<Record> ToRecords(Enrollment r) { return {std::move(r)}; }
std::vector<Record> ToRecords(CourseResult r) { return {std::move(r)}; }
std::vector<Record> ToRecords(Student s) {
  std::vector<Record> out;
  // A students element written only to carry birth data has no person values.
  Person bare;
  bare.id = s.person.id;
  bare.role = s.person.role;
  if (!(s.person == bare)) out.push_back(std::move(s.person));
  if (PresentFieldPaths(s.demographics).size() > 1) out.push_back(std::move(s.demographics));
  return out;
}

// ---- Capabilities

namespace {
template <typename T>
void AddSpec(const ResourceSpec<T>& spec, Capabilities& caps) {
  for (const auto& p : spec.properties)
    for (const std::string& f : p.fields) caps.Add(f);
  for (std::string_view f : spec.implied) caps.Add(f);
}
}  // namespace

const Capabilities& EdFiCapabilities() {
  static const Capabilities kCaps = [] {
    Capabilities c;
    for (OrgKind k : {OrgKind::kSchool, OrgKind::kDistrict, OrgKind::kState, OrgKind::kCollege,
                      OrgKind::kDepartment})
      AddSpec(*OrganizationResource(k), c);
    AddSpec(Sessions(), c);
    AddSpec(Courses(), c);
    AddSpec(Sections(), c);
    AddSpec(Students(), c);
    AddSpec(StudentEducationOrganizationAssociations(), c);
    AddSpec(StudentSchoolAssociations(), c);
    AddSpec(StudentSectionAssociations(), c);
    AddSpec(CourseTranscripts(), c);
    for (std::string_view f : {"kind", "personId", "title", "description", "issuerOrgId",
                               "awardDate"})
      c.Add("achievementAward." + std::string(f));
    // Every record keeps its id and its extensions (natively or in the
    // pathbridge extension).
    for (const auto& [type, paths] : std::map(c.by_type())) {
      c.Add(type + ".id");
      c.Add(type + ".extensions");
    }
    return c;
  }();
  return kCaps;
}

// ---- Course offerings

std::string OfferingNaturalId(const bj::object& o) {
  SectionKey k;
  k.session = SessionKeyOf(ObjectAt(o, "sessionReference"));
  if (k.session.school_id == 0)
    k.session.school_id = EdOrgValue(At(ObjectAt(o, "schoolReference"), "schoolId"));
  k.local_course_code = KeyText(o.if_contains("localCourseCode"));
  return OfferingNaturalId(k);
}

DecodeContext::Offering DecodeOffering(const bj::object& o, const In& in) {
  DecodeContext::Offering out;
  const bj::object* course = ObjectAt(o, "courseReference");
  if (course == nullptr) in.Warn("courseReference", "member required by Ed-Fi is missing");
  else out.course_id = in.ctx().CatalogId(NaturalId(CourseKeyOf(course)));
  out.session_id = in.ctx().CatalogId(NaturalId(SessionKeyOf(ObjectAt(o, "sessionReference"))));
  return out;
}

bj::object EncodeOffering(const SectionKey& key, const Section& s, EncodeContext& ctx) {
  bj::object o;
  o["localCourseCode"] = key.local_course_code;
  if (!s.course_id.empty()) PutCourseKey(ObjectMember(o, "courseReference"), ctx.Course(s.course_id));
  if (key.session.school_id != 0) o["schoolReference"] = {{"schoolId", key.session.school_id}};
  PutSessionKey(ObjectMember(o, "sessionReference"), key.session);
  return o;
}

// ---- Student academic records

std::vector<AchievementAward> DecodeAcademicRecord(const bj::object& o, const In& in) {
  std::string student = StudentOf(o, "studentReference");
  int64_t edorg = EdOrgValue(At(ObjectAt(o, "educationOrganizationReference"),
                                "educationOrganizationId"));
  std::string year = KeyText(At(ObjectAt(o, "schoolYearTypeReference"), "schoolYear"));
  std::string term = KeyText(o.if_contains("termDescriptor"));
  std::string base = Join({student, NaturalId(edorg), year, std::string(EdFiCodeValue(term))});
  std::vector<AchievementAward> out;
  for (const AwardCollection* c : {&kDiplomas, &kRecognitions, &kHonors}) {
    const bj::value* v = o.if_contains(c->name);
    if (v == nullptr) continue;
    if (!v->is_array()) {
      in.Warn(c->name, "not an array; ignored");
      continue;
    }
    const bj::array& items = v->as_array();
    for (size_t i = 0; i < items.size(); ++i) {
      const bj::object* item = items[i].if_object();
      if (item == nullptr) continue;
      AchievementAward a;
      a.id = base + "/" + std::string(c->name) + "/" + std::to_string(i);
      a.person_id = student;
      a.issuer_org_id = in.ctx().CatalogId(NaturalId(edorg));
      if (!year.empty()) a.extensions["edfi:schoolYear"] = year;
      if (!term.empty()) a.extensions["edfi:termDescriptor"] = term;
      for (const auto& kv : *item) {
        std::string_view name = kv.key();
        const bj::value& x = kv.value();
        if (name == "achievementTitle" && x.is_string()) a.title = x.as_string();
        else if (name == c->description && x.is_string()) a.description = x.as_string();
        else if (name == c->date && x.is_string() && IsIsoDate(x.as_string()))
          a.award_date = x.as_string();
        else if (name != "_ext") a.extensions["edfi:" + std::string(name)] = ExtensionText(x);
      }
      const bj::value* type = item->if_contains(c == &kDiplomas ? "diplomaTypeDescriptor"
                                                                : "achievementCategoryDescriptor");
      std::string_view t = type != nullptr && type->is_string() ? std::string_view(type->as_string())
                                                                 : std::string_view();
      a.kind = c == &kDiplomas ? DiplomaKind(t) : c == &kHonors ? AwardKind::kOther
                                                                : AwardKindFromAchievementCategory(t);
      ForgetDerivedValues(a, c == &kDiplomas);
      std::string at = "/" + std::string(c->name) + "/" + std::to_string(i);
      a.source.pointer = in.pointer() + at;
      std::vector<Record> one{std::move(a)};
      for (const std::string& path : ApplyPathbridgeFields(*item, one)) {
        std::string member = at.substr(1) + "/_ext/pathbridge/fields";
        json::AppendPointerToken(member, path);
        in.Warn(member, "pathbridge extension field not applied");
      }
      out.push_back(std::get<AchievementAward>(std::move(one[0])));
    }
  }
  return out;
}

std::string AcademicRecordNaturalId(const AchievementAward& a, EncodeContext& ctx) {
  auto ext = [&](const char* k) {
    auto it = a.extensions.find(k);
    return it == a.extensions.end() ? std::string() : it->second;
  };
  return Join({a.person_id, NaturalId(ctx.EdOrgId(a.issuer_org_id)), ext("edfi:schoolYear"),
               std::string(EdFiCodeValue(ext("edfi:termDescriptor")))});
}

bj::object StartAcademicRecord(const AchievementAward& a, EncodeContext& ctx) {
  bj::object o;
  if (!a.person_id.empty()) o["studentReference"] = {{"studentUniqueId", a.person_id}};
  if (int64_t org = ctx.EdOrgId(a.issuer_org_id))
    o["educationOrganizationReference"] = {{"educationOrganizationId", org}};
  auto year = a.extensions.find("edfi:schoolYear");
  if (year != a.extensions.end()) PutYear(ObjectMember(o, "schoolYearTypeReference"), "schoolYear",
                                          year->second);
  auto term = a.extensions.find("edfi:termDescriptor");
  if (term != a.extensions.end()) o["termDescriptor"] = term->second;
  return o;
}

bool IsDiploma(const AchievementAward& a) {
  if (a.extensions.count("edfi:diplomaTypeDescriptor")) return true;
  if (a.extensions.count("edfi:recognitionTypeDescriptor")) return false;
  return a.kind == AwardKind::kDiploma || a.kind == AwardKind::kIndustryCertification;
}

std::string_view EncodeAward(const AchievementAward& a, bj::object& record, EncodeContext&) {
  bool diploma = IsDiploma(a);
  const AwardCollection& c = diploma ? kDiplomas : kRecognitions;
  bj::object item;
  for (const auto& [key, value] : a.extensions)
    if (key.starts_with(kEdFiPrefix) && key != "edfi:schoolYear" && key != "edfi:termDescriptor")
      item[std::string_view(key).substr(kEdFiPrefix.size())] = ExtensionValue(value);
  if (!a.title.empty()) item["achievementTitle"] = a.title;
  if (!a.description.empty()) item[c.description] = a.description;
  if (!a.award_date.empty()) item[c.date] = a.award_date;
  for (const auto& [member, value] : DerivedDescriptors(a.kind, diploma))
    if (!value.empty() && !item.contains(member)) item[member] = value;
  bj::value& list = record[c.name];
  if (!list.is_array()) list = bj::array();
  list.as_array().push_back(std::move(item));
  return c.name;
}

}  // namespace pathbridge::adapters::edfi_json
