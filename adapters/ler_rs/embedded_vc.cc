#include "adapters/ler_rs/embedded_vc.h"

#include <algorithm>

#include "adapters/json_document.h"
#include "adapters/open_badges/vocabulary.h"
#include "standards/jsonld.h"

namespace pathbridge::adapters::ler_rs {
namespace {

namespace json = boost::json;
using namespace canonical;

// The id of a member that is a URI string or an object with an id.
std::string IdOf(const json::value* v) {
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  return StringMember(v, "id");
}

const json::object* FirstObject(const json::value* v) {
  for (const json::value* e : OneOrMany(v))
    if (e->is_object()) return &e->get_object();
  return nullptr;
}

}  // namespace

std::string DatePart(std::string_view t) {
  return std::string(t.size() > 10 && t[10] == 'T' ? t.substr(0, 10) : t);
}

const json::object* CredentialOf(const json::object& verification) {
  if (verification.contains("credentialSubject")) return &verification;
  if (const auto* other = ObjectMember(verification, "otherW3CVerifiableCredential")) return other;
  return nullptr;
}

bool IsNamedInCatalog(const json::object& vc) {
  return open_badges::IsAchievementCredential(vc) || open_badges::HasType(vc, "ClrCredential");
}

Status CheckContexts(const json::object& vc, const std::string& pointer) {
  auto expanded = jsonld::Expand(json::value(vc), jsonld::BundledLoader::Instance());
  if (expanded.ok()) return Status::Ok();
  return Status(expanded.status().code(),
                "embedded credential: " + expanded.status().message(),
                pointer + expanded.status().where());
}

pathbridge::Result<std::vector<Record>> DecodeOpenBadge(const json::object& vc,
                                                        const std::string& pointer,
                                                        const std::string& person_id,
                                                        const std::string& fallback_id,
                                                        AwardKind kind) {
  PB_RETURN_IF_ERROR(CheckContexts(vc, pointer));
  const json::object* subject = FirstObject(vc.if_contains("credentialSubject"));
  const json::object* achievement =
      subject != nullptr ? ObjectMember(*subject, "achievement") : nullptr;
  if (achievement == nullptr)
    return InvalidArgument("an Open Badges credential needs credentialSubject.achievement",
                           Child(pointer, "credentialSubject"));
  std::vector<Record> out;

  Organization issuer;
  issuer.id = IdOf(vc.if_contains("issuer"));
  if (const auto* o = ObjectMember(vc, "issuer")) {
    issuer.name = StringMember(*o, "name");
    issuer.url = StringMember(*o, "url");
    issuer.email = StringMember(*o, "email");
  }
  issuer.source.pointer = Child(pointer, "issuer");
  if (!issuer.id.empty()) out.push_back(issuer);

  CredentialDefinition def;
  def.id = StringMember(*achievement, "id");
  if (def.id.empty()) def.id = fallback_id + "#achievement";
  def.definition_type = StringMember(*achievement, "achievementType");
  for (const json::value* t : OneOrMany(achievement->if_contains("type")))
    if (def.definition_type.empty() && t->is_string() && t->get_string() != "Achievement")
      def.definition_type = std::string(t->get_string());
  if (def.definition_type.empty()) def.definition_type = "Achievement";
  def.name = StringMember(*achievement, "name");
  def.description = StringMember(*achievement, "description");
  def.criteria = StringMember(achievement->if_contains("criteria"), "narrative");
  def.image = IdOf(achievement->if_contains("image"));
  def.owner_org_id = IdOf(achievement->if_contains("creator"));
  if (def.owner_org_id.empty()) def.owner_org_id = issuer.id;
  def.credits = NumberMember(*achievement, "creditsAvailable");
  for (const json::value* tag : OneOrMany(achievement->if_contains("tag")))
    if (tag->is_string()) def.keywords.emplace_back(tag->get_string());
  for (const json::value* a : OneOrMany(achievement->if_contains("alignment"))) {
    std::string framework = StringMember(a, "targetType") == "ceterms:Credential"
                                ? "CTDL"
                                : StringMember(a, "targetFramework");
    std::string code = StringMember(a, "targetCode");
    if (code.empty()) code = StringMember(a, "targetUrl");
    if (!code.empty()) def.alignments.push_back({framework, code});
  }
  def.source.pointer = Child(Child(pointer, "credentialSubject"), "achievement");
  out.push_back(def);

  AchievementAward award;
  award.id = StringMember(vc, "id");
  if (award.id.empty()) award.id = fallback_id;
  award.kind = kind;
  award.person_id = person_id;
  award.title = StringMember(vc, "name");
  if (award.title.empty()) award.title = def.name;
  award.description = def.description;
  award.issuer_org_id = issuer.id;
  std::string from = StringMember(vc, "validFrom");
  award.award_date = DatePart(from.empty() ? StringMember(vc, "issuanceDate") : from);
  std::string until = StringMember(vc, "validUntil");
  award.expiration_date = DatePart(until.empty() ? StringMember(vc, "expirationDate") : until);
  award.field_of_study = StringMember(*achievement, "fieldOfStudy");
  award.credits_earned = NumberMember(*subject, "creditsEarned");
  for (const json::value* id : OneOrMany(achievement->if_contains("otherIdentifier")))
    award.identifiers.push_back({StringMember(id, "identifierType"), StringMember(id, "identifier")});
  award.definition_id = def.id;
  award.source.pointer = pointer;
  out.push_back(std::move(award));
  return out;
}

}  // namespace pathbridge::adapters::ler_rs
