#include "adapters/ctdl/resources.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "adapters/json_document.h"

namespace pathbridge::adapters::ctdl {
namespace {

namespace json = boost::json;
using namespace canonical;

constexpr std::string_view kPrefix = "ceterms:";

constexpr std::string_view kCredentialClasses[] = {
    "Credential", "AcademicCertificate", "ApprenticeshipCertificate", "AssociateDegree",
    "AssociateOfAppliedArtsDegree", "AssociateOfAppliedScienceDegree", "AssociateOfArtsDegree",
    "AssociateOfScienceDegree", "BachelorDegree", "BachelorOfArtsDegree",
    "BachelorOfScienceDegree", "Badge", "BasicTechnicalCertificate", "Certificate",
    "CertificateOfCompletion", "CertificateOfParticipation", "Certification", "Degree",
    "DigitalBadge", "Diploma", "DoctoralDegree", "GeneralEducationDevelopment",
    "JourneymanCertificate", "License", "MasterCertificate", "MasterDegree",
    "MasterOfArtsDegree", "MasterOfScienceDegree", "MicroCredential", "OpenBadge",
    "PostBaccalaureateCertificate", "PostMasterCertificate", "PreApprenticeshipCertificate",
    "ProfessionalCertificate", "ProfessionalDoctorate", "QualityAssuranceCredential",
    "ResearchDoctorate", "SecondarySchoolDiploma", "SpecialistDegree"};
constexpr std::string_view kLearningClasses[] = {
    "LearningOpportunityProfile", "LearningOpportunity", "Course", "LearningProgram"};
constexpr std::string_view kOrganizationClasses[] = {
    "CredentialOrganization", "QACredentialOrganization", "Organization"};

template <size_t N>
bool In(const std::string_view (&list)[N], std::string_view v) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

// The alignment properties and the framework each stands for.
struct AlignmentProperty {
  std::string_view property;   // "ceterms:occupationType"
  std::string_view framework;  // canonical name: "SOC"
  std::string_view uri;        // written as ceterms:framework
  std::string_view name;       // written as ceterms:frameworkName
};
constexpr std::array<AlignmentProperty, 4> kAlignments = {{
    {"ceterms:occupationType", "SOC", "https://www.bls.gov/soc/",
     "Standard Occupational Classification"},
    {"ceterms:industryType", "NAICS", "https://www.census.gov/naics/",
     "North American Industry Classification System"},
    {"ceterms:instructionalProgramType", "CIP", "https://nces.ed.gov/ipeds/cipcode/",
     "Classification of Instructional Programs"},
    {"ceterms:targetCompetency", "Competency", "", ""},
}};

// CTDL credit unit concepts <-> the model's CEDS-style units.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kCreditUnits = {{
    {"SemesterHour", "Semester"}, {"QuarterHour", "Quarter"}, {"ClockHour", "ClockHours"},
    {"CarnegieUnit", "CarnegieUnit"},
}};

// Where a definition keeps the name of an alignment's target (the registry
// wants one; the model's alignments are codes).
std::string AlignmentNameKey(std::string_view framework, std::string_view code) {
  return "ctdl:targetNodeName " + std::string(framework) + " " + std::string(code);
}

std::string LocalName(std::string_view type) {
  return std::string(type.starts_with(kPrefix) ? type.substr(kPrefix.size()) : type);
}

// A CTDL language string: a plain string, or a language map whose English
// (else first) value is taken; a map value may be a list (keywords).
std::vector<std::string> LangStrings(const json::value* v) {
  std::vector<std::string> out;
  if (v == nullptr) return out;
  auto add = [&](const json::value& x) {
    for (const json::value* e : OneOrMany(&x))
      if (e->is_string()) out.emplace_back(e->get_string());
  };
  if (const auto* o = v->if_object()) {
    const json::value* pick = nullptr;
    for (std::string_view lang : {"en-US", "en", "en-us"})
      if ((pick = o->if_contains(lang)) != nullptr) break;
    if (pick == nullptr && !o->empty()) pick = &o->begin()->value();
    if (pick != nullptr) add(*pick);
  } else if (const auto* a = v->if_array()) {
    for (const auto& e : *a) {
      auto more = LangStrings(&e);
      out.insert(out.end(), more.begin(), more.end());
    }
  } else {
    add(*v);
  }
  return out;
}

std::string LangString(const json::object& o, std::string_view key) {
  auto all = LangStrings(o.if_contains(key));
  return all.empty() ? std::string() : all.front();
}

std::string RegistryUri(std::string_view ctid) { return std::string(kRegistryResources) + std::string(ctid); }

std::string NodeType(const json::object& node) {
  for (const json::value* t : OneOrMany(node.if_contains("@type")))
    if (t->is_string()) return LocalName(t->get_string());
  return "";
}

// "PT40H" (or "PT40.5H") -> 40; other durations are not hours.
std::optional<double> HoursOf(std::string_view d) {
  if (!d.starts_with("PT") || !d.ends_with("H") || d.size() < 4) return std::nullopt;
  double h = 0;
  auto digits = d.substr(2, d.size() - 3);
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), h);
  if (ec != std::errc() || p != digits.data() + digits.size()) return std::nullopt;
  return h;
}

std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// The status local name of a CredentialAlignmentObject ("Active").
std::string StatusNode(const json::object& node, std::string_view key) {
  for (const json::value* v : OneOrMany(node.if_contains(key))) {
    std::string target = StringMember(v, "ceterms:targetNode");
    if (!target.empty()) return target.substr(target.find(':') + 1);
  }
  return "";
}

Organization DecodeOrganization(const json::object& node, std::string id) {
  Organization org;
  org.id = std::move(id);
  org.name = LangString(node, "ceterms:name");
  org.url = StringMember(node, "ceterms:subjectWebpage");
  auto emails = LangStrings(node.if_contains("ceterms:email"));
  if (!emails.empty()) org.email = emails.front();
  std::string ctid = StringMember(node, "ceterms:ctid");
  if (!ctid.empty()) org.identifiers.push_back({"ctid", ctid});
  for (const json::value* t : OneOrMany(node.if_contains("ceterms:agentType"))) {
    std::string target = StringMember(t, "ceterms:targetNode");
    if (target == "orgType:Postsecondary" || target == "orgType:FourYear" ||
        target == "orgType:TwoYear")
      org.kind = OrgKind::kCollege;
    else if (target == "orgType:Business" && org.kind == OrgKind::kUnspecified)
      org.kind = OrgKind::kEmployer;
  }
  return org;
}

// The id of an organization node: its @id, else its registry URI, else
// one made from where it is embedded.
std::string OrganizationId(const json::object& node, const std::string& fallback) {
  std::string id = StringMember(node, "@id");
  if (!id.empty()) return id;
  std::string ctid = StringMember(node, "ceterms:ctid");
  return ctid.empty() ? fallback : RegistryUri(ctid);
}

// The first organization of ownedBy, else offeredBy (a reference or an
// embedded node); embedded ones are appended to `orgs`.
std::string DecodeOwner(const json::object& node, const std::string& self_id,
                        const std::string& pointer, std::vector<Record>& orgs) {
  std::string owner;
  for (std::string_view key : {"ceterms:ownedBy", "ceterms:offeredBy"}) {
    auto refs = OneOrMany(node.if_contains(key));
    for (size_t i = 0; i < refs.size(); ++i) {
      std::string id;
      if (refs[i]->is_string()) {
        id = std::string(refs[i]->get_string());
      } else if (const auto* o = refs[i]->if_object()) {
        id = OrganizationId(*o, self_id + "#" + LocalName(key) + "-" + std::to_string(i));
        if (o->size() > 1 || !o->contains("@id")) {
          Record r = DecodeOrganization(*o, id);
          Base(r).source.pointer = Child(Child(pointer, key), i);
          orgs.push_back(std::move(r));
        }
      }
      if (owner.empty()) owner = id;
    }
  }
  return owner;
}

void DecodeAlignments(const json::object& node, const std::string& pointer,
                      CredentialDefinition& def, const WarnFn& warn) {
  for (const auto& a : kAlignments) {
    auto items = OneOrMany(node.if_contains(a.property));
    for (size_t i = 0; i < items.size(); ++i) {
      std::string code = StringMember(items[i], "ceterms:codedNotation");
      if (a.framework == "Competency") {
        code = StringMember(items[i], "ceterms:targetNode");
        if (code.empty() && items[i]->is_object())
          code = LangString(items[i]->get_object(), "ceterms:targetNodeName");
      }
      if (code.empty() || !items[i]->is_object()) {
        warn("alignment without ceterms:codedNotation is not carried",
             Child(Child(pointer, a.property), i));
        continue;
      }
      std::string name = LangString(items[i]->get_object(), "ceterms:targetNodeName");
      if (!name.empty() && name != code) def.extensions[AlignmentNameKey(a.framework, code)] = name;
      def.alignments.push_back({std::string(a.framework), code});
    }
  }
  for (const json::value* code : OneOrMany(node.if_contains("ceterms:naics"))) {
    if (!code->is_string()) continue;
    Identifier naics{"NAICS", std::string(code->get_string())};
    if (std::find(def.alignments.begin(), def.alignments.end(), naics) == def.alignments.end())
      def.alignments.push_back(std::move(naics));
  }
}

void DecodeCredits(const json::object& node, CredentialDefinition& def) {
  for (const json::value* v : OneOrMany(node.if_contains("ceterms:creditValue"))) {
    const auto* o = v->if_object();
    if (o == nullptr) continue;
    def.credits = NumberMember(*o, "schema:value");
    for (const json::value* u : OneOrMany(o->if_contains("ceterms:creditUnitType"))) {
      std::string unit = StringMember(u, "ceterms:targetNode");
      unit = unit.substr(unit.find(':') + 1);
      for (const auto& [ctdl, model] : kCreditUnits)
        if (unit == ctdl) unit = model;
      def.credit_unit = unit;
    }
    break;
  }
  for (const json::value* v : OneOrMany(node.if_contains("ceterms:estimatedDuration"))) {
    if (auto h = HoursOf(StringMember(v, "ceterms:exactDuration"))) def.hours = h;
  }
}

pathbridge::Result<std::vector<Record>> DecodeDefinition(const json::object& node,
                                                         const std::string& type,
                                                         const std::string& pointer,
                                                         const WarnFn& warn) {
  CredentialDefinition def;
  def.definition_type = type;
  def.ctid = StringMember(node, "ceterms:ctid");
  std::string at_id = StringMember(node, "@id");
  def.id = def.ctid.empty() ? at_id : RegistryUri(def.ctid);
  if (def.id.empty())
    return InvalidArgument("a ceterms:" + type + " needs ceterms:ctid or @id", pointer);
  if (!at_id.empty() && at_id != def.id) def.extensions["ctdl:@id"] = at_id;
  def.name = LangString(node, "ceterms:name");
  def.description = LangString(node, "ceterms:description");
  def.url = StringMember(node, "ceterms:subjectWebpage");
  def.image = StringMember(node, "ceterms:image");
  def.keywords = LangStrings(node.if_contains("ceterms:keyword"));
  std::vector<Record> out;
  def.owner_org_id = DecodeOwner(node, def.id, pointer, out);
  DecodeAlignments(node, pointer, def, warn);
  DecodeCredits(node, def);
  std::string status = StatusNode(node, "ceterms:credentialStatusType");
  if (status.empty()) status = StatusNode(node, "ceterms:lifeCycleStatusType");
  if (status == "Active") def.status = "active";
  else if (!status.empty()) def.extensions["ctdl:status"] = status;
  def.source.pointer = pointer;
  out.push_back(std::move(def));
  return out;
}

json::object Alignment(std::string_view framework_uri, std::string_view framework_name) {
  json::object a;
  a["@type"] = "ceterms:CredentialAlignmentObject";
  if (!framework_uri.empty()) a["ceterms:framework"] = framework_uri;
  if (!framework_name.empty()) a["ceterms:frameworkName"] = framework_name;
  return a;
}

json::object StatusObject(std::string_view scheme, std::string_view framework,
                          std::string_view value) {
  json::object a = Alignment(framework, "");
  a["ceterms:targetNode"] = std::string(scheme) + ":" + std::string(value);
  a["ceterms:targetNodeName"] = value;
  return a;
}

bool LooksLikeUri(std::string_view v) { return v.find("://") != std::string_view::npos; }

}  // namespace

bool IsCtdlContext(std::string_view url) {
  return url == "http://credreg.net/ctdl/schema/context/json" ||
         url == "https://credreg.net/ctdl/schema/context/json";
}

pathbridge::Result<std::vector<Record>> DecodeNode(const json::object& node,
                                                   const std::string& pointer,
                                                   const WarnFn& warn) {
  std::string type = NodeType(node);
  if (type.empty()) return InvalidArgument("a CTDL resource needs a @type", Child(pointer, "@type"));
  if (In(kCredentialClasses, type) || In(kLearningClasses, type))
    return DecodeDefinition(node, type, pointer, warn);
  if (In(kOrganizationClasses, type)) {
    std::string id = OrganizationId(node, "");
    if (id.empty())
      return InvalidArgument("a ceterms:" + type + " needs @id or ceterms:ctid", pointer);
    Record r = DecodeOrganization(node, id);
    Base(r).source.pointer = pointer;
    return std::vector<Record>{std::move(r)};
  }
  warn("ceterms:" + type + " resources are not carried; skipped", pointer);
  return std::vector<Record>{};
}

json::object EncodeOrganization(const Organization& org) {
  json::object n;
  n["@id"] = org.id;
  n["@type"] = "ceterms:CredentialOrganization";
  for (const auto& i : org.identifiers)
    if (i.system == "ctid") n["ceterms:ctid"] = i.value;
  if (!org.name.empty()) n["ceterms:name"] = org.name;
  if (!org.url.empty()) n["ceterms:subjectWebpage"] = org.url;
  if (!org.email.empty()) n["ceterms:email"] = json::array{json::value(org.email)};
  std::string_view agent = org.kind == OrgKind::kCollege    ? "Postsecondary"
                           : org.kind == OrgKind::kEmployer ? "Business"
                                                            : "";
  if (!agent.empty())
    n["ceterms:agentType"] = json::array{
        StatusObject("orgType", "https://credreg.net/ctdl/terms/OrganizationType", agent)};
  return n;
}

json::object EncodeDefinition(const CredentialDefinition& def, const WarnFn& warn) {
  json::object n;
  auto at_id = def.extensions.find("ctdl:@id");
  n["@id"] = at_id != def.extensions.end() ? at_id->second : def.id;
  std::string type = def.definition_type.empty() ? "Credential" : def.definition_type;
  if (!In(kCredentialClasses, type) && !In(kLearningClasses, type)) {
    warn("definition type \"" + type + "\" is not a CTDL credential or learning opportunity "
         "class; written as ceterms:Credential", "");
    type = "Credential";
  }
  n["@type"] = "ceterms:" + type;
  for (auto [key, value, required] :
       {std::tuple{"ceterms:ctid", &def.ctid, true}, {"ceterms:name", &def.name, true},
        {"ceterms:description", &def.description, true},
        {"ceterms:subjectWebpage", &def.url, true}, {"ceterms:image", &def.image, false}}) {
    if (!value->empty()) n[key] = *value;
    else if (required) warn(std::string(key) + " is missing (the registry requires it)", "");
  }
  if (!def.owner_org_id.empty()) {
    n["ceterms:ownedBy"] = json::array{json::value(def.owner_org_id)};
    n["ceterms:offeredBy"] = json::array{json::value(def.owner_org_id)};
  }
  if (!def.keywords.empty()) {
    json::array k;
    for (const auto& w : def.keywords) k.emplace_back(w);
    n["ceterms:keyword"] = std::move(k);
  }
  bool learning = In(kLearningClasses, type);
  auto status = def.extensions.find("ctdl:status");
  std::string value = status != def.extensions.end() ? status->second : "Active";
  // The registry requires a credential's status (Active unless told
  // otherwise); a learning opportunity's is written only when known.
  if (learning && (status != def.extensions.end() || def.status == "active"))
    n["ceterms:lifeCycleStatusType"] =
        StatusObject("lifeCycle", "https://credreg.net/ctdl/terms/LifeCycleStatus", value);
  else if (!learning)
    n["ceterms:credentialStatusType"] =
        StatusObject("credentialStat", "https://credreg.net/ctdl/terms/CredentialStatus", value);
  for (const auto& a : kAlignments) {
    json::array items;
    for (const auto& al : def.alignments) {
      if (al.system != a.framework) continue;
      json::object o = Alignment(a.uri, a.name);
      if (a.framework != "Competency") o["ceterms:codedNotation"] = al.value;
      else if (LooksLikeUri(al.value)) o["ceterms:targetNode"] = al.value;
      auto name = def.extensions.find(AlignmentNameKey(a.framework, al.value));
      // Without a kept name, the code names the target (the registry wants one).
      o["ceterms:targetNodeName"] = name != def.extensions.end() ? name->second : al.value;
      items.push_back(std::move(o));
    }
    if (!items.empty()) n[a.property] = std::move(items);
  }
  for (const auto& al : def.alignments)
    if (std::none_of(kAlignments.begin(), kAlignments.end(),
                     [&](const auto& a) { return a.framework == al.system; }))
      warn("alignment framework \"" + al.system + "\" has no CTDL property; not written", "");
  if (def.credits) {
    json::object v;
    v["@type"] = "schema:QuantitativeValue";
    v["schema:value"] = *def.credits;
    if (!def.credit_unit.empty()) {
      std::string unit = def.credit_unit;
      for (const auto& [ctdl, model] : kCreditUnits)
        if (unit == model) unit = ctdl;
      v["ceterms:creditUnitType"] = json::array{
          StatusObject("creditUnit", "https://credreg.net/ctdl/terms/CreditUnit", unit)};
    }
    n["ceterms:creditValue"] = json::array{std::move(v)};
  }
  if (def.hours) {
    json::object d;
    d["@type"] = "ceterms:DurationProfile";
    d["ceterms:exactDuration"] = "PT" + FormatNumber(*def.hours) + "H";
    n["ceterms:estimatedDuration"] = json::array{std::move(d)};
  }
  return n;
}

void AddCapabilities(Capabilities& reads, Capabilities& writes) {
  for (std::string_view f : {"id", "name", "kind", "identifiers", "url", "email"}) {
    reads.Add("organization." + std::string(f));
    writes.Add("organization." + std::string(f));
  }
  for (std::string_view f : {"id", "status", "extensions", "definitionType", "name", "description",
                             "ctid", "ownerOrgId", "url", "image", "credits", "creditUnit",
                             "hours", "keywords", "alignments"}) {
    reads.Add("credentialDefinition." + std::string(f));
    writes.Add("credentialDefinition." + std::string(f));
  }
}

}  // namespace pathbridge::adapters::ctdl
