// `pathbridge translate` and `pathbridge formats` as a user runs them.
#include <gtest/gtest.h>

#include <filesystem>

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

fs::path Sample(const std::string& name) {
  return testing::SharedDir() / "standards/oneroster/csv" / name;
}

TEST(TranslateCli, OneRosterCsvToOneRosterCsvWithLossReport) {
  TempDir tmp;
  fs::path out = tmp.path() / "out.zip", report = tmp.path() / "loss.json";
  auto r = Pathbridge("translate --from oneroster-csv --to oneroster-csv " +
                      Sample("v1.1-community-examples").string() + " " + out.string() +
                      " --loss-report " + report.string() + " 2>" + (tmp.path() / "err").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "{\"lossless\":false,\"lost_fields\":2,\"warnings\":4}\n");
  auto loss = testing::ReadJson(report).as_object();
  EXPECT_EQ(loss.at("records").at_pointer("/person/written"), 2);
  EXPECT_EQ(loss.at("lost").at_pointer("/person.role/examples/0/id"), "user1");
  // Not a terminal: every stderr line is a JSON object.
  std::string err = testing::ReadFile(tmp.path() / "err");
  size_t lines = 0;
  for (size_t start = 0, end; (end = err.find('\n', start)) != std::string::npos; start = end + 1) {
    EXPECT_TRUE(json::Parse(err.substr(start, end - start)).ok()) << err;
    ++lines;
  }
  EXPECT_GE(lines, 5u);
  EXPECT_NE(err.find("\"type\":\"progress\""), std::string::npos);

  // The output is a bundle that translates again, now without loss.
  auto again = Pathbridge("translate --from oneroster-csv --to oneroster-csv " + out.string() +
                          " " + (tmp.path() / "again").string() + " 2>/dev/null");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("\"lossless\":true"), std::string::npos) << again.out;
}

TEST(TranslateCli, BadInputExitsThreeWithLocationAndLeavesNoOutput) {
  TempDir tmp;
  fs::path in = tmp.path() / "in";
  fs::create_directories(in);
  testing::WriteFile(in / "orgs.csv", "sourcedId,name\no1,\"unterminated\n");
  auto r = Pathbridge("translate --from oneroster-csv --to oneroster-csv " + in.string() + " " +
                      (tmp.path() / "out").string() + " 2>&1");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("orgs.csv:2:4: unclosed quoted field"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(tmp.path() / "out"));
  auto unknown = Pathbridge("translate --from nope --to oneroster-csv " + in.string() + " x 2>&1");
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_NE(unknown.out.find("unknown format \"nope\""), std::string::npos) << unknown.out;
}

TEST(TranslateCli, FormatsListsAdaptersAndFields) {
  auto r = Pathbridge("formats --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto v = json::Parse(r.out);
  ASSERT_TRUE(v.ok()) << r.out;
  const auto& first = v->as_array().at(0).as_object();
  EXPECT_EQ(first.at("name"), "oneroster-csv");
  const auto& users = first.at("writes").at("person").as_array();
  EXPECT_NE(std::find(users.begin(), users.end(), boost::json::value("person.givenName")),
            users.end());
  auto text = Pathbridge("formats");
  EXPECT_EQ(text.out.rfind("oneroster-csv\t", 0), 0u) << text.out;
}

}  // namespace
}  // namespace pathbridge
