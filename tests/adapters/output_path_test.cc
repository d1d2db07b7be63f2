// OutputPath: what an encoder writes stays out of sight until Commit(),
// which moves it into place (over an empty folder, never over anything
// else); discarding, or dropping it uncommitted, leaves nothing behind, and
// Keep() leaves the work folder for whoever must not lose it.
#include "adapters/output_path.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

size_t Entries(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(OutputPath, FileCommitsIntoPlace) {
  TempDir dir;
  fs::path target = dir.path() / "out.xml";
  auto out = OutputPath::Open(target, OutputPath::Kind::kFile);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)->target(), target);
  EXPECT_EQ((*out)->work().parent_path(), dir.path());
  EXPECT_EQ((*out)->temp().parent_path(), (*out)->work());
  EXPECT_EQ((*out)->temp().extension(), ".xml");
  WriteFile((*out)->temp(), "<x/>");
  WriteFile((*out)->work() / "scratch", "s");
  EXPECT_FALSE(fs::exists(target));
  ASSERT_TRUE((*out)->Commit().ok());
  EXPECT_EQ(ReadFile(target), "<x/>");
  EXPECT_EQ(Entries(dir.path()), 1u);  // the work folder and its scratch file are gone
  out->reset();
  EXPECT_EQ(ReadFile(target), "<x/>");
}

TEST(OutputPath, FolderReplacesAnEmptyFolder) {
  TempDir dir;
  fs::path target = dir.path() / "bundle";
  fs::create_directory(target);
  auto out = OutputPath::Open(target, OutputPath::Kind::kFolder);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(fs::is_directory((*out)->temp()));
  WriteFile((*out)->temp() / "a.json", "[]");
  ASSERT_TRUE((*out)->Commit().ok());
  EXPECT_EQ(ReadFile(target / "a.json"), "[]");
  EXPECT_EQ(Entries(dir.path()), 1u);
}

TEST(OutputPath, RefusesAnExistingOutput) {
  TempDir dir;
  WriteFile(dir.path() / "out.json", "{}");
  auto file = OutputPath::Open(dir.path() / "out.json", OutputPath::Kind::kFile);
  EXPECT_EQ(file.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(file.status().where(), (dir.path() / "out.json").string());
  fs::create_directory(dir.path() / "full");
  WriteFile(dir.path() / "full" / "x", "x");
  auto folder = OutputPath::Open(dir.path() / "full", OutputPath::Kind::kFolder);
  EXPECT_EQ(folder.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(folder.status().message(), "output exists and is not an empty folder");
  EXPECT_EQ(Entries(dir.path()), 2u);  // no work folder left by either
}

TEST(OutputPath, OverwritableFileReplacesAFile) {
  TempDir dir;
  fs::path target = dir.path() / "out.zip";
  WriteFile(target, "old");
  auto out = OutputPath::Open(target, OutputPath::Kind::kOverwritableFile);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(ReadFile(target), "old");  // until Commit()
  WriteFile((*out)->temp(), "new");
  ASSERT_TRUE((*out)->Commit().ok());
  EXPECT_EQ(ReadFile(target), "new");
  fs::create_directory(dir.path() / "full");
  WriteFile(dir.path() / "full" / "x", "x");
  auto full = OutputPath::Open(dir.path() / "full", OutputPath::Kind::kOverwritableFile);
  EXPECT_EQ(full.status().code(), Code::kAlreadyExists);
}

TEST(OutputPath, DiscardedOrDroppedLeavesNothing) {
  TempDir dir;
  {
    auto out = OutputPath::Open(dir.path() / "a", OutputPath::Kind::kFolder);
    ASSERT_TRUE(out.ok());
    WriteFile((*out)->temp() / "x", "x");
    (*out)->Discard();
    EXPECT_TRUE(fs::is_empty(dir.path()));
  }
  {
    auto out = OutputPath::Open(dir.path() / "b.json", OutputPath::Kind::kFile);
    ASSERT_TRUE(out.ok());
    WriteFile((*out)->temp(), "x");
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(OutputPath, KeepLeavesTheWorkFolder) {
  TempDir dir;
  fs::path work;
  {
    auto out = OutputPath::Open(dir.path() / "out", OutputPath::Kind::kFolder);
    ASSERT_TRUE(out.ok());
    work = (*out)->work();
    WriteFile((*out)->temp() / "issued.json", "{}");
    (*out)->Keep();
  }
  EXPECT_EQ(ReadFile(work / "output" / "issued.json"), "{}");
  EXPECT_FALSE(fs::exists(dir.path() / "out"));
}

TEST(OutputPath, CommitFailureNamesTheTargetAndKeepsNothingAtIt) {
  TempDir dir;
  fs::path target = dir.path() / "out";
  auto out = OutputPath::Open(target, OutputPath::Kind::kFolder);
  ASSERT_TRUE(out.ok());
  fs::create_directory(target);  // appears after Open, and is not empty
  WriteFile(target / "late", "someone else's");
  Status s = (*out)->Commit();
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_EQ(s.where(), target.string());
  EXPECT_EQ(ReadFile(target / "late"), "someone else's");
  out->reset();
  EXPECT_EQ(Entries(dir.path()), 1u);  // the work folder went with it
}

}  // namespace
}  // namespace pathbridge::adapters
