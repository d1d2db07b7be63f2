// canonical::AppendRecordBytes / RecordFromBytes (standards/canonical/
// record_bytes.h): every record of a messy generated district and of the
// OneRoster and SIF samples comes back equal, source included; every
// truncation and a trailing byte are errors, not crashes.
#include "standards/canonical/record_bytes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "adapters/demo_data/generator.h"
#include "adapters/registry.h"
#include "tests/adapters/adapter_test_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::canonical {
namespace {

std::vector<Record> Records() {
  std::vector<Record> out;
  EXPECT_TRUE(adapters::demo_data::GenerateDistrict({200, 5, /*messy=*/true}, [&](const Record& r) {
                out.push_back(r);
                return Status::Ok();
              }).ok());
  const std::pair<const char*, const char*> samples[] = {
      {"oneroster-csv", "standards/oneroster/csv/v1.1-community-examples"},
      {"sif-xml", "standards/sif/na-4.2-spec-examples"}};
  for (const auto& [format, dir] : samples) {
    for (const auto& e : std::filesystem::directory_iterator(testing::SharedDir() / dir)) {
      auto d = adapters::Decode(**adapters::FindAdapter(format), e.path());
      out.insert(out.end(), d.records.begin(), d.records.end());
    }
  }
  return out;
}

TEST(RecordBytes, EveryRecordComesBackTheSame) {
  std::vector<Record> records = Records();
  ASSERT_GT(records.size(), 2000u);
  std::set<size_t> types;
  for (const Record& r : records) {
    std::string bytes;
    AppendRecordBytes(r, &bytes);
    auto back = RecordFromBytes(bytes);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    ASSERT_EQ(*back, r);
    EXPECT_EQ(Base(*back).source, Base(r).source);  // == leaves provenance out
    types.insert(r.index());
  }
  EXPECT_GE(types.size(), 8u);
}

// Source::kDropped (an encoder's spool): the same record, with no source.
TEST(RecordBytes, ADroppedSourceComesBackEmptyAndTheRestTheSame) {
  std::vector<Record> records = Records();
  for (const Record& r : records) {
    std::string kept, dropped;
    std::visit(
        [&](const auto& rec) {
          AppendRecordBytes(rec, &kept, Source::kKept);
          AppendRecordBytes(rec, &dropped, Source::kDropped);
        },
        r);
    auto back = RecordFromBytes(dropped);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    ASSERT_EQ(*back, r);
    EXPECT_EQ(Base(*back).source, SourceLocation{});
    if (!Base(r).source.file.empty()) {
      EXPECT_LT(dropped.size(), kept.size());
    }
  }
}

TEST(RecordBytes, KeepsEveryKindOfField) {
  CourseResult c;
  c.id = "r1";
  c.extensions = {{"a", "1"}, {"b", ""}};
  c.credits_earned = 0.5;
  c.dual_credit = false;
  c.source = {"f.csv", 3, 7, "/0"};
  Person p;
  p.id = "p1";
  p.grade_levels = {GradeLevel::kGrade9, GradeLevel::kGrade10};
  p.org_ids = {"o1", ""};
  p.role = Role::kStudent;
  Organization o;
  o.id = "o1";
  o.identifiers = {{"nces", "123"}, {"local", ""}};
  o.kind = OrgKind::kSchool;
  for (const Record& r : {Record(c), Record(p), Record(o)}) {
    std::string bytes;
    AppendRecordBytes(r, &bytes);
    auto back = RecordFromBytes(bytes);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, r);
  }
}

// Read back into one reused record per type, as encoders read their sorts:
// every field must be replaced, none left over from the record before.
TEST(RecordBytes, ReadingIntoAReusedRecordReplacesEveryField) {
  std::map<size_t, Record> reused;  // by record type
  for (const Record& r : Records()) {
    std::string bytes;
    AppendRecordBytes(r, &bytes);
    std::visit(
        [&](const auto& rec) {
          using T = std::decay_t<decltype(rec)>;
          Record& slot = reused.try_emplace(r.index(), T{}).first->second;
          T* into = std::get_if<T>(&slot);
          ASSERT_TRUE(RecordFromBytes(bytes, into).ok());
          EXPECT_EQ(*into, rec);
          EXPECT_EQ(into->source, rec.source);
        },
        r);
  }
  // Optional, list and extension values do not survive into a record without them.
  CourseResult full;
  full.id = "r1";
  full.credits_earned = 0.5;
  full.dual_credit = true;
  full.extensions = {{"a", "1"}};
  CourseResult bare;
  bare.id = "r2";
  CourseResult into;
  for (const CourseResult& c : {full, bare}) {
    std::string bytes;
    AppendRecordBytes(c, &bytes);
    ASSERT_TRUE(RecordFromBytes(bytes, &into).ok());
    EXPECT_EQ(into, c);
  }
  std::string person;
  AppendRecordBytes(Person{}, &person);
  Status wrong = RecordFromBytes(person, &into);
  EXPECT_FALSE(wrong.ok());
  EXPECT_NE(wrong.ToString().find("courseResult"), std::string::npos) << wrong.ToString();
}

TEST(RecordBytes, TruncatedOrPaddedBytesAreErrors) {
  Person p;
  p.id = "p1";
  p.given_name = "Ada";
  p.org_ids = {"o1", "o2"};
  std::string bytes;
  AppendRecordBytes(p, &bytes);
  for (size_t n = 0; n < bytes.size(); ++n)
    EXPECT_FALSE(RecordFromBytes(std::string_view(bytes).substr(0, n)).ok()) << n;
  EXPECT_FALSE(RecordFromBytes(bytes + "x").ok());
  EXPECT_FALSE(RecordFromBytes("\x7f").ok());  // no such record type
}

}  // namespace
}  // namespace pathbridge::canonical
