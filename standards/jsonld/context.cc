// Context Processing, Create Term Definition and IRI Expansion
// (JSON-LD 1.1 Processing Algorithms and API §4.1, §4.2, §4.3).
#include <algorithm>
#include <bit>
#include <map>
#include <utility>

#include "standards/jsonld/context_cache.h"
#include "standards/jsonld/iri.h"
#include "standards/jsonld/processor.h"

namespace pathbridge::jsonld::internal {

std::string Path::ToString() const {
  std::string suffix;
  const Path* p = this;
  for (; p != nullptr && p->kind != Kind::kRoot; p = p->parent) {
    if (p->kind == Kind::kOrigin) {
      std::string outer = p->parent ? p->parent->ToString() : std::string();
      return (outer.empty() ? "" : outer + " > ") + std::string(p->key) + "#" + suffix;
    }
    std::string seg;
    if (p->kind == Kind::kIndex) {
      seg = std::to_string(p->index);
    } else {
      for (char c : p->key) seg += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    }
    suffix = "/" + seg + suffix;
  }
  return suffix.empty() ? "/" : suffix;
}

Status JsonLdError(std::string_view code, std::string_view detail, const Path& where) {
  std::string msg(code);
  if (!detail.empty()) msg.append(": ").append(detail);
  return InvalidArgument(std::move(msg), where.ToString());
}

bool TermDefinition::SameAs(const TermDefinition& o) const {
  auto same_ctx = [](const ContextJson& a, const ContextJson& b) {
    return a.value == b.value || (a.value && b.value && *a.value == *b.value);
  };
  return iri == o.iri && reverse == o.reverse && prefix == o.prefix && type == o.type &&
         has_language == o.has_language && language == o.language &&
         has_direction == o.has_direction && direction == o.direction &&
         container == o.container && index == o.index && nest == o.nest &&
         same_ctx(context, o.context);
}

bool ActiveContext::HasProtected() const {
  return std::any_of(terms.begin(), terms.end(),
                     [](const auto& kv) { return kv.second->is_protected; });
}

std::optional<std::string_view> ExpandIri(const ActiveContext& ctx, std::string_view value,
                                          bool document_relative, bool vocab,
                                          std::string& scratch) {
  if (IsKeyword(value)) return value;
  if (HasKeywordForm(value)) return std::nullopt;  // reserved: ignored
  const TermDefinition* def = ctx.Find(value);
  if (def && def->iri && IsKeyword(*def->iri)) return *def->iri;
  if (vocab && def) {
    if (!def->iri) return std::nullopt;
    return *def->iri;
  }
  size_t colon = value.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    std::string_view prefix = value.substr(0, colon), suffix = value.substr(colon + 1);
    if (prefix == "_" || suffix.substr(0, 2) == "//") return value;
    const TermDefinition* p = ctx.Find(prefix);
    if (p && p->iri && p->prefix) return scratch.assign(*p->iri).append(suffix);
    if (IsAbsoluteIri(value)) return value;
  }
  if (vocab && ctx.vocab) return scratch.assign(*ctx.vocab).append(value);
  if (document_relative && ctx.base) return scratch = ResolveIri(*ctx.base, value);
  return value;
}

std::optional<std::string> ExpandIri(const ActiveContext& ctx, std::string_view value,
                                     bool document_relative, bool vocab) {
  std::string scratch;
  auto iri = ExpandIri(ctx, value, document_relative, vocab, scratch);
  if (!iri) return std::nullopt;
  if (iri->data() == scratch.data()) return scratch;
  return std::string(*iri);
}

uint64_t ContextIdentity::Next() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

Processor::Processor(const DocumentLoader& loader, const Options& options)
    : loader_(loader), options_(options),
      scope_(options.cache_contexts ? loader.CacheScope() : std::string_view()) {
  auto initial = std::make_shared<ActiveContext>();
  if (!options_.base.empty()) initial->base = options_.base;
  initial->identity.MarkShared();  // every call's initial context for this base is alike
  initial_ = std::move(initial);
}

std::string_view KeywordOf(const ActiveContext& ctx, std::string_view key) {
  if (std::string_view k = Keyword(key); !k.empty()) return k;
  if (HasKeywordForm(key)) return {};
  if (const TermDefinition* def = ctx.Find(key)) return def->iri ? Keyword(*def->iri) : "";
  // Not a term: expansion keeps the key or puts a prefix's IRI or @vocab in
  // front, so only a compact IRI or an "@..." vocabulary could give a keyword.
  if (key.find(':') == std::string_view::npos && !(ctx.vocab && ctx.vocab->starts_with('@')))
    return {};
  std::string scratch;
  auto iri = ExpandIri(ctx, key, false, true, scratch);
  return iri ? Keyword(*iri) : "";
}

Status Processor::Spend(size_t units, const Path& where) {
  work_ += units;
  if (work_ <= options_.max_work) return Status::Ok();
  return Status(Code::kResourceExhausted,
                "JSON-LD work budget of " + std::to_string(options_.max_work) + " steps exceeded",
                where.ToString());
}

Status Processor::CheckDepth(size_t depth, const Path& where) const {
  if (depth <= options_.max_depth) return Status::Ok();
  return Status(Code::kResourceExhausted,
                "JSON-LD nesting deeper than " + std::to_string(options_.max_depth),
                where.ToString());
}

Result<ContextJson> Processor::LoadContext(const std::string& url, const Path& where) {
  auto doc = loader_.Load(url);
  if (!doc.ok())
    return JsonLdError("loading remote context failed", url + ": " + doc.status().message(), where);
  const json::object* obj = (*doc)->if_object();
  const json::value* ctx = obj ? obj->if_contains("@context") : nullptr;
  if (ctx == nullptr)
    return JsonLdError("invalid remote context", url + " has no top-level @context", where);
  // A loader with a cache scope keeps its documents until exit
  // (DocumentLoader::CacheScope): any non-null owner marks them as lasting.
  static const std::shared_ptr<const void> kLoaderOwned = std::make_shared<const char>(0);
  return ContextJson{ctx, scope_.empty() ? nullptr : kLoaderOwned};
}

namespace {

// One context definition (a map) being merged into `result`: owns the
// `defined` map of Create Term Definition and the dependency-aware IRI
// expansion used while terms are being defined.
class ContextBuilder {
 public:
  // `owner` keeps `local` alive (see ContextJson).
  ContextBuilder(Processor& p, std::shared_ptr<ActiveContext> result, const json::object& local,
                 std::shared_ptr<const void> owner, const std::string& base_url,
                 const Path& where, ContextFlags flags, const std::vector<std::string>& remote,
                 size_t depth)
      : p_(p), result_(std::move(result)), local_(local), owner_(std::move(owner)),
        base_url_(base_url), where_(where), flags_(flags), remote_(remote), depth_(depth) {}

  Status Run();

 private:
  Status SetVersion();
  Status SetBase();
  Status SetVocab();
  Status SetLanguageAndDirection();
  Status CheckPropagate();
  Status Define(std::string_view term);
  Status DefineTypeKeyword(const json::value& value, const Path& at);
  Status CheckEntries(const json::object& value, const Path& at);
  Status DefineIri(std::string_view term, const json::object& value, bool simple,
                   TermDefinition& def, bool& ignored, const Path& at);
  Status DefineIdMapping(std::string_view term, const json::value& id, bool simple,
                         TermDefinition& def, bool& ignored, const Path& at);
  Status DefineImplicitIri(std::string_view term, TermDefinition& def, const Path& at);
  Status DefineType(const json::object& value, TermDefinition& def, const Path& at);
  Status DefineContainer(const json::object& value, TermDefinition& def, const Path& at);
  Status DefineIndex(const json::object& value, TermDefinition& def, const Path& at);
  Status DefineScopedContext(const json::object& value, TermDefinition& def, const Path& at);
  Status DefineLanguageDirectionNest(const json::object& value, TermDefinition& def,
                                     const Path& at);
  Status DefinePrefix(std::string_view term, const json::object& value, TermDefinition& def,
                      const Path& at);
  Result<std::optional<std::string>> Expand(std::string_view value, bool document_relative,
                                            bool vocab);

  Processor& p_;
  std::shared_ptr<ActiveContext> result_;
  const json::object& local_;
  std::shared_ptr<const void> owner_;
  const std::string& base_url_;
  const Path& where_;
  ContextFlags flags_;
  const std::vector<std::string>& remote_;
  size_t depth_;
  std::map<std::string, bool, std::less<>> defined_;
  bool protected_default_ = false;
};

bool IsContextKeyword(std::string_view k) {
  return k == "@base" || k == "@direction" || k == "@import" || k == "@language" ||
         k == "@propagate" || k == "@protected" || k == "@version" || k == "@vocab";
}

Status ContextBuilder::Run() {
  PB_RETURN_IF_ERROR(SetVersion());
  if (!remote_.empty() || !local_.contains("@base")) {
    // @base is ignored in remote contexts.
  } else {
    PB_RETURN_IF_ERROR(SetBase());
  }
  PB_RETURN_IF_ERROR(SetVocab());
  PB_RETURN_IF_ERROR(SetLanguageAndDirection());
  PB_RETURN_IF_ERROR(CheckPropagate());
  if (const json::value* prot = local_.if_contains("@protected")) {
    if (!prot->is_bool())
      return JsonLdError("invalid @protected value", "@protected must be a boolean",
                         where_.Key("@protected"));
    protected_default_ = prot->as_bool();
  }
  for (const auto& kv : local_) {
    if (IsContextKeyword(kv.key())) continue;
    PB_RETURN_IF_ERROR(Define(kv.key()));
  }
  return Status::Ok();
}

Status ContextBuilder::SetVersion() {
  const json::value* v = local_.if_contains("@version");
  if (!v) return Status::Ok();
  if (!v->is_double() || v->as_double() != 1.1)
    return JsonLdError("invalid @version value", "@version must be 1.1", where_.Key("@version"));
  if (p_.Json10())
    return JsonLdError("processing mode conflict", "@version 1.1 in json-ld-1.0 mode",
                       where_.Key("@version"));
  return Status::Ok();
}

Status ContextBuilder::SetBase() {
  const json::value& v = local_.at("@base");
  Path at = where_.Key("@base");
  if (v.is_null()) {
    result_->base.reset();
  } else if (!v.is_string()) {
    return JsonLdError("invalid base IRI", "@base must be a string or null", at);
  } else if (IsAbsoluteIri(v.as_string())) {
    result_->base = std::string(v.as_string());
  } else if (result_->base) {
    result_->base = ResolveIri(*result_->base, v.as_string());
  } else {
    return JsonLdError("invalid base IRI", "relative @base without a base IRI", at);
  }
  return Status::Ok();
}

Status ContextBuilder::SetVocab() {
  const json::value* v = local_.if_contains("@vocab");
  if (!v) return Status::Ok();
  Path at = where_.Key("@vocab");
  if (v->is_null()) {
    result_->vocab.reset();
    return Status::Ok();
  }
  if (!v->is_string())
    return JsonLdError("invalid vocab mapping", "@vocab must be a string or null", at);
  std::string_view s = v->as_string();
  if (p_.Json10() && !IsIriOrBlank(s))
    return JsonLdError("invalid vocab mapping", "@vocab must be an absolute IRI", at);
  std::optional<std::string> vocab = ExpandIri(*result_, s, true, true);
  if (!vocab) return JsonLdError("invalid vocab mapping", "@vocab expands to null", at);
  result_->vocab = std::move(vocab);
  return Status::Ok();
}

Status ContextBuilder::SetLanguageAndDirection() {
  if (const json::value* v = local_.if_contains("@language")) {
    if (v->is_null()) {
      result_->language.reset();
    } else if (v->is_string()) {
      result_->language = AsciiLower(v->as_string());
    } else {
      return JsonLdError("invalid default language", "@language must be a string or null",
                         where_.Key("@language"));
    }
  }
  if (const json::value* v = local_.if_contains("@direction")) {
    Path at = where_.Key("@direction");
    if (p_.Json10()) return JsonLdError("invalid context entry", "@direction in json-ld-1.0", at);
    if (v->is_null()) {
      result_->direction.reset();
    } else if (v->is_string() && (v->as_string() == "ltr" || v->as_string() == "rtl")) {
      result_->direction = std::string(v->as_string());
    } else {
      return JsonLdError("invalid base direction", "@direction must be \"ltr\", \"rtl\" or null",
                         at);
    }
  }
  return Status::Ok();
}

Status ContextBuilder::CheckPropagate() {
  const json::value* v = local_.if_contains("@propagate");
  if (!v) return Status::Ok();
  Path at = where_.Key("@propagate");
  if (p_.Json10()) return JsonLdError("invalid context entry", "@propagate in json-ld-1.0", at);
  if (!v->is_bool()) return JsonLdError("invalid @propagate value", "must be a boolean", at);
  return Status::Ok();
}

Result<std::optional<std::string>> ContextBuilder::Expand(std::string_view value,
                                                          bool document_relative, bool vocab) {
  if (IsKeyword(value) || HasKeywordForm(value)) return ExpandIri(*result_, value, false, false);
  auto depend = [&](std::string_view term) -> Status {
    auto it = defined_.find(term);
    if (local_.contains(term) && (it == defined_.end() || !it->second)) return Define(term);
    return Status::Ok();
  };
  PB_RETURN_IF_ERROR(depend(value));
  size_t colon = value.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    std::string_view prefix = value.substr(0, colon), suffix = value.substr(colon + 1);
    if (prefix != "_" && suffix.substr(0, 2) != "//") PB_RETURN_IF_ERROR(depend(prefix));
  }
  return ExpandIri(*result_, value, document_relative, vocab);
}

Status ContextBuilder::Define(std::string_view term) {
  Path at = where_.Key(term);
  if (auto it = defined_.find(term); it != defined_.end()) {
    if (it->second) return Status::Ok();
    return JsonLdError("cyclic IRI mapping", "term \"" + std::string(term) + "\" depends on itself",
                       at);
  }
  if (term.empty()) return JsonLdError("invalid term definition", "empty term", at);
  PB_RETURN_IF_ERROR(p_.Spend(1, at));
  defined_.emplace(std::string(term), false);
  const json::value& raw = local_.at(term);
  if (term == "@type" && !p_.Json10()) return DefineTypeKeyword(raw, at);
  if (IsKeyword(term))
    return JsonLdError("keyword redefinition", "\"" + std::string(term) + "\" is a keyword", at);
  if (HasKeywordForm(term)) {
    defined_[std::string(term)] = true;  // reserved for future keywords: ignored
    return Status::Ok();
  }
  std::shared_ptr<const TermDefinition> previous;
  if (auto it = result_->terms.find(term); it != result_->terms.end()) {
    previous = it->second;
    result_->terms.erase(it);
  }
  json::object synthesized;
  const json::object* value = &synthesized;
  bool simple = false;
  if (raw.is_null() || raw.is_string()) {
    synthesized["@id"] = raw;
    simple = raw.is_string();
  } else if (raw.is_object()) {
    value = &raw.as_object();
  } else {
    return JsonLdError("invalid term definition", "must be a string, map or null", at);
  }
  PB_RETURN_IF_ERROR(CheckEntries(*value, at));

  TermDefinition def;
  def.is_protected = protected_default_;
  if (const json::value* prot = value->if_contains("@protected")) {
    if (!prot->is_bool())
      return JsonLdError("invalid @protected value", "must be a boolean", at.Key("@protected"));
    def.is_protected = prot->as_bool();
  }
  PB_RETURN_IF_ERROR(DefineType(*value, def, at));
  bool ignored = false;
  PB_RETURN_IF_ERROR(DefineIri(term, *value, simple, def, ignored, at));
  if (ignored) {  // @id or @reverse of keyword form: keep what was there
    if (previous) result_->terms.emplace(std::string(term), previous);
    defined_[std::string(term)] = true;
    return Status::Ok();
  }
  PB_RETURN_IF_ERROR(DefineContainer(*value, def, at));
  PB_RETURN_IF_ERROR(DefineIndex(*value, def, at));
  PB_RETURN_IF_ERROR(DefineScopedContext(*value, def, at));
  PB_RETURN_IF_ERROR(DefineLanguageDirectionNest(*value, def, at));
  PB_RETURN_IF_ERROR(DefinePrefix(term, *value, def, at));
  if (def.iri && (*def.iri == "@context" || *def.iri == "@preserve"))
    return JsonLdError("invalid keyword alias", *def.iri + " cannot be aliased", at);

  if (!flags_.override_protected && previous && previous->is_protected) {
    def.is_protected = true;
    if (!def.SameAs(*previous))
      return JsonLdError("protected term redefinition",
                         "\"" + std::string(term) + "\" is protected", at);
    result_->terms.emplace(std::string(term), previous);
  } else {
    result_->terms.emplace(std::string(term), std::make_shared<TermDefinition>(std::move(def)));
  }
  defined_[std::string(term)] = true;
  return Status::Ok();
}

// In 1.1, @type may only be given @container: @set (and @protected).
Status ContextBuilder::DefineTypeKeyword(const json::value& raw, const Path& at) {
  const json::object* v = raw.if_object();
  bool ok = v && !v->empty();
  if (ok) {
    for (const auto& kv : *v) {
      if (kv.key() == "@container") {
        ok = ok && kv.value() == json::value("@set");
      } else if (kv.key() != "@protected" && kv.key() != "@id") {
        ok = false;
      }
    }
    if (const json::value* id = v->if_contains("@id")) ok = ok && *id == json::value("@type");
  }
  if (!ok)
    return JsonLdError("keyword redefinition", "@type may only set @container: @set", at);
  TermDefinition def;
  def.iri = "@type";
  def.is_protected = protected_default_;
  if (const json::value* prot = v->if_contains("@protected")) {
    if (!prot->is_bool())
      return JsonLdError("invalid @protected value", "must be a boolean", at.Key("@protected"));
    def.is_protected = prot->as_bool();
  }
  if (v->contains("@container")) def.container = kSet;
  auto previous = result_->terms.find("@type");
  if (previous != result_->terms.end() && previous->second->is_protected &&
      !flags_.override_protected) {
    if (!def.SameAs(*previous->second))
      return JsonLdError("protected term redefinition", "\"@type\" is protected", at);
  } else {
    result_->terms.insert_or_assign("@type", std::make_shared<TermDefinition>(std::move(def)));
  }
  defined_["@type"] = true;
  return Status::Ok();
}

Status ContextBuilder::CheckEntries(const json::object& value, const Path& at) {
  static constexpr std::string_view k10[] = {"@container", "@id", "@language", "@reverse",
                                             "@type"};
  static constexpr std::string_view k11[] = {"@context", "@direction", "@index",
                                             "@nest",    "@prefix",    "@protected"};
  for (const auto& kv : value) {
    std::string_view k = kv.key();
    bool ok = std::find(std::begin(k10), std::end(k10), k) != std::end(k10) ||
              (!p_.Json10() && std::find(std::begin(k11), std::end(k11), k) != std::end(k11));
    if (!ok)
      return JsonLdError("invalid term definition", "unexpected entry " + std::string(k), at);
  }
  return Status::Ok();
}

Status ContextBuilder::DefineType(const json::object& value, TermDefinition& def,
                                  const Path& at) {
  const json::value* t = value.if_contains("@type");
  if (!t) return Status::Ok();
  Path tat = at.Key("@type");
  if (!t->is_string()) return JsonLdError("invalid type mapping", "@type must be a string", tat);
  PB_ASSIGN_OR_RETURN(std::optional<std::string> type, Expand(t->as_string(), false, true));
  if (!type) return JsonLdError("invalid type mapping", "@type expands to null", tat);
  if (*type == "@json" || *type == "@none") {
    if (p_.Json10())
      return JsonLdError("invalid type mapping", *type + " in json-ld-1.0 mode", tat);
  } else if (*type != "@id" && *type != "@vocab" && (!IsAbsoluteIri(*type) || IsBlankNode(*type))) {
    return JsonLdError("invalid type mapping", "\"" + *type + "\" is not an IRI", tat);
  }
  def.type = std::move(type);
  return Status::Ok();
}

Status ContextBuilder::DefineIri(std::string_view term, const json::object& value, bool simple,
                                 TermDefinition& def, bool& ignored, const Path& at) {
  if (const json::value* rev = value.if_contains("@reverse")) {
    Path rat = at.Key("@reverse");
    if (value.contains("@id") || value.contains("@nest"))
      return JsonLdError("invalid reverse property", "@reverse with @id or @nest", rat);
    if (!rev->is_string())
      return JsonLdError("invalid IRI mapping", "@reverse must be a string", rat);
    if (HasKeywordForm(rev->as_string())) {
      ignored = true;
      return Status::Ok();
    }
    PB_ASSIGN_OR_RETURN(std::optional<std::string> iri, Expand(rev->as_string(), false, true));
    if (!iri || !IsIriOrBlank(*iri))
      return JsonLdError("invalid IRI mapping", "@reverse must expand to an IRI", rat);
    def.iri = std::move(iri);
    def.reverse = true;
    return Status::Ok();
  }
  const json::value* id = value.if_contains("@id");
  if (id && !(id->is_string() && id->as_string() == term))
    return DefineIdMapping(term, *id, simple, def, ignored, at);
  return DefineImplicitIri(term, def, at);
}

Status ContextBuilder::DefineIdMapping(std::string_view term, const json::value& id, bool simple,
                                       TermDefinition& def, bool& ignored, const Path& at) {
  Path iat = at.Key("@id");
  if (id.is_null()) return Status::Ok();  // reserved: maps to null
  if (!id.is_string()) return JsonLdError("invalid IRI mapping", "@id must be a string", iat);
  std::string_view s = id.as_string();
  if (!IsKeyword(s) && HasKeywordForm(s)) {
    ignored = true;
    return Status::Ok();
  }
  PB_ASSIGN_OR_RETURN(std::optional<std::string> iri, Expand(s, false, true));
  if (!iri || (!IsKeyword(*iri) && !IsIriOrBlank(*iri)))
    return JsonLdError("invalid IRI mapping", "@id must expand to an IRI or keyword", iat);
  if (*iri == "@context") return JsonLdError("invalid keyword alias", "@context alias", iat);
  size_t colon = term.find(':', 1);
  bool iri_like = (colon != std::string_view::npos && colon + 1 < term.size()) ||
                  term.find('/') != std::string_view::npos;
  if (iri_like && !p_.Json10()) {  // a 1.1 rule: 1.0 let such terms map anywhere
    defined_[std::string(term)] = true;
    PB_ASSIGN_OR_RETURN(std::optional<std::string> own, Expand(term, false, true));
    if (own != iri)
      return JsonLdError("invalid IRI mapping",
                         "term \"" + std::string(term) + "\" has the form of an IRI but maps to " +
                             *iri,
                         iat);
  }
  bool plain = term.find(':') == std::string_view::npos && term.find('/') == std::string_view::npos;
  def.prefix = plain && simple && (EndsWithGenDelim(*iri) || IsBlankNode(*iri));
  def.iri = std::move(iri);
  return Status::Ok();
}

Status ContextBuilder::DefineImplicitIri(std::string_view term, TermDefinition& def,
                                         const Path& at) {
  size_t colon = term.find(':', 1);
  if (colon != std::string_view::npos) {
    std::string_view prefix = term.substr(0, colon);
    if (local_.contains(prefix)) PB_RETURN_IF_ERROR(Define(prefix));
    const TermDefinition* p = result_->Find(prefix);
    if (p && p->iri) {
      def.iri = *p->iri + std::string(term.substr(colon + 1));
    } else {
      def.iri = std::string(term);
    }
    return Status::Ok();
  }
  if (term.find('/') != std::string_view::npos) {
    // A relative IRI term: expanded against @vocab only, not as a dependency.
    std::optional<std::string> iri = ExpandIri(*result_, term, false, true);
    if (!iri || !IsAbsoluteIri(*iri))
      return JsonLdError("invalid IRI mapping", "relative term without @vocab", at);
    def.iri = std::move(iri);
    return Status::Ok();
  }
  if (term == "@type") {
    def.iri = "@type";
    return Status::Ok();
  }
  if (!result_->vocab)
    return JsonLdError("invalid IRI mapping",
                       "term \"" + std::string(term) + "\" has no @id and there is no @vocab", at);
  def.iri = *result_->vocab + std::string(term);
  return Status::Ok();
}

Status ContextBuilder::DefineContainer(const json::object& value, TermDefinition& def,
                                       const Path& at) {
  const json::value* c = value.if_contains("@container");
  if (!c || c->is_null()) return Status::Ok();
  Path cat = at.Key("@container");
  auto bad = [&](std::string_view why) { return JsonLdError("invalid container mapping", why, cat); };
  std::vector<std::string_view> items;
  if (c->is_string()) {
    items.push_back(c->as_string());
  } else if (c->is_array() && !p_.Json10()) {
    for (const auto& e : c->as_array()) {
      if (!e.is_string()) return bad("container entries must be strings");
      items.push_back(e.as_string());
    }
  } else {
    return bad("@container must be a string or an array");
  }
  uint8_t bits = 0;
  for (std::string_view s : items) {
    uint8_t b = s == "@list" ? kList : s == "@set" ? kSet : s == "@index" ? kIndex
              : s == "@language" ? kLanguage : s == "@graph" ? kGraph : s == "@id" ? kId
              : s == "@type" ? kType : 0;
    if (b == 0) return bad("unknown container " + std::string(s));
    if (p_.Json10() && (b & (kGraph | kId | kType))) return bad(std::string(s) + " in json-ld-1.0");
    bits |= b;
  }
  int n = std::popcount(static_cast<unsigned>(bits));
  bool valid = (bits & kList)    ? n == 1
               : (bits & kGraph) ? !(bits & ~(kGraph | kId | kIndex | kSet)) &&
                                       !((bits & kId) && (bits & kIndex))
                                 : n <= ((bits & kSet) ? 2 : 1);
  if (!valid) return bad("invalid combination of containers");
  def.container = bits;
  if (bits & kType) {
    if (!def.type) def.type = "@id";
    if (*def.type != "@id" && *def.type != "@vocab")
      return JsonLdError("invalid type mapping", "@type containers need @type @id or @vocab", cat);
  }
  if (def.reverse && (bits & ~(kIndex | kSet)))
    return JsonLdError("invalid reverse property", "reverse terms allow only @set and @index", cat);
  return Status::Ok();
}

Status ContextBuilder::DefineIndex(const json::object& value, TermDefinition& def,
                                   const Path& at) {
  const json::value* idx = value.if_contains("@index");
  if (!idx) return Status::Ok();
  Path iat = at.Key("@index");
  if (!(def.container & kIndex))
    return JsonLdError("invalid term definition", "@index without an @index container", iat);
  if (!idx->is_string() || idx->as_string().empty() || idx->as_string()[0] == '@')
    return JsonLdError("invalid term definition", "@index must be a property", iat);
  def.index = std::string(idx->as_string());
  return Status::Ok();
}

Status ContextBuilder::DefineScopedContext(const json::object& value, TermDefinition& def,
                                           const Path& at) {
  const json::value* ctx = value.if_contains("@context");
  if (!ctx) return Status::Ok();
  Path cat = at.Key("@context");
  def.context = ContextJson{ctx, owner_};
  def.base_url = base_url_;
  // Processed now only to report errors early (applied again when used).
  // Every definition is checked, so a processed context does not depend on
  // what the call checked before, and the process-wide cache may hold it.
  ContextFlags flags;
  flags.override_protected = true;
  flags.validate_scoped = false;
  auto checked = p_.ProcessContext(*result_, def.context, base_url_, cat, flags, remote_,
                                   depth_ + 1);
  if (!checked.ok()) {
    if (checked.status().code() != Code::kInvalidArgument) return checked.status();
    return JsonLdError("invalid scoped context", checked.status().message(), cat);
  }
  return Status::Ok();
}

Status ContextBuilder::DefineLanguageDirectionNest(const json::object& value, TermDefinition& def,
                                                   const Path& at) {
  const bool typed = value.contains("@type");
  if (const json::value* lang = value.if_contains("@language"); lang && !typed) {
    if (!lang->is_null() && !lang->is_string())
      return JsonLdError("invalid language mapping", "@language must be a string or null",
                         at.Key("@language"));
    def.has_language = true;
    if (lang->is_string()) def.language = AsciiLower(lang->as_string());
  }
  if (const json::value* dir = value.if_contains("@direction"); dir && !typed) {
    bool ok = dir->is_null() ||
              (dir->is_string() && (dir->as_string() == "ltr" || dir->as_string() == "rtl"));
    if (!ok)
      return JsonLdError("invalid base direction", "@direction must be \"ltr\", \"rtl\" or null",
                         at.Key("@direction"));
    def.has_direction = true;
    if (dir->is_string()) def.direction = std::string(dir->as_string());
  }
  if (const json::value* nest = value.if_contains("@nest")) {
    if (!nest->is_string() || (nest->as_string() != "@nest" && !nest->as_string().empty() &&
                               nest->as_string()[0] == '@'))
      return JsonLdError("invalid @nest value", "@nest must be a term or @nest", at.Key("@nest"));
    def.nest = std::string(nest->as_string());
  }
  return Status::Ok();
}

Status ContextBuilder::DefinePrefix(std::string_view term, const json::object& value,
                                    TermDefinition& def, const Path& at) {
  const json::value* prefix = value.if_contains("@prefix");
  if (!prefix) return Status::Ok();
  Path pat = at.Key("@prefix");
  if (term.find(':') != std::string_view::npos || term.find('/') != std::string_view::npos)
    return JsonLdError("invalid term definition", "@prefix on a compact IRI or IRI term", pat);
  if (!prefix->is_bool()) return JsonLdError("invalid @prefix value", "must be a boolean", pat);
  def.prefix = prefix->as_bool();
  if (def.prefix && def.iri && IsKeyword(*def.iri))
    return JsonLdError("invalid term definition", "a keyword alias cannot be a prefix", pat);
  return Status::Ok();
}

}  // namespace

namespace {

constexpr size_t kMaxInlineContextText = 4096;  // larger inline contexts: per-call cache only
constexpr size_t kBytesPerTerm = 128;             // a term's map node, key and share

void AppendU64(std::string& out, uint64_t v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// A small local context by its JSON text ("t", length, text), or "" for a
// large one (kept out of the caches' keys).
std::string TextIdentity(const json::value& local) {
  std::string text = json::serialize(local);
  if (text.size() > kMaxInlineContextText) return {};
  std::string identity = "t";
  AppendU64(identity, text.size());
  return identity.append(text);
}

// What a context's processing depends on besides the active context and
// the local context itself.
void AppendInputs(std::string& out, const std::string& base_url, ContextFlags flags,
                  const std::vector<std::string>& remote_contexts) {
  out += static_cast<char>('0' + flags.override_protected + 2 * flags.propagate +
                           4 * flags.validate_scoped);
  out.append(base_url).push_back('\0');
  for (const auto& r : remote_contexts) out.append(r).push_back('\0');
}

}  // namespace

// Type- and property-scoped contexts recur for every node that uses them,
// and the credentials contexts for every credential; contexts are
// immutable, so a result is reusable for the same inputs. Within the call a
// local context is known by its address, and a small one that the document
// holds also by its text (documents repeat them: each embedded credential
// carries its own @context), which is how the process-wide cache knows it.
Result<const ActiveContext*> Processor::ProcessContext(const ActiveContext& active,
                                                       const ContextJson& local,
                                                       const std::string& base_url,
                                                       const Path& where, ContextFlags flags,
                                                       std::vector<std::string> remote_contexts,
                                                       size_t depth) {
  PB_RETURN_IF_ERROR(CheckDepth(depth, where));
  PB_RETURN_IF_ERROR(Spend(1, where));
  deepest_ = std::max(deepest_, depth);
  key_buffer_.clear();
  AppendU64(key_buffer_, active.identity.id());
  AppendU64(key_buffer_, reinterpret_cast<uintptr_t>(local.value));
  const size_t inputs_at = key_buffer_.size();
  AppendInputs(key_buffer_, base_url, flags, remote_contexts);
  if (auto it = call_cache_.find(key_buffer_); it != call_cache_.end()) return it->second.get();
  const std::string address_key = key_buffer_;  // nested calls reuse the buffer
  const std::string_view inputs = std::string_view(address_key).substr(inputs_at);

  const std::string text = local.owner ? std::string() : TextIdentity(*local.value);
  std::string text_key;
  if (!text.empty()) {
    AppendU64(text_key, active.identity.id());
    text_key.append(text).append(inputs);
    if (auto it = call_cache_.find(text_key); it != call_cache_.end()) {
      call_cache_.emplace(address_key, it->second);
      return it->second.get();
    }
  }
  std::string shared_key;
  const bool shared = flags.validate_scoped && SharedKey(active, local, text, inputs, shared_key);
  std::shared_ptr<const CachedContext> entry;
  if (shared) entry = ContextCache::Global().Find(shared_key);
  // A hit stands for processing that fit this call's limits; otherwise the
  // processing runs, and fails where it would have without the cache.
  if (entry && work_ + entry->work <= options_.max_work &&
      depth + entry->depth <= options_.max_depth &&
      entry->remote <= options_.max_remote_contexts) {
    PB_RETURN_IF_ERROR(Spend(entry->work, where));
    deepest_ = std::max(deepest_, depth + entry->depth);
    most_remote_ = std::max(most_remote_, entry->remote);
  } else {
    ContextJson input = local;
    if (shared && !local.owner) {
      // Processed from an owned copy, so the cached result's scoped contexts
      // do not point into the caller's document.
      auto copy = std::make_shared<const json::value>(*local.value);
      input = ContextJson{copy.get(), copy};
    }
    PB_ASSIGN_OR_RETURN(entry, ProcessRecorded(active.shared_from_this(), input, base_url, where,
                                               flags, std::move(remote_contexts), depth));
    if (shared) {
      entry->result->identity.MarkShared();
      size_t bytes = sizeof(ActiveContext) + entry->result->terms.size() * kBytesPerTerm +
                     4 * shared_key.size();
      ContextCache::Global().Insert(std::move(shared_key), entry, bytes);
    }
  }
  call_cache_.emplace(address_key, entry->result);
  if (!text_key.empty()) call_cache_.emplace(std::move(text_key), entry->result);
  return entry->result.get();
}

// Processes a context, recording what that needed (work, nesting, remote
// contexts) so a later cache hit can be charged and checked the same way.
Result<std::shared_ptr<const CachedContext>> Processor::ProcessRecorded(
    const ContextPtr& active, const ContextJson& local, const std::string& base_url,
    const Path& where, ContextFlags flags, std::vector<std::string> remote_contexts,
    size_t depth) {
  const size_t work_before = work_, outer_deepest = deepest_, outer_remote = most_remote_;
  deepest_ = depth;
  most_remote_ = remote_contexts.size();
  auto result = ProcessUncached(active, local, base_url, where, flags, std::move(remote_contexts),
                                depth);
  auto entry = std::make_shared<CachedContext>();
  entry->work = work_ - work_before;
  entry->depth = deepest_ - depth;
  entry->remote = most_remote_;
  entry->keep = local.owner;
  deepest_ = std::max(outer_deepest, deepest_);
  most_remote_ = std::max(outer_remote, most_remote_);
  PB_RETURN_IF_ERROR(result.status());  // errors are not cached: they recur every time
  entry->result = std::move(*result);
  return std::shared_ptr<const CachedContext>(std::move(entry));
}

// Key: the loader's scope, the options the result depends on, the active
// context (0: this call's initial context), the local context (its address
// when an owner keeps it, else its text), then the other inputs. (Passes that
// only validate a scoped context are not cached: they apply it to a context
// still being built, which never recurs.)
bool Processor::SharedKey(const ActiveContext& active, const ContextJson& local,
                          std::string_view text, std::string_view inputs,
                          std::string& key) const {
  const bool initial = &active == initial_.get();
  if (scope_.empty() || !(initial || active.identity.shared())) return false;
  if (!local.owner && text.empty()) return false;  // a large inline context
  key.append(scope_).push_back('\0');
  key.append(options_.base).push_back('\0');
  key += Json10() ? '0' : '1';
  AppendU64(key, initial ? 0 : active.identity.id());
  if (local.owner) {
    key += 'p';
    AppendU64(key, reinterpret_cast<uintptr_t>(local.value));
  } else {
    key.append(text);
  }
  key.append(inputs);
  return true;
}

Result<ContextPtr> Processor::ProcessUncached(const ContextPtr& active, const ContextJson& local,
                                              const std::string& base_url, const Path& where,
                                              ContextFlags flags,
                                              std::vector<std::string> remote_contexts,
                                              size_t depth) {
  if (const json::object* o = local.value->if_object()) {
    if (const json::value* prop = o->if_contains("@propagate")) {
      if (!prop->is_bool())
        return JsonLdError("invalid @propagate value", "must be a boolean",
                           where.Key("@propagate"));
      flags.propagate = prop->as_bool();
    }
  }
  ContextPtr result = active;
  if (!flags.propagate && !result->previous) {
    auto copy = Clone(*active);
    copy->previous = active;
    result = std::move(copy);
  }
  const bool is_array = local.value->is_array();
  const size_t n = is_array ? local.value->as_array().size() : 1;
  for (size_t i = 0; i < n; ++i) {
    const json::value& item = is_array ? local.value->as_array()[i] : *local.value;
    Path at = is_array ? where.Index(i) : where;
    if (item.is_null()) {
      PB_RETURN_IF_ERROR(Spend(1 + result->terms.size() / 4, at));
      if (!flags.override_protected && result->HasProtected())
        return JsonLdError("invalid context nullification", "the context has protected terms", at);
      auto fresh = Clone(*InitialContext());
      if (!flags.propagate) fresh->previous = result;
      result = std::move(fresh);
      continue;
    }
    if (item.is_string()) {
      std::string url = ResolveIri(base_url, item.as_string());
      if (!flags.validate_scoped &&
          std::find(remote_contexts.begin(), remote_contexts.end(), url) != remote_contexts.end())
        continue;
      if (Json10() &&
          std::find(remote_contexts.begin(), remote_contexts.end(), url) != remote_contexts.end())
        return JsonLdError("recursive context inclusion", url + " includes itself", at);
      if (remote_contexts.size() >= options_.max_remote_contexts)
        return JsonLdError("context overflow", "too many nested remote contexts at " + url, at);
      remote_contexts.push_back(url);
      most_remote_ = std::max(most_remote_, remote_contexts.size());
      PB_ASSIGN_OR_RETURN(ContextJson doc, LoadContext(url, at));
      Path origin = at.Origin(url);
      ContextFlags nested = flags;
      nested.propagate = true;
      PB_ASSIGN_OR_RETURN(const ActiveContext* loaded,
                          ProcessContext(*result, doc, url, origin.Key("@context"), nested,
                                         remote_contexts, depth + 1));
      result = loaded->shared_from_this();
      continue;
    }
    if (!item.is_object())
      return JsonLdError("invalid local context", "a context must be a map, string or null", at);
    PB_ASSIGN_OR_RETURN(ContextJson def,
                        WithImport(ContextJson{&item, local.owner}, base_url, at));
    PB_RETURN_IF_ERROR(Spend(1 + result->terms.size() / 4, at));
    std::shared_ptr<ActiveContext> building = Clone(*result);
    ContextBuilder builder(*this, building, def.value->as_object(), def.owner, base_url, at,
                           flags, remote_contexts, depth);
    PB_RETURN_IF_ERROR(builder.Run());
    result = std::move(building);
  }
  return result;
}

std::shared_ptr<ActiveContext> Processor::Clone(const ActiveContext& ctx) {
  return std::make_shared<ActiveContext>(ctx);
}

// A context definition with @import: the imported map, overridden by the
// definition's own entries.
Result<ContextJson> Processor::WithImport(const ContextJson& def, const std::string& base_url,
                                          const Path& at) {
  const json::value* imp = def.value->as_object().if_contains("@import");
  if (!imp) return def;
  Path iat = at.Key("@import");
  if (Json10()) return JsonLdError("invalid context entry", "@import in json-ld-1.0", iat);
  if (!imp->is_string()) return JsonLdError("invalid @import value", "must be a string", iat);
  std::string url = ResolveIri(base_url, imp->as_string());
  PB_ASSIGN_OR_RETURN(ContextJson doc, LoadContext(url, iat));
  const json::object* imported = doc.value->if_object();
  if (!imported) return JsonLdError("invalid remote context", url + ": @context must be a map", iat);
  if (imported->contains("@import"))
    return JsonLdError("invalid context entry", url + " itself has @import", iat);
  auto merged = std::make_shared<json::value>(*imported);
  for (const auto& kv : def.value->as_object()) merged->as_object()[kv.key()] = kv.value();
  return ContextJson{merged.get(), merged};
}

}  // namespace pathbridge::jsonld::internal
