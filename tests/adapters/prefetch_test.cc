// Prefetcher (adapters/prefetch.h): every item in order across many
// batches, made on another thread in items that are reused; the filling
// function's error or exception after the items made before it; nothing
// for an empty source; and a clean stop when the taker gives up early.
#include "adapters/prefetch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <new>
#include <string>
#include <thread>

namespace pathbridge::adapters {
namespace {

struct Item {
  uint64_t n = 0;
  std::string text;
};

TEST(Prefetcher, HandsOutEveryItemInOrderFromReusedItems) {
  const uint64_t kCount = 20 * Prefetcher<Item>::kBatchItems + 7;
  const std::thread::id taker = std::this_thread::get_id();
  std::atomic<bool> filled_elsewhere{true};
  uint64_t made = 0;
  size_t reused = 0;
  Prefetcher<Item> items([&](Item& item) -> pathbridge::Result<bool> {
    if (std::this_thread::get_id() == taker) filled_elsewhere = false;
    if (made == kCount) return false;
    if (!item.text.empty()) ++reused;  // holds an earlier item's text
    item.n = made++;
    item.text = "item " + std::to_string(item.n) + std::string(40, '.');
    return true;
  });
  uint64_t expect = 0;
  while (true) {
    auto item = items.Next();
    ASSERT_TRUE(item.ok()) << item.status().ToString();
    if (*item == nullptr) break;
    ASSERT_EQ((*item)->n, expect);
    ASSERT_EQ((*item)->text, "item " + std::to_string(expect) + std::string(40, '.'));
    ++expect;
  }
  EXPECT_EQ(expect, kCount);
  EXPECT_TRUE(filled_elsewhere);
  // Only the batches in flight are ever made: every later fill reuses one.
  EXPECT_GE(reused, kCount - Prefetcher<Item>::kBatches * Prefetcher<Item>::kBatchItems);
  auto after = items.Next();  // stays at the end
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, nullptr);
}

TEST(Prefetcher, EndsWithNothingForAnEmptySource) {
  Prefetcher<Item> items([](Item&) -> pathbridge::Result<bool> { return false; });
  auto item = items.Next();
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(*item, nullptr);
}

TEST(Prefetcher, GivesTheFillersErrorAfterTheItemsMadeBeforeIt) {
  for (uint64_t fail_at : {uint64_t{0}, uint64_t{1}, Prefetcher<Item>::kBatchItems,
                           uint64_t{3 * Prefetcher<Item>::kBatchItems + 5}}) {
    SCOPED_TRACE(fail_at);
    uint64_t made = 0;
    Prefetcher<Item> items([&](Item& item) -> pathbridge::Result<bool> {
      if (made == fail_at) return InvalidArgument("bad entry", "sort run 3");
      item.n = made++;
      return true;
    });
    uint64_t got = 0;
    while (true) {
      auto item = items.Next();
      if (!item.ok()) {
        EXPECT_EQ(item.status().message(), "bad entry");
        EXPECT_EQ(item.status().where(), "sort run 3");
        break;
      }
      ASSERT_NE(*item, nullptr) << "ended without the error";
      EXPECT_EQ((*item)->n, got++);
    }
    EXPECT_EQ(got, fail_at);
    auto after = items.Next();
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(*after, nullptr);
  }
}

TEST(Prefetcher, TurnsAnExceptionIntoAnError) {
  uint64_t made = 0;
  Prefetcher<Item> items([&](Item& item) -> pathbridge::Result<bool> {
    if (made == 10) throw std::bad_alloc();
    item.n = made++;
    return true;
  });
  uint64_t got = 0;
  pathbridge::Result<Item*> item = items.Next();
  for (; item.ok() && *item != nullptr; item = items.Next()) ++got;
  EXPECT_EQ(got, 10u);
  ASSERT_FALSE(item.ok());
  EXPECT_NE(item.status().message().find("prefetching failed"), std::string::npos);
}

TEST(Prefetcher, StopsWhenDestroyedBeforeTheEnd) {
  std::atomic<uint64_t> made{0};
  {
    Prefetcher<Item> items([&](Item& item) -> pathbridge::Result<bool> {
      item.n = made++;  // endless
      return true;
    });
    for (int i = 0; i < 3; ++i) {
      auto item = items.Next();
      ASSERT_TRUE(item.ok());
      ASSERT_NE(*item, nullptr);
    }
  }
  // It stopped at the batches it may hold.
  uint64_t stopped_at = made;
  EXPECT_LE(stopped_at, (Prefetcher<Item>::kBatches + 1) * Prefetcher<Item>::kBatchItems);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(made, stopped_at);
}

}  // namespace
}  // namespace pathbridge::adapters
