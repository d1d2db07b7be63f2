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
#include <fstream>
#include <map>

#include <boost/json/serialize.hpp>

#include "adapters/json_document.h"
#include "adapters/output_path.h"
#include "adapters/ler_rs/records.h"
#include "adapters/registry.h"
#include "adapters/warnings.h"

namespace pathbridge::adapters::ler_rs {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace canonical;

constexpr size_t kMaxDocumentBytes = 16u << 20;
constexpr size_t kMaxRecords = 1'000'000;

class LerRsDecoder : public Decoder {
 public:
  LerRsDecoder(std::vector<Input> inputs, DecodeOptions options)
      : inputs_(std::move(inputs)), options_(std::move(options)), warnings_(options_.on_diagnostic) {}

  pathbridge::Result<bool> Next(Record* out) override {
    while (next_ == pending_.size()) {
      PB_ASSIGN_OR_RETURN(bool more, ReadNextDocument());
      if (!more) return false;
    }
    *out = std::move(pending_[next_++]);
    return true;
  }

 private:
  pathbridge::Result<bool> ReadNextDocument() {
    if (next_input_ == inputs_.size()) return false;
    const Input& input = inputs_[next_input_++];
    display_ = input.path.string();
    std::ifstream file;
    PB_ASSIGN_OR_RETURN(std::istream* in, OpenInput(input, file));
    PB_ASSIGN_OR_RETURN(json::value doc, ReadJsonDocument(*in, display_, kMaxDocumentBytes));
    auto records = Decode(doc);
    warnings_.Summarize(display_);
    if (!records.ok())
      return Status(records.status().code(), records.status().message(),
                    display_ + ":" + records.status().where());
    pending_ = std::move(*records);
    next_ = 0;
    for (auto& r : pending_) Base(r).source.file = display_;
    return true;
  }

  pathbridge::Result<std::vector<Record>> Decode(const json::value& doc) {
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
    return DecodeResume(*resume, pointer, subject_id,
                        [&](std::string message, std::string where) { Warn(message, where); });
  }

  void Warn(std::string message, std::string pointer) {
    warnings_.Warn(std::move(message), {display_, 0, 0, std::move(pointer)});
  }

  std::vector<Input> inputs_;
  size_t next_input_ = 0;
  DecodeOptions options_;
  Warnings warnings_;
  std::string display_;
  std::vector<Record> pending_;
  size_t next_ = 0;
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

class LerRsEncoder : public Encoder {
 public:
  LerRsEncoder(std::unique_ptr<OutputPath> out, EncodeOptions options)
      : out_(std::move(out)), options_(std::move(options)) {}

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

  void Abort() override { out_->Discard(); }

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

  void Warn(std::string message, SourceLocation where) {
    if (options_.on_diagnostic)
      options_.on_diagnostic({Diagnostic::Severity::kWarning, std::move(message), std::move(where)});
  }

  std::unique_ptr<OutputPath> out_;
  EncodeOptions options_;
  size_t count_ = 0;
  std::map<std::string, PersonRecords> people_;
  std::vector<std::string> order_;  // person ids, first seen first
  Organizations orgs_;
};

class LerRsAdapter : public Adapter {
 public:
  LerRsAdapter() { AddCapabilities(reads_, writes_); }
  std::string_view name() const override { return "ler-rs"; }
  std::vector<std::string> media_types() const override { return {"application/json"}; }
  std::string_view description() const override {
    return "HR Open LER-RS 4.x résumés (a document or a credential wrapping one; a folder of "
           "them); writes one LER-RS 4.4 document per person into a folder";
  }
  const Capabilities& reads() const override { return reads_; }
  const Capabilities& writes() const override { return writes_; }

  pathbridge::Result<std::unique_ptr<Decoder>> OpenDecoder(
      const Input& input, const DecodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(auto inputs, JsonInputs(input));
    return std::unique_ptr<Decoder>(std::make_unique<LerRsDecoder>(std::move(inputs), options));
  }

  pathbridge::Result<std::unique_ptr<Encoder>> OpenEncoder(
      const fs::path& output, const EncodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(auto out, OutputPath::Open(output, OutputPath::Kind::kFolder));
    return std::unique_ptr<Encoder>(std::make_unique<LerRsEncoder>(std::move(out), options));
  }

 private:
  Capabilities reads_, writes_;
};

}  // namespace
}  // namespace pathbridge::adapters::ler_rs

namespace pathbridge::adapters {
std::unique_ptr<Adapter> MakeLerRsAdapter() { return std::make_unique<ler_rs::LerRsAdapter>(); }
}  // namespace pathbridge::adapters
