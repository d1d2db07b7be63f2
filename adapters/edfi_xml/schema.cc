#include "adapters/edfi_xml/schema.h"

#include <charconv>
#include <cmath>
#include <memory>

#include <boost/json/serialize.hpp>

#include "adapters/sif_xml/xml_scanner.h"
#include "standards/json.h"

namespace pathbridge::adapters::edfi_xml {
namespace {

namespace bj = boost::json;
using Kind = Node::Kind;
using sif_xml::LocalName;

Kind KindOf(std::string_view k) {
  switch (k.empty() ? 's' : k[0]) {
    case 'n': return Kind::kNumber;
    case 'b': return Kind::kBool;
    case 'd': return Kind::kDescriptor;
    case 'y': return Kind::kSchoolYear;
    case 'o': return Kind::kObject;
    case 'g': return Kind::kGroup;
    default: return Kind::kText;
  }
}

// Parses the generated text: "<indent><xml> <json|=> <kind>[*] [item]".
std::vector<Node> ParseSchema(std::string_view text) {
  std::vector<Node> roots;
  std::vector<Node*> stack;  // stack[d]: the last node at depth d
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? "" : text.substr(nl + 1);
    size_t depth = line.find_first_not_of(' ');
    std::vector<std::string_view> f;
    for (size_t i = depth; i < line.size();) {
      size_t sp = line.find(' ', i);
      f.push_back(line.substr(i, sp - i));
      i = sp == std::string_view::npos ? line.size() : sp + 1;
    }
    Node n{std::string(f[0]), f[1] == "=" ? "" : std::string(f[1]), KindOf(f[2]),
           f[2].size() > 1 && f[2][1] == '*', f.size() > 3 ? std::string(f[3]) : "", {}};
    std::vector<Node>& siblings = depth == 0 ? roots : stack[depth - 1]->children;
    siblings.push_back(std::move(n));
    stack.resize(depth + 1);
    stack[depth] = &siblings.back();
  }
  return roots;
}

const std::vector<Node>& Entities() {
  static const auto* kRoots = new std::vector<Node>(ParseSchema(SchemaText()));
  return *kRoots;
}

std::string Camel(std::string_view s) {
  std::string out(s);
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

std::string_view Trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return {};
  return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

// A repeated object whose only child has its XML name: the API wraps each
// item's content in a member ("classPeriods": [{"classPeriodReference": {}}]),
// or, for a school year, holds it in a reference object.
const Node* Wrapped(const Node& n) {
  return n.children.size() == 1 && n.children[0].xml == n.xml ? &n.children[0] : nullptr;
}

bj::value LeafValue(Kind kind, std::string_view raw) {
  std::string_view s = kind == Kind::kText ? raw : Trim(raw);
  if (kind == Kind::kNumber) {
    int64_t i = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return i;
    double d = 0;
    auto [q, ec2] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec2 == std::errc() && q == s.data() + s.size() && !s.empty() && std::isfinite(d)) return d;
  } else if (kind == Kind::kBool) {
    if (s == "true" || s == "1") return true;
    if (s == "false" || s == "0") return false;
  } else if (kind == Kind::kSchoolYear) {
    // "2021-2022" is the API's school year 2022.
    std::string_view end = s.size() == 9 && s[4] == '-' ? s.substr(5) : s;
    int64_t y = 0;
    auto [p, ec] = std::from_chars(end.data(), end.data() + end.size(), y);
    if (ec == std::errc() && p == end.data() + end.size() && !end.empty()) return y;
  }
  return bj::string(s);
}

void Put(bj::object& out, std::string_view member, bj::value v, bool repeated) {
  if (!repeated) {
    out[member] = std::move(v);
    return;
  }
  bj::value& a = out[member];
  if (!a.is_array()) a = bj::array();
  a.as_array().push_back(std::move(v));
}

// Elements the tree does not know: camelCase members, text leaves, repeated
// names as arrays.
bj::value Generic(const pugi::xml_node& x) {
  if (!x.find_child([](const pugi::xml_node& c) { return c.type() == pugi::node_element; }))
    return bj::string(x.text().get());
  bj::object o;
  for (const pugi::xml_node& c : x.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string m = Camel(LocalName(c.name()));
    if (bj::value* old = o.if_contains(m)) {
      if (!old->is_array()) *old = bj::array{*old};
      old->as_array().push_back(Generic(c));
    } else {
      o[m] = Generic(c);
    }
  }
  return o;
}

struct Reader {
  const RefResolver& refs;
  size_t* error_offset;
  std::string error;

  // Copies the members a reference's identity names from the referenced
  // element.
  void FillFromRef(const Node& n, const bj::object& target, bj::object& out) {
    for (const Node& c : n.children) {
      if (c.kind == Kind::kGroup) FillFromRef(c, target, out);
      else if (const bj::value* v = target.if_contains(c.json); v && c.kind != Kind::kObject)
        // As the identity element would read (a generically read target has text).
        out[c.json] = v->is_string() ? LeafValue(c.kind, v->as_string()) : *v;
    }
  }

  bool Read(const Node& n, const pugi::xml_node& x, bj::object& out) {
    if (pugi::xml_attribute ref = x.attribute("ref")) {
      const bj::object* target = refs ? refs(ref.value()) : nullptr;
      if (target == nullptr) {
        error = "unknown reference: no element has id \"" + std::string(ref.value()) + "\"";
        *error_offset = static_cast<size_t>(x.offset_debug() - 1);  // the name's '<'
        return false;
      }
      FillFromRef(n, *target, out);
    }
    for (const pugi::xml_node& c : x.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string_view name = LocalName(c.name());
      const Node* s = nullptr;
      for (const Node& k : n.children)
        if (k.xml == name) s = &k;
      if (s == nullptr) {
        Put(out, Camel(name), Generic(c), out.contains(Camel(name)));
        continue;
      }
      if (!ReadChild(*s, c, out)) return false;
    }
    return true;
  }

  bool ReadChild(const Node& s, const pugi::xml_node& c, bj::object& out) {
    if (s.kind == Kind::kGroup) return Read(s, c, out);
    if (s.kind != Kind::kObject) {
      bj::value v = LeafValue(s.kind, c.text().get());
      if (s.repeated && !s.item.empty()) v = bj::object{{s.item, std::move(v)}};
      Put(out, s.json, std::move(v), s.repeated);
      return true;
    }
    bj::object sub;
    if (const Node* inner = Wrapped(s)) {
      if (!ReadChild(*inner, c, sub)) return false;
    } else if (!Read(s, c, sub)) {
      return false;
    }
    Put(out, s.json, std::move(sub), s.repeated);
    return true;
  }
};

void Escape(std::string_view s, std::string& out) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\r': out += "&#13;"; break;
      default: out += c;
    }
  }
}

// The text of a leaf value; false if it is not a scalar.
bool LeafText(Kind kind, const bj::value& v, std::string& out) {
  if (v.is_string()) out = v.as_string();
  else if (v.is_bool()) out = v.as_bool() ? "true" : "false";
  else if (v.is_int64() && kind == Kind::kSchoolYear)
    out = std::to_string(v.as_int64() - 1) + "-" + std::to_string(v.as_int64());
  else if (v.is_number()) out = bj::serialize(v);
  else return false;
  return true;
}

// Whether leaf value `v` comes back the same through XML text: as text
// pugixml keeps (no whitespace-only text, no control characters XML 1.0
// cannot hold) that reads back as the same JSON value.
bool LeafFits(Kind kind, const bj::value& v) {
  std::string text;
  if (!LeafText(kind, v, text)) return false;
  if (!text.empty() && Trim(text).empty()) return false;
  for (unsigned char c : text)
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
  return LeafValue(kind, text) == v;
}

// Whether `n`'s subtree (through groups) has a member of `o`.
bool HasAny(const Node& n, const bj::object& o) {
  for (const Node& c : n.children)
    if (c.kind == Kind::kGroup ? HasAny(c, o) : o.contains(c.json)) return true;
  return false;
}

// The member names `n` places in its object (through groups).
void Names(const Node& n, std::vector<std::string_view>& out) {
  for (const Node& c : n.children) {
    if (c.kind == Kind::kGroup) Names(c, out);
    else out.push_back(c.json);
  }
}

bool FitsObject(const Node& n, const bj::object& o);

// Whether value `v` of member node `s` can be written as XML in full.
bool Fits(const Node& s, const bj::value& v) {
  auto one = [&](const bj::value& x) {
    if (s.kind == Kind::kObject) {
      const Node* inner = Wrapped(s);
      if (inner == nullptr) return x.is_object() && FitsObject(s, x.as_object());
      const bj::value* w = x.is_object() && x.as_object().size() == 1
                               ? x.as_object().if_contains(inner->json) : nullptr;
      return w != nullptr && Fits(*inner, *w);
    }
    if (s.repeated && !s.item.empty()) {
      const bj::value* d = x.is_object() && x.as_object().size() == 1
                               ? x.as_object().if_contains(s.item) : nullptr;
      return d != nullptr && LeafFits(s.kind, *d);
    }
    return LeafFits(s.kind, x);
  };
  if (!s.repeated) return one(v);
  // An empty array would not come back.
  if (!v.is_array() || v.as_array().empty()) return false;
  for (const bj::value& x : v.as_array())
    if (!one(x)) return false;
  return true;
}

const Node* MemberNode(const Node& n, std::string_view member) {
  for (const Node& c : n.children) {
    if (c.kind == Kind::kGroup) {
      if (const Node* m = MemberNode(c, member)) return m;
    } else if (c.json == member) {
      return &c;
    }
  }
  return nullptr;
}

bool FitsObject(const Node& n, const bj::object& o) {
  for (const auto& kv : o) {
    const Node* s = MemberNode(n, kv.key());
    if (s == nullptr || !Fits(*s, kv.value())) return false;
  }
  return true;
}

void WriteObject(const Node& n, const bj::object& o, std::string& out);

void WriteOne(const Node& s, const bj::value& x, std::string& out) {
  out += "<" + s.xml + ">";
  if (s.kind == Kind::kObject) {
    const Node* inner = Wrapped(s);
    if (inner == nullptr) {
      WriteObject(s, x.as_object(), out);
    } else {
      const bj::value& w = x.as_object().at(inner->json);
      if (inner->kind == Kind::kObject) WriteObject(*inner, w.as_object(), out);
      else {
        std::string text;
        LeafText(inner->kind, w, text);
        Escape(text, out);
      }
    }
  } else {
    std::string text;
    LeafText(s.kind, s.repeated && !s.item.empty() ? x.as_object().at(s.item) : x, text);
    Escape(text, out);
  }
  out += "</" + s.xml + ">";
}

// Writes the members of `o` that `n` places, in XSD order; the caller has
// checked that they fit.
void WriteObject(const Node& n, const bj::object& o, std::string& out) {
  for (const Node& c : n.children) {
    if (c.kind == Kind::kGroup) {
      if (!HasAny(c, o)) continue;
      out += "<" + c.xml + ">";
      WriteObject(c, o, out);
      out += "</" + c.xml + ">";
      continue;
    }
    const bj::value* v = o.if_contains(c.json);
    if (v == nullptr) continue;
    if (c.repeated)
      for (const bj::value& x : v->as_array()) WriteOne(c, x, out);
    else
      WriteOne(c, *v, out);
  }
}

}  // namespace

const Node* EntityByElement(std::string_view xml) {
  for (const Node& n : Entities())
    if (n.xml == xml) return &n;
  return nullptr;
}

const Node* EntityByResource(std::string_view resource) {
  for (const Node& n : Entities())
    if (n.json == resource) return &n;
  return nullptr;
}

pathbridge::Result<bj::object> ToJson(const Node& entity, const pugi::xml_node& e,
                                      const RefResolver& refs, size_t* error_offset) {
  Reader r{refs, error_offset, {}};
  bj::object out;
  if (!r.Read(entity, e, out)) return InvalidArgument(r.error);
  for (const pugi::xml_node& c : e.children()) {
    if (c.type() != pugi::node_pi || std::string_view(c.name()) != "pathbridge") continue;
    auto parsed = json::Parse(c.value());
    if (!parsed.ok() || !parsed->is_object()) {
      *error_offset = static_cast<size_t>(c.offset_debug() - 2);  // "<?"
      return InvalidArgument("the pathbridge processing instruction is not a JSON object");
    }
    for (const auto& kv : parsed->as_object()) out[kv.key()] = kv.value();
  }
  return out;
}

bj::value GenericJson(const pugi::xml_node& x) { return Generic(x); }

bj::object FlattenForRefs(const bj::object& o) {
  bj::object out;
  for (const auto& kv : o) {
    if (kv.value().is_object()) {
      for (const auto& inner : kv.value().as_object())
        if (!inner.value().is_object() && !inner.value().is_array()) out[inner.key()] = inner.value();
    } else if (!kv.value().is_array()) {
      out[kv.key()] = kv.value();
    }
  }
  return out;
}

std::string ToXml(const Node& entity, const bj::object& o) {
  bj::object placed, rest;
  for (const auto& kv : o) {
    const Node* s = MemberNode(entity, kv.key());
    (s != nullptr && Fits(*s, kv.value()) ? placed : rest)[kv.key()] = kv.value();
  }
  std::string out = "<" + entity.xml + ">";
  WriteObject(entity, placed, out);
  if (!rest.empty()) {
    std::string text = bj::serialize(rest);
    // "?>" can only occur inside a JSON string, where ">" may be escaped.
    for (size_t p = 0; (p = text.find("?>", p)) != std::string::npos;) text.replace(p + 1, 1, "\\u003e");
    out += "<?pathbridge " + text + "?>";
  }
  out += "</" + entity.xml + ">";
  return out;
}

}  // namespace pathbridge::adapters::edfi_xml
