// The pesc-college-xml and pesc-hs-xml adapters against the CanPESC sample
// transcripts in shared/standards/pesc (UTF-8, UTF-16, batches, versions
// 1.2-1.5, un-namespaced), a US dual-enrollment college transcript
// (testdata/pesc), the v1.8.0 / v1.6.0 XSDs (xmllint), round trips, Ed-Fi
// JSON and bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "adapters/edfi_json/record_json.h"
#include "adapters/registry.h"
#include "adapters/translate.h"
#include "tests/adapters/adapter_test_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
using namespace canonical;
using testing::TempDir;
using testing::WriteFile;

fs::path Samples() { return testing::SharedDir() / "standards/pesc/samples/canada"; }
fs::path Xsd() { return testing::SharedDir() / "standards/pesc/xsd/pesc-1.8"; }
fs::path Fixture() {
  return fs::path(__FILE__).parent_path() / "testdata/pesc/dual_enrollment_college_transcript.xml";
}

const Adapter& College() { return **FindAdapter("pesc-college-xml"); }
const Adapter& HighSchool() { return **FindAdapter("pesc-hs-xml"); }

Decoded Decode(const fs::path& path) { return Decode(College(), {path}); }
Decoded DecodeText(const std::string& xml) { return DecodeText(College(), xml, "in.xml"); }

std::vector<fs::path> SampleFiles() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(Samples()))
    if (e.path().extension() == ".xml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Records by type and id, without provenance.
std::map<std::string, Record> ById(const std::vector<Record>& records) {
  std::map<std::string, Record> out;
  for (Record r : records) {
    Base(r).source = {};
    out.emplace(std::string(RecordType(r)) + "/" + Base(r).id, std::move(r));
  }
  return out;
}

std::string Json(const Record& r) { return boost::json::serialize(edfi_json::RecordToJson(r)); }

std::string Xmllint(const fs::path& schema, const fs::path& doc) {
  auto r = testing::RunCommand("xmllint --noout --schema '" + schema.string() + "' '" + doc.string() + "' 2>&1");
  return r.exit_code == 0 ? "" : r.out.empty() ? "xmllint failed to run" : r.out;
}

// HighSchoolTranscript v1.6.0 imports AcademicRecord v1.11.0 and CoreMain
// v1.17.0, which are not in shared/ (PESC publishes them on pesc.org only);
// its elements are validated against the v1.13.0 / v1.19.0 beside it, which
// the College Transcript v1.8.0 uses.
fs::path HighSchoolSchema(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(Xsd())) fs::copy(e.path(), dir / e.path().filename());
  std::string xsd = testing::ReadFile(Xsd() / "HighSchoolTranscript_v1.6.0.xsd");
  for (auto [from, to] : {std::pair{"CoreMain:v1.17.0", "CoreMain:v1.19.0"},
                          std::pair{"CoreMain_v1.17.0", "CoreMain_v1.19.0"},
                          std::pair{"AcademicRecord:v1.11.0", "AcademicRecord:v1.13.0"},
                          std::pair{"AcademicRecord_v1.11.0", "AcademicRecord_v1.13.0"}})
    for (size_t at; (at = xsd.find(from)) != std::string::npos;) xsd.replace(at, std::string_view(from).size(), to);
  WriteFile(dir / "HighSchoolTranscript_v1.6.0.xsd", xsd);
  return dir / "HighSchoolTranscript_v1.6.0.xsd";
}

TEST(PescXml, RegisteredWithCapabilities) {
  EXPECT_EQ(College().name(), "pesc-college-xml");
  EXPECT_EQ(HighSchool().name(), "pesc-hs-xml");
  for (const Adapter* a : {&College(), &HighSchool()}) {
    EXPECT_TRUE(a->writes().Carries("courseResult.dualCredit"));
    EXPECT_TRUE(a->writes().Carries("academicSummary.gpa"));
    EXPECT_TRUE(a->writes().Carries("achievementAward.level"));
    for (const auto& [type, paths] : a->reads().by_type())
      for (const std::string& p : paths)
        EXPECT_NE(std::find(AllFieldPaths().begin(), AllFieldPaths().end(), p), AllFieldPaths().end()) << p;
  }
}

TEST(PescXml, EverySampleDecodes) {
  auto files = SampleFiles();
  ASSERT_EQ(files.size(), 9u);
  for (const fs::path& f : files) {
    for (const Adapter* a : {&College(), &HighSchool()}) {
      Decoded d = Decode(*a, {f});
      ASSERT_TRUE(d.status.ok()) << f << ": " << d.status.ToString();
      EXPECT_EQ(d.All<Person>().size(), 1u) << f;
      EXPECT_FALSE(d.All<CourseResult>().empty()) << f;
      for (const Record& r : d.records) {
        EXPECT_FALSE(Base(r).id.empty()) << f;
        EXPECT_EQ(Base(r).source.file, f.string());
        EXPECT_GT(Base(r).source.line, 0u) << f;
      }
    }
  }
}

TEST(PescXml, OntarioCollegeValues) {
  Decoded d = Decode(Samples() / "Ontario/College/CollegeTranscript.xml");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  const Person& p = *d.All<Person>()[0];
  EXPECT_EQ(p.id, "1111111111");  // SchoolAssignedPersonID
  EXPECT_EQ(p.identifiers, (std::vector<Identifier>{{"state:ON", "999999999"}}));
  EXPECT_EQ(p.given_name, "Test");
  EXPECT_EQ(p.family_name, "Learner");
  EXPECT_EQ(p.extensions.at("Name/NamePrefix"), "Ms");
  EXPECT_EQ(p.primary_org_id, "csis:555555");  // the Source: no School in the record
  const Organization* college = d.Find<Organization>("csis:555555");
  ASSERT_NE(college, nullptr);
  EXPECT_EQ(college->name, "Demo College");
  EXPECT_EQ(college->kind, OrgKind::kCollege);
  EXPECT_NE(d.Find<Organization>("OCAS"), nullptr);  // MutuallyDefined
  EXPECT_EQ(d.All<Demographics>()[0]->birth_date, "2019-01-01");

  auto awards = d.All<AchievementAward>();
  ASSERT_EQ(awards.size(), 3u);
  EXPECT_EQ(awards[0]->title, "Diploma");
  EXPECT_EQ(awards[0]->level, "2.2");
  EXPECT_EQ(awards[0]->kind, AwardKind::kCertificate);
  EXPECT_EQ(awards[0]->field_of_study, "General Arts and Science");
  EXPECT_EQ(awards[2]->award_date, "2013-04-26");

  const AcademicSession* fall = d.Find<AcademicSession>("csis:555555:2014-09");
  ASSERT_NE(fall, nullptr);
  EXPECT_EQ(fall->title, "2014 Fall Term");
  EXPECT_EQ(fall->type, SessionType::kSemester);
  EXPECT_EQ(fall->start_date, "2014-09-06");
  const CourseResult& r = *d.All<CourseResult>()[0];
  EXPECT_EQ(r.session_id, fall->id);
  EXPECT_EQ(r.letter_grade, "C");
  EXPECT_EQ(r.credit_type, "Regular");
  EXPECT_EQ(r.dual_credit, false);
  EXPECT_EQ(r.credit_unit, "Semester");
  EXPECT_EQ(r.credits_earned, 0.0);
  EXPECT_EQ(r.extensions.at("CourseAcademicGradeScaleCode"), "04");
  const Course* c = d.Find<Course>(r.course_id);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->id, "csis:555555:CANS 100");
  EXPECT_EQ(c->title, "Canadian Studies");
  EXPECT_EQ(c->code, "CANS 100");
  EXPECT_EQ(c->subject_codes, std::vector<std::string>{"CANS"});
  EXPECT_EQ(c->course_level, "Undergraduate");
  auto summaries = d.All<AcademicSummary>();
  ASSERT_FALSE(summaries.empty());
  EXPECT_EQ(summaries[0]->session_id, fall->id);
  EXPECT_EQ(summaries[0]->gpa, 0.0);
  EXPECT_EQ(summaries[0]->extensions.at("GPA/CreditHoursforGPA"), "0.0");
}

// UTF-16 big-endian with a byte order mark (and a declaration that says
// UTF-8): read as UTF-16; accented titles come out as UTF-8.
TEST(PescXml, Utf16SampleDecodes) {
  Decoded d = Decode(Samples() / "Nova_Scotia/HighSchool/HighSchoolTranscript.xml");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.All<Demographics>()[0]->sex, Sex::kFemale);
  EXPECT_EQ(d.All<Demographics>()[0]->birth_date, "");  // <BirthDate/>
  const Course* c = d.Find<Course>(d.All<CourseResult>()[0]->course_id);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->title, "SCIENCES PR\xC3\x89_BI 10");
  EXPECT_EQ(c->grade_levels, std::vector<GradeLevel>{GradeLevel::kGrade10});
  EXPECT_EQ(d.All<CourseResult>()[0]->credits_earned, 1.0);
  EXPECT_EQ(d.All<CourseResult>()[0]->numeric_grade, 95.0);
  EXPECT_EQ(d.All<AcademicSession>()[0]->school_year, "2016");
  EXPECT_EQ(d.All<AcademicSession>()[0]->start_date, "");  // 0001-01-01
  EXPECT_EQ(d.All<AchievementAward>()[0]->kind, AwardKind::kDiploma);  // B18
}

// The same transcript as UTF-8, UTF-16LE and UTF-16BE (with and without a
// byte order mark) decodes to the same records.
TEST(PescXml, Utf16AndUtf8Agree) {
  std::string utf8 = testing::ReadFile(Fixture());
  std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  ASSERT_EQ(utf8.rfind(decl, 0), 0u);
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + utf8.substr(decl.size());
  auto utf16 = [&](bool little, bool bom) {
    std::string out = bom ? (little ? "\xFF\xFE" : "\xFE\xFF") : "";
    for (char c : body) {  // the fixture is ASCII
      EXPECT_GE(static_cast<unsigned char>(c), 0u);
      EXPECT_LT(static_cast<unsigned char>(c), 0x80u);
      out += little ? std::string{c, '\0'} : std::string{'\0', c};
    }
    return out;
  };
  Decoded expected = DecodeText(utf8);
  ASSERT_TRUE(expected.status.ok()) << expected.status.ToString();
  for (bool little : {true, false})
    for (bool bom : {true, false}) {
      Decoded d = DecodeText(utf16(little, bom));
      ASSERT_TRUE(d.status.ok()) << little << bom << ": " << d.status.ToString();
      EXPECT_EQ(ById(d.records), ById(expected.records));
    }
  std::string odd = utf16(true, true);
  odd.pop_back();  // half a code unit at the end
  EXPECT_NE(DecodeText(odd).status.message().find("not valid utf-16le"), std::string::npos)
      << DecodeText(odd).status.ToString();
}

TEST(PescXml, BatchesStreamEachTranscript) {
  Decoded ns = Decode(Samples() / "Nova_Scotia/HighSchool/HighSchoolTranscript2.xml");
  ASSERT_TRUE(ns.status.ok()) << ns.status.ToString();
  const Person& p = *ns.All<Person>()[0];
  EXPECT_EQ(p.given_name, "Kaylie-Anne");
  EXPECT_EQ(p.source.pointer, "/AcademicRecordBatch/BatchContent/HighSchoolTranscript[1]/Student[1]/Person[1]");
  EXPECT_EQ(p.source.line, 62u);
  // Two transcripts in one batch: shared organizations once, both students.
  std::string one = testing::ReadFile(Fixture());
  one = one.substr(one.find("<ColTrn:CollegeTranscript"));
  std::string two = one;
  two.replace(two.find("RCC20231187"), 11, "RCC20239999");
  Decoded d = DecodeText("<b:AcademicRecordBatch xmlns:b=\"urn:org:pesc:message:AcademicRecordBatch:v2.0.0\">"
                         "<BatchEnvelope><BatchID>1</BatchID></BatchEnvelope><BatchContent>" +
                         one + two + "</BatchContent></b:AcademicRecordBatch>");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.All<Person>().size(), 2u);
  EXPECT_EQ(d.All<Organization>().size(), 2u);  // the college and the high school
  EXPECT_EQ(d.All<Course>().size(), 4u);
  EXPECT_EQ(d.All<CourseResult>().size(), 8u);
}

// Several students are written as one AcademicRecordBatch, read back alike.
TEST(PescXml, WritesABatchForSeveralStudents) {
  std::string one = testing::ReadFile(Fixture());
  one = one.substr(one.find("<ColTrn:CollegeTranscript"));
  std::string two = one;
  two.replace(two.find("RCC20231187"), 11, "RCC20239999");
  TempDir tmp;
  WriteFile(tmp.path() / "in.xml",
            "<b:AcademicRecordBatch xmlns:b=\"urn:org:pesc:message:AcademicRecordBatch:v2.1.0\">"
            "<BatchContent>" + one + two + "</BatchContent></b:AcademicRecordBatch>");
  auto report = Translate("pesc-college-xml", "pesc-college-xml", {tmp.path() / "in.xml"}, tmp.path() / "out.xml");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::string out = testing::ReadFile(tmp.path() / "out.xml");
  EXPECT_NE(out.find("<AcRecBat:AcademicRecordBatch xmlns:AcRecBat=\"urn:org:pesc:message:AcademicRecordBatch:v2.0.0\">"),
            std::string::npos);
  Decoded first = Decode(tmp.path() / "in.xml"), second = Decode(tmp.path() / "out.xml");
  ASSERT_TRUE(second.status.ok()) << second.status.ToString();
  EXPECT_EQ(second.All<Person>().size(), 2u);
  EXPECT_EQ(ById(first.records), ById(second.records));
}

// Extensions from other formats never become elements; identifiers PESC has
// no element for are said once, without their values.
TEST(PescXml, ForeignValuesAreNotWritten) {
  TempDir tmp;
  std::vector<Diagnostic> warnings;
  EncodeOptions options;
  options.on_diagnostic = [&](const Diagnostic& d) { warnings.push_back(d); };
  auto encoder = College().OpenEncoder(tmp.path() / "out.xml", options);
  ASSERT_TRUE(encoder.ok());
  Person p;
  p.id = "stu-1";
  p.role = Role::kStudent;
  p.family_name = "Delgado";
  p.identifiers = {{"LDAP", "secret-login"}, {"state", "TX123"}};
  p.extensions = {{"edfi:hispanicLatinoEthnicity", "true"}, {"1bad", "x"}, {"NoteMessage", "kept"}};
  CourseResult r;
  r.id = "stu-1:course1";
  r.person_id = "stu-1";
  r.letter_grade = "A";
  r.extensions = {{"metadata.source", "sis"}};
  ASSERT_TRUE((*encoder)->Write(p).ok());
  ASSERT_TRUE((*encoder)->Write(r).ok());
  ASSERT_TRUE((*encoder)->Finish().ok());
  std::string out = testing::ReadFile(tmp.path() / "out.xml");
  EXPECT_EQ(out.find("edfi:"), std::string::npos) << out;
  EXPECT_EQ(out.find("metadata.source"), std::string::npos) << out;
  EXPECT_EQ(out.find("1bad"), std::string::npos) << out;
  EXPECT_NE(out.find("<NoteMessage>kept</NoteMessage>"), std::string::npos) << out;
  EXPECT_NE(out.find("<AgencyCode>State</AgencyCode>"), std::string::npos) << out;
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].message.find("\"LDAP\""), std::string::npos);
  EXPECT_EQ(warnings[0].message.find("secret-login"), std::string::npos);
  EXPECT_EQ(Xmllint(Xsd() / "CollegeTranscript_v1.8.0.xsd", tmp.path() / "out.xml"), "");
}

// What the dual-enrollment flow needs: a course result with its course,
// session, student and college, ready to become a credential.
TEST(PescXml, DualEnrollmentTranscript) {
  Decoded d = Decode(Fixture());
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  const Person& p = *d.All<Person>()[0];
  EXPECT_EQ(p.id, "RCC20231187");
  EXPECT_EQ(p.role, Role::kStudent);
  EXPECT_EQ(p.identifiers, (std::vector<Identifier>{{"SSN", "999001234"}, {"state:TX", "1234567890"}}));
  EXPECT_EQ(p.email, "maya.delgado@student.riverbend.example.edu");
  EXPECT_EQ(p.primary_org_id, "opeid:00999900");
  const Organization* college = d.Find<Organization>("opeid:00999900");
  ASSERT_NE(college, nullptr);
  EXPECT_EQ(college->kind, OrgKind::kCollege);
  EXPECT_EQ(college->name, "Riverbend Community College");
  EXPECT_EQ(college->identifiers, (std::vector<Identifier>{{"opeid", "00999900"}, {"fice", "009999"}}));
  EXPECT_EQ(college->url, "https://riverbend.example.edu");
  EXPECT_NE(d.Find<Organization>("ceebact:449999"), nullptr);

  auto results = d.All<CourseResult>();
  ASSERT_EQ(results.size(), 4u);
  const CourseResult& engl = *results[0];
  EXPECT_EQ(engl.dual_credit, true);
  EXPECT_EQ(engl.credit_type, "HighSchoolDualCredit");
  EXPECT_EQ(engl.dual_credit_institution_id, "opeid:00999900");
  EXPECT_EQ(engl.awarding_org_id, "opeid:00999900");
  EXPECT_EQ(engl.letter_grade, "A");
  EXPECT_EQ(engl.credits_attempted, 3.0);
  EXPECT_EQ(engl.credits_earned, 3.0);
  EXPECT_EQ(engl.grade_points, 12.0);
  EXPECT_EQ(engl.completion_date, "2023-12-15");
  EXPECT_EQ(engl.extensions.at("CourseInstructionSiteName"), "Lincoln High School");
  const Course& course = *d.Find<Course>(engl.course_id);
  EXPECT_EQ(course.title, "Composition I");
  EXPECT_EQ(course.code, "ENGL 1301");
  EXPECT_EQ(course.subject_codes, std::vector<std::string>{"ENGL"});
  EXPECT_EQ(course.credits, 3.0);
  EXPECT_EQ(course.cip_code, "23.1301");
  EXPECT_EQ(course.org_id, "opeid:00999900");
  const AcademicSession& fall = *d.Find<AcademicSession>(engl.session_id);
  EXPECT_EQ(fall.title, "Fall 2023");
  EXPECT_EQ(fall.school_year, "2024");
  EXPECT_EQ(results[1]->letter_grade, "B+");
  EXPECT_EQ(d.Find<Course>(results[1]->course_id)->course_level, "DualHighSchoolCollege");
  EXPECT_EQ(results[3]->dual_credit, false);
  EXPECT_EQ(results[3]->course_repeat_code, "RepeatCounted");
  EXPECT_EQ(d.Find<AcademicSession>(results[3]->session_id)->type, SessionType::kTerm);

  auto summaries = d.All<AcademicSummary>();
  ASSERT_EQ(summaries.size(), 2u);
  EXPECT_EQ(summaries[0]->session_id, "");  // cumulative
  EXPECT_EQ(summaries[0]->gpa, 3.62);
  EXPECT_EQ(summaries[0]->gpa_max, 4.0);
  EXPECT_EQ(summaries[0]->level, "Undergraduate");
  EXPECT_EQ(summaries[1]->session_id, fall.id);
  const AchievementAward& award = *d.All<AchievementAward>()[0];
  EXPECT_EQ(award.kind, AwardKind::kCertificate);
  EXPECT_EQ(award.cip_code, "24.0101");
  EXPECT_EQ(award.issuer_org_id, "opeid:00999900");
  // StudentLevel has no place in the model: said once, without values.
  EXPECT_NE(d.Diags().find("element <AcademicRecord/StudentLevel> is not translated"), std::string::npos)
      << d.Diags();
}

// decode -> encode -> decode gives the same records, for every sample and
// both adapters; what is written validates against the XSD where the
// sample's content does (the fixture, Ontario's college transcript).
TEST(PescXml, RoundTripsAndValidates) {
  std::vector<fs::path> inputs = SampleFiles();
  inputs.push_back(Fixture());
  TempDir tmp;
  fs::path hs_schema = HighSchoolSchema(tmp.path());
  for (const fs::path& in : inputs)
    for (const Adapter* a : {&College(), &HighSchool()}) {
      fs::path out = tmp.path() / (in.stem().string() + "-" + std::string(a->name()) + ".xml");
      auto report = Translate("pesc-college-xml", a->name(), {in}, out);
      ASSERT_TRUE(report.ok()) << in << ": " << report.status().ToString();
      EXPECT_TRUE(report->lossless()) << boost::json::serialize(report->ToJson());
      Decoded first = Decode(in), second = Decode(out);
      ASSERT_TRUE(second.status.ok()) << out << ": " << second.status.ToString();
      auto a_ = ById(first.records), b_ = ById(second.records);
      for (const auto& [id, r] : a_) EXPECT_TRUE(b_.count(id)) << in << " lost " << id;
      for (const auto& [id, r] : b_) EXPECT_TRUE(a_.count(id)) << in << " added " << id;
      for (auto& [id, r] : a_) {
        // Elements not in the XSD are read into extensions but not written
        // back (a Nova Scotia sample misspells BirthDate).
        if (auto* p = std::get_if<Person>(&r)) p->extensions.erase("Birth/Birthdate");
        // Kinds read from which transcript it was: the college or high school
        // (an award without a level is a high school's diploma, a college's degree).
        bool same_kind = (in.string().find("/HighSchool/") != std::string::npos) == (a == &HighSchool());
        if (auto* w = std::get_if<AchievementAward>(&r); w && w->level.empty() && !same_kind) continue;
        if (auto* o = std::get_if<Organization>(&r); o && b_.count(id)) {
          Organization x = *o, y = std::get<Organization>(b_.at(id));
          x.kind = y.kind = OrgKind::kUnspecified;
          EXPECT_EQ(x, y) << in << " " << id;
          continue;
        }
        ASSERT_TRUE(b_.count(id)) << in << " " << id;
        EXPECT_TRUE(b_.at(id) == r) << in << "\n" << Json(r) << "\n" << Json(b_.at(id));
      }
      bool college = a == &College();
      bool valid_content = in == Fixture() || in.filename() == "CollegeTranscript.xml" ||
                           (in.filename() == "HighSchoolTranscript.xml" &&
                            in.parent_path().parent_path().filename() == "Ontario");
      if (valid_content) {
        EXPECT_EQ(Xmllint(college ? Xsd() / "CollegeTranscript_v1.8.0.xsd" : hs_schema, out), "") << in;
      }
    }
}

TEST(PescXml, EdFiJsonKeepsCoursesCreditsAndGrades) {
  TempDir tmp;
  auto to_edfi = Translate("pesc-college-xml", "edfi-json", {Fixture()}, tmp.path() / "edfi");
  ASSERT_TRUE(to_edfi.ok()) << to_edfi.status().ToString();
  Decoded edfi = Decode(**FindAdapter("edfi-json"), {tmp.path() / "edfi"});
  ASSERT_TRUE(edfi.status.ok()) << edfi.status.ToString();
  Decoded pesc = Decode(Fixture());
  const Capabilities& ed = (*FindAdapter("edfi-json"))->writes();
  auto results = edfi.All<CourseResult>();
  ASSERT_EQ(results.size(), 4u);
  for (const CourseResult* want : pesc.All<CourseResult>()) {
    auto it = std::find_if(results.begin(), results.end(), [&](const CourseResult* r) {
      return r->credits_attempted == want->credits_attempted && r->letter_grade == want->letter_grade &&
             r->credits_earned == want->credits_earned;
    });
    ASSERT_NE(it, results.end()) << want->id;
    if (ed.Carries("courseResult.dualCredit")) {
      EXPECT_EQ((*it)->dual_credit, want->dual_credit) << want->id;
    }
    const Course* c = edfi.Find<Course>((*it)->course_id);
    ASSERT_NE(c, nullptr) << (*it)->course_id;
    EXPECT_EQ(c->title, pesc.Find<Course>(want->course_id)->title);
  }
  // And back: the courses, credits and grades survive.
  auto back = Translate("edfi-json", "pesc-college-xml", {tmp.path() / "edfi"}, tmp.path() / "back.xml");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  Decoded again = Decode(tmp.path() / "back.xml");
  ASSERT_TRUE(again.status.ok()) << again.status.ToString();
  ASSERT_EQ(again.All<CourseResult>().size(), 4u);
  std::multiset<std::string> want, got;
  for (const Decoded* d : {&pesc, &again})
    for (const CourseResult* r : d->All<CourseResult>())
      (d == &pesc ? want : got).insert(d->Find<Course>(r->course_id)->title + "|" + r->letter_grade + "|" +
                                       std::to_string(r->credits_earned.value_or(-1)));
  EXPECT_EQ(want, got);
  EXPECT_EQ(Xmllint(Xsd() / "CollegeTranscript_v1.8.0.xsd", tmp.path() / "back.xml"), "");
}

// --- bad input: an error with file:line:column (and an XPath), no output ---

std::string Minimal(const std::string& ns, const std::string& student) {
  return "<?xml version=\"1.0\"?>\n<t:CollegeTranscript xmlns:t=\"" + ns + "\">\n"
         "<TransmissionData><DocumentID>1</DocumentID></TransmissionData>\n" + student +
         "</t:CollegeTranscript>\n";
}
const std::string kV18 = "urn:org:pesc:message:CollegeTranscript:v1.8.0";
const std::string kStudent =
    "<Student><Person><SSN>999887777</SSN><Name><LastName>X</LastName></Name></Person>\n"
    "<AcademicRecord><Course><CourseCreditBasis>Regular</CourseCreditBasis>"
    "<CourseCreditValue>3</CourseCreditValue></Course></AcademicRecord></Student>\n";

Status Failure(const std::string& xml) {
  TempDir tmp;
  WriteFile(tmp.path() / "in.xml", xml);
  auto report = Translate("pesc-college-xml", "pesc-college-xml", {tmp.path() / "in.xml"}, tmp.path() / "out.xml");
  EXPECT_FALSE(fs::exists(tmp.path() / "out.xml"));
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);
  return report.ok() ? Status::Ok() : report.status();
}

TEST(PescXml, BadInput) {
  Decoded good = DecodeText(Minimal(kV18, kStudent));
  ASSERT_TRUE(good.status.ok()) << good.status.ToString();
  Status s = Failure(Minimal("urn:org:pesc:message:CollegeTranscript:v9.0.0", kStudent));
  EXPECT_NE(s.message().find("unsupported version v9.0.0 of CollegeTranscript"), std::string::npos) << s.ToString();
  EXPECT_TRUE(s.where().ends_with("in.xml:2:1")) << s.where();
  s = Failure(Minimal("urn:example:transcript", kStudent));
  EXPECT_NE(s.message().find("not a PESC CollegeTranscript namespace"), std::string::npos) << s.ToString();
  s = Failure("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + Minimal(kV18, kStudent).substr(21));
  EXPECT_NE(s.message().find("encoding \"iso-8859-1\" is not supported"), std::string::npos) << s.ToString();
  s = Failure("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + Minimal(kV18, kStudent).substr(21));
  EXPECT_NE(s.message().find("encoding \"utf-16\" is not supported"), std::string::npos) << s.ToString();
  s = Failure(Minimal(kV18, ""));
  EXPECT_EQ(s.message(), "<CollegeTranscript> has no <Student> (required)");
  EXPECT_TRUE(s.where().ends_with("in.xml:2:1 /CollegeTranscript")) << s.where();
  std::string bad = kStudent;
  bad.replace(bad.find(">3<"), 3, ">three<");
  s = Failure(Minimal(kV18, bad));
  EXPECT_EQ(s.message(), "<CourseCreditValue> is not a number");
  EXPECT_TRUE(s.where().ends_with(
      "in.xml:5:71 /CollegeTranscript/Student[1]/AcademicRecord[1]/Course[1]/CourseCreditValue[1]"))
      << s.where();
  EXPECT_EQ(s.ToString().find("999887777"), std::string::npos);  // no SSN in errors
  s = Failure(Minimal(kV18, "<Student><Person><Name/></Person></Student>"));
  EXPECT_EQ(s.message(), "<Student> has no <AcademicRecord> (required)");
  s = Failure(Minimal(kV18, kStudent).substr(0, 200));
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.where().find("in.xml:") != std::string::npos) << s.ToString();
  s = Failure("<Transcript/>");
  EXPECT_NE(s.message().find("is not a PESC CollegeTranscript"), std::string::npos) << s.ToString();
}

TEST(PescXml, NothingToWriteIsAnError) {
  TempDir tmp;
  auto encoder = College().OpenEncoder(tmp.path() / "out.xml", {});
  ASSERT_TRUE(encoder.ok());
  Organization o;
  o.id = "org-1";
  ASSERT_TRUE((*encoder)->Write(o).ok());
  EXPECT_FALSE((*encoder)->Finish().ok());
  encoder->reset();
  EXPECT_TRUE(fs::is_empty(tmp.path()));
}

}  // namespace
}  // namespace pathbridge::adapters
