// The oneroster-csv adapter against the OneRoster sample bundles in
// shared/standards/oneroster/csv, hand-written edge cases, and bad input.
#include <gtest/gtest.h>

#include <filesystem>

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

fs::path Samples() { return testing::SharedDir() / "standards/oneroster/csv"; }

const Adapter& OneRoster() { return **FindAdapter("oneroster-csv"); }

Decoded Decode(const fs::path& path) { return Decode(OneRoster(), Input{path}); }

std::vector<fs::path> SampleBundles() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(Samples())) {
    if (e.is_directory() && fs::exists(e.path() / "manifest.csv")) out.push_back(e.path());
    if (e.path().extension() == ".zip") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(OneRosterCsv, RegisteredWithCapabilities) {
  const Adapter& a = OneRoster();
  EXPECT_EQ(a.name(), "oneroster-csv");
  EXPECT_TRUE(a.writes().Carries("person.givenName"));
  EXPECT_TRUE(a.writes().Carries("demographics.birthDate"));
  EXPECT_TRUE(a.reads().Carries("person.role"));    // 1.1 users.csv
  EXPECT_FALSE(a.writes().Carries("person.role"));  // not in 1.2 users.csv
  EXPECT_FALSE(a.writes().CarriesType("courseResult"));
}

TEST(OneRosterCsv, EverySampleBundleDecodes) {
  auto bundles = SampleBundles();
  ASSERT_GE(bundles.size(), 9u);
  for (const fs::path& b : bundles) {
    Decoded d = Decode(b);
    ASSERT_TRUE(d.status.ok()) << b << ": " << d.status.ToString();
    EXPECT_FALSE(d.records.empty()) << b;
    for (const Record& r : d.records) {
      EXPECT_FALSE(canonical::Base(r).id.empty()) << b;
      EXPECT_GT(canonical::Base(r).source.line, 1u) << b;
    }
  }
}

TEST(OneRosterCsv, ReadsTestDataValues) {
  Decoded d = Decode(Samples() / "moodle-fixtures/oneroster_test_data");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  // orgs, academicSessions, courses, classes, users, demographics, roles, enrollments.
  ASSERT_EQ(d.records.size(), 8u);
  const auto& org = std::get<canonical::Organization>(d.records[0]);
  EXPECT_EQ(org.id, "ORG_1");
  EXPECT_EQ(org.name, "Gotham High School");
  EXPECT_EQ(org.kind, canonical::OrgKind::kSchool);
  const auto& session = std::get<canonical::AcademicSession>(d.records[1]);
  EXPECT_EQ(session.type, canonical::SessionType::kSemester);
  EXPECT_EQ(session.start_date, "2023-09-04");
  const auto& user = std::get<canonical::Person>(d.records[4]);
  EXPECT_EQ(user.given_name, "Bruce");
  EXPECT_EQ(user.enabled, true);
  EXPECT_EQ(user.source.ToString(), Samples().string() + "/moodle-fixtures/oneroster_test_data/users.csv:2:1");
  const auto& demo = std::get<canonical::Demographics>(d.records[5]);
  EXPECT_EQ(demo.id, "USER_0");
  EXPECT_EQ(demo.birth_date, "2010-04-17");
  const auto& role = std::get<canonical::Enrollment>(d.records[6]);
  EXPECT_EQ(role.kind, canonical::EnrollmentKind::kOrganization);
  EXPECT_EQ(role.primary, true);
  const auto& enr = std::get<canonical::Enrollment>(d.records[7]);
  EXPECT_EQ(enr.kind, canonical::EnrollmentKind::kSection);
  EXPECT_EQ(enr.section_id, "CLASS_001");
  EXPECT_EQ(enr.role, canonical::Role::kStudent);
  // Upper-case TRUE is understood, with a warning; passwords are dropped.
  EXPECT_TRUE(d.Has("boolean not in lower case")) << d.Diags();
  EXPECT_TRUE(d.Has("passwords are never carried")) << d.Diags();
  EXPECT_TRUE(d.Has("userProfiles.csv: warning: file is not translated")) << d.Diags();
}

TEST(OneRosterCsv, ToleratesMessyHeadersAndValues) {
  Decoded d = Decode(Samples() / "moodle-fixtures/v1p2_full_dataset");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_TRUE(d.Has("column 'prefferedGivenName': misspelled header; read as "
                               "'preferredGivenName'"))
      << d.Diags();
  EXPECT_TRUE(d.Has("non-ISO date read as month/day/year")) << d.Diags();
  const canonical::Person* john = nullptr;
  for (const Record& r : d.records)
    if (auto* p = std::get_if<canonical::Person>(&r); p && p->id == "usr-222-123456") john = p;
  ASSERT_NE(john, nullptr);
  EXPECT_EQ(john->preferred_middle_name, "Mick");
  EXPECT_EQ(john->date_last_modified, "2023-01-05");
  EXPECT_EQ(john->pronouns, "he/him/his");
  EXPECT_EQ(john->grade_levels, std::vector<canonical::GradeLevel>{canonical::GradeLevel::kGrade12});

  Decoded v11 = Decode(Samples() / "v1.1-community-examples");
  ASSERT_TRUE(v11.status.ok()) << v11.status.ToString();
  const auto& org = std::get<canonical::Organization>(v11.records[0]);
  EXPECT_EQ(org.date_last_modified, "2017-05-06T08:01:05Z");
  EXPECT_EQ(org.extensions.at("metadata.classification"), "Classification 1");
  EXPECT_TRUE(v11.Has("grade level without a leading zero")) << v11.Diags();
}

TEST(OneRosterCsv, FolderAndZipDecodeAlike) {
  for (std::string name : {"oneroster_test_data", "v1p2_full_dataset", "Test_full_data_set"}) {
    Decoded folder = Decode(Samples() / "moodle-fixtures" / name);
    Decoded zip = Decode(Samples() / "moodle-fixtures" / (name + ".zip"));
    ASSERT_TRUE(folder.status.ok() && zip.status.ok()) << name;
    EXPECT_EQ(folder.records, zip.records) << name;
  }
}

// decode -> encode -> decode keeps every field oneroster-csv writes, and the
// loss report names exactly the fields it does not.
TEST(OneRosterCsv, RoundTripKeepsWhatTheFormatCarries) {
  for (const fs::path& b : SampleBundles()) {
    for (std::string out_name : {"out", "out.zip"}) {
      TempDir tmp;
      fs::path out = tmp.path() / out_name;
      auto report = Translate("oneroster-csv", "oneroster-csv", {b}, out);
      ASSERT_TRUE(report.ok()) << b << ": " << report.status().ToString();
      Decoded first = Decode(b), second = Decode(out);
      ASSERT_TRUE(second.status.ok()) << second.status.ToString();
      // Only values the first read could not understand (kept verbatim) warn again.
      for (const auto& diag : second.diagnostics)
        EXPECT_NE(diag.message.find("kept as an extension"), std::string::npos) << diag.ToString();
      ASSERT_EQ(first.records.size(), second.records.size()) << b;
      std::set<std::string> lost;
      for (size_t i = 0; i < first.records.size(); ++i) {
        EXPECT_EQ(Project(first.records[i], OneRoster().writes()), second.records[i])
            << b << " record " << i;
        for (const auto& p : canonical::PresentFieldPaths(first.records[i]))
          if (!OneRoster().writes().Carries(p)) lost.insert(p);
      }
      std::set<std::string> reported;
      for (const auto& [path, loss] : report->lost) reported.insert(path);
      EXPECT_EQ(reported, lost) << b;
      // Nothing but the output is left beside it.
      EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);
    }
  }
}

TEST(OneRosterCsv, LossReportForOneRosterOneOne) {
  TempDir tmp;
  auto report = Translate("oneroster-csv", "oneroster-csv", {Samples() / "v1.1-community-examples"},
                          tmp.path() / "out");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_TRUE(report->lost.count("person.role"));
  const auto& loss = report->lost.at("person.role");
  EXPECT_EQ(loss.records, 2u);
  ASSERT_EQ(loss.examples.size(), 2u);
  EXPECT_EQ(loss.examples[0].record_id, "user1");
  EXPECT_EQ(loss.examples[0].where.line, 2u);
  EXPECT_EQ(report->records.at("person").read, 2u);
  auto json = report->ToJson();
  EXPECT_EQ(json.at("lossless"), false);
  EXPECT_EQ(json.at("lost").at("person.orgIds").at("records"), 2);
  // No values in the report, only ids and locations.
  EXPECT_EQ(boost::json::serialize(json).find("ionut"), std::string::npos);
}

class OneRosterCsvInput : public ::testing::Test {
 protected:
  fs::path Bundle(const std::string& users_csv) {
    return WriteOneRosterBundle(tmp_.path() / "in", "1.2", {{"users", users_csv}});
  }
  TempDir tmp_;
};

TEST_F(OneRosterCsvInput, BomCrlfQuotedNewlinesReorderedAndExtensionColumns) {
  fs::path in = Bundle(
      "\xEF\xBB\xBF" "givenName,SOURCEDID,ext_note,enabledUser,familyName\r\n"
      "\"Ada\",u1,\"two\r\nlines, and \"\"quotes\"\"\",true,Lovelace\r\n");
  Decoded d = Decode(in);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.records.size(), 1u);
  const auto& p = std::get<canonical::Person>(d.records[0]);
  EXPECT_EQ(p.id, "u1");
  EXPECT_EQ(p.given_name, "Ada");
  EXPECT_EQ(p.family_name, "Lovelace");
  EXPECT_EQ(p.extensions.at("ext_note"), "two\r\nlines, and \"quotes\"");
  EXPECT_TRUE(d.Has("letter case differs; read as 'sourcedId'")) << d.Diags();

  TempDir tmp;
  ASSERT_TRUE(Translate("oneroster-csv", "oneroster-csv", {in}, tmp.path() / "o").ok());
  std::string users = testing::ReadFile(tmp.path() / "o/users.csv");
  EXPECT_EQ(users.rfind("sourcedId,status,dateLastModified,enabledUser,username,userIds,"
                        "givenName,familyName,middleName,identifier,email,sms,phone,"
                        "agentSourcedIds,grades,password,userMasterIdentifier,"
                        "resourceSourcedIds,preferredGivenName,preferredMiddleName,"
                        "preferredFamilyName,primaryOrgSourcedId,pronouns,ext_note\r\n",
                        0),
            0u)
      << users;
  Decoded again = Decode(tmp.path() / "o");
  ASSERT_TRUE(again.status.ok());
  EXPECT_EQ(again.records, d.records);
  EXPECT_NE(testing::ReadFile(tmp.path() / "o/manifest.csv").find("file.users,bulk\r\n"),
            std::string::npos);
}

// from_chars reads "nan" and "inf"; a score must be a finite number, so
// they are kept as extensions with a warning, like any other non-number.
TEST(OneRosterCsv, NotANumberScoresAreKeptAsText) {
  TempDir tmp;
  fs::path dir = WriteOneRosterBundle(tmp.path() / "in", "1.2",
                                      {{"results", "sourcedId,lineItemSourcedId,studentSourcedId,score\n"
                                                   "r1,li1,s1,nan\nr2,li1,s2,-inf\nr3,li1,s3,87.5\n"}});
  Decoded d = Decode(dir);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.records.size(), 3u);
  const auto& nan = std::get<canonical::LineItemResult>(d.records[0]);
  EXPECT_FALSE(nan.score.has_value());
  EXPECT_EQ(nan.extensions.at("score"), "nan");
  EXPECT_FALSE(std::get<canonical::LineItemResult>(d.records[1]).score.has_value());
  EXPECT_EQ(std::get<canonical::LineItemResult>(d.records[2]).score, 87.5);
  EXPECT_TRUE(d.Has("column 'score': value is not a number; kept as an extension")) << d.Diags();
}

// DecodeOptions::counted_only: a results row gives its id and place and
// nothing else, so a value no target will get draws no warning; a row with
// no id is still an error.
TEST(OneRosterCsv, CountedOnlyRowsGiveTheirIdAndPlace) {
  TempDir tmp;
  fs::path dir = WriteOneRosterBundle(
      tmp.path() / "in", "1.2",
      {{"results", "score,sourcedId,lineItemSourcedId,studentSourcedId\n"
                   "nan,r1,li1,s1\n\"8\n7\",r2,li1,s2\n"}});
  std::vector<Diagnostic> diags;
  DecodeOptions options;
  options.on_diagnostic = [&](const Diagnostic& d) { diags.push_back(d); };
  options.counted_only = kRecordTypeBit<canonical::LineItemResult>;
  auto decoder = OneRoster().OpenDecoder(Input{dir}, options);
  ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
  std::vector<Record> records;
  ASSERT_TRUE(ForEachRecord(**decoder, [&](Record&& r) {
                records.push_back(std::move(r));
                return Status::Ok();
              }).ok());
  ASSERT_EQ(records.size(), 2u);
  canonical::LineItemResult want;
  want.id = "r2";
  EXPECT_EQ(std::get<canonical::LineItemResult>(records[1]), want);
  EXPECT_EQ(canonical::Base(records[1]).source.line, 3u);
  EXPECT_NE(canonical::Base(records[1]).source.file.find("results.csv"), std::string::npos);
  for (const Diagnostic& d : diags)
    EXPECT_EQ(d.message.find("score"), std::string::npos) << d.message;

  // Read in full, the same rows warn about their scores.
  Decoded full = Decode(dir);
  ASSERT_TRUE(full.status.ok());
  EXPECT_EQ(std::get<canonical::LineItemResult>(full.records[1]).extensions.at("score"), "8\n7");
  EXPECT_TRUE(full.Has("column 'score': value is not a number")) << full.Diags();

  fs::path empty_id = WriteOneRosterBundle(tmp.path() / "bad", "1.2",
                                           {{"results", "sourcedId,lineItemSourcedId,studentSourcedId\nr1,l,s\n,l,s\n"}});
  decoder = OneRoster().OpenDecoder(Input{empty_id}, options);
  ASSERT_TRUE(decoder.ok());
  Status s = ForEachRecord(**decoder, [](Record&&) { return Status::Ok(); });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.where().find("results.csv:3:1"), std::string::npos) << s.ToString();
}

// Translate reads the types its target does not carry only to count them:
// the loss report is the same, the warnings about their values are gone.
TEST(OneRosterCsv, TranslateCountsWhatItsTargetDoesNotCarry) {
  TempDir tmp;
  fs::path dir = WriteOneRosterBundle(
      tmp.path() / "in", "1.2",
      {{"results", "sourcedId,lineItemSourcedId,studentSourcedId,score\nr1,li1,s1,nan\n"
                   "r2,li1,s2,87\n"}});
  auto to_edfi = Translate("oneroster-csv", "edfi-json", {dir}, tmp.path() / "edfi");
  ASSERT_TRUE(to_edfi.ok()) << to_edfi.status().ToString();
  const std::string type(canonical::LineItemResult::kType);
  EXPECT_EQ(to_edfi->records.at(type).read, 2u);
  EXPECT_EQ(to_edfi->records.at(type).dropped, 2u);
  const auto& lost = to_edfi->lost.at(type);
  EXPECT_EQ(lost.records, 2u);
  ASSERT_EQ(lost.examples.size(), 2u);
  EXPECT_EQ(lost.examples[1].record_id, "r2");
  EXPECT_EQ(lost.examples[1].where.line, 3u);
  EXPECT_EQ(to_edfi->warnings, 0u);
  auto to_oneroster = Translate("oneroster-csv", "oneroster-csv", {dir}, tmp.path() / "or");
  ASSERT_TRUE(to_oneroster.ok());
  EXPECT_EQ(to_oneroster->warnings, 1u);  // the score that is not a number
}

// Dates in ISO form are taken as written (swapped in like text); others go
// through the tolerant reader: a US date is read with a warning, a date
// that is no date (a 13th month) is kept as an extension.
TEST(OneRosterCsv, DatesAreTakenAsWrittenOnlyInIsoForm) {
  TempDir tmp;
  fs::path dir = WriteOneRosterBundle(tmp.path() / "in", "1.2",
                                      {{"demographics", "sourcedId,birthDate\n"
                                                        "u1,2010-04-17\nu2,4/7/2010\nu3,2010-13-02\n"
                                                        "u4,2010-04-17\n"}});
  Decoded d = Decode(dir);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.records.size(), 4u);
  auto birth = [&](size_t i) { return std::get<canonical::Demographics>(d.records[i]).birth_date; };
  EXPECT_EQ(birth(0), "2010-04-17");
  EXPECT_EQ(birth(1), "2010-04-07");
  EXPECT_EQ(birth(2), "");
  EXPECT_EQ(std::get<canonical::Demographics>(d.records[2]).extensions.at("birthDate"), "2010-13-02");
  EXPECT_EQ(birth(3), "2010-04-17");  // after a row whose cell was not swapped in
  EXPECT_TRUE(d.Has("demographics.csv:3:4: warning: column 'birthDate': non-ISO date read as "
                    "month/day/year"))
      << d.Diags();
  EXPECT_TRUE(d.Has("column 'birthDate': value is not a date; kept as an extension")) << d.Diags();
}

// A bad input gives file:line:column, and Translate leaves no output.
void ExpectError(const fs::path& in, std::string_view where, std::string_view message) {
  TempDir tmp;
  fs::path out = tmp.path() / "out.zip";
  auto r = Translate("oneroster-csv", "oneroster-csv", {in}, out);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().where().find(where), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find(message), std::string::npos) << r.status().ToString();
  EXPECT_TRUE(fs::is_empty(tmp.path())) << "output left behind";
}

TEST_F(OneRosterCsvInput, UnclosedQuote) {
  ExpectError(Bundle("sourcedId,givenName\nu1,Ada\nu2,\"Bob\n"), "/users.csv:3:4",
              "unclosed quoted field");
}

TEST_F(OneRosterCsvInput, MissingRequiredColumn) {
  ExpectError(Bundle("givenName,familyName\nAda,Lovelace\n"), "users.csv:1:1",
              "missing required column 'sourcedId'");
}

TEST_F(OneRosterCsvInput, WrongDelimiter) {
  ExpectError(Bundle("sourcedId;givenName\nu1;Ada\n"), "users.csv:1:10",
              "';' (semicolon) used as the delimiter");
}

TEST_F(OneRosterCsvInput, TextAfterClosingQuote) {
  ExpectError(Bundle("sourcedId,givenName\n\"u1\"x,Ada\n"), "users.csv:2:5",
              "unexpected character after a closing quote");
}

TEST_F(OneRosterCsvInput, OverlongRecord) {
  std::string huge(2u << 20, 'a');
  ExpectError(Bundle("sourcedId,givenName\nu1," + huge + "\n"), "users.csv:2:",
              "record longer than 1048576 bytes");
}

TEST(OneRosterCsvZip, TruncatedZip) {
  TempDir tmp;
  std::string zip = testing::ReadFile(Samples() / "moodle-fixtures/oneroster_test_data.zip");
  fs::path cut = tmp.path() / "cut.zip";
  WriteFile(cut, zip.substr(0, zip.size() / 2));
  ExpectError(cut, "cut.zip", "not a readable zip");
}

}  // namespace
}  // namespace pathbridge::adapters
