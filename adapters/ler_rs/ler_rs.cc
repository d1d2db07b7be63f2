// The ler-rs adapter: HR Open LER-RS résumés (records.h says how they map
// to records).
//
// Input: a .json file, or a folder of them, each one résumé read whole (at
// most 16 MiB): a LER-RS document (its "type" names LER-RSType), or a
// verifiable credential wrapping one as its credentialSubject (the 4.5
// examples' form; the wrapper's issuer and proof are not carried).
//
// Output: a folder with one LER-RS 4.4 document per person,
// <person id>.json (characters other than letters, digits, '-', '_' and
// '.' replaced by '_'). A résumé gathers records of several types that
// arrive in any order, so the encoder keeps the records in memory until
// Finish() (at most kMaxRecords), then writes every file into a temp
// folder renamed into place.
#include <map>

#include <boost/json/serialize.hpp>

#include "adapters/json_document.h"
#include "adapters/ler_rs/records.h"
#include "adapters/registry.h"

namespace pathbridge::adapters::ler_rs {
namespace {

namespace json = boost::json;
using namespace canonical;

constexpr size_t kMaxRecords = 1'000'000;

class LerRsDecoder : public JsonDocumentDecoder {
 public:
  using JsonDocumentDecoder::JsonDocumentDecoder;

 private:
  Status DecodeDocument(const json::value& doc, std::vector<Record>* out) override {
    const auto* top = doc.if_object();
    if (top == nullptr) return InvalidArgument("a LER-RS document must be a JSON object", "");
    const json::object* resume = top;
    std::string pointer, subject_id;
    if (const auto* subject = ObjectMember(*top, "credentialSubject")) {
      resume = subject;
      pointer = "/credentialSubject";
      subject_id = StringMember(*subject, "id");
      Warn("the wrapping credential's issuer and proof are not carried", "");
    }
    if (StringMember(*resume, "type").find("LER-RSType") == std::string::npos)
      return InvalidArgument("not a LER-RS résumé: \"type\" must name LER-RSType",
                             Child(pointer, "type"));
    PB_ASSIGN_OR_RETURN(*out, DecodeResume(*resume, pointer, subject_id,
                                           [&](std::string message, std::string where) {
                                             Warn(std::move(message), std::move(where));
                                           }));
    return Status::Ok();
  }
};

// "<person id>.json" with unsafe characters replaced, unique in `taken`.
std::string FileName(const std::string& id, std::map<std::string, int>& taken) {
  std::string name;
  for (char c : id.substr(0, 100))
    name += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')
                ? c
                : '_';
  if (name.empty() || name.front() == '.') name = "person" + name;
  int n = taken[name]++;
  return name + (n == 0 ? "" : "-" + std::to_string(n + 1)) + ".json";
}

class LerRsEncoder : public JsonDocumentEncoder {
 public:
  using JsonDocumentEncoder::JsonDocumentEncoder;

  Status Write(const Record& record) override {
    if (++count_ > kMaxRecords)
      return Status(Code::kResourceExhausted,
                    "more than " + std::to_string(kMaxRecords) + " records for LER-RS résumés",
                    Base(record).source.ToString());
    std::visit([&](const auto& r) { Keep(r); }, record);
    return Status::Ok();
  }

  Status Finish() override {
    std::map<std::string, int> taken;
    for (const std::string& id : order_) {
      PersonRecords& p = people_[id];
      if (p.person.id.empty()) {
        Warn("records of a person with no person record are not written", {});
        continue;
      }
      json::object doc = EncodeResume(p, orgs_, [&](std::string message, std::string) {
        Warn("person " + id + ": " + message, p.person.source);
      });
      PB_RETURN_IF_ERROR(
          WriteTextFile(out_->temp() / FileName(id, taken), json::serialize(doc) + "\n"));
    }
    return out_->Commit();
  }

 private:
  PersonRecords& Of(const std::string& person_id) {
    auto [it, added] = people_.try_emplace(person_id);
    if (added) order_.push_back(person_id);
    return it->second;
  }
  void Keep(const Person& r) { Of(r.id).person = r; }
  void Keep(const Demographics& r) { Of(r.id).demographics = r; }
  void Keep(const Organization& r) { orgs_[r.id] = r; }
  void Keep(const Enrollment& r) {
    if (r.kind != EnrollmentKind::kSection) Of(r.person_id).enrollments.push_back(r);
  }
  void Keep(const AchievementAward& r) { Of(r.person_id).awards.push_back(r); }
  void Keep(const Employment& r) { Of(r.person_id).employments.push_back(r); }
  template <typename T>
  void Keep(const T&) {}  // not carried by LER-RS

  size_t count_ = 0;
  std::map<std::string, PersonRecords> people_;
  std::vector<std::string> order_;  // person ids, first seen first
  Organizations orgs_;
};

}  // namespace
}  // namespace pathbridge::adapters::ler_rs

namespace pathbridge::adapters {
std::unique_ptr<Adapter> MakeLerRsAdapter() {
  return std::make_unique<JsonDocumentAdapter<ler_rs::LerRsDecoder, ler_rs::LerRsEncoder>>(
      JsonDocumentFormat{
          .name = "ler-rs",
          .media_types = {"application/json"},
          .description = "HR Open LER-RS 4.x résumés (a document or a credential wrapping one; a "
                         "folder of them); writes one LER-RS 4.4 document per person into a folder",
          .output = OutputPath::Kind::kFolder,
          .add_capabilities = ler_rs::AddCapabilities,
      });
}
}  // namespace pathbridge::adapters
