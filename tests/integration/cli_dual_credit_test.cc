// The dual-enrollment flow through the real CLI: a US community college's
// PESC transcript with dual-credit courses -> one signed OB 3.0 credential
// per completed course, each logged (its receipt verifies) -> the district's
// records in its own format, carrying the transcript's courses, credits and
// grades. A failed or repeated import issues and logs nothing.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>
#include <vector>

#include <boost/json.hpp>

#include "adapters/registry.h"
#include "ledger/ledger_dir.h"
#include "tests/adapters/adapter_test_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge {
namespace {

namespace fs = std::filesystem;
using testing::RunPathbridge;
using testing::TempDir;

fs::path Transcript() {
  return fs::path(__FILE__).parent_path().parent_path() / "adapters/testdata/pesc/dual_enrollment_college_transcript.xml";
}

std::vector<canonical::CourseResult> Results(std::string_view format, const fs::path& input) {
  adapters::Decoded d = adapters::Decode(**adapters::FindAdapter(format), input);
  EXPECT_TRUE(d.status.ok()) << d.status.ToString();
  return adapters::All<canonical::CourseResult>(d.records);
}

uint64_t LedgerSize(const fs::path& data) {
  auto log = ledger::OpenLedger(data);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  uint64_t size = (*log)->Size();
  EXPECT_TRUE((*log)->Close().ok());
  return size;
}

class DualCreditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = RunPathbridge("org add --data " + Data().string() +
                           " --name 'Riverbend Community College' rcc");
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  fs::path Data() const { return dir_.path() / "var"; }
  testing::CommandResult Import(const fs::path& transcript, const fs::path& out,
                                std::string_view to = "edfi-json") {
    return RunPathbridge("dual-credit import --data " + Data().string() + " --issuer rcc --to " +
                         std::string(to) + " " + transcript.string() + " " + out.string() + " 2>&1");
  }
  TempDir dir_;
};

TEST_F(DualCreditTest, TranscriptBecomesVerifiedCredentialsAndTheDistrictsRecords) {
  fs::path out = dir_.path() / "out";
  auto r = Import(Transcript(), out, "edfi-json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  boost::json::value summary = testing::ReadJson(out / "summary.json");
  std::vector<canonical::CourseResult> transcript = Results("pesc-college-xml", Transcript());
  size_t completed = 0;
  for (const auto& cr : transcript) completed += cr.credits_earned && *cr.credits_earned > 0;
  ASSERT_GT(completed, 0u);
  ASSERT_EQ(summary.at("credentials").as_array().size(), completed);

  for (size_t i = 1; i <= completed; ++i) {
    std::string n = std::to_string(i) + ".json";
    auto v = RunPathbridge("credential verify --data " + Data().string() + " --receipt " +
                           (out / "receipts" / n).string() + " " + (out / "credentials" / n).string());
    EXPECT_EQ(v.exit_code, 0) << v.out;
    boost::json::value c = testing::ReadJson(out / "credentials" / n);
    EXPECT_TRUE(c.at("id").as_string().starts_with("urn:uuid:"));
  }

  // The district's records (Ed-Fi courseTranscripts) carry the transcript's
  // courses, credits and grades.
  std::vector<canonical::CourseResult> district = Results("edfi-json", out / "district");
  auto key = [](const canonical::CourseResult& cr) {
    return std::make_tuple(cr.credits_earned, cr.credits_attempted, cr.letter_grade);
  };
  std::multiset<std::tuple<std::optional<double>, std::optional<double>, std::string>> want, got;
  for (const auto& cr : transcript) want.insert(key(cr));
  for (const auto& cr : district) got.insert(key(cr));
  EXPECT_EQ(got, want);
}

TEST_F(DualCreditTest, EdFiImportMarksDualCreditAtTheCollege) {
  fs::path out = dir_.path() / "out";
  auto r = Import(Transcript(), out, "edfi-json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // Courses the transcript does not mark otherwise are dual credit earned at
  // the college.
  size_t want = 0;
  for (const auto& cr : Results("pesc-college-xml", Transcript())) want += cr.dual_credit != false;
  std::vector<canonical::CourseResult> district = Results("edfi-json", out / "district");
  size_t dual = 0;
  for (const auto& cr : district) {
    if (cr.dual_credit != true) continue;
    ++dual;
    EXPECT_FALSE(cr.dual_credit_institution_id.empty()) << cr.id;
  }
  EXPECT_GT(want, 0u);
  EXPECT_EQ(dual, want);
}

// A OneRoster district has no transcript file: each completed course
// arrives as a final grade in its gradebook (a class for the course at the
// college, the student enrolled, a "Final grade" line item, the result with
// the letter grade and credits in its comment), and the loss report names
// the course-result fields OneRoster cannot carry.
TEST_F(DualCreditTest, OneRosterImportCarriesFinalGrades) {
  fs::path out = dir_.path() / "out";
  auto r = Import(Transcript(), out, "oneroster-csv");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::map<std::string, canonical::CourseResult> completed;
  for (const auto& cr : Results("pesc-college-xml", Transcript()))
    if (cr.credits_earned && *cr.credits_earned > 0) completed[cr.id] = cr;
  ASSERT_FALSE(completed.empty());

  adapters::Decoded d = adapters::Decode(**adapters::FindAdapter("oneroster-csv"), out / "district");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  std::map<std::string, canonical::LineItem> items;
  for (const auto& li : adapters::All<canonical::LineItem>(d.records)) items[li.id] = li;
  std::set<std::string> sections, enrolled;
  for (const auto& s : adapters::All<canonical::Section>(d.records)) sections.insert(s.id);
  for (const auto& e : adapters::All<canonical::Enrollment>(d.records))
    if (!e.section_id.empty()) enrolled.insert(e.person_id + " " + e.section_id);
  std::vector<canonical::LineItemResult> results = adapters::All<canonical::LineItemResult>(d.records);
  ASSERT_EQ(results.size(), completed.size());
  for (const auto& result : results) {
    ASSERT_TRUE(completed.count(result.id)) << result.id;
    const canonical::CourseResult& cr = completed[result.id];
    EXPECT_EQ(result.person_id, cr.person_id);
    EXPECT_EQ(result.score_status, "fully graded");
    EXPECT_NE(result.comment.find("grade " + cr.letter_grade), std::string::npos) << result.comment;
    EXPECT_NE(result.comment.find(std::to_string(static_cast<int>(*cr.credits_earned)) + " credits earned"),
              std::string::npos)
        << result.comment;
    ASSERT_TRUE(items.count(result.line_item_id)) << result.line_item_id;
    const canonical::LineItem& item = items[result.line_item_id];
    EXPECT_TRUE(sections.count(item.section_id)) << item.section_id;
    EXPECT_TRUE(enrolled.count(cr.person_id + " " + item.section_id)) << item.section_id;
  }
  boost::json::value loss = testing::ReadJson(out / "loss-report.json");
  EXPECT_TRUE(loss.at("lost").as_object().contains("courseResult"));
  EXPECT_EQ(loss.at("records").at("result").at("written").as_int64(),
            static_cast<int64_t>(completed.size()));
}

TEST_F(DualCreditTest, RepeatedImportIssuesNothingAndLeavesNoOutput) {
  ASSERT_EQ(Import(Transcript(), dir_.path() / "first").exit_code, 0);
  uint64_t size = LedgerSize(Data());
  auto again = Import(Transcript(), dir_.path() / "again");
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.out.find("already issued"), std::string::npos) << again.out;
  EXPECT_FALSE(fs::exists(dir_.path() / "again"));
  EXPECT_EQ(LedgerSize(Data()), size);
}

TEST_F(DualCreditTest, BadTranscriptIssuesNothing) {
  uint64_t size = LedgerSize(Data());
  fs::path bad = dir_.path() / "bad.xml";
  std::string text = testing::ReadFile(Transcript());
  testing::WriteFile(bad, text.substr(0, text.size() / 2));  // truncated: not well formed
  auto r = Import(bad, dir_.path() / "out");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("bad.xml:"), std::string::npos) << r.out;  // file:line:col
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
  EXPECT_EQ(LedgerSize(Data()), size);
}

}  // namespace
}  // namespace pathbridge
