#include "adapters/id_map.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace pathbridge::adapters {
namespace {

TEST(IdMapTest, KeepsItsOwnCopyOfEachIdAndValueInitializesNewOnes) {
  IdMap<std::pair<uint64_t, uint32_t>> map;
  {
    std::string id = "stu-0000001";
    map[id].first = 7;
    id[4] = 'X';  // the caller's string changes or goes; the map's id does not
  }
  ASSERT_NE(map.Find("stu-0000001"), nullptr);
  EXPECT_EQ(map.Find("stu-0000001")->first, 7u);
  EXPECT_EQ(map.Find("stu-X000001"), nullptr);
  EXPECT_EQ(map["new"], (std::pair<uint64_t, uint32_t>{0, 0}));
  map[""].second = 3;  // an empty id is an id like any other
  EXPECT_EQ(map.Find("")->second, 3u);
  EXPECT_EQ(map.size(), 3u);
}

TEST(IdMapTest, HoldsManyEntriesAcrossArenaBlocksAndRehashes) {
  IdMap<uint64_t> map;
  constexpr uint64_t kCount = 200'000;  // several 64 KiB arena blocks, many rehashes
  for (uint64_t i = 0; i < kCount; ++i) map["person-" + std::to_string(i)] = i * 3;
  for (uint64_t i = 0; i < kCount; i += 997) {
    const uint64_t* v = map.Find("person-" + std::to_string(i));
    ASSERT_NE(v, nullptr) << i;
    EXPECT_EQ(*v, i * 3);
  }
  std::map<std::string, uint64_t> seen;
  for (const auto& [id, v] : map) seen[std::string(id)] = v;
  ASSERT_EQ(seen.size(), kCount);
  EXPECT_EQ(seen.at("person-199999"), 199'999u * 3);
}

}  // namespace
}  // namespace pathbridge::adapters
