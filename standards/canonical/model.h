// The canonical education-data model every adapter translates to and from
// (N adapters, not NxM converters). Element names follow CEDS where CEDS has
// one. Values are normalized: dates "YYYY-MM-DD", date-times RFC 3339,
// enumerations as canonical code sets (code_sets.h); an empty string, empty
// list, std::nullopt or kUnspecified means "absent".
//
// Every field has a stable dotted path, "<recordType>.<field>" (e.g.
// "demographics.birthDate", "courseResult.creditsEarned"), used by adapter
// capability lists and the loss report. The paths are declared once, in each
// type's Fields() below.
//
// Demographics are a record type of their own so that this separately scoped
// PII can be filtered, encrypted or dropped as a unit.
//
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "standards/canonical/code_sets.h"

namespace pathbridge::canonical {

// Where a record came from, for diagnostics and loss-report examples.
struct SourceLocation {
  std::string file;     // path, or "bundle.zip!users.csv" for a zip member
  uint64_t line = 0;    // 1-based; 0 if unknown
  uint64_t column = 0;  // 1-based, in bytes
  std::string pointer;  // JSON pointer or XPath within a document, if any
  // "file:line:column pointer", leaving out what is unknown.
  std::string ToString() const;
  bool operator==(const SourceLocation&) const = default;
};

// An identifier and the system that issued it.
struct Identifier {
  std::string system;  // one of the kSystem* names, or a format-specific name
  std::string value;
  bool operator==(const Identifier&) const = default;
};
// Well-known identifier systems.
inline constexpr std::string_view kSystemNces = "nces";
inline constexpr std::string_view kSystemState = "state";
inline constexpr std::string_view kSystemOpeid = "opeid";
inline constexpr std::string_view kSystemLocal = "local";  // district/school-assigned
// A OneRoster userIds entry "{LDAP:12}" becomes {system "LDAP", value "12"}.

using Extensions = std::map<std::string, std::string>;

// What every record carries. `id` is the record's identifier in its source
// system (OneRoster sourcedId, Ed-Fi natural key, SIF RefId) and is what
// references between records use. `status` and `dateLastModified` are the
// OneRoster/SIF change-tracking values. `extensions` holds fields the model
// has no slot for, by the source's name, so that same-format round trips
// keep them.
struct RecordBase {
  std::string id;
  std::string status;            // "active" or "tobedeleted"
  std::string date_last_modified;
  Extensions extensions;
  SourceLocation source;
  // Content equality: `source` is provenance, not content.
  bool operator==(const RecordBase& o) const {
    return id == o.id && status == o.status && date_last_modified == o.date_last_modified &&
           extensions == o.extensions;
  }
};

// Applies f(name, member) to the fields every record has.
template <typename Self, typename F>
void BaseFields(Self& r, F&& f) {
  f("id", r.id);
  f("status", r.status);
  f("dateLastModified", r.date_last_modified);
  f("extensions", r.extensions);
}

// Each record type below lists its fields once, in Fields(self, f), which
// calls f(fieldName, member) for every member (const or not); the path of a
// field is kType + "." + fieldName.

struct Organization : RecordBase {
  static constexpr std::string_view kType = "organization";
  std::string name;
  OrgKind kind = OrgKind::kUnspecified;
  std::vector<Identifier> identifiers;
  std::string parent_id;
  std::string url;    // home page; an issuer profile's url (OB 3.0, CTDL)
  std::string email;  // the organization's contact address (not a person's)
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("name", r.name);
    f("kind", r.kind);
    f("identifiers", r.identifiers);
    f("parentId", r.parent_id);
    f("url", r.url);
    f("email", r.email);
  }
  bool operator==(const Organization&) const = default;
};

struct Person : RecordBase {
  static constexpr std::string_view kType = "person";
  Role role = Role::kUnspecified;  // primary role
  std::vector<Identifier> identifiers;
  std::string given_name, middle_name, family_name;
  std::string preferred_given_name, preferred_middle_name, preferred_family_name;
  std::string pronouns;
  std::string username;
  std::string email;
  std::string sms, phone;
  std::optional<bool> enabled;
  std::vector<std::string> org_ids;  // organizations the person belongs to
  std::string primary_org_id;
  std::vector<std::string> agent_ids;  // guardians / related persons
  std::vector<GradeLevel> grade_levels;
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("role", r.role);
    f("identifiers", r.identifiers);
    f("givenName", r.given_name);
    f("middleName", r.middle_name);
    f("familyName", r.family_name);
    f("preferredGivenName", r.preferred_given_name);
    f("preferredMiddleName", r.preferred_middle_name);
    f("preferredFamilyName", r.preferred_family_name);
    f("pronouns", r.pronouns);
    f("username", r.username);
    f("email", r.email);
    f("sms", r.sms);
    f("phone", r.phone);
    f("enabled", r.enabled);
    f("orgIds", r.org_ids);
    f("primaryOrgId", r.primary_org_id);
    f("agentIds", r.agent_ids);
    f("gradeLevels", r.grade_levels);
  }
  bool operator==(const Person&) const = default;
};

// Separately scoped PII; `id` is the person's id.
struct Demographics : RecordBase {
  static constexpr std::string_view kType = "demographics";
  std::string birth_date;
  Sex sex = Sex::kUnspecified;
  std::optional<bool> american_indian_or_alaska_native, asian, black_or_african_american,
      native_hawaiian_or_other_pacific_islander, white, two_or_more_races,
      hispanic_or_latino_ethnicity;
  std::string country_of_birth;  // ISO 3166 / CEDS country code
  std::string state_of_birth;    // USPS abbreviation
  std::string city_of_birth;
  std::string public_school_residence_status;
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("birthDate", r.birth_date);
    f("sex", r.sex);
    f("americanIndianOrAlaskaNative", r.american_indian_or_alaska_native);
    f("asian", r.asian);
    f("blackOrAfricanAmerican", r.black_or_african_american);
    f("nativeHawaiianOrOtherPacificIslander", r.native_hawaiian_or_other_pacific_islander);
    f("white", r.white);
    f("demographicRaceTwoOrMoreRaces", r.two_or_more_races);
    f("hispanicOrLatinoEthnicity", r.hispanic_or_latino_ethnicity);
    f("countryOfBirthCode", r.country_of_birth);
    f("stateOfBirthAbbreviation", r.state_of_birth);
    f("cityOfBirth", r.city_of_birth);
    f("publicSchoolResidenceStatus", r.public_school_residence_status);
  }
  bool operator==(const Demographics&) const = default;
};

struct AcademicSession : RecordBase {
  static constexpr std::string_view kType = "academicSession";
  std::string title;
  SessionType type = SessionType::kUnspecified;
  std::string start_date, end_date;
  std::string parent_id;
  std::string school_year;  // the ending year, "2024" for 2023-24
  std::string org_id;
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("title", r.title);
    f("type", r.type);
    f("startDate", r.start_date);
    f("endDate", r.end_date);
    f("parentId", r.parent_id);
    f("schoolYear", r.school_year);
    f("orgId", r.org_id);
  }
  bool operator==(const AcademicSession&) const = default;
};

struct Course : RecordBase {
  static constexpr std::string_view kType = "course";
  std::string title;
  std::string code;             // local course code
  std::string sced_code;        // NCES SCED, e.g. "03051"
  std::string cip_code;         // postsecondary CIP, e.g. "26.0101"
  std::optional<double> credits;
  std::string org_id;
  std::string school_year_id;   // academic session id
  std::vector<GradeLevel> grade_levels;
  std::vector<std::string> subjects;
  std::vector<std::string> subject_codes;
  std::string description;
  std::string credit_unit;   // CEDS Course Credit Units: Semester, Quarter, CarnegieUnit, ClockHours...
  std::string course_level;  // CEDS/PESC course level: LowerDivision, UpperDivision, Remedial, Graduate, Honors...
  // Frameworks the course aligns to, as {framework, code or URI}: {"CIP",
  // "48.0508"}, {"SOC", "51-4121"}, {"CTDL", "https://credentialengineregistry.org/resources/ce-..."}.
  std::vector<Identifier> alignments;
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("title", r.title);
    f("code", r.code);
    f("scedCode", r.sced_code);
    f("cipCode", r.cip_code);
    f("credits", r.credits);
    f("orgId", r.org_id);
    f("schoolYearId", r.school_year_id);
    f("gradeLevels", r.grade_levels);
    f("subjects", r.subjects);
    f("subjectCodes", r.subject_codes);
    f("description", r.description);
    f("creditUnit", r.credit_unit);
    f("courseLevel", r.course_level);
    f("alignments", r.alignments);
  }
  bool operator==(const Course&) const = default;
};

enum class SectionType { kUnspecified = 0, kHomeroom, kScheduled };

// A class/section: one offering of a course in sessions at an organization.
struct Section : RecordBase {
  static constexpr std::string_view kType = "section";
  std::string title;
  std::string code;
  SectionType type = SectionType::kUnspecified;
  std::string course_id;
  std::string org_id;
  std::vector<std::string> session_ids;
  std::string location;
  std::vector<std::string> periods;
  std::vector<GradeLevel> grade_levels;
  std::vector<std::string> subjects;
  std::vector<std::string> subject_codes;
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("title", r.title);
    f("code", r.code);
    f("type", r.type);
    f("courseId", r.course_id);
    f("orgId", r.org_id);
    f("sessionIds", r.session_ids);
    f("location", r.location);
    f("periods", r.periods);
    f("gradeLevels", r.grade_levels);
    f("subjects", r.subjects);
    f("subjectCodes", r.subject_codes);
  }
  bool operator==(const Section&) const = default;
};

// kOrganization: a person's membership of a school/organization (school
// enrollment, staff assignment; OneRoster roles.csv). kSection: a person in a
// class/section (OneRoster enrollments.csv).
enum class EnrollmentKind { kUnspecified = 0, kOrganization, kSection };

struct Enrollment : RecordBase {
  static constexpr std::string_view kType = "enrollment";
  EnrollmentKind kind = EnrollmentKind::kUnspecified;
  std::string person_id;
  std::string org_id;
  std::string section_id;
  Role role = Role::kUnspecified;
  std::optional<bool> primary;
  std::string begin_date, end_date;
  GradeLevel entry_grade_level = GradeLevel::kUnspecified;
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("kind", r.kind);
    f("personId", r.person_id);
    f("orgId", r.org_id);
    f("sectionId", r.section_id);
    f("role", r.role);
    f("primary", r.primary);
    f("beginDate", r.begin_date);
    f("endDate", r.end_date);
    f("entryGradeLevel", r.entry_grade_level);
  }
  bool operator==(const Enrollment&) const = default;
};

// A transcript line: a student's result in a course (CEDS "Course Section
// Enrollment"/"Student Course Record").
struct CourseResult : RecordBase {
  static constexpr std::string_view kType = "courseResult";
  std::string person_id;
  std::string course_id;
  std::string section_id;
  std::string session_id;
  std::optional<double> credits_attempted, credits_earned;
  std::string credit_type;  // CEDS Credit Type Earned: Regular, Dual, AP, ...
  std::string letter_grade;
  std::optional<double> numeric_grade;
  std::optional<bool> dual_credit;
  std::string dual_credit_institution_id;
  std::string awarding_org_id;
  std::string credit_unit;            // of the credits above, as Course::credit_unit
  std::optional<double> grade_points;  // quality points earned (credits x grade value)
  std::string completion_date;        // when the grade was awarded / the course ended
  std::string course_repeat_code;     // CEDS Course Repeat Code: RepeatCounted, RepeatNotCounted...
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("personId", r.person_id);
    f("courseId", r.course_id);
    f("sectionId", r.section_id);
    f("sessionId", r.session_id);
    f("creditsAttempted", r.credits_attempted);
    f("creditsEarned", r.credits_earned);
    f("creditType", r.credit_type);
    f("letterGrade", r.letter_grade);
    f("numericGrade", r.numeric_grade);
    f("dualCredit", r.dual_credit);
    f("dualCreditInstitutionId", r.dual_credit_institution_id);
    f("awardingOrgId", r.awarding_org_id);
    f("creditUnit", r.credit_unit);
    f("gradePoints", r.grade_points);
    f("completionDate", r.completion_date);
    f("courseRepeatCode", r.course_repeat_code);
  }
  bool operator==(const CourseResult&) const = default;
};

enum class AwardKind {
  kUnspecified = 0, kDiploma, kIndustryCertification, kWorkBasedLearning, kDegree, kCertificate,
  kOther, kLicense, kBadge,
};

struct AchievementAward : RecordBase {
  static constexpr std::string_view kType = "achievementAward";
  AwardKind kind = AwardKind::kUnspecified;
  std::string person_id;
  std::string title;
  std::string description;
  std::string issuer_org_id;
  std::string award_date;
  std::optional<double> hours;  // work-based learning hours
  std::string level;           // degree/diploma level: "Associate", "Bachelor", "Regular Diploma"...
  std::string field_of_study;  // major / program name
  std::string cip_code;        // the program's CIP code
  std::optional<double> credits_earned;
  std::string expiration_date;
  // Numbers the issuer gave the award (certificate or license numbers), as
  // {issuing system, value}.
  std::vector<Identifier> identifiers;
  // The credentialDefinition record this award is an instance of (a CTDL
  // credential, an OB 3.0 Achievement), by its id.
  std::string definition_id;
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("kind", r.kind);
    f("personId", r.person_id);
    f("title", r.title);
    f("description", r.description);
    f("issuerOrgId", r.issuer_org_id);
    f("awardDate", r.award_date);
    f("hours", r.hours);
    f("level", r.level);
    f("fieldOfStudy", r.field_of_study);
    f("cipCode", r.cip_code);
    f("creditsEarned", r.credits_earned);
    f("expirationDate", r.expiration_date);
    f("identifiers", r.identifiers);
    f("definitionId", r.definition_id);
  }
  bool operator==(const AchievementAward&) const = default;
};

// A student's grade-point average and credit totals at an institution, for
// one session or (session_id empty) cumulatively: PESC AcademicSummary, Ed-Fi
// studentAcademicRecords' GPAs, a CLR's summary result.
struct AcademicSummary : RecordBase {
  static constexpr std::string_view kType = "academicSummary";
  std::string person_id;
  std::string org_id;      // the institution that computed it
  std::string session_id;  // "" = cumulative
  std::string level;       // "HighSchool", "Undergraduate", "Graduate"...
  std::optional<double> gpa, gpa_min, gpa_max;  // the GPA and its scale
  std::optional<double> credits_attempted, credits_earned, grade_points;
  std::string credit_unit;
  std::optional<double> class_rank, class_size;
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("personId", r.person_id);
    f("orgId", r.org_id);
    f("sessionId", r.session_id);
    f("level", r.level);
    f("gpa", r.gpa);
    f("gpaMin", r.gpa_min);
    f("gpaMax", r.gpa_max);
    f("creditsAttempted", r.credits_attempted);
    f("creditsEarned", r.credits_earned);
    f("gradePoints", r.grade_points);
    f("creditUnit", r.credit_unit);
    f("classRank", r.class_rank);
    f("classSize", r.class_size);
  }
  bool operator==(const AcademicSummary&) const = default;
};

// The description of a credential or learning opportunity that awards are
// instances of: a CTDL Certification / Degree / Badge / Course..., an OB 3.0
// Achievement. `id` is its registry URI (CTDL) or the Achievement's id.
struct CredentialDefinition : RecordBase {
  static constexpr std::string_view kType = "credentialDefinition";
  std::string definition_type;  // the CTDL class: "Certification", "AssociateDegree", "Course", "LearningOpportunityProfile"...
  std::string name;
  std::string description;
  std::string ctid;             // Credential Engine's "ce-<uuid>"
  std::string owner_org_id;     // the organization offering it
  std::string url;              // subject webpage
  std::string image;
  std::string criteria;         // narrative: what earning it requires
  std::optional<double> credits;
  std::string credit_unit;
  std::optional<double> hours;
  std::vector<std::string> keywords;
  // Occupations, industries, programs and competencies it aligns to, as
  // {framework, code or URI}: {"SOC", "51-4121"}, {"NAICS", "333"}, {"CIP", "48.0508"}.
  std::vector<Identifier> alignments;
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("definitionType", r.definition_type);
    f("name", r.name);
    f("description", r.description);
    f("ctid", r.ctid);
    f("ownerOrgId", r.owner_org_id);
    f("url", r.url);
    f("image", r.image);
    f("criteria", r.criteria);
    f("credits", r.credits);
    f("creditUnit", r.credit_unit);
    f("hours", r.hours);
    f("keywords", r.keywords);
    f("alignments", r.alignments);
  }
  bool operator==(const CredentialDefinition&) const = default;
};

// A position a person held (LER-RS employment history, work-based learning
// placements).
struct Employment : RecordBase {
  static constexpr std::string_view kType = "employment";
  std::string person_id;
  std::string employer_org_id;
  std::string title;  // position title
  std::string description;
  std::string start_date, end_date;
  std::optional<bool> current;
  std::string location;  // "City, ST" as the source gives it
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("personId", r.person_id);
    f("employerOrgId", r.employer_org_id);
    f("title", r.title);
    f("description", r.description);
    f("startDate", r.start_date);
    f("endDate", r.end_date);
    f("current", r.current);
    f("location", r.location);
  }
  bool operator==(const Employment&) const = default;
};

// Gradebook (OneRoster categories, lineItems, results).
struct Category : RecordBase {
  static constexpr std::string_view kType = "category";
  std::string title;
  std::optional<double> weight;
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("title", r.title);
    f("weight", r.weight);
  }
  bool operator==(const Category&) const = default;
};

struct LineItem : RecordBase {
  static constexpr std::string_view kType = "lineItem";
  std::string title, description;
  std::string assign_date, due_date;  // date-times
  std::string section_id;
  std::string category_id;
  std::string grading_period_id;
  std::optional<double> result_value_min, result_value_max;
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("title", r.title);
    f("description", r.description);
    f("assignDate", r.assign_date);
    f("dueDate", r.due_date);
    f("sectionId", r.section_id);
    f("categoryId", r.category_id);
    f("gradingPeriodId", r.grading_period_id);
    f("resultValueMin", r.result_value_min);
    f("resultValueMax", r.result_value_max);
  }
  bool operator==(const LineItem&) const = default;
};

// A score for one student on one line item (named so as not to clash with
// pathbridge::Result).
struct LineItemResult : RecordBase {
  static constexpr std::string_view kType = "result";
  std::string line_item_id;
  std::string person_id;
  std::string score_status;  // OneRoster scoreStatus token
  std::optional<double> score;
  std::string score_date;
  std::string comment;
  template <typename Self, typename F>
  static void Fields(Self& r, F&& f) {
    BaseFields(r, f);
    f("lineItemId", r.line_item_id);
    f("personId", r.person_id);
    f("scoreStatus", r.score_status);
    f("score", r.score);
    f("scoreDate", r.score_date);
    f("comment", r.comment);
  }
  bool operator==(const LineItemResult&) const = default;
};

using Record = std::variant<Organization, Person, Demographics, AcademicSession, Course, Section,
                            Enrollment, CourseResult, AchievementAward, AcademicSummary,
                            CredentialDefinition, Employment, Category, LineItem, LineItemResult>;

namespace internal {
template <typename T, typename... Ts>
constexpr size_t IndexIn(const std::variant<Ts...>*) {
  constexpr bool same[] = {std::is_same_v<T, Ts>...};
  for (size_t i = 0; i < sizeof...(Ts); ++i)
    if (same[i]) return i;
  return sizeof...(Ts);
}
}  // namespace internal
// The variant index of record type T in Record (what Record::index() gives).
template <typename T>
inline constexpr size_t kTypeIndex = internal::IndexIn<T>(static_cast<const Record*>(nullptr));

// "person", "courseResult", ...
std::string_view RecordType(const Record& r);
// Every record type name, in variant order.
const std::vector<std::string_view>& RecordTypes();
const RecordBase& Base(const Record& r);
RecordBase& Base(Record& r);

// Every field path of every record type ("organization.id", ...).
const std::vector<std::string>& AllFieldPaths();
// The paths of the fields `r` has a value in.
std::vector<std::string> PresentFieldPaths(const Record& r);
// The field paths of the record type at variant index `type`, in Fields()
// order: the indexes ForEachPresentFieldIndexOf gives refer to them.
const std::vector<std::string>& FieldPathsOf(size_t type);
// Calls fn(index) for each field `r` has a value in, `index` into
// FieldPathsOf(the type's variant index). The translation hot path keeps
// per-field tables by index rather than building and hashing paths.
// With `among`: only the fields whose bit (1 << index) is set in it, and
// every field past the 64th (the fields a target cannot carry, looked at
// without testing the others).
template <typename T, typename Fn>
void ForEachPresentFieldIndexOf(const T& r, uint64_t among, Fn&& fn) {
  size_t index = 0;
  T::Fields(r, [&](std::string_view, const auto& member) {
    size_t i = index++;
    if ((i >= 64 || (among >> i & 1)) && !(member == std::remove_cvref_t<decltype(member)>{})) fn(i);
  });
}
template <typename T, typename Fn>
void ForEachPresentFieldIndexOf(const T& r, Fn&& fn) {
  ForEachPresentFieldIndexOf(r, ~uint64_t{0}, std::forward<Fn>(fn));
}
// Clears the field at `path` (of r's type); false if there is no such field.
bool ClearField(Record& r, std::string_view path);

}  // namespace pathbridge::canonical
