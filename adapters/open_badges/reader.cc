#include "adapters/open_badges/reader.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <vector>

#include "adapters/open_badges/vocabulary.h"
#include "standards/json.h"
#include "standards/jsonld.h"

namespace pathbridge::adapters::open_badges {

namespace bj = boost::json;
using namespace canonical;

struct RecordReader::Doc {
  const std::string& file;
  std::deque<Record>* out;
  SourceLocation At(const std::string& pointer) const { return {file, 0, 0, pointer}; }
  Status Error(std::string message, const std::string& pointer) const {
    return InvalidArgument(std::move(message), file + " " + (pointer.empty() ? "/" : pointer));
  }
};

namespace {

std::string_view Str(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

std::optional<double> Num(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number()) return v->to_number<double>();
  if (v->is_string()) return ParseNumber(v->get_string());
  return std::nullopt;
}

const bj::object* Obj(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v != nullptr ? v->if_object() : nullptr;
}

// The objects of a member that may be one object or an array of them, with
// each one's pointer.
std::vector<std::pair<const bj::object*, std::string>> Objects(const bj::object& o,
                                                              std::string_view key,
                                                              const std::string& pointer) {
  std::vector<std::pair<const bj::object*, std::string>> out;
  std::string base = pointer;
  json::AppendPointerToken(base, key);
  const bj::value* v = o.if_contains(key);
  if (v == nullptr) return out;
  if (const bj::object* one = v->if_object()) out.push_back({one, base});
  if (const bj::array* many = v->if_array())
    for (size_t i = 0; i < many->size(); ++i)
      if (const bj::object* e = (*many)[i].if_object())
        out.push_back({e, base + "/" + std::to_string(i)});
  return out;
}

std::vector<std::string> Split(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  while (!s.empty()) {
    size_t at = s.find(sep);
    out.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + sep.size());
  }
  return out;
}

// The achievement's ResultDescriptions: id -> resultType.
std::map<std::string, std::string, std::less<>> ResultTypes(const bj::object& achievement,
                                                           const std::string& pointer) {
  std::map<std::string, std::string, std::less<>> out;
  for (const auto& [rd, at] : Objects(achievement, "resultDescription", pointer))
    out[std::string(Str(*rd, "id"))] = Str(*rd, "resultType");
  return out;
}

// Puts a CIP or SCED alignment into its own field (the first of each), the
// rest into `rest`.
void SplitAlignments(const bj::object& achievement, const std::string& pointer, std::string* cip,
                     std::string* sced, std::vector<Identifier>* rest) {
  for (const auto& [al, at] : Objects(achievement, "alignment", pointer)) {
    Identifier a = AlignmentFrom(*al);
    if (a.system == "CIP" && cip != nullptr && cip->empty()) *cip = a.value;
    else if (a.system == "SCED" && sced != nullptr && sced->empty()) *sced = a.value;
    else rest->push_back(std::move(a));
  }
}

}  // namespace

Status RecordReader::ReadDocument(const bj::value& doc, const std::string& file,
                                  std::deque<Record>* out) {
  Doc d{file, out};
  if (const bj::object* one = doc.if_object()) return ReadCredential(*one, d, "");
  const bj::array* many = doc.if_array();
  if (many == nullptr)
    return d.Error("not a credential: the document must be a JSON object (or an array of them)", "");
  for (size_t i = 0; i < many->size(); ++i) {
    std::string pointer = "/" + std::to_string(i);
    const bj::object* c = (*many)[i].if_object();
    if (c == nullptr) return d.Error("not a credential: an array element must be a JSON object", pointer);
    PB_RETURN_IF_ERROR(ReadCredential(*c, d, pointer));
  }
  return Status::Ok();
}

// Expands `c` with the bundled contexts: every context must resolve, and
// the VC, OB and CLR contexts must be valid. A resolvable extension context
// that is itself invalid JSON-LD (the educredentials one has a "context"
// typo) is left out with a warning, and the rest checked without it.
Status RecordReader::CheckJsonLd(const bj::object& c, Doc& d, const std::string& pointer) {
  bj::value doc(c);
  while (true) {
    auto expanded = jsonld::Expand(doc, jsonld::BundledLoader::Instance());
    if (expanded.ok()) return Status::Ok();
    std::string where = expanded.status().where();
    where = where.substr(0, where.find(' '));
    std::string_view code = jsonld::ErrorCode(expanded.status());
    bj::array* contexts = doc.as_object()["@context"].if_array();
    size_t index = 0;
    bool extension = false;
    if (contexts != nullptr && where.starts_with("/@context/") &&
        code != "loading remote context failed") {
      index = std::strtoul(where.c_str() + 10, nullptr, 10);
      const bj::value* entry = index < contexts->size() ? &(*contexts)[index] : nullptr;
      std::string_view url = entry != nullptr && entry->is_string() ? std::string_view(entry->get_string()) : "";
      extension = !url.empty() && url != kVcContext && url != kObContext && url != kClrContext &&
                  !url.starts_with("https://www.w3.org/") && !url.starts_with("https://purl.imsglobal.org/");
    }
    if (!extension)
      return d.Error((code.find("context") != std::string_view::npos ? "unresolvable or invalid @context: "
                                                                   : "not valid JSON-LD: ") +
                         expanded.status().message(),
                     pointer + where);
    warnings_.Warn("extension context " + std::string((*contexts)[index].get_string()) +
                       " is not valid JSON-LD (" + std::string(code) + "); its terms are not checked",
                   d.At(pointer + where));
    contexts->erase(contexts->begin() + static_cast<std::ptrdiff_t>(index));
  }
}

Status RecordReader::ReadCredential(const bj::object& c, Doc& d, const std::string& pointer) {
  if (!c.contains("@context")) return d.Error("missing @context: not a JSON-LD credential", pointer);
  PB_RETURN_IF_ERROR(CheckJsonLd(c, d, pointer));
  std::string type_at = pointer + "/type";
  if (format_ == Format::kClr2) {
    if (!HasType(c, "ClrCredential"))
      return d.Error("not a CLR 2.0 credential: type has no \"ClrCredential\"", type_at);
    return ReadClr(c, d, pointer);
  }
  if (!IsAchievementCredential(c))
    return d.Error(std::string("not an Open Badges 3.0 credential: type has no "
                               "\"OpenBadgeCredential\" or \"AchievementCredential\"") +
                       (HasType(c, "ClrCredential") ? " (a CLR: read it as clr2)" : ""),
                   type_at);
  return ReadAchievementCredential(c, d, pointer);
}

std::string RecordReader::ReadProfile(const bj::value& profile, Doc& d, const std::string& pointer) {
  Organization org;
  org.source = d.At(pointer);
  if (profile.is_string()) {
    org.id = IdFromUri(profile.get_string());
  } else if (const bj::object* p = profile.if_object()) {
    org.id = IdFromUri(Str(*p, "id"));
    org.name = Str(*p, "name");
    org.url = Str(*p, "url");
    org.email = Str(*p, "email");
    for (const auto& [entry, at] : Objects(*p, "otherIdentifier", pointer))
      org.identifiers.push_back(
          {SystemFromIdentityType(Str(*entry, "identifierType")), std::string(Str(*entry, "identifier"))});
  }
  if (org.id.empty()) return "";
  if (org.id.starts_with("did:") &&
      std::none_of(org.identifiers.begin(), org.identifiers.end(),
                   [](const Identifier& i) { return i.system == "did"; }))
    org.identifiers.insert(org.identifiers.begin(), {"did", org.id});
  std::string id = org.id;
  Emit(std::move(org), d);
  return id;
}

std::string RecordReader::ReadSubject(const bj::object& subject, std::string_view credential_id,
                                      Doc& d, const std::string& pointer) {
  Person p;
  p.source = d.At(pointer);
  p.role = Role::kStudent;
  std::string subject_id(Str(subject, "id"));
  if (subject_id.starts_with("did:")) p.identifiers.push_back({"did", subject_id});
  std::string plain_sourced_id, hashed_sourced_id;
  for (const auto& [io, at] : Objects(subject, "identifier", pointer)) {
    std::string system = SystemFromIdentityType(Str(*io, "identityType"));
    std::string value = IdentityValueFrom(*io);
    bool hashed = IsHashedValue(value);
    if (system == "sourcedId" && !hashed && plain_sourced_id.empty()) {
      plain_sourced_id = value;
      continue;
    }
    if (system == "sourcedId" && hashed && hashed_sourced_id.empty())
      hashed_sourced_id = value.substr(0, value.rfind('$'));
    if (system == "emailAddress" && !hashed && p.email.empty()) p.email = value;
    else p.identifiers.push_back({std::move(system), std::move(value)});
  }
  // The sourcedId the encoder wrote, else the subject's id, else the hash.
  p.id = !plain_sourced_id.empty() ? plain_sourced_id
         : !subject_id.empty()     ? IdFromUri(subject_id)
                                   : hashed_sourced_id;
  if (p.id.empty()) {
    warnings_.Warn("credentialSubject has neither an id nor a sourcedId identifier; the person "
                   "is named after the credential",
                   d.At(pointer));
    p.id = std::string(credential_id) + "#subject";
  }
  std::string id = p.id;
  Emit(std::move(p), d);
  return id;
}

std::string RecordReader::ReadCourse(const bj::object& a, Doc& d, const std::string& pointer) {
  Course course;
  course.source = d.At(pointer);
  course.id = IdFromUri(Str(a, "id"));
  course.title = Str(a, "name");
  // The writer puts the name where OB 3.0 requires a description and there is none.
  if (Str(a, "description") != course.title) course.description = Str(a, "description");
  course.code = Str(a, "humanCode");
  course.credits = Num(a, "creditsAvailable");
  if (std::string_view field = Str(a, "fieldOfStudy"); !field.empty())
    course.subjects = Split(field, "; ");
  SplitAlignments(a, pointer, &course.cip_code, &course.sced_code, &course.alignments);
  if (const bj::value* creator = a.if_contains("creator"))
    course.org_id = ReadProfile(*creator, d, pointer + "/creator");
  std::string id = course.id;
  Emit(std::move(course), d);
  return id;
}

std::string RecordReader::ReadDefinition(const bj::object& a, Doc& d, const std::string& pointer) {
  CredentialDefinition def;
  def.source = d.At(pointer);
  def.id = IdFromUri(Str(a, "id"));
  std::string_view type = Str(a, "achievementType");
  def.definition_type = type.starts_with("ext:") ? type.substr(4) : type;
  def.name = Str(a, "name");
  if (Str(a, "description") != def.name) def.description = Str(a, "description");
  if (const bj::object* criteria = Obj(a, "criteria")) {
    def.criteria = Str(*criteria, "narrative");
    // A criteria id that is the achievement's own is what the writer puts
    // where there is no criteria.
    if (def.criteria.empty() && Str(*criteria, "id") != Str(a, "id")) def.criteria = Str(*criteria, "id");
  }
  if (const bj::value* image = a.if_contains("image"))
    def.image = image->is_string() ? std::string_view(image->get_string())
                                   : image->is_object() ? Str(image->get_object(), "id") : "";
  def.credits = Num(a, "creditsAvailable");
  if (const bj::value* tags = a.if_contains("tag"); tags != nullptr && tags->is_array())
    for (const bj::value& t : tags->get_array())
      if (t.is_string()) def.keywords.emplace_back(t.get_string());
  SplitAlignments(a, pointer, nullptr, nullptr, &def.alignments);
  if (const bj::value* creator = a.if_contains("creator"))
    def.owner_org_id = ReadProfile(*creator, d, pointer + "/creator");
  std::string id = def.id;
  Emit(std::move(def), d);
  return id;
}

std::string RecordReader::ReadSession(const bj::object& subject, Doc& d, const std::string& pointer) {
  AcademicSession s;
  s.source = d.At(pointer);
  s.title = Str(subject, "term");
  s.start_date = DateFrom(Str(subject, "activityStartDate"));
  s.end_date = DateFrom(Str(subject, "activityEndDate"));
  if (s.title.empty() && s.start_date.empty() && s.end_date.empty()) return "";
  // OB 3.0 has no session id: the term and its dates name it.
  s.id = s.title;
  if (!s.start_date.empty() || !s.end_date.empty())
    s.id += (s.id.empty() ? "" : " ") + s.start_date + "/" + s.end_date;
  std::string id = s.id;
  Emit(std::move(s), d);
  return id;
}

Status RecordReader::ReadAchievementCredential(const bj::object& c, Doc& d,
                                               const std::string& pointer) {
  std::string subject_at = pointer + "/credentialSubject";
  const bj::object* subject = Obj(c, "credentialSubject");
  if (subject == nullptr)
    return d.Error("missing credentialSubject (an AchievementSubject object)", subject_at);
  std::string achievement_at = subject_at + "/achievement";
  const bj::object* achievement = Obj(*subject, "achievement");
  if (achievement == nullptr)
    return d.Error("missing credentialSubject.achievement (an Achievement object)", achievement_at);
  if (IdFromUri(Str(*achievement, "id")).empty())
    return d.Error("missing achievement id (a URI)", achievement_at + "/id");
  std::string credential_id = IdFromUri(Str(c, "id"));
  if (credential_id.empty()) return d.Error("missing credential id (a URI)", pointer + "/id");
  std::string issuer_id;
  if (const bj::value* issuer = c.if_contains("issuer"))
    issuer_id = ReadProfile(*issuer, d, pointer + "/issuer");
  std::string person_id = ReadSubject(*subject, credential_id, d, subject_at);

  // Result values by the resultType of the description they refer to.
  auto result_types = ResultTypes(*achievement, achievement_at);
  std::map<std::string, std::string, std::less<>> values;  // resultType -> value
  for (const auto& [result, at] : Objects(*subject, "result", subject_at)) {
    auto rt = result_types.find(Str(*result, "resultDescription"));
    if (rt == result_types.end()) continue;  // e.g. a status-only result
    values.emplace(rt->second, Str(*result, "value"));
  }
  auto number = [&](std::string_view type) -> std::optional<double> {
    auto it = values.find(type);
    if (it == values.end()) return std::nullopt;
    auto n = ParseNumber(it->second);
    if (!n) warnings_.Warn("a " + std::string(type) + " result is not a number; dropped", d.At(subject_at));
    values.erase(it);
    return n;
  };
  std::string awarded = DateFrom(Str(c, "awardedDate"));

  Record record;
  if (Str(*achievement, "achievementType") == "Course") {
    CourseResult r;
    r.course_id = ReadCourse(*achievement, d, achievement_at);
    r.session_id = ReadSession(*subject, d, subject_at);
    auto letter = values.find(kLetterGrade);
    if (letter != values.end()) {
      r.letter_grade = letter->second;
      values.erase(letter);
    }
    r.numeric_grade = number(kNumericGrade);
    r.grade_points = number(kGradePoints);
    r.completion_date = awarded;
    // The course's organization awarding it is the default (see writer.h).
    const bj::object* creator = Obj(*achievement, "creator");
    if (creator == nullptr || IdFromUri(Str(*creator, "id")) != issuer_id) r.awarding_org_id = issuer_id;
    r.person_id = person_id;
    r.credits_earned = Num(*subject, "creditsEarned");
    record = std::move(r);
  } else {
    AchievementAward r;
    AwardType type = AwardTypeFrom(Str(*achievement, "achievementType"));
    r.kind = type.kind;
    r.level = type.level;
    if (!type.known && achievement->contains("achievementType"))
      r.extensions["achievementType"] = Str(*achievement, "achievementType");
    r.title = Str(c, "name");
    if (r.title.empty()) r.title = Str(*achievement, "name");
    r.description = Str(c, "description");
    r.issuer_org_id = issuer_id;
    r.award_date = awarded;
    r.expiration_date = DateFrom(Str(c, "validUntil"));
    r.field_of_study = Str(*achievement, "fieldOfStudy");
    r.hours = number(kClockHours);
    if (std::string_view license = Str(*subject, "licenseNumber"); !license.empty())
      r.identifiers.push_back({"licenseNumber", std::string(license)});
    if (IsPathbridgeUri(Str(*achievement, "id"), "achievementAward")) {
      std::vector<Identifier> rest;
      SplitAlignments(*achievement, achievement_at, &r.cip_code, nullptr, &rest);
    } else {
      r.definition_id = ReadDefinition(*achievement, d, achievement_at);
    }
    r.person_id = person_id;
    r.credits_earned = Num(*subject, "creditsEarned");
    record = std::move(r);
  }
  for (const auto& [type, value] : values)
    warnings_.Warn("a result of type " + type + " has no place in the model; dropped",
                   d.At(subject_at + "/result"));
  RecordBase& base = Base(record);
  base.id = credential_id;
  base.source = d.At(pointer.empty() ? "/" : pointer);
  d.out->push_back(std::move(record));
  return Status::Ok();
}

Status RecordReader::ReadClr(const bj::object& c, Doc& d, const std::string& pointer) {
  std::string subject_at = pointer + "/credentialSubject";
  const bj::object* subject = Obj(c, "credentialSubject");
  if (subject == nullptr)
    return d.Error("missing credentialSubject (a ClrSubject object)", subject_at);
  if (const bj::value* issuer = c.if_contains("issuer")) ReadProfile(*issuer, d, pointer + "/issuer");
  ReadSubject(*subject, IdFromUri(Str(c, "id")), d, subject_at);
  std::string vcs_at = subject_at + "/verifiableCredential";
  const bj::value* vcs = subject->if_contains("verifiableCredential");
  if (vcs == nullptr || !vcs->is_array())
    return d.Error("missing credentialSubject.verifiableCredential (an array of credentials)", vcs_at);
  const bj::array& list = vcs->get_array();
  for (size_t i = 0; i < list.size(); ++i) {
    std::string at = vcs_at + "/" + std::to_string(i);
    const bj::object* vc = list[i].if_object();
    if (vc == nullptr) {
      warnings_.Warn("an enveloped (JWT) credential in a CLR is not read; skipped", d.At(at));
      continue;
    }
    if (!IsAchievementCredential(*vc)) {
      warnings_.Warn("a credential in a CLR that is not an AchievementCredential; skipped", d.At(at));
      continue;
    }
    PB_RETURN_IF_ERROR(ReadAchievementCredential(*vc, d, at));
  }
  // Achievements the learner has without a credential of their own.
  for (const auto& [a, at] : Objects(*subject, "achievement", subject_at)) {
    if (IdFromUri(Str(*a, "id")).empty()) warnings_.Warn("an achievement without an id; skipped", d.At(at));
    else if (Str(*a, "achievementType") == "Course") ReadCourse(*a, d, at);
    else ReadDefinition(*a, d, at);
  }
  if (subject->contains("association"))
    warnings_.Warn("CLR associations between achievements have no place in the model; dropped",
                   d.At(subject_at + "/association"));
  return Status::Ok();
}

void RecordReader::Emit(Record r, Doc& d) {
  std::string key = std::string(RecordType(r)) + " " + Base(r).id;
  if (seen_.insert(std::move(key)).second) d.out->push_back(std::move(r));
}

}  // namespace pathbridge::adapters::open_badges
