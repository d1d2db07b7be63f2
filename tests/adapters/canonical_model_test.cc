// The canonical model's field paths and the code-set crosswalks, checked
// against the Ed-Fi -> OneRoster 1.2 descriptor mappings file.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "standards/canonical/model.h"
#include "standards/json.h"
#include "tests/testing/test_util.h"

namespace pathbridge::canonical {
namespace {

TEST(CanonicalModel, FieldPathsAreUniqueAndTyped) {
  const auto& paths = AllFieldPaths();
  std::set<std::string> unique(paths.begin(), paths.end());
  EXPECT_EQ(unique.size(), paths.size());
  for (std::string_view type : RecordTypes()) {
    EXPECT_TRUE(unique.count(std::string(type) + ".id")) << type;
    EXPECT_TRUE(unique.count(std::string(type) + ".extensions")) << type;
  }
  EXPECT_TRUE(unique.count("demographics.birthDate"));
  EXPECT_TRUE(unique.count("courseResult.creditsEarned"));
  EXPECT_TRUE(unique.count("achievementAward.hours"));
}

TEST(CanonicalModel, PresentAndClearFields) {
  Person p;
  p.id = "u1";
  p.given_name = "Ada";
  p.enabled = false;  // present although false
  p.grade_levels = {GradeLevel::kGrade9};
  Record r = p;
  std::vector<std::string> present = PresentFieldPaths(r);
  EXPECT_EQ(present, (std::vector<std::string>{"person.id", "person.givenName", "person.enabled",
                                               "person.gradeLevels"}));
  EXPECT_TRUE(ClearField(r, "person.givenName"));
  EXPECT_FALSE(ClearField(r, "person.birthDate"));
  EXPECT_EQ(std::get<Person>(r).given_name, "");
  EXPECT_EQ(RecordType(r), "person");
}

TEST(CanonicalModel, EqualityIgnoresSourceLocation) {
  Organization a, b;
  a.id = b.id = "o1";
  a.source = {"a.csv", 2, 1, ""};
  b.source = {"b.csv", 9, 1, ""};
  EXPECT_EQ(a, b);
  b.extensions["metadata.x"] = "1";
  EXPECT_NE(a, b);
  EXPECT_EQ(a.source.ToString(), "a.csv:2:1");
}

TEST(CodeSets, GradeLevelsRoundTrip) {
  for (int i = 1; i <= static_cast<int>(GradeLevel::kOther); ++i) {
    auto g = static_cast<GradeLevel>(i);
    EXPECT_EQ(GradeLevelFromCeds(GradeLevelToCeds(g)), g) << i;
    EXPECT_EQ(GradeLevelFromEdFi(GradeLevelToEdFi(g)), g) << i;
  }
  EXPECT_EQ(GradeLevelToEdFi(GradeLevel::kGrade9), "uri://ed-fi.org/GradeLevelDescriptor#Ninth grade");
  EXPECT_EQ(GradeLevelFromCeds("9"), GradeLevel::kUnspecified);
}

// Every code value of Ed-Fi DS 5.2's GradeLevelDescriptor.xml maps to a grade.
TEST(CodeSets, EveryEdFiGradeLevelCodeValueMaps) {
  std::string xml = testing::ReadFile(testing::SharedDir() /
                                      "standards/edfi/ds-5.2/descriptors/GradeLevelDescriptor.xml");
  size_t count = 0;
  for (size_t at = xml.find("<CodeValue>"); at != std::string::npos;
       at = xml.find("<CodeValue>", at + 1)) {
    size_t begin = at + 11, end = xml.find('<', begin);
    std::string code = xml.substr(begin, end - begin);
    EXPECT_NE(GradeLevelFromEdFi(code), GradeLevel::kUnspecified) << code;
    ++count;
  }
  EXPECT_GE(count, 20u);
}

// The DS 5.2 code values of a descriptor file.
std::vector<std::string> EdFiCodeValuesInXml(std::string_view descriptor) {
  std::string xml = testing::ReadFile(testing::SharedDir() / "standards/edfi/ds-5.2/descriptors" /
                                      (std::string(descriptor) + ".xml"));
  std::vector<std::string> out;
  for (size_t at = xml.find("<CodeValue>"); at != std::string::npos;
       at = xml.find("<CodeValue>", at + 1)) {
    size_t begin = at + 11, end = xml.find('<', begin);
    out.push_back(xml.substr(begin, end - begin));
  }
  return out;
}

// The embedded code lists are DS 5.2's, and a code in them gets the Ed-Fi
// namespace; any other code pathbridge's.
TEST(CodeSets, EmbeddedEdFiCodeListsMatchDs52) {
  for (std::string_view d : {"AcademicSubjectDescriptor", "CreditCategoryDescriptor",
                             "CourseIdentificationSystemDescriptor",
                             "EducationOrganizationIdentificationSystemDescriptor",
                             "StudentIdentificationSystemDescriptor"}) {
    std::vector<std::string> xml = EdFiCodeValuesInXml(d);
    std::vector<std::string> embedded(EdFiCodeValues(d).begin(), EdFiCodeValues(d).end());
    std::sort(xml.begin(), xml.end());
    std::sort(embedded.begin(), embedded.end());
    EXPECT_EQ(embedded, xml) << d;
    for (const std::string& code : xml)
      EXPECT_EQ(EdFiDescriptorUri(d, code), "uri://ed-fi.org/" + std::string(d) + "#" + code);
  }
  EXPECT_EQ(EdFiDescriptorUri("AcademicSubjectDescriptor", "Physics"),
            "uri://pathbridge/AcademicSubjectDescriptor#Physics");
  EXPECT_EQ(EdFiDescriptorUri("AcademicSubjectDescriptor", ""), "");
}

// Every DS 5.2 identification system reads as a system that writes back as
// the same descriptor value; canonical systems map to their Ed-Fi codes.
TEST(CodeSets, IdentifierSystemsRoundTripThroughEdFi) {
  for (std::string_view d :
       {"EducationOrganizationIdentificationSystemDescriptor", "StudentIdentificationSystemDescriptor"}) {
    for (const std::string& code : EdFiCodeValuesInXml(d)) {
      std::string uri = "uri://ed-fi.org/" + std::string(d) + "#" + code;
      EXPECT_EQ(IdentifierSystemToEdFi(d, IdentifierSystemFromEdFi(d, uri)), uri);
    }
  }
  constexpr std::string_view kEdOrg = "EducationOrganizationIdentificationSystemDescriptor";
  EXPECT_EQ(IdentifierSystemFromEdFi(kEdOrg, "uri://ed-fi.org/" + std::string(kEdOrg) + "#NCES"),
            kSystemNces);
  EXPECT_EQ(IdentifierSystemFromEdFi("StudentIdentificationSystemDescriptor", "Local"), kSystemLocal);
  EXPECT_EQ(IdentifierSystemToEdFi("StudentIdentificationSystemDescriptor", "LDAP"),
            "uri://pathbridge/StudentIdentificationSystemDescriptor#LDAP");
  EXPECT_EQ(IdentifierSystemFromEdFi("StudentIdentificationSystemDescriptor",
                                     "uri://pathbridge/StudentIdentificationSystemDescriptor#LDAP"),
            "LDAP");
}

// Every DS 5.2 term reads as a session type (Quarter, which the crosswalk
// predates, as a term), and each session type but grading periods writes a
// term that reads back as itself.
TEST(CodeSets, EdFiTerms) {
  for (const std::string& code : EdFiCodeValuesInXml("TermDescriptor"))
    EXPECT_NE(SessionTypeFromEdFiTerm(code), SessionType::kUnspecified) << code;
  for (SessionType t : {SessionType::kSchoolYear, SessionType::kSemester, SessionType::kTerm})
    EXPECT_EQ(SessionTypeFromEdFiTerm(SessionTypeToEdFiTerm(t)), t);
  EXPECT_EQ(SessionTypeToEdFiTerm(SessionType::kGradingPeriod), "");
}

// DS 5.2 races outside the model's flags map to none; DS 2.x names still read.
TEST(CodeSets, EdFiRaces) {
  for (const std::string& code : EdFiCodeValuesInXml("RaceDescriptor")) {
    bool flag = code != "Choose Not to Respond" && code != "Other" && code != "Hispanic or Latino" &&
                code != "Middle Eastern or North African";
    EXPECT_EQ(RaceFieldFromEdFi(code).empty(), !flag) << code;
  }
  EXPECT_EQ(RaceFieldFromEdFi("uri://ed-fi.org/RaceDescriptor#Black - African American"),
            "blackOrAfricanAmerican");
}

// Every mapping in the crosswalk file for a namespace we embed agrees with
// the embedded table.
TEST(CodeSets, AgreeWithEdFiOneRosterCrosswalk) {
  std::ifstream in(testing::SharedDir() /
                   "standards/crosswalks/edfi-to-oneroster12-descriptorMappings.jsonl");
  ASSERT_TRUE(in);
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.find('{') == std::string::npos) continue;
    auto v = json::Parse(line);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    const auto& o = v->as_object();
    std::string ns(o.at("namespace").as_string());
    std::string uri = ns + "#" + std::string(o.at("value").as_string());
    std::string mapped(o.at("mappedValue").as_string());
    if (ns.ends_with("/SexDescriptor")) {
      EXPECT_EQ(SexToOneRoster(SexFromEdFi(uri)), mapped) << uri;
      EXPECT_EQ(SexToEdFi(SexFromEdFi(uri)), uri);
    } else if (ns.ends_with("/TermDescriptor")) {
      EXPECT_EQ(SessionTypeToOneRoster(SessionTypeFromEdFiTerm(uri)), mapped) << uri;
    } else if (ns.ends_with("/RaceDescriptor")) {
      EXPECT_EQ(RaceFieldFromEdFi(uri), mapped) << uri;
      EXPECT_EQ(RaceFieldToEdFi(mapped), uri);
    } else if (ns.ends_with("/StaffClassificationDescriptor")) {
      auto role = RoleFromEdFiStaffClassification(uri);
      if (mapped == "?") {
        EXPECT_FALSE(role.has_value()) << uri;
      } else {
        ASSERT_TRUE(role.has_value()) << uri;
        EXPECT_EQ(RoleToOneRoster(*role), mapped) << uri;
      }
    } else {
      continue;
    }
    ++checked;
  }
  EXPECT_GE(checked, 60);
}

}  // namespace
}  // namespace pathbridge::canonical
