#include "adapters/registry.h"

#include <algorithm>

#include <boost/json/array.hpp>

namespace pathbridge::adapters {
namespace {

boost::json::object CapabilitiesJson(const Capabilities& caps) {
  boost::json::object out;
  for (const auto& [type, paths] : caps.by_type()) {
    boost::json::array a;
    for (const auto& p : paths) a.emplace_back(p);
    out[type] = std::move(a);
  }
  return out;
}

}  // namespace

boost::json::object FormatJson(const Adapter& adapter) {
  boost::json::array media;
  for (const auto& m : adapter.media_types()) media.emplace_back(m);
  return {{"name", adapter.name()},
          {"description", adapter.description()},
          {"media_types", std::move(media)},
          {"reads", CapabilitiesJson(adapter.reads())},
          {"writes", CapabilitiesJson(adapter.writes())}};
}

const std::vector<const Adapter*>& AllAdapters() {
  // Never destroyed: adapters live for the program's lifetime, and stay
  // reachable for leak checkers, which run after static destructors.
  static const auto* kAdapters = new std::vector<const Adapter*>([] {
    // The built-in formats: one line each.
    std::unique_ptr<Adapter> made[] = {
        MakeOneRosterCsvAdapter(),
        MakeEdFiJsonAdapter(),
        MakeOneRosterJsonAdapter(),
        MakeSifXmlAdapter(),
        MakeEdFiXmlAdapter(),
        MakePescCollegeXmlAdapter(),
        MakePescHsXmlAdapter(),
        MakeCtdlAdapter(),
        MakeLerRsAdapter(),
        MakeOb3Adapter(),
        MakeClr2Adapter(),
    };
    std::vector<const Adapter*> out;
    for (auto& a : made) out.push_back(a.release());  // live for the program's lifetime
    std::sort(out.begin(), out.end(),
              [](const Adapter* x, const Adapter* y) { return x->name() < y->name(); });
    return out;
  }());
  return *kAdapters;
}

pathbridge::Result<const Adapter*> FindAdapter(std::string_view name) {
  std::string known;
  for (const Adapter* a : AllAdapters()) {
    if (a->name() == name) return a;
    known += (known.empty() ? "" : ", ") + std::string(a->name());
  }
  return NotFound("unknown format \"" + std::string(name) + "\" (known: " + known + ")");
}

}  // namespace pathbridge::adapters
