// Public entry points of standards/jsonld.h.
#include "standards/jsonld.h"

#include "standards/jsonld/arena.h"
#include "standards/jsonld/context_cache.h"
#include "standards/jsonld/processor.h"

namespace pathbridge::jsonld {

Result<boost::json::array> Expand(const boost::json::value& doc, const DocumentLoader& loader,
                                  const Options& options) {
  internal::Processor p(loader, options);
  return internal::ExpandDocument(p, doc, {});
}

Result<rdf::Dataset> ToRdf(const boost::json::value& doc, const DocumentLoader& loader,
                           const Options& options) {
  internal::Processor p(loader, options);
  internal::Arena arena;
  PB_ASSIGN_OR_RETURN(boost::json::array expanded,
                      internal::ExpandDocument(p, doc, arena.storage()));
  return internal::ToDataset(p, expanded, &arena);
}

namespace {
// Expanded input needs no contexts.
class NoLoader final : public DocumentLoader {
 public:
  Result<const boost::json::value*> Load(std::string_view url) const override {
    return NotFound("no loader for " + std::string(url));
  }
};
}  // namespace

Result<rdf::Dataset> ExpandedToRdf(const boost::json::array& expanded, const Options& options) {
  static const NoLoader kNoLoader;
  internal::Processor p(kNoLoader, options);
  internal::Arena arena;
  return internal::ToDataset(p, expanded, &arena);
}

std::string_view ErrorCode(const Status& status) {
  if (status.code() != Code::kInvalidArgument) return {};
  std::string_view m = status.message();
  return m.substr(0, m.find(':'));
}

ContextCacheStats GetContextCacheStats() { return internal::ContextCache::Global().Stats(); }

void ClearContextCache() { internal::ContextCache::Global().Clear(); }

}  // namespace pathbridge::jsonld
