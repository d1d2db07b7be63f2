// Reading and writing one SIF object (a pugixml element) through its field
// table (objects.h). Paths are matched by local name, so namespace prefixes
// do not matter.
//
// Thread-safety: pure functions.
#pragma once

#include <pugixml.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sif_xml/objects.h"
#include "adapters/sif_xml/xml_scanner.h"

namespace pathbridge::adapters::sif_xml {

// A value found at a field's path.
struct Found {
  Value value;  // views into the document searched
  ptrdiff_t offset = 0;  // of the element holding it, in the parsed buffer
  std::string rel;       // its XPath relative to the object ("Name/LastName", "Mark[2]/Letter")
};

// The non-empty values at `path` under `node`: every one if the path has a
// repeated ('*') step, else the first.
std::vector<Found> Select(pugi::xml_node node, std::string_view path, std::string_view key_attr);

// Writes one value at `path` under `object`, creating the elements on the
// way (reusing an existing non-repeated one), with `fixed` attributes.
void Put(pugi::xml_node object, std::string_view path, const Value& v, std::string_view key_attr,
         const std::vector<std::array<std::string_view, 3>>& fixed);

// Where `element`'s '<' is in the parsed buffer.
ptrdiff_t ElementOffset(pugi::xml_node element);

// False if a value of `r` holds a character XML 1.0 cannot carry (C0
// controls other than tab, LF, CR).
bool XmlSafe(const canonical::Record& r);

// The first element of a path ("Name/LastName" -> "Name", "@RefId" -> "").
std::string_view FirstElement(std::string_view path);

// Reports a value problem at (offset, rel) of the object.
using WarnAt = std::function<void(std::string msg, ptrdiff_t offset, const std::string& rel)>;

template <typename T>
void ReadObject(const ObjectSpec<T>& spec, pugi::xml_node node, T* out, const WarnAt& warn) {
  for (const Field<T>& f : spec.fields)
    for (const Found& found : Select(node, f.path, f.key_attr))
      f.read(*out, found.value,
             [&](std::string msg) { warn(std::move(msg), found.offset, found.rel); });
  if (spec.complete) spec.complete(*out);
}

// Calls put(field, value) for each value `r` has for `spec`'s fields, in
// the spec's order; stops at the first put that returns false.
template <typename T, typename PutFn>
bool ForEachValue(const ObjectSpec<T>& spec, const T& r, PutFn put) {
  static thread_local Values values;  // reused: no allocation per value
  for (const Field<T>& f : spec.fields) {
    if (f.read_only) continue;
    values.Clear();
    f.write(r, values);
    if (f.model == "extensions") {
      // Values kept under a field's path go back to that field's element.
      values.EraseIf([&](const Value& v) {
        return std::any_of(spec.fields.begin(), spec.fields.end(),
                           [&](const Field<T>& g) { return g.path == v.key; });
      });
    } else if (values.empty() && !r.extensions.empty()) {
      auto kept = r.extensions.find(std::string(f.path));
      if (kept != r.extensions.end()) values.Add(kept->second);
    }
    for (const Value& v : values)
      if (!put(f, v)) return false;
  }
  return true;
}

template <typename T>
void WriteObject(const ObjectSpec<T>& spec, const T& r, pugi::xml_node object) {
  ForEachValue(spec, r, [&](const Field<T>& f, const Value& v) {
    Put(object, f.path, v, f.key_attr, spec.fixed_attributes);
    return true;
  });
}

}  // namespace pathbridge::adapters::sif_xml
