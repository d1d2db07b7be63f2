#include "adapters/external_sort.h"


#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace pathbridge::adapters {
namespace {
namespace fs = std::filesystem;

class ExternalSortTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pathbridge-sort-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::vector<ExternalSorter::Entry> Drain(ExternalSorter& sorter) {
    std::vector<ExternalSorter::Entry> out;
    ExternalSorter::Entry e;
    while (true) {
      Result<bool> more = sorter.Next(&e);
      EXPECT_TRUE(more.ok()) << more.status().ToString();
      if (!more.ok() || !*more) return out;
      out.push_back(e);
    }
  }

  // Adds `n` entries with keys drawn from a few hundred (so many are equal)
  // and values numbering them in the order added; returns what a stable
  // sort by (key, tag) of the same entries gives.
  static std::vector<ExternalSorter::Entry> AddRandom(ExternalSorter& sorter, size_t n) {
    std::mt19937 rng(42);
    std::vector<ExternalSorter::Entry> added;
    for (size_t i = 0; i < n; ++i) {
      ExternalSorter::Entry e{"person-" + std::to_string(rng() % 300), static_cast<uint8_t>(rng() % 3),
                              std::string(rng() % 40, 'v') + std::to_string(i)};
      EXPECT_TRUE(sorter.Add(e.key, e.tag, e.value).ok());
      added.push_back(std::move(e));
    }
    std::stable_sort(added.begin(), added.end(), [](const auto& a, const auto& b) {
      return std::tie(a.key, a.tag) < std::tie(b.key, b.tag);
    });
    return added;
  }

  static void ExpectSame(const std::vector<ExternalSorter::Entry>& got,
                         const std::vector<ExternalSorter::Entry>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].key, want[i].key) << i;
      ASSERT_EQ(got[i].tag, want[i].tag) << i;
      ASSERT_EQ(got[i].value, want[i].value) << i;  // equal keys keep the order added
    }
  }

  size_t FilesInDir() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }

  fs::path dir_;
};

TEST_F(ExternalSortTest, SortsInMemoryWhenEverythingFits) {
  ExternalSorter sorter(dir_, 1 << 20);
  auto want = AddRandom(sorter, 2'000);
  ASSERT_TRUE(sorter.Finish().ok());
  EXPECT_EQ(sorter.runs(), 0u);
  EXPECT_EQ(FilesInDir(), 0u);
  ExpectSame(Drain(sorter), want);
}

TEST_F(ExternalSortTest, MergesRunsSpilledToDiskInOrderAndStably) {
  ExternalSorter sorter(dir_, 4 << 10);  // a run every ~70 entries
  auto want = AddRandom(sorter, 20'000);
  ASSERT_TRUE(sorter.Finish().ok());
  EXPECT_GT(sorter.runs(), 100u);
  EXPECT_EQ(sorter.size(), 20'000u);
  // More runs than the merge reads at once were first merged into fewer
  // (their read buffers would otherwise grow with the input), stably.
  EXPECT_LE(sorter.merged_runs(), sorter.fan_in());
  EXPECT_EQ(FilesInDir(), 1u);  // every run is a range of one file
  ExpectSame(Drain(sorter), want);
  // Read to the end, the file is gone before the sorter is.
  EXPECT_EQ(FilesInDir(), 0u);
  ExternalSorter::Entry e;
  EXPECT_FALSE(*sorter.Next(&e));
}

// Spilling on a thread of its own (two buffers of half the budget, one
// written while the other fills) sorts the same, as stably, through as
// many passes; an error making its run file still comes from Add().
TEST_F(ExternalSortTest, SpillsOnAThreadAsInline) {
  for (size_t budget : {size_t{512}, size_t{4} << 10, size_t{1} << 20}) {
    SCOPED_TRACE(budget);
    ExternalSorter sorter(dir_, budget, /*spill_on_thread=*/true);
    auto want = AddRandom(sorter, 12'000);
    ASSERT_TRUE(sorter.Finish().ok());
    if (budget < (1 << 20)) {
      EXPECT_GT(sorter.runs(), 2 * sorter.fan_in());  // merged in passes
    }
    ExpectSame(Drain(sorter), want);
  }
  ExternalSorter nowhere(dir_ / "missing", 16, /*spill_on_thread=*/true);
  Status s = nowhere.Add("key", 0, "a value past the budget");
  EXPECT_EQ(s.code(), Code::kIoError) << s.ToString();
}

// The budget's worth of read blocks are merged at once: a translation's
// runs (4 MiB each, 256 at a time) are not written twice below 1 GiB.
TEST_F(ExternalSortTest, MergesAsManyRunsAtOnceAsItsBudgetHasBlocks) {
  const size_t budget = 40 * ExternalSorter::kMergeBlockBytes;
  ExternalSorter sorter(dir_, budget);
  EXPECT_EQ(sorter.fan_in(), 40u);
  std::mt19937 rng(3);
  std::vector<ExternalSorter::Entry> want;
  const std::string value(200, 'v');
  for (size_t i = 0; sorter.runs() < 36; ++i) {  // more than the old 32 at a time
    ExternalSorter::Entry e{"k" + std::to_string(rng() % 100'000), 0, value + std::to_string(i)};
    ASSERT_TRUE(sorter.Add(e.key, e.tag, e.value).ok());
    want.push_back(std::move(e));
  }
  std::stable_sort(want.begin(), want.end(),
                   [](const auto& a, const auto& b) { return a.key < b.key; });
  ASSERT_TRUE(sorter.Finish().ok());
  EXPECT_EQ(sorter.merged_runs(), sorter.runs());  // no pass before the last
  EXPECT_EQ(FilesInDir(), 1u);
  ExpectSame(Drain(sorter), want);
  EXPECT_EQ(ExternalSorter(dir_, 16).fan_in(), ExternalSorter::kMinFanIn);
  EXPECT_EQ(ExternalSorter(dir_, size_t{1} << 40).fan_in(), ExternalSorter::kMaxFanIn);
}

// Runs give their disk space back as the merge reads them, not only when
// the sorter goes: a 1 GB translation's runs are more than a gigabyte.
TEST_F(ExternalSortTest, GivesBackWhatTheMergeHasRead) {
  {  // where the file system cannot punch holes, the runs go with the sorter
    int fd = ::open((dir_ / "probe").c_str(), O_RDWR | O_CREAT, 0600);
    ASSERT_GE(fd, 0);
    bool holes = ::ftruncate(fd, 1 << 16) == 0 &&
                 ::fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096) == 0;
    ::close(fd);
    fs::remove(dir_ / "probe");
    if (!holes) GTEST_SKIP() << "no hole punching in " << dir_;
  }
  ExternalSorter sorter(dir_, 4 << 20);
  const std::string value(1'000, 'v');
  size_t added = 0;
  for (; sorter.runs() < 10; ++added)
    ASSERT_TRUE(sorter.Add("k" + std::to_string(added % 50'000), 0, value).ok());
  ASSERT_TRUE(sorter.Finish().ok());
  ASSERT_EQ(FilesInDir(), 1u);
  const fs::path file = fs::directory_iterator(dir_)->path();
  auto allocated = [&] {
    struct stat st {};
    EXPECT_EQ(::stat(file.c_str(), &st), 0);
    return static_cast<uint64_t>(st.st_blocks) * 512;
  };
  const uint64_t before = allocated();
  EXPECT_GE(before, 36u << 20);  // ten runs of nearly 4 MiB
  ExternalSorter::Entry e;
  for (size_t i = 0; i < added * 3 / 4; ++i) ASSERT_TRUE(*sorter.Next(&e));
  EXPECT_LT(allocated(), before / 2);
  size_t rest = 0;
  while (*sorter.Next(&e)) ++rest;
  EXPECT_EQ(rest, added - added * 3 / 4);
}

// So many runs that merging 32 at a time takes more than one pass over them.
TEST_F(ExternalSortTest, MergesThousandsOfRunsInPassesStably) {
  ExternalSorter sorter(dir_, 512);  // a run every ~8 entries
  auto want = AddRandom(sorter, 12'000);
  ASSERT_TRUE(sorter.Finish().ok());
  EXPECT_GT(sorter.runs(), 1'000u);
  EXPECT_LE(sorter.merged_runs(), sorter.fan_in());
  EXPECT_EQ(FilesInDir(), 1u);
  ExpectSame(Drain(sorter), want);
}

// Runs are read back in blocks: entries larger than a block, and entries
// that straddle blocks, come back whole.
TEST_F(ExternalSortTest, ReadsBackEntriesLargerThanItsReadBlocks) {
  ExternalSorter sorter(dir_, 256 << 10);
  std::vector<ExternalSorter::Entry> want;
  for (size_t i = 0; i < 40; ++i) {
    size_t size = i % 4 == 0 ? 3 * ExternalSorter::kMergeBlockBytes + i : 1000 + 37 * i;
    ExternalSorter::Entry e{"k" + std::to_string(i % 7), 0, std::string(size, 'a' + i % 26)};
    ASSERT_TRUE(sorter.Add(e.key, e.tag, e.value).ok());
    want.push_back(std::move(e));
  }
  std::stable_sort(want.begin(), want.end(),
                   [](const auto& a, const auto& b) { return a.key < b.key; });
  ASSERT_TRUE(sorter.Finish().ok());
  EXPECT_GT(sorter.runs(), 2u);
  ExpectSame(Drain(sorter), want);
}

// A run file cut short (a full disk, another process) is an error that
// names it, not entries made up of what was left.
// Cut inside an entry, or between two (where the entries left would parse):
// the runs past the cut are missing, the one it falls in is short.
TEST_F(ExternalSortTest, ARunFileCutShortIsAnError) {
  for (bool between : {false, true}) {
    SCOPED_TRACE(between ? "between entries" : "inside an entry");
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ExternalSorter sorter(dir_, 1 << 20);
    const std::string value(100, 'v');  // 9 + 6 + 100 bytes an entry
    for (int i = 0; i < 30'000; ++i)
      ASSERT_TRUE(sorter.Add("k" + std::to_string(10'000 + i % 9'000), 0, value).ok());
    ASSERT_TRUE(sorter.Finish().ok());  // reads the first block of each run
    ASSERT_GT(sorter.runs(), 2u);
    ASSERT_EQ(FilesInDir(), 1u);
    for (const auto& f : fs::directory_iterator(dir_)) {
      uintmax_t entries = fs::file_size(f.path()) / 115;
      fs::resize_file(f.path(), (entries / 2) * 115 + (between ? 0 : 50));
    }
    ExternalSorter::Entry e;
    Status failed = Status::Ok();
    size_t read = 0;
    while (failed.ok()) {
      Result<bool> more = sorter.Next(&e);
      if (!more.ok()) failed = more.status();
      else if (!*more) break;
      else ++read;
    }
    EXPECT_LT(read, 30'000u);
    EXPECT_FALSE(failed.ok()) << "the merge ended quietly after " << read << " entries";
    EXPECT_NE(failed.ToString().find("temp file unreadable"), std::string::npos)
        << failed.ToString();
    EXPECT_NE(failed.ToString().find(dir_.string()), std::string::npos) << failed.ToString();
  }
}

TEST_F(ExternalSortTest, ForEachGroupEndsEachKeyAfterItsLastEntry) {
  ExternalSorter sorter(dir_, 256);  // groups span runs
  auto want = AddRandom(sorter, 3'000);
  ASSERT_TRUE(sorter.Finish().ok());
  std::vector<ExternalSorter::Entry> got;
  std::vector<std::string> ends;
  size_t in_group = 0;
  Status s = sorter.ForEachGroup(
      [&](ExternalSorter::Entry& e) {
        if (in_group++ > 0) {
          EXPECT_EQ(e.key, got.back().key);  // one key a group
        }
        got.push_back(e);
        return Status::Ok();
      },
      [&](const std::string& key) {
        EXPECT_EQ(key, got.back().key);
        ends.push_back(key);
        in_group = 0;
        return Status::Ok();
      });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ExpectSame(got, want);
  std::vector<std::string> keys;
  for (const auto& e : want)
    if (keys.empty() || keys.back() != e.key) keys.push_back(e.key);
  EXPECT_EQ(ends, keys);
}

TEST_F(ExternalSortTest, ForEachGroupStopsAtTheFirstError) {
  ExternalSorter sorter(dir_, 1 << 20);
  for (std::string_view k : {"a", "a", "b", "c"}) ASSERT_TRUE(sorter.Add(k, 0, "").ok());
  ASSERT_TRUE(sorter.Finish().ok());
  size_t entries = 0;
  Status s = sorter.ForEachGroup([&](ExternalSorter::Entry&) { ++entries; return Status::Ok(); },
                                 [&](const std::string& key) {
                                   return key == "b" ? InvalidArgument("stop", key) : Status::Ok();
                                 });
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(entries, 3u);  // "c" is never read
}

TEST_F(ExternalSortTest, KeepsBinaryKeysAndEmptyValuesAndRemovesItsRuns) {
  {
    ExternalSorter sorter(dir_, 16);  // every entry spills (24 bytes of bookkeeping each)
    std::string zero("a\0b", 3);
    ASSERT_TRUE(sorter.Add(zero, 1, "").ok());
    ASSERT_TRUE(sorter.Add("a", 0, std::string(100'000, '\n')).ok());
    ASSERT_TRUE(sorter.Add("", 2, "empty key").ok());
    ASSERT_TRUE(sorter.Finish().ok());
    EXPECT_EQ(sorter.runs(), 3u);
    EXPECT_EQ(FilesInDir(), 1u);
    auto got = Drain(sorter);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].value, "empty key");
    EXPECT_EQ(got[1].key, "a");
    EXPECT_EQ(got[1].value.size(), 100'000u);
    EXPECT_EQ(got[2].key, zero);
    EXPECT_EQ(got[2].value, "");
    EXPECT_FALSE(*sorter.Next(&got[0]));  // stays at the end
  }
  EXPECT_EQ(FilesInDir(), 0u);
}

// Keys compare as std::string does (unsigned bytes, a prefix first), eight
// bytes at a time: random binary keys of every length around a word, many
// sharing prefixes, in memory and through runs.
TEST_F(ExternalSortTest, OrdersBinaryKeysAsStringsDo) {
  for (size_t budget : {size_t{64} << 20, size_t{8} << 10}) {
    SCOPED_TRACE(budget);
    std::mt19937 rng(7);
    ExternalSorter sorter(dir_, budget);
    std::vector<ExternalSorter::Entry> want;
    const std::string stem = "\x01\x80\xff" "abc\x7f\x00" "defghij";
    for (size_t i = 0; i < 5'000; ++i) {
      std::string key = stem.substr(0, rng() % (stem.size() + 1));
      for (size_t n = rng() % 4; n > 0; --n) key += static_cast<char>(rng() % 256);
      ExternalSorter::Entry e{key, static_cast<uint8_t>(rng() % 2), std::to_string(i)};
      ASSERT_TRUE(sorter.Add(e.key, e.tag, e.value).ok());
      want.push_back(std::move(e));
    }
    std::stable_sort(want.begin(), want.end(), [](const auto& a, const auto& b) {
      return std::tie(a.key, a.tag) < std::tie(b.key, b.tag);
    });
    ASSERT_TRUE(sorter.Finish().ok());
    ExpectSame(Drain(sorter), want);
  }
}

TEST_F(ExternalSortTest, RefusesMisuseAndReportsAnUnwritableFolder) {
  ExternalSorter sorter(dir_, 1 << 20);
  ExternalSorter::Entry e;
  EXPECT_FALSE(sorter.Next(&e).ok());  // before Finish
  ASSERT_TRUE(sorter.Finish().ok());
  EXPECT_FALSE(*sorter.Next(&e));  // empty
  EXPECT_FALSE(sorter.Add("k", 0, "v").ok());  // after Finish

  ExternalSorter nowhere(dir_ / "missing", 16);
  Status s = nowhere.Add("key", 0, "a value past the budget");
  EXPECT_EQ(s.code(), Code::kIoError) << s.ToString();
  EXPECT_NE(s.ToString().find("missing"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace pathbridge::adapters
