#include "adapters/open_badges/writer.h"

#include <algorithm>
#include <random>

#include "adapters/open_badges/vocabulary.h"
#include "standards/encoding.h"
#include "standards/time.h"

namespace pathbridge::adapters::open_badges {
namespace {

namespace bj = boost::json;
using namespace canonical;

void PutIf(bj::object& o, std::string_view key, const std::string& value) {
  if (!value.empty()) o[key] = value;
}
void PutIf(bj::object& o, std::string_view key, const std::optional<double>& value) {
  if (value) o[key] = *value;
}

template <typename T>
const T* Find(const std::map<std::string, T, std::less<>>& m, std::string_view id) {
  auto it = m.find(id);
  return it == m.end() ? nullptr : &it->second;
}

std::string DidOf(const std::vector<Identifier>& identifiers) {
  for (const Identifier& i : identifiers)
    if (i.system == "did") return i.value;
  return "";
}

// The result values of one credential: each a ResultDescription on the
// achievement (id "<achievement id>#<name>") and a Result in the subject.
class Results {
 public:
  void Add(std::string_view name, std::string_view type, std::string value) {
    if (!value.empty()) entries_.push_back({std::string(name), std::string(type), std::move(value)});
  }
  void Put(bj::object& achievement, bj::object& subject) const {
    bj::array descriptions, results;
    std::string base(achievement.at("id").get_string());
    for (const Entry& e : entries_) {
      std::string id = base + "#" + e.name;
      descriptions.push_back(bj::object{{"id", id},
                                        {"type", bj::array{"ResultDescription"}},
                                        {"name", e.name},
                                        {"resultType", e.type}});
      results.push_back(bj::object{
          {"type", bj::array{"Result"}}, {"resultDescription", id}, {"value", e.value}});
    }
    results.push_back(bj::object{{"type", bj::array{"Result"}}, {"status", "Completed"}});
    if (!descriptions.empty()) achievement["resultDescription"] = std::move(descriptions);
    subject["result"] = std::move(results);
  }

 private:
  struct Entry {
    std::string name, type, value;
  };
  std::vector<Entry> entries_;
};

std::string OptionalNumber(const std::optional<double>& d) { return d ? NumberText(*d) : ""; }

// criteria: a narrative, or a URL, else the achievement's own id (OB 3.0
// wants one).
bj::object Criteria(const std::string& criteria, const std::string& achievement_id) {
  if (criteria.empty()) return {{"id", achievement_id}};
  if (IsAbsoluteUri(criteria)) return {{"id", criteria}};
  return {{"narrative", criteria}};
}

}  // namespace

Settings DefaultSettings() {
  Settings s;
  std::random_device random;
  Bytes bytes(16);
  for (auto& b : bytes) b = static_cast<uint8_t>(random());
  s.salt = HexEncode(bytes);
  s.now = FormatRfc3339({Now().seconds, 0});
  return s;
}

bool Catalog::Add(const Record& r) {
  if (auto* o = std::get_if<Organization>(&r)) organizations[o->id] = *o;
  else if (auto* c = std::get_if<Course>(&r)) courses[c->id] = *c;
  else if (auto* s = std::get_if<AcademicSession>(&r)) sessions[s->id] = *s;
  else if (auto* d = std::get_if<CredentialDefinition>(&r)) definitions[d->id] = *d;
  else return false;
  return true;
}

void CredentialWriter::Warn(std::string message) {
  warnings_.Warn(std::move(message), {where_, 0, 0, ""});
}

bj::object CredentialWriter::Profile(const std::string& org_id) {
  const Organization* org = Find(catalog_.organizations, org_id);
  std::string did = org != nullptr ? DidOf(org->identifiers) : "";
  bj::object p{{"id", !did.empty() ? did : UriFor("organization", org_id)},
               {"type", bj::array{"Profile"}}};
  if (org == nullptr) return p;
  PutIf(p, "name", org->name);
  PutIf(p, "url", org->url);
  PutIf(p, "email", org->email);
  bj::array others;
  for (const Identifier& i : org->identifiers)
    if (i.system != "did")
      others.push_back(bj::object{{"type", "IdentifierEntry"},
                                  {"identifier", i.value},
                                  {"identifierType", IdentityTypeFor(i.system)}});
  if (!others.empty()) p["otherIdentifier"] = std::move(others);
  return p;
}

bj::object CredentialWriter::IssuerProfile(const std::string& org_id) {
  bj::object p = Profile(org_id);
  if (!settings_.issuer_did.empty() && !std::string_view(p.at("id").get_string()).starts_with("did:"))
    p["id"] = settings_.issuer_did;
  return p;
}

bj::object CredentialWriter::Subject(std::string_view type, const std::string& person_id,
                                     const Person* person) {
  bj::object s{{"type", bj::array{type}}};
  const std::string* salt = settings_.hash_identities ? &settings_.salt : nullptr;
  std::string did = person != nullptr ? DidOf(person->identifiers) : "";
  // A DID, or an id that is a URI already (an OB subject id read before),
  // is the subject id.
  if (did.empty() && IsAbsoluteUri(person_id)) did = person_id;
  if (!did.empty()) s["id"] = did;
  bj::array ids;
  // The id, unless the subject id is it, or it is the hash decoding made
  // of a hashed sourcedId (which comes back from that identifier).
  bool hashed_source = person != nullptr && IsHashedValue(person_id + "$") &&
                       std::any_of(person->identifiers.begin(), person->identifiers.end(),
                                   [](const Identifier& i) { return i.system == "sourcedId"; });
  if (did != person_id && !hashed_source) ids.push_back(IdentityObjectFor("sourcedId", person_id, salt));
  if (person != nullptr) {
    if (!person->email.empty()) ids.push_back(IdentityObjectFor("emailAddress", person->email, salt));
    // Hashed, other identifiers (a national id, a state id) stay out: with
    // the salt beside the hash, a short number space is easily searched.
    for (const Identifier& i : person->identifiers)
      if (i.system != "did" && (!settings_.hash_identities || IsHashedValue(i.value)))
        ids.push_back(IdentityObjectFor(IdentityTypeFor(i.system), i.value, salt));
  } else {
    Warn("a credential's person is not in the input; the subject is identified by its id only");
  }
  if (!ids.empty()) s["identifier"] = std::move(ids);
  return s;
}

bj::object CredentialWriter::Credential(std::string id, const std::string& issuer_org_id,
                                        std::string_view date, std::string name,
                                        bj::object subject) {
  if (issuer_org_id.empty() && settings_.issuer_did.empty())
    Warn("no awarding organization and no issuer_did option: the issuer id says neither");
  bj::object c{{"@context", bj::array{kVcContext, kObContext}},
               {"id", std::move(id)},
               {"type", bj::array{"VerifiableCredential", "OpenBadgeCredential"}},
               {"issuer", IssuerProfile(issuer_org_id)},
               {"validFrom", date.empty() ? settings_.now : DateTimeFor(date)}};
  if (!date.empty()) c["awardedDate"] = DateTimeFor(date);
  c["name"] = std::move(name);
  c["credentialSubject"] = std::move(subject);
  return c;
}

bj::object CredentialWriter::CourseAchievement(const std::string& course_id) {
  Course none;
  none.id = course_id;
  const Course* course = Find(catalog_.courses, course_id);
  if (course == nullptr) {
    Warn("a course result's course is not in the input; its achievement has the course id only");
    course = &none;
  }
  std::string id = UriFor("course", course->id);
  std::string name = course->title.empty() ? course->id : course->title;
  bj::object a{{"id", id},
               {"type", bj::array{"Achievement"}},
               {"achievementType", "Course"},
               {"name", name},
               // OB 3.0 requires a description: the title stands in (and
               // reading drops a description equal to the name).
               {"description", course->description.empty() ? name : course->description},
               {"criteria", Criteria("", id)}};
  PutIf(a, "humanCode", course->code);
  std::string subjects;
  for (const std::string& s : course->subjects) subjects += (subjects.empty() ? "" : "; ") + s;
  PutIf(a, "fieldOfStudy", subjects);
  PutIf(a, "creditsAvailable", course->credits);
  bj::array alignments;
  if (!course->cip_code.empty()) alignments.push_back(AlignmentFor({"CIP", course->cip_code}));
  if (!course->sced_code.empty()) alignments.push_back(AlignmentFor({"SCED", course->sced_code}));
  for (const Identifier& al : course->alignments) alignments.push_back(AlignmentFor(al));
  if (!alignments.empty()) a["alignment"] = std::move(alignments);
  if (!course->org_id.empty()) a["creator"] = Profile(course->org_id);
  return a;
}

bj::object CredentialWriter::AwardAchievement(const AchievementAward& r) {
  const CredentialDefinition* def = Find(catalog_.definitions, r.definition_id);
  if (def == nullptr && !r.definition_id.empty())
    Warn("an award's credential definition is not in the input; the award describes itself");
  // kOther is a plain Achievement, which is what no achievementType says.
  std::string type = r.kind == AwardKind::kOther || r.kind == AwardKind::kUnspecified
                         ? ""
                         : AchievementTypeFor(r.kind, r.level);
  if (auto ext = r.extensions.find("achievementType"); ext != r.extensions.end()) type = ext->second;
  bj::object a;
  if (def != nullptr) {
    std::string id = UriFor("credentialDefinition", def->id);
    std::string name = def->name.empty() ? r.title : def->name;
    a = {{"id", id},
         {"type", bj::array{"Achievement"}},
         {"name", name},
         {"description", def->description.empty() ? name : def->description},
         {"criteria", Criteria(def->criteria, id)}};
    if (!def->image.empty()) a["image"] = bj::object{{"id", def->image}, {"type", "Image"}};
    PutIf(a, "creditsAvailable", def->credits);
    bj::array alignments, tags;
    for (const Identifier& al : def->alignments) alignments.push_back(AlignmentFor(al));
    for (const std::string& k : def->keywords) tags.push_back(bj::string(k));
    if (!alignments.empty()) a["alignment"] = std::move(alignments);
    if (!tags.empty()) a["tag"] = std::move(tags);
    if (!def->owner_org_id.empty()) a["creator"] = Profile(def->owner_org_id);
  } else {
    std::string id = PathbridgeUrn("achievementAward", r.id);
    a = {{"id", id},
         {"type", bj::array{"Achievement"}},
         {"name", r.title},
         {"description", r.description.empty() ? r.title : r.description},
         {"criteria", Criteria("", id)}};
    if (!r.cip_code.empty()) a["alignment"] = bj::array{AlignmentFor({"CIP", r.cip_code})};
  }
  PutIf(a, "achievementType", type);
  PutIf(a, "fieldOfStudy", r.field_of_study);
  return a;
}

bj::object CredentialWriter::AchievementCredential(const CourseResult& r, const Person* person) {
  const Course* course = Find(catalog_.courses, r.course_id);
  std::string issuer = !r.awarding_org_id.empty() ? r.awarding_org_id
                       : course != nullptr        ? course->org_id
                                                  : "";
  bj::object subject = Subject("AchievementSubject", r.person_id, person);
  bj::object achievement = CourseAchievement(r.course_id);
  Results results;
  results.Add("letterGrade", kLetterGrade, r.letter_grade);
  results.Add("numericGrade", kNumericGrade, OptionalNumber(r.numeric_grade));
  results.Add("gradePoints", kGradePoints, OptionalNumber(r.grade_points));
  results.Put(achievement, subject);
  std::string name(achievement.at("name").get_string());
  subject["achievement"] = std::move(achievement);
  PutIf(subject, "creditsEarned", r.credits_earned);
  if (const AcademicSession* s = Find(catalog_.sessions, r.session_id)) {
    if (!s->start_date.empty()) subject["activityStartDate"] = DateTimeFor(s->start_date);
    if (!s->end_date.empty()) subject["activityEndDate"] = DateTimeFor(s->end_date);
    PutIf(subject, "term", s->title);
  }
  return Credential(UriFor("courseResult", r.id), issuer, r.completion_date, std::move(name),
                    std::move(subject));
}

bj::object CredentialWriter::AchievementCredential(const AchievementAward& r, const Person* person) {
  bj::object subject = Subject("AchievementSubject", r.person_id, person);
  bj::object achievement = AwardAchievement(r);
  Results results;
  results.Add("hours", kClockHours, OptionalNumber(r.hours));
  results.Put(achievement, subject);
  std::string name = r.title.empty() ? std::string(achievement.at("name").get_string()) : r.title;
  subject["achievement"] = std::move(achievement);
  PutIf(subject, "creditsEarned", r.credits_earned);
  if (!r.identifiers.empty()) subject["licenseNumber"] = r.identifiers.front().value;
  if (r.identifiers.size() > 1)
    Warn("OB 3.0 carries one number per award (licenseNumber); the others are dropped");
  bj::object c = Credential(UriFor("achievementAward", r.id), r.issuer_org_id, r.award_date,
                            std::move(name), std::move(subject));
  PutIf(c, "description", r.description);
  if (!r.expiration_date.empty()) c["validUntil"] = DateTimeFor(r.expiration_date);
  return c;
}

bj::object CredentialWriter::Clr(const std::string& person_id, const Person* person,
                                 const std::string& issuer_org_id, bj::array credentials,
                                 const std::vector<std::string>& definition_ids) {
  bj::object subject = Subject("ClrSubject", person_id, person);
  subject["verifiableCredential"] = std::move(credentials);
  bj::array achievements;
  for (const std::string& id : definition_ids) {
    AchievementAward as_award;  // the definition, as an award of it would show it
    as_award.definition_id = id;
    const CredentialDefinition& def = catalog_.definitions.at(id);
    AwardType type = AwardTypeFrom(def.definition_type);
    as_award.kind = type.kind;
    as_award.level = type.level;
    if (!type.known && !def.definition_type.empty())
      as_award.extensions["achievementType"] = def.definition_type;
    achievements.push_back(AwardAchievement(as_award));
  }
  if (!achievements.empty()) subject["achievement"] = std::move(achievements);
  return {{"@context", bj::array{kVcContext, kClrContext, kObContext}},
          {"id", PathbridgeUrn("clr", person_id)},
          {"type", bj::array{"VerifiableCredential", "ClrCredential"}},
          {"issuer", IssuerProfile(issuer_org_id)},
          {"validFrom", settings_.now},
          {"name", "Comprehensive Learner Record"},
          {"credentialSubject", std::move(subject)}};
}

}  // namespace pathbridge::adapters::open_badges
