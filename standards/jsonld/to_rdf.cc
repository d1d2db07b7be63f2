// Node Map Generation (JSON-LD 1.1 API §7.2) and Deserialize JSON-LD to RDF
// (§8.1), with Object to RDF Conversion and List Conversion.
#include <cmath>
#include <cstdio>
#include <map>
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

using Graph = std::map<std::string, json::object, std::less<>>;  // subject -> node
using NodeMap = std::map<std::string, Graph>;       // graph name -> graph

// Issues _:b0, _:b1... and remembers what each input label became.
class BlankNodeIssuer {
 public:
  std::string Issue(std::string_view existing = {}) {
    if (!existing.empty()) {
      auto it = issued_.find(existing);
      if (it != issued_.end()) return it->second;
    }
    std::string label = "_:b" + std::to_string(counter_++);
    if (!existing.empty()) issued_.emplace(std::string(existing), label);
    return label;
  }

 private:
  std::map<std::string, std::string, std::less<>> issued_;
  size_t counter_ = 0;
};

// The subject a value hangs off: none, a node id, or (for @reverse) a
// reference the value's node points back to.
struct Subject {
  enum class Kind { kNone, kId, kReverse } kind = Kind::kNone;
  std::string_view id;  // a node map key or a string of the caller's
};

class NodeMapper {
 public:
  NodeMapper(Processor& p, BlankNodeIssuer& issuer, json::storage_ptr sp)
      : p_(p), issuer_(issuer), sp_(std::move(sp)) {}
  NodeMap& map() { return map_; }

  Status Generate(const json::value& element, const std::string& graph, const Subject& subject,
                  std::optional<std::string_view> property, json::array* list, const Path& at, size_t depth);

 private:
  Status AddUnique(json::object& node, std::string_view property, json::value v, const Path& at);
  Status GenerateNode(const json::object& element, const std::string& graph,
                      const Subject& subject, std::optional<std::string_view> property, json::array* list,
                      const Path& at, size_t depth);
  // The node `id` of graph g, created empty (in sp_) if new.
  json::object& Node(Graph& g, std::string_view id) {
    auto it = g.find(id);
    if (it == g.end()) it = g.try_emplace(std::string(id), sp_).first;
    return it->second;
  }
  json::object Reference(std::string_view id) const {
    json::object ref(sp_);
    ref.emplace("@id", id);
    return ref;
  }

  Processor& p_;
  BlankNodeIssuer& issuer_;
  json::storage_ptr sp_;  // where the node map is built
  NodeMap map_;
};

Status NodeMapper::AddUnique(json::object& node, std::string_view property, json::value v,
                             const Path& at) {
  json::value& slot = node[property];
  if (!slot.is_array()) slot = json::array();
  json::array& arr = slot.as_array();
  PB_RETURN_IF_ERROR(p_.Spend(1 + arr.size() / 8, at));
  for (const auto& existing : arr)
    if (existing == v) return Status::Ok();
  arr.push_back(std::move(v));
  return Status::Ok();
}

Status NodeMapper::Generate(const json::value& element, const std::string& graph,
                            const Subject& subject, std::optional<std::string_view> property,
                            json::array* list, const Path& at, size_t depth) {
  PB_RETURN_IF_ERROR(p_.CheckDepth(depth, at));
  PB_RETURN_IF_ERROR(p_.Spend(1, at));
  if (const json::array* arr = element.if_array()) {
    for (size_t i = 0; i < arr->size(); ++i)
      PB_RETURN_IF_ERROR(Generate((*arr)[i], graph, subject, property, list, at.Index(i),
                                  depth + 1));
    return Status::Ok();
  }
  const json::object* obj = element.if_object();
  if (!obj) return Status::Ok();  // expanded output holds only maps here
  Graph& g = map_[graph];
  json::object* subject_node = nullptr;
  if (subject.kind == Subject::Kind::kId) subject_node = &Node(g, subject.id);
  if (obj->contains("@value")) {
    if (list) {
      list->push_back(element);
    } else if (subject_node && property) {
      PB_RETURN_IF_ERROR(AddUnique(*subject_node, *property, element, at));
    }
    return Status::Ok();
  }
  if (const json::value* items = obj->if_contains("@list")) {
    json::array result(sp_);
    PB_RETURN_IF_ERROR(Generate(*items, graph, subject, property, &result, at.Key("@list"),
                                depth + 1));
    json::object wrapped(sp_);
    wrapped.emplace("@list", std::move(result));
    if (list) {
      list->push_back(std::move(wrapped));
    } else if (subject_node && property) {
      json::value& slot = (*subject_node)[*property];
      if (!slot.is_array()) slot = json::array();
      slot.as_array().push_back(std::move(wrapped));
    }
    return Status::Ok();
  }
  return GenerateNode(*obj, graph, subject, property, list, at, depth);
}

Status NodeMapper::GenerateNode(const json::object& element, const std::string& graph,
                                const Subject& subject, std::optional<std::string_view> property,
                                json::array* list, const Path& at, size_t depth) {
  std::string id;
  const json::value* given = element.if_contains("@id");
  if (given && given->is_string()) {
    id = IsBlankNode(given->as_string()) ? issuer_.Issue(given->as_string())
                                         : std::string(given->as_string());
  } else if (given) {
    id = "";  // @id: null (an ignored "@..." value): never reaches RDF
  } else {
    id = issuer_.Issue();
  }
  Graph& g = map_[graph];
  json::object& node = Node(g, id);
  if (!node.contains("@id")) node["@id"] = id;
  if (subject.kind == Subject::Kind::kReverse && property) {
    PB_RETURN_IF_ERROR(AddUnique(node, *property, Reference(subject.id), at));
  } else if (property) {
    json::object ref = Reference(id);
    if (list) {
      list->push_back(std::move(ref));
    } else if (subject.kind == Subject::Kind::kId) {
      PB_RETURN_IF_ERROR(AddUnique(Node(g, subject.id), *property, std::move(ref), at));
    }
  }
  if (const json::value* types = element.if_contains("@type")) {
    auto add = [&](const json::value& t) -> Status {
      if (!t.is_string()) return Status::Ok();
      json::value type(sp_);
      if (IsBlankNode(t.as_string())) {
        type = issuer_.Issue(t.as_string());
      } else {
        type = t.as_string();
      }
      return AddUnique(node, "@type", std::move(type), at);
    };
    if (const json::array* arr = types->if_array()) {
      for (const auto& t : *arr) PB_RETURN_IF_ERROR(add(t));
    } else {
      PB_RETURN_IF_ERROR(add(*types));
    }
  }
  if (const json::value* index = element.if_contains("@index")) {
    if (const json::value* had = node.if_contains("@index"); had && *had != *index)
      return JsonLdError("conflicting indexes", "a node has two @index values", at);
    node["@index"] = *index;
  }
  if (const json::value* rev = element.if_contains("@reverse"); rev && rev->is_object()) {
    Subject referenced{Subject::Kind::kReverse, id};
    for (const auto& kv : rev->as_object()) {
      PB_RETURN_IF_ERROR(Generate(kv.value(), graph, referenced, kv.key(), nullptr,
                                  at.Key("@reverse").Key(kv.key()), depth + 1));
    }
  }
  if (const json::value* inner = element.if_contains("@graph"))
    PB_RETURN_IF_ERROR(Generate(*inner, id, Subject{}, std::nullopt, nullptr, at.Key("@graph"),
                                depth + 1));
  if (const json::value* inc = element.if_contains("@included"))
    PB_RETURN_IF_ERROR(Generate(*inc, graph, Subject{}, std::nullopt, nullptr, at.Key("@included"),
                                depth + 1));
  std::vector<const json::key_value_pair*> props;
  for (const auto& kv : element)
    if (!IsKeyword(kv.key())) props.push_back(&kv);
  std::sort(props.begin(), props.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
  for (const auto* kv : props) {
    std::string issued;
    if (IsBlankNode(kv->key())) issued = issuer_.Issue(kv->key());
    const std::string_view prop = issued.empty() ? std::string_view(kv->key()) : issued;
    json::object& self = Node(map_[graph], id);
    if (!self.contains(prop)) self[prop] = json::array();
    PB_RETURN_IF_ERROR(Generate(kv->value(), graph, Subject{Subject::Kind::kId, id}, prop,
                                nullptr, at.Key(kv->key()), depth + 1));
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
  Serializer(Processor& p, BlankNodeIssuer& issuer) : p_(p), issuer_(issuer) {}
  Status Graph(const std::string& name, const internal::Graph& graph, rdf::Dataset& out);

 private:
  std::optional<rdf::Term> Object(const json::value& item, std::vector<rdf::Quad>& extra);
  std::optional<rdf::Term> Literal(const json::object& item, std::vector<rdf::Quad>& extra);
  rdf::Term List(const json::array& items, std::vector<rdf::Quad>& extra);
  rdf::Term Directional(const std::string& lexical, const std::string& language,
                        std::string_view dir, std::vector<rdf::Quad>& extra);
  static std::optional<rdf::Term> Resource(std::string_view id);

  Processor& p_;
  BlankNodeIssuer& issuer_;
};

std::optional<rdf::Term> Serializer::Resource(std::string_view id) {
  if (IsBlankNode(id)) {
    if (!IsWellFormedBlankNode(id)) return std::nullopt;
    return rdf::Term::Blank(std::string(id.substr(2)));
  }
  if (!IsWellFormedIri(id)) return std::nullopt;
  return rdf::Term::Iri(std::string(id));
}

Status Serializer::Graph(const std::string& name, const internal::Graph& graph,
                         rdf::Dataset& out) {
  rdf::Term g = rdf::Term::DefaultGraph();
  if (name != "@default") {
    auto t = Resource(name);
    if (!t) return Status::Ok();
    g = *t;
  }
  const bool generalized = p_.options().produce_generalized_rdf;
  for (const auto& [subject, node] : graph) {
    auto s = Resource(subject);
    if (!s) continue;
    std::vector<const json::key_value_pair*> props;
    for (const auto& kv : node) props.push_back(&kv);
    std::sort(props.begin(), props.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
    for (const auto* kv : props) {
      std::string_view property = kv->key();
      const json::array* values = kv->value().if_array();
      if (!values) continue;
      if (property == "@type") {
        for (const auto& t : *values)
          if (auto o = t.is_string() ? Resource(t.as_string()) : std::nullopt)
            out.push_back({*s, rdf::Term::Iri(RdfIri("type")), *o, g});
        continue;
      }
      if (IsKeyword(property)) continue;
      if (IsBlankNode(property) && !generalized) continue;
      auto p = Resource(property);
      if (!p) continue;
      for (const auto& item : *values) {
        PB_RETURN_IF_ERROR(p_.Spend(1, Path()));
        std::vector<rdf::Quad> extra;
        auto o = Object(item, extra);
        if (o) out.push_back({*s, *p, *o, g});
        for (auto& q : extra) {
          q.graph = g;
          out.push_back(std::move(q));
        }
      }
    }
  }
  return Status::Ok();
}

std::optional<rdf::Term> Serializer::Object(const json::value& item,
                                            std::vector<rdf::Quad>& extra) {
  const json::object* o = item.if_object();
  if (!o) return std::nullopt;
  if (const json::value* list = o->if_contains("@list"))
    return list->is_array() ? std::optional(List(list->as_array(), extra)) : std::nullopt;
  if (o->contains("@value")) return Literal(*o, extra);
  const json::value* id = o->if_contains("@id");
  if (!id || !id->is_string()) return std::nullopt;
  return Resource(id->as_string());
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
  rdf::Term b = rdf::Term::Blank(issuer_.Issue().substr(2));
  extra.push_back({b, rdf::Term::Iri(RdfIri("value")), str(lexical), {}});
  if (!language.empty())
    extra.push_back({b, rdf::Term::Iri(RdfIri("language")), str(AsciiLower(language)), {}});
  extra.push_back({b, rdf::Term::Iri(RdfIri("direction")), str(std::string(dir)), {}});
  return b;
}

rdf::Term Serializer::List(const json::array& items, std::vector<rdf::Quad>& extra) {
  if (items.empty()) return rdf::Term::Iri(RdfIri("nil"));
  std::vector<rdf::Term> nodes;
  for (size_t i = 0; i < items.size(); ++i) nodes.push_back(rdf::Term::Blank(issuer_.Issue().substr(2)));
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
                               const json::storage_ptr& sp) {
  BlankNodeIssuer issuer;
  NodeMapper mapper(p, issuer, sp);
  const Path root;
  for (size_t i = 0; i < expanded.size(); ++i)
    PB_RETURN_IF_ERROR(mapper.Generate(expanded[i], "@default", Subject{}, std::nullopt, nullptr,
                                       root.Index(i), 1));
  rdf::Dataset out;
  // Roughly one quad per value: reserving spares the vector's regrowth.
  size_t estimate = 0;
  for (const auto& [name, graph] : mapper.map())
    for (const auto& [subject, node] : graph)
      for (const auto& kv : node)
        if (const json::array* values = kv.value().if_array()) estimate += values->size();
  out.reserve(estimate);
  Serializer serializer(p, issuer);
  for (const auto& [name, graph] : mapper.map())
    PB_RETURN_IF_ERROR(serializer.Graph(name, graph, out));
  return out;
}

}  // namespace pathbridge::jsonld::internal
