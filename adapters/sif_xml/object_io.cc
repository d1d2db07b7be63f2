#include "adapters/sif_xml/object_io.h"

namespace pathbridge::adapters::sif_xml {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return out;
    path.remove_prefix(slash + 1);
  }
}

pugi::xml_attribute Attribute(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_attribute a : node.attributes())
    if (LocalName(a.name()) == name) return a;
  return {};
}

void Walk(pugi::xml_node node, const std::vector<std::string_view>& segs, size_t i, bool all,
          std::string_view key_attr, const std::string& rel, std::vector<Found>* out) {
  std::string_view seg = segs[i];
  if (seg.starts_with('@')) {
    pugi::xml_attribute a = Attribute(node, seg.substr(1));
    if (a && *a.value() != '\0')
      out->push_back({{a.value(), ""}, ElementOffset(node), rel + (rel.empty() ? "" : "/") +
                                                                std::string(seg)});
    return;
  }
  bool star = seg.ends_with('*');
  std::string_view name = star ? seg.substr(0, seg.size() - 1) : seg;
  size_t index = 0;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element || LocalName(child.name()) != name) continue;
    ++index;
    std::string here = rel + (rel.empty() ? "" : "/") + std::string(name);
    if (star) here += "[" + std::to_string(index) + "]";
    if (i + 1 < segs.size()) {
      Walk(child, segs, i + 1, all, key_attr, here, out);
    } else if (*child.text().get() != '\0') {
      std::string_view key = key_attr.empty() ? "" : Attribute(child, key_attr).value();
      out->push_back({{child.text().get(), key}, ElementOffset(child), here});
    }
    if (!all && !out->empty()) return;
  }
}

}  // namespace

ptrdiff_t ElementOffset(pugi::xml_node element) {
  ptrdiff_t name = element.offset_debug();  // where its name starts, after the '<'
  return name > 0 ? name - 1 : 0;
}

std::string_view FirstElement(std::string_view path) {
  if (path.starts_with('@')) return {};
  std::string_view first = path.substr(0, path.find('/'));
  return first.ends_with('*') ? first.substr(0, first.size() - 1) : first;
}

std::vector<Found> Select(pugi::xml_node node, std::string_view path, std::string_view key_attr) {
  std::vector<Found> out;
  Walk(node, Split(path), 0, path.find('*') != std::string_view::npos, key_attr, "", &out);
  return out;
}

void Put(pugi::xml_node object, std::string_view path, const Value& v, std::string_view key_attr,
         const std::vector<std::array<std::string_view, 3>>& fixed) {
  std::vector<std::string_view> segs = Split(path);
  pugi::xml_node node = object;
  std::string prefix;
  for (size_t i = 0; i < segs.size(); ++i) {
    std::string_view seg = segs[i];
    if (seg.starts_with('@')) {
      std::string name(seg.substr(1));
      pugi::xml_attribute a = node.attribute(name.c_str());
      if (!a) a = node.append_attribute(name.c_str());
      a.set_value(std::string(v.text).c_str());
      return;
    }
    bool star = seg.ends_with('*');
    std::string name(star ? seg.substr(0, seg.size() - 1) : seg);
    prefix += (prefix.empty() ? "" : "/") + name;
    bool last = i + 1 == segs.size();
    pugi::xml_node child = star || last ? pugi::xml_node() : node.last_child();
    if (child && child.name() != name) child = {};
    if (!child) {
      child = node.append_child(name.c_str());
      for (const auto& [at, attr, value] : fixed)
        if (at == prefix) child.append_attribute(std::string(attr).c_str()) = std::string(value).c_str();
    }
    node = child;
  }
  node.text().set(std::string(v.text).c_str());
  if (!key_attr.empty()) node.append_attribute(std::string(key_attr).c_str()) =
        std::string(v.key).c_str();
}

bool XmlSafe(const canonical::Record& r) {
  using namespace canonical;
  bool ok = true;
  std::visit([&](const auto& rec) {
    using T = std::remove_cvref_t<decltype(rec)>;
    T::Fields(rec, [&](std::string_view, const auto& m) {
      auto check = [&](const std::string& s) {
        if (!ok) return;
        for (unsigned char c : s)
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            ok = false;
            return;
          }
      };
      using M = std::remove_cvref_t<decltype(m)>;
      if constexpr (std::is_same_v<M, std::string>) check(m);
      else if constexpr (std::is_same_v<M, std::vector<std::string>>) for (auto& s : m) check(s);
      else if constexpr (std::is_same_v<M, std::vector<Identifier>>)
        for (auto& i : m) check(i.system), check(i.value);
      else if constexpr (std::is_same_v<M, Extensions>)
        for (auto& [k, v] : m) check(k), check(v);
    });
  }, r);
  return ok;
}

}  // namespace pathbridge::adapters::sif_xml
