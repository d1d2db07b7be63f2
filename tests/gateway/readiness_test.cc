// Readiness over a real Log in a temp data dir.
#include "gateway/readiness.h"

#include <gtest/gtest.h>


#include <thread>

#include "ledger/ledger_dir.h"
#include "tests/testing/test_util.h"

namespace pathbridge::gateway {
namespace {

using namespace std::chrono_literals;

std::string ProblemOf(const std::vector<Readiness::Check>& checks, std::string_view name) {
  for (const auto& c : checks)
    if (c.name == name) return c.problem;
  ADD_FAILURE() << "no check " << name;
  return "";
}

bool AllPass(const std::vector<Readiness::Check>& checks) {
  for (const auto& c : checks)
    if (!c.problem.empty()) return false;
  return true;
}

TEST(ReadinessTest, AFreshLedgerIsReadyUntilDraining) {
  testing::TempDir dir;
  auto log = ledger::OpenLedger(dir.path());
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  Readiness ready(**log, dir.path());
  auto checks = ready.Evaluate();
  EXPECT_TRUE(AllPass(checks)) << ProblemOf(checks, "checkpoint");
  EXPECT_EQ(checks.size(), 4u);
  ready.SetDraining();
  EXPECT_TRUE(ready.draining());
  EXPECT_EQ(ProblemOf(ready.Evaluate(), "shutdown"), "the server is shutting down");
}

TEST(ReadinessTest, AClosedLedgerIsNotReady) {
  testing::TempDir dir;
  auto log = ledger::OpenLedger(dir.path());
  ASSERT_TRUE(log.ok());
  Readiness ready(**log, dir.path());
  ASSERT_TRUE((*log)->Close().ok());
  EXPECT_EQ(ProblemOf(ready.Evaluate(), "ledger"), "the ledger is not taking appends");
}

TEST(ReadinessTest, AMissingDataDirIsNotWritable) {
  testing::TempDir dir;
  auto log = ledger::OpenLedger(dir.path());
  ASSERT_TRUE(log.ok());
  Readiness ready(**log, dir.path() / "gone");
  EXPECT_EQ(ProblemOf(ready.Evaluate(), "data_dir"), "the data directory is not writable");
}

// A checkpoint behind the log is fine for a moment; stuck at one size
// across checks longer than the allowed lag, it is not.
TEST(ReadinessTest, ACheckpointStuckBehindTheLogFailsAfterTheLag) {
  testing::TempDir dir;
  ledger::LogOptions options;
  options.checkpoint_interval = std::chrono::hours(1);  // no checkpoint after the append
  auto log = ledger::OpenLedger(dir.path(), {}, options);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Append(ledger::AsBytes(std::string_view("entry"))).ok());
  ASSERT_LT((*log)->LatestCheckpoint()->size, (*log)->Size());
  Readiness ready(**log, dir.path(), 50ms);
  EXPECT_EQ(ProblemOf(ready.Evaluate(), "checkpoint"), "");  // first seen behind
  std::this_thread::sleep_for(100ms);
  EXPECT_NE(ProblemOf(ready.Evaluate(), "checkpoint").find("has not caught up"), std::string::npos);
  ASSERT_TRUE((*log)->Close().ok());  // publishes a final checkpoint covering the entry
  EXPECT_EQ(ProblemOf(ready.Evaluate(), "checkpoint"), "");
}

}  // namespace
}  // namespace pathbridge::gateway
