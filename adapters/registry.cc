#include "adapters/registry.h"

#include <algorithm>

namespace pathbridge::adapters {

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
