// `pathbridge demo-data` as a user runs it: a zip bundle that translates
// into another format, counts on standard output, bad arguments refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "standards/json.h"
#include "tests/testing/test_util.h"

namespace pathbridge {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

testing::CommandResult Pathbridge(const std::string& args) {
  return testing::RunCommand((testing::BinaryDir() / "gateway" / "pathbridge").string() + " " +
                             args);
}

TEST(DemoDataCli, WritesAZipThatTranslates) {
  TempDir tmp;
  auto r = Pathbridge("demo-data --students 150 --seed 9 --zip " + (tmp.path() / "d").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ASSERT_TRUE(fs::exists(tmp.path() / "d.zip"));
  auto counts = json::Parse(r.out);
  ASSERT_TRUE(counts.ok()) << r.out;
  EXPECT_EQ(counts->as_object().at("students"), 150);
  EXPECT_EQ(counts->as_object().at("output").as_string(), (tmp.path() / "d.zip").string());

  auto t = Pathbridge("translate --from oneroster-csv --to sif-xml " +
                      (tmp.path() / "d.zip").string() + " " + (tmp.path() / "sif").string() +
                      " --loss-report " + (tmp.path() / "loss.json").string() + " 2>/dev/null");
  ASSERT_EQ(t.exit_code, 0) << t.out;
  auto loss = testing::ReadJson(tmp.path() / "loss.json").as_object();
  EXPECT_EQ(loss.at("records").at_pointer("/demographics/read"), 150);
  EXPECT_EQ(loss.at("records").at_pointer("/organization/written"),
            loss.at("records").at_pointer("/organization/read"));
}

TEST(DemoDataCli, RefusesZeroStudents) {
  TempDir tmp;
  auto r = Pathbridge("demo-data --students 0 " + (tmp.path() / "d").string() + " 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_FALSE(fs::exists(tmp.path() / "d"));
}

}  // namespace
}  // namespace pathbridge
