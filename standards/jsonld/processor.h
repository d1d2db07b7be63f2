// Internals of the JSON-LD processor shared by context processing, expansion
// and toRdf: active contexts and term definitions, error locations, the
// per-call budget, and the context processing entry points.
//
// Thread-safety: a Processor belongs to one Expand/ToRdf call. Active
// contexts are immutable once built and shared by pointer, between calls and
// threads too (the process-wide context cache).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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

// A context's JSON and what keeps it alive. Processed contexts point into
// their JSON (scoped contexts), so only contexts whose JSON has an owner can
// outlive the call in the process-wide cache.
struct ContextJson {
  const json::value* value = nullptr;
  // Null: the caller's document holds *value, alive for the call only.
  std::shared_ptr<const void> owner;
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
  ContextJson context;   // scoped context, if any (value != nullptr)
  std::string base_url;  // resolves the scoped context's URLs

  // Equal in everything but `is_protected` (protected redefinition check).
  bool SameAs(const TermDefinition& o) const;
};

// Hashes std::string keys, looked up by string_view without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

struct ActiveContext;
struct CachedContext;
using ContextPtr = std::shared_ptr<const ActiveContext>;

// What cache keys know an active context by: a process-unique number, never
// reused (a copy gets a fresh one), and whether the context is reachable
// from the process-wide cache (only results applied to such contexts recur
// across calls, so only those are worth caching).
class ContextIdentity {
 public:
  ContextIdentity() : id_(Next()) {}
  ContextIdentity(const ContextIdentity&) : id_(Next()) {}
  ContextIdentity& operator=(const ContextIdentity&) {
    id_ = Next();
    shared_ = false;
    return *this;
  }
  uint64_t id() const { return id_; }
  bool shared() const { return shared_.load(std::memory_order_relaxed); }
  void MarkShared() const { shared_.store(true, std::memory_order_relaxed); }

 private:
  static uint64_t Next();
  uint64_t id_;
  mutable std::atomic<bool> shared_{false};
};

// Always owned by a shared_ptr (shared_from_this gives it to contexts built
// on it).
struct ActiveContext : std::enable_shared_from_this<ActiveContext> {
  std::unordered_map<std::string, std::shared_ptr<const TermDefinition>, StringHash,
                     std::equal_to<>>
      terms;
  std::optional<std::string> base;  // base IRI; nullopt: none
  std::optional<std::string> vocab;
  std::optional<std::string> language;
  std::optional<std::string> direction;
  ContextPtr previous;  // set while a non-propagated (type-scoped) context applies
  ContextIdentity identity;

  const TermDefinition* Find(std::string_view term) const {
    auto it = terms.find(term);
    return it == terms.end() ? nullptr : it->second.get();
  }
  bool HasProtected() const;
};

// IRI expansion outside context processing; nullopt is JSON-LD's null. The
// view points into `value`, the context, static storage or `scratch`, and is
// valid while they are: no copy when the answer is already there.
std::optional<std::string_view> ExpandIri(const ActiveContext& ctx, std::string_view value,
                                          bool document_relative, bool vocab,
                                          std::string& scratch);
std::optional<std::string> ExpandIri(const ActiveContext& ctx, std::string_view value,
                                     bool document_relative, bool vocab);
// The keyword `key` expands to as a property (through aliases), or "": what
// ExpandIri(ctx, key, false, true) says, without building IRIs for terms.
std::string_view KeywordOf(const ActiveContext& ctx, std::string_view key);

struct ContextFlags {
  bool override_protected = false;
  bool propagate = true;
  bool validate_scoped = true;
};

// Per-call state: options, loader, the work budget, the per-call context
// cache in front of the process-wide one, and the bookkeeping that lets a
// cache hit be charged and checked as its processing would have been.
class Processor {
 public:
  Processor(const DocumentLoader& loader, const Options& options);

  const Options& options() const { return options_; }
  bool Json10() const { return options_.processing_mode == ProcessingMode::kJsonLd10; }

  // Charges `units` of work; fails once the budget is spent.
  Status Spend(size_t units, const Path& where);
  Status CheckDepth(size_t depth, const Path& where) const;

  const ContextPtr& InitialContext() const { return initial_; }

  // Context Processing algorithm (JSON-LD 1.1 API §4.1.2), through the
  // per-call and process-wide caches. The result lives as long as this
  // Processor (the per-call cache holds it), so callers pass plain pointers.
  Result<const ActiveContext*> ProcessContext(const ActiveContext& active,
                                              const ContextJson& local,
                                    const std::string& base_url, const Path& where,
                                    ContextFlags flags = {},
                                    std::vector<std::string> remote_contexts = {},
                                    size_t depth = 0);

  // The @context of the remote context document at `url`, reporting
  // failures with JSON-LD codes.
  Result<ContextJson> LoadContext(const std::string& url, const Path& where);

 private:
  Result<std::shared_ptr<const CachedContext>> ProcessRecorded(
      const ContextPtr& active, const ContextJson& local, const std::string& base_url,
      const Path& where, ContextFlags flags, std::vector<std::string> remote_contexts,
      size_t depth);
  Result<ContextPtr> ProcessUncached(const ContextPtr& active, const ContextJson& local,
                                     const std::string& base_url, const Path& where,
                                     ContextFlags flags, std::vector<std::string> remote_contexts,
                                     size_t depth);
  Result<ContextJson> WithImport(const ContextJson& def, const std::string& base_url,
                                 const Path& at);
  // The key of the process-wide cache, or false where it does not apply.
  // `text`: the local context's TextIdentity when the document holds it.
  bool SharedKey(const ActiveContext& active, const ContextJson& local, std::string_view text,
                 std::string_view inputs, std::string& key) const;
  static std::shared_ptr<ActiveContext> Clone(const ActiveContext& ctx);

  const DocumentLoader& loader_;
  Options options_;
  const std::string_view scope_;  // the loader's CacheScope(); empty: no process-wide cache
  ContextPtr initial_;
  size_t work_ = 0;
  size_t deepest_ = 0;      // deepest context nesting reached (while processing one)
  size_t most_remote_ = 0;  // most remote contexts open at once (likewise)
  std::unordered_map<std::string, ContextPtr, StringHash, std::equal_to<>> call_cache_;
  std::string key_buffer_;  // builds call_cache_ keys without allocating
};

// The Expansion algorithm (§5.1.2) from the top, with the API's final steps;
// the expanded form is built in storage `sp`.
Result<json::array> ExpandDocument(Processor& p, const json::value& doc,
                                   const json::storage_ptr& sp);
// Node map generation and RDF deserialization (§7.1, §8.1); the node map is
// built in `arena`.
Result<rdf::Dataset> ToDataset(Processor& p, const json::array& expanded,
                               std::pmr::memory_resource* arena);

}  // namespace pathbridge::jsonld::internal
