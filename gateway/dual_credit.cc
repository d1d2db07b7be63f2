#include "gateway/dual_credit.h"

#include <algorithm>
#include <variant>

#include <boost/json.hpp>

#include "adapters/open_badges/assembler.h"
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
