// Folders to zips and back (adapters/zip_folder.h), with zips made by the
// `zip` tool as clients make them, and the limits that keep an upload from
// unpacking into a full disk.
#include "adapters/zip_folder.h"

#include <gtest/gtest.h>

#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

// Zips `files` (path -> content) with the zip tool, paths kept.
fs::path MakeZip(const TempDir& dir, const std::map<std::string, std::string>& files) {
  fs::path src = dir.path() / "src";
  for (const auto& [name, text] : files) {
    fs::create_directories((src / name).parent_path());
    WriteFile(src / name, text);
  }
  fs::path zip = dir.path() / "in.zip";
  auto r = testing::RunCommand("cd '" + src.string() + "' && zip -qr '" + zip.string() + "' .");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return zip;
}

TEST(ZipFolderTest, UnzipFlatKeepsFileNamesAndSkipsFoldersAndDebris) {
  TempDir dir;
  fs::path zip = MakeZip(dir, {{"export/students.json", "[1]"},
                               {"export/sub/schools.json", "[2]"},
                               {"__MACOSX/export/._students.json", "junk"}});
  EXPECT_TRUE(*LooksLikeZip(zip));
  EXPECT_FALSE(*LooksLikeZip(dir.path() / "src/export/students.json"));
  ASSERT_TRUE(UnzipFlat(zip, dir.path() / "out", "input.zip").ok());
  EXPECT_EQ(ReadFile(dir.path() / "out/students.json"), "[1]");
  EXPECT_EQ(ReadFile(dir.path() / "out/schools.json"), "[2]");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "out"), fs::directory_iterator()), 2);
}

TEST(ZipFolderTest, UnzipFlatRefusesDuplicatesLimitsAndBrokenZips) {
  TempDir dir;
  fs::path zip = MakeZip(dir, {{"a/x.json", std::string(1000, 'a')}, {"b/x.json", "b"}});
  Status dup = UnzipFlat(zip, dir.path() / "dup", "input.zip");
  EXPECT_EQ(dup.code(), Code::kInvalidArgument);
  EXPECT_EQ(dup.where().rfind("input.zip!", 0), 0u) << dup.where();

  TempDir other;
  fs::path two = MakeZip(other, {{"x.json", std::string(1000, 'a')}, {"y.json", "b"}});
  EXPECT_EQ(UnzipFlat(two, dir.path() / "files", "input.zip", {.max_files = 1}).code(),
            Code::kResourceExhausted);
  EXPECT_EQ(UnzipFlat(two, dir.path() / "bytes", "input.zip", {.max_bytes = 500}).code(),
            Code::kResourceExhausted);

  std::string bytes = ReadFile(two);
  WriteFile(dir.path() / "cut.zip", bytes.substr(0, bytes.size() / 2));
  Status cut = UnzipFlat(dir.path() / "cut.zip", dir.path() / "cut", "input.zip");
  EXPECT_EQ(cut.code(), Code::kInvalidArgument);
  EXPECT_EQ(cut.where(), "input.zip");
}

TEST(ZipFolderTest, ZipFolderRoundTripsWithPaths) {
  TempDir dir;
  fs::create_directories(dir.path() / "f/sub");
  WriteFile(dir.path() / "f/a.json", "A");
  WriteFile(dir.path() / "f/sub/b.json", "B");
  ASSERT_TRUE(ZipFolder(dir.path() / "f", dir.path() / "f.zip").ok());
  auto r = testing::RunCommand("cd '" + dir.path().string() +
                               "' && mkdir u && cd u && unzip -q ../f.zip");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(ReadFile(dir.path() / "u/a.json"), "A");
  EXPECT_EQ(ReadFile(dir.path() / "u/sub/b.json"), "B");
}

}  // namespace
}  // namespace pathbridge::adapters
