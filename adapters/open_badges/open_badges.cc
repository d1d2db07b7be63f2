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
// file (record bytes) until Finish() writes the documents (assembler.h).
#include <algorithm>
#include <fstream>
#include <mutex>

#include <boost/json/serialize.hpp>

#include "adapters/open_badges/assembler.h"
#include "adapters/open_badges/reader.h"
#include "adapters/open_badges/writer.h"
#include "adapters/output_path.h"
#include "adapters/registry.h"
#include "standards/canonical/record_bytes.h"
#include "standards/json.h"

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
  Settings writer = DefaultSettings();
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
  return s;
}

// Waiting records in a temp file, by offset, as record bytes
// (standards/canonical/record_bytes.h) after their length.
class FileSpool final : public RecordSpool {
 public:
  explicit FileSpool(fs::path path)
      : path_(std::move(path)),
        file_(path_, std::ios::binary | std::ios::in | std::ios::out | std::ios::trunc) {}

  pathbridge::Result<uint64_t> Put(const Record& record) override {
    bytes_.clear();
    canonical::AppendRecordBytes(record, &bytes_);
    uint64_t size = bytes_.size();
    file_.seekp(0, std::ios::end);
    uint64_t offset = static_cast<uint64_t>(file_.tellp());
    file_.write(reinterpret_cast<const char*>(&size), sizeof size);
    file_.write(bytes_.data(), static_cast<std::streamsize>(bytes_.size()));
    if (!file_) return IoError("cannot write a temp file", path_.string());
    return offset;
  }

  pathbridge::Result<Record> Get(uint64_t offset) override {
    file_.clear();
    file_.seekg(static_cast<std::streamoff>(offset));
    uint64_t size = 0;
    file_.read(reinterpret_cast<char*>(&size), sizeof size);
    if (file_ && size <= kMaxRecordBytes) {
      bytes_.resize(size);
      file_.read(bytes_.data(), static_cast<std::streamsize>(size));
    }
    if (!file_ || size > kMaxRecordBytes) return IoError("cannot read a temp file", path_.string());
    auto r = canonical::RecordFromBytes(bytes_);
    if (!r.ok()) return Internal("temp file unreadable", path_.string());
    return r;
  }

  void Close() { file_.close(); }

 private:
  static constexpr uint64_t kMaxRecordBytes = 1u << 30;  // a damaged length, not a record
  fs::path path_;
  std::fstream file_;
  std::string bytes_;  // reused
};

class OpenBadgesEncoder : public Encoder {
 public:
  OpenBadgesEncoder(Format format, std::unique_ptr<OutputPath> out, EncoderSettings settings,
                    const EncodeOptions& options)
      : out_(std::move(out)), output_(out_->target().string()),
        spool_(out_->work() / "records.bin"), array_(settings.array),
        warnings_(options.on_diagnostic),
        assembler_(format, std::move(settings.writer), warnings_, output_, spool_) {}

  Status Write(const Record& record) override { return assembler_.Add(record); }

  Status Finish() override {
    PB_RETURN_IF_ERROR(assembler_.Finish([this](const bj::object& doc) { return Emit(doc); }));
    PB_RETURN_IF_ERROR(CloseOutput());
    warnings_.Summarize(output_);
    return out_->Commit();
  }

  void Abort() override {
    spool_.Close();
    array_out_.close();
    out_->Discard();
  }

 private:
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

  std::unique_ptr<OutputPath> out_;
  std::string output_;  // the target, for diagnostics
  FileSpool spool_;
  bool array_;
  Warnings warnings_;
  Assembler assembler_;
  std::ofstream array_out_;
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
