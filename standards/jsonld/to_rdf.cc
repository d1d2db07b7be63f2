// Node Map Generation (JSON-LD 1.1 API §7.2) and Deserialize JSON-LD to RDF
// (§8.1), with Object to RDF Conversion and List Conversion.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <memory_resource>
#include <utility>

#include "standards/jcs.h"
#include "standards/jsonld/iri.h"
#include "standards/jsonld/processor.h"

namespace pathbridge::jsonld::internal {
namespace {

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";

std::string RdfIri(std::string_view local) { return std::string(kRdf) + std::string(local); }
std::string XsdIri(std::string_view local) { return std::string(kXsd) + std::string(local); }

// Issues _:b0, _:b1... and remembers what each input label became. Labels
// stay put for the issuer's lifetime (the node map refers to them).
class BlankNodeIssuer {
 public:
  std::string_view Issue(std::string_view existing = {}) {
    if (!existing.empty()) {
      auto it = issued_.find(existing);
      if (it != issued_.end()) return it->second;
    }
    std::string_view label = labels_.emplace_back("_:b" + std::to_string(labels_.size()));
    if (!existing.empty()) issued_.emplace(std::string(existing), label);
    return label;
  }

 private:
  std::deque<std::string> labels_;
  std::map<std::string, std::string_view, std::less<>> issued_;
};

// A property value in the node map: a value object of the expanded form, a
// reference to a node, or a list (of items). Strings are views of the
// expanded form or of issued labels, which outlive the node map.
struct Item {
  enum class Kind : uint8_t { kValue, kRef, kList } kind;
  const json::object* value = nullptr;  // kValue
  std::string_view id;                  // kRef
  size_t list = 0;                      // kList: index in NodeMap::lists

  static Item Value(const json::object* v) { return {Kind::kValue, v, {}, 0}; }
  static Item Ref(std::string_view node) { return {Kind::kRef, nullptr, node, 0}; }
  static Item List(size_t index) { return {Kind::kList, nullptr, {}, index}; }

  // What makes a value a duplicate (lists never are).
  bool operator==(const Item& o) const {
    if (kind != o.kind || kind == Kind::kList) return false;
    return kind == Kind::kRef ? id == o.id : *value == *o.value;
  }
};

using Items = std::pmr::vector<Item>;

// The node map lives in the call's arena (standards/jsonld/arena.h).
struct Node {
  explicit Node(std::pmr::memory_resource* arena) : types(arena), properties(arena) {}
  std::pmr::vector<std::string_view> types;
  std::pmr::map<std::string_view, Items> properties;  // in quad order
  const json::value* index = nullptr;
};
using Graph = std::pmr::map<std::string_view, Node>;  // subject -> node, in quad order

struct NodeMap {
  explicit NodeMap(std::pmr::memory_resource* arena) : graphs(arena), lists(arena) {}
  std::pmr::map<std::string_view, Graph> graphs;  // by name; "@default" first
  std::pmr::deque<Items> lists;                   // stays put while growing
};

// What a value hangs off: nothing (top level, @graph, @included), a node's
// property (whose values are `values`), or, for @reverse, a property of the
// value's own node that points back at node `id`.
struct Subject {
  enum class Kind { kNone, kId, kReverse } kind = Kind::kNone;
  std::string_view id;
  std::string_view property;
  Items* values = nullptr;  // kId
};

class NodeMapper {
 public:
  NodeMapper(Processor& p, BlankNodeIssuer& issuer, std::pmr::memory_resource* arena)
      : p_(p), issuer_(issuer), arena_(arena), map_(arena) {}
  const NodeMap& map() const { return map_; }

  // Node map generation for the whole expanded document.
  Status Run(const json::array& expanded);

 private:
  template <typename T>
  Status AddUnique(std::pmr::vector<T>& values, T v, const Path& at);
  Node& NodeOf(Graph& graph, std::string_view id) {
    return graph.try_emplace(id, arena_).first->second;
  }
  Status Generate(const json::value& element, Graph& graph, const Subject& subject,
                  Items* list, const Path& at, size_t depth);
  Status GenerateNode(const json::object& element, Graph& graph, const Subject& subject,
                      Items* list, const Path& at, size_t depth);
  Status GenerateProperties(const json::object& element, Graph& graph, std::string_view id,
                            Node& node, const Path& at, size_t depth);

  Processor& p_;
  BlankNodeIssuer& issuer_;
  std::pmr::memory_resource* arena_;
  NodeMap map_;
};

Status NodeMapper::Run(const json::array& expanded) {
  const Path root;
  Graph& graph = map_.graphs["@default"];
  for (size_t i = 0; i < expanded.size(); ++i)
    PB_RETURN_IF_ERROR(Generate(expanded[i], graph, Subject{}, nullptr, root.Index(i), 1));
  return Status::Ok();
}

template <typename T>
Status NodeMapper::AddUnique(std::pmr::vector<T>& values, T v, const Path& at) {
  PB_RETURN_IF_ERROR(p_.Spend(1 + values.size() / 8, at));
  if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(std::move(v));
  return Status::Ok();
}

Status NodeMapper::Generate(const json::value& element, Graph& graph, const Subject& subject,
                            Items* list, const Path& at, size_t depth) {
  PB_RETURN_IF_ERROR(p_.CheckDepth(depth, at));
  PB_RETURN_IF_ERROR(p_.Spend(1, at));
  if (const json::array* arr = element.if_array()) {
    for (size_t i = 0; i < arr->size(); ++i)
      PB_RETURN_IF_ERROR(Generate((*arr)[i], graph, subject, list, at.Index(i), depth + 1));
    return Status::Ok();
  }
  const json::object* obj = element.if_object();
  if (!obj) return Status::Ok();  // expanded output holds only maps here
  if (obj->contains("@value")) {
    Item item = Item::Value(obj);
    if (list) {
      list->push_back(item);
    } else if (subject.values) {
      PB_RETURN_IF_ERROR(AddUnique(*subject.values, item, at));
    }
    return Status::Ok();
  }
  if (const json::value* items = obj->if_contains("@list")) {
    Item item = Item::List(map_.lists.size());
    Items& result = map_.lists.emplace_back();
    PB_RETURN_IF_ERROR(Generate(*items, graph, subject, &result, at.Key("@list"), depth + 1));
    if (list) {
      list->push_back(item);
    } else if (subject.values) {
      subject.values->push_back(item);
    }
    return Status::Ok();
  }
  return GenerateNode(*obj, graph, subject, list, at, depth);
}

Status NodeMapper::GenerateNode(const json::object& element, Graph& graph,
                                const Subject& subject, Items* list, const Path& at,
                                size_t depth) {
  std::string_view id;  // stays "" for @id: null (an ignored "@..." value): never reaches RDF
  const json::value* given = element.if_contains("@id");
  if (given && given->is_string()) {
    id = IsBlankNode(given->as_string()) ? issuer_.Issue(given->as_string())
                                         : std::string_view(given->as_string());
  } else if (!given) {
    id = issuer_.Issue();
  }
  Node& node = NodeOf(graph, id);
  if (subject.kind == Subject::Kind::kReverse) {
    PB_RETURN_IF_ERROR(AddUnique(node.properties[subject.property], Item::Ref(subject.id), at));
  } else if (subject.kind == Subject::Kind::kId) {
    if (list) {
      list->push_back(Item::Ref(id));
    } else {
      PB_RETURN_IF_ERROR(AddUnique(*subject.values, Item::Ref(id), at));
    }
  }
  if (const json::value* types = element.if_contains("@type")) {
    auto add = [&](const json::value& t) -> Status {
      if (!t.is_string()) return Status::Ok();
      std::string_view type = t.as_string();
      return AddUnique(node.types, IsBlankNode(type) ? issuer_.Issue(type) : type, at);
    };
    if (const json::array* arr = types->if_array()) {
      for (const auto& t : *arr) PB_RETURN_IF_ERROR(add(t));
    } else {
      PB_RETURN_IF_ERROR(add(*types));
    }
  }
  if (const json::value* index = element.if_contains("@index")) {
    if (node.index && *node.index != *index)
      return JsonLdError("conflicting indexes", "a node has two @index values", at);
    node.index = index;
  }
  if (const json::value* rev = element.if_contains("@reverse"); rev && rev->is_object()) {
    for (const auto& kv : rev->as_object()) {
      Subject referenced{Subject::Kind::kReverse, id, kv.key()};
      PB_RETURN_IF_ERROR(Generate(kv.value(), graph, referenced, nullptr,
                                  at.Key("@reverse").Key(kv.key()), depth + 1));
    }
  }
  if (const json::value* inner = element.if_contains("@graph"))
    PB_RETURN_IF_ERROR(Generate(*inner, map_.graphs[id], Subject{}, nullptr, at.Key("@graph"),
                                depth + 1));
  if (const json::value* inc = element.if_contains("@included"))
    PB_RETURN_IF_ERROR(Generate(*inc, graph, Subject{}, nullptr, at.Key("@included"), depth + 1));
  return GenerateProperties(element, graph, id, node, at, depth);
}

// The node's own properties, in key order (blank node labels are issued in
// document order, and that is the order).
Status NodeMapper::GenerateProperties(const json::object& element, Graph& graph,
                                      std::string_view id, Node& node, const Path& at,
                                      size_t depth) {
  std::vector<const json::key_value_pair*> props;
  for (const auto& kv : element)
    if (!IsKeyword(kv.key())) props.push_back(&kv);
  std::sort(props.begin(), props.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
  for (const auto* kv : props) {
    std::string_view prop = kv->key();
    if (IsBlankNode(prop)) prop = issuer_.Issue(prop);
    Subject subject{Subject::Kind::kId, id, prop, &node.properties[prop]};
    PB_RETURN_IF_ERROR(Generate(kv->value(), graph, subject, nullptr, at.Key(kv->key()),
                                depth + 1));
  }
  return Status::Ok();
}

// xsd:double canonical form: one digit before the point, at least one after,
// no exponent sign or leading zeros ("1.1E0", "5.0E-1").
std::string DoubleLexical(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15E", d);
  std::string s(buf);
  size_t e = s.find('E');
  std::string mantissa = s.substr(0, e);
  int exponent = std::atoi(s.c_str() + e + 1);
  while (mantissa.size() > 1 && mantissa.back() == '0' && mantissa[mantissa.size() - 2] != '.')
    mantissa.pop_back();
  return mantissa + "E" + std::to_string(exponent);
}

// A double holding an integer below 1e21, written out in full ("%.0f" is
// exact for these).
std::string IntegralDoubleLexical(double d) {
  if (d == 0) return "0";  // also -0
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", d);
  return buf;
}

// xsd:double form for non-integers, huge values and xsd:double-typed
// values; xsd:integer form otherwise. Fills in the default datatype.
std::string NumberLexical(const json::value& value, std::string& datatype) {
  double d = value.to_number<double>();
  bool as_double = (value.is_double() && (std::trunc(d) != d || std::fabs(d) >= 1e21)) ||
                   datatype == XsdIri("double");
  if (as_double) {
    if (datatype.empty()) datatype = XsdIri("double");
    return DoubleLexical(d);
  }
  if (datatype.empty()) datatype = XsdIri("integer");
  if (value.is_int64()) return std::to_string(value.as_int64());
  if (value.is_uint64()) return std::to_string(value.as_uint64());
  return IntegralDoubleLexical(d);
}

// The RDF side: turns node map entries into quads.
class Serializer {
 public:
  Serializer(Processor& p, BlankNodeIssuer& issuer, const NodeMap& map)
      : p_(p), issuer_(issuer), map_(map) {}
  Status Graph(std::string_view name, const internal::Graph& graph, rdf::Dataset& out);

 private:
  Status Node(const rdf::Term& s, const internal::Node& node, const rdf::Term& g,
              rdf::Dataset& out);
  std::optional<rdf::Term> Object(const Item& item, std::vector<rdf::Quad>& extra);
  std::optional<rdf::Term> Literal(const json::object& item, std::vector<rdf::Quad>& extra);
  rdf::Term List(const Items& items, std::vector<rdf::Quad>& extra);
  rdf::Term Directional(const std::string& lexical, const std::string& language,
                        std::string_view dir, std::vector<rdf::Quad>& extra);
  static std::optional<rdf::Term> Resource(std::string_view id);

  Processor& p_;
  BlankNodeIssuer& issuer_;
  const NodeMap& map_;
  const rdf::Term rdf_type_ = rdf::Term::Iri(RdfIri("type"));
};

std::optional<rdf::Term> Serializer::Resource(std::string_view id) {
  if (IsBlankNode(id)) {
    if (!IsWellFormedBlankNode(id)) return std::nullopt;
    return rdf::Term::Blank(std::string(id.substr(2)));
  }
  if (!IsWellFormedIri(id)) return std::nullopt;
  return rdf::Term::Iri(std::string(id));
}

// Appends a quad, copying the terms shared with other quads.
void Emit(rdf::Dataset& out, const rdf::Term& s, const rdf::Term& p, rdf::Term o,
          const rdf::Term& g) {
  rdf::Quad& q = out.emplace_back();
  q.subject = s;
  q.predicate = p;
  q.object = std::move(o);
  q.graph = g;
}

Status Serializer::Graph(std::string_view name, const internal::Graph& graph,
                         rdf::Dataset& out) {
  rdf::Term g = rdf::Term::DefaultGraph();
  if (name != "@default") {
    auto t = Resource(name);
    if (!t) return Status::Ok();
    g = *t;
  }
  for (const auto& [subject, node] : graph) {
    if (auto s = Resource(subject)) PB_RETURN_IF_ERROR(Node(*s, node, g, out));
  }
  return Status::Ok();
}

// The node's quads: rdf:type first ("@type" sorts before any property IRI),
// then property by property.
Status Serializer::Node(const rdf::Term& s, const internal::Node& node, const rdf::Term& g,
                        rdf::Dataset& out) {
  for (std::string_view t : node.types)
    if (auto o = Resource(t)) Emit(out, s, rdf_type_, std::move(*o), g);
  const bool generalized = p_.options().produce_generalized_rdf;
  for (const auto& [property, values] : node.properties) {
    if (IsKeyword(property)) continue;
    if (IsBlankNode(property) && !generalized) continue;
    auto p = Resource(property);
    if (!p) continue;
    for (const Item& item : values) {
      PB_RETURN_IF_ERROR(p_.Spend(1, Path()));
      std::vector<rdf::Quad> extra;
      if (auto o = Object(item, extra)) Emit(out, s, *p, std::move(*o), g);
      for (auto& q : extra) {
        q.graph = g;
        out.push_back(std::move(q));
      }
    }
  }
  return Status::Ok();
}

std::optional<rdf::Term> Serializer::Object(const Item& item, std::vector<rdf::Quad>& extra) {
  switch (item.kind) {
    case Item::Kind::kList:
      return List(map_.lists[item.list], extra);
    case Item::Kind::kValue:
      return Literal(*item.value, extra);
    case Item::Kind::kRef:
      break;
  }
  return Resource(item.id);
}

std::optional<rdf::Term> Serializer::Literal(const json::object& item,
                                             std::vector<rdf::Quad>& extra) {
  const json::value& value = item.at("@value");
  std::string datatype;
  if (const json::value* t = item.if_contains("@type"); t && t->is_string())
    datatype = std::string(t->as_string());
  if (!datatype.empty() && datatype != "@json" && !IsWellFormedIri(datatype)) return std::nullopt;
  std::string language;
  if (const json::value* l = item.if_contains("@language"); l && l->is_string()) {
    if (!IsWellFormedLanguage(l->as_string())) return std::nullopt;
    language = std::string(l->as_string());
  }
  std::string lexical;
  if (datatype == "@json") {
    auto canonical = jcs::Canonicalize(value);  // JSON-LD 1.1 §8.6: the JCS form
    if (!canonical.ok()) return std::nullopt;
    lexical = std::move(*canonical);
    datatype = RdfIri("JSON");
  } else if (value.is_bool()) {
    lexical = value.as_bool() ? "true" : "false";
    if (datatype.empty()) datatype = XsdIri("boolean");
  } else if (value.is_number()) {
    lexical = NumberLexical(value, datatype);
  } else if (value.is_string()) {
    lexical = std::string(value.as_string());
    if (datatype.empty())
      datatype = language.empty() ? std::string(rdf::kXsdString) : std::string(rdf::kRdfLangString);
  } else {
    return std::nullopt;
  }
  const json::value* dir = item.if_contains("@direction");
  if (dir && dir->is_string() && p_.options().rdf_direction != RdfDirection::kNone)
    return Directional(lexical, language, dir->as_string(), extra);
  return rdf::Term::Literal(std::move(lexical), std::move(datatype), std::move(language));
}

// A string with a base direction, as the rdfDirection option asks: an
// i18n datatype, or a compound literal node with rdf:value/language/direction.
rdf::Term Serializer::Directional(const std::string& lexical, const std::string& language,
                                  std::string_view dir, std::vector<rdf::Quad>& extra) {
  if (p_.options().rdf_direction == RdfDirection::kI18nDatatype)
    return rdf::Term::Literal(lexical, "https://www.w3.org/ns/i18n#" + AsciiLower(language) + "_" +
                                           std::string(dir));
  auto str = [](std::string v) { return rdf::Term::Literal(std::move(v), std::string(rdf::kXsdString)); };
  rdf::Term b = rdf::Term::Blank(std::string(issuer_.Issue().substr(2)));
  extra.push_back({b, rdf::Term::Iri(RdfIri("value")), str(lexical), {}});
  if (!language.empty())
    extra.push_back({b, rdf::Term::Iri(RdfIri("language")), str(AsciiLower(language)), {}});
  extra.push_back({b, rdf::Term::Iri(RdfIri("direction")), str(std::string(dir)), {}});
  return b;
}

rdf::Term Serializer::List(const Items& items, std::vector<rdf::Quad>& extra) {
  if (items.empty()) return rdf::Term::Iri(RdfIri("nil"));
  std::vector<rdf::Term> nodes;
  for (size_t i = 0; i < items.size(); ++i)
    nodes.push_back(rdf::Term::Blank(std::string(issuer_.Issue().substr(2))));
  for (size_t i = 0; i < items.size(); ++i) {
    std::vector<rdf::Quad> embedded;
    if (auto o = Object(items[i], embedded))
      extra.push_back({nodes[i], rdf::Term::Iri(RdfIri("first")), *o, {}});
    rdf::Term rest = i + 1 < items.size() ? nodes[i + 1] : rdf::Term::Iri(RdfIri("nil"));
    extra.push_back({nodes[i], rdf::Term::Iri(RdfIri("rest")), rest, {}});
    for (auto& q : embedded) extra.push_back(std::move(q));
  }
  return nodes[0];
}

}  // namespace

Result<rdf::Dataset> ToDataset(Processor& p, const json::array& expanded,
                               std::pmr::memory_resource* arena) {
  BlankNodeIssuer issuer;
  NodeMapper mapper(p, issuer, arena);
  PB_RETURN_IF_ERROR(mapper.Run(expanded));
  rdf::Dataset out;
  // About one quad per value and two per list item: reserving spares the
  // vector's regrowth.
  size_t estimate = 0;
  for (const auto& [name, graph] : mapper.map().graphs)
    for (const auto& [subject, node] : graph) {
      estimate += node.types.size();
      for (const auto& [property, values] : node.properties) estimate += values.size();
    }
  for (const auto& items : mapper.map().lists) estimate += 2 * items.size();
  out.reserve(estimate);
  Serializer serializer(p, issuer, mapper.map());
  for (const auto& [name, graph] : mapper.map().graphs)
    PB_RETURN_IF_ERROR(serializer.Graph(name, graph, out));
  return out;
}

}  // namespace pathbridge::jsonld::internal
