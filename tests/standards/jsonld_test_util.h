// Test-only helpers shared by the JSON-LD test suites: the W3C json-ld-api
// conformance files served for their published URLs (read from shared/ at
// test time, never copied), the options each manifest entry asks for, and
// the credential samples as Data Integrity sees them.
//
// Thread-safety: SuiteLoader is safe to share between threads; the rest is
// pure.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "standards/json.h"
#include "standards/jsonld.h"
#include "tests/testing/test_util.h"

namespace pathbridge::testing {

namespace fs = std::filesystem;
namespace json = boost::json;

inline constexpr std::string_view kSuiteBase = "https://w3c.github.io/json-ld-api/tests/";

inline fs::path SuiteDir() {
  return SharedDir() / "standards" / "conformance" / "json-ld-api" / "tests";
}

inline std::optional<std::string> ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The strict reader rounds decimals correctly (Boost.JSON 1.81 alone does
// not, which broke toRdf#tjs12).
inline json::value ParseDeep(std::string_view text, json::error_code& ec) {
  pathbridge::json::ParseOptions opts;
  opts.max_depth = 1000;
  auto v = pathbridge::json::Parse(text, opts);
  if (!v.ok()) {
    ec = json::make_error_code(json::error::syntax);
    return nullptr;
  }
  return std::move(*v);
}

// Serves the conformance suite's files for their published URLs (tests only:
// library code never reads files). With a cache scope it takes part in the
// process-wide context cache; its documents must then outlive the process
// (DocumentLoader::CacheScope), so such a loader is never destroyed.
class SuiteLoader final : public jsonld::DocumentLoader {
 public:
  explicit SuiteLoader(std::string_view scope = {}) : scope_(scope) {}
  std::string_view CacheScope() const override { return scope_; }
  Result<const json::value*> Load(std::string_view url) const override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string key(url.substr(0, url.find('#')));
    if (auto it = cache_.find(key); it != cache_.end()) return it->second.get();
    if (key.rfind(kSuiteBase, 0) != 0) return NotFound("not a test-suite URL: " + key);
    auto text = ReadText(SuiteDir() / key.substr(kSuiteBase.size()));
    if (!text) return NotFound("no such test file: " + key);
    json::error_code ec;
    auto doc = std::make_unique<json::value>(ParseDeep(*text, ec));
    if (ec) return InvalidArgument("bad JSON in " + key + ": " + ec.message());
    return cache_.emplace(key, std::move(doc)).first->second.get();
  }

 private:
  std::string scope_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::unique_ptr<json::value>> cache_;
};

// The options a manifest entry asks for (the expand context is copied into
// `expand_context_holder`).
inline jsonld::Options TestOptions(const json::object& test, const std::string& input_url,
                                    const SuiteLoader& loader,
                                    json::value& expand_context_holder) {
  jsonld::Options o;
  o.base = input_url;
  o.max_depth = 200;
  if (const json::value* optv = test.if_contains("option")) {
    const json::object& opt = optv->as_object();
    if (const json::value* b = opt.if_contains("base")) o.base = std::string(b->as_string());
    // Tests written for 1.0 processors run in 1.0 mode.
    if (const json::value* sv = opt.if_contains("specVersion"); sv && *sv == "json-ld-1.0")
      o.processing_mode = jsonld::ProcessingMode::kJsonLd10;
    if (const json::value* m = opt.if_contains("processingMode"); m && *m == "json-ld-1.0")
      o.processing_mode = jsonld::ProcessingMode::kJsonLd10;
    if (const json::value* g = opt.if_contains("produceGeneralizedRdf"); g && g->as_bool())
      o.produce_generalized_rdf = true;
    if (const json::value* d = opt.if_contains("rdfDirection")) {
      o.rdf_direction = *d == "i18n-datatype" ? jsonld::RdfDirection::kI18nDatatype
                                              : jsonld::RdfDirection::kCompoundLiteral;
    }
    if (const json::value* ec = opt.if_contains("expandContext")) {
      auto doc = loader.Load(std::string(kSuiteBase) + std::string(ec->as_string()));
      if (doc.ok()) {
        expand_context_holder = **doc;
        o.expand_context = &expand_context_holder;
      }
    }
  }
  return o;
}

inline bool HasType(const json::object& test, std::string_view type) {
  for (const auto& t : test.at("@type").as_array())
    if (t.as_string() == type) return true;
  return false;
}


inline fs::path Standards() { return SharedDir() / "standards"; }

inline json::value ReadJsonFile(const fs::path& p) {
  auto text = ReadText(p);
  EXPECT_TRUE(text.has_value()) << p;
  json::error_code ec;
  json::value v = ParseDeep(text.value_or("null"), ec);
  EXPECT_FALSE(ec) << p << ": " << ec.message();
  return v;
}

// The document without its proof, as Data Integrity hashes it.
inline json::value WithoutProof(json::value doc) {
  doc.as_object().erase("proof");
  return doc;
}

// The proof options with the document's @context, as Data Integrity
// canonicalizes them.
inline json::value ProofConfig(const json::value& signed_doc) {
  const json::value& p = signed_doc.at("proof");
  json::object proof = p.is_array() ? p.as_array().at(0).as_object() : p.as_object();
  proof.erase("proofValue");
  proof["@context"] = signed_doc.at("@context");
  return proof;
}

}  // namespace pathbridge::testing
