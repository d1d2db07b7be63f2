#include "ledger/credentials/vc.h"

namespace pathbridge::credentials {

namespace json = boost::json;

namespace {

std::string StringMember(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

bool IsVc11(const json::object& credential) {
  std::vector<std::string> contexts = Strings(credential.if_contains("@context"));
  return !contexts.empty() && contexts.front() == kVc11Context;
}

std::vector<std::string> Strings(const json::value* member) {
  std::vector<std::string> out;
  for (const json::value* v : Items(member))
    if (v->is_string()) out.emplace_back(v->as_string());
  return out;
}

bool HasType(const json::object& object, std::string_view type) {
  for (const std::string& t : Strings(object.if_contains("type")))
    if (t == type) return true;
  return false;
}

std::string IssuerId(const json::object& credential) {
  const json::value* issuer = credential.if_contains("issuer");
  if (!issuer) return {};
  if (issuer->is_string()) return std::string(issuer->as_string());
  return issuer->is_object() ? StringMember(issuer->as_object(), "id") : std::string();
}

std::string IssuerName(const json::object& credential) {
  const json::value* issuer = credential.if_contains("issuer");
  if (issuer && issuer->is_object()) {
    std::string name = StringMember(issuer->as_object(), "name");
    if (!name.empty()) return name;
  }
  return IssuerId(credential);
}

std::string CredentialLabel(const json::object& credential) {
  std::string label = StringMember(credential, "name");
  if (label.empty()) label = StringMember(credential, "id");
  return label.empty() ? "the credential" : label;
}

std::vector<const json::value*> Items(const json::value* member) {
  std::vector<const json::value*> out;
  if (!member) return out;
  if (member->is_array()) {
    for (const json::value& v : member->as_array()) out.push_back(&v);
  } else {
    out.push_back(member);
  }
  return out;
}

}  // namespace pathbridge::credentials
