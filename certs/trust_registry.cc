#include "certs/trust_registry.h"

#include <algorithm>

#include <boost/json.hpp>

#include "certs/json_file.h"
#include "standards/json_fields.h"

namespace pathbridge::certs {
namespace {

namespace bj = boost::json;

constexpr std::size_t kMaxTrustFile = 4u << 20;

Result<std::vector<std::string>> Strings(const json::JsonFields& f, std::string_view key) {
  std::vector<std::string> out;
  const bj::value* v = f.object().if_contains(key);
  if (!v) return out;
  if (!v->is_array() || v->get_array().empty())
    return InvalidArgument("want a non-empty array of strings", f.Where(key));
  for (std::size_t i = 0; i < v->get_array().size(); ++i) {
    const bj::value& s = v->get_array()[i];
    if (!s.is_string() || s.get_string().empty())
      return InvalidArgument("want a non-empty string", f.Where(key) + "/" + std::to_string(i));
    out.emplace_back(s.get_string());
  }
  return out;
}

Result<TrustEntry> ParseEntry(const bj::value& v, const std::string& where) {
  if (!v.is_object()) return InvalidArgument("an entry is a JSON object", where);
  const json::JsonFields f(v.get_object(), where);
  PB_RETURN_IF_ERROR(f.OnlyThese({"name", "description", "id", "idPrefix", "validFrom",
                                  "validUntil", "credentialTypes"}));
  TrustEntry e;
  PB_ASSIGN_OR_RETURN(std::string_view name, f.String("name"));
  e.name = name;
  PB_ASSIGN_OR_RETURN(std::string_view id, f.OptionalString("id"));
  PB_ASSIGN_OR_RETURN(std::string_view prefix, f.OptionalString("idPrefix"));
  if (id.empty() == prefix.empty())
    return InvalidArgument("give exactly one of \"id\" and \"idPrefix\"", where);
  if (!id.empty() && id.find(':') == std::string_view::npos)
    return InvalidArgument("an issuer id is a DID or URL", f.Where("id"));
  if (!prefix.empty() && !prefix.ends_with(':') && !prefix.ends_with('/'))
    return InvalidArgument("an idPrefix must end in ':' or '/', or it admits look-alike issuers "
                           "(\"did:web:hub.example\" would admit \"did:web:hub.example.evil\")",
                           f.Where("idPrefix"));
  e.id = id;
  e.id_prefix = prefix;
  PB_ASSIGN_OR_RETURN(e.valid_from, f.OptionalTimestamp("validFrom"));
  PB_ASSIGN_OR_RETURN(e.valid_until, f.OptionalTimestamp("validUntil"));
  if (e.valid_from && e.valid_until && *e.valid_from >= *e.valid_until)
    return InvalidArgument("validUntil must be after validFrom", f.Where("validUntil"));
  PB_ASSIGN_OR_RETURN(e.credential_types, Strings(f, "credentialTypes"));
  return e;
}

// Why `e`, which names the issuer, does not trust this credential now; "" if it does.
std::string Refusal(const TrustEntry& e, const std::vector<std::string>& types, Timestamp at) {
  if (e.valid_from && at < *e.valid_from) return "it trusts the issuer from " + FormatRfc3339(*e.valid_from);
  if (e.valid_until && at >= *e.valid_until)
    return "it trusted the issuer until " + FormatRfc3339(*e.valid_until);
  if (e.credential_types.empty()) return {};
  for (const auto& t : types)
    if (std::find(e.credential_types.begin(), e.credential_types.end(), t) !=
        e.credential_types.end())
      return {};
  std::string listed;
  for (const auto& t : e.credential_types) listed += (listed.empty() ? "" : ", ") + t;
  return "it trusts the issuer only for " + listed;
}

}  // namespace

Result<TrustMatch> TrustRegistry::Match(std::string_view issuer_id,
                                        const std::vector<std::string>& credential_types,
                                        Timestamp at) const {
  std::string refusals;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const TrustEntry& e = entries_[i];
    if (e.id.empty() ? !issuer_id.starts_with(e.id_prefix) : issuer_id != e.id) continue;
    const std::string refusal = Refusal(e, credential_types, at);
    if (refusal.empty()) return TrustMatch{e.name, i};
    refusals += "; entry " + std::to_string(i) + " (" + e.name + "): " + refusal;
  }
  if (refusals.empty())
    return VerificationFailed("the issuer is not on trust list \"" + name_ + "\"",
                              std::string(issuer_id));
  return VerificationFailed("trust list \"" + name_ + "\" does not accept this credential" +
                                refusals,
                            std::string(issuer_id));
}

Result<TrustRegistry> ParseTrustRegistry(const bj::value& value, std::string_view where) {
  if (!value.is_object()) return InvalidArgument("a trust list is a JSON object", std::string(where));
  const json::JsonFields f(value.get_object(), std::string(where) + ":");
  PB_RETURN_IF_ERROR(f.OnlyThese({"name", "description", "entries"}));
  PB_ASSIGN_OR_RETURN(std::string_view name, f.String("name"));
  const bj::value* entries = f.object().if_contains("entries");
  if (!entries || !entries->is_array())
    return InvalidArgument("want an array of entries", f.Where("entries"));
  std::vector<TrustEntry> parsed;
  for (std::size_t i = 0; i < entries->get_array().size(); ++i) {
    PB_ASSIGN_OR_RETURN(TrustEntry e, ParseEntry(entries->get_array()[i],
                                                 f.Where("entries") + "/" + std::to_string(i)));
    parsed.push_back(std::move(e));
  }
  return TrustRegistry(std::string(name), std::move(parsed));
}

Result<TrustRegistry> LoadTrustRegistry(const std::filesystem::path& path) {
  PB_ASSIGN_OR_RETURN(bj::value v, ReadJsonFile(path, kMaxTrustFile));
  return ParseTrustRegistry(v, path.string());
}

TrustRegistry OrganizationsTrustRegistry(const std::vector<Organization>& orgs) {
  std::vector<TrustEntry> entries;
  for (const auto& org : orgs) {
    std::vector<std::string> dids;
    for (const auto& k : org.keys)
      if (std::string did = org.DidOf(k); std::find(dids.begin(), dids.end(), did) == dids.end())
        dids.push_back(std::move(did));
    for (auto& did : dids) entries.push_back({org.name, std::move(did), {}, {}, {}, {}});
  }
  return TrustRegistry("this hub's organizations", std::move(entries));
}

}  // namespace pathbridge::certs
