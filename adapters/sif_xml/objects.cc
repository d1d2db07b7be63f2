#include "adapters/sif_xml/objects.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "standards/time.h"

namespace pathbridge::adapters::sif_xml {
namespace {

using namespace canonical;

bool IsIsoDate(std::string_view s) {
  return s.size() == 10 && ParseRfc3339(std::string(s) + "T00:00:00Z").ok();
}

std::string FormatNumber(double d) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

std::optional<double> ParseNumber(std::string_view s) {
  double d = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), d);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

// A field's one value, unless empty.
void One(Values& out, std::string_view text) {
  if (!text.empty()) out.Add(text);
}

// Field builders for record type T.
template <typename T>
struct Fields {
  using F = Field<T>;
  static void Keep(T& r, std::string_view path, const Value& v, const WarnFn& warn,
                   const std::string& what) {
    warn("value is not " + what + "; kept as an extension");
    r.extensions[std::string(path)] = v.text;
  }
  static F Text(std::string_view path, std::string_view model, std::string T::*m) {
    return {path, model, "", false, [m](T& r, const Value& v, const WarnFn&) { r.*m = v.text; },
            [m](const T& r, Values& out) { One(out, r.*m); }};
  }
  static F Date(std::string_view path, std::string_view model, std::string T::*m) {
    return {path, model, "", false,
            [m, path](T& r, const Value& v, const WarnFn& warn) {
              if (IsIsoDate(v.text)) r.*m = v.text;
              else Keep(r, path, v, warn, "a YYYY-MM-DD date");
            },
            [m](const T& r, Values& out) { One(out, r.*m); }};
  }
  static F Number(std::string_view path, std::string_view model, std::optional<double> T::*m) {
    return {path, model, "", false,
            [m, path](T& r, const Value& v, const WarnFn& warn) {
              if (auto d = ParseNumber(v.text)) r.*m = *d;
              else Keep(r, path, v, warn, "a number");
            },
            [m](const T& r, Values& out) {
              if ((r.*m).has_value()) out.AddMade(FormatNumber(*(r.*m)));
            }};
  }
  // SIF booleans are Yes/No.
  static F YesNo(std::string_view path, std::string_view model, std::optional<bool> T::*m) {
    return {path, model, "", false,
            [m, path](T& r, const Value& v, const WarnFn& warn) {
              if (v.text == "Yes" || v.text == "No") r.*m = v.text == "Yes";
              else Keep(r, path, v, warn, "Yes or No");
            },
            [m](const T& r, Values& out) {
              if ((r.*m).has_value()) One(out, *(r.*m) ? "Yes" : "No");
            }};
  }
  static F Grade(std::string_view path, std::string_view model, GradeLevel T::*m) {
    return {path, model, "", false,
            [m, path](T& r, const Value& v, const WarnFn& warn) {
              GradeLevel g = GradeLevelFromCeds(v.text);
              if (g != GradeLevel::kUnspecified) r.*m = g;
              else Keep(r, path, v, warn, "a CEDS grade level code");
            },
            [m](const T& r, Values& out) { One(out, GradeLevelToCeds(r.*m)); }};
  }
  // A repeated element; duplicates are read once.
  static F List(std::string_view path, std::string_view model, std::vector<std::string> T::*m) {
    return {path, model, "", false,
            [m](T& r, const Value& v, const WarnFn&) {
              if (std::find((r.*m).begin(), (r.*m).end(), v.text) == (r.*m).end())
                (r.*m).emplace_back(v.text);
            },
            [m](const T& r, Values& out) {
              for (const auto& s : r.*m) out.Add(s);
            }};
  }
  // The identifier of one issuing system.
  static F Id(std::string_view path, std::string_view system) {
    return {path, "identifiers", "", false,
            [system](T& r, const Value& v, const WarnFn&) {
              r.identifiers.push_back({std::string(system), std::string(v.text)});
            },
            [system](const T& r, Values& out) {
              for (const auto& id : r.identifiers)
                if (id.system == system) return One(out, id.value);
            }};
  }
  // Identifiers of the other systems, by OtherId/@Type.
  static F OtherIds(std::string_view path, std::vector<std::string_view> own) {
    return {path, "identifiers", "Type", false,
            [](T& r, const Value& v, const WarnFn&) {
              r.identifiers.push_back({std::string(v.key), std::string(v.text)});
            },
            [own](const T& r, Values& out) {
              for (const auto& id : r.identifiers)
                if (std::find(own.begin(), own.end(), id.system) == own.end())
                  out.Add(id.value, id.system);
            }};
  }
  // SIF_ExtendedElements, by SIF_ExtendedElement/@Name.
  static F Extensions() {
    return {"SIF_ExtendedElements/SIF_ExtendedElement*", "extensions", "Name", false,
            [](T& r, const Value& v, const WarnFn& warn) {
              if (v.key.empty()) warn("SIF_ExtendedElement without a Name; ignored");
              else r.extensions[std::string(v.key)] = v.text;
            },
            [](const T& r, Values& out) {
              for (const auto& [k, v] : r.extensions) out.Add(v, k);
            }};
  }
};

using OrgFields = Fields<Organization>;

std::vector<Field<Organization>> OrgIds() {
  return {OrgFields::Id("LocalId", kSystemLocal), OrgFields::Id("StateProvinceId", kSystemState),
          OrgFields::Id("NCESId", kSystemNces)};
}

}  // namespace

const ObjectSpec<Organization>& LeaInfoSpec() {
  static const ObjectSpec<Organization> kSpec = [] {
    using C = OrgFields;
    ObjectSpec<Organization> s{"LEAInfo", "LEAInfos", {C::Text("@RefId", "id", &Organization::id)},
                               {"kind"}, [](Organization& o) { o.kind = OrgKind::kDistrict; }, {}};
    for (auto& f : OrgIds()) s.fields.push_back(f);
    s.fields.push_back(C::Text("LEAName", "name", &Organization::name));
    s.fields.push_back(C::Extensions());
    return s;
  }();
  return kSpec;
}

const ObjectSpec<Organization>& SchoolInfoSpec() {
  static const ObjectSpec<Organization> kSpec = [] {
    using C = OrgFields;
    ObjectSpec<Organization> s{"SchoolInfo", "SchoolInfos",
                               {C::Text("@RefId", "id", &Organization::id)}, {"kind"},
                               [](Organization& o) { o.kind = OrgKind::kSchool; }, {}};
    for (auto& f : OrgIds()) s.fields.push_back(f);
    s.fields.push_back(C::Text("SchoolName", "name", &Organization::name));
    s.fields.push_back(C::Text("LEAInfoRefId", "parentId", &Organization::parent_id));
    s.fields.push_back(C::Extensions());
    return s;
  }();
  return kSpec;
}

const ObjectSpec<AcademicSession>& TermInfoSpec() {
  using C = Fields<AcademicSession>;
  using S = AcademicSession;
  // TermSpan/Code is the CEDS session type; OtherCode[@Codeset='Text'] the
  // OneRoster token, which says more (grading period) and is preferred.
  Field<S> code{"TermSpan/Code", "type", "", false,
                [](S& r, const Value& v, const WarnFn& warn) {
                  SessionType t = SessionTypeFromCeds(v.text);
                  if (t != SessionType::kUnspecified) r.type = t;
                  else C::Keep(r, "TermSpan/Code", v, warn, "a CEDS session type code");
                },
                [](const S& r, Values& out) { One(out, SessionTypeToCeds(r.type)); }};
  Field<S> text{"TermSpan/OtherCodeList/OtherCode*", "type", "Codeset", false,
                [](S& r, const Value& v, const WarnFn&) {
                  if (v.key != "Text" || v.text.empty()) return;
                  std::string token(v.text);
                  token[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(token[0])));
                  SessionType t = SessionTypeFromOneRoster(token);
                  if (t != SessionType::kUnspecified) r.type = t;
                },
                [](const S& r, Values& out) {
                  std::string_view token = SessionTypeToOneRoster(r.type);
                  if (!token.empty()) out.Add(token, "Text");
                }};
  static const ObjectSpec<S> kSpec{
      "TermInfo", "TermInfos",
      {C::Text("@RefId", "id", &S::id), C::Text("@SchoolInfoRefId", "orgId", &S::org_id),
       C::Text("@SchoolYear", "schoolYear", &S::school_year),
       C::Date("StartDate", "startDate", &S::start_date),
       C::Date("EndDate", "endDate", &S::end_date), C::Text("Description", "title", &S::title),
       code, text, C::Extensions()},
      {}, nullptr, {}};
  return kSpec;
}

const ObjectSpec<Course>& SchoolCourseInfoSpec() {
  using C = Fields<Course>;
  static const ObjectSpec<Course> kSpec{
      "SchoolCourseInfo", "SchoolCourseInfos",
      {C::Text("@RefId", "id", &Course::id), C::Text("@SchoolInfoRefId", "orgId", &Course::org_id),
       C::Text("CourseCode", "code", &Course::code),
       C::List("SubjectAreaList/SubjectArea*/Code", "subjectCodes", &Course::subject_codes),
       C::Text("CourseTitle", "title", &Course::title),
       C::Number("CourseCredits", "credits", &Course::credits), C::Extensions()},
      {}, nullptr, {}};
  return kSpec;
}

const ObjectSpec<Section>& SectionInfoSpec() {
  using C = Fields<Section>;
  static const ObjectSpec<Section> kSpec{
      "SectionInfo", "SectionInfos",
      {C::Text("@RefId", "id", &Section::id),
       C::Text("@SchoolCourseInfoRefId", "courseId", &Section::course_id),
       C::List("ScheduleInfoList/ScheduleInfo*/@TermInfoRefId", "sessionIds", &Section::session_ids),
       // A section's own title is its override of the course title.
       C::Text("SchoolCourseInfoOverride/CourseTitle", "title", &Section::title),
       C::Text("SectionCode", "code", &Section::code), C::Extensions()},
      {}, nullptr, {{{"SchoolCourseInfoOverride", "Override", "Yes"}}}};
  return kSpec;
}

const ObjectSpec<Person>& StudentPersonalSpec() {
  using C = Fields<Person>;
  static const ObjectSpec<Person> kSpec{
      "StudentPersonal", "StudentPersonals",
      {C::Text("@RefId", "id", &Person::id), C::Id("LocalId", kSystemLocal),
       C::Id("StateProvinceId", kSystemState),
       C::OtherIds("OtherIdList/OtherId*", {kSystemLocal, kSystemState}),
       C::Text("Name/LastName", "familyName", &Person::family_name),
       C::Text("Name/FirstName", "givenName", &Person::given_name),
       C::Text("Name/MiddleName", "middleName", &Person::middle_name),
       C::Text("Name/PreferredName", "preferredGivenName", &Person::preferred_given_name),
       C::Text("PhoneNumberList/PhoneNumber/Number", "phone", &Person::phone),
       C::Text("EmailList/Email", "email", &Person::email), C::Extensions()},
      {"role"},
      [](Person& p) { p.role = Role::kStudent; },
      {{{"Name", "Type", "04"}, {"PhoneNumberList/PhoneNumber", "Type", "0096"},
        {"EmailList/Email", "Type", "Primary"}}}};
  return kSpec;
}

const ObjectSpec<Demographics>& StudentDemographicsSpec() {
  using C = Fields<Demographics>;
  using D = Demographics;
  Field<D> races{"Demographics/RaceList/Race*/Code", "", "", false,
                 [](D& r, const Value& v, const WarnFn& warn) {
                   std::string_view field = RaceFieldFromCeds(v.text);
                   bool set = false;
                   D::Fields(r, [&](std::string_view name, auto& member) {
                     if constexpr (std::is_same_v<std::remove_cvref_t<decltype(member)>,
                                                  std::optional<bool>>)
                       if (name == field) member = set = true;
                   });
                   if (!set) C::Keep(r, "Demographics/RaceList/Race*/Code", v, warn,
                                     "a CEDS race code");
                 },
                 [](const D& r, Values& out) {
                   D::Fields(r, [&](std::string_view name, const auto& member) {
                     if constexpr (std::is_same_v<std::remove_cvref_t<decltype(member)>,
                                                  std::optional<bool>>)
                       if (member == true && !RaceFieldToCeds(name).empty())
                         out.Add(RaceFieldToCeds(name));
                   });
                 }};
  auto sex = [](std::string_view path, bool read_only) {
    return Field<D>{path, "sex", "", read_only,
                    [path](D& r, const Value& v, const WarnFn& warn) {
                      Sex s = SexFromSif(v.text);
                      if (s != Sex::kUnspecified) r.sex = s;
                      else C::Keep(r, path, v, warn, "a SIF sex code");
                    },
                    [](const D& r, Values& out) { One(out, SexToSif(r.sex)); }};
  };
  static const ObjectSpec<D> kSpec = [&] {
    ObjectSpec<D> s{"StudentPersonal", "StudentPersonals",
                    {C::Text("@RefId", "id", &D::id), races,
                     C::YesNo("Demographics/HispanicLatino", "hispanicOrLatinoEthnicity",
                              &D::hispanic_or_latino_ethnicity),
                     sex("Demographics/Gender", false), sex("Demographics/Sex", true),
                     C::Date("Demographics/BirthDate", "birthDate", &D::birth_date),
                     C::Text("Demographics/PlaceOfBirth", "cityOfBirth", &D::city_of_birth),
                     C::Text("Demographics/StateOfBirth", "stateOfBirthAbbreviation",
                             &D::state_of_birth),
                     C::Text("Demographics/CountryOfBirth", "countryOfBirthCode",
                             &D::country_of_birth)},
                    {"americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
                     "nativeHawaiianOrOtherPacificIslander", "white",
                     "demographicRaceTwoOrMoreRaces"},
                    nullptr, {}};
    return s;
  }();
  return kSpec;
}

namespace {

// MembershipType Home is the student's primary school, Ancillary another.
Field<Enrollment> Membership() {
  return {"@MembershipType", "primary", "", false,
          [](Enrollment& r, const Value& v, const WarnFn& warn) {
            if (v.text == "Home" || v.text == "Ancillary") r.primary = v.text == "Home";
            else Fields<Enrollment>::Keep(r, "@MembershipType", v, warn, "Home or Ancillary");
          },
          [](const Enrollment& r, Values& out) {
            if (r.primary.has_value()) One(out, *r.primary ? "Home" : "Ancillary");
          }};
}

}  // namespace

const ObjectSpec<Enrollment>& StudentSchoolEnrollmentSpec() {
  using C = Fields<Enrollment>;
  using E = Enrollment;
  static const ObjectSpec<E> kSpec{
      "StudentSchoolEnrollment", "StudentSchoolEnrollments",
      {C::Text("@RefId", "id", &E::id), C::Text("@StudentPersonalRefId", "personId", &E::person_id),
       C::Text("@SchoolInfoRefId", "orgId", &E::org_id), Membership(),
       C::Date("EntryDate", "beginDate", &E::begin_date),
       C::Grade("GradeLevel/Code", "entryGradeLevel", &E::entry_grade_level),
       C::Date("ExitDate", "endDate", &E::end_date), C::Extensions()},
      {"kind", "role"},
      [](E& e) {
        e.kind = EnrollmentKind::kOrganization;
        e.role = Role::kStudent;
      },
      {}};
  return kSpec;
}

const ObjectSpec<Enrollment>& StudentSectionEnrollmentSpec() {
  using C = Fields<Enrollment>;
  using E = Enrollment;
  static const ObjectSpec<E> kSpec{
      "StudentSectionEnrollment", "StudentSectionEnrollments",
      {C::Text("@RefId", "id", &E::id), C::Text("@StudentPersonalRefId", "personId", &E::person_id),
       C::Text("@SectionInfoRefId", "sectionId", &E::section_id),
       C::Date("EntryDate", "beginDate", &E::begin_date),
       C::Date("ExitDate", "endDate", &E::end_date), C::Extensions()},
      {"kind", "role"},
      [](E& e) {
        e.kind = EnrollmentKind::kSection;
        e.role = Role::kStudent;
      },
      {}};
  return kSpec;
}

const ObjectSpec<CourseResult>& StudentSectionMarksSpec() {
  using C = Fields<CourseResult>;
  using R = CourseResult;
  static const ObjectSpec<R> kSpec{
      "StudentSectionMarks", "StudentSectionMarks",
      {C::Text("@RefId", "id", &R::id), C::Text("@StudentPersonalRefId", "personId", &R::person_id),
       C::Text("@SectionInfoRefId", "sectionId", &R::section_id),
       C::Text("@TermInfoRefId", "sessionId", &R::session_id),
       C::Text("@SchoolInfoRefId", "awardingOrgId", &R::awarding_org_id),
       C::Number("MarkList/Mark/Percentage", "numericGrade", &R::numeric_grade),
       C::Text("MarkList/Mark/Letter", "letterGrade", &R::letter_grade), C::Extensions()},
      {}, nullptr, {}};
  return kSpec;
}

const ObjectSpec<CourseResult>& AcademicRecordCourseSpec() {
  using C = Fields<CourseResult>;
  using R = CourseResult;
  static const ObjectSpec<R> kSpec{
      "Course", "",
      {C::Text("MarkingPeriods/MarkingPeriod/MarkData/Letter", "letterGrade", &R::letter_grade),
       C::Number("MarkingPeriods/MarkingPeriod/MarkData/NumericAsDecimal", "numericGrade",
                 &R::numeric_grade),
       C::Number("MarkingPeriods/MarkingPeriod/CourseCreditsAttempted", "creditsAttempted",
                 &R::credits_attempted),
       C::Number("MarkingPeriods/MarkingPeriod/CourseCreditsEarned", "creditsEarned",
                 &R::credits_earned),
       C::Extensions()},
      {"id"}, nullptr, {}};
  return kSpec;
}

const std::vector<std::string_view>& ElementsAfterDemographics() {
  static const std::vector<std::string_view> kAfter{
      "AddressList", "PhoneNumberList", "EmailList", "HouseholdContactInfoList",
      "OnTimeGraduationYear", "GraduationDate", "MostRecent", "AcceptableUsePolicy",
      "GiftedTalented", "EconomicDisadvantage", "ELL", "Homeless", "Section504",
      "Title1", "FirstUSEnrollment", "SIF_Metadata", "SIF_ExtendedElements"};
  return kAfter;
}

}  // namespace pathbridge::adapters::sif_xml
