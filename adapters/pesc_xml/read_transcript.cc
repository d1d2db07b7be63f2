// Reading one transcript element into records (transcript.h).
#include <charconv>
#include <cmath>

#include "adapters/pesc_xml/transcript.h"
#include "adapters/pesc_xml/xml_tree.h"
#include "adapters/sif_xml/object_io.h"
#include "standards/canonical/pesc_codes.h"

namespace pathbridge::adapters::pesc_xml {

using namespace canonical;
using Names = std::set<std::string, std::less<>>;

// The identifier elements of an organization (OrganizationIDMultiChoiceGroup)
// and the identifier systems they read as.
const std::vector<std::pair<std::string_view, std::string_view>>& OrgIdElements() {
  static const std::vector<std::pair<std::string_view, std::string_view>> kIds = {
      {"OPEID", kSystemOpeid}, {"NCHELPID", "nchelpid"}, {"IPEDS", "ipeds"}, {"ATP", "atp"},
      {"FICE", "fice"}, {"ACT", "act"}, {"CCD", kSystemNces}, {"PSS", "pss"},
      {"CEEBACT", "ceebact"}, {"CSIS", "csis"}, {"USIS", "usis"}, {"ESIS", "esis"},
      {"PSIS", "psis"}, {"DUNS", "duns"}, {"APAS", "apas"}};
  return kIds;
}

// The person identifier elements other than SchoolAssignedPersonID (the
// person's id) and AgencyIdentifier, and their systems.
const std::vector<std::pair<std::string_view, std::string_view>>& PersonIdElements() {
  static const std::vector<std::pair<std::string_view, std::string_view>> kIds = {
      {"SIN", "SIN"}, {"NSN", "NSN"}, {"AgencyAssignedID", "agency"},
      {"RecipientAssignedID", "recipient"}, {"SSN", "SSN"}, {"PartialSSN", "PartialSSN"}};
  return kIds;
}

class ReadContext {
 public:
  ReadContext(TranscriptReader& reader, const Origin& origin, TranscriptKind kind)
      : reader_(reader), origin_(origin), lines_(*origin.element), kind_(kind) {}

  Status Read(pugi::xml_node transcript) {
    pugi::xml_node td = Child(transcript, "TransmissionData");
    pugi::xml_node student = Child(transcript, "Student");
    if (!student) return Missing(transcript, "Student");
    pugi::xml_node person = Child(student, "Person");
    if (!person) return Missing(student, "Person");
    OrgKind school_kind = kind_ == TranscriptKind::kCollege ? OrgKind::kCollege : OrgKind::kSchool;
    source_ = Org(Child(Child(td, "Source"), "Organization"),
                  kind_ == TranscriptKind::kCollege ? OrgKind::kCollege : OrgKind::kUnspecified);
    std::string destination = Org(Child(Child(td, "Destination"), "Organization"), OrgKind::kUnspecified);
    PB_RETURN_IF_ERROR(ReadPerson(person));
    KeepUnmapped(td, {"Source", "Destination"}, "TransmissionData/", origin_.namespaces,
                 &person_.extensions);
    if (!source_.empty()) person_.extensions["TransmissionData/Source"] = source_;
    if (!destination.empty()) person_.extensions["TransmissionData/Destination"] = destination;
    KeepUnmapped(student, {"Person", "AcademicRecord"}, "Student/", origin_.namespaces,
                 &person_.extensions);
    for (pugi::xml_node record : Children(student, "AcademicRecord")) {
      school_ = Org(Child(record, "School"), school_kind);
      if (school_.empty()) school_ = source_;
      if (person_.primary_org_id.empty()) person_.primary_org_id = school_;
      if (!school_.empty() && std::find(person_.org_ids.begin(), person_.org_ids.end(), school_) ==
                                  person_.org_ids.end())
        person_.org_ids.push_back(school_);
      PB_RETURN_IF_ERROR(ReadRecord(record));
    }
    if (!Child(student, "AcademicRecord")) return Missing(student, "AcademicRecord");
    Flush();
    return Status::Ok();
  }

 private:
  // --- locations and diagnostics (no values: they may be PII) ---
  std::string Where(pugi::xml_node n) const { return Location(n).ToString(); }
  SourceLocation Location(pugi::xml_node n) const {
    auto [line, column] =
        lines_.PositionOf(static_cast<size_t>(sif_xml::ElementOffset(n)));
    std::string path = PathOf(n);
    if (origin_.index > 0)
      path.insert(std::min(path.find('/', 1), path.size()), "[" + std::to_string(origin_.index) + "]");
    return {origin_.file, line, column, origin_.parent_xpath + path};
  }
  Status Missing(pugi::xml_node parent, std::string_view child) const {
    return InvalidArgument("<" + std::string(sif_xml::LocalName(parent.name())) +
                               "> has no <" + std::string(child) + "> (required)",
                           Where(parent));
  }
  // Notes, once per input, the children of `parent` not in `mapped`.
  void Drop(pugi::xml_node parent, const Names& mapped) {
    for (pugi::xml_node c : parent.children()) {
      std::string local(sif_xml::LocalName(c.name()));
      if (c.type() != pugi::node_element || mapped.count(local)) continue;
      std::string key = std::string(sif_xml::LocalName(parent.name())) + "/" + local;
      NoteOnce(key, "element <" + key + "> is not translated (reported once)", c);
    }
  }
  void NoteOnce(const std::string& key, std::string msg, pugi::xml_node at) {
    if (reader_.reported_.insert(key).second && reader_.note_)
      reader_.note_({Diagnostic::Severity::kInfo, std::move(msg), Location(at)});
  }

  // The names of `n`'s children other than `keep`.
  static Names AllBut(pugi::xml_node n, std::string_view keep) {
    Names out;
    for (pugi::xml_node c : n.children())
      if (sif_xml::LocalName(c.name()) != keep) out.insert(std::string(sif_xml::LocalName(c.name())));
    return out;
  }

  // --- values ---
  static std::string Date(pugi::xml_node n, std::string_view name) {
    std::string d = Text(n, name);
    return d == "0001-01-01" ? std::string() : d;
  }
  pathbridge::Result<std::optional<double>> Number(pugi::xml_node n, std::string_view name) const {
    pugi::xml_node c = Child(n, name);
    std::string text = Text(n, name);
    if (text.empty()) return std::optional<double>();
    std::string_view digits = text;
    if (digits.starts_with('+')) digits.remove_prefix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(v) ||
        digits.empty())
      return InvalidArgument("<" + std::string(name) + "> is not a number", Where(c));
    return std::optional<double>(v);
  }

  template <typename T>
  void Emit(T&& r, std::vector<Record>* into) {
    into->push_back(std::forward<T>(r));
  }
  // A shared record (organization, session, course) once per input.
  template <typename T>
  void EmitShared(T&& r) {
    if (reader_.seen_.insert(std::string(T::kType) + "/" + r.id).second)
      shared_.push_back(std::forward<T>(r));
  }
  void Flush() {
    for (Record& r : shared_) out_->push_back(std::move(r));
    out_->push_back(std::move(person_));
    if (PresentFieldPaths(Record(demographics_)).size() > 1) out_->push_back(std::move(demographics_));
    for (Record& r : owned_) out_->push_back(std::move(r));
  }

 public:
  std::deque<Record>* out_ = nullptr;

 private:
  // --- organizations: returns the id ("" when it identifies nothing) ---
  std::string Org(pugi::xml_node n, OrgKind kind) {
    if (!n) return {};
    Organization o;
    o.source = Location(n);
    o.kind = kind;
    o.name = Text(n, "OrganizationName");
    for (const auto& [element, system] : OrgIdElements())
      if (std::string v = Text(n, element); !v.empty()) o.identifiers.push_back({std::string(system), v});
    pugi::xml_node local = Child(n, "LocalOrganizationID");
    if (std::string v = Text(local, "LocalOrganizationIDCode"); !v.empty()) {
      std::string qualifier = Text(local, "LocalOrganizationIDQualifier");
      o.identifiers.push_back({std::string(kSystemLocal) + (qualifier.empty() ? "" : ":" + qualifier), v});
    }
    pugi::xml_node contacts = Child(n, "Contacts");
    o.email = Text(Child(contacts, "Email"), "EmailAddress");
    o.url = Text(Child(contacts, "URL"), "URLAddress");
    o.id = Text(n, "MutuallyDefined");
    if (o.id.empty() && !o.identifiers.empty()) o.id = o.identifiers[0].system + ":" + o.identifiers[0].value;
    if (o.id.empty() && !o.name.empty()) o.id = "name:" + o.name;
    if (o.id.empty()) return {};
    std::string id = o.id;
    EmitShared(std::move(o));
    return id;
  }

  Status ReadPerson(pugi::xml_node n) {
    person_.source = Location(n);
    person_.role = Role::kStudent;
    person_.id = Text(n, "SchoolAssignedPersonID");
    for (const auto& [element, system] : PersonIdElements())
      if (std::string v = Text(n, element); !v.empty()) person_.identifiers.push_back({std::string(system), v});
    for (pugi::xml_node a : Children(n, "AgencyIdentifier")) {
      std::string code = Text(a, "AgencyCode"), where = Text(a, "StateProvinceCode");
      std::string v = Text(a, "AgencyAssignedID");
      if (v.empty()) continue;
      for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      person_.identifiers.push_back({(code.empty() ? "agency" : code) + (where.empty() ? "" : ":" + where), v});
    }
    if (person_.id.empty())
      person_.id = person_.identifiers.empty() ? Text(Child(n.parent().parent(), "TransmissionData"), "DocumentID") + ":student"
                                               : person_.identifiers[0].value;
    pugi::xml_node name = Child(n, "Name");
    if (!name) return Missing(n, "Name");
    person_.given_name = Text(name, "FirstName");
    person_.middle_name = Text(name, "MiddleName");
    person_.family_name = Text(name, "LastName");
    KeepUnmapped(name, {"FirstName", "MiddleName", "LastName"}, "Name/", origin_.namespaces,
                 &person_.extensions);
    pugi::xml_node contacts = Child(n, "Contacts");
    person_.email = Text(Child(contacts, "Email"), "EmailAddress");
    // Contacts beyond one email address (postal addresses, phones) are kept whole.
    std::vector<pugi::xml_node> all = Children(n, "Contacts");
    bool only_email = all.size() <= 1 && Children(contacts, "Email").size() <= 1;
    for (pugi::xml_node c : contacts.children())
      only_email = only_email && c.type() == pugi::node_element &&
                   sif_xml::LocalName(c.name()) == "Email";
    if (!only_email) KeepUnmapped(n, AllBut(n, "Contacts"), "", origin_.namespaces, &person_.extensions);
    demographics_.id = person_.id;
    demographics_.source = person_.source;
    pugi::xml_node birth = Child(n, "Birth");
    demographics_.birth_date = Date(birth, "BirthDate");
    demographics_.city_of_birth = Text(birth, "BirthCity");
    demographics_.state_of_birth = Text(birth, "BirthStateProvinceCode");
    demographics_.country_of_birth = Text(birth, "BirthCountry");
    KeepUnmapped(birth, {"BirthDate", "BirthCity", "BirthStateProvinceCode", "BirthCountry"},
                 "Birth/", origin_.namespaces, &person_.extensions);
    demographics_.sex = SexFromPesc(Text(Child(n, "Gender"), "GenderCode"));
    Names mapped = {"SchoolAssignedPersonID", "AgencyIdentifier", "Name", "Contacts", "Birth", "Gender"};
    for (const auto& [element, system] : PersonIdElements()) mapped.insert(std::string(element));
    KeepUnmapped(n, mapped, "", origin_.namespaces, &person_.extensions);
    return Status::Ok();
  }

  Status ReadRecord(pugi::xml_node record) {
    Drop(record, {"School", "AcademicAward", "AcademicSummary", "AcademicSession", "Course"});
    for (pugi::xml_node a : Children(record, "AcademicAward")) ReadAward(a);
    for (pugi::xml_node s : Children(record, "AcademicSummary")) PB_RETURN_IF_ERROR(ReadSummary(s, ""));
    for (pugi::xml_node s : Children(record, "AcademicSession")) PB_RETURN_IF_ERROR(ReadSession(s));
    for (pugi::xml_node c : Children(record, "Course")) PB_RETURN_IF_ERROR(ReadCourse(c, ""));
    return Status::Ok();
  }

  Status ReadSession(pugi::xml_node n) {
    pugi::xml_node detail = Child(n, "AcademicSessionDetail");
    if (!detail) return Missing(n, "AcademicSessionDetail");
    AcademicSession s;
    s.source = Location(n);
    std::string designator = Text(detail, "SessionDesignator");
    std::string suffix = Text(detail, "SessionDesignatorSuffix");
    if (designator.empty()) return Missing(detail, "SessionDesignator");
    s.id = school_ + ":" + designator + (suffix.empty() ? "" : ":" + suffix);
    s.title = Text(detail, "SessionName");
    std::string type = Text(detail, "SessionType");
    s.type = SessionTypeFromPesc(type);
    if (!type.empty() && SessionTypeToPesc(s.type) != type) s.extensions["SessionType"] = type;
    s.start_date = Date(detail, "SessionBeginDate");
    s.end_date = Date(detail, "SessionEndDate");
    std::string year = Text(detail, "SessionSchoolYear");
    if (year.size() == 9 && year[4] == '-') s.school_year = year.substr(5);
    s.org_id = school_;
    s.extensions["SessionDesignator"] = designator;
    if (!suffix.empty()) s.extensions["SessionDesignatorSuffix"] = suffix;
    KeepUnmapped(detail, {"SessionDesignator", "SessionDesignatorSuffix", "SessionName", "SessionType",
                          "SessionBeginDate", "SessionEndDate", "SessionSchoolYear"},
                 "", origin_.namespaces, &s.extensions);
    if (!year.empty() && s.school_year.empty()) s.extensions["SessionSchoolYear"] = year;
    std::string id = s.id;
    EmitShared(std::move(s));
    Drop(n, {"AcademicSessionDetail", "AcademicAward", "Course", "AcademicSummary"});
    for (pugi::xml_node a : Children(n, "AcademicAward")) ReadAward(a);
    for (pugi::xml_node c : Children(n, "Course")) PB_RETURN_IF_ERROR(ReadCourse(c, id));
    for (pugi::xml_node m : Children(n, "AcademicSummary")) PB_RETURN_IF_ERROR(ReadSummary(m, id));
    return Status::Ok();
  }

  Status ReadCourse(pugi::xml_node n, const std::string& session) {
    CourseResult r;
    r.source = Location(n);
    r.id = person_.id + ":course" + std::to_string(++courses_);
    r.person_id = person_.id;
    r.session_id = session;
    PB_ASSIGN_OR_RETURN(r.credits_attempted, Number(n, "CourseCreditValue"));
    PB_ASSIGN_OR_RETURN(r.credits_earned, Number(n, "CourseCreditEarned"));
    PB_ASSIGN_OR_RETURN(r.grade_points, Number(n, "CourseQualityPointsEarned"));
    r.credit_type = Text(n, "CourseCreditBasis");
    r.credit_unit = Text(n, "CourseCreditUnits");
    r.letter_grade = Text(n, "CourseAcademicGrade");
    if (auto grade = Number(n, "CourseAcademicGrade"); grade.ok()) r.numeric_grade = *grade;
    r.completion_date = Date(n, "CourseEndDate");
    r.course_repeat_code = Text(n, "CourseRepeatCode");
    std::string level = Text(n, "CourseCreditLevel");
    bool dual = r.credit_type == "HighSchoolDualCredit" || level == "DualHighSchoolCollege";
    if (!r.credit_type.empty() || dual) r.dual_credit = dual;
    r.awarding_org_id = school_;
    std::string other = Org(Child(n, "CourseOverrideSchool"),
                            dual ? OrgKind::kCollege : OrgKind::kUnspecified);
    if (dual) r.dual_credit_institution_id = !other.empty() ? other
                                             : kind_ == TranscriptKind::kCollege ? school_ : "";
    else if (!other.empty()) r.awarding_org_id = other;

    Course c;
    c.source = r.source;
    c.title = Text(n, "CourseTitle");
    // The code is unique within the institution: "ENGL 1301", not "1301".
    std::string subject = Text(n, "CourseSubjectAbbreviation"), number = Text(n, "CourseNumber");
    c.code = subject.empty() || number.empty() ? subject + number : subject + " " + number;
    if (!subject.empty()) c.subject_codes.push_back(subject);
    c.cip_code = Text(n, "CourseCIPCode");
    c.sced_code = Text(n, "CourseSCEDCode");
    c.credits = r.credits_attempted;
    c.credit_unit = r.credit_unit;
    c.course_level = level;
    if (GradeLevel g = GradeLevelFromPescCreditLevel(level); g != GradeLevel::kUnspecified)
      c.grade_levels.push_back(g);
    c.org_id = school_;
    std::string key = c.code.empty() ? c.title : c.code;
    c.id = key.empty() ? r.id + ":course" : school_ + ":" + key;
    r.course_id = c.id;
    EmitShared(std::move(c));
    KeepUnmapped(n, {"CourseCreditValue", "CourseCreditEarned", "CourseQualityPointsEarned",
                     "CourseCreditBasis", "CourseCreditUnits", "CourseAcademicGrade", "CourseEndDate",
                     "CourseRepeatCode", "CourseCreditLevel", "CourseOverrideSchool", "CourseTitle",
                     "CourseNumber", "CourseSubjectAbbreviation", "CourseCIPCode", "CourseSCEDCode"},
                 "", origin_.namespaces, &r.extensions);
    Emit(std::move(r), &owned_);
    return Status::Ok();
  }

  Status ReadSummary(pugi::xml_node n, const std::string& session) {
    AcademicSummary m;
    m.source = Location(n);
    m.id = person_.id + ":summary" + std::to_string(++summaries_);
    m.person_id = person_.id;
    m.org_id = school_;
    m.session_id = session;
    m.level = Text(n, "AcademicSummaryLevel");
    pugi::xml_node gpa = Child(n, "GPA");
    PB_ASSIGN_OR_RETURN(m.gpa, Number(gpa, "GradePointAverage"));
    PB_ASSIGN_OR_RETURN(m.gpa_min, Number(gpa, "GPARangeMinimum"));
    PB_ASSIGN_OR_RETURN(m.gpa_max, Number(gpa, "GPARangeMaximum"));
    PB_ASSIGN_OR_RETURN(m.credits_attempted, Number(gpa, "CreditHoursAttempted"));
    PB_ASSIGN_OR_RETURN(m.credits_earned, Number(gpa, "CreditHoursEarned"));
    PB_ASSIGN_OR_RETURN(m.grade_points, Number(gpa, "TotalQualityPoints"));
    m.credit_unit = Text(gpa, "CreditUnit");
    PB_ASSIGN_OR_RETURN(m.class_rank, Number(n, "ClassRank"));
    PB_ASSIGN_OR_RETURN(m.class_size, Number(n, "ClassSize"));
    KeepUnmapped(gpa, {"GradePointAverage", "GPARangeMinimum", "GPARangeMaximum", "CreditHoursAttempted",
                       "CreditHoursEarned", "TotalQualityPoints", "CreditUnit"},
                 "GPA/", origin_.namespaces, &m.extensions);
    KeepUnmapped(n, {"AcademicSummaryLevel", "GPA", "ClassRank", "ClassSize"}, "", origin_.namespaces,
                 &m.extensions);
    Emit(std::move(m), &owned_);
    return Status::Ok();
  }

  void ReadAward(pugi::xml_node n) {
    AchievementAward a;
    a.source = Location(n);
    a.id = person_.id + ":award" + std::to_string(++awards_);
    a.person_id = person_.id;
    a.issuer_org_id = school_;
    a.title = Text(n, "AcademicAwardTitle");
    a.award_date = Date(n, "AcademicAwardDate");
    a.level = Text(n, "AcademicAwardLevel");
    a.kind = AwardKindFromPescLevel(a.level);
    if (a.kind == AwardKind::kUnspecified) a.kind = KindFromTitle(a.title);
    std::vector<pugi::xml_node> programs = Children(n, "AcademicAwardProgram");
    if (!programs.empty()) {
      a.field_of_study = Text(programs[0], "AcademicProgramName");
      a.cip_code = Text(programs[0], "ProgramCIPCode");
      KeepUnmapped(programs[0], {"AcademicProgramName", "ProgramCIPCode"}, "AcademicAwardProgram/",
                   origin_.namespaces, &a.extensions);
      if (programs.size() > 1)
        NoteOnce("AcademicAwardProgram[2]",
                 "AcademicAward: only the first AcademicAwardProgram is translated (reported once)",
                 programs[1]);
    }
    KeepUnmapped(n, {"AcademicAwardTitle", "AcademicAwardDate", "AcademicAwardLevel", "AcademicAwardProgram"},
                 "", origin_.namespaces, &a.extensions);
    Emit(std::move(a), &owned_);
  }

  // Without a level: a high school's award is a diploma; a college's is a
  // certificate or diploma if its title says so, else a degree.
  AwardKind KindFromTitle(const std::string& title) const {
    if (kind_ == TranscriptKind::kHighSchool) return AwardKind::kDiploma;
    std::string lower = title;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("certificate") != std::string::npos) return AwardKind::kCertificate;
    if (lower.find("diploma") != std::string::npos) return AwardKind::kDiploma;
    return AwardKind::kDegree;
  }

  TranscriptReader& reader_;
  const Origin& origin_;
  const sif_xml::LineIndex lines_;  // of origin_.element
  TranscriptKind kind_;
  std::string source_, school_;
  Person person_;
  Demographics demographics_;
  std::vector<Record> shared_, owned_;
  int courses_ = 0, summaries_ = 0, awards_ = 0;
};

Status TranscriptReader::Read(pugi::xml_node transcript, const Origin& origin,
                              std::deque<Record>* out) {
  TranscriptKind kind = sif_xml::LocalName(transcript.name()) == "HighSchoolTranscript"
                            ? TranscriptKind::kHighSchool
                            : TranscriptKind::kCollege;
  ReadContext context(*this, origin, kind);
  context.out_ = out;
  return context.Read(transcript);
}

}  // namespace pathbridge::adapters::pesc_xml
