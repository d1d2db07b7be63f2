#include "adapters/open_badges/assembler.h"

namespace pathbridge::adapters::open_badges {
namespace {

namespace bj = boost::json;
using namespace canonical;

std::string PersonOf(const Record& r) {
  if (auto* c = std::get_if<CourseResult>(&r)) return c->person_id;
  return std::get<AchievementAward>(r).person_id;
}

}  // namespace

Result<uint64_t> MemorySpool::Put(const Record& record) {
  records_.push_back(record);
  return records_.size() - 1;
}

Result<Record> MemorySpool::Get(uint64_t handle) {
  if (handle >= records_.size()) return Internal("no spooled record " + std::to_string(handle));
  return records_[handle];
}

Status Assembler::Add(const Record& record) {
  if (catalog_.Add(record)) return Status::Ok();
  std::string_view type = RecordType(record);
  if (type != Person::kType && type != CourseResult::kType && type != AchievementAward::kType)
    return Status::Ok();
  PB_ASSIGN_OR_RETURN(uint64_t handle, spool_.Put(record));
  if (auto* p = std::get_if<Person>(&record)) {
    persons_[p->id] = handle;
    return Status::Ok();
  }
  if (auto* a = std::get_if<AchievementAward>(&record)) referenced_.insert(a->definition_id);
  std::string person = PersonOf(record);
  if (!by_person_.count(person)) person_order_.push_back(person);
  by_person_[person].push_back(handle);
  order_.push_back(handle);
  return Status::Ok();
}

Status Assembler::Finish(const Emit& emit) {
  // Definitions no award refers to: a CLR of one learner lists them as
  // achievements without a credential; elsewhere there is no place.
  std::vector<std::string> unreferenced;
  for (const auto& [id, def] : catalog_.definitions)
    if (!referenced_.count(id)) unreferenced.push_back(id);
  if (format_ == Format::kClr2 && person_order_.size() == 1) unreferenced_ = std::move(unreferenced);
  else if (!unreferenced.empty())
    warnings_.Warn("credential definitions no award refers to are not written", {where_, 0, 0, ""});
  if (format_ == Format::kClr2) {
    for (const std::string& person_id : person_order_) PB_RETURN_IF_ERROR(WriteClr(person_id, emit));
    return Status::Ok();
  }
  for (uint64_t handle : order_) {
    PB_ASSIGN_OR_RETURN(Record r, spool_.Get(handle));
    PB_ASSIGN_OR_RETURN(std::optional<Record> person, LoadPerson(PersonOf(r)));
    PB_RETURN_IF_ERROR(emit(CredentialFor(r, person ? &std::get<Person>(*person) : nullptr)));
  }
  return Status::Ok();
}

bj::object Assembler::CredentialFor(const Record& r, const Person* person) {
  if (auto* c = std::get_if<CourseResult>(&r)) return writer_.AchievementCredential(*c, person);
  return writer_.AchievementCredential(std::get<AchievementAward>(r), person);
}

Result<std::optional<Record>> Assembler::LoadPerson(const std::string& person_id) {
  auto it = persons_.find(person_id);
  if (it == persons_.end()) return std::optional<Record>();
  PB_ASSIGN_OR_RETURN(Record r, spool_.Get(it->second));
  return std::optional<Record>(std::move(r));
}

Status Assembler::WriteClr(const std::string& person_id, const Emit& emit) {
  PB_ASSIGN_OR_RETURN(std::optional<Record> person, LoadPerson(person_id));
  const Person* p = person ? &std::get<Person>(*person) : nullptr;
  bj::array credentials;
  std::string issuer = p != nullptr ? p->primary_org_id : "";
  for (uint64_t handle : by_person_[person_id]) {
    PB_ASSIGN_OR_RETURN(Record r, spool_.Get(handle));
    bj::object c = CredentialFor(r, p);
    // The person's school, else the first credential's issuer, issues the CLR.
    if (issuer.empty()) issuer = IssuerOrg(r);
    credentials.push_back(std::move(c));
  }
  return emit(writer_.Clr(person_id, p, issuer, std::move(credentials), unreferenced_));
}

std::string Assembler::IssuerOrg(const Record& r) const {
  if (auto* a = std::get_if<AchievementAward>(&r)) return a->issuer_org_id;
  const auto& c = std::get<CourseResult>(r);
  if (!c.awarding_org_id.empty()) return c.awarding_org_id;
  auto course = catalog_.courses.find(c.course_id);
  return course == catalog_.courses.end() ? "" : course->second.org_id;
}

Result<std::vector<bj::object>> BuildDocuments(const std::vector<Record>& records, Format format,
                                              Settings settings, const DiagnosticFn& on_diagnostic,
                                              std::string where) {
  Warnings warnings(on_diagnostic);
  MemorySpool spool;
  Assembler assembler(format, std::move(settings), warnings, where, spool);
  for (const Record& r : records) PB_RETURN_IF_ERROR(assembler.Add(r));
  std::vector<bj::object> out;
  PB_RETURN_IF_ERROR(assembler.Finish([&](const bj::object& doc) {
    out.push_back(doc);
    return Status::Ok();
  }));
  warnings.Summarize(where);
  return out;
}

}  // namespace pathbridge::adapters::open_badges
