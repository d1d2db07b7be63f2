#include "standards/canonical/code_sets.h"

#include <array>
#include <utility>

#include "standards/canonical/model.h"  // the kSystem* identifier system names

namespace pathbridge::canonical {
namespace {

constexpr std::string_view kEdFiPrefix = "uri://ed-fi.org/";

template <typename E, size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

template <typename E, size_t N>
std::string_view Find(const Table<E, N>& table, E value) {
  for (const auto& [e, code] : table)
    if (e == value) return code;
  return {};
}

template <typename E, size_t N>
E FindCode(const Table<E, N>& table, std::string_view code, E fallback) {
  for (const auto& [e, c] : table)
    if (c == code) return e;
  return fallback;
}

std::string EdFiUri(std::string_view descriptor, std::string_view code_value) {
  if (code_value.empty()) return {};
  std::string out(kEdFiPrefix);
  out += descriptor;
  out += '#';
  out += code_value;
  return out;
}

using G = GradeLevel;
// CEDS Grade Level codes (= OneRoster 1.2 grades, SIF NA GradeLevelCode).
constexpr Table<G, 21> kCedsGrades{{
    {G::kInfantToddler, "IT"}, {G::kPreschool, "PR"}, {G::kPrekindergarten, "PK"},
    {G::kTransitionalKindergarten, "TK"}, {G::kKindergarten, "KG"}, {G::kGrade1, "01"},
    {G::kGrade2, "02"}, {G::kGrade3, "03"}, {G::kGrade4, "04"}, {G::kGrade5, "05"},
    {G::kGrade6, "06"}, {G::kGrade7, "07"}, {G::kGrade8, "08"}, {G::kGrade9, "09"},
    {G::kGrade10, "10"}, {G::kGrade11, "11"}, {G::kGrade12, "12"}, {G::kGrade13, "13"},
    {G::kPostsecondary, "PS"}, {G::kUngraded, "UG"}, {G::kOther, "Other"},
}};
// Ed-Fi DS 5.2 GradeLevelDescriptor.xml code values; "Preschool/Prekindergarten" and "Early Education" read as
// preschool, "Adult Education"/"Out of School"/"No grade level" as other.
constexpr Table<G, 21> kEdFiGrades{{
    {G::kInfantToddler, "Infant/toddler"}, {G::kPreschool, "Preschool"},
    {G::kPrekindergarten, "Prekindergarten"},
    {G::kTransitionalKindergarten, "Transitional Kindergarten"},
    {G::kKindergarten, "Kindergarten"}, {G::kGrade1, "First grade"}, {G::kGrade2, "Second grade"},
    {G::kGrade3, "Third grade"}, {G::kGrade4, "Fourth grade"}, {G::kGrade5, "Fifth grade"},
    {G::kGrade6, "Sixth grade"}, {G::kGrade7, "Seventh grade"}, {G::kGrade8, "Eighth grade"},
    {G::kGrade9, "Ninth grade"}, {G::kGrade10, "Tenth grade"}, {G::kGrade11, "Eleventh grade"},
    {G::kGrade12, "Twelfth grade"}, {G::kGrade13, "Grade 13"}, {G::kPostsecondary, "Postsecondary"},
    {G::kUngraded, "Ungraded"}, {G::kOther, "Other"},
}};
constexpr Table<G, 5> kEdFiGradeAliases{{
    {G::kPreschool, "Preschool/Prekindergarten"}, {G::kPreschool, "Early Education"},
    {G::kOther, "Adult Education"}, {G::kOther, "Out of School"}, {G::kOther, "No grade level"},
}};

constexpr Table<Sex, 4> kOneRosterSex{{
    {Sex::kFemale, "female"}, {Sex::kMale, "male"}, {Sex::kNonBinary, "other"},
    {Sex::kNotSelected, "unspecified"},
}};
// Crosswalk: uri://ed-fi.org/SexDescriptor.
constexpr Table<Sex, 4> kEdFiSex{{
    {Sex::kFemale, "Female"}, {Sex::kMale, "Male"}, {Sex::kNonBinary, "Non-binary"},
    {Sex::kNotSelected, "Not Selected"},
}};

// SIF NA sex codes; CEDS option-set codes are read too.
constexpr Table<Sex, 4> kSifSex{{
    {Sex::kFemale, "F"}, {Sex::kMale, "M"}, {Sex::kNonBinary, "X"}, {Sex::kNotSelected, "U"},
}};
constexpr Table<Sex, 3> kCedsSex{{
    {Sex::kFemale, "Female"}, {Sex::kMale, "Male"}, {Sex::kNotSelected, "NotSelected"},
}};

constexpr Table<OrgKind, 6> kOneRosterOrgKind{{
    {OrgKind::kNational, "national"}, {OrgKind::kState, "state"}, {OrgKind::kDistrict, "district"},
    {OrgKind::kLocal, "local"}, {OrgKind::kSchool, "school"}, {OrgKind::kDepartment, "department"},
}};

constexpr Table<SessionType, 4> kOneRosterSession{{
    {SessionType::kSchoolYear, "schoolYear"}, {SessionType::kSemester, "semester"},
    {SessionType::kTerm, "term"}, {SessionType::kGradingPeriod, "gradingPeriod"},
}};
// Crosswalk: uri://ed-fi.org/TermDescriptor (plus DS 5.2's "Quarter", which
// the crosswalk predates).
constexpr Table<SessionType, 16> kEdFiTerm{{
    {SessionType::kTerm, "Quarter"},
    {SessionType::kSemester, "Semester"}, {SessionType::kSemester, "Fall Semester"},
    {SessionType::kSemester, "Spring Semester"}, {SessionType::kSemester, "Summer Semester"},
    {SessionType::kTerm, "First Quarter"}, {SessionType::kTerm, "Second Quarter"},
    {SessionType::kTerm, "Third Quarter"}, {SessionType::kTerm, "Fourth Quarter"},
    {SessionType::kTerm, "Trimester"}, {SessionType::kTerm, "First Trimester"},
    {SessionType::kTerm, "Second Trimester"}, {SessionType::kTerm, "Third Trimester"},
    {SessionType::kTerm, "MiniTerm"}, {SessionType::kSchoolYear, "Year Round"},
    {SessionType::kTerm, "Other"},
}};

// CEDS Session Type codes; the first entry of each type is what is written.
constexpr Table<SessionType, 13> kCedsSession{{
    {SessionType::kSemester, "0828"}, {SessionType::kSemester, "Semester"},
    {SessionType::kSchoolYear, "FullSchoolYear"}, {SessionType::kSchoolYear, "TwelveMonth"},
    {SessionType::kTerm, "Other"}, {SessionType::kTerm, "Trimester"},
    {SessionType::kTerm, "Quarter"}, {SessionType::kTerm, "Quinmester"},
    {SessionType::kTerm, "MiniTerm"}, {SessionType::kTerm, "SummerTerm"},
    {SessionType::kTerm, "Intersession"}, {SessionType::kTerm, "LongSession"},
    {SessionType::kGradingPeriod, "Other"},
}};

constexpr Table<Role, 13> kOneRosterRole{{
    {Role::kStudent, "student"}, {Role::kTeacher, "teacher"}, {Role::kAide, "aide"},
    {Role::kAdministrator, "administrator"}, {Role::kCounselor, "counselor"},
    {Role::kDistrictAdministrator, "districtAdministrator"}, {Role::kPrincipal, "principal"},
    {Role::kSiteAdministrator, "siteAdministrator"},
    {Role::kSystemAdministrator, "systemAdministrator"}, {Role::kProctor, "proctor"},
    {Role::kGuardian, "guardian"}, {Role::kParent, "parent"}, {Role::kRelative, "relative"},
}};
// Crosswalk: uri://ed-fi.org/StaffClassificationDescriptor, the entries with
// a OneRoster role (the file maps the others to "?").
constexpr Table<Role, 25> kEdFiStaff{{
    {Role::kTeacher, "Pre-Kindergarten Teacher"}, {Role::kTeacher, "Kindergarten Teacher"},
    {Role::kTeacher, "Elementary Teacher"}, {Role::kTeacher, "Secondary Teacher"},
    {Role::kAide, "Paraprofessional/Instructional Aide"}, {Role::kTeacher, "Ungraded Teacher"},
    {Role::kCounselor, "Elementary School Counselor"},
    {Role::kCounselor, "Secondary School Counselor"}, {Role::kCounselor, "School Counselor"},
    {Role::kDistrictAdministrator, "LEA Administrator"},
    {Role::kDistrictAdministrator, "LEA Administrative Support Staff"},
    {Role::kSiteAdministrator, "School Administrator"},
    {Role::kSiteAdministrator, "School Administrative Support Staff"},
    {Role::kPrincipal, "Assistant Principal"},
    {Role::kDistrictAdministrator, "Assistant Superintendent"}, {Role::kCounselor, "Counselor"},
    {Role::kAide, "Instructional Aide"}, {Role::kTeacher, "Instructional Coordinator"},
    {Role::kDistrictAdministrator, "LEA System Administrator"}, {Role::kPrincipal, "Principal"},
    {Role::kSiteAdministrator, "School Leader"},
    {Role::kDistrictAdministrator, "State Administrator"}, {Role::kTeacher, "Substitute Teacher"},
    {Role::kDistrictAdministrator, "Superintendent"}, {Role::kTeacher, "Teacher"},
}};

// Crosswalk: uri://ed-fi.org/RaceDescriptor -> OneRoster demographics column.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kEdFiRace{{
    {"americanIndianOrAlaskaNative", "American Indian or Alaska Native"},
    {"asian", "Asian"},
    {"blackOrAfricanAmerican", "Black or African American"},
    {"nativeHawaiianOrOtherPacificIslander", "Native Hawaiian or Pacific Islander"},
    {"white", "White"},
}};
// Ed-Fi DS 2.x RaceType values, still found in older exports (the ACAN
// transcript composite sample uses them).
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kEdFiRaceAliases{{
    {"americanIndianOrAlaskaNative", "American Indian - Alaskan Native"},
    {"blackOrAfricanAmerican", "Black - African American"},
    {"nativeHawaiianOrOtherPacificIslander", "Native Hawaiian - Pacific Islander"},
}};

constexpr std::string_view kPathbridgePrefix = "uri://pathbridge/";

// DS 5.2 descriptor code values (Descriptors/<name>.xml), for descriptors
// that pathbridge fills from free text.
struct CodeList {
  std::string_view descriptor;
  std::vector<std::string_view> codes;
};
const std::vector<CodeList>& EdFiCodeLists() {
  static const std::vector<CodeList> kLists{
      {"AcademicSubjectDescriptor",
       {"Career and Technical Education", "Composite", "Critical Reading", "Cross Subject",
        "English", "English Language Arts", "Fine and Performing Arts",
        "Foreign Language and Literature", "Mathematics", "Life and Physical Sciences",
        "Military Science", "Other", "Physical, Health, and Safety Education", "Reading",
        "Religious Education and Theology", "Social Sciences and History", "Social Studies",
        "Science", "Writing"}},
      {"CreditCategoryDescriptor",
       {"Advanced Placement", "College Preparatory", "Dual Credit", "General", "Honors",
        "International Baccalaureate", "Remedial", "Career and Technical Education"}},
      {"CourseIdentificationSystemDescriptor",
       {"CSSC course code", "Intermediate agency course code", "LEA course code",
        "NCES Pilot SNCCS course code", "Other", "SCED course code", "School course code",
        "State course code", "University course code"}},
      {"EducationOrganizationIdentificationSystemDescriptor",
       {"ACT", "DUNS", "Federal", "IPEDS", "LEA", "NCES", "Other", "Other Federal", "School",
        "SEA", "USDE - OPE"}},
      {"StudentIdentificationSystemDescriptor",
       {"Canadian SIN", "District", "Family", "Federal", "National Migrant", "Other", "School",
        "SSN", "State", "State Migrant", "Student Number", "Local"}},
  };
  return kLists;
}

// Canonical identifier systems with an Ed-Fi code value, per descriptor.
struct SystemMapping {
  std::string_view descriptor, system, code;
};
constexpr std::array<SystemMapping, 6> kSystems{{
    {"EducationOrganizationIdentificationSystemDescriptor", kSystemNces, "NCES"},
    {"EducationOrganizationIdentificationSystemDescriptor", kSystemState, "SEA"},
    {"EducationOrganizationIdentificationSystemDescriptor", kSystemOpeid, "USDE - OPE"},
    {"EducationOrganizationIdentificationSystemDescriptor", kSystemLocal, "Other"},
    {"StudentIdentificationSystemDescriptor", kSystemLocal, "Local"},
    {"StudentIdentificationSystemDescriptor", kSystemState, "State"},
}};

// CEDS Race option set -> OneRoster demographics column.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kCedsRace{{
    {"americanIndianOrAlaskaNative", "AmericanIndianorAlaskaNative"},
    {"asian", "Asian"},
    {"blackOrAfricanAmerican", "BlackorAfricanAmerican"},
    {"nativeHawaiianOrOtherPacificIslander", "NativeHawaiianorOtherPacificIslander"},
    {"white", "White"},
    {"demographicRaceTwoOrMoreRaces", "DemographicRaceTwoorMoreRaces"},
}};

}  // namespace

std::string_view EdFiCodeValue(std::string_view v) {
  size_t hash = v.find('#');
  return hash == std::string_view::npos ? v : v.substr(hash + 1);
}

std::string_view GradeLevelToCeds(GradeLevel g) { return Find(kCedsGrades, g); }
GradeLevel GradeLevelFromCeds(std::string_view code) {
  return FindCode(kCedsGrades, code, G::kUnspecified);
}
std::string GradeLevelToEdFi(GradeLevel g) {
  return EdFiUri("GradeLevelDescriptor", Find(kEdFiGrades, g));
}
GradeLevel GradeLevelFromEdFi(std::string_view v) {
  std::string_view code = EdFiCodeValue(v);
  G g = FindCode(kEdFiGrades, code, G::kUnspecified);
  return g != G::kUnspecified ? g : FindCode(kEdFiGradeAliases, code, G::kUnspecified);
}

std::string_view SexToOneRoster(Sex s) { return Find(kOneRosterSex, s); }
Sex SexFromOneRoster(std::string_view t) { return FindCode(kOneRosterSex, t, Sex::kUnspecified); }
std::string SexToEdFi(Sex s) { return EdFiUri("SexDescriptor", Find(kEdFiSex, s)); }
Sex SexFromEdFi(std::string_view v) {
  return FindCode(kEdFiSex, EdFiCodeValue(v), Sex::kUnspecified);
}

std::string_view SexToSif(Sex s) { return Find(kSifSex, s); }
Sex SexFromSif(std::string_view code) {
  Sex s = FindCode(kSifSex, code, Sex::kUnspecified);
  return s != Sex::kUnspecified ? s : FindCode(kCedsSex, code, Sex::kUnspecified);
}

std::string_view OrgKindToOneRoster(OrgKind k) { return Find(kOneRosterOrgKind, k); }
OrgKind OrgKindFromOneRoster(std::string_view t) {
  return FindCode(kOneRosterOrgKind, t, OrgKind::kUnspecified);
}

std::string_view SessionTypeToOneRoster(SessionType t) { return Find(kOneRosterSession, t); }
SessionType SessionTypeFromOneRoster(std::string_view t) {
  return FindCode(kOneRosterSession, t, SessionType::kUnspecified);
}
SessionType SessionTypeFromEdFiTerm(std::string_view v) {
  return FindCode(kEdFiTerm, EdFiCodeValue(v), SessionType::kUnspecified);
}
std::string SessionTypeToEdFiTerm(SessionType t) {
  switch (t) {
    case SessionType::kSchoolYear: return EdFiUri("TermDescriptor", "Year Round");
    case SessionType::kSemester: return EdFiUri("TermDescriptor", "Semester");
    case SessionType::kTerm: return EdFiUri("TermDescriptor", "Other");
    default: return {};
  }
}

SessionType SessionTypeFromCeds(std::string_view code) {
  return FindCode(kCedsSession, code, SessionType::kUnspecified);
}
std::string_view SessionTypeToCeds(SessionType t) { return Find(kCedsSession, t); }

std::string_view RoleToOneRoster(Role r) { return Find(kOneRosterRole, r); }
Role RoleFromOneRoster(std::string_view t) {
  return FindCode(kOneRosterRole, t, Role::kUnspecified);
}
std::optional<Role> RoleFromEdFiStaffClassification(std::string_view v) {
  Role r = FindCode(kEdFiStaff, EdFiCodeValue(v), Role::kUnspecified);
  if (r == Role::kUnspecified) return std::nullopt;
  return r;
}
bool IsStaffRole(Role r) {
  return r != Role::kUnspecified && r != Role::kStudent && !IsGuardianRole(r);
}
bool IsGuardianRole(Role r) {
  return r == Role::kGuardian || r == Role::kParent || r == Role::kRelative;
}

std::string_view RaceFieldFromEdFi(std::string_view v) {
  std::string_view code = EdFiCodeValue(v);
  for (const auto& [field, value] : kEdFiRace)
    if (value == code) return field;
  for (const auto& [field, value] : kEdFiRaceAliases)
    if (value == code) return field;
  return {};
}
std::string RaceFieldToEdFi(std::string_view field) {
  for (const auto& [f, value] : kEdFiRace)
    if (f == field) return EdFiUri("RaceDescriptor", value);
  return {};
}

const std::vector<std::string_view>& EdFiCodeValues(std::string_view descriptor) {
  static const std::vector<std::string_view> kNone;
  for (const CodeList& l : EdFiCodeLists())
    if (l.descriptor == descriptor) return l.codes;
  return kNone;
}

std::string EdFiDescriptorUri(std::string_view descriptor, std::string_view code_value) {
  if (code_value.empty()) return {};
  for (std::string_view c : EdFiCodeValues(descriptor))
    if (c == code_value) return EdFiUri(descriptor, code_value);
  std::string out(kPathbridgePrefix);
  out += descriptor;
  out += '#';
  out += code_value;
  return out;
}

std::string EdFiStandardUri(std::string_view descriptor, std::string_view code_value) {
  return EdFiUri(descriptor, code_value);
}

std::string IdentifierSystemToEdFi(std::string_view descriptor, std::string_view system) {
  for (const SystemMapping& m : kSystems)
    if (m.descriptor == descriptor && m.system == system) return EdFiUri(descriptor, m.code);
  return EdFiDescriptorUri(descriptor, system);
}

std::string IdentifierSystemFromEdFi(std::string_view descriptor, std::string_view v) {
  std::string_view code = EdFiCodeValue(v);
  bool edfi_namespace = v.find('#') == std::string_view::npos || v.starts_with(kEdFiPrefix);
  if (edfi_namespace)
    for (const SystemMapping& m : kSystems)
      if (m.descriptor == descriptor && m.code == code) return std::string(m.system);
  return std::string(code);
}

std::string_view RaceFieldFromCeds(std::string_view code) {
  for (const auto& [field, value] : kCedsRace)
    if (value == code) return field;
  return {};
}
std::string_view RaceFieldToCeds(std::string_view field) {
  for (const auto& [f, value] : kCedsRace)
    if (f == field) return value;
  return {};
}

}  // namespace pathbridge::canonical
