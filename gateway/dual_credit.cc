#include "gateway/dual_credit.h"

#include <algorithm>
#include <map>
#include <set>
#include <variant>

#include <boost/json.hpp>

#include "adapters/open_badges/assembler.h"
#include "adapters/open_badges/vocabulary.h"
#include "adapters/output_path.h"
#include "adapters/registry.h"
#include "certs/ed25519.h"
#include "standards/digest.h"

namespace pathbridge::gateway {
namespace {

namespace fs = std::filesystem;
namespace js = boost::json;
using canonical::Record;

// A transcript is one document; far more records than any transcript has
// means the input is not one.
constexpr size_t kMaxTranscriptRecords = 100'000;

Result<std::vector<Record>> DecodeTranscript(const DualCreditRequest& r) {
  PB_ASSIGN_OR_RETURN(const adapters::Adapter* source, adapters::FindAdapter(r.from));
  PB_ASSIGN_OR_RETURN(auto decoder, source->OpenDecoder(adapters::Input{r.transcript}, {}));
  std::vector<Record> records;
  PB_RETURN_IF_ERROR(adapters::ForEachRecord(*decoder, [&](Record&& rec) -> Status {
    if (records.size() == kMaxTranscriptRecords)
      return InvalidArgument("more than " + std::to_string(kMaxTranscriptRecords) +
                                 " records: not one transcript",
                             r.transcript.string());
    records.push_back(std::move(rec));
    return Status::Ok();
  }));
  return records;
}

bool Completed(const canonical::CourseResult& r) {
  return r.credits_earned && *r.credits_earned > 0;
}

// The college: the institution the transcript's courses were taken at.
std::string CollegeId(const std::vector<Record>& records) {
  for (const Record& r : records)
    if (const auto* cr = std::get_if<canonical::CourseResult>(&r); cr && !cr->awarding_org_id.empty())
      return cr->awarding_org_id;
  std::string first;
  for (const Record& r : records)
    if (const auto* o = std::get_if<canonical::Organization>(&r)) {
      if (o->kind == canonical::OrgKind::kCollege) return o->id;
      if (first.empty()) first = o->id;
    }
  return first;
}

struct Selected {
  std::vector<Record> district;     // everything, results marked dual credit
  std::vector<Record> credentials;  // what the badges say: no demographics
  size_t courses = 0;
};

// Marks the course results as dual credit earned at the college and picks
// what goes into the credentials: the student, the college, sessions,
// courses and completed results (never demographics).
Result<Selected> Select(std::vector<Record> records, const fs::path& transcript) {
  const std::string college = CollegeId(records);
  Selected out;
  for (Record& r : records) {
    if (auto* cr = std::get_if<canonical::CourseResult>(&r)) {
      if (!cr->dual_credit) cr->dual_credit = true;
      if (cr->awarding_org_id.empty()) cr->awarding_org_id = college;
      if (cr->dual_credit_institution_id.empty()) cr->dual_credit_institution_id = cr->awarding_org_id;
      if (Completed(*cr)) {
        ++out.courses;
        out.credentials.push_back(r);
      }
    } else if (std::holds_alternative<canonical::Person>(r) ||
               std::holds_alternative<canonical::Organization>(r) ||
               std::holds_alternative<canonical::AcademicSession>(r) ||
               std::holds_alternative<canonical::Course>(r)) {
      out.credentials.push_back(r);
    }
    out.district.push_back(std::move(r));
  }
  if (out.courses == 0)
    return InvalidArgument("the transcript has no completed course (none with credits earned)",
                           transcript.string());
  return out;
}

// A district format without transcript lines but with a gradebook
// (OneRoster) receives each completed college course as a final grade:
// a class for the course in its session at the college, the student
// enrolled in it, a "Final grade" line item and the student's result (the
// numeric grade as the score; the letter grade and credits, which results
// have no column for, in its comment). The course results go along too, so
// that the loss report names what the format cannot carry of them.
bool WantsGradebook(std::string_view to) {
  auto target = adapters::FindAdapter(to);
  if (!target.ok()) return false;
  const adapters::Capabilities& w = (*target)->writes();
  return !w.CarriesType(canonical::CourseResult::kType) && w.Carries("result.score") &&
         w.Carries("lineItem.sectionId");
}

std::string GradeComment(const canonical::CourseResult& r, const std::string& college) {
  std::string c = "Dual credit";
  if (!college.empty()) c += " from " + college;
  if (!r.letter_grade.empty()) c += "; grade " + r.letter_grade;
  if (r.credits_earned) c += "; " + adapters::open_badges::NumberText(*r.credits_earned) + " credits earned";
  return c;
}

void AddGradebook(std::vector<Record>& district) {
  std::map<std::string, std::string> org_names;
  std::map<std::string, std::string> course_titles;
  std::vector<canonical::CourseResult> completed;
  for (const Record& r : district) {
    if (const auto* o = std::get_if<canonical::Organization>(&r)) org_names[o->id] = o->name;
    if (const auto* c = std::get_if<canonical::Course>(&r)) course_titles[c->id] = c->title;
    if (const auto* cr = std::get_if<canonical::CourseResult>(&r); cr && Completed(*cr))
      completed.push_back(*cr);
  }
  if (completed.empty()) return;
  canonical::Category category;
  category.id = "pathbridge-dual-credit-final-grades";
  category.title = "Dual credit final grades";
  district.push_back(category);
  std::set<std::string> sections;
  for (const canonical::CourseResult& cr : completed) {
    std::string section_id = "dual-credit:" + cr.course_id + (cr.session_id.empty() ? "" : ":" + cr.session_id);
    if (sections.insert(section_id).second) {
      canonical::Section s;
      s.id = section_id;
      s.title = course_titles[cr.course_id];
      s.type = canonical::SectionType::kScheduled;
      s.course_id = cr.course_id;
      s.org_id = cr.awarding_org_id;
      if (!cr.session_id.empty()) s.session_ids = {cr.session_id};
      district.push_back(s);
    }
    canonical::Enrollment e;
    e.id = "dual-credit:" + cr.id + ":enrollment";
    e.kind = canonical::EnrollmentKind::kSection;
    e.person_id = cr.person_id;
    e.org_id = cr.awarding_org_id;
    e.section_id = section_id;
    e.role = canonical::Role::kStudent;
    district.push_back(e);
    canonical::LineItem item;
    item.id = "dual-credit:" + cr.id + ":final";
    item.title = "Final grade";
    item.section_id = section_id;
    item.category_id = category.id;
    item.assign_date = item.due_date = cr.completion_date;
    district.push_back(item);
    canonical::LineItemResult result;
    result.id = cr.id;
    result.line_item_id = item.id;
    result.person_id = cr.person_id;
    result.score_status = "fully graded";
    result.score = cr.numeric_grade;
    result.score_date = cr.completion_date;
    result.comment = GradeComment(cr, org_names[cr.awarding_org_id]);
    district.push_back(result);
  }
}

Result<adapters::LossReport> Encode(const std::vector<Record>& records, std::string_view from,
                                    std::string_view to, const fs::path& output) {
  adapters::RecordListDecoder decoder(records);
  return adapters::Translate(decoder, from, to, output, {});
}

// A credential id that is the same every time this organization imports
// this transcript line (a UUIDv8 from SHA-256 of both), so importing a
// transcript twice is refused as already issued instead of issuing twice.
std::string StableId(std::string_view org, std::string_view source_id) {
  Digester digester(HashAlgorithm::kSha256);
  digester.Begin();
  digester.Update("pathbridge dual-credit\n");
  digester.Update(org);
  digester.Update("\n");
  digester.Update(source_id);
  std::string hex = digester.Finish().Hex().substr(0, 32);
  hex[12] = '8';                                                  // version 8
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];  // RFC 9562 variant
  return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

// The hub issues as the organization's DID: whatever issuer id the adapter
// derived from the transcript gives way (its name and other members stay).
// The id becomes a stable URN.
void PrepareForIssue(js::object& credential, std::string_view org) {
  if (const js::value* id = credential.if_contains("id"); id && id->is_string())
    credential["id"] = StableId(org, id->as_string());
  js::value* issuer = credential.if_contains("issuer");
  if (issuer == nullptr) return;
  if (issuer->is_object()) issuer->as_object().erase("id");
  else credential.erase("issuer");
}

Status WriteText(const fs::path& path, std::string_view text) {
  return certs::WriteFileAtomically(path, text, 0644);
}

}  // namespace

js::object DualCreditResult::ToJson() const {
  js::array ids;
  for (const std::string& id : credential_ids) ids.push_back(js::string(id));
  return {{"courses", courses}, {"credentials", std::move(ids)}, {"lossless", loss.lossless()}};
}

Result<DualCreditDraft> DraftDualCredit(const DualCreditRequest& r,
                                        const fs::path& district_output) {
  PB_ASSIGN_OR_RETURN(std::vector<Record> records, DecodeTranscript(r));
  PB_ASSIGN_OR_RETURN(Selected selected, Select(std::move(records), r.transcript));
  DualCreditDraft draft;
  draft.courses = selected.courses;
  if (!district_output.empty()) {
    if (WantsGradebook(r.to)) AddGradebook(selected.district);
    PB_ASSIGN_OR_RETURN(draft.loss, Encode(selected.district, r.from, r.to, district_output));
  }
  namespace ob = adapters::open_badges;
  PB_ASSIGN_OR_RETURN(draft.credentials,
                      ob::BuildDocuments(selected.credentials, r.clr ? ob::Format::kClr2 : ob::Format::kOb3,
                                         ob::DefaultSettings(), {}, r.transcript.string()));
  for (js::object& c : draft.credentials) PrepareForIssue(c, r.issuer_org);
  return draft;
}

Result<DualCreditResult> ImportDualCredit(const DualCreditRequest& r,
                                          credentials::CredentialService& issuer, Timestamp now) {
  PB_ASSIGN_OR_RETURN(auto output, adapters::OutputPath::Open(r.output, adapters::OutputPath::Kind::kFolder));
  const fs::path& out = output->temp();
  PB_ASSIGN_OR_RETURN(DualCreditDraft draft, DraftDualCredit(r, out / "district"));

  DualCreditResult result;
  result.courses = draft.courses;
  result.loss = std::move(draft.loss);
  PB_ASSIGN_OR_RETURN(auto issued, issuer.IssueBatch(draft.credentials, r.issuer_org, r.suite, now));
  fs::create_directories(out / "credentials");
  fs::create_directories(out / "receipts");
  for (size_t i = 0; i < issued.size(); ++i) {
    std::string name = std::to_string(i + 1) + ".json";
    PB_RETURN_IF_ERROR(
        WriteText(out / "credentials" / name, credentials::FormatSignedCredential(issued[i].credential)));
    PB_RETURN_IF_ERROR(WriteText(out / "receipts" / name, credentials::FormatReceipt(issued[i].receipt)));
    result.credential_ids.push_back(issued[i].id);
  }
  PB_RETURN_IF_ERROR(WriteText(out / "loss-report.json", js::serialize(result.loss.ToJson())));
  PB_RETURN_IF_ERROR(WriteText(out / "summary.json", js::serialize(result.ToJson())));

  if (Status moved = output->Commit(); !moved.ok()) {
    output->Keep();  // issued and logged: never throw the credentials away
    return IoError("the credentials were issued, but the output could not be moved into place (" +
                       moved.message() + "); it is in " + out.string(),
                   r.output.string());
  }
  return result;
}

}  // namespace pathbridge::gateway
