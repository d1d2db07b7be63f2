// OutputFile: bytes written in pieces of any size come out whole and in
// order, through the growing buffer, the direct blocks, the writing thread
// and the buffered tail; on file systems without O_DIRECT too; and a file
// that cannot be made or written is an error naming it.
#include "adapters/output_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;

// `total` bytes of a pattern that repeats at no block size, in pieces
// from 1 byte to 300 KB.
std::string WriteInPieces(OutputFile& out, size_t total) {
  std::string all;
  all.reserve(total);
  for (size_t i = 0, piece = 1; all.size() < total; ++i, piece = (piece * 7 + 13) % 300'001) {
    std::string bytes(std::min(piece, total - all.size()), '\0');
    for (char& c : bytes) c = static_cast<char>('a' + (all.size() + (&c - bytes.data())) % 23);
    EXPECT_TRUE(out.Write(bytes).ok());
    all += bytes;
  }
  return all;
}

void ExpectWrittenWhole(const fs::path& path, size_t total) {
  OutputFile out;
  ASSERT_TRUE(out.Open(path).ok());
  std::string want = WriteInPieces(out, total);
  ASSERT_TRUE(out.Close().ok());
  EXPECT_FALSE(out.is_open());
  std::string got = ReadFile(path);
  ASSERT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
}

TEST(OutputFile, WritesEveryPieceInOrder) {
  TempDir dir;
  // Empty; under one block; exactly the first buffer; through every buffer
  // size and several blocks handed to the writing thread, with a tail.
  for (size_t total : {size_t{0}, size_t{5}, OutputFile::kMinBufferBytes,
                       5 * OutputFile::kMaxBufferBytes + 12'345})
    ExpectWrittenWhole(dir.path() / ("out-" + std::to_string(total)), total);
}

TEST(OutputFile, WritesOnTmpfs) {
  // tmpfs refuses O_DIRECT before Linux 6.6: there the open falls back and
  // the file is written through the page cache (on newer kernels this is
  // one more direct case).
  fs::path shm = "/dev/shm";
  if (!fs::is_directory(shm)) GTEST_SKIP() << "no /dev/shm";
  fs::path path = shm / ("pathbridge-output-file-" + std::to_string(::getpid()));
  ExpectWrittenWhole(path, 3 * OutputFile::kMaxBufferBytes + 7);
  fs::remove(path);
}

TEST(OutputFile, ReplacesWhatWasThere) {
  TempDir dir;
  fs::path path = dir.path() / "out";
  testing::WriteFile(path, std::string(100'000, 'x'));
  ExpectWrittenWhole(path, 10);
}

TEST(OutputFile, AFileThatCannotBeMadeIsAnError) {
  TempDir dir;
  fs::path path = dir.path() / "missing" / "out.json";
  OutputFile out;
  Status s = out.Open(path);
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_NE(s.ToString().find(path.string()), std::string::npos) << s.ToString();
  EXPECT_FALSE(out.is_open());
  EXPECT_FALSE(out.Write("x").ok());
}

TEST(OutputFile, AFullDeviceIsAnError) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  OutputFile out;
  ASSERT_TRUE(out.Open("/dev/full").ok());
  Status s = Status::Ok();
  std::string block(100'000, 'y');
  for (int i = 0; i < 40 && s.ok(); ++i) s = out.Write(block);  // past the writing thread's start
  if (s.ok()) s = out.Close();
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_NE(s.ToString().find("/dev/full"), std::string::npos) << s.ToString();
  EXPECT_FALSE(out.Close().ok());  // the error stays
}

}  // namespace
}  // namespace pathbridge::adapters
