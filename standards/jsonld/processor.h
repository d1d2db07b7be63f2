// Internals of the JSON-LD processor shared by context processing, expansion
// and toRdf: active contexts and term definitions, error locations, the
// per-call budget, and the context processing entry points.
//
// Thread-safety: a Processor belongs to one Expand/ToRdf call. Active
// contexts are immutable once built and shared by pointer.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "standards/jsonld.h"
#include "standards/status.h"

namespace pathbridge::jsonld::internal {

namespace json = boost::json;

// Where a value sits, as a linked list of frames on the C++ stack; turned into
// a JSON pointer only when an error is reported.
struct Path {
  enum class Kind : uint8_t { kRoot, kKey, kIndex, kOrigin };
  const Path* parent = nullptr;
  Kind kind = Kind::kRoot;
  std::string_view key;  // kKey: the key; kOrigin: the remote context URL
  size_t index = 0;

  Path Key(std::string_view k) const { return {this, Kind::kKey, k, 0}; }
  Path Index(size_t i) const { return {this, Kind::kIndex, {}, i}; }
  Path Origin(std::string_view url) const { return {this, Kind::kOrigin, url, 0}; }
  std::string ToString() const;
};

// "<code>: <detail>" at `where`, the shape ErrorCode() parses.
Status JsonLdError(std::string_view code, std::string_view detail, const Path& where);

enum Container : uint8_t {
  kList = 1, kSet = 2, kIndex = 4, kLanguage = 8, kGraph = 16, kId = 32, kType = 64,
};

struct TermDefinition {
  std::optional<std::string> iri;  // nullopt: the term is mapped to null
  bool reverse = false;
  bool prefix = false;
  bool is_protected = false;
  std::optional<std::string> type;  // type mapping
  bool has_language = false;        // language mapping present (maybe null)
  std::optional<std::string> language;
  bool has_direction = false;
  std::optional<std::string> direction;
  uint8_t container = 0;  // Container bits
  std::optional<std::string> index;
  std::optional<std::string> nest;
  const json::value* context = nullptr;  // scoped context, if any
  std::string base_url;                  // resolves the scoped context's URLs

  // Equal in everything but `is_protected` (protected redefinition check).
  bool SameAs(const TermDefinition& o) const;
};

struct ActiveContext;
using ContextPtr = std::shared_ptr<const ActiveContext>;

struct ActiveContext {
  std::map<std::string, std::shared_ptr<const TermDefinition>, std::less<>> terms;
  std::optional<std::string> base;  // base IRI; nullopt: none
  std::optional<std::string> vocab;
  std::optional<std::string> language;
  std::optional<std::string> direction;
  ContextPtr previous;  // set while a non-propagated (type-scoped) context applies

  const TermDefinition* Find(std::string_view term) const {
    auto it = terms.find(term);
    return it == terms.end() ? nullptr : it->second.get();
  }
  bool HasProtected() const;
};

// IRI expansion outside context processing; nullopt is JSON-LD's null.
std::optional<std::string> ExpandIri(const ActiveContext& ctx, std::string_view value,
                                     bool document_relative, bool vocab);

struct ContextFlags {
  bool override_protected = false;
  bool propagate = true;
  bool validate_scoped = true;
};

// Per-call state: options, loader, the work budget, and storage for
// contexts synthesized during the call (@import merges).
class Processor {
 public:
  Processor(const DocumentLoader& loader, const Options& options)
      : loader_(loader), options_(options) {}

  const Options& options() const { return options_; }
  bool Json10() const { return options_.processing_mode == ProcessingMode::kJsonLd10; }

  // Charges `units` of work; fails once the budget is spent.
  Status Spend(size_t units, const Path& where);
  Status CheckDepth(size_t depth, const Path& where) const;

  ContextPtr InitialContext() const;

  // Context Processing algorithm (JSON-LD 1.1 API §4.1.2).
  Result<ContextPtr> ProcessContext(const ContextPtr& active, const json::value& local,
                                    const std::string& base_url, const Path& where,
                                    ContextFlags flags = {},
                                    std::vector<std::string> remote_contexts = {},
                                    size_t depth = 0);

  // Loads a remote context document, reporting failures with JSON-LD codes.
  Result<const json::object*> LoadContextDocument(const std::string& url, const Path& where);
  const json::object& Keep(json::object merged) { return kept_.emplace_back(std::move(merged)); }
  // True the first time a scoped context is validated in this call.
  bool FirstValidation(const json::value* scoped) { return validated_.insert(scoped).second; }

 private:
  Result<ContextPtr> ProcessUncached(const ContextPtr& active, const json::value& local,
                                     const std::string& base_url, const Path& where,
                                     ContextFlags flags, std::vector<std::string> remote_contexts,
                                     size_t depth);
  Result<const json::object*> WithImport(const json::object& def, const std::string& base_url,
                                         const Path& at);
  static std::shared_ptr<ActiveContext> Clone(const ActiveContext& ctx);

  // (active context, local context, base URL + flags + remote contexts).
  using CacheKey = std::tuple<const ActiveContext*, const json::value*, std::string>;

  const DocumentLoader& loader_;
  Options options_;
  size_t work_ = 0;
  std::deque<json::object> kept_;
  std::set<const json::value*> validated_;
  // Values hold the active context too, so its address is never reused.
  std::map<CacheKey, std::pair<ContextPtr, ContextPtr>> cache_;
};

// The Expansion algorithm (§5.1.2) from the top, with the API's final steps.
Result<json::array> ExpandDocument(Processor& p, const json::value& doc);
// Node map generation and RDF deserialization (§7.1, §8.1).
Result<rdf::Dataset> ToDataset(Processor& p, const json::array& expanded);

}  // namespace pathbridge::jsonld::internal
