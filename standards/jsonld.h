// JSON-LD 1.1 processing (W3C "JSON-LD 1.1 Processing Algorithms and API"):
// expansion and deserialization to RDF, as Data Integrity proofs over
// Verifiable Credentials, Open Badges 3.0 and CLR 2.0 need them (the
// eddsa-rdfc-2022 input is ToRdf's dataset, canonicalized by RDFC-1.0).
//
// Contexts come only from a DocumentLoader: the library never fetches.
// BundledLoader serves the contexts embedded at build time from
// standards/contexts/ (see README.md there), each checked against its pinned
// SHA-256; any other URL is an error.
//
// Errors: kInvalidArgument with a message that starts with the JSON-LD error
// code, e.g. "invalid term definition: ...", and where = a JSON pointer into
// the input ("/@context/0 > https://.../v2#/@context/name" inside a remote
// context; toRdf-stage errors point into the expanded form);
// kResourceExhausted when max_depth or max_work is exceeded.
//
// Processed contexts are cached process-wide (the context cache), so a
// verifier pays for the credentials contexts once, not per document: keyed on
// the active context they apply to, the context (a loaded document, or the
// JSON text of a small inline context), base IRI, processing mode and the
// loader's CacheScope(). Only loaders with a CacheScope() take part. Results
// are the same with or without the cache, errors included; a cache hit is
// charged the work its processing took, and stands only where that
// processing would have fit max_work, max_depth and max_remote_contexts.
// The cache is bounded (4,096 entries, ~64 MiB; least recently used entries
// go first), so documents cannot grow it without bound.
//
// Thread-safety: Expand and ToRdf are reentrant. A loader shared between
// threads must be safe to call concurrently; BundledLoader is immutable. The
// context cache is internally synchronized.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "standards/rdf.h"
#include "standards/status.h"

namespace pathbridge::jsonld {

// Resolves context URLs to parsed JSON documents.
class DocumentLoader {
 public:
  virtual ~DocumentLoader() = default;
  // The document at `url` (absolute); the pointer stays valid for the
  // loader's lifetime. kNotFound for URLs the loader does not serve.
  virtual Result<const boost::json::value*> Load(std::string_view url) const = 0;
  // Non-empty: contexts loaded through this loader may be kept in the
  // process-wide context cache under this name. A loader that returns one
  // promises that every loader returning the same name serves equal
  // documents for a URL, and that the documents it returns stay valid until
  // the process exits. Empty (the default): this loader's calls are cached
  // within the call only.
  virtual std::string_view CacheScope() const { return {}; }
};

// The contexts embedded in the library: W3C credentials v1/v2 (+ examples,
// undefined-terms), Data Integrity v1, Ed25519Signature2020, Open Badges
// 3.0.x and CLR 2.0. Parsed and hash-checked once, on first use.
class BundledLoader final : public DocumentLoader {
 public:
  static const BundledLoader& Instance();
  Result<const boost::json::value*> Load(std::string_view url) const override;
  std::string_view CacheScope() const override { return "pathbridge:bundled"; }
  std::vector<std::string> Urls() const;

  struct Entry;
  ~BundledLoader() override;

 private:
  BundledLoader();
  std::vector<Entry> entries_;
};

enum class ProcessingMode { kJsonLd10, kJsonLd11 };

// How @direction reaches RDF (the API's rdfDirection option); kNone drops it.
enum class RdfDirection { kNone, kI18nDatatype, kCompoundLiteral };

struct Options {
  // Base IRI of the document; empty for none (relative IRIs then stay
  // relative and ToRdf drops them).
  std::string base;
  ProcessingMode processing_mode = ProcessingMode::kJsonLd11;
  // A context applied before the document's own (API option expandContext).
  const boost::json::value* expand_context = nullptr;
  // Deepest nesting of JSON values and contexts followed.
  size_t max_depth = 64;
  // Abstract steps (values visited, term definitions, context copies, quads);
  // bounds the cost of hostile contexts and documents. About 0.1 us each on
  // the dev VM; a full Open Badge 3.0 credential takes ~3,400, CLR ~2,000,
  // with or without the context cache (a hit is charged what processing the
  // context took).
  size_t max_work = 1'000'000;
  // Contexts a context may pull in through nested remote references.
  size_t max_remote_contexts = 32;
  bool produce_generalized_rdf = false;  // keep blank-node predicates
  RdfDirection rdf_direction = RdfDirection::kNone;
  // Use the process-wide context cache (when the loader has a CacheScope()).
  // Off, contexts are cached within the call only; results are the same.
  bool cache_contexts = true;
};

// The expanded form of `doc` (always an array).
Result<boost::json::array> Expand(const boost::json::value& doc, const DocumentLoader& loader,
                                  const Options& options = {});

// Expands `doc` and deserializes it to RDF. Blank nodes are labeled b0, b1...
// in document order; quads come graph by graph, subject by subject.
Result<rdf::Dataset> ToRdf(const boost::json::value& doc, const DocumentLoader& loader,
                           const Options& options = {});

// ToRdf for an already expanded document.
Result<rdf::Dataset> ExpandedToRdf(const boost::json::array& expanded, const Options& options = {});

// The JSON-LD error code an error from this module carries ("invalid IRI
// mapping"), or "" for a non-JSON-LD error (resource limits).
std::string_view ErrorCode(const Status& status);

// The process-wide context cache: figures since the process started (or the
// last ClearContextCache), and a way to empty it (tests, benchmarks, or to
// release its memory).
struct ContextCacheStats {
  size_t entries = 0;
  size_t bytes = 0;  // estimated memory held
  size_t hits = 0;
  size_t misses = 0;
  size_t evictions = 0;
};
ContextCacheStats GetContextCacheStats();
void ClearContextCache();

}  // namespace pathbridge::jsonld
