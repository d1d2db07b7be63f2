#include "adapters/ler_rs/records.h"

#include <algorithm>
#include <set>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "adapters/json_document.h"
#include "adapters/ler_rs/embedded_vc.h"
#include "adapters/open_badges/vocabulary.h"

namespace pathbridge::adapters::ler_rs {
namespace {

namespace json = boost::json;
using namespace canonical;

constexpr std::string_view kExt = "ler-rs:";
constexpr std::string_view kVerifications = "ler-rs:verifications";
constexpr std::string_view kVerifiedBy = "ler-rs:verifiedBy";
constexpr std::string_view kSection = "ler-rs:section";

// ISCED 2011 levels <-> the model's degree levels.
constexpr std::pair<std::string_view, std::string_view> kIsced[] = {
    {"3", "HighSchool"}, {"5", "Associate"}, {"6", "Bachelor"}, {"7", "Master"}, {"8", "Doctoral"}};

// Keeps every member of `o` not in `mapped` as extensions["ler-rs:<prefix><member>"].
void KeepOthers(const json::object& o, std::initializer_list<std::string_view> mapped,
                std::string_view prefix, Extensions& ext) {
  for (const auto& [k, v] : o)
    if (std::find(mapped.begin(), mapped.end(), std::string_view(k)) == mapped.end())
      ext[std::string(kExt) + std::string(prefix) + std::string(k)] = json::serialize(v);
}

// Writes back what KeepOthers kept (only keys with `prefix` and no further dot).
void PutOthers(const Extensions& ext, std::string_view prefix, json::object& o) {
  std::string head = std::string(kExt) + std::string(prefix);
  for (auto it = ext.lower_bound(head); it != ext.end() && it->first.starts_with(head); ++it) {
    std::string_view member = std::string_view(it->first).substr(head.size());
    if (member.find('.') != std::string_view::npos || member == "verifications" ||
        member == "verifiedBy" || member == "section")
      continue;
    boost::system::error_code ec;
    json::value v = json::parse(it->second, ec);
    if (!ec) o[member] = std::move(v);
  }
}

std::string IdValue(const json::object& o) { return StringMember(o.if_contains("id"), "value"); }

std::string Joined(const json::value* lines) {
  std::string out;
  for (const json::value* l : OneOrMany(lines))
    if (l->is_string()) out += (out.empty() ? "" : "\n") + std::string(l->get_string());
  return out;
}

json::array Lines(const std::string& text) {
  json::array out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Decoding state of one résumé.
class ResumeDecoder {
 public:
  ResumeDecoder(std::string person_id, const WarnFn& warn)
      : person_id_(person_id), id_base_(std::move(person_id)), warn_(warn) {}

  std::vector<Record> records;

  // An organization member (institution, employer, issuing authority): its
  // record (once per id) and its id.
  std::string Org(const json::object& o, const std::string& pointer) {
    Organization org;
    std::string domain = StringMember(o, "domainName");
    org.name = StringMember(o, "name");
    if (org.name.empty()) org.name = StringMember(o, "tradeName");
    org.id = IdValue(o);
    if (org.id.empty()) org.id = !domain.empty() ? domain : "name:" + org.name;
    if (!domain.empty()) org.identifiers.push_back({"domainName", domain});
    const auto* web = [&]() -> const json::array* {
      const auto* c = ObjectMember(o, "communication");
      return c != nullptr ? ArrayMember(*c, "web") : nullptr;
    }();
    if (web != nullptr && !web->empty()) org.url = StringMember(&(*web)[0], "url");
    KeepOthers(o, {"id", "name", "tradeName", "domainName"}, "", org.extensions);
    org.source.pointer = pointer;
    std::string id = org.id;
    if (orgs_.insert(id).second) records.push_back(std::move(org));
    return id;
  }

  Status Education(const json::object& e, const std::string& rel, const std::string& pointer) {
    size_t first = records.size();
    if (e.contains("institution") || e.contains("educationDegrees")) {
      Enrollment en;
      en.id = IdValue(e);
      if (en.id.empty()) en.id = DerivedId(rel);
      en.kind = EnrollmentKind::kOrganization;
      en.role = Role::kStudent;
      en.person_id = person_id_;
      if (const auto* inst = ObjectMember(e, "institution"))
        en.org_id = Org(*inst, Child(pointer, "institution"));
      en.begin_date = StringMember(e, "start");
      en.end_date = StringMember(e, "end");
      KeepOthers(e, {"id", "institution", "start", "end", "educationDegrees", "verifications"}, "",
                 en.extensions);
      en.source.pointer = pointer;
      std::string org_id = en.org_id;
      records.push_back(std::move(en));
      if (const auto* degrees = ArrayMember(e, "educationDegrees"))
        for (size_t i = 0; i < degrees->size(); ++i)
          if (const auto* d = (*degrees)[i].if_object())
            Degree(*d, org_id, rel + "/educationDegrees/" + std::to_string(i),
                   Child(Child(pointer, "educationDegrees"), i));
    }
    return Verifications(e, rel, pointer, first, "educationAndLearnings", AwardKind::kDegree);
  }

  Status Certification(const json::object& c, const std::string& rel, const std::string& pointer,
                       AwardKind kind, std::string_view section) {
    size_t first = records.size();
    if (c.contains("name") || c.contains("issuingAuthority") || c.contains("id")) {
      AchievementAward a;
      a.id = DerivedId(rel);
      a.kind = kind;
      a.person_id = person_id_;
      a.title = StringMember(c, "name");
      a.description = Joined(c.if_contains("descriptions"));
      if (const auto* auth = ObjectMember(c, "issuingAuthority"))
        a.issuer_org_id = Org(*auth, Child(pointer, "issuingAuthority"));
      std::string issued = StringMember(c, "issued");
      std::string first_issued = StringMember(c, "firstIssued");
      a.award_date = DatePart(issued.empty() ? first_issued : issued);
      if (!issued.empty() && !first_issued.empty())
        a.extensions[std::string(kExt) + "firstIssued"] = json::serialize(json::value(first_issued));
      if (const auto* period = ObjectMember(c, "effectiveTimePeriod")) {
        a.expiration_date = DatePart(StringMember(*period, "validTo"));
        std::string from = StringMember(*period, "validFrom");
        if (!from.empty()) a.extensions[std::string(kExt) + "effectiveTimePeriod.validFrom"] = DatePart(from);
      }
      if (const auto* id = ObjectMember(c, "id"))
        a.identifiers.push_back({StringMember(*id, "schemeId"), StringMember(*id, "value")});
      KeepOthers(c, {"id", "name", "descriptions", "issuingAuthority", "issued", "firstIssued",
                     "effectiveTimePeriod", "verifications"},
                 "", a.extensions);
      a.source.pointer = pointer;
      records.push_back(std::move(a));
    }
    return Verifications(c, rel, pointer, first, section, kind);
  }

  Status Employment(const json::object& h, const std::string& rel, const std::string& pointer) {
    size_t first = records.size();
    std::string employer;
    if (const auto* org = ObjectMember(h, "organization"))
      employer = Org(*org, Child(pointer, "organization"));
    if (const auto* positions = ArrayMember(h, "positionHistories")) {
      for (size_t i = 0; i < positions->size(); ++i) {
        const auto* p = (*positions)[i].if_object();
        if (p == nullptr) continue;
        canonical::Employment e;
        e.id = IdValue(*p);
        if (e.id.empty()) e.id = DerivedId(rel + "/positionHistories/" + std::to_string(i));
        e.person_id = person_id_;
        e.employer_org_id = employer;
        e.title = StringMember(*p, "title");
        e.description = Joined(p->if_contains("descriptions"));
        e.start_date = StringMember(*p, "start");
        e.end_date = StringMember(*p, "end");
        if (const auto* c = p->if_contains("current"); c != nullptr && c->is_bool())
          e.current = c->get_bool();
        if (const auto* loc = ObjectMember(*p, "location")) e.location = Location(*loc);
        KeepOthers(*p, {"id", "title", "descriptions", "start", "end", "current"}, "",
                   e.extensions);
        if (i == 0)  // the history's own members ride on its first position
          KeepOthers(h, {"organization", "positionHistories", "verifications"}, "history.",
                     e.extensions);
        e.source.pointer = Child(Child(pointer, "positionHistories"), i);
        records.push_back(std::move(e));
      }
    }
    return Verifications(h, rel, pointer, first, "employmentHistories", AwardKind::kUnspecified);
  }

 private:
  void Degree(const json::object& d, const std::string& org_id, const std::string& rel,
              const std::string& pointer) {
    AchievementAward a;
    a.id = IdValue(d);
    if (a.id.empty()) a.id = DerivedId(rel);
    a.kind = AwardKind::kDegree;
    a.person_id = person_id_;
    a.title = StringMember(d, "name");
    a.issuer_org_id = org_id;
    a.award_date = StringMember(d, "date");
    std::string isced = StringMember(d, "iscedEducationLevelCode");
    for (const auto& [code, level] : kIsced)
      if (code == isced) a.level = level;
    std::vector<std::string_view> mapped = {"id", "name", "date"};
    if (!a.level.empty()) mapped.push_back("iscedEducationLevelCode");
    const auto* specs = ArrayMember(d, "specializations");
    if (specs != nullptr && specs->size() == 1 &&
        StringMember(&(*specs)[0], "type") == "major" && (*specs)[0].get_object().size() == 2) {
      a.field_of_study = StringMember(&(*specs)[0], "name");
      mapped.push_back("specializations");
    }
    for (const auto& [k, v] : d)
      if (std::find(mapped.begin(), mapped.end(), std::string_view(k)) == mapped.end())
        a.extensions[std::string(kExt) + std::string(k)] = json::serialize(v);
    a.source.pointer = pointer;
    records.push_back(std::move(a));
  }

  // "City, ST" from a location / address.
  static std::string Location(const json::object& loc) {
    std::string out = StringMember(loc, "city");
    std::string region;
    if (const auto* subs = ArrayMember(loc, "countrySubDivisions"); subs != nullptr && !subs->empty())
      region = StringMember(&(*subs)[0], "value");
    if (region.empty()) region = StringMember(loc, "countryCode");
    if (!region.empty()) out += (out.empty() ? "" : ", ") + region;
    return out;
  }

  // Decodes the credentials of an entry's "verifications" and keeps the
  // list on the entry's first record (from index `first`).
  Status Verifications(const json::object& entry, const std::string& rel,
                       const std::string& pointer, size_t first, std::string_view section,
                       AwardKind kind) {
    const auto* list = ArrayMember(entry, "verifications");
    if (list == nullptr) return Status::Ok();
    size_t plain = records.size();
    for (size_t i = 0; i < list->size(); ++i) {
      const auto* v = (*list)[i].if_object();
      const json::object* vc = v != nullptr ? CredentialOf(*v) : nullptr;
      if (vc == nullptr) continue;  // a reference or a verifying organization: kept verbatim
      std::string vp = Child(Child(pointer, "verifications"), i);
      if (vc != v) vp = Child(vp, "otherW3CVerifiableCredential");
      std::string vrel = rel + "/verifications/" + std::to_string(i);
      PB_RETURN_IF_ERROR(Credential(*vc, vrel, vp, section, kind));
    }
    // The entry's first record that is not an organization or definition.
    Record* carrier = nullptr;
    for (size_t i = first; i < records.size() && carrier == nullptr; ++i)
      if (!std::holds_alternative<Organization>(records[i]) &&
          !std::holds_alternative<CredentialDefinition>(records[i]))
        carrier = &records[i];
    if (carrier == nullptr) {
      warn_("verifications that decode to no record are not carried",
            Child(pointer, "verifications"));
      return Status::Ok();
    }
    Extensions& ext = Base(*carrier).extensions;
    // Kept with credentials bare (not as otherW3CVerifiableCredential): the
    // encoder wraps those the catalog does not name.
    json::array kept = *list;
    for (auto& item : kept)
      if (const auto* o = item.if_object(); o != nullptr && o->size() == 1)
        if (const auto* vc = ObjectMember(*o, "otherW3CVerifiableCredential"))
          item = json::object(*vc);
    ext[std::string(kVerifications)] = json::serialize(kept);
    ext[std::string(kSection)] = section;
    for (size_t i = plain; i < records.size(); ++i)
      if (!std::holds_alternative<Organization>(records[i]) &&
          !std::holds_alternative<CredentialDefinition>(records[i]))
        Base(records[i]).extensions[std::string(kVerifiedBy)] = Base(*carrier).id;
    return Status::Ok();
  }

  // One embedded credential.
  Status Credential(const json::object& vc, const std::string& rel, const std::string& pointer,
                    std::string_view section, AwardKind kind) {
    std::string fallback = DerivedId(rel);
    if (open_badges::IsAchievementCredential(vc)) {
      if (section == "educationAndLearnings") kind = AwardKind::kDegree;
      if (section == "employmentHistories") kind = AwardKind::kWorkBasedLearning;
      PB_ASSIGN_OR_RETURN(auto got, DecodeOpenBadge(vc, pointer, person_id_, fallback, kind));
      for (auto& r : got) {
        if (std::holds_alternative<Organization>(r) && !orgs_.insert(Base(r).id).second) continue;
        records.push_back(std::move(r));
      }
      return Status::Ok();
    }
    const json::object* subject = nullptr;
    for (const json::value* s : OneOrMany(vc.if_contains("credentialSubject")))
      if ((subject = s->if_object()) != nullptr) break;
    std::string id = StringMember(vc, "id");
    std::string sub_rel = id.empty() ? rel : id;  // ids of what it holds derive from its id
    std::string sp = Child(pointer, "credentialSubject");
    auto member = [&](std::string_view key) {
      return subject != nullptr ? ObjectMember(*subject, key) : nullptr;
    };
    // The HR Open provisional credentials wrap one entry of the résumé.
    if (const auto* e = member("educationAndLearning"))
      return WithIdBase(sub_rel, [&] { return Education(*e, "", Child(sp, "educationAndLearning")); });
    if (const auto* c = member("certification"))
      return WithIdBase(sub_rel, [&] {
        return Certification(*c, "", Child(sp, "certification"), AwardKind::kIndustryCertification,
                             "certifications");
      });
    if (const auto* c = member("license"))
      return WithIdBase(sub_rel, [&] {
        return Certification(*c, "", Child(sp, "license"), AwardKind::kLicense, "licenses");
      });
    if (const auto* h = member("employmentHistory"))
      return WithIdBase(sub_rel, [&] { return Employment(*h, "", Child(sp, "employmentHistory")); });
    warn_("an embedded credential of this type is kept verbatim, not decoded", pointer);
    return Status::Ok();
  }

  // Runs `fn` with derived ids based on `base` instead of the résumé's.
  template <typename F>
  Status WithIdBase(const std::string& base, F&& fn) {
    std::string saved = std::exchange(id_base_, base);
    Status s = fn();
    id_base_ = std::move(saved);
    return s;
  }

  // The id of an entry that has none: "<base>#<path in the résumé>".
  std::string DerivedId(const std::string& rel) const {
    return rel.empty() ? id_base_ : id_base_ + "#" + rel;
  }

  std::string person_id_;
  std::string id_base_;
  const WarnFn& warn_;
  std::set<std::string> orgs_;
};

}  // namespace

pathbridge::Result<std::vector<Record>> DecodeResume(const json::object& resume,
                                                     const std::string& pointer,
                                                     const std::string& subject_id,
                                                     const WarnFn& warn) {
  Person person;
  person.id = StringMember(resume.if_contains("documentId"), "value");
  if (person.id.empty()) person.id = subject_id;
  if (person.id.empty())
    return InvalidArgument("a résumé needs documentId.value (or a credentialSubject id)",
                           Child(pointer, "documentId"));
  std::optional<Demographics> demo;
  if (const auto* p = ObjectMember(resume, "person")) {
    if (const auto* name = ObjectMember(*p, "name")) {
      person.given_name = StringMember(*name, "given");
      person.middle_name = StringMember(*name, "middle");
      person.family_name = StringMember(*name, "family");
      person.preferred_given_name = StringMember(*name, "preferred");
      KeepOthers(*name, {"given", "middle", "family", "preferred"}, "name.", person.extensions);
    }
    std::string birth = StringMember(*p, "birthDate");
    if (!birth.empty()) {
      demo.emplace();
      demo->id = person.id;
      demo->birth_date = birth;
      demo->source.pointer = Child(Child(pointer, "person"), "birthDate");
    }
    KeepOthers(*p, {"name", "birthDate"}, "person.", person.extensions);
  }
  if (const auto* c = ObjectMember(resume, "communication")) {
    const auto* emails = ArrayMember(*c, "email");
    if (emails != nullptr && !emails->empty()) person.email = StringMember(&(*emails)[0], "address");
    const auto* phones = ArrayMember(*c, "phone");
    if (phones != nullptr && !phones->empty())
      person.phone = StringMember(&(*phones)[0], "formattedNumber");
    person.extensions[std::string(kExt) + "communication"] = json::serialize(*c);
  }
  KeepOthers(resume,
             {"type", "documentId", "person", "communication", "educationAndLearnings",
              "employmentHistories", "certifications", "licenses"},
             "", person.extensions);
  person.source.pointer = pointer;

  ResumeDecoder d(person.id, warn);
  d.records.push_back(std::move(person));
  if (demo) d.records.push_back(std::move(*demo));
  struct Section {
    std::string_view key;
    AwardKind kind;
  };
  for (Section s : {Section{"educationAndLearnings", AwardKind::kDegree},
                    Section{"certifications", AwardKind::kIndustryCertification},
                    Section{"licenses", AwardKind::kLicense},
                    Section{"employmentHistories", AwardKind::kUnspecified}}) {
    const json::value* v = resume.if_contains(s.key);
    if (v == nullptr) continue;
    const auto* list = v->if_array();
    if (list == nullptr) return InvalidArgument("must be an array", Child(pointer, s.key));
    for (size_t i = 0; i < list->size(); ++i) {
      std::string rel = std::string(s.key) + "/" + std::to_string(i);
      std::string p = Child(Child(pointer, s.key), i);
      const auto* e = (*list)[i].if_object();
      if (e == nullptr) return InvalidArgument("an entry must be an object", p);
      Status st = s.key == "educationAndLearnings" ? d.Education(*e, rel, p)
                  : s.key == "employmentHistories"  ? d.Employment(*e, rel, p)
                                                    : d.Certification(*e, rel, p, s.kind, s.key);
      PB_RETURN_IF_ERROR(st);
    }
  }
  return std::move(d.records);
}

namespace {

// Encoding state of one résumé.
class ResumeEncoder {
 public:
  ResumeEncoder(const PersonRecords& r, const Organizations& orgs, const WarnFn& warn)
      : r_(r), orgs_(orgs), warn_(warn) {}

  json::object Encode() {
    json::object doc;
    doc["type"] = kLerRsType;
    doc["documentId"] = json::object{{"value", r_.person.id}};
    const Person& p = r_.person;
    json::object name;
    for (auto [key, value] : {std::pair{"given", &p.given_name}, {"middle", &p.middle_name},
                              {"family", &p.family_name}, {"preferred", &p.preferred_given_name}})
      if (!value->empty()) name[key] = *value;
    PutOthers(p.extensions, "name.", name);
    json::object person;
    if (!name.empty()) person["name"] = std::move(name);
    if (r_.demographics && !r_.demographics->birth_date.empty())
      person["birthDate"] = r_.demographics->birth_date;
    PutOthers(p.extensions, "person.", person);
    if (!person.empty()) doc["person"] = std::move(person);
    json::object comm;
    if (!p.email.empty()) comm["email"] = json::array{json::object{{"address", p.email}}};
    if (!p.phone.empty()) comm["phone"] = json::array{json::object{{"formattedNumber", p.phone}}};
    if (!comm.empty()) doc["communication"] = std::move(comm);
    PutOthers(p.extensions, "", doc);  // the kept communication wins: it has the rest
    Education();
    Awards();
    Employment();
    for (auto& [key, list] : sections_)
      if (!list.empty()) doc[key] = std::move(list);
    return doc;
  }

 private:
  static std::string Ext(const RecordBase& r, std::string_view key) {
    auto it = r.extensions.find(std::string(key));
    return it != r.extensions.end() ? it->second : "";
  }
  // "" for a record of the résumé itself; else the id of the record whose
  // verifications it was decoded from.
  static std::string VerifiedBy(const RecordBase& r) { return Ext(r, kVerifiedBy); }

  // The kept verifications, with credentials the catalog does not name as
  // otherW3CVerifiableCredential.
  static json::array Verifications(const RecordBase& r) {
    boost::system::error_code ec;
    json::value v = json::parse(Ext(r, kVerifications), ec);
    json::array out;
    if (ec || !v.is_array()) return out;
    for (auto& item : v.get_array()) {
      const auto* o = item.if_object();
      if (o != nullptr && o->contains("credentialSubject") && !IsNamedInCatalog(*o))
        out.push_back(json::object{{"otherW3CVerifiableCredential", item}});
      else
        out.push_back(item);
    }
    return out;
  }

  // An entry decoded from its own verifications is just them.
  bool AsVerifications(const RecordBase& r, std::string_view default_section) {
    if (VerifiedBy(r) != r.id) return false;
    std::string section = Ext(r, kSection);
    sections_[section.empty() ? std::string(default_section) : section].push_back(
        json::object{{"verifications", Verifications(r)}});
    return true;
  }

  void AddVerifications(const RecordBase& r, json::object& entry) {
    if (r.extensions.contains(std::string(kVerifications))) entry["verifications"] = Verifications(r);
  }

  json::object Org(const std::string& id) {
    json::object o;
    auto it = orgs_.find(id);
    if (it == orgs_.end()) {
      if (!id.empty()) o["id"] = json::object{{"value", id}};
      return o;
    }
    const Organization& org = it->second;
    std::string domain;
    for (const auto& i : org.identifiers)
      if (i.system == "domainName") domain = i.value;
    if (org.id != (domain.empty() ? "name:" + org.name : domain))
      o["id"] = json::object{{"value", org.id}};
    if (!org.name.empty()) o["name"] = org.name;
    if (!domain.empty()) o["domainName"] = domain;
    if (!org.url.empty())
      o["communication"] = json::object{{"web", json::array{json::object{{"url", org.url}}}}};
    PutOthers(org.extensions, "", o);
    return o;
  }

  json::object Degree(const AchievementAward& a) {
    json::object d;
    d["id"] = json::object{{"value", a.id}};
    if (!a.title.empty()) d["name"] = a.title;
    if (!a.award_date.empty()) d["date"] = a.award_date;
    for (const auto& [code, level] : kIsced)
      if (level == a.level) d["iscedEducationLevelCode"] = code;
    if (!a.field_of_study.empty())
      d["specializations"] =
          json::array{json::object{{"name", a.field_of_study}, {"type", "major"}}};
    PutOthers(a.extensions, "", d);
    return d;
  }

  void Education() {
    for (const Enrollment& en : r_.enrollments) {
      if (!VerifiedBy(en).empty()) {
        if (AsVerifications(en, "educationAndLearnings")) used_.insert(en.id);
        continue;
      }
      json::object e;
      e["id"] = json::object{{"value", en.id}};
      e["institution"] = Org(en.org_id);
      if (!en.begin_date.empty()) e["start"] = en.begin_date;
      if (!en.end_date.empty()) e["end"] = en.end_date;
      json::array degrees;
      for (const AchievementAward& a : r_.awards)
        if (IsDegree(a) && a.issuer_org_id == en.org_id && VerifiedBy(a).empty() &&
            used_.insert(a.id).second)
          degrees.push_back(Degree(a));
      if (!degrees.empty()) e["educationDegrees"] = std::move(degrees);
      PutOthers(en.extensions, "", e);
      AddVerifications(en, e);
      sections_["educationAndLearnings"].push_back(std::move(e));
    }
  }

  static bool IsDegree(const AchievementAward& a) {
    return a.kind == AwardKind::kDegree || a.kind == AwardKind::kDiploma;
  }

  json::object Certification(const AchievementAward& a) {
    json::object c;
    if (!a.identifiers.empty()) {
      json::object id{{"value", a.identifiers[0].value}};
      if (!a.identifiers[0].system.empty()) id["schemeId"] = a.identifiers[0].system;
      c["id"] = std::move(id);
      if (a.identifiers.size() > 1) warn_("only the first identifier of an award is written", "");
    }
    if (!a.title.empty()) c["name"] = a.title;
    c["issuingAuthority"] = Org(a.issuer_org_id);
    if (!a.award_date.empty()) c["issued"] = a.award_date;
    json::object period;
    for (auto [key, date] : {std::pair{"validFrom", Ext(a, "ler-rs:effectiveTimePeriod.validFrom")},
                             {"validTo", a.expiration_date}}) {
      if (date.size() == 10) period[key] = date + "T00:00:00Z";
      else if (!date.empty()) warn_("a partial date is not a date-time; not written", "");
    }
    if (!period.empty()) c["effectiveTimePeriod"] = std::move(period);
    if (!a.description.empty()) c["descriptions"] = Lines(a.description);
    PutOthers(a.extensions, "", c);
    AddVerifications(a, c);
    return c;
  }

  void Awards() {
    for (const AchievementAward& a : r_.awards) {
      if (used_.contains(a.id) || used_.contains(VerifiedBy(a))) continue;
      std::string_view section = IsDegree(a)                  ? "educationAndLearnings"
                                 : a.kind == AwardKind::kLicense ? "licenses"
                                                                 : "certifications";
      if (!VerifiedBy(a).empty()) {
        if (AsVerifications(a, section)) used_.insert(a.id);
        continue;
      }
      if (section == "educationAndLearnings") {
        json::object e{{"institution", Org(a.issuer_org_id)},
                       {"educationDegrees", json::array{Degree(a)}}};
        sections_["educationAndLearnings"].push_back(std::move(e));
      } else {
        sections_[std::string(section)].push_back(Certification(a));
      }
    }
  }

  void Employment() {
    json::object* entry = nullptr;
    std::string employer;
    for (const canonical::Employment& e : r_.employments) {
      if (!VerifiedBy(e).empty()) {
        AsVerifications(e, "employmentHistories");
        entry = nullptr;
        continue;
      }
      json::object p;
      p["id"] = json::object{{"value", e.id}};
      if (!e.title.empty()) p["title"] = e.title;
      if (!e.description.empty()) p["descriptions"] = Lines(e.description);
      if (!e.start_date.empty()) p["start"] = e.start_date;
      if (!e.end_date.empty()) p["end"] = e.end_date;
      if (e.current) p["current"] = *e.current;
      if (!e.location.empty()) p["location"] = json::object{{"formattedAddress", e.location}};
      PutOthers(e.extensions, "", p);
      bool starts = entry == nullptr || employer != e.employer_org_id ||
                    e.extensions.contains(std::string(kVerifications));
      if (starts) {
        json::object h{{"organization", Org(e.employer_org_id)}, {"positionHistories", json::array{}}};
        PutOthers(e.extensions, "history.", h);
        AddVerifications(e, h);
        auto& list = sections_["employmentHistories"];
        list.push_back(std::move(h));
        entry = &list.back().get_object();
        employer = e.employer_org_id;
      }
      (*entry)["positionHistories"].get_array().push_back(std::move(p));
    }
  }

  const PersonRecords& r_;
  const Organizations& orgs_;
  const WarnFn& warn_;
  std::map<std::string, json::array> sections_;
  std::set<std::string> used_;  // awards (and carriers) already written
};

}  // namespace

json::object EncodeResume(const PersonRecords& records, const Organizations& orgs,
                          const WarnFn& warn) {
  return ResumeEncoder(records, orgs, warn).Encode();
}

void AddCapabilities(Capabilities& reads, Capabilities& writes) {
  const char* both[] = {
      "person.id", "person.extensions", "person.givenName", "person.middleName",
      "person.familyName", "person.preferredGivenName", "person.email", "person.phone",
      "demographics.id", "demographics.birthDate",
      "organization.id", "organization.name", "organization.identifiers", "organization.url",
      "organization.extensions",
      "enrollment.id", "enrollment.kind", "enrollment.role", "enrollment.personId",
      "enrollment.orgId", "enrollment.beginDate", "enrollment.endDate", "enrollment.extensions",
      "achievementAward.id", "achievementAward.kind", "achievementAward.personId",
      "achievementAward.title", "achievementAward.description", "achievementAward.issuerOrgId",
      "achievementAward.awardDate", "achievementAward.level", "achievementAward.fieldOfStudy",
      "achievementAward.expirationDate", "achievementAward.identifiers",
      "achievementAward.extensions",
      "employment.id", "employment.personId", "employment.employerOrgId", "employment.title",
      "employment.description", "employment.startDate", "employment.endDate",
      "employment.current", "employment.location", "employment.extensions"};
  for (const char* f : both) {
    reads.Add(f);
    writes.Add(f);
  }
  // Read from embedded Open Badges credentials, written back inside them.
  for (const char* f : {"credentialDefinition.id", "credentialDefinition.definitionType",
                        "credentialDefinition.name", "credentialDefinition.description",
                        "credentialDefinition.criteria", "credentialDefinition.image",
                        "credentialDefinition.ownerOrgId", "credentialDefinition.credits",
                        "credentialDefinition.keywords", "credentialDefinition.alignments",
                        "organization.email", "achievementAward.definitionId",
                        "achievementAward.creditsEarned"})
    reads.Add(f);
}

}  // namespace pathbridge::adapters::ler_rs
