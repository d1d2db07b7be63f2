// `pathbridge translate` and `pathbridge formats` as a user runs them.
#include <gtest/gtest.h>
#include <sys/resource.h>

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

// The command decodes on a second thread unless --one-thread: the same
// output, loss report and stderr lines either way.
TEST(TranslateCli, OneThreadGivesTheSameAsReadAhead) {
  TempDir tmp;
  fs::path in = Sample("v1.1-community-examples");
  std::string outputs[2], reports[2], errs[2];
  for (int one = 0; one < 2; ++one) {
    std::string name = one ? "one" : "ahead";
    fs::path out = tmp.path() / name, report = tmp.path() / (name + ".json");
    auto r = Pathbridge("translate --from oneroster-csv --to sif-xml " +
                        std::string(one ? "--one-thread " : "") + in.string() + " " +
                        out.string() + " --loss-report " + report.string() + " 2>" +
                        (tmp.path() / (name + ".err")).string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    for (const auto& e : fs::directory_iterator(out))
      outputs[one] += e.path().filename().string() + "\n" + testing::ReadFile(e.path());
    reports[one] = testing::ReadFile(report);
    errs[one] = testing::ReadFile(tmp.path() / (name + ".err"));
    size_t at;  // the output's name aside
    while ((at = errs[one].find(out.string())) != std::string::npos)
      errs[one].replace(at, out.string().size(), "OUT");
  }
  EXPECT_FALSE(outputs[0].empty());
  EXPECT_EQ(outputs[1], outputs[0]);
  EXPECT_EQ(reports[1], reports[0]);
  EXPECT_EQ(errs[1], errs[0]);
}

// Every stderr line of a run whose stderr is not a terminal, parsed.
std::vector<boost::json::object> JsonLines(const std::string& err) {
  std::vector<boost::json::object> out;
  for (size_t start = 0, end; (end = err.find('\n', start)) != std::string::npos; start = end + 1) {
    auto v = json::Parse(err.substr(start, end - start));
    EXPECT_TRUE(v.ok() && v->is_object()) << err;
    if (v.ok() && v->is_object()) out.push_back(v->as_object());
  }
  return out;
}

// Bad input, as a script meets it: a non-zero exit, the error as a JSON line
// whose "at" names the file and line:column (or JSON pointer / XPath), and
// nothing left where the output would have gone: no output, no temp files.
class TranslateBadInput : public ::testing::Test {
 protected:
  fs::path In(const std::string& name, const std::string& text) {
    fs::path p = tmp_.path() / "in" / name;
    fs::create_directories(p.parent_path());
    testing::WriteFile(p, text);
    return p;
  }
  // Runs the translation and returns its error line.
  boost::json::object Fail(const std::string& from, const std::string& to, const fs::path& in) {
    fs::path out = tmp_.path() / "out", err = tmp_.path() / "err";
    fs::create_directories(out);
    auto r = testing::RunCommand((testing::BinaryDir() / "gateway" / "pathbridge").string() +
                                 " translate --from " + from + " --to " + to + " " + in.string() +
                                 " " + (out / "result").string() + " 2>" + err.string());
    EXPECT_NE(r.exit_code, 0) << testing::ReadFile(err);
    EXPECT_TRUE(fs::is_empty(out)) << "output left behind: " << fs::directory_iterator(out)->path();
    auto lines = JsonLines(testing::ReadFile(err));
    if (lines.empty() || lines.back().at("type") != "error") {
      ADD_FAILURE() << "no error line: " << testing::ReadFile(err);
      return {};
    }
    return lines.back();
  }
  static std::string At(const boost::json::object& error) {
    return error.contains("at") ? std::string(error.at("at").as_string()) : "";
  }
  static std::string Message(const boost::json::object& error) {
    return error.contains("message") ? std::string(error.at("message").as_string()) : "";
  }
  TempDir tmp_;
};

TEST_F(TranslateBadInput, UnknownFormat) {
  fs::path users = In("users.csv", "sourcedId\nu1\n");
  auto e = Fail("nope", "oneroster-csv", users.parent_path());
  EXPECT_EQ(Message(e).rfind("unknown format \"nope\"", 0), 0u) << Message(e);
}

TEST_F(TranslateBadInput, TruncatedZip) {
  std::string zip = testing::ReadFile(Sample("moodle-fixtures/oneroster_test_data.zip"));
  fs::path cut = In("cut.zip", zip.substr(0, zip.size() / 2));
  auto e = Fail("oneroster-csv", "oneroster-json", cut);
  EXPECT_EQ(At(e).rfind(cut.string(), 0), 0u) << At(e);
  EXPECT_NE(Message(e).find("not a readable zip"), std::string::npos) << Message(e);
}

TEST_F(TranslateBadInput, SemicolonDelimitedCsv) {
  fs::path users = In("users.csv", "sourcedId;givenName\nu1;Ada\n");
  auto e = Fail("oneroster-csv", "sif-xml", users.parent_path());
  EXPECT_EQ(At(e), users.string() + ":1:10");
  EXPECT_NE(Message(e).find("';' (semicolon) used as the delimiter; OneRoster CSV requires ','"),
            std::string::npos)
      << Message(e);
}

TEST_F(TranslateBadInput, TabDelimitedCsv) {
  fs::path users = In("users.csv", "sourcedId\tgivenName\nu1\tAda\n");
  auto e = Fail("oneroster-csv", "oneroster-csv", users.parent_path());
  EXPECT_EQ(At(e), users.string() + ":1:10");
  EXPECT_NE(Message(e).find("a tab used as the delimiter"), std::string::npos) << Message(e);
}

TEST_F(TranslateBadInput, UnclosedQuote) {
  fs::path orgs = In("orgs.csv", "sourcedId,name\no1,\"unterminated\n");
  auto e = Fail("oneroster-csv", "oneroster-csv", orgs.parent_path());
  EXPECT_EQ(At(e), orgs.string() + ":2:4");
  EXPECT_EQ(Message(e), "unclosed quoted field");
}

TEST_F(TranslateBadInput, MissingRequiredColumn) {
  fs::path users = In("users.csv", "givenName,familyName\nAda,Lovelace\n");
  auto e = Fail("oneroster-csv", "edfi-json", users.parent_path());
  EXPECT_EQ(At(e), users.string() + ":1:1");
  EXPECT_EQ(Message(e), "missing required column 'sourcedId'");
}

TEST_F(TranslateBadInput, EnrollmentInAClassNotInTheBundle) {
  In("classes.csv", "sourcedId,title\nc1,Algebra\n");
  In("users.csv", "sourcedId,givenName\nu1,Ada\n");
  fs::path enrollments = In("enrollments.csv",
                            "sourcedId,classSourcedId,userSourcedId,role\n"
                            "e1,c1,u1,student\ne2,c9,u1,student\n");
  auto e = Fail("oneroster-csv", "oneroster-json", enrollments.parent_path());
  EXPECT_EQ(At(e), enrollments.string() + ":3:1");
  EXPECT_EQ(Message(e), "enrollment refers to 'c9', which is not in classes.csv");
}

TEST_F(TranslateBadInput, XmlNotWellFormed) {
  fs::path in = In("students.xml",
                   "<StudentPersonals>\n  <StudentPersonal RefId=\"1\">\n"
                   "    <Name><LastName>X</Name>\n  </StudentPersonal>\n</StudentPersonals>\n");
  auto e = Fail("sif-xml", "oneroster-csv", in);
  EXPECT_EQ(At(e), in.string() + ":3:24 /StudentPersonals/StudentPersonal[1]");
  EXPECT_NE(Message(e).find("not well-formed XML"), std::string::npos) << Message(e);
}

TEST_F(TranslateBadInput, XmlWithTheWrongRoot) {
  fs::path in = In("students.xml", "<?xml version=\"1.0\"?>\n<Students><Student/></Students>\n");
  auto e = Fail("sif-xml", "edfi-json", in);
  EXPECT_EQ(At(e), in.string() + ":2:1");
  EXPECT_NE(Message(e).find("is not a SIF NA object"), std::string::npos) << Message(e);
}

TEST_F(TranslateBadInput, JsonNotWellFormed) {
  fs::path in = In("users.json",
                   "{\"users\": [\n  {\"sourcedId\": \"u0\"},\n  {\"sourcedId\": \"u1\", "
                   "\"role\": tru}\n]}\n");
  auto e = Fail("oneroster-json", "oneroster-csv", in);
  EXPECT_EQ(At(e), in.string() + ":3:31 /users/1/role");
  EXPECT_NE(Message(e).find("unexpected character 't'"), std::string::npos) << Message(e);
  fs::path edfi = In("students.json", "[\n {\"studentUniqueId\": \"1\"},\n {\"studentUniqueId\": \"2\",\n"
                                      "  \"firstName\": tru}\n]");
  EXPECT_EQ(At(Fail("edfi-json", "oneroster-csv", edfi)), edfi.string() + ":4:16 /1/firstName");
}

// A 2 GiB file (sparse: no disk used) whose second line never ends: the
// reader stops at max_record_bytes (1 MiB) instead of reading, or holding,
// the whole line; the largest child process stays far below the file's size.
TEST_F(TranslateBadInput, TwoGibLineStopsAtTheRecordLimit) {
  fs::path users = In("users.csv", "sourcedId,givenName\nu1,");
  fs::resize_file(users, uint64_t{2} << 30);
  auto e = Fail("oneroster-csv", "oneroster-csv", users.parent_path());
  EXPECT_EQ(At(e).rfind(users.string() + ":2:", 0), 0u) << At(e);
  EXPECT_EQ(Message(e), "record longer than 1048576 bytes");
  EXPECT_EQ(e.at("code"), "resource exhausted");
  rusage usage{};
  ASSERT_EQ(getrusage(RUSAGE_CHILDREN, &usage), 0);
  EXPECT_LT(usage.ru_maxrss, 512 * 1024) << "KiB";  // ru_maxrss is in KiB
}

// Not a terminal: progress, diagnostics and the summary's counts are JSON
// lines; the last progress line counts every record read.
TEST(TranslateCli, ProgressIsJsonLinesWhenNotATerminal) {
  TempDir tmp;
  fs::path report = tmp.path() / "loss.json", err = tmp.path() / "err";
  auto r = Pathbridge("translate --from oneroster-csv --to edfi-json " +
                      Sample("moodle-fixtures/v1p2_full_dataset").string() + " " +
                      (tmp.path() / "out").string() + " --loss-report " + report.string() + " 2>" +
                      err.string());
  ASSERT_EQ(r.exit_code, 0) << testing::ReadFile(err);
  uint64_t read = 0;
  boost::json::value loss = testing::ReadJson(report);
  for (const auto& [type, counts] : loss.at("records").as_object())
    read += counts.at("read").to_number<uint64_t>();
  std::vector<boost::json::object> progress;
  for (const auto& line : JsonLines(testing::ReadFile(err))) {
    EXPECT_TRUE(line.at("type") == "progress" || line.at("type") == "diagnostic") << line;
    if (line.at("type") == "progress") progress.push_back(line);
  }
  ASSERT_FALSE(progress.empty());
  EXPECT_GT(read, 0u);
  EXPECT_EQ(progress.back().at("records").to_number<uint64_t>(), read);
}

// On a terminal (a pseudo-terminal from script(1)), progress is a counter
// rewritten in place on one line.
TEST(TranslateCli, ProgressIsACounterOnATerminal) {
  TempDir tmp;
  std::string command = (testing::BinaryDir() / "gateway" / "pathbridge").string() +
                        " translate --from oneroster-csv --to oneroster-json " +
                        Sample("v1.1-community-examples").string() + " " +
                        (tmp.path() / "out").string();
  auto r = testing::RunCommand("script -qec '" + command + " >/dev/null' /dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\rtranslated "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("{\"type\""), std::string::npos) << r.out;
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
