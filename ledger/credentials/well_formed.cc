#include "ledger/credentials/well_formed.h"

#include <set>

#include "ledger/credentials/vc.h"

namespace pathbridge::credentials {

namespace json = boost::json;

namespace {

// Prepended as the first context of a copy of the credential, so that a term
// no later context defines expands to this prefix instead of vanishing.
constexpr std::string_view kUndefinedVocab = "urn:pathbridge:undefined-term:";

Status CheckShape(const json::object& c) {
  std::vector<std::string> contexts = Strings(c.if_contains("@context"));
  if (contexts.empty() || (contexts.front() != kVc2Context && contexts.front() != kVc11Context))
    return InvalidArgument("the first @context must be " + std::string(kVc2Context) +
                               " (or " + std::string(kVc11Context) + " for VC 1.1)",
                           "/@context");
  if (!HasType(c, "VerifiableCredential"))
    return InvalidArgument("type must include \"VerifiableCredential\"", "/type");
  if (IssuerId(c).empty())
    return InvalidArgument("the issuer is missing (a URL, or an object with an id)", "/issuer");
  const json::value* subject = c.if_contains("credentialSubject");
  if (!subject || Items(subject).empty())
    return InvalidArgument("credentialSubject is missing", "/credentialSubject");
  for (const json::value* s : Items(subject))
    if (!s->is_object()) return InvalidArgument("credentialSubject must be an object", "/credentialSubject");
  return Status::Ok();
}

Status CheckContextsKnown(const json::object& c, const jsonld::DocumentLoader& loader) {
  for (const std::string& url : Strings(c.if_contains("@context")))
    if (!loader.Load(url).ok())
      return InvalidArgument("uses the context " + url +
                                 ", which pathbridge does not have offline (it never fetches contexts)",
                             "/@context");
  return Status::Ok();
}

void CollectUndefined(const json::value& v, std::set<std::string>& out) {
  auto note = [&](std::string_view s) {
    if (s.starts_with(kUndefinedVocab)) out.emplace(s.substr(kUndefinedVocab.size()));
  };
  if (v.is_string()) {
    note(v.as_string());
  } else if (v.is_array()) {
    for (const json::value& item : v.as_array()) CollectUndefined(item, out);
  } else if (v.is_object()) {
    for (const auto& [key, value] : v.as_object()) {
      note(key);
      CollectUndefined(value, out);
    }
  }
}

Status CheckTermsDefined(const json::object& c, const jsonld::DocumentLoader& loader) {
  json::object probe = c;
  json::array contexts{json::object{{"@vocab", kUndefinedVocab}}};
  for (const json::value* ctx : Items(c.if_contains("@context"))) contexts.push_back(*ctx);
  probe["@context"] = std::move(contexts);
  auto expanded = jsonld::Expand(probe, loader);
  if (!expanded.ok())
    return InvalidArgument("its JSON-LD does not process: " + expanded.status().message(),
                           expanded.status().where());
  std::set<std::string> undefined;
  CollectUndefined(*expanded, undefined);
  if (undefined.empty()) return Status::Ok();
  std::string list;
  for (const std::string& term : undefined) list += (list.empty() ? "" : ", ") + term;
  return InvalidArgument("uses terms that none of its contexts define: " + list);
}

}  // namespace

Status CheckWellFormed(const json::object& credential, const jsonld::DocumentLoader& loader) {
  PB_RETURN_IF_ERROR(CheckShape(credential));
  PB_RETURN_IF_ERROR(CheckContextsKnown(credential, loader));
  return CheckTermsDefined(credential, loader);
}

}  // namespace pathbridge::credentials
