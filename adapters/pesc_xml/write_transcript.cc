// Writing one student's records as a transcript element (transcript.h), in
// the element order of the v1.8.0 / v1.6.0 XSDs (AcademicRecord v1.13.0,
// CoreMain v1.19.0).
#include <charconv>
#include <ctime>

#include "adapters/pesc_xml/transcript.h"
#include "adapters/pesc_xml/xml_tree.h"
#include "standards/canonical/pesc_codes.h"

namespace pathbridge::adapters::pesc_xml {

using namespace canonical;
using Order = std::vector<std::string_view>;

const std::vector<std::pair<std::string_view, std::string_view>>& OrgIdElements();
const std::vector<std::pair<std::string_view, std::string_view>>& PersonIdElements();

namespace {

// Sequences of the XSD types written, the optional elements included, so
// that elements kept in extensions go back to their places.
const Order kTransmissionOrder = {
    "DocumentID", "CreatedDateTime", "DocumentTypeCode", "TransmissionType", "Source", "Destination",
    "DocumentProcessCode", "DocumentOfficialCode", "DocumentCompleteCode", "RequestTrackingID",
    "UserDefinedExtensions", "NoteMessage"};
const Order kStudentOrder = {"Person", "AcademicRecord", "Health", "Tests", "NoteMessage",
                             "UserDefinedExtensions"};
const Order kPersonOrder = {
    "SchoolAssignedPersonID", "SIN", "NSN", "AgencyAssignedID", "AgencyIdentifier",
    "RecipientAssignedID", "SSN", "PartialSSN", "Birth", "Name", "AlternateName", "HighSchool",
    "ParentGuardianName", "ParentGuardian", "Contacts", "Gender", "Residency", "RaceEthnicity",
    "EthnicityRace", "Deceased", "Language", "NoteMessage"};
const Order kBirthOrder = {"BirthDate", "Birthday", "BirthYear", "BirthCity", "BirthStateProvinceCode",
                           "BirthCountry", "Age", "NoteMessage"};
const Order kNameOrder = {"NameCode", "NamePrefix", "FirstName", "MiddleName", "LastName",
                          "NameSuffix", "NameTitle", "CompositeName", "NoteMessage"};
const Order kSessionOrder = {"AcademicSessionDetail", "School", "StudentLevel", "AcademicProgram",
                             "AcademicAward", "Course", "LearningExperience", "AcademicSummary",
                             "AttendanceCount", "UserDefinedExtensions", "NoteMessage"};
const Order kSessionDetailOrder = {"SessionDesignator", "SessionDesignatorSuffix", "SessionName",
                                   "SessionType", "SessionSchoolYear", "SessionBeginDate",
                                   "SessionEndDate", "NoteMessage"};
const Order kCourseOrder = {
    "CourseCreditBasis", "CourseCreditUnits", "CourseCreditLevel", "CourseCreditValue",
    "CourseCreditEarned", "CourseAcademicGradeScaleCode", "CourseAcademicGrade",
    "CourseSupplementalAcademicGrade", "CourseAverageGrade", "CourseEquivalentAcademicGrade",
    "CourseAcademicGradeStatusCode", "CourseNarrativeExplanationGrade", "CourseRepeatCode",
    "CourseCIPCode", "CourseCSISCode", "CourseUSISCode", "CourseNCESCode", "CourseSCEDCode",
    "CourseFiveDigitSCEDCode", "CourseSubjectAreaCode", "CourseQualityPointsEarned", "CourseLevel",
    "CourseGPAApplicabilityCode", "CourseSubjectAbbreviation", "CourseNumber", "CourseSectionNumber",
    "OriginalCourseID", "AgencyCourseID", "CourseTitle", "CourseDescription", "ClassSize",
    "CourseAddDate", "CourseDropDate", "CourseOverrideSchool", "OverrideSchoolCourseNumber",
    "CourseApplicability", "CourseBeginDate", "CourseEndDate", "CourseInstructionSite",
    "CourseInstructionSiteName", "Requirement", "Attribute", "Proficiency", "Licensure",
    "LanguageOfInstruction", "CourseInstructionMethod", "CourseInstructor", "LearningTopic",
    "LearningOutcome", "NoteMessage", "UserDefinedExtensions"};
const Order kSummaryOrder = {
    "AcademicSummaryType", "AcademicSummaryLevel", "GPA", "AcademicHonors", "ClassRank", "ClassSize",
    "UserDefinedExtensions", "NoteMessage", "AcademicProgram", "Delinquencies", "EntryDate",
    "ExitDate", "ExitReasonCode", "ClassRankSessionCount", "ClassRankDate", "ClassRankYear",
    "ClassRankYearMonth"};
const Order kGpaOrder = {"CreditHoursAttempted", "CreditHoursEarned", "CreditHoursRequired",
                         "CreditHoursDeficient", "CreditUnit", "GradePointAverage",
                         "TotalQualityPoints", "CreditHoursforGPA", "GPARangeMinimum",
                         "GPARangeMaximum", "NoteMessage"};
const Order kAwardOrder = {"AcademicAwardLevel", "AcademicAwardDate", "AcademicAwardTitle",
                           "AcademicHonors", "AcademicCompletionIndicator", "AcademicCompletionDate",
                           "AcademicAwardProgram", "AcademicDegreeRequirement", "AcademicSummary",
                           "NoteMessage"};
const Order kProgramOrder = {"ProgramSecondarySchoolCode", "ProgramCIPCode", "ProgramHEGISCode",
                             "ProgramCSISCode", "ProgramUSISCode", "ProgramESISCode",
                             "ProgramLocalCode", "AcademicProgramType", "AcademicProgramName",
                             "NoteMessage", "UserDefinedExtensions", "ProgramSummary"};

// The shortest text that reads back as `v` (xs:decimal: no exponent for
// the magnitudes transcripts hold).
std::string Number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (ec != std::errc()) return "0";
  return std::string(buf, end);
}

std::string UtcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
void AddNumber(pugi::xml_node n, const char* name, const std::optional<double>& v) {
  if (v) AddText(n, name, Number(*v));
}

Order OrgOrder(bool school) {
  Order order;
  if (school) order.push_back("OrganizationName");
  for (const auto& [element, system] : OrgIdElements()) order.push_back(element);
  order.insert(order.end(), {"MutuallyDefined", "GEOCode", "LocalOrganizationID", "OrganizationName",
                             "SchoolOverrideCode", "SchoolLevel", "Contacts", "Accreditation",
                             "NoteMessage"});
  return order;
}

class Writer {
 public:
  Writer(TranscriptKind kind, const StudentRecords& s, const Catalog& catalog,
         const std::function<void(std::string)>& note)
      : kind_(kind), s_(s), catalog_(catalog), note_(note) {}

  void Write(pugi::xml_node parent) {
    bool college = kind_ == TranscriptKind::kCollege;
    pugi::xml_node root = parent.append_child(college ? "ColTrn:CollegeTranscript" : "HSTrn:HighSchoolTranscript");
    root.append_attribute(college ? "xmlns:ColTrn" : "xmlns:HSTrn") =
        std::string(college ? kCollegeNamespace : kHighSchoolNamespace).c_str();
    WriteTransmission(root.append_child("TransmissionData"));
    pugi::xml_node student = root.append_child("Student");
    WritePerson(student.append_child("Person"));
    for (const std::string& org : RecordOrgs()) WriteRecord(student.append_child("AcademicRecord"), org);
    PutExtensions(student, s_.person.extensions, "Student/", kStudentOrder);
    SortChildren(student, kStudentOrder);
  }

 private:
  const Extensions& ext() const { return s_.person.extensions; }
  std::string Ext(const std::string& key, std::string fallback = {}) const {
    auto it = ext().find(key);
    return it == ext().end() ? fallback : it->second;
  }
  const Organization* FindOrg(const std::string& id) const {
    auto it = catalog_.orgs.find(id);
    return it == catalog_.orgs.end() ? nullptr : &it->second;
  }

  void WriteTransmission(pugi::xml_node td) {
    std::string id = Ext("TransmissionData/DocumentID", "pathbridge-" + s_.person.id);
    AddText(td, "DocumentID", id.substr(0, 36));
    AddText(td, "CreatedDateTime", Ext("TransmissionData/CreatedDateTime", UtcNow()));
    AddText(td, "DocumentTypeCode", Ext("TransmissionData/DocumentTypeCode", "RequestedRecord"));
    AddText(td, "TransmissionType", Ext("TransmissionData/TransmissionType", "Original"));
    std::string source = Ext("TransmissionData/Source", s_.person.primary_org_id);
    WriteOrg(td.append_child("Source").append_child("Organization"), FindOrg(source), false);
    WriteOrg(td.append_child("Destination").append_child("Organization"),
             FindOrg(Ext("TransmissionData/Destination")), false);
    // The other TransmissionData elements, but not those written above.
    Extensions rest = ext();
    for (const char* done : {"DocumentID", "CreatedDateTime", "DocumentTypeCode", "TransmissionType",
                             "Source", "Destination"})
      rest.erase(std::string("TransmissionData/") + done);
    PutExtensions(td, rest, "TransmissionData/", kTransmissionOrder);
    SortChildren(td, kTransmissionOrder);
  }

  void WriteOrg(pugi::xml_node n, const Organization* o, bool school) {
    if (o == nullptr) {
      if (school) AddText(n, "OrganizationName", "Unknown");
      return;
    }
    std::string derived;
    for (const auto& [element, system] : OrgIdElements())
      for (const Identifier& i : o->identifiers)
        if (i.system == system && !i.value.empty()) {
          if (derived.empty()) derived = i.system + ":" + i.value;
          AddText(n, std::string(element).c_str(), i.value);
          break;
        }
    for (const Identifier& i : o->identifiers) {
      std::string_view system = i.system;
      if (system != kSystemLocal && !system.starts_with(std::string(kSystemLocal) + ":")) continue;
      pugi::xml_node local = n.append_child("LocalOrganizationID");
      AddText(local, "LocalOrganizationIDCode", i.value);
      if (system.size() > kSystemLocal.size()) AddText(local, "LocalOrganizationIDQualifier", system.substr(kSystemLocal.size() + 1));
      if (derived.empty()) derived = i.system + ":" + i.value;
      break;
    }
    if (derived.empty() && !o->name.empty()) derived = "name:" + o->name;
    if (o->id != derived) AddText(n, "MutuallyDefined", o->id);
    AddText(n, "OrganizationName", o->name.empty() && school ? o->id : o->name);
    if (!o->email.empty() || !o->url.empty()) {
      pugi::xml_node contacts = n.append_child("Contacts");
      if (!o->email.empty()) AddText(contacts.append_child("Email"), "EmailAddress", o->email);
      if (!o->url.empty()) AddText(contacts.append_child("URL"), "URLAddress", o->url);
    }
    SortChildren(n, OrgOrder(school));
  }

  void WritePerson(pugi::xml_node n) {
    const Person& p = s_.person;
    if (p.id.size() <= 20) AddText(n, "SchoolAssignedPersonID", p.id);
    for (const Identifier& i : p.identifiers) {
      bool written = false;
      for (const auto& [element, system] : PersonIdElements())
        if (i.system == system && !n.child(std::string(element).c_str())) {
          AddText(n, std::string(element).c_str(), i.value);
          written = true;
        }
      if (!written) written = WriteAgencyId(n, i);
      if (!written) note_("person identifiers of system \"" + i.system + "\" have no place in a PESC transcript; not written");
    }
    pugi::xml_node birth = n.append_child("Birth");
    if (const auto& d = s_.demographics) {
      AddText(birth, "BirthDate", d->birth_date);
      AddText(birth, "BirthCity", d->city_of_birth);
      AddText(birth, "BirthStateProvinceCode", d->state_of_birth);
      AddText(birth, "BirthCountry", d->country_of_birth);
    }
    PutExtensions(birth, ext(), "Birth/", kBirthOrder);
    SortChildren(birth, kBirthOrder);
    if (!birth.first_child()) n.remove_child(birth);
    pugi::xml_node name = n.append_child("Name");
    AddText(name, "FirstName", p.given_name);
    AddText(name, "MiddleName", p.middle_name);
    AddText(name, "LastName", p.family_name);
    PutExtensions(name, ext(), "Name/", kNameOrder);
    SortChildren(name, kNameOrder);
    if (!ext().count("Contacts#xml") && !p.email.empty())
      AddText(n.append_child("Contacts").append_child("Email"), "EmailAddress", p.email);
    if (s_.demographics) {
      std::string_view gender = SexToPesc(s_.demographics->sex);
      if (!gender.empty()) AddText(n.append_child("Gender"), "GenderCode", gender);
    }
    PutExtensions(n, ext(), "", kPersonOrder);
    SortChildren(n, kPersonOrder);
  }

  // "state", "province:NS", ...: an AgencyIdentifier.
  static bool WriteAgencyId(pugi::xml_node n, const Identifier& i) {
    static const Order kCodes = {"District", "Migrant", "MutuallyDefined", "National",
                                 "Province", "Regional", "State"};
    std::string_view system = i.system;
    std::string_view code = system.substr(0, system.find(':'));
    for (std::string_view c : kCodes) {
      if (code.size() != c.size() ||
          !std::equal(code.begin(), code.end(), c.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          }))
        continue;
      pugi::xml_node a = n.append_child("AgencyIdentifier");
      AddText(a, "AgencyAssignedID", i.value);
      AddText(a, "AgencyCode", c);
      if (code.size() < system.size()) AddText(a, "StateProvinceCode", system.substr(code.size() + 1));
      return true;
    }
    return false;
  }

  // The organization a result's, summary's or award's AcademicRecord is for.
  std::string SessionOrg(const std::string& session) const {
    auto it = catalog_.sessions.find(session);
    return it == catalog_.sessions.end() ? std::string() : it->second.org_id;
  }
  std::string RecordOf(const CourseResult& r) const {
    std::string org = SessionOrg(r.session_id);
    if (org.empty()) org = s_.person.primary_org_id;
    return org.empty() ? r.awarding_org_id : org;
  }
  std::string RecordOf(const std::string& org) const {
    return org.empty() ? s_.person.primary_org_id : org;
  }
  // Each AcademicRecord's school, the student's primary school first.
  std::vector<std::string> RecordOrgs() const {
    std::vector<std::string> out = {s_.person.primary_org_id};
    auto add = [&](const std::string& id) {
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    };
    for (const auto& r : s_.results) add(RecordOf(r));
    for (const auto& m : s_.summaries) add(RecordOf(m.org_id));
    for (const auto& a : s_.awards) add(RecordOf(a.issuer_org_id));
    for (const auto& id : s_.empty_sessions) add(catalog_.sessions.at(id).org_id);
    if (out.size() > 1 && out[0].empty() && !s_.person.primary_org_id.empty()) out.erase(out.begin());
    return out;
  }

  // A session's courses, in a row of the input: one AcademicSession element.
  struct Run {
    std::string session;
    std::vector<const CourseResult*> results;
    std::vector<const AcademicSummary*> summaries;
  };

  void WriteRecord(pugi::xml_node n, const std::string& org) {
    if (!org.empty()) WriteOrg(n.append_child("School"), FindOrg(org), true);
    for (const auto& a : s_.awards)
      if (RecordOf(a.issuer_org_id) == org) WriteAward(n.append_child("AcademicAward"), a);
    // Sessions in the order their courses came, so that course results keep
    // their order (and their ids) through a round trip.
    std::vector<Run> runs;
    std::vector<const CourseResult*> loose;
    for (const auto& r : s_.results) {
      if (RecordOf(r) != org) continue;
      if (Designator(r.session_id).empty()) loose.push_back(&r);
      else if (runs.empty() || runs.back().session != r.session_id) runs.push_back({r.session_id, {&r}, {}});
      else runs.back().results.push_back(&r);
    }
    for (const auto& m : s_.summaries) {
      if (RecordOf(m.org_id) != org) continue;
      if (Designator(m.session_id).empty()) {
        WriteSummary(n.append_child("AcademicSummary"), m);
        continue;
      }
      auto last = std::find_if(runs.rbegin(), runs.rend(), [&](const Run& x) { return x.session == m.session_id; });
      if (last == runs.rend()) runs.push_back({m.session_id, {}, {&m}});
      else last->summaries.push_back(&m);
    }
    for (const std::string& id : s_.empty_sessions)
      if (catalog_.sessions.at(id).org_id == org && !Designator(id).empty()) runs.push_back({id, {}, {}});
    for (const Run& run : runs) WriteSession(n.append_child("AcademicSession"), run, org);
    for (const CourseResult* r : loose) WriteCourse(n.append_child("Course"), *r, org);
  }

  // The session's SessionDesignator (xs:gYearMonth); "" when it has none,
  // and its courses and summaries then go in the AcademicRecord itself.
  std::string Designator(const std::string& session) const {
    auto it = catalog_.sessions.find(session);
    if (it == catalog_.sessions.end()) return {};
    const AcademicSession& s = it->second;
    auto kept = s.extensions.find("SessionDesignator");
    if (kept != s.extensions.end()) return kept->second;
    for (const std::string& d : {s.start_date, s.end_date})
      if (d.size() >= 7 && d[4] == '-') return d.substr(0, 7);
    return {};
  }

  void WriteSession(pugi::xml_node n, const Run& run, const std::string& org) {
    const std::string& id = run.session;
    const AcademicSession& s = catalog_.sessions.at(id);
    pugi::xml_node d = n.append_child("AcademicSessionDetail");
    AddText(d, "SessionDesignator", Designator(id));
    AddText(d, "SessionName", s.title);
    std::string_view type = SessionTypeToPesc(s.type);
    if (type.empty() && s.type != SessionType::kUnspecified && !s.extensions.count("SessionType")) type = "Other";
    AddText(d, "SessionType", type);
    if (s.school_year.size() == 4 && std::isdigit(static_cast<unsigned char>(s.school_year[0])))
      AddText(d, "SessionSchoolYear", std::to_string(std::stoi(s.school_year) - 1) + "-" + s.school_year);
    AddText(d, "SessionBeginDate", s.start_date);
    AddText(d, "SessionEndDate", s.end_date);
    Extensions rest = s.extensions;
    rest.erase("SessionDesignator");
    PutExtensions(d, rest, "", kSessionDetailOrder);
    SortChildren(d, kSessionDetailOrder);
    for (const CourseResult* r : run.results) WriteCourse(n.append_child("Course"), *r, org);
    for (const AcademicSummary* m : run.summaries) WriteSummary(n.append_child("AcademicSummary"), *m);
    SortChildren(n, kSessionOrder);
  }

  void WriteCourse(pugi::xml_node n, const CourseResult& r, const std::string& org) {
    static const Course kNone;
    auto it = catalog_.courses.find(r.course_id);
    const Course& c = it == catalog_.courses.end() ? kNone : it->second;
    bool dual = r.dual_credit.value_or(false);
    AddText(n, "CourseCreditBasis", !r.credit_type.empty() ? r.credit_type
                                    : dual                 ? "HighSchoolDualCredit"
                                                           : "Regular");
    AddText(n, "CourseCreditUnits", r.credit_unit.empty() ? c.credit_unit : r.credit_unit);
    AddText(n, "CourseCreditLevel", c.course_level);
    AddNumber(n, "CourseCreditValue", r.credits_attempted ? r.credits_attempted : c.credits);
    AddNumber(n, "CourseCreditEarned", r.credits_earned);
    if (!r.letter_grade.empty()) AddText(n, "CourseAcademicGrade", r.letter_grade);
    else AddNumber(n, "CourseAcademicGrade", r.numeric_grade);
    AddText(n, "CourseRepeatCode", r.course_repeat_code);
    AddText(n, "CourseCIPCode", c.cip_code);
    AddText(n, "CourseSCEDCode", c.sced_code);
    AddNumber(n, "CourseQualityPointsEarned", r.grade_points);
    // "ENGL 1301" is subject ENGL, number 1301.
    std::string_view number = c.code;
    if (!c.subject_codes.empty()) {
      AddText(n, "CourseSubjectAbbreviation", c.subject_codes[0]);
      if (number.starts_with(c.subject_codes[0])) number.remove_prefix(c.subject_codes[0].size());
      if (number.starts_with(' ')) number.remove_prefix(1);
    }
    AddText(n, "CourseNumber", number);
    AddText(n, "CourseTitle", c.title);
    AddText(n, "CourseEndDate", r.completion_date);
    const std::string& other = dual ? r.dual_credit_institution_id : r.awarding_org_id;
    // A high school transcript names the college of a dual-credit course
    // even when it is the record's school; a college's names other schools only.
    bool name_it = other != org || (dual && kind_ == TranscriptKind::kHighSchool);
    if (!other.empty() && name_it) WriteOrg(n.append_child("CourseOverrideSchool"), FindOrg(other), true);
    PutExtensions(n, r.extensions, "", kCourseOrder);
    SortChildren(n, kCourseOrder);
  }

  void WriteSummary(pugi::xml_node n, const AcademicSummary& m) {
    AddText(n, "AcademicSummaryLevel", m.level);
    pugi::xml_node gpa = n.append_child("GPA");
    AddNumber(gpa, "CreditHoursAttempted", m.credits_attempted);
    AddNumber(gpa, "CreditHoursEarned", m.credits_earned);
    AddText(gpa, "CreditUnit", m.credit_unit);
    AddNumber(gpa, "GradePointAverage", m.gpa);
    AddNumber(gpa, "TotalQualityPoints", m.grade_points);
    AddNumber(gpa, "GPARangeMinimum", m.gpa_min);
    AddNumber(gpa, "GPARangeMaximum", m.gpa_max);
    PutExtensions(gpa, m.extensions, "GPA/", kGpaOrder);
    SortChildren(gpa, kGpaOrder);
    if (!gpa.first_child()) n.remove_child(gpa);
    AddNumber(n, "ClassRank", m.class_rank);
    AddNumber(n, "ClassSize", m.class_size);
    PutExtensions(n, m.extensions, "", kSummaryOrder);
    SortChildren(n, kSummaryOrder);
  }

  void WriteAward(pugi::xml_node n, const AchievementAward& a) {
    std::string level = a.level;
    if (level.empty() && a.kind == AwardKind::kCertificate) level = "2.0";  // "Certificate"
    AddText(n, "AcademicAwardLevel", level);
    AddText(n, "AcademicAwardDate", a.award_date);
    AddText(n, "AcademicAwardTitle", a.title);
    pugi::xml_node program = n.append_child("AcademicAwardProgram");
    AddText(program, "ProgramCIPCode", a.cip_code);
    AddText(program, "AcademicProgramName", a.field_of_study);
    PutExtensions(program, a.extensions, "AcademicAwardProgram/", kProgramOrder);
    SortChildren(program, kProgramOrder);
    if (!program.first_child()) n.remove_child(program);
    PutExtensions(n, a.extensions, "", kAwardOrder);
    SortChildren(n, kAwardOrder);
  }

  TranscriptKind kind_;
  const StudentRecords& s_;
  const Catalog& catalog_;
  const std::function<void(std::string)>& note_;
};

}  // namespace

void WriteTranscript(TranscriptKind kind, const StudentRecords& student, const Catalog& catalog,
                     pugi::xml_node parent, const std::function<void(std::string)>& note) {
  Writer(kind, student, catalog, note).Write(parent);
}

}  // namespace pathbridge::adapters::pesc_xml
