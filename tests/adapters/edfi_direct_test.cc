// The Ed-Fi encoder's direct path (resources.h: Property::emit,
// EncodeDirect): elements it writes straight as text must be the bytes,
// pathbridge extensions and warnings of the checked path (encode an object,
// decode it back, compare). The same records go through one encoder whose
// writer takes text and one whose writer does not.
#include <gtest/gtest.h>

#include <algorithm>

#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "adapters/demo_data/generator.h"
#include "adapters/registry.h"
#include "tests/adapters/edfi_elements.h"
#include "tests/adapters/adapter_test_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
using namespace canonical;
using testing::TempDir;

using edfi_json::EncodedElements;
using edfi_json::EncodeElements;

// Both paths on `records`; returns how many elements went as text.
size_t ExpectSameOutput(const std::vector<Record>& records) {
  TempDir tmp;
  EncodedElements checked = EncodeElements(records, false, tmp.path() / "checked");
  EncodedElements direct = EncodeElements(records, true, tmp.path() / "direct");
  EXPECT_TRUE(checked.status.ok()) << checked.status.ToString();
  EXPECT_TRUE(direct.status.ok()) << direct.status.ToString();
  EXPECT_EQ(checked.as_text, 0u);
  EXPECT_EQ(direct.warnings, checked.warnings);
  EXPECT_EQ(direct.elements.size(), checked.elements.size());
  for (const auto& [resource, want] : checked.elements) {
    auto it = direct.elements.find(resource);
    if (it == direct.elements.end()) {
      ADD_FAILURE() << "no " << resource << " written as text";
      continue;
    }
    const std::vector<std::string>& got = it->second;
    EXPECT_EQ(got.size(), want.size()) << resource;
    for (size_t i = 0; i < std::min(got.size(), want.size()); ++i)
      EXPECT_EQ(got[i], want[i]) << resource << " element " << i;
  }
  return direct.as_text;
}

TEST(EdFiDirect, DistrictElementsAreTheCheckedPathsBytes) {
  TempDir tmp;
  fs::path bundle = tmp.path() / "district";
  ASSERT_TRUE(demo_data::WriteDistrictBundle({.students = 200, .seed = 5, .messy = true}, bundle)
                  .ok());
  Decoded district = Decode(**FindAdapter("oneroster-csv"), bundle);
  ASSERT_TRUE(district.status.ok()) << district.status.ToString();
  size_t enrollments = 0;  // the enrollments written: the students'
  for (const Enrollment* e : district.All<Enrollment>()) enrollments += e->role == Role::kStudent;
  EXPECT_GT(enrollments, 1000u);
  // Those, and most students and their associations.
  EXPECT_GT(ExpectSameOutput(district.records), enrollments + 200);
}

// Picks one of a list of options: the first half of the time (values the
// direct path writes), else any.
auto Picker(std::mt19937& rng) {
  return [&rng](const auto& options) {
    return options[rng() % 2 == 0 ? 0 : rng() % options.size()];
  };
}

// Both paths on `make`'s records for three seeds; each seed's elements take
// both paths (fewer than `elements` go as text).
void ExpectSameOutputForSeeds(std::vector<Record> (*make)(uint32_t seed, size_t n), size_t n,
                              size_t elements) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    size_t as_text = ExpectSameOutput(make(seed, n));
    EXPECT_GT(as_text, 300u);
    EXPECT_LT(as_text, elements);
  }
}

// Random enrollments over every value a property's exactness depends on:
// empty, malformed and date-time dates; unknown, empty and mismatched
// organizations and sections; school years that are not written as they
// are; grade levels; extensions for Ed-Fi members and others.
std::vector<Record> RandomEnrollments(uint32_t seed, size_t n) {
  std::mt19937 rng(seed);
  auto pick = Picker(rng);
  std::vector<Record> records;
  Organization district;
  district.id = "lea-1";
  district.kind = OrgKind::kDistrict;
  records.push_back(district);
  for (std::string id : {"1001", "sch-b", "-7"}) {
    Organization school;
    school.id = id;
    school.kind = OrgKind::kSchool;
    school.parent_id = "lea-1";
    records.push_back(school);
  }
  const std::vector<std::string> years = {"2025", "0025", "2024-2025", "", "12345"};
  for (size_t i = 0; i < years.size(); ++i) {
    AcademicSession s;
    s.id = "term-" + std::to_string(i);
    s.title = i == 3 ? "" : "Fall";
    s.type = SessionType::kSemester;
    s.school_year = years[i];
    s.org_id = i % 2 == 0 ? "1001" : "sch-b";
    records.push_back(s);
  }
  Course course;
  course.id = "crs-1";
  course.code = "ALG-1";
  course.org_id = "1001";
  records.push_back(course);
  for (size_t i = 0; i < 8; ++i) {
    Section s;
    s.id = "sec-" + std::to_string(i);
    s.code = i == 5 ? "" : "P" + std::to_string(i % 3);
    s.course_id = i == 6 ? "" : "crs-1";
    s.org_id = i % 3 == 0 ? "sch-b" : "1001";
    s.session_ids = {"term-" + std::to_string(i % years.size())};
    records.push_back(s);
  }
  const std::vector<std::string> dates = {"2024-08-19", "", "2024-08-19T00:00:00", "08/19/2024"};
  const std::vector<std::string> orgs = {"1001", "sch-b", "", "-7", "nowhere"};
  const std::vector<std::string> sections = {"sec-5", "sec-0", "sec-1", "sec-2",
                                             "sec-6", "sec-7", "",      "sec-none"};
  const std::vector<std::optional<bool>> flags = {std::nullopt, true, false};
  std::vector<GradeLevel> grades;  // every one, unspecified first
  for (int g = 0; g <= static_cast<int>(GradeLevel::kOther); ++g)
    grades.push_back(static_cast<GradeLevel>(g));
  const std::vector<Extensions> extensions = {{}, {{"edfi:repeatGradeIndicator", "true"}},
                                              {{"oneroster:metadata.x", "1"}}};
  for (size_t i = 0; i < n; ++i) {
    Enrollment e;
    e.id = rng() % 4 == 0 ? "" : "enr-" + std::to_string(i);
    e.role = Role::kStudent;
    e.person_id = rng() % 10 == 0 ? "" : "stu-" + std::to_string(rng() % 50);
    e.section_id = pick(sections);
    e.kind = e.section_id.empty() && rng() % 2 == 0 ? EnrollmentKind::kOrganization
             : rng() % 3 == 0                       ? EnrollmentKind::kUnspecified
                                                    : EnrollmentKind::kSection;
    e.org_id = pick(orgs);
    e.begin_date = pick(dates);
    e.end_date = pick(dates);
    e.primary = pick(flags);
    e.entry_grade_level = pick(grades);
    e.status = rng() % 5 == 0 ? "tobedeleted" : "";
    e.date_last_modified = rng() % 2 == 0 ? "2024-08-01T12:00:00Z" : "";
    e.extensions = pick(extensions);
    // Some ids are the natural id a reader gets back (then kept nowhere):
    // the school 1001's associations, and sec-5's (no code: its id is its
    // identifier).
    if (rng() % 3 == 0 && e.org_id == "1001") {
      if (e.section_id.empty()) e.id = e.person_id + "/1001/" + e.begin_date;
      else if (e.section_id == "sec-5")
        e.id = e.person_id + "/1001/2025/Fall/ALG-1/sec-5/" + e.begin_date;
    }
    records.push_back(e);
  }
  return records;
}

TEST(EdFiDirect, RandomEnrollmentsAreTheCheckedPathsBytes) {
  ExpectSameOutputForSeeds(RandomEnrollments, 3000, 3000);
}

// Random students (persons and demographics, joined by the encoder) over
// what their properties' exactness depends on: race flags wholly, partly
// or not known and a two-or-more flag that agrees with them or not; identifier
// systems Ed-Fi has a descriptor for or not; codes that are not a
// descriptor's; text to escape; students with and without a school.
std::vector<Record> RandomStudents(uint32_t seed, size_t n) {
  std::mt19937 rng(seed);
  auto pick = Picker(rng);
  std::vector<Record> records;
  for (std::string id : {"1001", "sch-b"}) {
    Organization school;
    school.id = id;
    school.kind = OrgKind::kSchool;
    records.push_back(school);
  }
  const std::vector<std::string> names = {"Ana", "", "O\"Brien", "Zo\u00eb\t\x01", "Lee"};
  const std::vector<std::string> schools = {"1001", "sch-b", "", "nowhere"};
  const std::vector<std::string> systems = {"state", "local", "", "district-sis", "a#b"};
  const std::vector<std::string> dates = {"2009-04-22", "", "2009-04-22T00:00:00", "4/22/2009"};
  const std::vector<std::optional<bool>> flags = {false, true, std::nullopt};
  const std::vector<Sex> sexes = {Sex::kFemale, Sex::kUnspecified, Sex::kMale, Sex::kNonBinary,
                                  Sex::kNotSelected};
  const std::vector<std::string> states = {"CA", "", "ZZ", "ca"};
  const std::vector<std::string> countries = {"US", "", "XX"};
  for (size_t i = 0; i < n; ++i) {
    Person p;
    p.id = "stu-" + std::to_string(i);
    p.role = rng() % 4 == 0 ? Role::kUnspecified : Role::kStudent;
    p.given_name = pick(names);
    p.middle_name = pick(names);
    p.family_name = pick(names);
    p.preferred_given_name = rng() % 3 == 0 ? pick(names) : "";
    p.preferred_family_name = rng() % 3 == 0 ? pick(names) : "";
    p.email = rng() % 2 == 0 ? "s" + std::to_string(i) + "@example.org" : "";
    p.phone = rng() % 3 == 0 ? "555-0100" : "";
    p.sms = rng() % 3 == 0 ? "555-0101" : "";
    p.username = rng() % 2 == 0 ? "user" + std::to_string(i) : "";
    for (size_t k = rng() % 3; k > 0; --k) p.identifiers.push_back({pick(systems), "id-" + std::to_string(k)});
    p.primary_org_id = pick(schools);
    p.date_last_modified = rng() % 2 == 0 ? "2024-08-01T12:00:00Z" : "";
    if (rng() % 5 == 0) p.extensions = {{"edfi:studentIdentificationSystem", "x"}};
    records.push_back(p);
    if (rng() % 4 == 0) continue;  // no demographics
    Demographics d;
    d.id = p.id;
    d.birth_date = pick(dates);
    d.sex = pick(sexes);
    // Every race flag known, some, or none (a two-or-more flag alone).
    int known = static_cast<int>(rng() % 3);
    size_t listed = 0;
    for (auto* flag : {&d.american_indian_or_alaska_native, &d.asian, &d.black_or_african_american,
                       &d.native_hawaiian_or_other_pacific_islander, &d.white}) {
      *flag = known == 0 ? std::optional<bool>(rng() % 3 == 0)
              : known == 1 ? pick(flags)
                           : std::nullopt;
      listed += flag->value_or(false);
    }
    d.two_or_more_races = rng() % 3 == 0 ? pick(flags) : std::optional<bool>(listed >= 2);
    d.hispanic_or_latino_ethnicity = pick(flags);
    d.city_of_birth = pick(names);
    d.state_of_birth = pick(states);
    d.country_of_birth = pick(countries);
    records.push_back(d);
  }
  return records;
}

TEST(EdFiDirect, RandomStudentsAreTheCheckedPathsBytes) {
  // A student and its association are two elements.
  ExpectSameOutputForSeeds(RandomStudents, 2000, 2 * 2000);
}

// Finish() writes sections and students on two threads; the students'
// warnings come after the sections', counted once with their repeats,
// whatever the timing.
// An enrollment in an organization (section "") or a section, with no dates.
Enrollment Enrolled(std::string id, Role role, std::string person, std::string org,
                    std::string section) {
  Enrollment e;
  e.id = std::move(id);
  e.role = role;
  e.kind = section.empty() ? EnrollmentKind::kOrganization : EnrollmentKind::kSection;
  e.person_id = std::move(person);
  e.org_id = std::move(org);
  e.section_id = std::move(section);
  return e;
}

// Student stu-<n> with no names (Ed-Fi requires firstName and
// lastSurname) in section sec-1 with no begin date (Ed-Fi requires one).
void AddUnnamedStudentInSection(std::vector<Record>& records, const std::string& n) {
  Person p;
  p.id = "stu-" + n;
  p.role = Role::kStudent;
  records.push_back(p);
  records.push_back(Enrolled("enr-" + n, Role::kStudent, p.id, "", "sec-1"));
}

// School 1001 and its section sec-1.
std::vector<Record> SchoolWithASection() {
  Organization school;
  school.id = "1001";
  school.kind = OrgKind::kSchool;
  Section section;
  section.id = "sec-1";
  section.org_id = "1001";
  return {school, section};
}

TEST(EdFiDirect, WarningsOfBothThreadsComeInOrder) {
  std::vector<Record> records = SchoolWithASection();
  for (int i = 0; i < 3; ++i) AddUnnamedStudentInSection(records, std::to_string(i));
  TempDir tmp;
  for (int run = 0; run < 20; ++run) {
    EncodedElements out = EncodeElements(records, true, tmp.path() / std::to_string(run));
    ASSERT_TRUE(out.status.ok()) << out.status.ToString();
    auto at = [&](std::string_view text) {
      for (size_t i = 0; i < out.warnings.size(); ++i)
        if (out.warnings[i].find(text) != std::string::npos) return static_cast<int>(i);
      return -1;
    };
    int begin = at("requires 'beginDate'"), first = at("requires 'firstName'");
    ASSERT_GE(begin, 0) << ::testing::PrintToString(out.warnings);
    ASSERT_GE(first, 0) << ::testing::PrintToString(out.warnings);
    EXPECT_LT(begin, first);  // the sections' first
    EXPECT_GE(at("2 more like \"Ed-Fi requires 'firstName'"), 0)
        << ::testing::PrintToString(out.warnings);
    EXPECT_GE(at("2 more like \"Ed-Fi requires 'beginDate'"), 0)
        << ::testing::PrintToString(out.warnings);
  }
}

// Warnings about a resource's file repeat once an element: the encoder
// counts a repeat of one of its last few without building its key. Eight
// kinds interleaved (five while streaming, more than it keeps), on both of
// Finish()'s threads and before it, seven times each: each is said once
// and then counted six more times.
TEST(EdFiDirect, InterleavedWarningsAreCountedEachOnce) {
  std::vector<Record> records = SchoolWithASection();
  for (int i = 0; i < 7; ++i) {
    std::string n = std::to_string(i);
    Organization employer;  // no Ed-Fi resource
    employer.id = "emp-" + n;
    employer.kind = OrgKind::kEmployer;
    records.push_back(employer);
    Person teacher;  // not written
    teacher.id = "tch-" + n;
    teacher.role = Role::kTeacher;
    teacher.given_name = teacher.family_name = "T";
    records.push_back(teacher);
    // A staff association: not written.
    records.push_back(Enrolled("role-" + n, Role::kTeacher, teacher.id, "1001", ""));
    AddUnnamedStudentInSection(records, n);
    // No entry date or grade level, which Ed-Fi requires.
    records.push_back(Enrolled("ssa-" + n, Role::kStudent, "stu-" + n, "1001", ""));
  }
  TempDir tmp;
  EncodedElements out = EncodeElements(records, true, tmp.path() / "out");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  auto count = [&](std::string_view text) {
    return std::count_if(out.warnings.begin(), out.warnings.end(), [&](const std::string& w) {
      return w.find(text) != std::string::npos;
    });
  };
  for (std::string_view message :
       {"organization kind has no Ed-Fi resource", "only students are written",
        "only student enrollments are written", "Ed-Fi requires 'firstName'",
        "Ed-Fi requires 'lastSurname'", "Ed-Fi requires 'beginDate'",
        "Ed-Fi requires 'entryDate'", "Ed-Fi requires 'entryGradeLevelDescriptor'"}) {
    SCOPED_TRACE(message);
    EXPECT_EQ(count(message), 2) << ::testing::PrintToString(out.warnings);  // said, repeated
    EXPECT_EQ(count("6 more like \"" + std::string(message)), 1)
        << ::testing::PrintToString(out.warnings);
  }
}

}  // namespace
}  // namespace pathbridge::adapters
