// The Expansion algorithm and Value Expansion (JSON-LD 1.1 Processing
// Algorithms and API §5.1, §5.3.2). Step numbers in comments refer to §5.1.2.
#include <algorithm>
#include <span>
#include <utility>

#include "standards/jsonld/iri.h"
#include "standards/jsonld/processor.h"

namespace pathbridge::jsonld::internal {
namespace {

using Property = std::optional<std::string_view>;  // the active property; nullopt: none

bool Has(const json::value& v, std::string_view key) {
  const json::object* o = v.if_object();
  return o && o->contains(key);
}
bool IsValueObject(const json::value& v) { return Has(v, "@value"); }
bool IsListObject(const json::value& v) { return Has(v, "@list"); }
bool IsGraphObject(const json::value& v) {
  const json::object* o = v.if_object();
  if (!o || !o->contains("@graph")) return false;
  return std::all_of(o->begin(), o->end(), [](const auto& kv) {
    return kv.key() == "@graph" || kv.key() == "@id" || kv.key() == "@index" ||
           kv.key() == "@context";
  });
}
bool IsNodeObject(const json::value& v) {
  return v.is_object() && !Has(v, "@value") && !Has(v, "@list") && !Has(v, "@set");
}

// v as an array (null: empty), in storage sp. Everything expansion builds
// lives in one storage, so moving values between containers never copies.
json::array AsArray(json::value v, const json::storage_ptr& sp) {
  if (v.is_array()) return std::move(v.as_array());
  json::array a(sp);
  if (!v.is_null()) a.push_back(std::move(v));
  return a;
}

// {key: v} in v's storage.
json::value Wrap(std::string_view key, json::value v) {
  json::object o(v.storage());
  o.emplace(key, std::move(v));
  return o;
}

// The items of v: an array's own, or v alone.
std::span<const json::value> Items(const json::value& v) {
  if (const json::array* a = v.if_array()) return {a->data(), a->size()};
  return {&v, 1};
}

// Appends v (or v's items) to the array under `key`, creating it.
void Append(json::object& obj, std::string_view key, json::value v) {
  json::value& slot = obj[key];
  if (!slot.is_array()) slot = json::array();
  json::array& arr = slot.as_array();
  if (v.is_array()) {
    for (auto& item : v.as_array()) arr.push_back(std::move(item));
  } else {
    arr.push_back(std::move(v));
  }
}

using Entries = std::vector<const json::key_value_pair*>;

Entries Sorted(const json::object& o) {
  Entries out;
  out.reserve(o.size());
  for (const auto& kv : o) out.push_back(&kv);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
  return out;
}

std::string ExpandKey(const ActiveContext& ctx, std::string_view key) {
  return ExpandIri(ctx, key, false, true).value_or(std::string());
}

// An expanded IRI as JSON: a string, or null for JSON-LD's null.
json::value IriValue(std::optional<std::string_view> iri, const json::storage_ptr& sp) {
  return iri ? json::value(*iri, sp) : json::value(nullptr, sp);
}

// Value Expansion (§5.3.2).
json::value ExpandValue(const ActiveContext& ctx, Property property, const json::value& value,
                        const json::storage_ptr& sp) {
  const TermDefinition* def = property ? ctx.Find(*property) : nullptr;
  const std::optional<std::string> none;
  const std::optional<std::string>& type = def ? def->type : none;
  if (type && value.is_string() && (*type == "@id" || *type == "@vocab")) {
    std::string scratch;
    return Wrap("@id", IriValue(ExpandIri(ctx, value.as_string(), true, *type == "@vocab", scratch),
                                sp));
  }
  json::object result(sp);
  result["@value"] = value;
  if (type && *type != "@id" && *type != "@vocab" && *type != "@none") {
    result["@type"] = *type;
  } else if (value.is_string()) {
    const auto& language = def && def->has_language ? def->language : ctx.language;
    const auto& direction = def && def->has_direction ? def->direction : ctx.direction;
    if (language) result["@language"] = *language;
    if (direction) result["@direction"] = *direction;
  }
  return result;
}

class Expander {
 public:
  Expander(Processor& p, json::storage_ptr sp) : p_(p), sp_(std::move(sp)) {}

  Result<json::value> Expand(const ActiveContext* ctx, Property property,
                             const json::value& element, const std::string& base_url,
                             bool from_map, const Path& at, size_t depth);

 private:
  // What steps 13 and 14 share while walking one map (and its @nest maps).
  struct Frame {
    const ActiveContext* ctx;
    const ActiveContext* type_scoped;
    Property property;
    std::string input_type;
    const std::string* base_url;
    size_t depth;
  };

  Result<json::value> ExpandArray(const ActiveContext* ctx, Property property,
                                  const json::array& element, const std::string& base_url,
                                  bool from_map, const Path& at, size_t depth);
  Result<json::value> ExpandMap(const ActiveContext* ctx, Property property,
                                const json::object& element, const std::string& base_url,
                                bool from_map, const Path& at, size_t depth);
  Result<const ActiveContext*> ApplyTypeScoped(const ActiveContext* ctx,
                                               const ActiveContext* type_scoped,
                                               const Entries& sorted, const Path& at,
                                               size_t depth);
  Status ExpandEntries(const Frame& f, const json::object& element, const Entries& sorted,
                       json::object& result, const Path& at);
  Status ExpandKeyword(const Frame& f, std::string_view key, std::string_view keyword,
                       const json::value& value, json::object& result,
                       std::vector<std::string_view>& nests, const Path& at);
  Result<json::value> ExpandTypes(const Frame& f, const json::value& value,
                                  const json::object& result, const Path& at);
  Result<json::value> ExpandIncluded(const Frame& f, const json::value& value,
                                     const json::object& result, const Path& at);
  Status ExpandReverseMap(const Frame& f, const json::value& value, json::object& result,
                          const Path& at);
  Status ExpandTerm(const Frame& f, std::string_view key, std::string_view property,
                    const json::value& value, json::object& result, const Path& at);
  Result<json::value> ExpandLanguageMap(const Frame& f, const TermDefinition& def,
                                        const json::object& value, const Path& at);
  Result<json::value> ExpandIndexMap(const Frame& f, std::string_view key,
                                     const TermDefinition& def, const json::object& value,
                                     const Path& at);
  Status AddIndex(const Frame& f, const TermDefinition& def, std::string_view index,
                  const std::string& expanded_index, json::value& item, const Path& at);
  Status ExpandNests(const Frame& f, const json::object& element,
                     const std::vector<std::string_view>& nests, json::object& result,
                     const Path& at);
  Result<json::value> Finish(const Frame& f, json::object result, const Path& at);

  Processor& p_;
  json::storage_ptr sp_;  // where the expanded form is built
};

Result<json::value> Expander::Expand(const ActiveContext* ctx, Property property,
                                     const json::value& element, const std::string& base_url,
                                     bool from_map, const Path& at, size_t depth) {
  PB_RETURN_IF_ERROR(p_.CheckDepth(depth, at));
  PB_RETURN_IF_ERROR(p_.Spend(1, at));
  if (element.is_null()) return json::value(nullptr);  // step 1
  if (element.is_array())
    return ExpandArray(ctx, property, element.as_array(), base_url, from_map, at, depth);
  if (element.is_object())
    return ExpandMap(ctx, property, element.as_object(), base_url, from_map, at, depth);
  // Step 4: a scalar.
  if (!property || *property == "@graph") return json::value(nullptr);
  if (const TermDefinition* def = ctx->Find(*property); def && def->context.value) {
    PB_ASSIGN_OR_RETURN(ctx, p_.ProcessContext(*ctx, def->context, def->base_url, at, {}, {},
                                               depth + 1));
  }
  return ExpandValue(*ctx, property, element, sp_);
}

Result<json::value> Expander::ExpandArray(const ActiveContext* ctx, Property property,
                                          const json::array& element, const std::string& base_url,
                                          bool from_map, const Path& at, size_t depth) {
  const TermDefinition* def = property ? ctx->Find(*property) : nullptr;
  const bool list = def && (def->container & kList);
  json::array result(sp_);
  for (size_t i = 0; i < element.size(); ++i) {
    PB_ASSIGN_OR_RETURN(json::value item, Expand(ctx, property, element[i], base_url, from_map,
                                                 at.Index(i), depth + 1));
    if (list && p_.Json10() && (item.is_array() || IsListObject(item)))
      return JsonLdError("list of lists", "json-ld-1.0 has no lists of lists", at.Index(i));
    if (list && item.is_array()) item = Wrap("@list", std::move(item));
    if (item.is_array()) {
      for (auto& v : item.as_array()) result.push_back(std::move(v));
    } else if (!item.is_null()) {
      result.push_back(std::move(item));
    }
  }
  return json::value(std::move(result));
}

Result<json::value> Expander::ExpandMap(const ActiveContext* ctx, Property property,
                                        const json::object& element, const std::string& base_url,
                                        bool from_map, const Path& at, size_t depth) {
  // Step 3: the property-scoped context, looked up before any reverting.
  const TermDefinition* pdef = property ? ctx->Find(*property) : nullptr;
  const ContextJson property_scoped = pdef ? pdef->context : ContextJson();
  std::string property_base = pdef ? pdef->base_url : std::string();
  // Step 7: a type-scoped context does not reach into nested node objects.
  if (ctx->previous && !from_map) {
    bool revert = true;
    for (const auto& kv : element) {
      std::string_view k = KeywordOf(*ctx, kv.key());
      if (k == "@value" || (k == "@id" && element.size() == 1)) {
        revert = false;
        break;
      }
    }
    if (revert) ctx = ctx->previous.get();
  }
  if (property_scoped.value) {  // step 8
    ContextFlags flags;
    flags.override_protected = true;
    PB_ASSIGN_OR_RETURN(ctx, p_.ProcessContext(*ctx, property_scoped, property_base, at, flags, {},
                                               depth + 1));
  }
  if (const json::value* local = element.if_contains("@context")) {  // step 9
    PB_ASSIGN_OR_RETURN(ctx, p_.ProcessContext(*ctx, ContextJson{local, nullptr}, base_url,
                                               at.Key("@context"), {}, {},
                                               depth + 1));
  }
  const std::vector<const json::key_value_pair*> sorted = Sorted(element);
  const ActiveContext* type_scoped = ctx;  // step 10
  PB_ASSIGN_OR_RETURN(ctx, ApplyTypeScoped(ctx, type_scoped, sorted, at, depth));
  Frame f{ctx, type_scoped, property, {}, &base_url, depth};
  for (const auto* kv : sorted) {  // step 12: input type
    if (KeywordOf(*ctx, kv->key()) != "@type") continue;
    const json::value* last = &kv->value();
    if (last->is_array()) last = last->as_array().empty() ? nullptr : &last->as_array().back();
    if (last && last->is_string()) {
      std::string scratch;
      f.input_type = ExpandIri(*type_scoped, last->as_string(), true, true, scratch)
                         .value_or(std::string_view());
    }
    break;
  }
  json::object result(sp_);
  PB_RETURN_IF_ERROR(ExpandEntries(f, element, sorted, result, at));
  return Finish(f, std::move(result), at);
}

// Step 11: contexts scoped to the node's types, applied in type order.
Result<const ActiveContext*> Expander::ApplyTypeScoped(const ActiveContext* ctx,
                                                       const ActiveContext* type_scoped,
                                                       const Entries& sorted, const Path& at,
                                                       size_t depth) {
  for (const auto* kv : sorted) {
    if (KeywordOf(*ctx, kv->key()) != "@type") continue;
    std::vector<std::string_view> types;
    if (kv->value().is_string()) types.push_back(kv->value().as_string());
    if (const json::array* arr = kv->value().if_array())
      for (const auto& t : *arr)
        if (t.is_string()) types.push_back(t.as_string());
    std::sort(types.begin(), types.end());
    for (std::string_view t : types) {
      const TermDefinition* def = type_scoped->Find(t);
      if (!def || !def->context.value) continue;
      ContextFlags flags;
      flags.propagate = false;
      PB_ASSIGN_OR_RETURN(ctx, p_.ProcessContext(*ctx, def->context, def->base_url,
                                                 at.Key(kv->key()), flags, {}, depth + 1));
    }
  }
  return ctx;
}

// Steps 13 and 14 for one map (`sorted`: its entries in key order).
Status Expander::ExpandEntries(const Frame& f, const json::object& element, const Entries& sorted,
                               json::object& result, const Path& at) {
  std::vector<std::string_view> nests;
  std::string scratch;  // holds an expanded key until the next one
  for (const auto* kv : sorted) {
    std::string_view key = kv->key();
    if (key == "@context") continue;
    Path kat = at.Key(key);
    std::optional<std::string_view> expanded = ExpandIri(*f.ctx, key, false, true, scratch);
    if (!expanded || !(IsIriOrBlank(*expanded) || IsKeyword(*expanded))) continue;
    if (IsKeyword(*expanded)) {
      PB_RETURN_IF_ERROR(ExpandKeyword(f, key, *expanded, kv->value(), result, nests, kat));
    } else {
      PB_RETURN_IF_ERROR(ExpandTerm(f, key, *expanded, kv->value(), result, kat));
    }
  }
  return ExpandNests(f, element, nests, result, at);
}

Status Expander::ExpandKeyword(const Frame& f, std::string_view key, std::string_view keyword,
                               const json::value& value, json::object& result,
                               std::vector<std::string_view>& nests, const Path& at) {
  if (f.property && *f.property == "@reverse")
    return JsonLdError("invalid reverse property map",
                       std::string(keyword) + " inside @reverse", at);
  if (result.contains(keyword) && keyword != "@included" && keyword != "@type")
    return JsonLdError("colliding keywords", "two entries expand to " + std::string(keyword), at);
  const std::string& base = *f.base_url;
  json::value out(nullptr, sp_);
  if (keyword == "@id") {
    if (!value.is_string()) return JsonLdError("invalid @id value", "@id must be a string", at);
    // Kept even when null (a reserved "@..." value): the node then has no IRI.
    std::string scratch;
    result["@id"] = IriValue(ExpandIri(*f.ctx, value.as_string(), true, false, scratch), sp_);
    return Status::Ok();
  } else if (keyword == "@type") {
    PB_ASSIGN_OR_RETURN(out, ExpandTypes(f, value, result, at));
  } else if (keyword == "@graph") {
    PB_ASSIGN_OR_RETURN(json::value g, Expand(f.ctx, "@graph", value, base, false, at, f.depth + 1));
    out = AsArray(std::move(g), sp_);
  } else if (keyword == "@included") {
    if (p_.Json10()) return Status::Ok();
    PB_ASSIGN_OR_RETURN(out, ExpandIncluded(f, value, result, at));
  } else if (keyword == "@value") {
    if (f.input_type == "@json") {
      if (p_.Json10())
        return JsonLdError("invalid value object value", "@json in json-ld-1.0 mode", at);
    } else if (value.is_object() || value.is_array()) {
      return JsonLdError("invalid value object value", "@value must be a scalar or null", at);
    }
    result["@value"] = value;  // kept even when null: @type depends on it
    return Status::Ok();
  } else if (keyword == "@language") {
    if (!value.is_string())
      return JsonLdError("invalid language-tagged string", "@language must be a string", at);
    out = AsciiLower(value.as_string());
  } else if (keyword == "@direction") {
    if (p_.Json10()) return Status::Ok();
    if (!value.is_string() || (value.as_string() != "ltr" && value.as_string() != "rtl"))
      return JsonLdError("invalid base direction", "@direction must be \"ltr\" or \"rtl\"", at);
    out = value;
  } else if (keyword == "@index") {
    if (!value.is_string()) return JsonLdError("invalid @index value", "must be a string", at);
    out = value;
  } else if (keyword == "@list") {
    if (!f.property || *f.property == "@graph") return Status::Ok();  // free-floating list
    PB_ASSIGN_OR_RETURN(json::value l, Expand(f.ctx, f.property, value, base, false, at,
                                              f.depth + 1));
    out = AsArray(std::move(l), sp_);
    if (p_.Json10())
      for (const auto& item : out.as_array())
        if (IsListObject(item))
          return JsonLdError("list of lists", "json-ld-1.0 has no lists of lists", at);
  } else if (keyword == "@set") {
    PB_ASSIGN_OR_RETURN(out, Expand(f.ctx, f.property, value, base, false, at, f.depth + 1));
  } else if (keyword == "@reverse") {
    return ExpandReverseMap(f, value, result, at);
  } else if (keyword == "@nest") {
    nests.push_back(key);
    return Status::Ok();
  } else {
    return Status::Ok();  // context-only keywords carry nothing here
  }
  if (!out.is_null()) result[keyword] = std::move(out);
  return Status::Ok();
}

// Step 13.4.4: @type values, IRI-expanded with the type-scoped context and
// appended to any @type an alias already gave.
Result<json::value> Expander::ExpandTypes(const Frame& f, const json::value& value,
                                          const json::object& result, const Path& at) {
  bool ok = value.is_string() || value.is_array();
  if (const json::array* arr = value.if_array())
    ok = std::all_of(arr->begin(), arr->end(), [](const auto& t) { return t.is_string(); });
  if (!ok) return JsonLdError("invalid type value", "@type must be strings", at);
  json::array types(sp_);
  std::string scratch;
  for (const auto& t : Items(value))
    if (auto iri = ExpandIri(*f.type_scoped, t.as_string(), true, true, scratch))
      types.emplace_back(*iri);
  if (const json::value* existing = result.if_contains("@type")) {
    json::array merged = AsArray(*existing, sp_);
    for (auto& t : types) merged.push_back(std::move(t));
    return json::value(std::move(merged));
  }
  if (value.is_string()) return types.empty() ? json::value(nullptr) : std::move(types[0]);
  return json::value(std::move(types));
}

// Step 13.4.6: @included must hold node objects.
Result<json::value> Expander::ExpandIncluded(const Frame& f, const json::value& value,
                                             const json::object& result, const Path& at) {
  // "@included" as active property keeps scalars as values, so they fail
  // the node-object check below instead of vanishing.
  PB_ASSIGN_OR_RETURN(json::value inc, Expand(f.ctx, "@included", value, *f.base_url, false, at,
                                              f.depth + 1));
  json::array items = AsArray(std::move(inc), sp_);
  for (const auto& item : items)
    if (!IsNodeObject(item))
      return JsonLdError("invalid @included value", "@included must hold node objects", at);
  if (const json::value* existing = result.if_contains("@included")) {
    json::array merged = AsArray(*existing, sp_);
    for (auto& item : items) merged.push_back(std::move(item));
    items = std::move(merged);
  }
  return json::value(std::move(items));
}

Status Expander::ExpandReverseMap(const Frame& f, const json::value& value, json::object& result,
                                  const Path& at) {
  if (!value.is_object()) return JsonLdError("invalid @reverse value", "must be a map", at);
  PB_ASSIGN_OR_RETURN(json::value expanded, Expand(f.ctx, "@reverse", value, *f.base_url, false,
                                                   at, f.depth + 1));
  json::object* rev = expanded.if_object();
  if (!rev) return Status::Ok();
  if (json::value* twice = rev->if_contains("@reverse"); twice && twice->is_object()) {
    for (auto& kv : twice->as_object()) Append(result, kv.key(), std::move(kv.value()));
  }
  for (auto& kv : *rev) {
    if (kv.key() == "@reverse") continue;
    json::value& slot = result["@reverse"];
    if (!slot.is_object()) slot = json::object();
    json::array items = AsArray(std::move(kv.value()), sp_);
    for (auto& item : items) {
      if (IsValueObject(item) || IsListObject(item))
        return JsonLdError("invalid reverse property value", "values or lists cannot be reversed",
                           at.Key(kv.key()));
      Append(slot.as_object(), kv.key(), std::move(item));
    }
    if (!slot.as_object().contains(kv.key())) slot.as_object()[kv.key()] = json::array();
  }
  return Status::Ok();
}

// Steps 13.5 to 13.14: a key that expands to an IRI.
Status Expander::ExpandTerm(const Frame& f, std::string_view key, std::string_view property,
                            const json::value& value, json::object& result, const Path& at) {
  const TermDefinition* def = f.ctx->Find(key);
  const uint8_t container = def ? def->container : 0;
  json::value out(sp_);
  if (def && def->type && *def->type == "@json") {
    json::object literal(sp_);
    literal.emplace("@value", value);
    literal.emplace("@type", "@json");
    out = std::move(literal);
  } else if ((container & kLanguage) && value.is_object()) {
    PB_ASSIGN_OR_RETURN(out, ExpandLanguageMap(f, *def, value.as_object(), at));
  } else if ((container & (kIndex | kType | kId)) && value.is_object()) {
    PB_ASSIGN_OR_RETURN(out, ExpandIndexMap(f, key, *def, value.as_object(), at));
  } else {
    PB_ASSIGN_OR_RETURN(out, Expand(f.ctx, key, value, *f.base_url, false, at, f.depth + 1));
  }
  if (out.is_null()) return Status::Ok();
  if ((container & kList) && !IsListObject(out))
    out = Wrap("@list", AsArray(std::move(out), sp_));
  if ((container & kGraph) && !(container & (kId | kIndex))) {
    json::array graphs(sp_);
    for (auto& ev : AsArray(std::move(out), sp_))
      graphs.push_back(Wrap("@graph", AsArray(std::move(ev), sp_)));
    out = std::move(graphs);
  }
  if (def && def->reverse) {
    json::value& slot = result["@reverse"];
    if (!slot.is_object()) slot = json::object();
    json::array items = AsArray(std::move(out), sp_);
    for (auto& item : items)
      if (IsValueObject(item) || IsListObject(item))
        return JsonLdError("invalid reverse property value", "values or lists cannot be reversed",
                           at);
    Append(slot.as_object(), property, std::move(items));
    return Status::Ok();
  }
  Append(result, property, std::move(out));
  return Status::Ok();
}

Result<json::value> Expander::ExpandLanguageMap(const Frame& f, const TermDefinition& def,
                                                const json::object& value, const Path& at) {
  const auto& direction = def.has_direction ? def.direction : f.ctx->direction;
  json::array out(sp_);
  for (const auto* kv : Sorted(value)) {
    Path lat = at.Key(kv->key());
    const bool none = KeywordOf(*f.ctx, kv->key()) == "@none";
    for (const auto& item : Items(kv->value())) {
      if (item.is_null()) continue;
      if (!item.is_string())
        return JsonLdError("invalid language map value", "language map values must be strings",
                           lat);
      json::object o(sp_);
      o.emplace("@value", item);
      if (!none) o["@language"] = AsciiLower(kv->key());
      if (direction) o["@direction"] = *direction;
      out.push_back(std::move(o));
    }
  }
  return json::value(std::move(out));
}

Result<json::value> Expander::ExpandIndexMap(const Frame& f, std::string_view key,
                                             const TermDefinition& def, const json::object& value,
                                             const Path& at) {
  json::array out(sp_);
  for (const auto* kv : Sorted(value)) {
    Path iat = at.Key(kv->key());
    const ActiveContext* map_ctx = f.ctx;
    if (def.container & (kId | kType)) map_ctx = f.ctx->previous ? f.ctx->previous.get() : f.ctx;
    if (def.container & kType) {
      const TermDefinition* tdef = map_ctx->Find(kv->key());
      if (tdef && tdef->context.value) {
        PB_ASSIGN_OR_RETURN(map_ctx, p_.ProcessContext(*map_ctx, tdef->context, tdef->base_url,
                                                       iat, {}, {}, f.depth + 1));
      }
    }
    std::string expanded_index = ExpandKey(*f.ctx, kv->key());
    // Expanded as an array either way (a lone value is not a map here).
    const json::value& v = kv->value();
    const json::value lone = v.is_array() ? json::value() : json::value(json::array{v});
    PB_ASSIGN_OR_RETURN(json::value items, Expand(map_ctx, key, v.is_array() ? v : lone,
                                                  *f.base_url, true, iat, f.depth + 1));
    for (auto& item : AsArray(std::move(items), sp_)) {
      if ((def.container & kGraph) && !IsGraphObject(item))
        item = Wrap("@graph", AsArray(std::move(item), sp_));
      if (item.is_object() && expanded_index != "@none")
        PB_RETURN_IF_ERROR(AddIndex(f, def, kv->key(), expanded_index, item, iat));
      out.push_back(std::move(item));
    }
  }
  return json::value(std::move(out));
}

// Step 13.8.3.7: records the map key on the item it indexes.
Status Expander::AddIndex(const Frame& f, const TermDefinition& def, std::string_view index,
                          const std::string& expanded_index, json::value& item, const Path& at) {
  json::object& o = item.as_object();
  if ((def.container & kIndex) && def.index && *def.index != "@index") {
    json::value re = ExpandValue(*f.ctx, std::string_view(*def.index), json::value(index), sp_);
    std::string prop = ExpandKey(*f.ctx, *def.index);
    json::array values(sp_);
    values.push_back(std::move(re));
    if (const json::value* existing = o.if_contains(prop))
      for (const auto& e : Items(*existing)) values.push_back(e);
    o[prop] = std::move(values);
    if (o.contains("@value"))
      return JsonLdError("invalid value object", "a property-valued index on a value", at);
  } else if (def.container & kIndex) {
    if (!o.contains("@index")) o["@index"] = index;
  } else if (def.container & kId) {
    if (!o.contains("@id")) o["@id"] = IriValue(ExpandIri(*f.ctx, index, true, false), sp_);
  } else if (def.container & kType) {
    json::array types(sp_);
    types.emplace_back(expanded_index);
    if (const json::value* existing = o.if_contains("@type"))
      for (const auto& t : Items(*existing)) types.push_back(t);
    o["@type"] = std::move(types);
  }
  return Status::Ok();
}

// Step 14: @nest maps add their entries to the enclosing node.
Status Expander::ExpandNests(const Frame& f, const json::object& element,
                             const std::vector<std::string_view>& nests, json::object& result,
                             const Path& at) {
  for (std::string_view nest_key : nests) {
    Path nat = at.Key(nest_key);
    const std::span<const json::value> values = Items(element.at(nest_key));
    Frame nf = f;
    nf.property = nest_key;
    if (const TermDefinition* def = f.ctx->Find(nest_key); def && def->context.value) {
      ContextFlags flags;
      flags.override_protected = true;
      PB_ASSIGN_OR_RETURN(nf.ctx, p_.ProcessContext(*f.ctx, def->context, def->base_url, nat,
                                                    flags, {}, f.depth + 1));
    }
    for (size_t i = 0; i < values.size(); ++i) {
      const json::object* o = values[i].if_object();
      bool ok = o != nullptr;
      if (o)
        for (const auto& kv : *o) ok = ok && KeywordOf(*nf.ctx, kv.key()) != "@value";
      if (!ok)
        return JsonLdError("invalid @nest value", "@nest values must be node maps",
                           nat.Index(i));
      PB_RETURN_IF_ERROR(p_.CheckDepth(f.depth + 1, nat));
      Frame inner = nf;
      inner.depth = f.depth + 1;
      PB_RETURN_IF_ERROR(ExpandEntries(inner, *o, Sorted(*o), result, nat.Index(i)));
    }
  }
  return Status::Ok();
}

// Steps 15 to 19: validate value, list and set objects; drop what cannot stand.
Result<json::value> Expander::Finish(const Frame& f, json::object result, const Path& at) {
  if (result.contains("@value")) {
    for (const auto& kv : result) {
      std::string_view k = kv.key();
      if (k != "@direction" && k != "@index" && k != "@language" && k != "@type" && k != "@value")
        return JsonLdError("invalid value object", "unexpected entry " + std::string(k), at);
    }
    const json::value* type = result.if_contains("@type");
    if (type && (result.contains("@language") || result.contains("@direction")))
      return JsonLdError("invalid value object", "@type with @language or @direction", at);
    if (type && *type == json::value("@json")) return json::value(std::move(result));
    const json::value& v = result.at("@value");
    if (v.is_null() || (v.is_array() && v.as_array().empty())) return json::value(nullptr);
    if (!v.is_string() && result.contains("@language"))
      return JsonLdError("invalid language-tagged value", "only strings carry a language", at);
    if (type && (!type->is_string() || !IsAbsoluteIri(type->as_string()) ||
                 IsBlankNode(type->as_string())))
      return JsonLdError("invalid typed value", "@type of a value must be an IRI", at);
  } else if (json::value* type = result.if_contains("@type"); type && !type->is_array()) {
    json::array types(sp_);
    types.push_back(std::move(*type));
    *type = std::move(types);
  } else if (result.contains("@set") || result.contains("@list")) {
    if (result.size() > 2 || (result.size() == 2 && !result.contains("@index")))
      return JsonLdError("invalid set or list object", "only @index may accompany @set/@list", at);
    if (result.contains("@set")) return std::move(result.at("@set"));
  }
  if (result.size() == 1 && result.contains("@language")) return json::value(nullptr);
  if (!f.property || *f.property == "@graph") {
    if (result.empty() || result.contains("@value") || result.contains("@list"))
      return json::value(nullptr);
    if (result.size() == 1 && result.contains("@id")) return json::value(nullptr);
  }
  return json::value(std::move(result));
}

}  // namespace

Result<json::array> ExpandDocument(Processor& p, const json::value& doc,
                                   const json::storage_ptr& sp) {
  const Path root;
  const ActiveContext* ctx = p.InitialContext().get();
  const std::string& base = p.options().base;
  if (const json::value* ec = p.options().expand_context) {
    const json::value* local = ec;
    if (const json::object* o = ec->if_object(); o && o->contains("@context"))
      local = &o->at("@context");
    PB_ASSIGN_OR_RETURN(ctx, p.ProcessContext(*ctx, ContextJson{local, nullptr}, base, root));
  }
  Expander expander(p, sp);
  PB_ASSIGN_OR_RETURN(json::value out, expander.Expand(ctx, std::nullopt, doc, base, false, root, 0));
  if (json::object* o = out.if_object(); o && o->size() == 1 && o->contains("@graph"))
    out = std::move(o->at("@graph"));
  return AsArray(std::move(out), sp);
}

}  // namespace pathbridge::jsonld::internal
