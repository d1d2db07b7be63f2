// The edfi-json adapter: the Ed-Fi JSON samples in shared/standards/edfi/json,
// Ed-Fi DS 5.2 API resources written as the API returns them, round trips
// (Ed-Fi -> Ed-Fi, OneRoster CSV sample bundles -> Ed-Fi -> OneRoster CSV),
// and bad input.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <map>
#include <set>

#include <boost/json.hpp>

#include "adapters/demo_data/generator.h"
#include "adapters/edfi_json/resources.h"
#include "adapters/registry.h"
#include "adapters/translate.h"
#include "tests/adapters/adapter_test_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
using canonical::Record;
using testing::TempDir;
using testing::WriteFile;

fs::path EdFiSamples() { return testing::SharedDir() / "standards/edfi/json"; }
fs::path OneRosterSamples() { return testing::SharedDir() / "standards/oneroster/csv"; }

const Adapter& EdFi() { return **FindAdapter("edfi-json"); }
const Adapter& OneRoster() { return **FindAdapter("oneroster-csv"); }

// Ed-Fi DS 5.2 API resources, as GET responses return them (descriptor
// URIs, natural-key references with links, ids, _etag, _lastModifiedDate).
void WriteApiFolder(const fs::path& dir) {
  fs::create_directories(dir);
  WriteFile(dir / "localEducationAgencies.json", R"([
 {"id": "a1", "localEducationAgencyId": 255901, "nameOfInstitution": "Grand Bend ISD",
  "localEducationAgencyCategoryDescriptor": "uri://ed-fi.org/LocalEducationAgencyCategoryDescriptor#Independent",
  "categories": [{"educationOrganizationCategoryDescriptor": "uri://ed-fi.org/EducationOrganizationCategoryDescriptor#Local Education Agency"}],
  "_etag": "5250168731208835353", "_lastModifiedDate": "2024-05-01T10:00:00Z"}
])");
  WriteFile(dir / "schools.json", R"([
 {"id": "b2", "schoolId": 255901107, "nameOfInstitution": "Grand Bend Elementary School",
  "educationOrganizationCategories": [{"educationOrganizationCategoryDescriptor": "uri://ed-fi.org/EducationOrganizationCategoryDescriptor#School"}],
  "gradeLevels": [{"gradeLevelDescriptor": "uri://ed-fi.org/GradeLevelDescriptor#Ninth grade"}],
  "identificationCodes": [{"educationOrganizationIdentificationSystemDescriptor": "uri://ed-fi.org/EducationOrganizationIdentificationSystemDescriptor#NCES", "identificationCode": "480000100001"}],
  "localEducationAgencyReference": {"localEducationAgencyId": 255901, "link": {"rel": "LocalEducationAgency", "href": "/ed-fi/localEducationAgencies/a1"}}}
])");
  WriteFile(dir / "sessions.json", R"([
 {"sessionName": "2023-2024 Fall Semester", "schoolReference": {"schoolId": 255901107},
  "schoolYearTypeReference": {"schoolYear": 2024}, "beginDate": "2023-08-21", "endDate": "2023-12-15",
  "termDescriptor": "uri://ed-fi.org/TermDescriptor#Fall Semester", "totalInstructionalDays": 81}
])");
  WriteFile(dir / "courses.json", R"([
 {"courseCode": "ALG-1", "courseTitle": "Algebra I", "numberOfParts": 1,
  "educationOrganizationReference": {"educationOrganizationId": 255901107},
  "identificationCodes": [{"courseIdentificationSystemDescriptor": "uri://ed-fi.org/CourseIdentificationSystemDescriptor#SCED course code", "identificationCode": "02052"}],
  "offeredGradeLevels": [{"gradeLevelDescriptor": "uri://ed-fi.org/GradeLevelDescriptor#Ninth grade"}],
  "academicSubjects": [{"academicSubjectDescriptor": "uri://ed-fi.org/AcademicSubjectDescriptor#Mathematics"}],
  "maximumAvailableCredits": 1.5}
])");
  WriteFile(dir / "courseOfferings.json", R"([
 {"localCourseCode": "ALG-1", "courseReference": {"courseCode": "ALG-1", "educationOrganizationId": 255901107},
  "schoolReference": {"schoolId": 255901107},
  "sessionReference": {"schoolId": 255901107, "schoolYear": 2024, "sessionName": "2023-2024 Fall Semester"}}
])");
  WriteFile(dir / "sections.json", R"([
 {"sectionIdentifier": "ALG-1-01", "sectionName": "Algebra I, period 2",
  "courseOfferingReference": {"localCourseCode": "ALG-1", "schoolId": 255901107, "schoolYear": 2024, "sessionName": "2023-2024 Fall Semester"},
  "locationReference": {"classroomIdentificationCode": "204", "schoolId": 255901107},
  "classPeriods": [{"classPeriodReference": {"classPeriodName": "02", "schoolId": 255901107}}]}
])");
  WriteFile(dir / "studentEducationOrganizationAssociations.json", R"([
 {"studentReference": {"studentUniqueId": "604837"}, "educationOrganizationReference": {"educationOrganizationId": 255901107},
  "sexDescriptor": "uri://ed-fi.org/SexDescriptor#Female", "hispanicLatinoEthnicity": false,
  "races": [{"raceDescriptor": "uri://ed-fi.org/RaceDescriptor#Asian"}, {"raceDescriptor": "uri://ed-fi.org/RaceDescriptor#White"}],
  "electronicMails": [{"electronicMailAddress": "ada@example.org", "electronicMailTypeDescriptor": "uri://ed-fi.org/ElectronicMailTypeDescriptor#Home/Personal"}],
  "telephones": [{"telephoneNumber": "555-0100", "telephoneNumberTypeDescriptor": "uri://ed-fi.org/TelephoneNumberTypeDescriptor#Home"},
                 {"telephoneNumber": "555-0199", "telephoneNumberTypeDescriptor": "uri://ed-fi.org/TelephoneNumberTypeDescriptor#Mobile", "textMessageCapabilityIndicator": true}],
  "studentIdentificationCodes": [{"studentIdentificationSystemDescriptor": "uri://ed-fi.org/StudentIdentificationSystemDescriptor#State", "identificationCode": "TX-1", "assigningOrganizationIdentificationCode": "TX"}],
  "limitedEnglishProficiencyDescriptor": "uri://ed-fi.org/LimitedEnglishProficiencyDescriptor#NotLimited",
  "loginId": "ada.l"}
])");
  WriteFile(dir / "students.json", R"([
 {"id": "c3", "studentUniqueId": "604837", "firstName": "Ada", "middleName": "M", "lastSurname": "Lovelace",
  "preferredFirstName": "Addie", "birthDate": "2008-12-10", "birthCity": "London",
  "birthCountryDescriptor": "uri://ed-fi.org/CountryDescriptor#GB",
  "birthStateAbbreviationDescriptor": "uri://ed-fi.org/StateAbbreviationDescriptor#TX",
  "personalTitlePrefix": "Ms", "_ext": {"tx": {"studentIdentifier": "A1"}}}
])");
  WriteFile(dir / "studentSchoolAssociations.json", R"([
 {"studentReference": {"studentUniqueId": "604837"}, "schoolReference": {"schoolId": 255901107},
  "entryDate": "2023-08-21", "entryGradeLevelDescriptor": "uri://ed-fi.org/GradeLevelDescriptor#Ninth grade",
  "primarySchool": true}
])");
  WriteFile(dir / "studentSectionAssociations.json", R"([
 {"studentReference": {"studentUniqueId": "604837"},
  "sectionReference": {"localCourseCode": "ALG-1", "schoolId": 255901107, "schoolYear": 2024, "sectionIdentifier": "ALG-1-01", "sessionName": "2023-2024 Fall Semester"},
  "beginDate": "2023-08-21", "endDate": "2023-12-15", "dualCreditIndicator": true,
  "dualCreditTypeDescriptor": "uri://ed-fi.org/DualCreditTypeDescriptor#Dual Enrollment"}
])");
  WriteFile(dir / "courseTranscripts.json", R"([
 {"courseAttemptResultDescriptor": "uri://ed-fi.org/CourseAttemptResultDescriptor#Pass",
  "courseReference": {"courseCode": "ALG-1", "educationOrganizationId": 255901107},
  "studentAcademicRecordReference": {"educationOrganizationId": 255901107, "schoolYear": 2024, "studentUniqueId": "604837", "termDescriptor": "uri://ed-fi.org/TermDescriptor#Fall Semester"},
  "attemptedCredits": 1.5, "earnedCredits": 1.5, "finalLetterGradeEarned": "A", "finalNumericGradeEarned": 94.5,
  "creditCategories": [{"creditCategoryDescriptor": "uri://ed-fi.org/CreditCategoryDescriptor#Dual Credit"}],
  "earnedAdditionalCredits": [{"additionalCreditTypeDescriptor": "uri://ed-fi.org/AdditionalCreditTypeDescriptor#Dual credit", "credits": 3}],
  "externalEducationOrganizationReference": {"educationOrganizationId": 255901},
  "whenTakenGradeLevelDescriptor": "uri://ed-fi.org/GradeLevelDescriptor#Ninth grade"}
])");
  WriteFile(dir / "studentAcademicRecords.json", R"([
 {"studentReference": {"studentUniqueId": "604837"}, "educationOrganizationReference": {"educationOrganizationId": 255901107},
  "schoolYearTypeReference": {"schoolYear": 2024}, "termDescriptor": "uri://ed-fi.org/TermDescriptor#Fall Semester",
  "diplomas": [{"achievementTitle": "Distinguished Diploma", "diplomaAwardDate": "2024-06-01",
                "diplomaTypeDescriptor": "uri://ed-fi.org/DiplomaTypeDescriptor#Regular diploma"}],
  "recognitions": [{"achievementTitle": "CompTIA A+", "recognitionAwardDate": "2024-05-01",
                    "recognitionTypeDescriptor": "uri://ed-fi.org/RecognitionTypeDescriptor#Certificate",
                    "achievementCategoryDescriptor": "uri://ed-fi.org/AchievementCategoryDescriptor#License Earned"}]}
])");
}

TEST(EdFiJson, RegisteredWithCapabilities) {
  const Adapter& a = EdFi();
  EXPECT_EQ(a.name(), "edfi-json");
  for (std::string_view p : {"demographics.birthDate", "demographics.asian", "person.email",
                             "courseResult.creditsEarned", "courseResult.dualCredit",
                             "courseResult.dualCreditInstitutionId", "enrollment.entryGradeLevel",
                             "section.courseId", "achievementAward.awardDate"})
    EXPECT_TRUE(a.writes().Carries(p)) << p;
  for (std::string_view p : {"person.enabled", "academicSession.parentId", "course.cipCode",
                             "organization.status"})
    EXPECT_FALSE(a.writes().Carries(p)) << p;
  EXPECT_FALSE(a.writes().CarriesType("lineItem"));
}

TEST(EdFiJson, ReadsApiResources) {
  TempDir tmp;
  WriteApiFolder(tmp.path() / "api");
  Decoded d = Decode(EdFi(), tmp.path() / "api");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();

  const auto* school = d.Find<canonical::Organization>("255901107");
  ASSERT_NE(school, nullptr) << d.Diags();
  EXPECT_EQ(school->kind, canonical::OrgKind::kSchool);
  EXPECT_EQ(school->parent_id, "255901");
  EXPECT_EQ(school->identifiers, (std::vector<canonical::Identifier>{{"nces", "480000100001"}}));
  const auto* lea = d.Find<canonical::Organization>("255901");
  ASSERT_NE(lea, nullptr);
  EXPECT_EQ(lea->kind, canonical::OrgKind::kDistrict);
  EXPECT_EQ(lea->date_last_modified, "2024-05-01T10:00:00Z");
  EXPECT_EQ(lea->extensions.at("edfi:id"), "a1");

  std::string session_id = "255901107/2024/2023-2024 Fall Semester";
  const auto* session = d.Find<canonical::AcademicSession>(session_id);
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->type, canonical::SessionType::kSemester);
  EXPECT_EQ(session->school_year, "2024");
  EXPECT_EQ(session->org_id, "255901107");
  EXPECT_EQ(session->extensions.at("edfi:totalInstructionalDays"), "81");

  const auto* course = d.Find<canonical::Course>("255901107/ALG-1");
  ASSERT_NE(course, nullptr);
  EXPECT_EQ(course->sced_code, "02052");
  EXPECT_EQ(course->credits, 1.5);
  EXPECT_EQ(course->grade_levels, std::vector{canonical::GradeLevel::kGrade9});
  EXPECT_EQ(course->subjects, std::vector<std::string>{"Mathematics"});

  // The section reaches its course through the course offering.
  std::string section_id = session_id + "/ALG-1/ALG-1-01";
  const auto* section = d.Find<canonical::Section>(section_id);
  ASSERT_NE(section, nullptr);
  EXPECT_EQ(section->course_id, "255901107/ALG-1");
  EXPECT_EQ(section->session_ids, std::vector<std::string>{session_id});
  EXPECT_EQ(section->location, "204");
  EXPECT_EQ(section->periods, std::vector<std::string>{"02"});

  // The student and its association join into one person and one demographics record.
  ASSERT_EQ(d.Count<canonical::Person>(), 1u);
  ASSERT_EQ(d.Count<canonical::Demographics>(), 1u);
  const auto* person = d.Find<canonical::Person>("604837");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person->role, canonical::Role::kStudent);
  EXPECT_EQ(person->preferred_given_name, "Addie");
  EXPECT_EQ(person->email, "ada@example.org");
  EXPECT_EQ(person->phone, "555-0100");
  EXPECT_EQ(person->sms, "555-0199");
  EXPECT_EQ(person->username, "ada.l");
  EXPECT_EQ(person->identifiers, (std::vector<canonical::Identifier>{{"state", "TX-1"}}));
  EXPECT_EQ(person->extensions.at("edfi:_ext/tx"), R"({"studentIdentifier":"A1"})");
  const auto* demo = d.Find<canonical::Demographics>("604837");
  ASSERT_NE(demo, nullptr);
  EXPECT_EQ(demo->birth_date, "2008-12-10");
  EXPECT_EQ(demo->country_of_birth, "GB");
  EXPECT_EQ(demo->state_of_birth, "TX");
  EXPECT_EQ(demo->sex, canonical::Sex::kFemale);
  EXPECT_EQ(demo->asian, true);
  EXPECT_EQ(demo->white, true);
  EXPECT_EQ(demo->black_or_african_american, false);
  EXPECT_EQ(demo->two_or_more_races, true);
  EXPECT_EQ(demo->hispanic_or_latino_ethnicity, false);

  const auto* ssa = d.Find<canonical::Enrollment>("604837/255901107/2023-08-21");
  ASSERT_NE(ssa, nullptr);
  EXPECT_EQ(ssa->kind, canonical::EnrollmentKind::kOrganization);
  EXPECT_EQ(ssa->entry_grade_level, canonical::GradeLevel::kGrade9);
  EXPECT_EQ(ssa->primary, true);
  const auto* ssec = d.Find<canonical::Enrollment>("604837/" + section_id + "/2023-08-21");
  ASSERT_NE(ssec, nullptr);
  EXPECT_EQ(ssec->section_id, section_id);
  EXPECT_EQ(ssec->org_id, "255901107");
  EXPECT_EQ(ssec->extensions.at("edfi:dualCreditIndicator"), "true");

  ASSERT_EQ(d.Count<canonical::CourseResult>(), 1u);
  const auto& cr = *d.Find<canonical::CourseResult>(
      "604837/255901107/2024/Fall Semester/255901107/ALG-1");
  EXPECT_EQ(cr.person_id, "604837");
  EXPECT_EQ(cr.course_id, "255901107/ALG-1");
  EXPECT_EQ(cr.credits_attempted, 1.5);
  EXPECT_EQ(cr.letter_grade, "A");
  EXPECT_EQ(cr.numeric_grade, 94.5);
  EXPECT_EQ(cr.credit_type, "Dual Credit");
  EXPECT_EQ(cr.dual_credit, true);
  EXPECT_EQ(cr.dual_credit_institution_id, "255901");
  EXPECT_EQ(cr.awarding_org_id, "255901107");

  ASSERT_EQ(d.Count<canonical::AchievementAward>(), 2u);
  const auto* diploma =
      d.Find<canonical::AchievementAward>("604837/255901107/2024/Fall Semester/diplomas/0");
  ASSERT_NE(diploma, nullptr);
  EXPECT_EQ(diploma->kind, canonical::AwardKind::kDiploma);
  EXPECT_EQ(diploma->award_date, "2024-06-01");
  const auto* cert =
      d.Find<canonical::AchievementAward>("604837/255901107/2024/Fall Semester/recognitions/0");
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->kind, canonical::AwardKind::kIndustryCertification);
  EXPECT_EQ(cert->title, "CompTIA A+");
  EXPECT_EQ(cert->source.pointer, "/0/recognitions/0");
}

// Every Ed-Fi JSON sample that holds data (a resource array) decodes; the
// ACAN schema file is a shape description, not data, and is refused.
TEST(EdFiJson, TranscriptCompositeSampleDecodes) {
  Decoded d = Decode(EdFi(), EdFiSamples() / "acan-transcript-composite-output.json");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  const auto* person = d.Find<canonical::Person>("604837");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person->given_name, "Glenn");
  EXPECT_EQ(person->family_name, "Gross");
  EXPECT_EQ(person->phone, "(950) 014 6151");  // the first listed
  EXPECT_EQ(person->identifiers,
            (std::vector<canonical::Identifier>{{"local", "837"}, {"SSN", "1382712733"}}));
  const auto* demo = d.Find<canonical::Demographics>("604837");
  ASSERT_NE(demo, nullptr);
  EXPECT_EQ(demo->birth_date, "2001-12-19");
  EXPECT_EQ(demo->sex, canonical::Sex::kMale);
  EXPECT_EQ(demo->hispanic_or_latino_ethnicity, true);
  EXPECT_EQ(demo->native_hawaiian_or_other_pacific_islander, true);  // a DS 2.x race value
  EXPECT_TRUE(d.Has("date-time where a date is expected")) << d.Diags();
  EXPECT_TRUE(d.Has("guardians: warning: not translated")) << d.Diags();

  const auto* school = d.Find<canonical::Organization>("255901107");
  ASSERT_NE(school, nullptr);
  EXPECT_EQ(school->parent_id, "255901");
  ASSERT_EQ(d.Count<canonical::CourseResult>(), 14u);
  const auto* fail = d.Find<canonical::CourseResult>("604837/255901107/2012/Spring Semester/255901107/SCI-05");
  ASSERT_NE(fail, nullptr);
  EXPECT_EQ(fail->credits_earned, 0);
  EXPECT_EQ(fail->letter_grade, "F");
  EXPECT_EQ(fail->numeric_grade, 43);
  EXPECT_EQ(fail->course_id, "255901107/SCI-05");
  EXPECT_EQ(d.Count<canonical::Course>(), 7u);  // each course once
  ASSERT_EQ(d.Count<canonical::AchievementAward>(), 2u);
  const auto* award =
      d.Find<canonical::AchievementAward>("604837/255901107/2012/Spring Semester/recognitions/0");
  ASSERT_NE(award, nullptr);
  EXPECT_EQ(award->kind, canonical::AwardKind::kCertificate);
  EXPECT_EQ(award->award_date, "2019-06-01");

  Decoded schema = Decode(EdFi(), EdFiSamples() / "acan-transcript-schema.json");
  EXPECT_FALSE(schema.status.ok());
  EXPECT_EQ(schema.status.where(), (EdFiSamples() / "acan-transcript-schema.json").string() + ":1:1");
  EXPECT_NE(schema.status.message().find("expected a JSON array"), std::string::npos);
}

// Ed-Fi -> Ed-Fi: decode, encode, decode gives the same records, with no
// pathbridge extension needed for data that came from Ed-Fi.
// The decoder looks a member's property up from the one after the last
// found, so every property name must be unique within its resource.
TEST(EdFiJson, PropertyNamesAreUniqueInEachResource) {
  auto check = [](const auto& spec) {
    std::set<std::string_view> names;
    for (const auto& p : spec.properties)
      EXPECT_TRUE(names.insert(p.name).second) << spec.name << ": " << p.name;
    EXPECT_FALSE(spec.properties.empty()) << spec.name;
  };
  using namespace edfi_json;
  auto check_all = [&](const auto&... specs) { (check(specs), ...); };
  check_all(LocalEducationAgencies(), Schools(), StateEducationAgencies(),
            PostSecondaryInstitutions(), OrganizationDepartments(), Sessions(), Courses(),
            Sections(), Students(), StudentEducationOrganizationAssociations(),
            StudentSchoolAssociations(), StudentSectionAssociations(), CourseTranscripts());
}

// Members in any order decode to the same records: written in our order
// and then with every element's members reversed.
TEST(EdFiJson, MembersInAnyOrderDecodeTheSame) {
  TempDir tmp;
  fs::path bundle = tmp.path() / "district";
  ASSERT_TRUE(demo_data::WriteDistrictBundle({.students = 200, .seed = 3, .messy = true}, bundle)
                  .ok());
  fs::path edfi = tmp.path() / "edfi";
  ASSERT_TRUE(Translate("oneroster-csv", "edfi-json", {bundle}, edfi).ok());
  fs::path reversed = tmp.path() / "reversed";
  fs::create_directory(reversed);
  size_t elements = 0;
  for (const auto& e : fs::directory_iterator(edfi)) {
    boost::json::array all = testing::ReadJson(e.path()).as_array();
    std::string text = "[\n";
    for (size_t i = 0; i < all.size(); ++i) {
      const boost::json::object& o = all[i].as_object();
      boost::json::object back;
      for (auto it = o.end(); it != o.begin();) {
        --it;
        back[it->key()] = it->value();
      }
      text += (i == 0 ? "" : ",\n") + boost::json::serialize(back);
      ++elements;
    }
    WriteFile(reversed / e.path().filename(), text + "\n]\n");
  }
  EXPECT_GT(elements, 1000u);
  Decoded ours = Decode(EdFi(), edfi), theirs = Decode(EdFi(), reversed);
  ASSERT_TRUE(ours.status.ok()) << ours.status.ToString();
  ASSERT_TRUE(theirs.status.ok()) << theirs.status.ToString();
  EXPECT_EQ(ById(theirs.records), ById(ours.records));
}

TEST(EdFiJson, RoundTripsItsOwnOutput) {
  TempDir tmp;
  WriteApiFolder(tmp.path() / "api");
  for (fs::path in : {tmp.path() / "api", EdFiSamples() / "acan-transcript-composite-output.json"}) {
    fs::path out = tmp.path() / ("out-" + in.stem().string());
    auto report = Translate("edfi-json", "edfi-json", {in}, out);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->lossless()) << boost::json::serialize(report->ToJson());
    Decoded first = Decode(EdFi(), in), second = Decode(EdFi(), out);
    ASSERT_TRUE(second.status.ok()) << second.status.ToString();
    EXPECT_EQ(ById(first.records), ById(second.records)) << in;
    for (const auto& e : fs::directory_iterator(out)) {
      std::string text = testing::ReadFile(e.path());
      size_t at = text.find("\"pathbridge\"");
      EXPECT_EQ(at, std::string::npos) << e.path() << ": " << text.substr(at == std::string::npos ? 0 : at, 300);
    }
  }
  // The output is the API's shape: natural-key references, descriptor URIs.
  auto sections = testing::ReadJson(tmp.path() / "out-api/sections.json").as_array();
  ASSERT_EQ(sections.size(), 1u);
  EXPECT_EQ(sections[0].at("courseOfferingReference").at("schoolYear"), 2024);
  auto offerings = testing::ReadJson(tmp.path() / "out-api/courseOfferings.json").as_array();
  ASSERT_EQ(offerings.size(), 1u);
  EXPECT_EQ(offerings[0].at("courseReference").at("courseCode"), "ALG-1");
  auto seoa = testing::ReadJson(tmp.path() / "out-api/studentEducationOrganizationAssociations.json")
                  .as_array();
  ASSERT_EQ(seoa.size(), 1u);
  EXPECT_EQ(seoa[0].at("sexDescriptor"), "uri://ed-fi.org/SexDescriptor#Female");
  EXPECT_EQ(seoa[0].at("limitedEnglishProficiencyDescriptor"),
            "uri://ed-fi.org/LimitedEnglishProficiencyDescriptor#NotLimited");
}

// Sections and their associations are joined on Finish through external
// sorts (no index of sections in memory). Two sections with the same code
// in one course and session: the first keeps the code as its identifier,
// the other takes its id; every association still reaches its own section.
TEST(EdFiJson, SectionsSharingANaturalKeyKeepTheirIdentities) {
  TempDir tmp;
  auto write = [](const fs::path& out, std::vector<Record> records) -> Status {
    EncodeOptions options;
    options.sort_memory_bytes = 256;  // spill every few entries
    PB_ASSIGN_OR_RETURN(auto encoder, EdFi().OpenEncoder(out, options));
    for (const Record& r : records) PB_RETURN_IF_ERROR(encoder->Write(r));
    return encoder->Finish();
  };
  std::vector<Record> records;
  canonical::Organization school;
  school.id = "sch";
  school.kind = canonical::OrgKind::kSchool;
  records.push_back(school);
  canonical::AcademicSession term;
  term.id = "term";
  term.org_id = "sch";
  term.school_year = "2024";
  term.title = "Fall";
  records.push_back(term);
  canonical::Course course;
  course.id = "crs";
  course.org_id = "sch";
  course.code = "ALG-1";
  records.push_back(course);
  auto section = [](std::string id, std::string code) {
    canonical::Section s;
    s.id = std::move(id);
    s.code = std::move(code);
    s.course_id = "crs";
    s.org_id = "sch";
    s.session_ids = {"term"};
    return s;
  };
  // Added in an order unlike their ids' order.
  records.push_back(section("cls-b", "P1"));
  records.push_back(section("cls-a", "P1"));
  for (int i = 0; i < 40; ++i) {
    canonical::Enrollment e;
    e.id = "enr-" + std::to_string(i);
    e.person_id = "stu-" + std::to_string(i);
    e.section_id = i % 2 == 0 ? "cls-a" : "cls-b";
    e.org_id = "sch";
    e.kind = canonical::EnrollmentKind::kSection;
    e.role = canonical::Role::kStudent;
    e.begin_date = "2024-08-19";
    records.push_back(e);
  }
  ASSERT_TRUE(write(tmp.path() / "out", records).ok());

  auto sections = testing::ReadJson(tmp.path() / "out/sections.json").as_array();
  ASSERT_EQ(sections.size(), 2u);
  std::set<std::string> identifiers;
  for (const auto& s : sections) identifiers.insert(std::string(s.at("sectionIdentifier").as_string()));
  // cls-b came first, so it keeps the code.
  EXPECT_EQ(identifiers, (std::set<std::string>{"P1", "cls-a"}));
  Decoded back = Decode(EdFi(), tmp.path() / "out");
  ASSERT_TRUE(back.status.ok()) << back.status.ToString();
  size_t enrollments = 0;
  for (const Record& r : back.records) {
    auto* e = std::get_if<canonical::Enrollment>(&r);
    if (e == nullptr) continue;
    ++enrollments;
    int i = std::stoi(e->id.substr(4));
    EXPECT_EQ(e->section_id, i % 2 == 0 ? "cls-a" : "cls-b") << e->id;
  }
  EXPECT_EQ(enrollments, 40u);

  // A third section whose code is cls-a's id: cls-a's fallback key is taken.
  records.push_back(section("cls-c", "cls-a"));
  Status s = write(tmp.path() / "out2", records);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.where(), "sections id cls-a");
  EXPECT_FALSE(fs::exists(tmp.path() / "out2"));
}

// A student's values come from studentEducationOrganizationAssociations and
// students; the decoder joins them through an external sort at the end of
// the input (no index of students in memory). With a budget that spills
// every few entries, it must read the same records as with the default,
// and remove its scratch folder.
// Students (with their associations) and section associations (with
// their sections' ids) are joined through external sorts; with a tiny
// budget every sort spills, and the records must be those of the default.
TEST(EdFiJson, StudentsAndSectionsJoinThroughSpilledSortsAsInMemory) {
  TempDir tmp;
  ASSERT_TRUE(demo_data::WriteDistrictBundle({.students = 300, .seed = 3}, tmp.path() / "district").ok());
  ASSERT_TRUE(Translate("oneroster-csv", "edfi-json", {tmp.path() / "district"}, tmp.path() / "api").ok());
  ASSERT_EQ(::setenv("TMPDIR", tmp.path().c_str(), 1), 0);  // this test's scratch folders
  auto decode = [&](size_t budget) {
    DecodeOptions options;
    options.sort_memory_bytes = budget;
    std::vector<Record> records;
    auto decoder = EdFi().OpenDecoder({tmp.path() / "api"}, options);
    EXPECT_TRUE(decoder.ok());
    if (!decoder.ok()) return records;
    Status s = ForEachRecord(**decoder, [&](Record&& r) {
      records.push_back(std::move(r));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return records;
  };
  std::vector<Record> in_memory = decode(8u << 20), spilled = decode(64);
  ::unsetenv("TMPDIR");
  size_t persons = 0, demographics = 0;
  for (const Record& r : spilled) {
    persons += std::holds_alternative<canonical::Person>(r);
    demographics += std::holds_alternative<canonical::Demographics>(r);
  }
  EXPECT_EQ(persons, 300u);  // students only: Ed-Fi carries no staff
  EXPECT_EQ(demographics, 300u);
  EXPECT_EQ(ById(in_memory), ById(spilled));
  // Every class enrollment is back in its class: the section's id (Ed-Fi
  // references carry only its natural key), not the key.
  std::map<std::string, std::string> class_of;
  for (const auto& e : All<canonical::Enrollment>(Decode(OneRoster(), tmp.path() / "district").records))
    if (!e.section_id.empty()) class_of[e.id] = e.section_id;
  size_t sections = 0;
  for (const auto& e : All<canonical::Enrollment>(spilled)) {
    if (e.kind != canonical::EnrollmentKind::kSection) continue;
    ++sections;
    EXPECT_EQ(e.section_id, class_of[e.id]) << e.id;
  }
  EXPECT_GT(sections, 600u);
  for (const auto& e : fs::directory_iterator(tmp.path()))
    EXPECT_FALSE(e.path().filename().string().starts_with("pathbridge-edfi-")) << e.path();
}

std::vector<fs::path> OneRosterBundles() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(OneRosterSamples())) {
    if (e.is_directory() && fs::exists(e.path() / "manifest.csv")) out.push_back(e.path());
    if (e.path().extension() == ".zip") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Ed-Fi has students only: staff and guardians (and their enrollments) are
// not written, nor the demographics of a person not written, and
// organizations of kinds Ed-Fi has no resource for. `persons`: every
// person's id; `students`: StudentIds.
bool EdFiWrites(const Record& r, const std::set<std::string>& persons,
                const std::set<std::string>& students) {
  if (auto* p = std::get_if<canonical::Person>(&r)) return students.count(p->id) > 0;
  if (auto* d = std::get_if<canonical::Demographics>(&r))
    return students.count(d->id) > 0 || persons.count(d->id) == 0;
  if (auto* e = std::get_if<canonical::Enrollment>(&r)) return e->role == canonical::Role::kStudent;
  if (auto* o = std::get_if<canonical::Organization>(&r))
    return o->kind == canonical::OrgKind::kSchool || o->kind == canonical::OrgKind::kDistrict ||
           o->kind == canonical::OrgKind::kLocal || o->kind == canonical::OrgKind::kState ||
           o->kind == canonical::OrgKind::kCollege || o->kind == canonical::OrgKind::kDepartment;
  return EdFi().writes().CarriesType(canonical::RecordType(r));
}

// OneRoster CSV -> Ed-Fi -> OneRoster CSV keeps every field both formats
// carry, and the loss report names exactly the fields Ed-Fi does not.
TEST(EdFiJson, OneRosterRoundTripKeepsWhatBothCarry) {
  auto bundles = OneRosterBundles();
  ASSERT_GE(bundles.size(), 9u);
  Capabilities both;
  for (const auto& [type, paths] : EdFi().writes().by_type())
    for (const auto& p : paths)
      if (OneRoster().writes().Carries(p)) both.Add(p);
  for (const fs::path& b : bundles) {
    TempDir tmp;
    std::vector<Diagnostic> warnings;
    TranslateOptions options;
    options.on_diagnostic = [&](const Diagnostic& d) { warnings.push_back(d); };
    auto to_edfi = Translate("oneroster-csv", "edfi-json", {b}, tmp.path() / "edfi", options);
    ASSERT_TRUE(to_edfi.ok()) << b << ": " << to_edfi.status().ToString();
    auto back = Translate("edfi-json", "oneroster-csv", {tmp.path() / "edfi"}, tmp.path() / "or");
    ASSERT_TRUE(back.ok()) << b << ": " << back.status().ToString();

    Decoded first = Decode(OneRoster(), b), second = Decode(OneRoster(), tmp.path() / "or");
    ASSERT_TRUE(first.status.ok() && second.status.ok()) << b;
    std::set<std::string> persons, students = StudentIds(first.records);
    for (const canonical::Person* p : first.All<canonical::Person>()) persons.insert(p->id);
    std::vector<Record> written;
    for (const Record& r : first.records)
      if (EdFiWrites(r, persons, students)) written.push_back(Project(r, both));
    EXPECT_EQ(ById(written), ById(second.records)) << b;
    EXPECT_EQ(Reported(*to_edfi), ExpectedLoss(first.records, EdFi().writes())) << b;
    EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 2);
  }
}

// A OneRoster 1.2 bundle's users carry no role (roles.csv does): its teacher
// (also a guardian) and site administrator must not become Ed-Fi students,
// in Ed-Fi JSON or in SIF; a user a student enrollment names is one, even if
// roles.csv calls it a teacher (usr-222-987654 in this sample).
// A student's association is under the first school a record about it
// names: its own (person) record's when that came before every record
// naming a school (users.csv before roles.csv), else the earlier record's;
// whether the sort spills or not.
TEST(EdFiJson, AStudentsSchoolIsTheFirstOneARecordNames) {
  auto org = [](std::string id) {
    canonical::Organization o;
    o.name = "School " + id;
    o.id = std::move(id);
    o.kind = canonical::OrgKind::kSchool;
    return o;
  };
  auto person = [](std::string id, std::string school) {
    canonical::Person p;
    p.id = std::move(id);
    p.role = canonical::Role::kStudent;
    p.given_name = "Ana";
    p.primary_org_id = std::move(school);
    return p;
  };
  auto at_school = [](std::string person_id, std::string school) {
    canonical::Enrollment e;
    e.id = person_id + "@" + school;
    e.kind = canonical::EnrollmentKind::kOrganization;
    e.role = canonical::Role::kStudent;
    e.person_id = std::move(person_id);
    e.org_id = std::move(school);
    e.begin_date = "2024-08-19";
    return e;
  };
  const std::vector<Record> records = {
      org("a"), org("b"),
      person("p1", "a"),      // before any record naming a school: a
      at_school("p1", "b"),
      at_school("p2", "b"),   // before its person: b
      person("p2", "a"),
      person("p3", ""),       // none of its own: b
      at_school("p3", "b"),
      person("p4", "a"),      // after others named schools, first for itself: a
  };
  for (size_t budget : {size_t{8} << 20, size_t{64}}) {
    SCOPED_TRACE(budget);
    TempDir tmp;
    EncodeOptions options;
    options.sort_memory_bytes = budget;
    auto encoder = EdFi().OpenEncoder(tmp.path() / "api", options);
    ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
    for (const Record& r : records) ASSERT_TRUE((*encoder)->Write(r).ok());
    ASSERT_TRUE((*encoder)->Finish().ok());
    std::map<int64_t, std::string> school_named;
    const boost::json::value schools = testing::ReadJson(tmp.path() / "api/schools.json");
    for (const auto& s : schools.as_array())
      school_named[s.at("schoolId").as_int64()] = std::string(s.at("nameOfInstitution").as_string());
    std::map<std::string, std::string> school_of;
    const boost::json::value associations =
        testing::ReadJson(tmp.path() / "api/studentEducationOrganizationAssociations.json");
    for (const auto& a : associations.as_array())
      school_of[std::string(a.at("studentReference").at("studentUniqueId").as_string())] =
          school_named[a.at("educationOrganizationReference").at("educationOrganizationId").as_int64()];
    EXPECT_EQ(school_of, (std::map<std::string, std::string>{
                             {"p1", "School a"}, {"p2", "School b"}, {"p3", "School b"}, {"p4", "School a"}}));
  }
}

TEST(EdFiJson, StaffAndGuardiansOfAOneRoster12BundleAreNotStudents) {
  fs::path bundle = OneRosterSamples() / "moodle-fixtures/v1p2_full_dataset.zip";
  const std::set<std::string> want = {"usr-222-1234561232", "usr-222-567891", "usr-222-66778899",
                                      "usr-222-987654"};
  TempDir tmp;
  std::vector<Diagnostic> warnings;
  TranslateOptions options;
  options.on_diagnostic = [&](const Diagnostic& d) { warnings.push_back(d); };
  ASSERT_TRUE(Translate("oneroster-csv", "edfi-json", {bundle}, tmp.path() / "edfi", options).ok());
  std::set<std::string> students;
  boost::json::value written = testing::ReadJson(tmp.path() / "edfi/students.json");
  for (const auto& s : written.as_array())
    students.insert(std::string(s.at("studentUniqueId").as_string()));
  EXPECT_EQ(students, want);

  ASSERT_TRUE(Translate("oneroster-csv", "sif-xml", {bundle}, tmp.path() / "sif", options).ok());
  std::string sif = testing::ReadFile(tmp.path() / "sif/StudentPersonals.xml");
  for (const char* id : {"usr-222-123456\"", "usr-222-1234561\""})
    EXPECT_EQ(sif.find(std::string("RefId=\"") + id), std::string::npos) << id;
  for (const std::string& id : want)
    EXPECT_NE(sif.find("RefId=\"" + id + "\""), std::string::npos) << id;

  size_t told = 0;
  for (const Diagnostic& d : warnings)
    if (d.message.starts_with("2 persons without a role that no student record names")) ++told;
  EXPECT_EQ(told, 2u);  // once by each encoder
}

// The OneRoster 1.2 sample's classes, users and enrollments, as Ed-Fi sees them.
TEST(EdFiJson, WritesOneRosterAsEdFiResources) {
  TempDir tmp;
  fs::path out = tmp.path() / "edfi";
  ASSERT_TRUE(Translate("oneroster-csv", "edfi-json",
                        {OneRosterSamples() / "moodle-fixtures/oneroster_test_data"}, out)
                  .ok());
  auto students = testing::ReadJson(out / "students.json").as_array();
  ASSERT_EQ(students.size(), 1u);
  EXPECT_EQ(students[0].at("studentUniqueId"), "USER_0");
  EXPECT_EQ(students[0].at("firstName"), "Bruce");
  EXPECT_EQ(students[0].at("birthDate"), "2010-04-17");
  auto sessions = testing::ReadJson(out / "sessions.json").as_array();
  EXPECT_EQ(sessions[0].at("termDescriptor"), "uri://ed-fi.org/TermDescriptor#Semester");
  EXPECT_EQ(sessions[0].at("sessionName"), "Semester 1");
  EXPECT_EQ(sessions[0].at("schoolYearTypeReference").at("schoolYear"), 2023);
  auto ssa = testing::ReadJson(out / "studentSchoolAssociations.json").as_array();
  EXPECT_EQ(ssa[0].at("studentReference").at("studentUniqueId"), "USER_0");
  // The school's id is not a number: the id Ed-Fi needs is derived from it,
  // and the OneRoster id kept in the pathbridge extension.
  auto schools = testing::ReadJson(out / "schools.json").as_array();
  EXPECT_TRUE(schools[0].at("schoolId").is_int64());
  EXPECT_EQ(schools[0].at("_ext").at("pathbridge").at("fields").at("organization.id"), "ORG_1");
  EXPECT_EQ(ssa[0].at("schoolReference").at("schoolId"), schools[0].at("schoolId"));
}

// Bad input: an error with file:line:column and a JSON pointer, and no output.
class EdFiJsonInput : public ::testing::Test {
 protected:
  fs::path File(const std::string& name, const std::string& text) {
    fs::path p = tmp_.path() / name;
    WriteFile(p, text);
    return p;
  }
  void ExpectError(const fs::path& in, std::string_view where, std::string_view message) {
    TempDir out;
    auto r = Translate("edfi-json", "oneroster-csv", {in}, out.path() / "o");
    ASSERT_FALSE(r.ok()) << in;
    EXPECT_EQ(r.status().where(), in.string() + std::string(where)) << r.status().ToString();
    EXPECT_NE(r.status().message().find(message), std::string::npos) << r.status().ToString();
    EXPECT_TRUE(fs::is_empty(out.path())) << "output left behind";
  }
  TempDir tmp_;
};

TEST_F(EdFiJsonInput, SyntaxErrorInsideAnElement) {
  ExpectError(File("students.json",
                   "[\n {\"studentUniqueId\": \"1\"},\n {\"studentUniqueId\": \"2\",\n  \"firstName\": tru}\n]"),
              ":4:16 /1/firstName", "");
}

TEST_F(EdFiJsonInput, MissingStudentReference) {
  ExpectError(File("studentSchoolAssociations.json",
                   "[{\"schoolReference\": {\"schoolId\": 1}, \"studentReference\": {}}]"),
              ":1:2 /0/studentReference/studentUniqueId", "cannot be identified");
}

TEST_F(EdFiJsonInput, NotAnArray) {
  ExpectError(File("schools.json", "  {\"schoolId\": 1}"), ":1:3", "expected a JSON array");
}

TEST_F(EdFiJsonInput, TrailingComma) {
  ExpectError(File("schools.json", "[{\"schoolId\": 1},\n]"), ":2:1", "trailing comma");
}

TEST_F(EdFiJsonInput, ElementNotAnObject) {
  ExpectError(File("schools.json", "[{\"schoolId\": 1}, 7]"), ":1:19 /1", "not a JSON object");
}

TEST_F(EdFiJsonInput, UnclosedArray) {
  ExpectError(File("schools.json", "[{\"schoolId\": 1}"), ":1:17", "not closed");
}

TEST_F(EdFiJsonInput, DataAfterTheArray) {
  ExpectError(File("schools.json", "[] []"), ":1:4", "after the end of the array");
}

TEST_F(EdFiJsonInput, OverlongElement) {
  std::string huge(2u << 20, 'a');
  TempDir out;
  auto r = Translate("edfi-json", "edfi-json",
                     {File("students.json", "[{\"studentUniqueId\": \"" + huge + "\"}]")},
                     out.path() / "o");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
  EXPECT_NE(r.status().where().find("students.json:1:2 /0"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(out.path()));
}

TEST_F(EdFiJsonInput, UnknownFileName) {
  ExpectError(File("export.json", "[{\"schoolId\": 1}]"), ":1:2 /0", "name it <resource>.json");
}

// Tolerated, with a warning: a byte order mark, a value of the wrong kind
// (kept as an extension), a missing required member.
TEST_F(EdFiJsonInput, ToleratedOddities) {
  Decoded d = Decode(EdFi(), File("students.json",
                                  "\xEF\xBB\xBF[{\"studentUniqueId\": 7, \"firstName\": 12, "
                                  "\"lastSurname\": \"Li\", \"birthDate\": \"2009-01-02\"}]"));
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  const auto* p = d.Find<canonical::Person>("7");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->extensions.at("edfi:firstName"), "12");
  EXPECT_TRUE(d.Has("/0/firstName: warning: value not understood")) << d.Diags();
  EXPECT_TRUE(d.Has("byte order mark")) << d.Diags();
}

}  // namespace
}  // namespace pathbridge::adapters
