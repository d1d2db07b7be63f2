// The oneroster-json adapter: the OneRoster CSV sample bundles in
// shared/standards/oneroster/csv translated to OneRoster 1.2 REST JSON and
// back, hand-written REST bodies (GUIDRefs, userIds, roles, metadata), and
// bad input (file:line:column plus a JSON pointer, no output left).
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "adapters/registry.h"
#include "adapters/translate.h"
#include "tests/adapters/adapter_test_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
using canonical::Record;
using testing::TempDir;
using testing::WriteFile;

fs::path CsvSamples() { return testing::SharedDir() / "standards/oneroster/csv"; }

const Adapter& Json() { return **FindAdapter("oneroster-json"); }
const Adapter& Csv() { return **FindAdapter("oneroster-csv"); }

Decoded DecodeText(const std::string& text) {
  return adapters::DecodeText(Json(), text, "body.json");
}

std::vector<fs::path> CsvBundles() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(CsvSamples()))
    if (e.is_directory() && fs::exists(e.path() / "manifest.csv")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(OneRosterJson, RegisteredWithCapabilities) {
  const Adapter& a = Json();
  EXPECT_EQ(a.name(), "oneroster-json");
  EXPECT_TRUE(a.writes().Carries("person.givenName"));
  EXPECT_TRUE(a.writes().Carries("person.role"));  // users[].roles
  EXPECT_TRUE(a.writes().Carries("person.orgIds"));
  EXPECT_TRUE(a.writes().Carries("section.sessionIds"));
  EXPECT_TRUE(a.writes().Carries("lineItem.resultValueMax"));
  EXPECT_TRUE(a.writes().Carries("enrollment.kind"));
  EXPECT_FALSE(a.writes().CarriesType("courseResult"));
  // Everything oneroster-csv writes, oneroster-json writes too.
  for (const auto& [type, paths] : Csv().writes().by_type())
    for (const std::string& p : paths) EXPECT_TRUE(a.writes().Carries(p)) << p;
}

// oneroster-csv -> oneroster-json -> oneroster-csv keeps every field both
// carry; the JSON decodes to the CSV records as JSON carries them, and
// decode -> encode -> decode of the JSON gives the same records; the loss
// report of csv -> json names exactly what JSON cannot carry.
TEST(OneRosterJson, CsvSampleBundlesRoundTrip) {
  auto bundles = CsvBundles();
  ASSERT_GE(bundles.size(), 5u);
  for (const fs::path& b : bundles) {
    TempDir tmp;
    auto to_json = Translate("oneroster-csv", "oneroster-json", {b}, tmp.path() / "json");
    ASSERT_TRUE(to_json.ok()) << b << ": " << to_json.status().ToString();
    auto to_csv = Translate("oneroster-json", "oneroster-csv", {tmp.path() / "json"},
                            tmp.path() / "csv");
    ASSERT_TRUE(to_csv.ok()) << b << ": " << to_csv.status().ToString();
    auto again = Translate("oneroster-json", "oneroster-json", {tmp.path() / "json"},
                           tmp.path() / "json2");
    ASSERT_TRUE(again.ok()) << b << ": " << again.status().ToString();

    Decoded csv = Decode(Csv(), {b}), json = Decode(Json(), {tmp.path() / "json"}),
            back = Decode(Csv(), {tmp.path() / "csv"}),
            json2 = Decode(Json(), {tmp.path() / "json2"});
    ASSERT_TRUE(json.status.ok()) << json.status.ToString();
    ASSERT_TRUE(back.status.ok() && json2.status.ok()) << b;
    ASSERT_EQ(csv.records.size(), json.records.size()) << b;
    ASSERT_EQ(csv.records.size(), back.records.size()) << b;
    std::set<std::string> lost;
    for (size_t i = 0; i < csv.records.size(); ++i) {
      Record as_json = Project(csv.records[i], Json().writes());
      EXPECT_EQ(as_json, json.records[i]) << b << " record " << i;
      EXPECT_EQ(json.records[i], json2.records[i]) << b << " record " << i;
      EXPECT_EQ(Project(as_json, Csv().writes()), back.records[i]) << b << " record " << i;
      EXPECT_FALSE(json.records[i].valueless_by_exception());
      for (const auto& p : canonical::PresentFieldPaths(csv.records[i]))
        if (!Json().writes().Carries(p)) lost.insert(p);
    }
    std::set<std::string> reported;
    for (const auto& [path, loss] : to_json->lost) reported.insert(path);
    EXPECT_EQ(reported, lost) << b;
  }
}

TEST(OneRosterJson, WritesOneFilePerCollectionWithGuidRefs) {
  TempDir tmp;
  fs::path in = CsvSamples() / "moodle-fixtures/oneroster_test_data";
  ASSERT_TRUE(Translate("oneroster-csv", "oneroster-json", {in}, tmp.path() / "out").ok());
  std::set<std::string> files;
  for (const auto& e : fs::directory_iterator(tmp.path() / "out"))
    files.insert(e.path().filename().string());
  EXPECT_EQ(files, (std::set<std::string>{"orgs.json", "academicSessions.json", "courses.json",
                                          "classes.json", "users.json", "demographics.json",
                                          "roles.json", "enrollments.json"}));
  auto enrollments = testing::ReadJson(tmp.path() / "out/enrollments.json");
  const auto& first = enrollments.at("enrollments").at(0);
  EXPECT_EQ(first.at("class").at("sourcedId"), "CLASS_001");
  EXPECT_EQ(first.at("class").at("type"), "class");
  EXPECT_EQ(first.at("class").at("href"), "/classes/CLASS_001");
  EXPECT_EQ(first.at("role"), "student");
  // Nothing but the output beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);
}

constexpr char kUsers[] = R"({"users": [
  {"sourcedId": "u1", "status": "active", "dateLastModified": "2024-05-01T10:00:00Z",
   "enabledUser": "true", "username": "ada", "givenName": "Ada", "familyName": "Lovelace",
   "userIds": [{"type": "LDAP", "identifier": "ada1"}, {"type": "SIS", "identifier": "77"}],
   "roles": [{"roleType": "primary", "role": "student",
              "org": {"href": "https://sis.example/ims/oneroster/rostering/v1p2/orgs/s1",
                      "sourcedId": "s1", "type": "org"}},
             {"roleType": "secondary", "role": "student",
              "org": {"href": "/orgs/s2", "sourcedId": "s2", "type": "org"}}],
   "agents": [{"href": "/users/p1", "sourcedId": "p1", "type": "user"}],
   "grades": ["09"],
   "metadata": {"boarding": "false", "edfi": {"resource": "students", "id": 7}},
   "password": "hunter2", "x-favourite": "tea"},
  {"sourcedId": "u2", "enabledUser": true, "givenName": "Bo", "grades": ["9"],
   "roles": [{"roleType": "primary", "role": "teacher", "org": {"sourcedId": "s1"},
              "beginDate": "2024-08-01"}]},
  {"sourcedId": "u3", "role": "teacher"},
  {"sourcedId": "u4", "role": "wizard"}
]})";

TEST(OneRosterJson, ReadsUsersWithRolesUserIdsGradesAndMetadata) {
  Decoded d = DecodeText(kUsers);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.records.size(), 4u);
  const auto& ada = std::get<canonical::Person>(d.records[0]);
  EXPECT_EQ(ada.id, "u1");
  EXPECT_EQ(ada.enabled, true);
  EXPECT_EQ(ada.role, canonical::Role::kStudent);
  EXPECT_EQ(ada.org_ids, (std::vector<std::string>{"s1", "s2"}));
  EXPECT_EQ(ada.primary_org_id, "s1");
  EXPECT_EQ(ada.agent_ids, std::vector<std::string>{"p1"});
  EXPECT_EQ(ada.identifiers, (std::vector<canonical::Identifier>{{"LDAP", "ada1"}, {"SIS", "77"}}));
  EXPECT_EQ(ada.grade_levels, std::vector<canonical::GradeLevel>{canonical::GradeLevel::kGrade9});
  EXPECT_EQ(ada.extensions.at("metadata.boarding"), "false");
  EXPECT_EQ(ada.extensions.at("metadata.edfi"), R"({"resource":"students","id":7})");
  EXPECT_EQ(ada.extensions.at("x-favourite"), "tea");
  EXPECT_FALSE(ada.extensions.count("roles"));  // the person's fields say it all
  EXPECT_FALSE(ada.extensions.count("password"));
  EXPECT_EQ(ada.source.ToString(), "body.json:2:3 /users/0");
  EXPECT_TRUE(d.Has("body.json:2:3 /users/0/password: warning: member 'password': passwords are "
                    "never carried"))
      << d.Diags();
  const auto& bo = std::get<canonical::Person>(d.records[1]);
  EXPECT_EQ(bo.enabled, true);
  EXPECT_EQ(bo.role, canonical::Role::kTeacher);
  // A role with dates is more than the person record holds: kept verbatim.
  EXPECT_NE(bo.extensions.at("roles").find("\"beginDate\":\"2024-08-01\""), std::string::npos);
  EXPECT_TRUE(d.Has("/users/1/grades: warning: member 'grades': grade level without a leading zero"))
      << d.Diags();
  EXPECT_EQ(std::get<canonical::Person>(d.records[2]).role, canonical::Role::kTeacher);
  // An unknown code: a warning at its JSON pointer, the value kept.
  EXPECT_TRUE(d.Has("body.json:18:3 /users/3/role: warning: member 'role': value is not a known "
                    "code; kept as an extension"))
      << d.Diags();
  EXPECT_EQ(std::get<canonical::Person>(d.records[3]).extensions.at("role"), "wizard");

  // JSON -> JSON keeps all of it, extensions as JSON again.
  TempDir tmp;
  fs::path in = tmp.path() / "users.json";
  WriteFile(in, kUsers);
  ASSERT_TRUE(Translate("oneroster-json", "oneroster-json", {in}, tmp.path() / "out").ok());
  Decoded again = Decode(Json(), {tmp.path() / "out"});
  ASSERT_TRUE(again.status.ok()) << again.status.ToString();
  EXPECT_EQ(again.records, d.records);
  auto users = testing::ReadJson(tmp.path() / "out/users.json").at("users");
  EXPECT_EQ(users.at(0).at("metadata").at("edfi").at("id"), 7);
  EXPECT_EQ(users.at(0).at("userIds").at(1).at("identifier"), "77");
  EXPECT_EQ(users.at(0).at("primaryOrg").at("sourcedId"), "s1");
  EXPECT_FALSE(users.at(0).as_object().contains("password"));
  EXPECT_EQ(users.at(1).at("roles").at(0).at("beginDate"), "2024-08-01");
}

TEST(OneRosterJson, SingleObjectsAndSeveralCollectionsInOneBody) {
  Decoded d = DecodeText(R"({"org": {"sourcedId": "s1", "name": "North", "type": "school",
    "parent": {"href": "/orgs/d1", "sourcedId": "d1", "type": "org"}},
    "pagination": {"next": [1, {"a": "]"}]},
    "classes": [], "lineItems": [{"sourcedId": "li1", "title": "Quiz",
      "class": {"sourcedId": "c1"}, "resultValueMax": 100.5, "gradingPeriod": "gp1"}],
    "demographics": {"sourcedId": "u1", "birthDate": "2010-04-17", "asian": "true",
      "white": false}})");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.records.size(), 3u);
  const auto& org = std::get<canonical::Organization>(d.records[0]);
  EXPECT_EQ(org.parent_id, "d1");
  EXPECT_EQ(org.kind, canonical::OrgKind::kSchool);
  EXPECT_EQ(org.source.pointer, "/org");
  const auto& li = std::get<canonical::LineItem>(d.records[1]);
  EXPECT_EQ(li.section_id, "c1");
  EXPECT_EQ(li.result_value_max, 100.5);
  EXPECT_EQ(li.grading_period_id, "gp1");
  EXPECT_EQ(li.source.pointer, "/lineItems/0");
  const auto& demo = std::get<canonical::Demographics>(d.records[2]);
  EXPECT_EQ(demo.asian, true);
  EXPECT_EQ(demo.white, false);
  EXPECT_TRUE(d.Has("/pagination: warning: member \"pagination\" is not a OneRoster collection"))
      << d.Diags();
  EXPECT_TRUE(d.Has("/lineItems/0/gradingPeriod: warning: member 'gradingPeriod': reference is not "
                    "a GUIDRef object"))
      << d.Diags();
}

// Elements come out one at a time: the first is decoded before the error
// further on is reached.
TEST(OneRosterJson, StreamsElementByElement) {
  std::istringstream in(R"({"orgs": [{"sourcedId": "a"}, {"sourcedId": "b"} {"sourcedId": "c"}]})");
  auto decoder = Json().OpenDecoder({"s.json", &in}, {});
  ASSERT_TRUE(decoder.ok());
  Record r;
  auto first = (*decoder)->Next(&r);
  ASSERT_TRUE(first.ok() && *first);
  EXPECT_EQ(canonical::Base(r).id, "a");
  auto second = (*decoder)->Next(&r);
  ASSERT_TRUE(second.ok() && *second);
  auto third = (*decoder)->Next(&r);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.status().where(), "s.json:1:50");
  EXPECT_EQ(third.status().message(), "expected ',' or ']' after an array element");
}

// A bad input gives file:line:column and a JSON pointer, and Translate
// leaves no output.
void ExpectError(const std::string& body, std::string_view where, std::string_view message,
                 const std::string& file = "users.json") {
  TempDir tmp;
  fs::path in = tmp.path() / "in";
  fs::create_directories(in);
  WriteFile(in / file, body);
  auto r = Translate("oneroster-json", "oneroster-csv", {in}, tmp.path() / "out");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().where().find(file + ":" + std::string(where)), std::string::npos)
      << r.status().ToString();
  EXPECT_NE(r.status().message().find(message), std::string::npos) << r.status().ToString();
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1)
      << "output left behind";
}

TEST(OneRosterJsonInput, SyntaxErrorInsideAnElement) {
  ExpectError("{\"users\": [\n  {\"sourcedId\": \"u0\"},\n  {\"sourcedId\": \"u1\"},\n"
              "  {\"sourcedId\": \"u2\"},\n  {\"sourcedId\": \"u3\", \"role\": tru}\n]}",
              "5:31 /users/3/role", "unexpected character 't'");
}

TEST(OneRosterJsonInput, MissingRequiredMemberWarns) {
  Decoded d = DecodeText(
      R"({"roles": [{"sourcedId": "r1", "role": "teacher", "org": {"sourcedId": "s"}}]})");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_TRUE(d.Has("body.json:1:12 /roles/0: warning: object: required member \"user\" is "
                    "missing or null"))
      << d.Diags();
}

TEST(OneRosterJsonInput, EmptySourcedId) {
  ExpectError(R"({"users": [{"sourcedId": ""}]})", "1:12 /users/0/sourcedId", "empty sourcedId");
}

TEST(OneRosterJsonInput, ElementNotAnObject) {
  ExpectError(R"({"users": [{"sourcedId": "a"}, 7]})", "1:32 /users/1", "must be an object");
}

TEST(OneRosterJsonInput, MetadataNotAnObject) {
  ExpectError(R"({"users": [{"sourcedId": "a", "metadata": "x"}]})", "1:12 /users/0/metadata",
              "metadata must be an object");
}

TEST(OneRosterJsonInput, NotAResponseBody) {
  ExpectError(R"([{"sourcedId": "a"}])", "1:1", "expected a JSON object");
  ExpectError(R"({"users": [{"sourcedId": "a"}]} x)", "1:33", "unexpected data after");
  ExpectError(R"({"users": [{"sourcedId": "a"})", "1:30", "unexpected end of input");
  ExpectError(R"({"users": [], "users": []})", "1:15", "duplicate member \"users\"");
  ExpectError(R"({"skipped": [1, {"a": 2]]})", "1:24", "']' does not match '{'");
}

TEST(OneRosterJsonInput, OverlongElement) {
  std::string huge(2u << 20, 'a');
  ExpectError(R"({"users": [{"sourcedId": "a"}, {"sourcedId": ")" + huge + "\"}]}", "1:32",
              "element longer than 1048576 bytes");
}

}  // namespace
}  // namespace pathbridge::adapters
