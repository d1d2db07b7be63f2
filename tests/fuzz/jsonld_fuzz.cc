// Fuzzes JSON-LD expansion and toRdf with the bundled contexts and a small
// work budget: every input must end in a dataset or an error, never a crash,
// hang or runaway recursion. Invariants: when ToRdf succeeds, expanding and
// then deserializing the expanded form gives the same dataset; and the
// process-wide context cache changes nothing (the same dataset or error as
// with Options::cache_contexts off).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <boost/json.hpp>

#include "standards/jsonld.h"

namespace pathbridge::jsonld {
namespace {

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "jsonld_fuzz invariant broken: %s\n", what);
  std::abort();
}

void Fuzz(const boost::json::value& doc, ProcessingMode mode) {
  Options o;
  o.processing_mode = mode;
  o.max_work = 20'000;
  o.max_depth = 40;
  o.base = "https://fuzz.example/doc";
  const DocumentLoader& loader = BundledLoader::Instance();
  auto expanded = Expand(doc, loader, o);
  auto quads = ToRdf(doc, loader, o);
  Options uncached = o;
  uncached.cache_contexts = false;
  auto plain = ToRdf(doc, loader, uncached);
  Require(plain.ok() == quads.ok() && (plain.ok() ? *plain == *quads
                                                  : plain.status().ToString() ==
                                                        quads.status().ToString()),
          "the context cache changed ToRdf's result");
  if (!quads.ok()) return;
  Require(expanded.ok(), "ToRdf succeeded but Expand failed");
  auto again = ExpandedToRdf(*expanded, o);
  Require(again.ok(), "ExpandedToRdf failed on Expand's own output");
  Require(*again == *quads, "ExpandedToRdf(Expand(x)) != ToRdf(x)");
}

}  // namespace
}  // namespace pathbridge::jsonld

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  boost::json::parse_options po;
  po.max_depth = 64;
  boost::json::error_code ec;
  boost::json::value doc =
      boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec, {}, po);
  if (ec) return 0;
  pathbridge::jsonld::Fuzz(doc, pathbridge::jsonld::ProcessingMode::kJsonLd11);
  if (size % 7 == 0) pathbridge::jsonld::Fuzz(doc, pathbridge::jsonld::ProcessingMode::kJsonLd10);
  return 0;
}
