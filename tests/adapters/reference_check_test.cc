// ReferenceCheck in memory and spooled to disk, and the oneroster-csv
// decoder's check of enrollments through it with a budget that forces the
// spool: the same error, at the same place, as in memory.
#include "adapters/reference_check.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>

#include "adapters/read_ahead.h"
#include "adapters/registry.h"
#include "tests/adapters/adapter_test_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;

std::string Describe(uint8_t kind, std::string_view id) {
  return "kind " + std::to_string(kind) + " has no '" + std::string(id) + "'";
}

canonical::SourceLocation At(uint64_t line) { return {"enrollments.csv", line, 1, ""}; }

// The temp folders a spooled check has made in `dir`.
size_t RefFolders(const fs::path& dir) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    n += e.path().filename().string().starts_with("pathbridge-refs-");
  return n;
}

TEST(ReferenceCheckTest, InMemoryAnUnknownIdFailsAtOnce) {
  ReferenceCheck check(1 << 20, Describe);
  ASSERT_TRUE(check.Define(0, "c1").ok());
  ASSERT_TRUE(check.Define(1, "o1").ok());
  EXPECT_TRUE(check.Refer(0, "c1", At(2)).ok());
  Status s = check.Refer(1, "c1", At(3));  // an id of another kind
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "kind 1 has no 'c1'");
  EXPECT_EQ(s.where(), "enrollments.csv:3:1");
  EXPECT_FALSE(check.spooled());
  EXPECT_TRUE(check.Finish().ok());
}

// Plan is a hint: after it, references known and unknown get the
// answers they get without it, in memory and once spooled.
TEST(ReferenceCheckTest, PlanChangesNoAnswer) {
  for (size_t budget : {size_t{1} << 24, size_t{4096}}) {
    ReferenceCheck check(budget, Describe);
    for (int i = 0; i < 10000; ++i) ASSERT_TRUE(check.Define(0, "c" + std::to_string(i)).ok());
    std::vector<std::string> ids = {"c1", "c9999", "c10000", "c42"};
    std::vector<ReferenceCheck::Reference> refs;
    for (const std::string& id : ids) refs.push_back({0, id});
    refs.push_back({7, "c1"});  // a kind with no ids
    check.Plan(refs);
    // The planned strings themselves (Plan knows them by address), one out
    // of the plan's order, then the unknown one.
    EXPECT_TRUE(check.Refer(0, ids[0], At(2)).ok());
    EXPECT_TRUE(check.Refer(0, "c42", At(3)).ok());
    EXPECT_TRUE(check.Refer(0, ids[1], At(3)).ok());
    Status s = check.Refer(0, ids[2], At(4));
    if (check.spooled()) {
      EXPECT_TRUE(s.ok());
      s = check.Finish();
    }
    ASSERT_FALSE(s.ok()) << budget;
    EXPECT_EQ(s.message(), "kind 0 has no 'c10000'");
    EXPECT_EQ(s.where(), "enrollments.csv:4:1");
  }
}

TEST(ReferenceCheckTest, SpooledTheFirstUnknownReferenceMadeFailsAtFinish) {
  testing::TempDir tmp;  // the system's temp folder, for this test alone
  ASSERT_EQ(::setenv("TMPDIR", tmp.path().c_str(), 1), 0);
  {
    ReferenceCheck check(256, Describe);  // spools after a few ids
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(check.Define(0, "c" + std::to_string(i)).ok());
    ASSERT_TRUE(check.spooled());
    EXPECT_EQ(RefFolders(tmp.path()), 1u);
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(check.Refer(0, "c" + std::to_string(i), At(i + 2)).ok());
    // Unknown: "zz" is made first, "aa" sorts first.
    ASSERT_TRUE(check.Refer(0, "zz", At(2000)).ok());
    ASSERT_TRUE(check.Refer(0, "aa", At(2001)).ok());
    ASSERT_TRUE(check.Refer(1, "c5", At(2002)).ok());
    Status s = check.Finish();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.message(), "kind 0 has no 'zz'");
    EXPECT_EQ(s.where(), "enrollments.csv:2000:1");
  }
  EXPECT_EQ(RefFolders(tmp.path()), 0u);  // removed with the check
  ::unsetenv("TMPDIR");
}

TEST(ReferenceCheckTest, SpooledEveryKnownReferencePasses) {
  ReferenceCheck check(64, Describe);
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(check.Define(i % 2, "id" + std::to_string(i)).ok());
  for (int i = 499; i >= 0; --i) ASSERT_TRUE(check.Refer(i % 2, "id" + std::to_string(i), At(i)).ok());
  EXPECT_TRUE(check.spooled());
  EXPECT_TRUE(check.Finish().ok());
}

TEST(ReferenceCheckTest, OneRosterDecoderSaysTheSameWhenSpooled) {
  testing::TempDir tmp;
  fs::path in = WriteOneRosterBundle(
      tmp.path() / "bundle", "1.1",
      {{"classes", "sourcedId,title\nc1,Algebra\nc2,Biology\n"},
       {"users", "sourcedId,givenName\nu1,Ada\n"},
       {"enrollments", "sourcedId,classSourcedId,userSourcedId,role\n"
                       "e1,c1,u1,student\ne2,c9,u1,student\ne3,c2,u1,student\ne4,c0,u1,student\n"}});
  const Adapter& oneroster = **FindAdapter("oneroster-csv");
  // Read ahead, the checks run on the caller's thread (Decoder::DeferChecks),
  // and the error still comes right after the records before it.
  for (bool read_ahead : {false, true})
    for (size_t budget : {size_t{8} << 20, size_t{1}}) {
      DecodeOptions options;
      options.sort_memory_bytes = budget;
      std::unique_ptr<ReadAheadDecoder> ahead;
      if (read_ahead) {
        ahead = std::make_unique<ReadAheadDecoder>(nullptr);
        options.on_diagnostic = ahead->Sink();
      }
      auto decoder = oneroster.OpenDecoder({in}, options);
      ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
      if (ahead) ahead->Start(std::move(*decoder));
      Decoder& d = ahead ? *ahead : **decoder;
      int records = 0;
      Status s = ForEachRecord(d, [&](canonical::Record&&) {
        ++records;
        return Status::Ok();
      });
      std::string where = "budget " + std::to_string(budget) + (read_ahead ? ", read ahead" : "");
      ASSERT_FALSE(s.ok()) << where;
      EXPECT_EQ(s.message(), "enrollment refers to 'c9', which is not in classes.csv") << where;
      EXPECT_EQ(s.where(), (in / "enrollments.csv").string() + ":3:1") << where;
      // c1, c2, u1, e1 (once spooled, the error comes at the end instead).
      EXPECT_EQ(records, budget == 1 ? 7 : 4) << where;
    }
}

}  // namespace
}  // namespace pathbridge::adapters
