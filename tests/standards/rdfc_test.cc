// RDFC-1.0 against the W3C rdf-canon conformance suite (read at test time
// from shared/standards/conformance/rdf-canon/tests/manifest.jsonld), plus
// the N-Quads parser's error reporting and canonical escaping.
//
// Skipped suite tests: none. Every entry of the manifest runs: eval tests
// compare N-Quads byte for byte, map tests compare the issued identifiers
// map, the negative test (test074, a 10-node clique) expects the work-limit
// error under the default Options.
#include "standards/rdfc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>

#include "standards/nquads.h"
#include "tests/testing/test_util.h"

namespace pathbridge::rdfc {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

fs::path SuiteDir() {
  return testing::SharedDir() / "standards" / "conformance" / "rdf-canon" / "tests";
}

struct SuiteTest {
  std::string id, type, name, action, result;
  HashAlgorithm hash = HashAlgorithm::kSha256;
};

std::vector<SuiteTest> LoadManifest() {
  json::value manifest = testing::ReadJson(SuiteDir() / "manifest.jsonld");
  std::vector<SuiteTest> out;
  for (const json::value& e : manifest.at("entries").as_array()) {
    const json::object& o = e.as_object();
    SuiteTest t;
    t.id = std::string(o.at("id").as_string());
    t.type = std::string(o.at("type").as_string());
    t.name = std::string(o.at("name").as_string());
    t.action = std::string(o.at("action").as_string());
    if (o.contains("result")) t.result = std::string(o.at("result").as_string());
    if (o.contains("hashAlgorithm")) {
      std::string alg(o.at("hashAlgorithm").as_string());
      EXPECT_TRUE(alg == "SHA256" || alg == "SHA384") << t.id << ": unknown hash " << alg;
      if (alg == "SHA384") t.hash = HashAlgorithm::kSha384;
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::map<std::string, std::string> IssuedMap(const CanonicalResult& r) {
  return {r.issued.begin(), r.issued.end()};
}

// Runs one manifest entry; returns true when it passed.
bool RunSuiteTest(const SuiteTest& t) {
  SCOPED_TRACE(t.id + " " + t.name);
  Options opt;
  opt.hash = t.hash;
  std::string input = testing::ReadFile(SuiteDir() / t.action);
  auto r = CanonicalizeNQuads(input, opt);
  if (t.type == "rdfc:RDFC10NegativeEvalTest") {
    EXPECT_FALSE(r.ok()) << t.id << ": expected the work-limit error";
    EXPECT_EQ(r.status().code(), Code::kResourceExhausted) << t.id << ": " << r.status().ToString();
    return !r.ok() && r.status().code() == Code::kResourceExhausted;
  }
  EXPECT_TRUE(r.ok()) << t.id << ": " << r.status().ToString();
  if (!r.ok()) return false;
  if (t.type == "rdfc:RDFC10EvalTest") {
    std::string expected = testing::ReadFile(SuiteDir() / t.result);
    EXPECT_EQ(r->nquads, expected) << t.id;
    return r->nquads == expected;
  }
  if (t.type == "rdfc:RDFC10MapTest") {
    std::map<std::string, std::string> expected;
    json::value doc = testing::ReadJson(SuiteDir() / t.result);
    for (const auto& [k, v] : doc.as_object()) expected[std::string(k)] = std::string(v.as_string());
    auto got = IssuedMap(*r);
    EXPECT_EQ(got, expected) << t.id;
    return got == expected;
  }
  ADD_FAILURE() << t.id << ": unknown test type " << t.type;
  return false;
}

TEST(RdfcSuite, EveryManifestEntry) {
  auto tests = LoadManifest();
  ASSERT_GE(tests.size(), 86u) << "the manifest lists 86 tests";
  size_t passed = 0;
  std::map<std::string, size_t> per_type;
  for (const SuiteTest& t : tests) {
    ++per_type[t.type];
    if (RunSuiteTest(t)) ++passed;
  }
  EXPECT_EQ(passed, tests.size());
  EXPECT_EQ(per_type["rdfc:RDFC10EvalTest"], 64u);
  EXPECT_EQ(per_type["rdfc:RDFC10MapTest"], 21u);
  EXPECT_EQ(per_type["rdfc:RDFC10NegativeEvalTest"], 1u);
  std::printf("rdf-canon suite: %zu/%zu passed, 0 skipped\n", passed, tests.size());
}

// The canonical form does not depend on blank node labels or quad order:
// every eval input, relabeled and shuffled, canonicalizes to the expected file.
TEST(RdfcSuite, EvalOutputsIgnoreLabelsAndOrder) {
  std::mt19937_64 rng(20240521);
  for (const SuiteTest& t : LoadManifest()) {
    if (t.type != "rdfc:RDFC10EvalTest") continue;
    SCOPED_TRACE(t.id);
    auto ds = rdf::ParseNQuads(testing::ReadFile(SuiteDir() / t.action));
    ASSERT_TRUE(ds.ok()) << t.id << ": " << ds.status().ToString();
    std::map<std::string, std::string> relabel;
    auto rename = [&](rdf::Term& term) {
      if (term.kind != rdf::TermKind::kBlank) return;
      auto [it, fresh] = relabel.try_emplace(term.value, "");
      if (fresh) it->second = "n" + std::to_string(rng() % 1000000) + "x" + std::to_string(relabel.size());
      term.value = it->second;
    };
    for (rdf::Quad& q : *ds) {
      rename(q.subject);
      rename(q.object);
      rename(q.graph);
    }
    std::shuffle(ds->begin(), ds->end(), rng);
    Options opt;
    opt.hash = t.hash;
    auto r = Canonicalize(*ds, opt);
    ASSERT_TRUE(r.ok()) << t.id << ": " << r.status().ToString();
    EXPECT_EQ(r->nquads, testing::ReadFile(SuiteDir() / t.result)) << t.id;
  }
}

// Canonical output is a fixed point: it parses and canonicalizes to itself.
// (The issued map need not be the identity: with automorphic blank nodes, as
// in test059, it may swap them.)
TEST(RdfcSuite, CanonicalOutputIsAFixedPoint) {
  for (const SuiteTest& t : LoadManifest()) {
    if (t.type != "rdfc:RDFC10EvalTest") continue;
    Options opt;
    opt.hash = t.hash;
    std::string expected = testing::ReadFile(SuiteDir() / t.result);
    auto r = CanonicalizeNQuads(expected, opt);
    ASSERT_TRUE(r.ok()) << t.id << ": " << r.status().ToString();
    EXPECT_EQ(r->nquads, expected) << t.id;
  }
}

// Random small blank node graphs, many of them symmetric: isomorphic copies
// (relabeled, shuffled, duplicated quads) canonicalize identically, and the
// result is a fixed point.
TEST(Rdfc, RandomGraphsCanonicalizeIsomorphicCopiesAlike) {
  std::mt19937_64 rng(7);
  const char* kPredicates[] = {"<urn:p>", "<urn:q>"};
  int hard = 0;
  for (int round = 0; round < 1500; ++round) {
    int nodes = 2 + static_cast<int>(rng() % 7);
    int edges = 1 + static_cast<int>(rng() % (2 * nodes));
    // Half the graphs get a disjoint twin, so blank nodes share hashes.
    bool twin = rng() % 2 == 0;
    std::string doc;
    for (int e = 0; e < edges; ++e) {
      std::string s = std::to_string(rng() % nodes), o = std::to_string(rng() % nodes),
                  g = std::to_string(rng() % nodes);
      bool literal = rng() % 5 == 0, named = rng() % 4 == 0;
      const char* p = kPredicates[rng() % 2];
      for (const char* prefix : {"_:n", "_:t"}) {
        doc += prefix + s + " " + p + " " + (literal ? std::string("\"v\"") : prefix + o);
        doc += (named ? std::string(" ") + prefix + g : "") + " .\n";
        if (!twin) break;
      }
    }
    SCOPED_TRACE(doc);
    auto base = rdf::ParseNQuads(doc);
    ASSERT_TRUE(base.ok()) << base.status().ToString();
    auto want = Canonicalize(*base);
    ASSERT_TRUE(want.ok()) << want.status().ToString();
    if (want->ndegree_calls > 0) ++hard;
    rdf::Dataset copy = *base;
    copy.push_back(copy[rng() % copy.size()]);  // a duplicate
    std::map<std::string, std::string> relabel;
    for (rdf::Quad& q : copy)
      for (rdf::Term* t : {&q.subject, &q.object, &q.graph})
        if (t->kind == rdf::TermKind::kBlank) {
          auto [it, fresh] = relabel.try_emplace(t->value);
          if (fresh) it->second = "m" + std::to_string(rng() % 97) + "_" + std::to_string(relabel.size());
          t->value = it->second;
        }
    std::shuffle(copy.begin(), copy.end(), rng);
    auto got = Canonicalize(copy);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->nquads, want->nquads);
    auto again = CanonicalizeNQuads(want->nquads);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->nquads, want->nquads);
  }
  EXPECT_GT(hard, 500) << "too few graphs needed Hash N-Degree Quads to test it";
}

TEST(Rdfc, PoisonGraphStopsQuicklyWithAClearError) {
  std::string clique = testing::ReadFile(SuiteDir() / "rdfc10" / "test074-in.nq");
  auto start = std::chrono::steady_clock::now();
  auto r = CanonicalizeNQuads(clique);
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
  EXPECT_NE(r.status().message().find("poison graph"), std::string::npos) << r.status().ToString();
  EXPECT_EQ(r.status().where().rfind("blank node _:", 0), 0u) << r.status().where();
  EXPECT_LT(ms.count(), 2000.0);
}

TEST(Rdfc, WorkLimitsAreConfigurable) {
  // test044 ("poison - evil (1)") completes under the defaults but not with
  // tighter limits; each limit names itself in the error.
  std::string evil = testing::ReadFile(SuiteDir() / "rdfc10" / "test044-in.nq");
  auto ok = CanonicalizeNQuads(evil);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_GT(ok->ndegree_calls, 1u);

  Options calls;
  calls.max_ndegree_calls = ok->ndegree_calls - 1;
  auto r1 = CanonicalizeNQuads(evil, calls);
  EXPECT_EQ(r1.status().code(), Code::kResourceExhausted);
  EXPECT_NE(r1.status().message().find("max_ndegree_calls"), std::string::npos);

  Options perms;
  perms.max_permutations = ok->permutations - 1;
  auto r2 = CanonicalizeNQuads(evil, perms);
  EXPECT_EQ(r2.status().code(), Code::kResourceExhausted);
  EXPECT_NE(r2.status().message().find("max_permutations"), std::string::npos);

  Options work;
  work.max_work = ok->work - 1;
  auto r4 = CanonicalizeNQuads(evil, work);
  EXPECT_EQ(r4.status().code(), Code::kResourceExhausted);
  EXPECT_NE(r4.status().message().find("max_work"), std::string::npos);

  Options depth;
  depth.max_ndegree_depth = 1;
  auto r3 = CanonicalizeNQuads(evil, depth);
  EXPECT_EQ(r3.status().code(), Code::kResourceExhausted);
  EXPECT_NE(r3.status().message().find("max_ndegree_depth"), std::string::npos);
}

TEST(Rdfc, LongRingIsBoundedNotAStackOverflow) {
  // 5000 identical blank nodes in a ring: all share a first-degree hash and
  // Hash N-Degree Quads would recurse around the whole ring.
  std::string doc;
  for (int i = 0; i < 5000; ++i)
    doc += "_:n" + std::to_string(i) + " <urn:p> _:n" + std::to_string((i + 1) % 5000) + " .\n";
  auto r = CanonicalizeNQuads(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
}

TEST(Rdfc, HubsWithThousandsOfIdenticalNeighboursAreBounded) {
  // Two identical blank hubs with 3000 identical blank children each: few
  // calls and permutations, but each one is huge; max_work stops it early.
  std::string doc;
  for (int h = 0; h < 2; ++h)
    for (int i = 0; i < 3000; ++i) {
      std::string child = "_:c" + std::to_string(h) + "x" + std::to_string(i);
      doc += "_:h" + std::to_string(h) + " <urn:p> " + child + " .\n" + child + " <urn:q> \"v\" .\n";
    }
  auto start = std::chrono::steady_clock::now();
  auto r = CanonicalizeNQuads(doc);
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted) << r.status().ToString();
  EXPECT_LT(ms.count(), 1000.0);
}

TEST(Rdfc, VcDiEddsaCredentialMatchesItsCanonicalForm) {
  // The W3C vc-di-eddsa test vectors publish the canonical documents; they
  // are their own canonical form, and relabeling their blank nodes does not
  // change that.
  fs::path dir = testing::SharedDir() / "standards" / "vc2" / "vc-di-eddsa" / "eddsa-rdfc-2022";
  for (fs::path file : {dir / "canonDocDataInt.txt", dir / "employ" / "canonDocDataInt.txt",
                        dir / "proofCanonDataInt.txt"}) {
    std::string canon = testing::ReadFile(file);
    auto ds = rdf::ParseNQuads(canon);
    ASSERT_TRUE(ds.ok()) << file << ": " << ds.status().ToString();
    for (rdf::Quad& q : *ds)
      for (rdf::Term* t : {&q.subject, &q.object, &q.graph})
        if (t->kind == rdf::TermKind::kBlank) t->value = "x" + t->value + "y";
    std::reverse(ds->begin(), ds->end());
    auto r = Canonicalize(*ds);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->nquads, canon) << file;
  }
}

TEST(Rdfc, DuplicateQuadsCountOnce) {
  auto r = CanonicalizeNQuads(
      "_:a <urn:p> \"x\" .\n_:a <urn:p> \"x\"^^<http://www.w3.org/2001/XMLSchema#string> .\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->nquads, "_:c14n0 <urn:p> \"x\" .\n");
  EXPECT_EQ(IssuedMap(*r), (std::map<std::string, std::string>{{"a", "c14n0"}}));
}

TEST(Rdfc, EmptyDataset) {
  auto r = Canonicalize({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->nquads, "");
  EXPECT_TRUE(r->issued.empty());
}

TEST(Rdfc, Sha384ChangesOnlyTheHashes) {
  // A single blank node gets c14n0 whatever the hash; two distinguishable
  // ones may be ordered differently.
  auto r = CanonicalizeNQuads("_:x <urn:p> <urn:o> .\n", {.hash = HashAlgorithm::kSha384});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->nquads, "_:c14n0 <urn:p> <urn:o> .\n");
}

// ---------------------------------------------------------------------------
// N-Quads parser and serializer.

struct BadInput {
  const char* text;
  const char* where;    // line:column
  const char* message;  // a fragment of the message
};

TEST(NQuads, ErrorsNameLineColumnAndQuad) {
  const BadInput kCases[] = {
      {"<urn:s> <urn:p> <urn:o>\n", "1:24", "quad 1: expected '.'"},
      {"<urn:s> <urn:p> <urn:o> .\n<urn:s> <urn:p> .\n", "2:17", "quad 2: expected an object"},
      {"# comment\n\n<urn:s> \"p\" <urn:o> .\n", "3:9", "expected a predicate IRI"},
      {"<s> <urn:p> <urn:o> .\n", "1:1", "relative IRI <s>"},
      {"<urn:s> <urn:p> <urn:a b> .\n", "1:23", "not allowed in an IRI"},
      {"<urn:s> <urn:p> <urn:o\n", "1:17", "unterminated IRI"},
      {"<urn:s> <urn:p> \"abc .\n", "1:17", "unterminated string literal"},
      {"<urn:s> <urn:p> \"a\\qb\" .\n", "1:19", "unknown escape \\'q'"},
      {"<urn:s> <urn:p> \"\\u00G1\" .\n", "1:22", "expected a hex digit"},
      {"<urn:s> <urn:p> \"\\uD800\" .\n", "1:18", "not a Unicode scalar value"},
      {"<urn:s> <urn:p> <urn:\\u0020> .\n", "1:22", "escape decodes to a character"},
      {"<urn:s> <urn:p> \"x\"@ .\n", "1:20", "language tag must start"},
      {"<urn:s> <urn:p> \"x\"@en- .\n", "1:24", "empty language subtag"},
      {"<urn:s> <urn:p> \"x\"^<urn:d> .\n", "1:20", "expected '^^<datatype IRI>'"},
      {"_:.a <urn:p> <urn:o> .\n", "1:3", "blank node label must start"},
      {"<urn:s> <urn:p> <urn:o> . <urn:x>\n", "1:27", "expected end of line after '.'"},
      {"<urn:s> <urn:p> <urn:o> <urn:g> <urn:h> .\n", "1:33", "expected '.'"},
      {"\"s\" <urn:p> <urn:o> .\n", "1:1", "expected a subject"},
      {"<urn:s> _:p <urn:o> .\n", "1:9", "expected a predicate IRI"},
      {"<urn:s> <urn:p> \"\xC3\x28\" .\n", "1:18", "invalid UTF-8"},
      {"<urn:s> <urn:p> \"\xC0\xAF\" .\n", "1:18", "invalid UTF-8"},  // overlong '/'
      {"<urn:s> <urn:p> \"é\" .\r\n<urn:s> <urn:p> \"é\" <", "2:21", "unterminated IRI"},
      {"<urn:s> <urn:p> <urn:o> .\r\r<urn:s> <urn:p> <urn:o> \"g\" .", "3:25", "quad 2: expected '.'"},
  };
  for (const BadInput& c : kCases) {
    auto r = rdf::ParseNQuads(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << c.text;
    EXPECT_EQ(r.status().where(), c.where) << c.text << " -> " << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << c.text << " -> " << r.status().ToString();
  }
}

TEST(NQuads, AcceptsTheGrammarsOptionalForms) {
  auto r = rdf::ParseNQuads(
      "<urn:s><urn:p><urn:o>.\n"                       // no white space
      "\t_:b1.x <urn:p> _:b2 _:g . # trailing comment\n"  // '.' inside a label
      "_:b3 <urn:p> _:b4.\n"                             // '.' ends the statement
      "<urn:s> <urn:p> \"v\"@en-GB-x1 <urn:g> .\r\n"
      "<urn:s> <urn:p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer>.");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 5u);
  EXPECT_EQ((*r)[1].subject, rdf::Term::Blank("b1.x"));
  EXPECT_EQ((*r)[1].graph, rdf::Term::Blank("g"));
  EXPECT_EQ((*r)[2].object, rdf::Term::Blank("b4"));
  EXPECT_EQ((*r)[3].object, rdf::Term::Literal("v", std::string(rdf::kRdfLangString), "en-GB-x1"));
  EXPECT_EQ((*r)[4].object.datatype, "http://www.w3.org/2001/XMLSchema#integer");
  EXPECT_EQ((*r)[0].graph.kind, rdf::TermKind::kDefaultGraph);
}

TEST(NQuads, CanonicalEscaping) {
  rdf::Quad q{rdf::Term::Iri("urn:s"), rdf::Term::Iri("urn:p"),
              rdf::Term::Literal(std::string("a\"b\\c\n\r\t\b\f\x01\x7F\xC3\xA9", 14),
                                 std::string(rdf::kXsdString)),
              rdf::Term::DefaultGraph()};
  EXPECT_EQ(rdf::ToNQuads(q), "<urn:s> <urn:p> \"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u007F\xC3\xA9\" .\n");
  q.object = rdf::Term::Literal("1", "urn:dt");
  q.graph = rdf::Term::Blank("g");
  EXPECT_EQ(rdf::ToNQuads(q), "<urn:s> <urn:p> \"1\"^^<urn:dt> _:g .\n");
  // An IRI built elsewhere with a forbidden character still serializes to
  // N-Quads that parse.
  q.object = rdf::Term::Iri("urn:a b");
  EXPECT_EQ(rdf::ToNQuads(q), "<urn:s> <urn:p> <urn:a\\u0020b> _:g .\n");
  EXPECT_FALSE(rdf::ParseNQuads(rdf::ToNQuads(q)).ok());  // ...and are rejected as IRIs
}

TEST(NQuads, EscapesDecodeAndRoundTrip) {
  auto r = rdf::ParseNQuads(
      "<urn:ex:\\u00E9\\U0001F303> <urn:p> \"\\u0041\\U0001F303\\t\\'\" .\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].subject.value, "urn:ex:\xC3\xA9\xF0\x9F\x8C\x83");
  EXPECT_EQ((*r)[0].object.value, "A\xF0\x9F\x8C\x83\t'");
  std::string text = rdf::SerializeNQuads(*r);
  EXPECT_EQ(text, "<urn:ex:\xC3\xA9\xF0\x9F\x8C\x83> <urn:p> \"A\xF0\x9F\x8C\x83\\t'\" .\n");
  auto again = rdf::ParseNQuads(text);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *r);
}

}  // namespace
}  // namespace pathbridge::rdfc
