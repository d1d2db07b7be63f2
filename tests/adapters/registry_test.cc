// The registry: every adapter is found by name and claims only real model
// field paths, and writes nothing it cannot read back.
#include "adapters/registry.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace pathbridge::adapters {
namespace {

TEST(Registry, AdaptersAreFoundByNameAndSorted) {
  const auto& all = AllAdapters();
  ASSERT_FALSE(all.empty());
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](auto* a, auto* b) {
    return a->name() < b->name();
  }));
  for (const Adapter* a : all) {
    auto found = FindAdapter(a->name());
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, a);
  }
  auto missing = FindAdapter("no-such-format");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_NE(missing.status().message().find("oneroster-csv"), std::string::npos);
}

TEST(Registry, CapabilitiesAreModelFieldPaths) {
  const auto& model = canonical::AllFieldPaths();
  for (const Adapter* a : AllAdapters()) {
    for (const Capabilities* caps : {&a->reads(), &a->writes()})
      for (const auto& [type, paths] : caps->by_type())
        for (const std::string& p : paths)
          EXPECT_NE(std::find(model.begin(), model.end(), p), model.end()) << a->name() << " " << p;
    for (const auto& [type, paths] : a->writes().by_type())
      for (const std::string& p : paths) EXPECT_TRUE(a->reads().Carries(p)) << a->name() << " " << p;
  }
}

}  // namespace
}  // namespace pathbridge::adapters
