// The synthetic district generator: its bundles decode cleanly with the
// oneroster-csv decoder, hold what it says they hold, reference only records
// that exist, and are the same for the same seed.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "adapters/demo_data/generator.h"
#include "adapters/registry.h"
#include "tests/adapters/adapter_test_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters::demo_data {
namespace {

namespace fs = std::filesystem;
using namespace canonical;
using testing::ReadFile;
using testing::TempDir;

Decoded Decode(const fs::path& bundle) {
  Decoded d = Decode(**FindAdapter("oneroster-csv"), bundle);
  EXPECT_TRUE(d.status.ok()) << d.status.ToString();
  return d;
}

TEST(DemoData, DecodesWithoutWarningsAndCountsMatch) {
  TempDir dir;
  fs::path bundle = dir.path() / "district";
  auto counts = WriteDistrictBundle({.students = 700, .seed = 7}, bundle);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  Decoded d = Decode(bundle);
  for (const auto& diag : d.diagnostics) ADD_FAILURE() << diag.ToString();

  std::map<std::string_view, uint64_t> by_type;
  std::map<Role, uint64_t> roles;
  std::set<std::string> students_enrolled, people, sections, line_items;
  uint64_t class_enrollments = 0;
  for (const Record& r : d.records) {
    ++by_type[RecordType(r)];
    if (const auto* p = std::get_if<Person>(&r)) people.insert(p->id);
    if (const auto* s = std::get_if<Section>(&r)) sections.insert(s->id);
    if (const auto* l = std::get_if<LineItem>(&r)) line_items.insert(l->id);
    if (const auto* e = std::get_if<Enrollment>(&r)) {
      if (e->kind == EnrollmentKind::kOrganization) ++roles[e->role];
      if (e->kind != EnrollmentKind::kSection) continue;
      ++class_enrollments;
      if (e->role == Role::kStudent) students_enrolled.insert(e->person_id);
      EXPECT_TRUE(people.count(e->person_id)) << e->id;  // users are read before enrollments
      EXPECT_TRUE(sections.count(e->section_id)) << e->id;
    }
    if (const auto* res = std::get_if<LineItemResult>(&r)) {
      EXPECT_TRUE(people.count(res->person_id)) << res->id;
      EXPECT_TRUE(line_items.count(res->line_item_id)) << res->id;
    }
  }
  EXPECT_EQ(roles[Role::kStudent], 700u);
  EXPECT_EQ(by_type["demographics"], 700u);
  EXPECT_EQ(students_enrolled.size(), 700u);
  EXPECT_EQ(roles[Role::kTeacher], counts->teachers);
  EXPECT_EQ(roles[Role::kParent] + roles[Role::kGuardian], counts->guardians);
  EXPECT_EQ(by_type["person"], counts->students + counts->teachers + counts->guardians);
  EXPECT_EQ(class_enrollments, counts->enrollments);
  EXPECT_EQ(by_type["result"], counts->results);
  EXPECT_EQ(by_type["lineItem"], counts->line_items);
  EXPECT_EQ(by_type["section"], counts->classes);
  EXPECT_EQ(by_type["organization"], counts->orgs);
  EXPECT_EQ(d.records.size(), counts->records());
  // Every student takes at least the three elementary classes.
  EXPECT_GE(counts->enrollments - counts->classes, 3u * 700);
}

TEST(DemoData, SameSeedSameBytesOtherSeedOtherDistrict) {
  TempDir dir;
  for (const char* name : {"a", "b"})
    ASSERT_TRUE(WriteDistrictBundle({.students = 120, .seed = 3}, dir.path() / name).ok());
  ASSERT_TRUE(WriteDistrictBundle({.students = 120, .seed = 4}, dir.path() / "c").ok());
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.path() / "a")) {
    ++files;
    std::string name = e.path().filename().string();
    EXPECT_EQ(ReadFile(e.path()), ReadFile(dir.path() / "b" / name)) << name;
  }
  EXPECT_GE(files, 12u);  // manifest + 11 entity files
  EXPECT_NE(ReadFile(dir.path() / "a/users.csv"), ReadFile(dir.path() / "c/users.csv"));
}

TEST(DemoData, MessyBundleDecodesWithWarnings) {
  TempDir dir;
  ASSERT_TRUE(WriteDistrictBundle({.students = 400, .seed = 1, .messy = true},
                                  dir.path() / "district.zip")
                  .ok());
  Decoded d = Decode(dir.path() / "district.zip");
  bool vendor_column = false;
  for (const auto& diag : d.diagnostics)
    vendor_column = vendor_column || diag.message.find("legacyStudentNumber") != std::string::npos;
  EXPECT_TRUE(vendor_column);
  uint64_t withdrawn = 0;
  for (const Record& r : d.records)
    if (const auto* e = std::get_if<Enrollment>(&r)) withdrawn += e->status == "tobedeleted";
  EXPECT_GT(withdrawn, 0u);
}

TEST(DemoData, RefusesBadOptionsAndLeavesNothing) {
  TempDir dir;
  auto none = WriteDistrictBundle({.students = 0}, dir.path() / "x");
  EXPECT_EQ(none.status().code(), Code::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir.path() / "x"));
  fs::create_directories(dir.path() / "full");
  testing::WriteFile(dir.path() / "full/keep.txt", "x");
  auto busy = WriteDistrictBundle({.students = 10}, dir.path() / "full");
  EXPECT_FALSE(busy.ok());
  EXPECT_EQ(ReadFile(dir.path() / "full/keep.txt"), "x");
}

}  // namespace
}  // namespace pathbridge::adapters::demo_data
