#include "adapters/compact_map.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace pathbridge::adapters {
namespace {

// Checked against std::unordered_map over ids of every length an export
// has, many sharing prefixes (as "cls-001-0001" ids do), through many
// rehashes, with lookups of absent keys that hash into occupied slots.
TEST(CompactMapTest, AgreesWithUnorderedMap) {
  std::mt19937 rng(7);
  std::unordered_map<std::string, int> want;
  CompactMap<int> got;
  for (int i = 0; i < 50000; ++i) {
    std::string key = "cls-" + std::to_string(rng() % 40000) + std::string(rng() % 30, 'x');
    auto [value, added] = got.Insert(key, i);
    auto [it, fresh] = want.try_emplace(key, i);
    ASSERT_EQ(added, fresh) << key;
    ASSERT_EQ(*value, it->second) << key;
  }
  EXPECT_EQ(got.size(), want.size());
  for (const auto& [key, value] : want) {
    const int* found = got.Find(key);
    ASSERT_NE(found, nullptr) << key;
    EXPECT_EQ(*found, value) << key;
    EXPECT_EQ(got.Find(key + "?"), nullptr) << key;
  }
  for (size_t i = 0; i < got.size(); ++i)  // in the order added
    EXPECT_EQ(want.at(std::string(got.KeyAt(i))), *got.Find(got.KeyAt(i)));
}

TEST(CompactMapTest, KeepsEmptyAndOutsizeKeysAndLetsValuesChange) {
  CompactMap<std::string> m;
  std::string big(200 * 1024, 'k');  // larger than an arena block
  EXPECT_TRUE(m.Insert("", "empty").second);
  EXPECT_TRUE(m.Insert(big, "big").second);
  EXPECT_FALSE(m.Insert("", "again").second);
  *m.Find(big) += "ger";
  ASSERT_NE(m.Find(""), nullptr);
  EXPECT_EQ(*m.Find(""), "empty");
  EXPECT_EQ(*m.Find(big), "bigger");
  EXPECT_EQ(m.Find(big.substr(1)), nullptr);
}

// The batch hints read slots and entries a lookup would (ASan sees any
// read past them) and change no answer: keys present, absent, colliding
// in their first slot, before and after the map grows.
TEST(CompactSetTest, PrefetchHintsChangeNoAnswer) {
  CompactSet s;
  for (uint32_t h : {CompactSet::Hash("a"), CompactSet::Hash("")}) {  // no slots yet
    s.PrefetchSlot(h);
    s.PrefetchEntry(h);
    s.PrefetchKey(h);
  }
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 5000; ++i) s.Insert("cls-" + std::to_string(i * 3 + round));
    for (int i = 0; i < 20000; ++i) {
      std::string key = "cls-" + std::to_string(i);
      uint32_t hash = CompactSet::Hash(key);
      s.PrefetchSlot(hash);
      s.PrefetchEntry(hash);
      s.PrefetchKey(hash);
      const bool want = i < 15000 && i % 3 <= round;
      EXPECT_EQ(s.Contains(key, hash), want) << key;
      EXPECT_EQ(s.Contains(key), want) << key;
    }
  }
  EXPECT_EQ(s.size(), 15000u);
}

TEST(CompactSetTest, InsertsOnce) {
  CompactSet s;
  EXPECT_TRUE(s.Insert("org-1"));
  EXPECT_FALSE(s.Insert("org-1"));
  EXPECT_TRUE(s.Contains("org-1"));
  EXPECT_FALSE(s.Contains("org-2"));
  EXPECT_EQ(s.size(), 1u);
}

}  // namespace
}  // namespace pathbridge::adapters
