#include "adapters/oneroster_csv/columns.h"

#include <charconv>
#include <cmath>
#include <cctype>
#include <optional>

#include "standards/time.h"

namespace pathbridge::adapters::oneroster_csv {
namespace {

using namespace canonical;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// OneRoster lists: comma-separated values inside one (quoted) cell. Calls
// f(item) for each item, trimmed, skipping empty ones (no list is built:
// the readers fill the record's own, which keeps its capacity row to row).
template <typename F>
void ForEachListItem(std::string_view cell, F&& f) {
  while (true) {
    size_t comma = cell.find(',');
    std::string_view item = Trim(cell.substr(0, comma));
    if (!item.empty()) f(item);
    if (comma == std::string_view::npos) return;
    cell.remove_prefix(comma + 1);
  }
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!IsDigit(c)) return false;
  return true;
}

// "YYYY-MM-DD" with a month 01-12 and a day 01-31 (every date cell passes
// here, so character by character).
bool IsIsoDate(std::string_view s) {
  // (Written out: two dates a row, and a loop over the positions cost
  // three times the comparisons.)
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!(IsDigit(s[0]) && IsDigit(s[1]) && IsDigit(s[2]) && IsDigit(s[3]) && IsDigit(s[5]) &&
        IsDigit(s[6]) && IsDigit(s[8]) && IsDigit(s[9])))
    return false;
  int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// "M/D/YYYY" (US order, as US SIS exports write it) -> "YYYY-MM-DD".
std::optional<std::string> FromUsDate(std::string_view s) {
  size_t a = s.find('/'), b = s.rfind('/');
  if (a == std::string_view::npos || a == b) return std::nullopt;
  std::string_view m = s.substr(0, a), d = s.substr(a + 1, b - a - 1), y = s.substr(b + 1);
  if (!AllDigits(m) || !AllDigits(d) || y.size() != 4 || !AllDigits(y) || m.size() > 2 ||
      d.size() > 2)
    return std::nullopt;
  std::string out = std::string(y) + "-" + (m.size() == 1 ? "0" : "") + std::string(m) + "-" +
                    (d.size() == 1 ? "0" : "") + std::string(d);
  if (!IsIsoDate(out)) return std::nullopt;
  return out;
}

// Reads a date into `out`; false if not understood.
bool ReadDate(std::string_view v, std::string& out, const WarnFn& warn) {
  if (IsIsoDate(v)) {
    out = v;
    return true;
  }
  if (auto us = FromUsDate(v)) {
    warn("non-ISO date read as month/day/year");
    out = *us;
    return true;
  }
  return false;
}

// Whether `v` is an RFC 3339 date-time, kept as written. Exports repeat one
// dateLastModified over many rows: the last valid one is not parsed again.
bool IsRfc3339(std::string_view v) {
  static thread_local std::string last_valid;
  if (!v.empty() && v == last_valid) return true;
  if (!ParseRfc3339(v).ok()) return false;
  last_valid.assign(v);
  return true;
}

// Date-times: RFC 3339 kept as written; a date alone (1.1) kept; "date time"
// with a space read as UTC.
bool ReadDateTime(std::string_view v, std::string& out, const WarnFn& warn) {
  if (IsRfc3339(v)) {
    out = v;
    return true;
  }
  if (v.size() == 19 && v[10] == ' ') {
    std::string t = std::string(v.substr(0, 10)) + "T" + std::string(v.substr(11)) + "Z";
    if (ParseRfc3339(t).ok()) {
      warn("date-time without 'T' or zone read as UTC");
      out = t;
      return true;
    }
  }
  return ReadDate(v, out, warn);
}

std::optional<bool> ParseBool(std::string_view v, const WarnFn& warn) {
  if (v == "true") return true;  // what valid files hold
  if (v == "false") return false;
  std::string lower;
  for (char c : v) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower != "true" && lower != "false") return std::nullopt;
  if (lower != v) warn("boolean not in lower case");
  return lower == "true";
}

std::string FormatNumber(double d) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

std::optional<GradeLevel> ParseGrade(std::string_view v, const WarnFn& warn) {
  GradeLevel g = GradeLevelFromCeds(v);
  if (g != GradeLevel::kUnspecified) return g;
  if (v.size() == 1 && AllDigits(v)) {  // "9" for "09" ("0" is no grade)
    g = GradeLevelFromCeds(std::string("0") + std::string(v));
    if (g != GradeLevel::kUnspecified) {
      warn("grade level without a leading zero");
      return g;
    }
  }
  return std::nullopt;
}

// "{LDAP:12}" -> {LDAP, 12}; anything else is a value without a system.
Identifier ParseUserId(std::string_view v) {
  if (v.size() >= 2 && v.front() == '{' && v.back() == '}') v = v.substr(1, v.size() - 2);
  size_t colon = v.find(':');
  if (colon == std::string_view::npos) return {"", std::string(v)};
  return {std::string(v.substr(0, colon)), std::string(v.substr(colon + 1))};
}

constexpr std::string_view kSystemMaster = "oneroster:userMasterIdentifier";

// Column builders for record type T.
template <typename T>
struct Cols {
  using Col = Column<T>;
  // A cell the reader cannot understand is kept verbatim.
  static void Keep(T& r, std::string_view header, std::string_view v, const WarnFn& warn,
                   std::string what) {
    warn("value is not " + what + "; kept as an extension");
    r.extensions[std::string(header)] = v;
  }

  static Col Text(std::string_view h, std::string_view f, std::string T::*m,
                  std::vector<std::string_view> aliases = {}) {
    return {h, f, std::move(aliases), false,
            [m](T& r, std::string_view v, const WarnFn&) { r.*m = v; },
            [m](const T& r) { return r.*m; }, nullptr, m};
  }
  // A date in ISO form (a date-time in RFC 3339) is taken as it is, like
  // text (most of an export's dates: one read through `read` cost 190
  // instructions).
  static Col Date(std::string_view h, std::string_view f, std::string T::*m, bool with_time = false,
                  std::vector<std::string_view> aliases = {}) {
    return {h, f, std::move(aliases), false,
            [m, h, with_time](T& r, std::string_view v, const WarnFn& warn) {
              bool ok = with_time ? ReadDateTime(v, r.*m, warn) : ReadDate(v, r.*m, warn);
              if (!ok) Keep(r, h, v, warn, with_time ? "a date-time" : "a date");
            },
            [m](const T& r) { return r.*m; }, nullptr, m, with_time ? IsRfc3339 : IsIsoDate};
  }
  static Col List(std::string_view h, std::string_view f, std::vector<std::string> T::*m,
                  std::vector<std::string_view> aliases = {}) {
    return {h, f, std::move(aliases), false,
            [m](T& r, std::string_view v, const WarnFn&) {
              std::vector<std::string>& items = r.*m;
              items.clear();
              ForEachListItem(v, [&items](std::string_view item) { items.emplace_back(item); });
            },
            [m](const T& r) { return JoinList(r.*m); }, m};
  }
  static Col Bool(std::string_view h, std::string_view f, std::optional<bool> T::*m) {
    return {h, f, {}, false,
            [m, h](T& r, std::string_view v, const WarnFn& warn) {
              if (auto b = ParseBool(v, warn)) r.*m = *b;
              else Keep(r, h, v, warn, "true or false");
            },
            [m](const T& r) { return !(r.*m) ? "" : *(r.*m) ? "true" : "false"; }};
  }
  static Col Number(std::string_view h, std::string_view f, std::optional<double> T::*m) {
    return {h, f, {}, false,
            [m, h](T& r, std::string_view v, const WarnFn& warn) {
              double d = 0;
              auto res = std::from_chars(v.data(), v.data() + v.size(), d);
              // from_chars reads "nan" and "inf": not numbers a result or scale has.
              if (res.ec == std::errc() && res.ptr == v.data() + v.size() && std::isfinite(d))
                r.*m = d;
              else Keep(r, h, v, warn, "a number");
            },
            [m](const T& r) { return r.*m ? FormatNumber(*(r.*m)) : ""; }};
  }
  template <typename E>
  static Col Enum(std::string_view h, std::string_view f, E T::*m, E (*from)(std::string_view),
                  std::string_view (*to)(E)) {
    return {h, f, {}, false,
            [m, h, from, to](T& r, std::string_view v, const WarnFn& warn) {
              E e = from(v);
              if (e == E{}) e = from(Lowered(v));  // "Scheduled" for "scheduled"
              if (e == E{}) return Keep(r, h, v, warn, "a known code");
              if (to(e) != v) warn("code not in the specification's case");
              r.*m = e;
            },
            [m, to](const T& r) { return std::string(to(r.*m)); }};
  }
  static Col Grades(std::string_view h, std::string_view f, std::vector<GradeLevel> T::*m,
                    std::vector<std::string_view> aliases = {}) {
    return {h, f, std::move(aliases), false,
            [m, h](T& r, std::string_view v, const WarnFn& warn) {
              std::vector<GradeLevel>& grades = r.*m;
              grades.clear();
              bool all = true;
              ForEachListItem(v, [&](std::string_view item) {
                auto g = all ? ParseGrade(item, warn) : std::nullopt;
                if (g) grades.push_back(*g);
                else all = false;
              });
              if (all) return;
              grades.clear();
              Keep(r, h, v, warn, "a list of CEDS grade levels");
            },
            [m](const T& r) {
              std::string out;
              for (GradeLevel g : r.*m) out += (out.empty() ? "" : ",") + std::string(GradeLevelToCeds(g));
              return out;
            }};
  }
  // A spec column with no model slot, kept in extensions under its header.
  static Col Passthrough(std::string_view h) {
    return {h, "", {}, false,
            [h](T& r, std::string_view v, const WarnFn&) { r.extensions[std::string(h)] = v; },
            [h](const T& r) {
              auto it = r.extensions.find(std::string(h));
              return it == r.extensions.end() ? std::string() : it->second;
            }};
  }
  static Col ReadOnly(Col c) {
    c.read_only = true;
    return c;
  }
  static std::string Lowered(std::string_view v) {
    std::string out(v);
    if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
    return out;
  }
  // The status, dateLastModified and sourcedId columns every file starts with.
  static std::vector<Col> Head(std::vector<std::string_view> id_aliases = {}) {
    return {Text("sourcedId", "id", &T::id, std::move(id_aliases)),
            Text("status", "status", &T::status),
            Date("dateLastModified", "dateLastModified", &T::date_last_modified, true,
                 {"dataLastModified"})};
  }
  static std::vector<Col> Concat(std::vector<Col> a, std::vector<Col> b) {
    for (auto& c : b) a.push_back(std::move(c));
    return a;
  }
};

// Identifiers split across columns by system.
template <typename T>
Column<T> IdentifierColumn(std::string_view h, std::string_view system) {
  return {h, "identifiers", {}, false,
          [system](T& r, std::string_view v, const WarnFn&) {
            r.identifiers.push_back({std::string(system), std::string(v)});
          },
          [system](const T& r) {
            for (const Identifier& id : r.identifiers)
              if (id.system == system) return id.value;
            return std::string();
          }};
}

Column<Person> UserIdsColumn() {
  return {"userIds", "identifiers", {"userId"}, false,
          [](Person& r, std::string_view v, const WarnFn&) {
            ForEachListItem(v, [&r](std::string_view item) {
              r.identifiers.push_back(ParseUserId(item));
            });
          },
          [](const Person& r) {
            std::string out;
            for (const Identifier& id : r.identifiers) {
              if (!CarriedInUserIds(id)) continue;
              out += (out.empty() ? "{" : ",{") + id.system + ":" + id.value + "}";
            }
            return out;
          }};
}

std::string_view SectionTypeToken(SectionType t) {
  return t == SectionType::kHomeroom ? "homeroom" : t == SectionType::kScheduled ? "scheduled" : "";
}
SectionType SectionTypeFromToken(std::string_view v) {
  return v == "homeroom" ? SectionType::kHomeroom
         : v == "scheduled" ? SectionType::kScheduled
                            : SectionType::kUnspecified;
}
std::string_view RoleTypeToken(std::optional<bool> primary) {
  return !primary ? "" : *primary ? "primary" : "secondary";
}


}  // namespace

bool CarriedInUserIds(const Identifier& id) {
  return id.system != kSystemLocal && id.system != kSystemMaster;
}

bool IsSectionEnrollment(const Enrollment& e) {
  return e.kind == EnrollmentKind::kSection ||
         (e.kind == EnrollmentKind::kUnspecified && !e.section_id.empty());
}

const FileSpec<Organization>& OrgsFile() {
  using C = Cols<Organization>;
  static const FileSpec<Organization> kSpec{
      "orgs",
      C::Concat(C::Head(),
                {C::Text("name", "name", &Organization::name),
                 C::Enum("type", "kind", &Organization::kind, OrgKindFromOneRoster,
                         OrgKindToOneRoster),
                 IdentifierColumn<Organization>("identifier", kSystemLocal),
                 C::Text("parentSourcedId", "parentId", &Organization::parent_id)}),
      {"sourcedId"}};
  return kSpec;
}

const FileSpec<AcademicSession>& AcademicSessionsFile() {
  using C = Cols<AcademicSession>;
  using S = AcademicSession;
  static const FileSpec<S> kSpec{
      "academicSessions",
      C::Concat(C::Head(),
                {C::Text("title", "title", &S::title),
                 C::Enum("type", "type", &S::type, SessionTypeFromOneRoster, SessionTypeToOneRoster),
                 C::Date("startDate", "startDate", &S::start_date),
                 C::Date("endDate", "endDate", &S::end_date),
                 C::Text("parentSourcedId", "parentId", &S::parent_id),
                 C::Text("schoolYear", "schoolYear", &S::school_year)}),
      {"sourcedId"}};
  return kSpec;
}

const FileSpec<Course>& CoursesFile() {
  using C = Cols<Course>;
  static const FileSpec<Course> kSpec{
      "courses",
      C::Concat(C::Head(),
                {C::Text("schoolYearSourcedId", "schoolYearId", &Course::school_year_id,
                         {"schoolYearId"}),
                 C::Text("title", "title", &Course::title),
                 C::Text("courseCode", "code", &Course::code),
                 C::Grades("grades", "gradeLevels", &Course::grade_levels, {"grade"}),
                 C::Text("orgSourcedId", "orgId", &Course::org_id),
                 C::List("subjects", "subjects", &Course::subjects),
                 C::List("subjectCodes", "subjectCodes", &Course::subject_codes)}),
      {"sourcedId"}};
  return kSpec;
}

const FileSpec<Section>& ClassesFile() {
  using C = Cols<Section>;
  static const FileSpec<Section> kSpec{
      "classes",
      C::Concat(C::Head(),
                {C::Text("title", "title", &Section::title),
                 C::Grades("grades", "gradeLevels", &Section::grade_levels, {"grade"}),
                 C::Text("courseSourcedId", "courseId", &Section::course_id),
                 C::Text("classCode", "code", &Section::code),
                 C::Enum("classType", "type", &Section::type, SectionTypeFromToken,
                         SectionTypeToken),
                 C::Text("location", "location", &Section::location),
                 C::Text("schoolSourcedId", "orgId", &Section::org_id),
                 C::List("termSourcedIds", "sessionIds", &Section::session_ids),
                 C::List("subjects", "subjects", &Section::subjects),
                 C::List("subjectCodes", "subjectCodes", &Section::subject_codes),
                 C::List("periods", "periods", &Section::periods)}),
      {"sourcedId"}};
  return kSpec;
}

const FileSpec<Person>& UsersFile() {
  using C = Cols<Person>;
  using P = Person;
  static const FileSpec<P> kSpec{
      "users",
      C::Concat(
          C::Head(),
          {C::Bool("enabledUser", "enabled", &P::enabled),
           C::ReadOnly(C::List("orgSourcedIds", "orgIds", &P::org_ids)),
           C::ReadOnly(C::Enum("role", "role", &P::role, RoleFromOneRoster, RoleToOneRoster)),
           C::Text("username", "username", &P::username), UserIdsColumn(),
           C::Text("givenName", "givenName", &P::given_name),
           C::Text("familyName", "familyName", &P::family_name),
           C::Text("middleName", "middleName", &P::middle_name),
           IdentifierColumn<P>("identifier", kSystemLocal),
           C::Text("email", "email", &P::email), C::Text("sms", "sms", &P::sms),
           C::Text("phone", "phone", &P::phone),
           C::List("agentSourcedIds", "agentIds", &P::agent_ids, {"agents"}),
           C::Grades("grades", "gradeLevels", &P::grade_levels),
           // Passwords are secrets: never carried (the decoder drops them).
           Column<P>{"password", "", {}, false, nullptr, [](const P&) { return std::string(); }},
           IdentifierColumn<P>("userMasterIdentifier", kSystemMaster),
           C::Passthrough("resourceSourcedIds"),
           C::Text("preferredGivenName", "preferredGivenName", &P::preferred_given_name),
           C::Text("preferredMiddleName", "preferredMiddleName", &P::preferred_middle_name),
           C::Text("preferredFamilyName", "preferredFamilyName", &P::preferred_family_name),
           C::Text("primaryOrgSourcedId", "primaryOrgId", &P::primary_org_id),
           C::Text("pronouns", "pronouns", &P::pronouns)}),
      {"sourcedId"}};
  return kSpec;
}

const FileSpec<Demographics>& DemographicsFile() {
  using C = Cols<Demographics>;
  using D = Demographics;
  static const FileSpec<D> kSpec{
      "demographics",
      C::Concat(C::Head({"userSourcedId"}),
                {C::Date("birthDate", "birthDate", &D::birth_date),
                 C::Enum("sex", "sex", &D::sex, SexFromOneRoster, SexToOneRoster),
                 C::Bool("americanIndianOrAlaskaNative", "americanIndianOrAlaskaNative",
                         &D::american_indian_or_alaska_native),
                 C::Bool("asian", "asian", &D::asian),
                 C::Bool("blackOrAfricanAmerican", "blackOrAfricanAmerican",
                         &D::black_or_african_american),
                 C::Bool("nativeHawaiianOrOtherPacificIslander",
                         "nativeHawaiianOrOtherPacificIslander",
                         &D::native_hawaiian_or_other_pacific_islander),
                 C::Bool("white", "white", &D::white),
                 C::Bool("demographicRaceTwoOrMoreRaces", "demographicRaceTwoOrMoreRaces",
                         &D::two_or_more_races),
                 C::Bool("hispanicOrLatinoEthnicity", "hispanicOrLatinoEthnicity",
                         &D::hispanic_or_latino_ethnicity),
                 C::Text("countryOfBirthCode", "countryOfBirthCode", &D::country_of_birth),
                 C::Text("stateOfBirthAbbreviation", "stateOfBirthAbbreviation",
                         &D::state_of_birth),
                 C::Text("cityOfBirth", "cityOfBirth", &D::city_of_birth),
                 C::Text("publicSchoolResidenceStatus", "publicSchoolResidenceStatus",
                         &D::public_school_residence_status)}),
      {"sourcedId"}};
  return kSpec;
}

const FileSpec<Enrollment>& RolesFile() {
  using C = Cols<Enrollment>;
  using E = Enrollment;
  static const FileSpec<E> kSpec{
      "roles",
      C::Concat(C::Head(),
                {C::Text("userSourcedId", "personId", &E::person_id),
                 Column<E>{"roleType", "primary", {}, false,
                           [](E& r, std::string_view v, const WarnFn& warn) {
                             if (v == "primary" || v == "secondary") r.primary = v == "primary";
                             else C::Keep(r, "roleType", v, warn, "primary or secondary");
                           },
                           [](const E& r) { return std::string(RoleTypeToken(r.primary)); }},
                 C::Enum("role", "role", &E::role, RoleFromOneRoster, RoleToOneRoster),
                 C::Date("beginDate", "beginDate", &E::begin_date),
                 C::Date("endDate", "endDate", &E::end_date),
                 C::Text("orgSourcedId", "orgId", &E::org_id),
                 C::Passthrough("userProfileSourcedId")}),
      {"sourcedId", "userSourcedId", "role", "orgSourcedId"}};
  return kSpec;
}

const FileSpec<Enrollment>& EnrollmentsFile() {
  using C = Cols<Enrollment>;
  using E = Enrollment;
  static const FileSpec<E> kSpec{
      "enrollments",
      C::Concat(C::Head(),
                {C::Text("classSourcedId", "sectionId", &E::section_id),
                 C::Text("schoolSourcedId", "orgId", &E::org_id),
                 C::Text("userSourcedId", "personId", &E::person_id),
                 C::Enum("role", "role", &E::role, RoleFromOneRoster, RoleToOneRoster),
                 C::Bool("primary", "primary", &E::primary),
                 C::Date("beginDate", "beginDate", &E::begin_date),
                 C::Date("endDate", "endDate", &E::end_date)}),
      {"sourcedId", "classSourcedId", "userSourcedId", "role"}};
  return kSpec;
}

const FileSpec<Category>& CategoriesFile() {
  using C = Cols<Category>;
  static const FileSpec<Category> kSpec{
      "categories",
      C::Concat(C::Head(), {C::Text("title", "title", &Category::title),
                            C::Number("weight", "weight", &Category::weight)}),
      {"sourcedId"}};
  return kSpec;
}

const FileSpec<LineItem>& LineItemsFile() {
  using C = Cols<LineItem>;
  using L = LineItem;
  static const FileSpec<L> kSpec{
      "lineItems",
      C::Concat(C::Head(),
                {C::Text("title", "title", &L::title),
                 C::Text("description", "description", &L::description),
                 C::Date("assignDate", "assignDate", &L::assign_date, true),
                 C::Date("dueDate", "dueDate", &L::due_date, true),
                 C::Text("classSourcedId", "sectionId", &L::section_id),
                 C::Text("categorySourcedId", "categoryId", &L::category_id),
                 C::Text("gradingPeriodSourcedId", "gradingPeriodId", &L::grading_period_id),
                 C::Number("resultValueMin", "resultValueMin", &L::result_value_min),
                 C::Number("resultValueMax", "resultValueMax", &L::result_value_max)}),
      {"sourcedId"}};
  return kSpec;
}

const FileSpec<LineItemResult>& ResultsFile() {
  using C = Cols<LineItemResult>;
  using R = LineItemResult;
  static const FileSpec<R> kSpec{
      "results",
      C::Concat(C::Head(),
                {C::Text("lineItemSourcedId", "lineItemId", &R::line_item_id),
                 C::Text("studentSourcedId", "personId", &R::person_id),
                 C::Text("scoreStatus", "scoreStatus", &R::score_status),
                 C::Number("score", "score", &R::score),
                 C::Date("scoreDate", "scoreDate", &R::score_date),
                 C::Text("comment", "comment", &R::comment)}),
      {"sourcedId", "lineItemSourcedId", "studentSourcedId"}};
  return kSpec;
}

const std::vector<std::string_view>& ManifestFileNames() {
  static const std::vector<std::string_view> kNames{
      "academicSessions", "categories", "classes", "classResources", "courses",
      "courseResources", "demographics", "enrollments", "lineItemLearningObjectiveIds",
      "lineItems", "lineItemScoreScales", "orgs", "resources", "resultLearningObjectiveIds",
      "results", "resultScoreScales", "roles", "scoreScales", "userProfiles", "userResources",
      "users"};
  return kNames;
}

}  // namespace pathbridge::adapters::oneroster_csv
