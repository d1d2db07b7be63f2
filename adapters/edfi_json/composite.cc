// The ACAN transcript composite (shared/standards/edfi/json): one object per
// student, nesting demographics, academic records with their course
// transcripts and recognitions, and the school. Decoded only; what maps
// becomes the same records the resources give (organization, person,
// demographics, course, courseResult, achievementAward). Addresses,
// guardians, assessments, GPAs and class ranks have no slot in the model.
#include "adapters/edfi_json/record_json.h"
#include "adapters/edfi_json/resources.h"

namespace pathbridge::adapters::edfi_json {
namespace {

namespace bj = boost::json;
using namespace canonical;

const bj::array* ArrayAt(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v == nullptr ? nullptr : v->if_array();
}

std::string StringAt(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  return {};
}

std::optional<double> NumberAt(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

std::string DateAt(const bj::object& o, std::string_view key) {
  std::string s = StringAt(o, key);
  return s.size() >= 10 ? s.substr(0, 10) : s;
}

// Reads `member` of `o` with property `name` of spec `spec`.
void ReadWith(const ResourceSpec<Student>& spec, std::string_view name, Student& s,
              const bj::value& value, const In& in) {
  for (const auto& p : spec.properties)
    if (p.name == name && !p.read(s, value, in)) in.Warn(name, "value not understood; dropped");
}

// The school and its district; returns the school's id.
std::string DecodeSchools(const bj::object& o, std::vector<Record>& out) {
  const bj::array* schools = ArrayAt(o, "school");
  std::string first;
  for (size_t i = 0; schools != nullptr && i < schools->size(); ++i) {
    const bj::object* s = (*schools)[i].if_object();
    if (s == nullptr || StringAt(*s, "schoolId").empty()) continue;
    Organization district;
    district.id = StringAt(*s, "districtId");
    district.name = StringAt(*s, "districtName");
    district.kind = OrgKind::kDistrict;
    Organization school;
    school.id = StringAt(*s, "schoolId");
    school.name = StringAt(*s, "schoolName");
    school.kind = OrgKind::kSchool;
    school.parent_id = district.id;
    if (!district.id.empty()) out.push_back(std::move(district));
    if (first.empty()) first = school.id;
    out.push_back(std::move(school));
  }
  return first;
}

Student DecodeStudent(const bj::object& o, const In& in) {
  bj::object names;
  for (std::string_view k : {"studentUniqueId", "firstName", "middleName", "lastSurname",
                             "birthDate"})
    if (const bj::value* v = o.if_contains(k)) names[k] = *v;
  Student s = DecodeElement(Students(), names, in);
  const auto& seoa = StudentEducationOrganizationAssociations();
  if (const bj::value* v = o.if_contains("identificationCodes")) {
    // The composite names the system "studentIdentificationSystemDescriptor" too.
    ReadWith(seoa, "studentIdentificationCodes", s, *v, in);
  }
  if (const bj::value* v = o.if_contains("studentPhones")) ReadWith(seoa, "telephones", s, *v, in);
  const bj::array* demographics = ArrayAt(o, "demographics");
  if (demographics != nullptr && !demographics->empty() && (*demographics)[0].is_object()) {
    const bj::object& d = (*demographics)[0].as_object();
    s.demographics.sex = SexFromEdFi(StringAt(d, "gender"));
    if (const bj::value* h = d.if_contains("hispanicLatinoEthnicity"); h && h->is_bool())
      s.demographics.hispanic_or_latino_ethnicity = h->as_bool();
    if (const bj::value* r = d.if_contains("races")) ReadWith(seoa, "races", s, *r, in);
  }
  return s;
}

// One academic record's course transcripts (with their courses) and recognitions.
void DecodeRecord(const bj::object& sar, const std::string& student, const std::string& school,
                  std::vector<Record>& out) {
  std::string year = StringAt(sar, "schoolYear");
  std::string term = StringAt(sar, "term");
  std::string base = student + "/" + school + "/" + year + "/" + std::string(EdFiCodeValue(term));
  const bj::array* transcripts = ArrayAt(sar, "courseTranscript");
  for (size_t i = 0; transcripts != nullptr && i < transcripts->size(); ++i) {
    const bj::object* t = (*transcripts)[i].if_object();
    if (t == nullptr) continue;
    std::string code = StringAt(*t, "courseCode");
    Course course;
    course.id = school + "/" + code;  // the natural id of the school's course
    course.code = code;
    course.title = StringAt(*t, "courseTitle");
    course.org_id = school;
    if (std::string subject = StringAt(*t, "academicSubject"); !subject.empty())
      course.subjects = {std::string(EdFiCodeValue(subject))};
    CourseResult r;
    r.id = base + "/" + course.id;  // the natural id of the transcript
    r.person_id = student;
    r.course_id = course.id;
    r.awarding_org_id = school;
    r.credits_attempted = NumberAt(*t, "attemptedCredits");
    r.credits_earned = NumberAt(*t, "earnedCredits");
    r.letter_grade = StringAt(*t, "finalLetterGradeEarned");
    r.numeric_grade = NumberAt(*t, "finalNumericGradeEarned");
    if (std::string result = StringAt(*t, "courseAttemptResult"); !result.empty())
      r.extensions["edfi:courseAttemptResultDescriptor"] = result;
    if (!year.empty()) r.extensions["edfi:studentAcademicRecordReference/schoolYear"] = year;
    if (!term.empty()) r.extensions["edfi:studentAcademicRecordReference/termDescriptor"] = term;
    ForgetDerivedValues(r);
    out.push_back(std::move(course));
    out.push_back(std::move(r));
  }
  const bj::array* recognitions = ArrayAt(sar, "recognitions");
  for (size_t i = 0; recognitions != nullptr && i < recognitions->size(); ++i) {
    const bj::object* x = (*recognitions)[i].if_object();
    if (x == nullptr) continue;
    AchievementAward a;
    a.id = base + "/recognitions/" + std::to_string(i);
    a.person_id = student;
    a.issuer_org_id = school;
    a.title = StringAt(*x, "achievementTitle");
    a.award_date = DateAt(*x, "awardMetDate");
    std::string category = StringAt(*x, "achievementCategoryDescriptor");
    a.kind = AwardKindFromAchievementCategory(category);
    if (!year.empty()) a.extensions["edfi:schoolYear"] = year;
    if (!term.empty()) a.extensions["edfi:termDescriptor"] = term;
    if (!category.empty()) a.extensions["edfi:achievementCategoryDescriptor"] = category;
    ForgetDerivedValues(a, false);
    out.push_back(std::move(a));
  }
}

}  // namespace

bool IsTranscriptComposite(const bj::object& o) {
  return o.contains("studentUniqueId") &&
         (o.contains("studentAcademicRecords") || o.contains("school"));
}

std::vector<Record> DecodeTranscriptComposite(const bj::object& o, const In& in) {
  std::vector<Record> out;
  std::string school = DecodeSchools(o, out);
  Student s = DecodeStudent(o, in);
  std::string student = s.person.id;
  for (Record& r : ToRecords(std::move(s))) out.push_back(std::move(r));
  const bj::array* records = ArrayAt(o, "studentAcademicRecords");
  for (size_t i = 0; records != nullptr && i < records->size(); ++i)
    if (const bj::object* sar = (*records)[i].if_object()) DecodeRecord(*sar, student, school, out);
  for (std::string_view k : {"studentAddresses", "guardians", "studentAssessments"})
    if (o.contains(k)) in.Warn(k, "not translated: the model has no slot for it");
  return out;
}

}  // namespace pathbridge::adapters::edfi_json
