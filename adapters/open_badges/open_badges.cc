// The ob3 and clr2 adapters: Open Badges 3.0 AchievementCredentials and CLR
// 2.0 ClrCredentials as unsigned (or signed: the proof is ignored) JSON-LD
// documents. Mapping: reader.h and writer.h; docs/adapters.md.
//
// Input: one .json file, or a folder of them (read in name order), each one
// credential or a JSON array of credentials. A document is read whole,
// bounded by the JSON parser's size limit (16 MiB; a CLR with its embedded
// credentials is one document), and its records are handed out one by one.
//
// Output: one document per courseResult and achievementAward (ob3) or per
// person (clr2, the person's credentials inside), as a folder of <n>.json
// files (layout=folder, the default) or one JSON array (layout=array, the
// default when the output name ends in .json). Encoder options
// (`pathbridge translate --option key=value`):
//   layout=folder|array
//   identity=hashed|plain  how the person is named in credentialSubject
//                          (writer.h); default hashed: no plain PII
//   salt=<text>            the salt for hashed identities (default: random,
//                          one per run, so one run's documents agree)
//   issuer_did=did:...     the issuer id where the awarding organization has
//                          no DID: the hub organization that signs them
// Memory: catalog records (organizations, courses, sessions, definitions)
// are kept in memory; persons, course results and awards wait in a temp
// file (JSON lines), with an index of offsets by person, until Finish()
// writes the documents: an ob3 credential needs its course and person, a
// CLR all of a person's credentials, and they may arrive in any order.
#include <algorithm>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <unordered_map>

#include <boost/json/serialize.hpp>

#include "adapters/edfi_json/record_json.h"
#include "adapters/open_badges/reader.h"
#include "adapters/open_badges/writer.h"
#include "adapters/output_path.h"
#include "adapters/registry.h"
#include "standards/encoding.h"
#include "standards/json.h"
#include "standards/time.h"

namespace pathbridge::adapters::open_badges {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;
using namespace canonical;

// ---- Decoding

class OpenBadgesDecoder : public Decoder {
 public:
  OpenBadgesDecoder(Format format, std::vector<Input> inputs, const DecodeOptions& options)
      : inputs_(std::move(inputs)), warnings_(options.on_diagnostic), reader_(format, warnings_) {}

  pathbridge::Result<bool> Next(Record* out) override {
    while (queue_.empty()) {
      if (next_ == inputs_.size()) return false;
      PB_RETURN_IF_ERROR(ReadFile(inputs_[next_++]));
    }
    *out = std::move(queue_.front());
    queue_.pop_front();
    return true;
  }

 private:
  Status ReadFile(const Input& input) {
    std::string file = input.path.string();
    std::ifstream in;
    PB_ASSIGN_OR_RETURN(std::istream* s, OpenInput(input, in));
    // Read no more than the parser takes, plus one byte to tell it is over.
    const size_t limit = json::ParseOptions().max_size;
    std::string text(limit + 1, '\0');
    s->read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(s->gcount()));
    if (s->bad()) return IoError("cannot read", file);
    auto doc = json::Parse(text);
    if (!doc.ok()) return Status(doc.status().code(), doc.status().message(), file + ":" + doc.status().where());
    PB_RETURN_IF_ERROR(reader_.ReadDocument(*doc, file, &queue_));
    warnings_.Summarize(file);
    return Status::Ok();
  }

  std::vector<Input> inputs_;
  size_t next_ = 0;
  Warnings warnings_;
  RecordReader reader_;
  std::deque<Record> queue_;
};

// ---- Encoding

struct EncoderSettings {
  bool array = false;
  Settings writer;
};

pathbridge::Result<EncoderSettings> ParseParams(const fs::path& output, const FormatParams& params) {
  EncoderSettings s;
  s.array = output.extension() == ".json";
  for (const auto& [key, value] : params) {
    std::string where = "--option " + key;
    if (key == "layout" && (value == "folder" || value == "array")) s.array = value == "array";
    else if (key == "identity" && (value == "hashed" || value == "plain"))
      s.writer.hash_identities = value == "hashed";
    else if (key == "salt" && !value.empty()) s.writer.salt = value;
    else if (key == "issuer_did" && value.starts_with("did:")) s.writer.issuer_did = value;
    else if (key == "layout" || key == "identity" || key == "salt" || key == "issuer_did")
      return InvalidArgument("bad value (layout=folder|array, identity=hashed|plain, salt=<text>, "
                             "issuer_did=did:...)", where);
    else return InvalidArgument("unknown option (known: layout, identity, salt, issuer_did)", where);
  }
  if (s.writer.salt.empty()) {
    std::random_device random;
    Bytes bytes(16);
    for (auto& b : bytes) b = static_cast<uint8_t>(random());
    s.writer.salt = HexEncode(bytes);
  }
  s.writer.now = FormatRfc3339({Now().seconds, 0});
  return s;
}

class OpenBadgesEncoder : public Encoder {
 public:
  OpenBadgesEncoder(Format format, std::unique_ptr<OutputPath> out, EncoderSettings settings,
                    const EncodeOptions& options)
      : format_(format), out_(std::move(out)), output_(out_->target().string()),
        pending_path_(out_->work() / "records.jsonl"), array_(settings.array),
        warnings_(options.on_diagnostic),
        writer_(catalog_, std::move(settings.writer), warnings_, output_),
        pending_(pending_path_, std::ios::binary | std::ios::in | std::ios::out | std::ios::trunc) {}

  Status Write(const Record& record) override {
    if (catalog_.Add(record)) return Status::Ok();
    std::string_view type = RecordType(record);
    if (type != Person::kType && type != CourseResult::kType && type != AchievementAward::kType)
      return Status::Ok();
    pending_.seekp(0, std::ios::end);
    uint64_t offset = static_cast<uint64_t>(pending_.tellp());
    pending_ << bj::serialize(edfi_json::RecordToJson(record)) << "\n";
    if (!pending_) return IoError("cannot write a temp file", pending_path_.string());
    if (auto* p = std::get_if<Person>(&record)) {
      persons_[p->id] = offset;
      return Status::Ok();
    }
    if (auto* a = std::get_if<AchievementAward>(&record)) referenced_.insert(a->definition_id);
    std::string person = PersonOf(record);
    if (!by_person_.count(person)) person_order_.push_back(person);
    by_person_[person].push_back(offset);
    order_.push_back(offset);
    return Status::Ok();
  }

  Status Finish() override {
    // Definitions no award refers to: a CLR of one learner lists them as
    // achievements without a credential; elsewhere there is no place.
    std::vector<std::string> unreferenced;
    for (const auto& [id, def] : catalog_.definitions)
      if (!referenced_.count(id)) unreferenced.push_back(id);
    if (format_ == Format::kClr2 && person_order_.size() == 1) unreferenced_ = std::move(unreferenced);
    else if (!unreferenced.empty())
      warnings_.Warn("credential definitions no award refers to are not written",
                     {output_, 0, 0, ""});
    if (format_ == Format::kOb3) {
      for (uint64_t offset : order_) {
        PB_ASSIGN_OR_RETURN(Record r, Load(offset));
        PB_ASSIGN_OR_RETURN(std::optional<Record> person, LoadPerson(PersonOf(r)));
        PB_RETURN_IF_ERROR(Emit(CredentialFor(r, person ? &std::get<Person>(*person) : nullptr)));
      }
    } else {
      for (const std::string& person_id : person_order_) PB_RETURN_IF_ERROR(WriteClr(person_id));
    }
    PB_RETURN_IF_ERROR(CloseOutput());
    warnings_.Summarize(output_);
    return out_->Commit();
  }

  void Abort() override {
    pending_.close();
    array_out_.close();
    out_->Discard();
  }

 private:
  static std::string PersonOf(const Record& r) {
    if (auto* c = std::get_if<CourseResult>(&r)) return c->person_id;
    return std::get<AchievementAward>(r).person_id;
  }

  bj::object CredentialFor(const Record& r, const Person* person) {
    if (auto* c = std::get_if<CourseResult>(&r)) return writer_.AchievementCredential(*c, person);
    return writer_.AchievementCredential(std::get<AchievementAward>(r), person);
  }

  pathbridge::Result<Record> Load(uint64_t offset) {
    pending_.clear();
    pending_.seekg(static_cast<std::streamoff>(offset));
    std::string line;
    if (!std::getline(pending_, line)) return IoError("cannot read a temp file", pending_path_.string());
    PB_ASSIGN_OR_RETURN(bj::value v, json::Parse(line));
    return edfi_json::RecordFromJson(v.as_object());
  }

  pathbridge::Result<std::optional<Record>> LoadPerson(const std::string& person_id) {
    auto it = persons_.find(person_id);
    if (it == persons_.end()) return std::optional<Record>();
    PB_ASSIGN_OR_RETURN(Record r, Load(it->second));
    return std::optional<Record>(std::move(r));
  }

  Status WriteClr(const std::string& person_id) {
    PB_ASSIGN_OR_RETURN(std::optional<Record> person, LoadPerson(person_id));
    const Person* p = person ? &std::get<Person>(*person) : nullptr;
    bj::array credentials;
    std::string issuer = p != nullptr ? p->primary_org_id : "";
    for (uint64_t offset : by_person_[person_id]) {
      PB_ASSIGN_OR_RETURN(Record r, Load(offset));
      bj::object c = CredentialFor(r, p);
      // The person's school, else the first credential's issuer, issues the CLR.
      if (issuer.empty()) issuer = IssuerOrg(r);
      credentials.push_back(std::move(c));
    }
    return Emit(writer_.Clr(person_id, p, issuer, std::move(credentials), unreferenced_));
  }

  std::string IssuerOrg(const Record& r) const {
    if (auto* a = std::get_if<AchievementAward>(&r)) return a->issuer_org_id;
    const auto& c = std::get<CourseResult>(r);
    if (!c.awarding_org_id.empty()) return c.awarding_org_id;
    auto course = catalog_.courses.find(c.course_id);
    return course == catalog_.courses.end() ? "" : course->second.org_id;
  }

  Status Emit(const bj::object& doc) {
    ++count_;
    if (array_) {
      if (!array_out_.is_open()) array_out_.open(out_->temp(), std::ios::binary);
      array_out_ << (count_ == 1 ? "[\n" : ",\n") << bj::serialize(doc);
      return array_out_ ? Status::Ok() : IoError("cannot write", output_);
    }
    fs::path path = out_->temp() / (std::to_string(count_) + ".json");
    std::ofstream out(path, std::ios::binary);
    out << bj::serialize(doc) << "\n";
    out.close();
    return out ? Status::Ok() : IoError("cannot write", path.string());
  }

  Status CloseOutput() {
    if (!array_) return Status::Ok();
    if (!array_out_.is_open()) array_out_.open(out_->temp(), std::ios::binary);
    array_out_ << (count_ == 0 ? "[" : "\n") << "]\n";
    array_out_.close();
    return array_out_ ? Status::Ok() : IoError("cannot write", output_);
  }

  Format format_;
  std::unique_ptr<OutputPath> out_;
  std::string output_;  // the target, for diagnostics
  fs::path pending_path_;
  bool array_;
  Warnings warnings_;
  Catalog catalog_;
  CredentialWriter writer_;
  std::fstream pending_;
  std::ofstream array_out_;
  std::unordered_map<std::string, uint64_t> persons_;
  std::unordered_map<std::string, std::vector<uint64_t>> by_person_;
  std::vector<std::string> person_order_;
  std::vector<uint64_t> order_;
  std::set<std::string> referenced_;  // definition ids awards refer to
  std::vector<std::string> unreferenced_;
  uint64_t count_ = 0;
};

// ---- The adapters

const Capabilities& OpenBadgesCapabilities(bool reading) {
  static const Capabilities* kCaps[2] = {};
  static const char* const kPaths[] = {
      "organization.id", "organization.name", "organization.url", "organization.email",
      "organization.identifiers",
      "person.id", "person.identifiers", "person.email",
      "course.id", "course.title", "course.code", "course.description", "course.credits",
      "course.subjects", "course.cipCode", "course.scedCode", "course.alignments", "course.orgId",
      "academicSession.id", "academicSession.title", "academicSession.startDate",
      "academicSession.endDate",
      "courseResult.id", "courseResult.personId", "courseResult.courseId", "courseResult.sessionId",
      "courseResult.creditsEarned", "courseResult.letterGrade", "courseResult.numericGrade",
      "courseResult.gradePoints", "courseResult.completionDate", "courseResult.awardingOrgId",
      "achievementAward.id", "achievementAward.kind", "achievementAward.personId",
      "achievementAward.title", "achievementAward.description", "achievementAward.issuerOrgId",
      "achievementAward.awardDate", "achievementAward.hours", "achievementAward.level",
      "achievementAward.fieldOfStudy", "achievementAward.cipCode", "achievementAward.creditsEarned",
      "achievementAward.expirationDate", "achievementAward.identifiers",
      "achievementAward.definitionId", "achievementAward.extensions",
      "credentialDefinition.id", "credentialDefinition.definitionType", "credentialDefinition.name",
      "credentialDefinition.description", "credentialDefinition.ownerOrgId",
      "credentialDefinition.image", "credentialDefinition.criteria", "credentialDefinition.credits",
      "credentialDefinition.keywords", "credentialDefinition.alignments",
  };
  static std::once_flag once;
  std::call_once(once, [] {
    auto* writes = new Capabilities();
    for (const char* p : kPaths) writes->Add(p);
    auto* reads = new Capabilities(*writes);
    reads->Add("person.role");  // credential subjects are learners
    kCaps[0] = writes;
    kCaps[1] = reads;
  });
  return *kCaps[reading ? 1 : 0];
}

class OpenBadgesAdapter : public Adapter {
 public:
  explicit OpenBadgesAdapter(Format format) : format_(format) {}
  std::string_view name() const override { return format_ == Format::kOb3 ? "ob3" : "clr2"; }
  std::vector<std::string> media_types() const override {
    return {"application/vc+ld+json", "application/ld+json", "application/json"};
  }
  std::string_view description() const override {
    return format_ == Format::kOb3
               ? "Open Badges 3.0 AchievementCredentials (unsigned or signed JSON-LD): one per "
                 "course result or award; a .json file (or array), or a folder of them"
               : "CLR 2.0 ClrCredentials (unsigned or signed JSON-LD): one per person with its "
                 "AchievementCredentials; a .json file (or array), or a folder of them";
  }
  const Capabilities& reads() const override { return OpenBadgesCapabilities(true); }
  const Capabilities& writes() const override { return OpenBadgesCapabilities(false); }

  pathbridge::Result<std::unique_ptr<Decoder>> OpenDecoder(
      const Input& input, const DecodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(bool folder, IsFolder(input));
    std::vector<Input> inputs;
    if (folder) {
      for (const auto& e : fs::directory_iterator(input.path))
        if (e.is_regular_file() && e.path().extension() == ".json") inputs.push_back({e.path()});
      std::sort(inputs.begin(), inputs.end(), [](const Input& a, const Input& b) {
        return NaturalLess(a.path.filename().string(), b.path.filename().string());
      });
    } else {
      inputs.push_back(input);
    }
    return std::unique_ptr<Decoder>(
        std::make_unique<OpenBadgesDecoder>(format_, std::move(inputs), options));
  }

  pathbridge::Result<std::unique_ptr<Encoder>> OpenEncoder(
      const fs::path& output, const EncodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(EncoderSettings settings, ParseParams(output, options.params));
    PB_ASSIGN_OR_RETURN(auto out, OutputPath::Open(output, settings.array ? OutputPath::Kind::kFile
                                                                          : OutputPath::Kind::kFolder));
    return std::unique_ptr<Encoder>(std::make_unique<OpenBadgesEncoder>(
        format_, std::move(out), std::move(settings), options));
  }

 private:
  // "2.json" before "10.json", as the encoder numbers them.
  static bool NaturalLess(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  }

  Format format_;
};

}  // namespace
}  // namespace pathbridge::adapters::open_badges

namespace pathbridge::adapters {
std::unique_ptr<Adapter> MakeOb3Adapter() {
  return std::make_unique<open_badges::OpenBadgesAdapter>(open_badges::Format::kOb3);
}
std::unique_ptr<Adapter> MakeClr2Adapter() {
  return std::make_unique<open_badges::OpenBadgesAdapter>(open_badges::Format::kClr2);
}
}  // namespace pathbridge::adapters
