// Small pugixml helpers for PESC transcripts: children by local name (PESC
// nests unqualified elements under a namespaced root, and some writers
// prefix them anyway), trimmed text, and how elements the model has no slot
// for travel in a record's extensions and back:
//   - a simple element (text only, no attributes, not repeated) is kept as
//     extensions["<prefix><Name>"] = its text;
//   - anything else as extensions["<prefix><Name>#xml"] = the elements'
//     XML, with the namespace declarations they use, so that e.g. OCAS
//     UserDefinedExtensions come back as they were.
// Children are written back in the XSD's sequence order (SortChildren), as
// schema validation requires.
//
// Thread-safety: pure functions.
#pragma once

#include <pugixml.hpp>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "standards/canonical/model.h"

namespace pathbridge::adapters::pesc_xml {

std::vector<pugi::xml_node> Children(pugi::xml_node node, std::string_view local);
pugi::xml_node Child(pugi::xml_node node, std::string_view local);
// The trimmed text of `node`'s first child named `local` ("" if none).
std::string Text(pugi::xml_node node, std::string_view local);
// The XPath of `node` from the root of its document, with [n] indexes.
std::string PathOf(pugi::xml_node node);

// Keeps `node`'s element children whose names are not in `mapped` (see above).
// `namespaces` are declarations in scope outside the parsed document.
void KeepUnmapped(pugi::xml_node node, const std::set<std::string, std::less<>>& mapped,
                  const std::string& prefix, const std::map<std::string, std::string>& namespaces,
                  canonical::Extensions* out);
// Appends to `node` the elements KeepUnmapped kept under `prefix` (keys with
// no further '/') whose names are in `allowed` (the element's XSD children),
// so that extensions from other formats ("edfi:..." members) never become
// elements.
void PutExtensions(pugi::xml_node node, const canonical::Extensions& ext, std::string_view prefix,
                   const std::vector<std::string_view>& allowed);
// Reorders `node`'s element children by the position of their names in
// `order` (stable; names not listed go last).
void SortChildren(pugi::xml_node node, const std::vector<std::string_view>& order);
// Appends <name>text</name> when `text` is not empty.
pugi::xml_node AddText(pugi::xml_node node, const char* name, std::string_view text);

}  // namespace pathbridge::adapters::pesc_xml
