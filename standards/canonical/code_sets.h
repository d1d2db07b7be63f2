// Canonical code sets for the enumerations the model carries, with
// crosswalks to the codes each wire format uses:
//   - OneRoster 1.2 tokens ("09", "semester", "teacher", "female"),
//   - Ed-Fi descriptor URIs ("uri://ed-fi.org/GradeLevelDescriptor#Ninth grade"),
//   - CEDS option-set codes, which SIF NA 4.x also uses for grade levels.
// The canonical enum values are named after the CEDS option sets.
//
// Origin of the tables (code.cc): Ed-Fi -> OneRoster mappings from the Ed-Fi
// OneRoster 1.2 descriptor mappings (shared/standards/crosswalks/
// edfi-to-oneroster12-descriptorMappings.jsonl, a test input that the tests
// re-check every embedded entry against); Ed-Fi grade-level code values from
// Ed-Fi DS 5.2 GradeLevelDescriptor.xml; CEDS grade codes from CEDS element
// "Grade Level" (000100), which OneRoster 1.2 adopted verbatim.
//
// Every From* function returns kUnspecified (or std::nullopt) for a code it
// does not know; callers decide whether that is a warning.
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pathbridge::canonical {

// CEDS Grade Level (IT, PR, PK, TK, KG, 01..13, PS, UG, Other).
enum class GradeLevel {
  kUnspecified = 0,
  kInfantToddler, kPreschool, kPrekindergarten, kTransitionalKindergarten, kKindergarten,
  kGrade1, kGrade2, kGrade3, kGrade4, kGrade5, kGrade6, kGrade7, kGrade8, kGrade9,
  kGrade10, kGrade11, kGrade12, kGrade13,
  kPostsecondary, kUngraded, kOther,
};
// CEDS codes are also the OneRoster 1.2 and SIF NA tokens.
std::string_view GradeLevelToCeds(GradeLevel g);
GradeLevel GradeLevelFromCeds(std::string_view code);  // exact match ("09", not "9")
std::string GradeLevelToEdFi(GradeLevel g);             // full descriptor URI
GradeLevel GradeLevelFromEdFi(std::string_view uri_or_code_value);

// CEDS Sex (Female, Male, NotSelected) plus the non-binary value that
// OneRoster 1.2 ("other") and Ed-Fi ("Non-binary") carry.
enum class Sex { kUnspecified = 0, kFemale, kMale, kNonBinary, kNotSelected };
std::string_view SexToOneRoster(Sex s);  // female, male, other, unspecified
Sex SexFromOneRoster(std::string_view token);
std::string SexToEdFi(Sex s);
Sex SexFromEdFi(std::string_view uri_or_code_value);
// SIF NA Demographics/Sex (3.x: Gender) codes: F, M (as in the SIF NA 4.2
// examples), U (not selected), X (non-binary). SexFromSif also reads the
// CEDS option-set codes Female, Male, NotSelected.
std::string_view SexToSif(Sex s);
Sex SexFromSif(std::string_view code);

// OneRoster org types, with the CEDS organization types they stand for:
// district = LEA, state = SEA (state agency), college = IHE.
enum class OrgKind {
  kUnspecified = 0, kNational, kState, kDistrict, kLocal, kSchool, kDepartment, kCollege,
  kEmployer, kOther,
};
std::string_view OrgKindToOneRoster(OrgKind k);  // "" where OneRoster has no token
OrgKind OrgKindFromOneRoster(std::string_view token);

// Academic session types (OneRoster academicSessions.type; CEDS Session Type).
enum class SessionType { kUnspecified = 0, kSchoolYear, kSemester, kTerm, kGradingPeriod };
std::string_view SessionTypeToOneRoster(SessionType t);
SessionType SessionTypeFromOneRoster(std::string_view token);
SessionType SessionTypeFromEdFiTerm(std::string_view uri_or_code_value);
// The Ed-Fi TermDescriptor URI for a session type: "Year Round", "Semester",
// "Other" (read back as a term); "" for grading periods, which Ed-Fi keeps
// in gradingPeriods, not sessions.
std::string SessionTypeToEdFiTerm(SessionType t);
// CEDS Session Type, as SIF NA TermInfo/TermSpan/Code carries it: the CEDS
// text codes (FullSchoolYear, Semester, Trimester, Quarter, MiniTerm,
// SummerTerm, Intersession, Other...) and the numeric code 0828 (Semester;
// the SIF NA 4.2 TermInfo example pairs it with the text "Semester").
// Every CEDS term-like code reads as kTerm. SessionTypeToCeds writes 0828
// for a semester, FullSchoolYear for a school year and Other for the rest
// (CEDS has no grading-period session type).
SessionType SessionTypeFromCeds(std::string_view code);
std::string_view SessionTypeToCeds(SessionType t);

// OneRoster 1.2 roles (1.1's "administrator" included); staff roles map from
// Ed-Fi StaffClassificationDescriptor.
enum class Role {
  kUnspecified = 0, kStudent, kTeacher, kAide, kAdministrator, kCounselor, kDistrictAdministrator,
  kPrincipal, kSiteAdministrator, kSystemAdministrator, kProctor, kGuardian, kParent, kRelative,
};
std::string_view RoleToOneRoster(Role r);
Role RoleFromOneRoster(std::string_view token);
// std::nullopt when the crosswalk has no OneRoster role ("?" in the file).
std::optional<Role> RoleFromEdFiStaffClassification(std::string_view uri_or_code_value);
bool IsStaffRole(Role r);
bool IsGuardianRole(Role r);  // guardian, parent, relative

// Race flags are model fields ("demographics.asian", ...); Ed-Fi names a race
// by RaceDescriptor. Returns the field's short name ("asian") or "" if unknown.
std::string_view RaceFieldFromEdFi(std::string_view uri_or_code_value);
std::string RaceFieldToEdFi(std::string_view field);  // "" if unknown
// The CEDS Race option-set codes (AmericanIndianorAlaskaNative, Asian,
// BlackorAfricanAmerican, NativeHawaiianorOtherPacificIslander, White,
// DemographicRaceTwoorMoreRaces), which SIF NA RaceList/Race/Code carries.
std::string_view RaceFieldFromCeds(std::string_view code);  // "" if unknown
std::string_view RaceFieldToCeds(std::string_view field);   // "" if unknown

// Strips "uri://...Descriptor#" from an Ed-Fi descriptor value, leaving the
// code value; a bare code value is returned as is.
std::string_view EdFiCodeValue(std::string_view uri_or_code_value);

// A descriptor URI for a free-text code: in the Ed-Fi namespace
// ("uri://ed-fi.org/AcademicSubjectDescriptor#Science") when `code_value` is
// one of the DS 5.2 code values of `descriptor`, otherwise in pathbridge's own
// namespace ("uri://pathbridge/AcademicSubjectDescriptor#Physics"), which
// Ed-Fi allows for locally defined descriptor values. "" for an empty code.
// Descriptors with embedded code lists: AcademicSubject, CreditCategory,
// CourseIdentificationSystem, EducationOrganizationIdentificationSystem,
// StudentIdentificationSystem; any other descriptor gets the pathbridge
// namespace.
std::string EdFiDescriptorUri(std::string_view descriptor, std::string_view code_value);
// "uri://ed-fi.org/<descriptor>#<code>" for codes that are Ed-Fi's by
// definition (USPS state abbreviations, ISO 3166 country codes); "" for an
// empty code.
std::string EdFiStandardUri(std::string_view descriptor, std::string_view code_value);
// The DS 5.2 code values embedded for `descriptor` (empty if none).
const std::vector<std::string_view>& EdFiCodeValues(std::string_view descriptor);

// Identifier systems (model.h Identifier::system) <-> Ed-Fi identification
// system descriptors: for EducationOrganizationIdentificationSystemDescriptor
// nces <-> NCES, state <-> SEA, opeid <-> "USDE - OPE", local <-> Other; for
// StudentIdentificationSystemDescriptor local <-> Local, state <-> State. Any
// other code value is the system name itself ("SSN", "DUNS", "LDAP").
std::string IdentifierSystemToEdFi(std::string_view descriptor, std::string_view system);
std::string IdentifierSystemFromEdFi(std::string_view descriptor, std::string_view uri_or_code);

}  // namespace pathbridge::canonical
