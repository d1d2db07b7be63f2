// The process-wide context cache of the JSON-LD processor: the same results,
// byte for byte, with and without it across the W3C expand and toRdf
// manifests (cold and warm, negative tests included, so protected terms,
// @propagate, @import, scoped contexts and errors all go through it); hits
// for the credentials' remote, type- and property-scoped contexts; the work,
// depth and remote-context limits on a hit; its bound; concurrent use.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "standards/jsonld.h"
#include "standards/nquads.h"
#include "tests/standards/jsonld_test_util.h"

namespace pathbridge::jsonld {
namespace {

namespace json = boost::json;
using testing::kSuiteBase;
using testing::ProofConfig;
using testing::ReadJsonFile;
using testing::Standards;
using testing::SuiteLoader;
using testing::WithoutProof;

// A loader in the cache: its documents must outlive the process.
const SuiteLoader& CachingSuiteLoader() {
  static const SuiteLoader* const loader = new SuiteLoader("w3c-json-ld-api-tests");
  return *loader;
}

// One manifest entry's outcome, exactly: the expanded form, or the quads in
// order with their blank node labels, or the error with its location.
std::string Outcome(const json::object& test, bool to_rdf, const SuiteLoader& loader,
                    bool cache) {
  std::string input_url = std::string(kSuiteBase) + std::string(test.at("input").as_string());
  auto input = loader.Load(input_url);
  if (!input.ok()) return "cannot load input: " + input.status().ToString();
  json::value holder;
  Options opts = testing::TestOptions(test, input_url, loader, holder);
  opts.cache_contexts = cache;
  if (to_rdf) {
    auto quads = ToRdf(**input, loader, opts);
    return quads.ok() ? rdf::SerializeNQuads(*quads) : "error " + quads.status().ToString();
  }
  auto expanded = Expand(**input, loader, opts);
  return expanded.ok() ? json::serialize(*expanded) : "error " + expanded.status().ToString();
}

// Runs the manifest twice through the cache (the first round fills it, the
// second hits it) and compares every outcome with the uncached one.
void ExpectSameCachedAndUncached(const std::string& manifest, bool to_rdf, size_t tests) {
  const SuiteLoader& loader = CachingSuiteLoader();
  auto m = loader.Load(std::string(kSuiteBase) + manifest);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ClearContextCache();
  size_t compared = 0;
  ContextCacheStats before;
  for (int round = 1; round <= 2; ++round) {
    before = GetContextCacheStats();
    for (const auto& t : (*m)->at("sequence").as_array()) {
      const json::object& test = t.as_object();
      EXPECT_EQ(Outcome(test, to_rdf, loader, true), Outcome(test, to_rdf, loader, false))
          << manifest << test.at("@id").as_string() << ", round " << round;
      ++compared;
    }
  }
  EXPECT_GE(compared, 2 * tests);
  // In the second round only contexts that fail (never cached) miss.
  ContextCacheStats after = GetContextCacheStats();
  EXPECT_GT(after.hits - before.hits, 2 * (after.misses - before.misses));
}

TEST(JsonLdContextCache, ExpandManifestSameCachedAndUncached) {
  ExpectSameCachedAndUncached("expand-manifest.jsonld", false, 385);
}

TEST(JsonLdContextCache, ToRdfManifestSameCachedAndUncached) {
  ExpectSameCachedAndUncached("toRdf-manifest.jsonld", true, 467);
}

TEST(JsonLdContextCache, CredentialContextsAreProcessedOnce) {
  const json::value doc = ReadJsonFile(Standards() / "ob3" / "spec-examples" /
                                       "fullOpenBadge.json");
  const DocumentLoader& loader = BundledLoader::Instance();
  ClearContextCache();
  auto first = ToRdf(doc, loader);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const ContextCacheStats cold = GetContextCacheStats();
  EXPECT_GE(cold.entries, 10u) << "remote, type- and property-scoped contexts";

  auto second = ToRdf(doc, loader);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*second, *first);
  const ContextCacheStats warm = GetContextCacheStats();
  EXPECT_EQ(warm.misses, cold.misses) << "every context came from the cache";
  EXPECT_EQ(warm.entries, cold.entries);
  EXPECT_GT(warm.hits, cold.hits);

  Options off;
  off.cache_contexts = false;
  auto uncached = ToRdf(doc, loader, off);
  ASSERT_TRUE(uncached.ok()) << uncached.status().ToString();
  EXPECT_EQ(*uncached, *first);
  EXPECT_EQ(GetContextCacheStats().hits, warm.hits) << "cache_contexts = false leaves it alone";
}

TEST(JsonLdContextCache, ErrorsRecurWithAWarmCache) {
  const DocumentLoader& loader = BundledLoader::Instance();
  // The same remote context, cached on the way to a valid document...
  ASSERT_TRUE(Expand(json::parse(R"({"@context": ["https://www.w3.org/ns/credentials/v2",
                                                   {"ex": "https://example.com/ex"}],
                                     "ex": 1})"),
                     loader)
                  .ok());
  // ...then followed by a redefinition of one of its protected terms; and a
  // type-scoped context that redefines a protected term when applied.
  const char* bad[][3] = {
      {R"({"@context": ["https://www.w3.org/ns/credentials/v2",
                        {"name": "https://example.com/name"}]})",
       "protected term redefinition", "/@context/1/name"},
      {R"({"@context": {"@version": 1.1, "@vocab": "https://example.com/",
                        "p": {"@id": "https://example.com/p", "@protected": true},
                        "T": {"@context": {"p": "https://other.example/p"}}},
           "@type": "T", "p": 1})",
       "protected term redefinition", "/@type/p"},
  };
  for (const auto& [doc, code, where] : bad) {
    for (int i = 0; i < 3; ++i) {
      auto r = Expand(json::parse(doc), loader);
      ASSERT_FALSE(r.ok()) << doc;
      EXPECT_EQ(ErrorCode(r.status()), code) << doc;
      EXPECT_EQ(r.status().where(), where) << doc;
    }
  }
}

TEST(JsonLdContextCache, HitsAreChargedAndCheckedLikeProcessing) {
  const json::value doc = ReadJsonFile(Standards() / "vc2" / "vc-di-eddsa" / "unsigned.json");
  const DocumentLoader& loader = BundledLoader::Instance();
  ASSERT_TRUE(ToRdf(doc, loader).ok());  // the cache now holds its contexts
  Options tight;
  tight.max_work = 100;
  Options shallow;
  shallow.max_depth = 1;  // its remote contexts sit at depth 2
  Options no_remote;
  no_remote.max_remote_contexts = 0;
  for (Options opts : {tight, shallow, no_remote}) {
    auto cached = ToRdf(doc, loader, opts);
    opts.cache_contexts = false;
    auto uncached = ToRdf(doc, loader, opts);
    ASSERT_FALSE(uncached.ok());
    ASSERT_FALSE(cached.ok());
    EXPECT_EQ(cached.status().ToString(), uncached.status().ToString());
  }
}

// The least max_work that lets ToRdf through.
size_t WorkNeeded(const json::value& doc, bool cache) {
  size_t lo = 1, hi = 1'000'000;
  while (lo < hi) {
    Options opts;
    opts.max_work = (lo + hi) / 2;
    opts.cache_contexts = cache;
    if (ToRdf(doc, BundledLoader::Instance(), opts).ok()) {
      hi = opts.max_work;
    } else {
      lo = opts.max_work + 1;
    }
  }
  return lo;
}

TEST(JsonLdContextCache, WorkIsChargedAsWithoutTheCache) {
  // fullOpenBadge repeats its @context in every embedded credential.
  for (const char* file : {"ob3/spec-examples/fullOpenBadge.json",
                           "clr2/impl-guide-test-vector/signed-credential.json"}) {
    const json::value doc = WithoutProof(ReadJsonFile(Standards() / file));
    ASSERT_TRUE(ToRdf(doc, BundledLoader::Instance()).ok());  // warm
    const size_t uncached = WorkNeeded(doc, false);
    EXPECT_GT(uncached, 1000u) << file;
    EXPECT_EQ(WorkNeeded(doc, true), uncached) << file;
  }
}

TEST(JsonLdContextCache, StaysBoundedUnderManyDistinctContexts) {
  ClearContextCache();
  for (int i = 0; i < 5000; ++i) {
    json::value doc = {
        {"@context", {"https://www.w3.org/ns/credentials/v2",
                      {{"x", "https://example.com/" + std::to_string(i) + "#x"}}}},
        {"x", i}};
    ASSERT_TRUE(Expand(doc, BundledLoader::Instance()).ok());
  }
  ContextCacheStats stats = GetContextCacheStats();
  EXPECT_LE(stats.entries, 4096u);
  EXPECT_LE(stats.bytes, 64u << 20);
  EXPECT_GT(stats.evictions, 0u);
}

TEST(JsonLdContextCache, ConcurrentCallsAgree) {
  const auto ob3 = Standards() / "ob3";
  const json::value guide = ReadJsonFile(ob3 / "impl-guide-test-vector" / "signed-credential.json");
  const std::vector<json::value> docs = {
      WithoutProof(guide),
      ProofConfig(guide),
      ReadJsonFile(ob3 / "spec-examples" / "fullOpenBadge.json"),
      WithoutProof(ReadJsonFile(Standards() / "clr2" / "impl-guide-test-vector" /
                                "signed-credential.json")),
      ReadJsonFile(Standards() / "vc2" / "vc-di-eddsa" / "unsigned.json"),
  };
  Options off;
  off.cache_contexts = false;
  std::vector<rdf::Dataset> want;
  for (const auto& d : docs) {
    auto r = ToRdf(d, BundledLoader::Instance(), off);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    want.push_back(std::move(*r));
  }
  ClearContextCache();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        // Entries vanish under the other threads' feet now and then.
        if (t == 0 && i % 10 == 5) ClearContextCache();
        const size_t d = static_cast<size_t>(t + i) % docs.size();
        auto r = ToRdf(docs[d], BundledLoader::Instance());
        if (!r.ok() || *r != want[d]) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace pathbridge::jsonld
