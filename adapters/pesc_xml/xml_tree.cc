#include "adapters/pesc_xml/xml_tree.h"

#include <algorithm>
#include <sstream>

#include "adapters/sif_xml/xml_scanner.h"

namespace pathbridge::adapters::pesc_xml {

using sif_xml::LocalName;

std::vector<pugi::xml_node> Children(pugi::xml_node node, std::string_view local) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c : node.children())
    if (c.type() == pugi::node_element && LocalName(c.name()) == local) out.push_back(c);
  return out;
}

pugi::xml_node Child(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_node c : node.children())
    if (c.type() == pugi::node_element && LocalName(c.name()) == local) return c;
  return {};
}

namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

bool Simple(pugi::xml_node n) {
  if (n.first_attribute()) return false;
  for (pugi::xml_node c : n.children())
    if (c.type() != pugi::node_pcdata && c.type() != pugi::node_cdata) return false;
  return true;
}

// The prefixes `n` and its descendants use, for elements and attributes.
void UsedPrefixes(pugi::xml_node n, std::set<std::string>* out) {
  auto add = [&](std::string_view qname) {
    size_t colon = qname.find(':');
    if (colon != std::string_view::npos && qname.substr(0, colon) != "xmlns" &&
        qname.substr(0, colon) != "xml")
      out->insert(std::string(qname.substr(0, colon)));
  };
  add(n.name());
  for (pugi::xml_attribute a : n.attributes()) add(a.name());
  for (pugi::xml_node c : n.children())
    if (c.type() == pugi::node_element) UsedPrefixes(c, out);
}

// The namespace declared for `attr` ("xmlns" or "xmlns:p") in scope at `n`.
std::string Declared(pugi::xml_node n, const std::string& attr,
                     const std::map<std::string, std::string>& outside) {
  for (pugi::xml_node at = n; at && at.type() == pugi::node_element; at = at.parent())
    if (pugi::xml_attribute a = at.attribute(attr.c_str())) return a.value();
  auto it = outside.find(attr);
  return it == outside.end() ? std::string() : it->second;
}

// `n` printed alone, with the declarations of the prefixes it uses.
std::string OuterXml(pugi::xml_node n, const std::map<std::string, std::string>& namespaces) {
  pugi::xml_document doc;
  pugi::xml_node copy = doc.append_copy(n);
  std::set<std::string> prefixes;
  UsedPrefixes(n, &prefixes);
  for (const std::string& p : prefixes) {
    std::string attr = "xmlns:" + p;
    std::string uri = Declared(n, attr, namespaces);
    if (!uri.empty() && !copy.attribute(attr.c_str())) copy.append_attribute(attr.c_str()) = uri.c_str();
  }
  std::ostringstream out;
  doc.print(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return out.str();
}

}  // namespace

std::string Text(pugi::xml_node node, std::string_view local) {
  pugi::xml_node c = Child(node, local);
  return c ? Trim(c.text().get()) : std::string();
}

std::string PathOf(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    std::string_view local = LocalName(n.name());
    std::string step = "/" + std::string(local);
    if (n.parent().type() == pugi::node_element) {
      size_t index = 1;
      for (pugi::xml_node s = n.previous_sibling(); s; s = s.previous_sibling())
        if (s.type() == pugi::node_element && LocalName(s.name()) == local) ++index;
      step += "[" + std::to_string(index) + "]";
    }
    out = step + out;
  }
  return out;
}

void KeepUnmapped(pugi::xml_node node, const std::set<std::string, std::less<>>& mapped,
                  const std::string& prefix, const std::map<std::string, std::string>& namespaces,
                  canonical::Extensions* out) {
  std::map<std::string, std::vector<pugi::xml_node>> unmapped;
  for (pugi::xml_node c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string local(LocalName(c.name()));
    if (!mapped.count(local)) unmapped[local].push_back(c);
  }
  for (const auto& [name, nodes] : unmapped) {
    if (nodes.size() == 1 && Simple(nodes[0])) {
      std::string text = Trim(nodes[0].text().get());
      if (!text.empty()) (*out)[prefix + name] = text;
      continue;
    }
    std::string xml;
    for (pugi::xml_node n : nodes) xml += OuterXml(n, namespaces);
    (*out)[prefix + name + "#xml"] = xml;
  }
}

void PutExtensions(pugi::xml_node node, const canonical::Extensions& ext, std::string_view prefix,
                   const std::vector<std::string_view>& allowed) {
  for (auto it = ext.lower_bound(std::string(prefix)); it != ext.end(); ++it) {
    std::string_view key = it->first;
    if (!key.starts_with(prefix)) break;
    key.remove_prefix(prefix.size());
    bool xml = key.ends_with("#xml");
    std::string_view name = xml ? key.substr(0, key.size() - 4) : key;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) continue;
    if (xml) {
      pugi::xml_document fragment;
      if (!fragment.load_buffer(it->second.data(), it->second.size(),
                                pugi::parse_default | pugi::parse_fragment, pugi::encoding_utf8))
        continue;  // not XML after all (edited elsewhere): nothing sensible to write
      for (pugi::xml_node c : fragment.children())
        if (c.type() == pugi::node_element && sif_xml::LocalName(c.name()) == name) node.append_copy(c);
    } else {
      node.append_child(std::string(name).c_str()).text() = it->second.c_str();
    }
  }
}

void SortChildren(pugi::xml_node node, const std::vector<std::string_view>& order) {
  auto rank = [&](pugi::xml_node n) {
    auto it = std::find(order.begin(), order.end(), LocalName(n.name()));
    return static_cast<size_t>(it - order.begin());
  };
  std::vector<pugi::xml_node> kids;
  for (pugi::xml_node c : node.children())
    if (c.type() == pugi::node_element) kids.push_back(c);
  std::stable_sort(kids.begin(), kids.end(),
                   [&](pugi::xml_node a, pugi::xml_node b) { return rank(a) < rank(b); });
  for (pugi::xml_node c : kids) node.append_move(c);
}

pugi::xml_node AddText(pugi::xml_node node, const char* name, std::string_view text) {
  if (text.empty()) return {};
  pugi::xml_node c = node.append_child(name);
  c.text() = std::string(text).c_str();
  return c;
}

}  // namespace pathbridge::adapters::pesc_xml
