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
