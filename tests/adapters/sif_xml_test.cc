// The sif-xml adapter against the SIF NA 4.2 specification examples in
// shared/standards/sif, hand-written documents (namespaces, collections,
// comments, CDATA), bad input, and round trips through oneroster-csv.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

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

fs::path Samples() { return testing::SharedDir() / "standards/sif/na-4.2-spec-examples"; }
fs::path OneRosterSamples() { return testing::SharedDir() / "standards/oneroster/csv"; }

const Adapter& Sif() { return **FindAdapter("sif-xml"); }

Decoded Decode(const fs::path& path) { return Decode(Sif(), Input{path}); }
Decoded DecodeText(const std::string& xml) { return adapters::DecodeText(Sif(), xml, "in.xml"); }

template <typename T>
const T& Only(const Decoded& d, size_t index = 0) {
  size_t seen = 0;
  for (const Record& r : d.records)
    if (auto* t = std::get_if<T>(&r); t && seen++ == index) return *t;
  ADD_FAILURE() << "no " << T::kType << " #" << index;
  static const T kEmpty{};
  return kEmpty;
}

std::vector<fs::path> SampleFiles() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(Samples())) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string Key(const Record& r) { return std::string(RecordType(r)) + "/" + Base(r).id; }

TEST(SifXml, RegisteredWithCapabilities) {
  const Adapter& a = Sif();
  EXPECT_EQ(a.name(), "sif-xml");
  EXPECT_TRUE(a.writes().Carries("person.familyName"));
  EXPECT_TRUE(a.writes().Carries("demographics.sex"));
  EXPECT_TRUE(a.writes().Carries("enrollment.entryGradeLevel"));
  EXPECT_TRUE(a.reads().Carries("courseResult.creditsEarned"));  // StudentAcademicRecord
  EXPECT_FALSE(a.writes().Carries("courseResult.creditsEarned"));
  EXPECT_FALSE(a.writes().CarriesType("achievementAward"));
  for (const auto& [type, paths] : a.reads().by_type())
    for (const std::string& p : paths)
      EXPECT_NE(std::find(AllFieldPaths().begin(), AllFieldPaths().end(), p), AllFieldPaths().end())
          << p;
}

TEST(SifXml, EverySampleDecodes) {
  auto files = SampleFiles();
  ASSERT_EQ(files.size(), 14u);
  for (const fs::path& f : files) {
    Decoded d = Decode(f);
    ASSERT_TRUE(d.status.ok()) << f << ": " << d.status.ToString();
    // StudentRecordExchange holds only references to other records.
    if (f.stem() == "StudentRecordExchange") {
      EXPECT_TRUE(d.records.empty());
      EXPECT_TRUE(d.Has("holds references to other records only")) << d.Diags();
      continue;
    }
    ASSERT_FALSE(d.records.empty()) << f;
    for (const Record& r : d.records) {
      EXPECT_FALSE(Base(r).id.empty()) << f;
      EXPECT_EQ(Base(r).source.file, f.string());
      EXPECT_EQ(Base(r).source.line, 1u) << f;
    }
  }
}

TEST(SifXml, StudentPersonalValues) {
  Decoded d = Decode(Samples() / "StudentPersonal.xml");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.records.size(), 2u);
  const auto& p = Only<Person>(d);
  EXPECT_EQ(p.id, "D3E34B359D75101A8C3D00AA001A1652");
  EXPECT_EQ(p.role, Role::kStudent);
  EXPECT_EQ(p.family_name, "Student");
  EXPECT_EQ(p.given_name, "Joe");
  EXPECT_EQ(p.middle_name, "");  // <MiddleName/>
  EXPECT_EQ(p.preferred_given_name, "Joe");
  EXPECT_EQ(p.identifiers, (std::vector<Identifier>{{"local", "P00001"}, {"state", "WB0025"}}));
  EXPECT_EQ(p.email, "Joe.Student@anyschool.com");
  EXPECT_EQ(p.phone, "(312) 555-1234");
  EXPECT_EQ(p.source.ToString(), (Samples() / "StudentPersonal.xml").string() + ":1:1 /StudentPersonal");
  const auto& demo = Only<Demographics>(d);
  EXPECT_EQ(demo.id, p.id);
  EXPECT_EQ(demo.sex, Sex::kMale);
  EXPECT_TRUE(d.Has(":2:3 /StudentPersonal/AlertMessages: note: element <AlertMessages> of "
                    "<StudentPersonal> is not translated"))
      << d.Diags();
}

TEST(SifXml, OrganizationValues) {
  Decoded lea = Decode(Samples() / "LEAInfo.xml");
  ASSERT_TRUE(lea.status.ok()) << lea.status.ToString();
  const auto& district = Only<Organization>(lea);
  EXPECT_EQ(district.kind, OrgKind::kDistrict);
  EXPECT_EQ(district.name, "Happy Meadow School District");
  EXPECT_EQ(district.identifiers, (std::vector<Identifier>{{"local", "946379881"},
                                                           {"state", "C2345681"},
                                                           {"nces", "4215750"}}));
  Decoded school = Decode(Samples() / "SchoolInfo.xml");
  ASSERT_TRUE(school.status.ok()) << school.status.ToString();
  const auto& s = Only<Organization>(school);
  EXPECT_EQ(s.kind, OrgKind::kSchool);
  EXPECT_EQ(s.name, "Lincoln High School");
  EXPECT_EQ(s.parent_id, "73648462888624AA5294BC6380173276");
  EXPECT_EQ(s.identifiers[2], (Identifier{"nces", "421575003045"}));
}

TEST(SifXml, ScheduleValues) {
  Decoded term = Decode(Samples() / "TermInfo.xml");
  ASSERT_TRUE(term.status.ok()) << term.status.ToString();
  const auto& t = Only<AcademicSession>(term);
  EXPECT_EQ(t.id, "7E59D75101A80A70016375DE097A0726");
  EXPECT_EQ(t.type, SessionType::kSemester);
  EXPECT_EQ(t.title, "Spring Semester 2004");
  EXPECT_EQ(t.start_date, "2003-01-05");
  EXPECT_EQ(t.end_date, "2004-04-01");
  EXPECT_EQ(t.school_year, "2004");
  EXPECT_EQ(t.org_id, "A2E35B359D75101A8C3D00AA001A0000");

  Decoded course = Decode(Samples() / "SchoolCourseInfo.xml");
  ASSERT_TRUE(course.status.ok()) << course.status.ToString();
  const auto& c = Only<Course>(course);
  EXPECT_EQ(c.code, "CS101");
  EXPECT_EQ(c.title, "Gif, JPeg, or Png: What's the Difference?");
  EXPECT_EQ(c.credits, 2.0);
  EXPECT_EQ(c.subject_codes, std::vector<std::string>{"05"});
  EXPECT_EQ(c.org_id, "101A8C3D00AA001A0000A2E35B359D75");

  Decoded one = Decode(Samples() / "SectionInfo-example1.xml");
  ASSERT_TRUE(one.status.ok()) << one.status.ToString();
  const auto& s1 = Only<Section>(one);
  EXPECT_EQ(s1.course_id, "A2E35B359D75101A8C3D00AA001A0000");
  EXPECT_EQ(s1.session_ids, (std::vector<std::string>{"099BBC3227490063E97403434C5C2207",
                                                       "A2334007263E97403434C5C220798765"}));
  EXPECT_EQ(s1.title, "Graphics Basics");
  Decoded two = Decode(Samples() / "SectionInfo-example2.xml");
  ASSERT_TRUE(two.status.ok()) << two.status.ToString();
  const auto& s2 = Only<Section>(two);
  EXPECT_EQ(s2.session_ids, std::vector<std::string>{"099BBC3227490063E97403434C5C2207"});
  EXPECT_EQ(s2.code, "Eng08-01");
}

TEST(SifXml, EnrollmentAndMarksValues) {
  Decoded e1 = Decode(Samples() / "StudentSchoolEnrollment-example1.xml");
  ASSERT_TRUE(e1.status.ok()) << e1.status.ToString();
  const auto& school = Only<Enrollment>(e1);
  EXPECT_EQ(school.kind, EnrollmentKind::kOrganization);
  EXPECT_EQ(school.role, Role::kStudent);
  EXPECT_EQ(school.person_id, "D3E34B359D75101A8C3D00AA001A1652");
  EXPECT_EQ(school.org_id, "D3E34B359D75101A8C3D00AA001A1651");
  EXPECT_EQ(school.begin_date, "2004-01-29");
  EXPECT_EQ(school.entry_grade_level, GradeLevel::kGrade10);
  EXPECT_EQ(school.primary, true);  // MembershipType="Home"
  Decoded e2 = Decode(Samples() / "StudentSchoolEnrollment-example2.xml");
  ASSERT_TRUE(e2.status.ok()) << e2.status.ToString();
  EXPECT_EQ(Only<Enrollment>(e2).end_date, "2008-01-29");

  Decoded sec = Decode(Samples() / "StudentSectionEnrollment.xml");
  ASSERT_TRUE(sec.status.ok()) << sec.status.ToString();
  const auto& section = Only<Enrollment>(sec);
  EXPECT_EQ(section.kind, EnrollmentKind::kSection);
  EXPECT_EQ(section.section_id, "9076AB23E386112B7EA2256100BB3312");
  EXPECT_EQ(section.begin_date, "2001-09-05");
  EXPECT_EQ(section.end_date, "2002-03-01");

  Decoded marks = Decode(Samples() / "StudentSectionMarks.xml");
  ASSERT_TRUE(marks.status.ok()) << marks.status.ToString();
  const auto& m = Only<CourseResult>(marks);
  EXPECT_EQ(m.letter_grade, "B");
  EXPECT_EQ(m.numeric_grade, 88.0);
  EXPECT_EQ(m.session_id, "BDBA4301CA1A7C461737DCA75C87E214");
  EXPECT_EQ(m.person_id, "11737EA4301CADCA75C87214A7C46BDB");
}

TEST(SifXml, AcademicRecordCourses) {
  Decoded one = Decode(Samples() / "StudentAcademicRecord-example1.xml");
  ASSERT_TRUE(one.status.ok()) << one.status.ToString();
  ASSERT_EQ(one.records.size(), 1u);
  const auto& grammar = Only<CourseResult>(one);
  EXPECT_EQ(grammar.id, "D932E34082D04C048112729922B58A93:course1");
  EXPECT_EQ(grammar.letter_grade, "A");
  EXPECT_EQ(grammar.credits_attempted, 0.5);
  EXPECT_EQ(grammar.credits_earned, 0.5);
  Decoded two = Decode(Samples() / "StudentAcademicRecord-example2.xml");
  ASSERT_TRUE(two.status.ok()) << two.status.ToString();
  const auto& english = Only<CourseResult>(two);
  EXPECT_EQ(english.numeric_grade, 0.5);
  EXPECT_EQ(english.credits_attempted, 0.0);
  EXPECT_EQ(english.credits_earned, 1.0);
  EXPECT_EQ(english.extensions.at("APCourse"), "No");
  EXPECT_EQ(english.extensions.at("DualEnrollmentCourse"), "Yes");
}

TEST(SifXml, NamespacedCollectionsWithCommentsCdataAndPrefixes) {
  Decoded d = DecodeText(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!-- a > comment <StudentPersonal> -->\n"
      "<sif:StudentPersonals xmlns:sif=\"http://www.sifassociation.org/datamodel/na/3.x\">\n"
      "  <?pi <not an element>?>\n"
      "  <sif:StudentPersonal RefId=\"A1\"><sif:Name Type=\"04\"><sif:LastName><![CDATA[O'Brien "
      "</sif:LastName> <x>]]></sif:LastName></sif:Name>\n"
      "    <sif:EmailList><sif:Email Type=\"a>b\">a@b.org</sif:Email></sif:EmailList>"
      "</sif:StudentPersonal>\n"
      "  <sif:StudentPersonal RefId='A2'/>\n"
      "  <Unknown RefId=\"Z\"><x/></Unknown>\n"
      "  <sif:StudentPersonal RefId=\"A3\">\n"
      "    <sif:Demographics><sif:BirthDate>1/2/2003</sif:BirthDate></sif:Demographics>\n"
      "  </sif:StudentPersonal>\n"
      "</sif:StudentPersonals>\n<!-- after -->\n");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.records.size(), 4u);  // three persons, one with demographics
  const auto& first = Only<Person>(d);
  EXPECT_EQ(first.family_name, "O'Brien </sif:LastName> <x>");
  EXPECT_EQ(first.email, "a@b.org");
  EXPECT_EQ(Only<Person>(d, 2).source.ToString(), "in.xml:9:3 /StudentPersonals/StudentPersonal[3]");
  EXPECT_TRUE(d.Has("in.xml:8:3 /StudentPersonals/Unknown[1]: warning: unknown element <Unknown> "
                    "in <StudentPersonals>; skipped"))
      << d.Diags();
  // A value it cannot read is kept, with a warning at its line:column and XPath.
  EXPECT_TRUE(d.Has("in.xml:10:23 /StudentPersonals/StudentPersonal[3]/Demographics/BirthDate: "
                    "warning: value is not a YYYY-MM-DD date"))
      << d.Diags();
  EXPECT_EQ(Only<Demographics>(d).extensions.at("Demographics/BirthDate"), "1/2/2003");

  Decoded plain = DecodeText(
      "<TermInfos xmlns=\"http://www.sifassociation.org/datamodel/na/4.x\">"
      "<TermInfo RefId=\"T\"><TermSpan><Code>Other</Code><OtherCodeList>"
      "<OtherCode Codeset=\"Text\">gradingPeriod</OtherCode></OtherCodeList></TermSpan></TermInfo>"
      "</TermInfos>");
  ASSERT_TRUE(plain.status.ok()) << plain.status.ToString();
  EXPECT_EQ(Only<AcademicSession>(plain).type, SessionType::kGradingPeriod);
}

struct BadCase {
  std::string xml;
  std::string where;    // expected Status::where()
  std::string message;  // part of the message
};

TEST(SifXml, BadInputSaysWhere) {
  const std::string ns = " xmlns=\"http://www.sifassociation.org/datamodel/na/4.x\"";
  std::vector<BadCase> cases = {
      {"<StudentPersonals" + ns + ">\n  <StudentPersonal RefId=\"1\">\n    <Name><LastName>X</Name>\n"
       "  </StudentPersonal>\n</StudentPersonals>",
       // pugixml points at the name of the end tag that does not match.
       "in.xml:3:24 /StudentPersonals/StudentPersonal[1]", "not well-formed XML"},
      {"<StudentPersonals>\n<StudentPersonal RefId=\"1\"><Name>", "in.xml:2:1", "is not closed"},
      {"<StudentPersonals>\n<StudentPersonal RefId=\"1\"/>\n", "in.xml:1:1",
       "<StudentPersonals> is not closed"},
      {"<?xml version=\"1.0\"?>\n<Students/>", "in.xml:2:1", "is not a SIF NA object"},
      {"<StudentPersonals xmlns=\"urn:other\"/>", "in.xml:1:1", "is not SIF NA"},
      {"<!DOCTYPE x [<!ENTITY a \"b\">]>\n<StudentPersonals/>", "in.xml:1:1", "DTDs are not accepted"},
      {"<StudentPersonals>\n  text\n</StudentPersonals>", "in.xml:2:3", "text between"},
      {"<StudentPersonals></StudentPersonals>\n<StudentPersonals/>", "in.xml:2:1",
       "content after the root element"},
      {"<StudentPersonals>\n <StudentPersonal><Name/></StudentPersonal></StudentPersonals>",
       "in.xml:2:2 /StudentPersonals/StudentPersonal[1]", "without a RefId"},
      {"<StudentPersonals></LEAInfos>", "in.xml:1:19", "does not match"},
      {"", "in.xml:1:1", "empty document"},
      {"<?xml version=\"1.0\" encoding=\"UTF-16\"?><TermInfos/>", "in.xml:1:1", "UTF-8"},
  };
  for (const BadCase& c : cases) {
    Decoded d = DecodeText(c.xml);
    ASSERT_FALSE(d.status.ok()) << c.xml;
    EXPECT_EQ(d.status.where(), c.where) << c.xml << "\n" << d.status.ToString();
    EXPECT_NE(d.status.message().find(c.message), std::string::npos) << d.status.ToString();
  }
}

TEST(SifXml, ObjectLargerThanTheLimitIsAnError) {
  std::string big = "<StudentPersonals><StudentPersonal RefId=\"1\"><LocalId>" +
                    std::string(2000, 'x') + "</LocalId></StudentPersonal></StudentPersonals>";
  std::istringstream in(big);
  DecodeOptions options;
  options.max_record_bytes = 1000;
  auto decoder = Sif().OpenDecoder({"in.xml", &in}, options);
  ASSERT_TRUE(decoder.ok());
  Record r;
  auto next = (*decoder)->Next(&r);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), Code::kResourceExhausted);
}

// decode -> encode -> decode keeps every field sif-xml writes, and the loss
// report names exactly the fields it does not.
TEST(SifXml, RoundTripKeepsWhatTheFormatCarries) {
  for (const fs::path& f : SampleFiles()) {
    TempDir tmp;
    fs::path out = tmp.path() / "out";
    auto report = Translate("sif-xml", "sif-xml", {f}, out);
    ASSERT_TRUE(report.ok()) << f << ": " << report.status().ToString();
    Decoded first = Decode(f), second = Decode(out);
    ASSERT_TRUE(second.status.ok()) << f << ": " << second.status.ToString();
    ASSERT_EQ(first.records.size(), second.records.size()) << f;
    std::set<std::string> lost;
    for (size_t i = 0; i < first.records.size(); ++i) {
      EXPECT_EQ(Project(first.records[i], Sif().writes()), second.records[i]) << f << " #" << i;
      for (const auto& p : PresentFieldPaths(first.records[i]))
        if (!Sif().writes().Carries(p)) lost.insert(p);
    }
    std::set<std::string> reported;
    for (const auto& [path, loss] : report->lost) reported.insert(path);
    EXPECT_EQ(reported, lost) << f;
    EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);
  }
}

TEST(SifXml, WritesOneCollectionPerObjectType) {
  TempDir tmp;
  fs::path out = tmp.path() / "out";
  ASSERT_TRUE(Translate("sif-xml", "sif-xml", {Samples() / "StudentPersonal.xml"}, out).ok());
  std::string xml = testing::ReadFile(out / "StudentPersonals.xml");
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<StudentPersonals "
                      "xmlns=\"http://www.sifassociation.org/datamodel/na/4.x\">\n",
                      0),
            0u)
      << xml;
  // Demographics go back inside the student, before the contact lists.
  EXPECT_LT(xml.find("<Demographics>"), xml.find("<PhoneNumberList>")) << xml;
  EXPECT_GT(xml.find("<Demographics>"), xml.find("</Name>")) << xml;
  EXPECT_NE(xml.find("<Name Type=\"04\">"), std::string::npos) << xml;
  EXPECT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator()), 1);
}

std::vector<fs::path> OneRosterBundles() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(OneRosterSamples()))
    if (e.is_directory() && fs::exists(e.path() / "manifest.csv")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// What SIF has an object for: districts, schools, students and students'
// enrollments.
bool SifWrites(const Record& r, const std::set<std::string>& students) {
  if (auto* o = std::get_if<Organization>(&r))
    return o->kind == OrgKind::kDistrict || o->kind == OrgKind::kSchool;
  if (auto* p = std::get_if<Person>(&r)) return students.count(p->id) > 0;
  if (auto* d = std::get_if<Demographics>(&r)) return students.count(d->id) > 0;
  if (auto* e = std::get_if<Enrollment>(&r)) return e->role == Role::kStudent;
  return Sif().writes().CarriesType(RecordType(r));
}

// oneroster-csv -> sif-xml -> oneroster-csv keeps every field both carry.
TEST(SifXml, OneRosterThroughSifKeepsWhatBothCarry) {
  const Adapter& oneroster = **FindAdapter("oneroster-csv");
  for (const fs::path& b : OneRosterBundles()) {
    TempDir tmp;
    std::vector<Diagnostic> diags;
    TranslateOptions options;
    options.on_diagnostic = [&](const Diagnostic& d) { diags.push_back(d); };
    ASSERT_TRUE(Translate("oneroster-csv", "sif-xml", {b}, tmp.path() / "sif", options).ok()) << b;
    auto back = Translate("sif-xml", "oneroster-csv", {tmp.path() / "sif"}, tmp.path() / "or");
    ASSERT_TRUE(back.ok()) << b << ": " << back.status().ToString();
    Decoded first = Decode(oneroster, {b}), last = Decode(oneroster, {tmp.path() / "or"});
    ASSERT_TRUE(first.status.ok() && last.status.ok()) << b;
    std::set<std::string> students = StudentIds(first.records);
    std::map<std::string, Record> by_key;
    for (const Record& r : last.records) by_key[Key(r)] = r;
    size_t compared = 0;
    for (const Record& r : first.records) {
      if (!SifWrites(r, students)) continue;
      Record expected = Project(Project(r, Sif().writes()), oneroster.writes());
      // SIF splits enrollments over two objects; each lacks some fields (the
      // encoder warns about each, checked below).
      if (auto* e = std::get_if<Enrollment>(&expected); e && e->kind == EnrollmentKind::kSection) {
        e->primary.reset();
        e->org_id.clear();
      }
      if (auto* o = std::get_if<Organization>(&expected); o && o->kind == OrgKind::kDistrict)
        o->parent_id.clear();
      auto it = by_key.find(Key(r));
      ASSERT_NE(it, by_key.end()) << b << ": " << Key(r);
      Record got = Project(it->second, Sif().writes());
      EXPECT_EQ(expected, got) << b << ": " << Key(r);
      ++compared;
    }
    EXPECT_GT(compared, 0u) << b;
  }
}

TEST(SifXml, EncoderSaysWhatItCannotPlace) {
  TempDir tmp;
  std::vector<std::string> diags;
  TranslateOptions options;
  options.on_diagnostic = [&](const Diagnostic& d) { diags.push_back(d.ToString()); };
  ASSERT_TRUE(Translate("oneroster-csv", "sif-xml", {OneRosterSamples() / "moodle-fixtures/v1p2_full_dataset"},
                        tmp.path() / "sif", options)
                  .ok());
  std::string all;
  for (const auto& d : diags) all += d + "\n";
  EXPECT_NE(all.find("only students' enrollments are written"), std::string::npos) << all;
  EXPECT_NE(all.find("organizations other than districts"), std::string::npos) << all;
}

TEST(SifXml, FailedTranslationLeavesNothing) {
  TempDir tmp;
  fs::path in = tmp.path() / "bad.xml";
  WriteFile(in, "<StudentPersonals>\n<StudentPersonal RefId=\"1\"/>\n<StudentPersonal RefId=\"2\">"
                "<Name>\n</StudentPersonals>");
  auto report = Translate("sif-xml", "sif-xml", {in}, tmp.path() / "out");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().where(), in.string() + ":3:1");
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);
}

// XML 1.0 cannot carry C0 controls other than tab, LF and CR. The encoder
// finds them as it escapes what it prints: a person it writes fails with the
// record's location; one it does not write (a teacher) does not matter.
TEST(SifXml, ControlCharacterInAWrittenValueSaysWhere) {
  TempDir tmp;
  fs::path in = WriteOneRosterBundle(
      tmp.path() / "in", "1.1",
      {{"users", "sourcedId,role,givenName,familyName\nt1,teacher,Tab\x01,Teach\n"
                 "u1,student,Ada,Lovelace\nu2,student,Bo\x02" "b,Smith\n"}});
  auto report = Translate("oneroster-csv", "sif-xml", {in}, tmp.path() / "out");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().where(), (in / "users.csv").string() + ":4:1");
  EXPECT_NE(report.status().message().find("control character"), std::string::npos);
  EXPECT_FALSE(fs::exists(tmp.path() / "out"));
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);

  // Tab, LF and CR are carried.
  WriteFile(in / "users.csv",
            "sourcedId,role,givenName,familyName\nu1,student,\"A\td\r\na\",Lovelace\n");
  ASSERT_TRUE(Translate("oneroster-csv", "sif-xml", {in}, tmp.path() / "out").ok());
}

TEST(SifCodeSets, SexRaceAndSessionType) {
  EXPECT_EQ(SexFromSif("M"), Sex::kMale);
  EXPECT_EQ(SexFromSif("F"), Sex::kFemale);
  EXPECT_EQ(SexFromSif("Female"), Sex::kFemale);  // CEDS
  EXPECT_EQ(SexFromSif("NotSelected"), Sex::kNotSelected);
  EXPECT_EQ(SexFromSif("female"), Sex::kUnspecified);
  for (Sex s : {Sex::kFemale, Sex::kMale, Sex::kNonBinary, Sex::kNotSelected})
    EXPECT_EQ(SexFromSif(SexToSif(s)), s);
  EXPECT_EQ(RaceFieldFromCeds("BlackorAfricanAmerican"), "blackOrAfricanAmerican");
  EXPECT_EQ(RaceFieldFromCeds("Black"), "");
  // Every race flag of the model has a CEDS code that reads back.
  for (std::string_view field : {"americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
                                 "nativeHawaiianOrOtherPacificIslander", "white",
                                 "demographicRaceTwoOrMoreRaces"}) {
    EXPECT_EQ(RaceFieldFromCeds(RaceFieldToCeds(field)), field);
    EXPECT_NE(std::find(AllFieldPaths().begin(), AllFieldPaths().end(),
                        "demographics." + std::string(field)),
              AllFieldPaths().end());
  }
  EXPECT_EQ(SessionTypeFromCeds("0828"), SessionType::kSemester);
  EXPECT_EQ(SessionTypeFromCeds("Quarter"), SessionType::kTerm);
  EXPECT_EQ(SessionTypeFromCeds("FullSchoolYear"), SessionType::kSchoolYear);
  EXPECT_EQ(SessionTypeToCeds(SessionType::kSemester), "0828");
  EXPECT_EQ(SessionTypeToCeds(SessionType::kGradingPeriod), "Other");
  EXPECT_EQ(SessionTypeFromCeds("0829x"), SessionType::kUnspecified);
}

// The CEDS/NCES codes SIF NA 4.x uses where the model has a slot (grade
// levels, race, sex, session type) map through code_sets.h; an unknown code
// is kept in the record's extensions, with a warning at its line:column.
TEST(SifCodeSets, UnknownCedsCodesAreKeptWithAWarning) {
  Decoded d = DecodeText(
      "<StudentPersonals xmlns=\"http://www.sifassociation.org/datamodel/na/4.x\">\n"
      "<StudentPersonal RefId=\"S1\"><Demographics><RaceList>"
      "<Race><Code>White</Code></Race><Race><Code>9999</Code></Race></RaceList>\n"
      "<Gender>X9</Gender></Demographics></StudentPersonal>\n"
      "</StudentPersonals>");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  const auto* demo = d.Find<Demographics>("S1");
  ASSERT_NE(demo, nullptr);
  EXPECT_EQ(demo->white, true);
  EXPECT_EQ(demo->extensions.at("Demographics/RaceList/Race*/Code"), "9999");
  EXPECT_EQ(demo->extensions.at("Demographics/Gender"), "X9");
  EXPECT_EQ(demo->sex, Sex::kUnspecified);
  EXPECT_TRUE(d.Has("value is not a CEDS race code; kept as an extension")) << d.Diags();
  EXPECT_TRUE(d.Has("in.xml:3:1 /StudentPersonals/StudentPersonal[1]/Demographics/Gender: "
                    "warning: value is not a SIF sex code"))
      << d.Diags();

  Decoded e = DecodeText(
      "<StudentSchoolEnrollment RefId=\"E1\" StudentPersonalRefId=\"S1\" SchoolInfoRefId=\"O1\">"
      "<GradeLevel><Code>9</Code></GradeLevel></StudentSchoolEnrollment>");
  ASSERT_TRUE(e.status.ok()) << e.status.ToString();
  const auto* enrollment = e.Find<Enrollment>("E1");
  ASSERT_NE(enrollment, nullptr);
  EXPECT_EQ(enrollment->entry_grade_level, GradeLevel::kUnspecified);
  EXPECT_EQ(enrollment->extensions.at("GradeLevel/Code"), "9");  // CEDS says "09"
  EXPECT_TRUE(e.Has("value is not a CEDS grade level code")) << e.Diags();
}

// Every grade level code in the samples is a CEDS code the model knows.
TEST(SifCodeSets, SampleGradeLevelCodesMap) {
  size_t seen = 0;
  for (const fs::path& f : SampleFiles()) {
    std::string xml = testing::ReadFile(f);
    for (size_t at = xml.find("<GradeLevel>"); at != std::string::npos;
         at = xml.find("<GradeLevel>", at + 1)) {
      size_t code = xml.find("<Code>", at) + 6;
      std::string value = xml.substr(code, xml.find('<', code) - code);
      EXPECT_NE(GradeLevelFromCeds(value), GradeLevel::kUnspecified) << f << ": " << value;
      EXPECT_EQ(GradeLevelToCeds(GradeLevelFromCeds(value)), value);
      ++seen;
    }
  }
  EXPECT_GE(seen, 10u);
}

}  // namespace
}  // namespace pathbridge::adapters
