#include "adapters/oneroster_json/bindings.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <memory>
#include <optional>
#include <set>

#include <boost/json/serialize.hpp>

#include "adapters/oneroster_csv/columns.h"
#include "standards/json.h"

namespace pathbridge::adapters::oneroster_json {
namespace {

namespace bj = boost::json;
using namespace canonical;
using oneroster_csv::Column;
using oneroster_csv::FileSpec;

enum class Shape {
  kText,     // a string
  kBool,     // "true" | "false" (1.2 TrueFalseEnum); JSON booleans read too
  kNumber,   // a JSON number
  kRef,      // a GUIDRef
  kRefList,  // an array of GUIDRefs
  kList,     // an array of strings
  kGrades,   // an array of grade codes (a comma-separated string read too)
  kUserIds,  // users' [{"type","identifier"}]
};

// What a GUIDRef points at: its "type" and the collection its href names.
struct RefKind {
  std::string_view type, path;
};
constexpr RefKind kOrg{"org", "orgs"}, kSession{"academicSession", "academicSessions"},
    kCourse{"course", "courses"}, kClass{"class", "classes"}, kUser{"user", "users"},
    kCategory{"category", "categories"}, kLineItem{"lineItem", "lineItems"};

// How a CSV column is bound in JSON when not simply a string member of the
// same name.
struct Override {
  std::string_view header;  // the CSV column
  std::string_view name;    // the JSON member
  Shape shape;
  RefKind ref{};
  std::vector<std::string_view> aliases{};  // Ed-Fi or 1.1 names read too
};

template <typename T>
struct Member {
  std::string_view name;
  std::vector<std::string_view> aliases;
  Shape shape;
  RefKind ref;
  const Column<T>* column;
};

std::string NumberText(const bj::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
  return std::string(buf, r.ptr);
}

// A JSON value as extension text: strings as they are, numbers and literals
// as written, objects and arrays as compact JSON.
std::string ExtensionText(const bj::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_number()) return NumberText(v);
  return bj::serialize(v);
}

// The inverse of ExtensionText: compact JSON objects and arrays become JSON
// again; everything else stays a string (a code "02134" must not become a number).
bj::value ExtensionValue(const std::string& text) {
  if (!text.empty() && (text[0] == '{' || text[0] == '[')) {
    auto parsed = json::Parse(text);
    if (parsed.ok() && bj::serialize(*parsed) == text) return std::move(*parsed);
  }
  return bj::value(text);
}

std::string Escape(std::string_view token) {
  std::string out;
  json::AppendPointerToken(out, token);
  return out;
}

// Percent-encodes a sourcedId for an href path segment (RFC 3986 unreserved kept).
std::string PathSegment(std::string_view id) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : id) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bj::object GuidRef(const std::string& id, RefKind kind) {
  return {{"href", "/" + std::string(kind.path) + "/" + PathSegment(id)},
          {"sourcedId", id},
          {"type", kind.type}};
}

bool IsScalar(const bj::value& v) { return !v.is_object() && !v.is_array(); }

// A string, number or boolean as text (null does not get here).
std::string ScalarText(const bj::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  return NumberText(v);
}

// The sourcedId of a GUIDRef (a bare string or number is read too, with a
// warning).
std::optional<std::string> RefId(const bj::value& v, const std::string& at, const FieldWarnFn& warn) {
  if (IsScalar(v)) {
    warn("reference is not a GUIDRef object; read as its sourcedId", at);
    return ScalarText(v);
  }
  const bj::value* id = v.is_object() ? v.get_object().if_contains("sourcedId") : nullptr;
  if (id != nullptr && id->is_string()) return std::string(id->get_string());
  return std::nullopt;
}

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

bool IsPrimaryRole(const bj::object& entry) {
  const bj::value* t = entry.if_contains("roleType");
  return t != nullptr && t->is_string() && t->get_string() == "primary";
}

template <typename T>
class Binding : public Collection {
 public:
  Binding(std::string_view single, const FileSpec<T>& spec, std::vector<Override> overrides,
          std::vector<std::string_view> ignored, std::function<void(T&)> complete,
          std::function<bool(const T&)> holds)
      : single_(single), spec_(spec), ignored_(std::move(ignored)),
        complete_(std::move(complete)), holds_(std::move(holds)) {
    for (const Column<T>& c : spec.columns) {
      if (!c.read) {  // passwords
        dropped_.push_back(c.header);
        continue;
      }
      Member<T> m{c.header, {}, Shape::kText, {}, &c};
      for (const Override& o : overrides)
        if (o.header == c.header) m = {o.name, o.aliases, o.shape, o.ref, &c};
      members_.push_back(std::move(m));
    }
    // Names an extension may not be written under: they would be read back
    // as something else.
    for (const Member<T>& m : members_) {
      for (std::string_view n : Names(m)) reserved_.insert(std::string(n));
      headers_.insert(std::string(m.column->header));
    }
    for (const auto* names : {&dropped_, &ignored_})
      for (std::string_view n : *names) reserved_.insert(std::string(n));
    reserved_.insert("metadata");
    if constexpr (std::is_same_v<T, Person>) reserved_.insert("roles");
  }

  std::string_view name() const override { return spec_.name; }
  std::string_view single() const override { return single_; }

  Status Decode(const bj::object& object, Record* out, const FieldWarnFn& warn) const override {
    T rec;
    const bj::value* roles = nullptr;
    std::set<const Member<T>*> seen;  // aliases name the same member
    for (const auto& [key, value] : object) {
      std::string at = Escape(key);
      if (value.is_null()) continue;
      if (key == "metadata") {
        PB_RETURN_IF_ERROR(ReadMetadata(rec, value, at));
      } else if (const Member<T>* m = Find(key)) {
        if (!seen.insert(m).second) warn("another name for \"" + std::string(m->name) + "\", which is given too; ignored", at);
        else ReadMember(rec, *m, value, at, warn);
      } else if (std::is_same_v<T, Person> && key == "roles") {
        if (!value.is_array()) return InvalidArgument("roles must be an array", at);
        roles = &value;
      } else if (Contains(dropped_, key)) {
        warn("passwords are never carried; member dropped", at);
      } else if (!Contains(ignored_, key)) {
        warn("not a OneRoster 1.2 member; kept as an extension", at);
        rec.extensions[std::string(key)] = ExtensionText(value);
      }
    }
    if constexpr (std::is_same_v<T, Person>)
      if (roles != nullptr) ReadRoles(rec, *roles, warn);
    for (std::string_view header : spec_.required) {
      const Member<T>* m = FindByHeader(header);
      bool present = false;
      for (std::string_view n : Names(*m)) {
        const bj::value* v = object.if_contains(n);
        present = present || (v != nullptr && !v->is_null());
      }
      // A warning, not an error: the record is still usable, and the
      // encoder leaves out empty members (as the CSV writer leaves cells empty).
      if (!present) warn("required member \"" + std::string(m->name) + "\" is missing or null", "");
    }
    if (rec.id.empty()) return InvalidArgument("empty sourcedId", "/sourcedId");
    if (complete_) complete_(rec);
    *out = std::move(rec);
    return Status::Ok();
  }

  bool Holds(const Record& record) const override {
    const T* r = std::get_if<T>(&record);
    return r != nullptr && (!holds_ || holds_(*r));
  }

  bj::object Encode(const Record& record, const FieldWarnFn& warn) const override {
    const T& r = std::get<T>(record);
    bj::object out;
    for (const Member<T>& m : members_) WriteMember(r, m, out);
    if constexpr (std::is_same_v<T, Person>) WriteRoles(r, out);
    bj::object metadata;
    for (const auto& [name, value] : r.extensions) {
      if (name.starts_with("metadata.")) {
        metadata[name.substr(9)] = ExtensionValue(value);
      } else if (headers_.count(name) || (std::is_same_v<T, Person> && name == "roles")) {
        continue;  // a value kept verbatim, written in its member
      } else if (reserved_.count(name)) {
        warn("extension \"" + name + "\" has the name of a OneRoster member; not written", "");
      } else {
        out[name] = ExtensionValue(value);
      }
    }
    if (!metadata.empty()) out["metadata"] = std::move(metadata);
    return out;
  }

  void AddCapabilities(Capabilities& reads, Capabilities& writes) const override {
    std::string type(T::kType);
    for (Capabilities* c : {&reads, &writes}) {
      c->Add(type + ".extensions");
      if constexpr (std::is_same_v<T, Person>)
        for (const char* f : {".role", ".orgIds", ".primaryOrgId"}) c->Add(type + f);
      if constexpr (std::is_same_v<T, Enrollment>) c->Add(type + ".kind");
    }
    for (const Member<T>& m : members_) {
      if (m.column->field.empty()) continue;
      std::string path = type + "." + std::string(m.column->field);
      reads.Add(path);
      if (!m.column->read_only) writes.Add(path);
    }
  }

 private:
  static bool Contains(const std::vector<std::string_view>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  }
  static std::vector<std::string_view> Names(const Member<T>& m) {
    std::vector<std::string_view> n{m.name};
    n.insert(n.end(), m.aliases.begin(), m.aliases.end());
    return n;
  }
  const Member<T>* Find(std::string_view key) const {
    for (const Member<T>& m : members_)
      if (Contains(Names(m), key)) return &m;
    return nullptr;
  }
  const Member<T>* FindByHeader(std::string_view header) const {
    for (const Member<T>& m : members_)
      if (m.column->header == header) return &m;
    return nullptr;
  }

  // Keeps a value the member cannot take, under the CSV column's name (so
  // that either format's writer puts it back in that member or column).
  static void Keep(T& r, const Member<T>& m, const bj::value& v, const std::string& at,
                   const FieldWarnFn& warn, std::string_view what) {
    warn("value is not " + std::string(what) + "; kept as an extension", at);
    r.extensions[std::string(m.column->header)] = ExtensionText(v);
  }

  static void ReadText(T& r, const Member<T>& m, const std::string& text, const std::string& at,
                       const FieldWarnFn& warn) {
    if (text.empty()) return;
    m.column->read(r, text, [&](std::string msg) { warn(std::move(msg), at); });
  }

  static void ReadMember(T& r, const Member<T>& m, const bj::value& v, const std::string& at,
                         const FieldWarnFn& warn) {
    switch (m.shape) {
      case Shape::kText:
      case Shape::kBool:
      case Shape::kNumber:
        if (!IsScalar(v)) return Keep(r, m, v, at, warn, m.shape == Shape::kNumber ? "a number" : "a string");
        if (m.shape == Shape::kNumber && !v.is_number()) warn("not a JSON number", at);
        if (m.shape == Shape::kText && !v.is_string()) warn("not a JSON string", at);
        if (m.shape == Shape::kBool && v.is_number()) warn("a number where true or false is expected", at);
        return ReadText(r, m, ScalarText(v), at, warn);
      case Shape::kRef:
        if (auto id = RefId(v, at, warn)) return ReadText(r, m, *id, at, warn);
        return Keep(r, m, v, at, warn, "a GUIDRef");
      case Shape::kRefList:
      case Shape::kList:
      case Shape::kGrades:
        return ReadList(r, m, v, at, warn);
      case Shape::kUserIds:
        if constexpr (std::is_same_v<T, Person>) return ReadUserIds(r, m, v, at, warn);
        return;
    }
  }

  // Arrays; a comma-separated string (Ed-Fi's "grade", 1.1 lists) is read
  // as the CSV column reads it.
  static void ReadList(T& r, const Member<T>& m, const bj::value& v, const std::string& at,
                       const FieldWarnFn& warn) {
    if (IsScalar(v)) {
      if (!v.is_string()) warn("not an array or a string", at);
      return ReadText(r, m, ScalarText(v), at, warn);
    }
    if (!v.is_array()) return Keep(r, m, v, at, warn, "an array");
    std::vector<std::string> items;
    const bj::array& a = v.get_array();
    for (size_t i = 0; i < a.size(); ++i) {
      std::string item_at = at + "/" + std::to_string(i);
      if (m.shape == Shape::kRefList) {
        auto id = RefId(a[i], item_at, warn);
        if (!id) return Keep(r, m, v, item_at, warn, "an array of GUIDRefs");
        items.push_back(*id);
      } else if (a[i].is_string()) {
        items.emplace_back(a[i].get_string());
      } else {
        return Keep(r, m, v, item_at, warn, "an array of strings");
      }
    }
    if (m.column->list != nullptr) {
      r.*(m.column->list) = std::move(items);
    } else {  // grades: codes without commas, checked by the column
      std::string joined;
      for (const auto& i : items) joined += (joined.empty() ? "" : ",") + i;
      ReadText(r, m, joined, at, warn);
    }
  }

  static void ReadUserIds(Person& r, const Member<T>& m, const bj::value& v, const std::string& at,
                          const FieldWarnFn& warn) {
    if (!v.is_array()) return Keep(r, m, v, at, warn, "an array");
    for (size_t i = 0; i < v.get_array().size(); ++i) {
      const bj::value& e = v.get_array()[i];
      std::string item_at = at + "/" + std::to_string(i);
      const bj::value* type = e.is_object() ? e.get_object().if_contains("type") : nullptr;
      const bj::value* id = e.is_object() ? e.get_object().if_contains("identifier") : nullptr;
      if (e.is_string()) {  // "{LDAP:12}", as in CSV
        ReadText(r, m, std::string(e.get_string()), item_at, warn);
      } else if (type != nullptr && type->is_string() && id != nullptr && id->is_string()) {
        r.identifiers.push_back({std::string(type->get_string()), std::string(id->get_string())});
      } else {
        warn("userIds entry is not {\"type\",\"identifier\"}; skipped", item_at);
      }
    }
  }

  // users[].roles -> the person's primary role, orgs and primary org.
  static void ReadRoles(Person& r, const bj::value& v, const FieldWarnFn& warn) {
    r.org_ids.clear();
    std::string primary_org;
    for (size_t i = 0; i < v.get_array().size(); ++i) {
      const bj::value& e = v.get_array()[i];
      std::string at = "/roles/" + std::to_string(i);
      const bj::value* org = e.is_object() ? e.get_object().if_contains("org") : nullptr;
      auto org_id = org != nullptr ? RefId(*org, at + "/org", warn) : std::nullopt;
      if (!org_id) {
        warn("role without an org GUIDRef; kept as an extension", at);
        continue;
      }
      r.org_ids.push_back(*org_id);
      const bj::value* role = e.get_object().if_contains("role");
      bool primary = IsPrimaryRole(e.get_object());
      if (primary && primary_org.empty()) primary_org = *org_id;
      if (role != nullptr && role->is_string() && (primary || r.role == Role::kUnspecified)) {
        Role parsed = RoleFromOneRoster(role->get_string());
        if (parsed == Role::kUnspecified) warn("unknown role; roles kept as an extension", at + "/role");
        else r.role = parsed;
      }
    }
    if (r.primary_org_id.empty()) r.primary_org_id = primary_org;
    // Per-organization detail the person record has no slot for (a role
    // that differs by org, dates, profiles) is kept verbatim.
    if (bj::value(SynthesizeRoles(r)) != Comparable(v)) r.extensions["roles"] = ExtensionText(v);
  }

  // The roles array as the person's fields give it.
  static bj::array SynthesizeRoles(const Person& r) {
    bj::array out;
    for (const std::string& org : r.org_ids) {
      bj::object e{{"roleType", org == r.primary_org_id ? "primary" : "secondary"}};
      if (r.role != Role::kUnspecified) e["role"] = RoleToOneRoster(r.role);
      e["org"] = GuidRef(org, kOrg);
      out.push_back(std::move(e));
    }
    return out;
  }

  // An input roles array with the org GUIDRefs' href and type normalized, for
  // comparing with SynthesizeRoles (hrefs may be absolute URLs).
  static bj::value Comparable(const bj::value& roles) {
    bj::value out = roles;
    for (bj::value& e : out.get_array()) {
      bj::value* org = e.is_object() ? e.get_object().if_contains("org") : nullptr;
      if (org == nullptr || !org->is_object()) continue;
      const bj::object& ref = org->get_object();
      const bj::value* id = ref.if_contains("sourcedId");
      bool plain = std::all_of(ref.begin(), ref.end(), [](const auto& kv) {
        return kv.key() == "href" || kv.key() == "sourcedId" || kv.key() == "type";
      });
      if (id != nullptr && id->is_string() && plain) *org = GuidRef(std::string(id->get_string()), kOrg);
    }
    return out;
  }

  static void WriteRoles(const Person& r, bj::object& out) {
    auto kept = r.extensions.find("roles");
    bj::array roles = SynthesizeRoles(r);
    if (kept != r.extensions.end()) out["roles"] = ExtensionValue(kept->second);
    else if (!roles.empty()) out["roles"] = std::move(roles);
    // Also 1.1's (and Ed-Fi's) user "role": it carries the role when there
    // is no organization for a roles entry, or the kept roles disagree.
    if (r.role != Role::kUnspecified && !out.contains("role")) out["role"] = RoleToOneRoster(r.role);
  }

  static Status ReadMetadata(T& r, const bj::value& v, const std::string& at) {
    if (!v.is_object()) return InvalidArgument("metadata must be an object", at);
    for (const auto& [k, value] : v.get_object())
      if (!value.is_null()) r.extensions["metadata." + std::string(k)] = ExtensionText(value);
    return Status::Ok();
  }

  // A member from its field, or from the value kept verbatim when the field
  // could not take it; read-only (1.1) members only from the latter.
  static void WriteMember(const T& r, const Member<T>& m, bj::object& out) {
    std::string name(m.name);
    std::string text = m.column->read_only ? "" : m.column->write(r);
    // (A list of one empty item writes as an empty cell, but is not absent.)
    bool absent = m.column->read_only ||
                  (m.column->list != nullptr ? (r.*(m.column->list)).empty() : text.empty());
    auto kept = r.extensions.find(std::string(m.column->header));
    if (absent && kept != r.extensions.end()) {
      bj::value v = ExtensionValue(kept->second);
      out[name] = m.shape == Shape::kGrades && v.is_string() ? Strings(Split(kept->second)) : v;
      return;
    }
    if (absent) return;
    switch (m.shape) {
      case Shape::kText:
      case Shape::kBool:
        out[name] = text;
        return;
      case Shape::kNumber:
        out[name] = Number(text);
        return;
      case Shape::kRef:
        out[name] = GuidRef(text, m.ref);
        return;
      case Shape::kGrades:
        out[name] = Strings(Split(text));
        return;
      case Shape::kList:
        out[name] = Strings(r.*(m.column->list));
        return;
      case Shape::kRefList: {
        bj::array a;
        for (const std::string& id : r.*(m.column->list)) a.push_back(GuidRef(id, m.ref));
        out[name] = std::move(a);
        return;
      }
      case Shape::kUserIds:
        if constexpr (std::is_same_v<T, Person>) {
          bj::array a;
          for (const Identifier& id : r.identifiers)
            if (oneroster_csv::CarriedInUserIds(id))
              a.push_back(bj::object{{"type", id.system}, {"identifier", id.value}});
          if (!a.empty()) out[name] = std::move(a);
        }
        return;
    }
  }

  static bj::array Strings(const std::vector<std::string>& items) {
    bj::array a;
    for (const std::string& i : items) a.push_back(bj::value(i));
    return a;
  }

  // The CSV writer's number text as a JSON number (integers without "E0").
  static bj::value Number(const std::string& text) {
    double d = 0;
    std::from_chars(text.data(), text.data() + text.size(), d);
    if (std::trunc(d) == d && std::fabs(d) < 9007199254740992.0) return static_cast<int64_t>(d);
    return d;
  }

  std::string_view single_;
  const FileSpec<T>& spec_;
  std::vector<std::string_view> ignored_;
  std::function<void(T&)> complete_;
  std::function<bool(const T&)> holds_;
  std::vector<Member<T>> members_;
  std::vector<std::string_view> dropped_;
  std::set<std::string> reserved_, headers_;
};

template <typename T>
std::unique_ptr<Collection> Bind(std::string_view single, const FileSpec<T>& spec,
                                 std::vector<Override> overrides,
                                 std::vector<std::string_view> ignored = {},
                                 std::function<void(T&)> complete = nullptr,
                                 std::function<bool(const T&)> holds = nullptr) {
  return std::make_unique<Binding<T>>(single, spec, std::move(overrides), std::move(ignored),
                                      std::move(complete), std::move(holds));
}

std::vector<std::unique_ptr<Collection>> Build() {
  using namespace oneroster_csv;
  constexpr Shape kRef = Shape::kRef, kRefList = Shape::kRefList, kList = Shape::kList,
                  kBool = Shape::kBool, kNumber = Shape::kNumber, kGrades = Shape::kGrades;
  auto section = [](Enrollment& e) { e.kind = EnrollmentKind::kSection; };
  auto org_role = [](Enrollment& e) { e.kind = EnrollmentKind::kOrganization; };
  std::vector<std::unique_ptr<Collection>> out;
  out.push_back(Bind("org", OrgsFile(), {{"parentSourcedId", "parent", kRef, kOrg}}, {"children"}));
  out.push_back(Bind("academicSession", AcademicSessionsFile(),
                     {{"parentSourcedId", "parent", kRef, kSession}}, {"children"}));
  out.push_back(Bind("course", CoursesFile(),
                     {{"schoolYearSourcedId", "schoolYear", kRef, kSession},
                      {"grades", "grades", kGrades, {}, {"grade"}},
                      {"orgSourcedId", "org", kRef, kOrg},
                      {"subjects", "subjects", kList},
                      {"subjectCodes", "subjectCodes", kList}}));
  out.push_back(Bind("class", ClassesFile(),
                     {{"grades", "grades", kGrades, {}, {"grade"}},
                      {"courseSourcedId", "course", kRef, kCourse},
                      {"schoolSourcedId", "school", kRef, kOrg},
                      {"termSourcedIds", "terms", kRefList, kSession},
                      {"subjects", "subjects", kList},
                      {"subjectCodes", "subjectCodes", kList},
                      {"periods", "periods", kList}}));
  out.push_back(Bind("user", UsersFile(),
                     {{"enabledUser", "enabledUser", kBool},
                      {"orgSourcedIds", "orgs", kRefList, kOrg},  // 1.1
                      {"userIds", "userIds", Shape::kUserIds},
                      {"agentSourcedIds", "agents", kRefList, kUser},
                      {"grades", "grades", kGrades, {}, {"grade"}},
                      {"primaryOrgSourcedId", "primaryOrg", kRef, kOrg}},
                     {"demographics"}));
  out.push_back(Bind("demographics", DemographicsFile(),
                     {{"americanIndianOrAlaskaNative", "americanIndianOrAlaskaNative", kBool},
                      {"asian", "asian", kBool},
                      {"blackOrAfricanAmerican", "blackOrAfricanAmerican", kBool},
                      {"nativeHawaiianOrOtherPacificIslander",
                       "nativeHawaiianOrOtherPacificIslander", kBool},
                      {"white", "white", kBool},
                      {"demographicRaceTwoOrMoreRaces", "demographicRaceTwoOrMoreRaces", kBool},
                      {"hispanicOrLatinoEthnicity", "hispanicOrLatinoEthnicity", kBool}}));
  out.push_back(Bind<Enrollment>("role", RolesFile(),
                                 {{"userSourcedId", "user", kRef, kUser},
                                  {"orgSourcedId", "org", kRef, kOrg}},
                                 {}, org_role,
                                 [](const Enrollment& e) { return !IsSectionEnrollment(e); }));
  out.push_back(Bind<Enrollment>("enrollment", EnrollmentsFile(),
                                 {{"classSourcedId", "class", kRef, kClass},
                                  {"schoolSourcedId", "school", kRef, kOrg},
                                  {"userSourcedId", "user", kRef, kUser},
                                  {"primary", "primary", kBool}},
                                 {}, section, IsSectionEnrollment));
  out.push_back(Bind("category", CategoriesFile(), {{"weight", "weight", kNumber}}));
  out.push_back(Bind("lineItem", LineItemsFile(),
                     {{"classSourcedId", "class", kRef, kClass},
                      {"categorySourcedId", "category", kRef, kCategory},
                      {"gradingPeriodSourcedId", "gradingPeriod", kRef, kSession},
                      {"resultValueMin", "resultValueMin", kNumber},
                      {"resultValueMax", "resultValueMax", kNumber}}));
  out.push_back(Bind("result", ResultsFile(),
                     {{"lineItemSourcedId", "lineItem", kRef, kLineItem},
                      {"studentSourcedId", "student", kRef, kUser},
                      {"scoreStatus", "scoreStatus", Shape::kText, {}, {"resultStatus"}},
                      {"score", "score", kNumber},
                      {"scoreDate", "scoreDate", Shape::kText, {}, {"date"}}}));
  return out;
}

}  // namespace

const std::vector<const Collection*>& Collections() {
  static const std::vector<const Collection*> kAll = [] {
    std::vector<const Collection*> out;
    for (auto& c : Build()) out.push_back(c.release());  // live for the program's lifetime
    return out;
  }();
  return kAll;
}

const Collection* FindCollection(std::string_view member) {
  for (const Collection* c : Collections())
    if (c->name() == member || c->single() == member) return c;
  return nullptr;
}

}  // namespace pathbridge::adapters::oneroster_json
