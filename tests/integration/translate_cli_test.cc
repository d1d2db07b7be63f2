// `pathbridge translate` and `pathbridge formats` as a user runs them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

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
  std::vector<std::string> names;
  const boost::json::object* oneroster = nullptr;
  for (const auto& f : v->as_array()) {
    names.emplace_back(f.at("name").as_string());
    if (names.back() == "oneroster-csv") oneroster = &f.as_object();
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::count(names.begin(), names.end(), "edfi-json"), 1);
  ASSERT_NE(oneroster, nullptr);
  const auto& users = oneroster->at("writes").at("person").as_array();
  EXPECT_NE(std::find(users.begin(), users.end(), boost::json::value("person.givenName")),
            users.end());
  auto text = Pathbridge("formats");  // one line per format: name, tab, description
  for (const std::string& name : names)
    EXPECT_NE(("\n" + text.out).find("\n" + name + "\t"), std::string::npos) << text.out;
}

// An Ed-Fi transcript as Open Badges (`--option` settings, one file per
// credential), and one of them signed by `pathbridge credential issue`
// verifies: the adapter writes what the issuer signs.
TEST(TranslateCli, Ob3OutputIsSignedAndVerifies) {
  TempDir tmp;
  fs::path in = testing::SharedDir() / "standards/edfi/json/acan-transcript-composite-output.json";
  fs::path out = tmp.path() / "badges";
  std::string data = " --data " + (tmp.path() / "var").string();
  auto add = Pathbridge("org add" + data + " --name 'Lakeview Community College' cc 2>&1");
  ASSERT_EQ(add.exit_code, 0) << add.out;
  auto key = Pathbridge("org key" + data + " cc");
  ASSERT_EQ(key.exit_code, 0) << key.out;
  auto did = json::Parse(key.out);
  ASSERT_TRUE(did.ok()) << key.out;
  // The transcript's school has no DID: the hub organization signs for it.
  auto r = Pathbridge("translate --from edfi-json --to ob3 --option identity=hashed --option salt=x "
                      "--option issuer_did=" + std::string(did->at("did").as_string()) + " " +
                      in.string() + " " + out.string() + " 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(fs::exists(out / "16.json"));
  auto bad = Pathbridge("translate --from edfi-json --to ob3 --option layout " + in.string() + " " +
                        (tmp.path() / "x").string() + " 2>&1");
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_NE(bad.out.find("key=value"), std::string::npos) << bad.out;

  fs::path signed_file = tmp.path() / "signed.json";
  auto issue = Pathbridge("credential issue" + data + " --issuer cc " + (out / "1.json").string() +
                          " >" + signed_file.string());
  ASSERT_EQ(issue.exit_code, 0) << issue.out;
  auto doc = json::Parse(testing::ReadFile(signed_file));
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_TRUE(doc->as_object().contains("proof"));
  EXPECT_EQ(doc->at_pointer("/credentialSubject/achievement/achievementType"), "Course");
  auto verify = Pathbridge("credential verify" + data + " " + signed_file.string() + " 2>&1");
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_NE(verify.out.find("\"verified\":true"), std::string::npos) << verify.out;
}

}  // namespace
}  // namespace pathbridge
