// The pesc-college-xml and pesc-hs-xml adapters: PESC College Transcript
// (reads v1.0.0-v1.8.0, writes v1.8.0) and High School Transcript (reads
// v1.0.0-v1.6.0, writes v1.6.0) XML. One implementation, two registrations
// that differ in what they write; each reads both kinds of transcript (a
// high school transcript may carry dual-credit college courses, a batch
// may mix them).
//
// Input: one transcript document, or an AcademicRecordBatch (v1.x, v2.x)
// whose BatchContent holds many; namespaced (any prefix) or not (read as
// the current version); UTF-8, or UTF-16 with or without a byte order mark
// (utf8_input.h). An unknown version in the namespace is an error.
// Decoding streams: XmlScanner splits the batch at each transcript, which is
// parsed alone with pugixml (at most max_record_bytes), so memory holds one
// transcript and its records, plus the ids of the organizations, sessions
// and courses already emitted.
//
// Output: one file, a transcript document for one student or a batch
// (AcademicRecordBatch v2.0.0, BatchContent) for several. A transcript nests
// records of every type under its student, and records arrive in any order,
// so the encoder holds the records in memory until Finish() (at most
// kMaxEncodeRecords; a transcript is small, but this is not for millions of
// students: split such inputs), then writes a temp file renamed into place.
#include <unistd.h>

#include <fstream>
#include <regex>
#include <set>

#include "adapters/output_path.h"
#include "adapters/pesc_xml/transcript.h"
#include "adapters/pesc_xml/utf8_input.h"
#include "adapters/registry.h"
#include "adapters/sif_xml/object_io.h"

namespace pathbridge::adapters::pesc_xml {
namespace {

namespace fs = std::filesystem;
using namespace canonical;
using sif_xml::LocalName;
using sif_xml::ScannedElement;
using sif_xml::XmlScanner;

constexpr size_t kMaxEncodeRecords = 1'000'000;

// The newest minor version of each message this adapter reads (major 1;
// batches: majors 1 and 2).
Status CheckVersion(std::string_view local, std::string_view ns, const std::string& where) {
  static const std::regex kPesc(R"(urn:org:pesc:message:(\w+):v(\d+)\.(\d+)\.(\d+))");
  std::cmatch m;
  if (!std::regex_match(ns.begin(), ns.end(), m, kPesc) || m[1].str() != local)
    return InvalidArgument("namespace of <" + std::string(local) + "> is not a PESC " +
                               std::string(local) + " namespace (urn:org:pesc:message:" +
                               std::string(local) + ":vX.Y.Z)",
                           where);
  int major = std::stoi(m[2].str()), minor = std::stoi(m[3].str());
  bool known = local == "CollegeTranscript"      ? major == 1 && minor <= 8
               : local == "HighSchoolTranscript" ? major == 1 && minor <= 6
                                                 : major == 1 || major == 2;
  if (!known)
    return InvalidArgument("unsupported version v" + m[2].str() + "." + m[3].str() + "." + m[4].str() +
                               " of " + std::string(local) +
                               " (known: CollegeTranscript v1.0.0-v1.8.0, HighSchoolTranscript "
                               "v1.0.0-v1.6.0, AcademicRecordBatch v1.x-v2.x)",
                           where);
  return Status::Ok();
}

bool IsTranscript(std::string_view local) {
  return local == "CollegeTranscript" || local == "HighSchoolTranscript";
}

class PescDecoder : public Decoder {
 public:
  PescDecoder(Input input, DecodeOptions options)
      : input_(std::move(input)), options_(std::move(options)), reader_(options_.on_diagnostic) {}

  pathbridge::Result<bool> Next(Record* out) override {
    while (pending_.empty()) {
      Status s = Step();
      if (!s.ok()) {
        if (text_ && text_->invalid())
          return InvalidArgument("not valid " + std::string(text_->encoding()), s.where());
        return s;
      }
      if (done_ && pending_.empty()) {
        if (text_ && text_->invalid())  // a half code unit after the root
          return InvalidArgument("not valid " + std::string(text_->encoding()) + ": odd number of bytes",
                                 scanner_->Here());
        return false;
      }
    }
    *out = std::move(pending_.front());
    pending_.pop_front();
    return true;
  }

 private:
  std::string display() const { return input_.path.string(); }

  // Reads the next transcript's records into pending_ (or finishes).
  Status Step() {
    if (!scanner_) return Open();
    if (single_) {
      single_ = false;
      done_ = true;
      PB_RETURN_IF_ERROR(scanner_->ReadWholeRoot(&root_));
      return Decode(root_, "", 0);
    }
    ScannedElement e;
    PB_ASSIGN_OR_RETURN(bool got, scanner_->NextChildStart(&e));
    if (!got) {
      if (scanner_->depth() == 0) done_ = true;
      return Status::Ok();
    }
    std::string local(LocalName(e.name));
    if (scanner_->depth() == 1 && local == "BatchContent" && !e.empty) {
      scanner_->Enter(e);
      return Status::Ok();
    }
    bool transcript = scanner_->depth() == 2 && IsTranscript(local);
    if (transcript) PB_RETURN_IF_ERROR(CheckNamespace(e));
    PB_RETURN_IF_ERROR(scanner_->ReadRest(&e));
    if (transcript) {
      return Decode(e, "/" + std::string(LocalName(root_.name)) + "/BatchContent", ++index_[local]);
    }
    if (local != "BatchEnvelope") Note("element <" + local + "> of a batch is not a transcript; skipped", e);
    return Status::Ok();
  }

  Status Open() {
    PB_ASSIGN_OR_RETURN(std::istream* in, OpenInput(input_, file_));
    text_ = std::make_unique<Utf8Input>(in->rdbuf());
    utf8_ = std::make_unique<std::istream>(text_.get());
    scanner_ = std::make_unique<XmlScanner>(*utf8_, display(), options_.max_record_bytes);
    if (text_->utf16()) scanner_->AcceptEncoding("utf-16");
    PB_RETURN_IF_ERROR(scanner_->ReadRoot(&root_));
    std::string local(LocalName(root_.name));
    pugi::xml_document root_tag;
    PB_ASSIGN_OR_RETURN(pugi::xml_node tag, StartTag(root_, &root_tag));
    for (pugi::xml_attribute a : tag.attributes())
      if (std::string_view(a.name()).starts_with("xmlns")) namespaces_[a.name()] = a.value();
    PB_RETURN_IF_ERROR(CheckNamespace(root_));
    if (IsTranscript(local)) {
      single_ = true;
      return Status::Ok();
    }
    if (local != "AcademicRecordBatch")
      return InvalidArgument("root element <" + local + "> is not a PESC CollegeTranscript, "
                             "HighSchoolTranscript or AcademicRecordBatch",
                             Where(root_));
    if (root_.empty) done_ = true;
    return Status::Ok();
  }

  std::string Where(const ScannedElement& e) const { return scanner_->Where(e.line, e.column); }

  // `e`'s start tag (all it holds before ReadRest), closed and parsed, for
  // its attributes.
  pathbridge::Result<pugi::xml_node> StartTag(const ScannedElement& e, pugi::xml_document* doc) {
    std::string text = e.empty ? e.text : e.text + "</" + e.name + ">";
    pugi::xml_parse_result parsed =
        doc->load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) return InvalidArgument("not well-formed XML: " + std::string(parsed.description()), Where(e));
    return doc->first_child();
  }

  // The element's namespace must be a PESC one of a known version (or none).
  Status CheckNamespace(const ScannedElement& e) {
    pugi::xml_document doc;
    PB_ASSIGN_OR_RETURN(pugi::xml_node tag, StartTag(e, &doc));
    std::string_view name = tag.name();
    size_t colon = name.find(':');
    std::string attr = colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
    std::string ns = tag.attribute(attr.c_str()).value();
    if (ns.empty() && namespaces_.count(attr)) ns = namespaces_[attr];
    if (ns.empty()) {
      if (colon != std::string_view::npos)
        return InvalidArgument("namespace prefix of <" + std::string(name) + "> is not declared", Where(e));
      if (!unversioned_noted_) {
        unversioned_noted_ = true;
        Note("<" + std::string(name) + "> has no namespace; read as the current PESC version", e);
      }
      return Status::Ok();
    }
    return CheckVersion(LocalName(name), ns, Where(e));
  }

  Status Decode(const ScannedElement& e, const std::string& parent_xpath, size_t index) {
    pugi::xml_document doc;
    pugi::xml_parse_result parsed =
        doc.load_buffer(e.text.data(), e.text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
      auto [line, column] = XmlScanner::PositionIn(e, static_cast<size_t>(parsed.offset));
      return InvalidArgument("not well-formed XML: " + std::string(parsed.description()),
                             scanner_->Where(line, column));
    }
    Origin origin{display(), &e, parent_xpath, index, namespaces_};
    return reader_.Read(doc.first_child(), origin, &pending_);
  }

  void Note(std::string msg, const ScannedElement& e) {
    if (options_.on_diagnostic)
      options_.on_diagnostic({Diagnostic::Severity::kInfo, std::move(msg), {display(), e.line, e.column, ""}});
  }

  Input input_;
  DecodeOptions options_;
  TranscriptReader reader_;
  std::ifstream file_;
  std::unique_ptr<Utf8Input> text_;
  std::unique_ptr<std::istream> utf8_;
  std::unique_ptr<XmlScanner> scanner_;
  ScannedElement root_;
  std::map<std::string, std::string> namespaces_;
  std::map<std::string, size_t> index_;  // transcripts of a batch so far, by name
  bool single_ = false, done_ = false, unversioned_noted_ = false;
  std::deque<Record> pending_;
};

class PescEncoder : public Encoder {
 public:
  PescEncoder(TranscriptKind kind, std::unique_ptr<OutputPath> out, EncodeOptions options)
      : kind_(kind), out_(std::move(out)), options_(std::move(options)) {}

  Status Write(const Record& record) override {
    if (!sif_xml::XmlSafe(record))
      return InvalidArgument("a value contains a control character XML cannot carry",
                             Base(record).source.ToString());
    if (++count_ > kMaxEncodeRecords)
      return Status(Code::kResourceExhausted,
                    "more than " + std::to_string(kMaxEncodeRecords) +
                        " records for one PESC output; split the input",
                    Base(record).source.ToString());
    std::visit([&](const auto& r) { Keep(r); }, record);
    return Status::Ok();
  }

  Status Finish() override {
    for (const auto& [id, s] : students_)
      if (s.person.id.empty()) return Unknown(id);
    if (order_.empty())
      return InvalidArgument("no student records: a PESC transcript needs a Student",
                             out_->target().string());
    pugi::xml_document doc;
    pugi::xml_node parent = doc;
    if (order_.size() > 1) {
      pugi::xml_node batch = doc.append_child("AcRecBat:AcademicRecordBatch");
      batch.append_attribute("xmlns:AcRecBat") = std::string(kBatchNamespace).c_str();
      pugi::xml_node envelope = batch.append_child("BatchEnvelope");
      envelope.append_child("BatchID").text() = ("pathbridge-" + std::to_string(getpid())).c_str();
      parent = batch.append_child("BatchContent");
    }
    PlaceEmptySessions();
    auto note = [&](std::string msg) { Skip(std::move(msg)); };
    for (const std::string& id : order_) WriteTranscript(kind_, students_.at(id), catalog_, parent, note);
    if (!doc.save_file(out_->temp().c_str(), "  ", pugi::format_indent, pugi::encoding_utf8))
      return IoError("cannot write", out_->temp().string());
    PB_RETURN_IF_ERROR(out_->Commit());
    for (const auto& [msg, n] : skipped_)
      if (n > 1 && options_.on_diagnostic)
        options_.on_diagnostic({Diagnostic::Severity::kInfo, std::to_string(n - 1) + " more like \"" + msg + "\"", {}});
    return Status::Ok();
  }

  void Abort() override { out_->Discard(); }

 private:
  StudentRecords& Student(const std::string& id) { return students_[id]; }
  // A course result, summary or award whose student never came.
  Status Unknown(const std::string& id) const {
    (void)id;  // an id may be a student number: not in the message
    return InvalidArgument("records refer to a student with no person record; a transcript needs one",
                           out_->target().string());
  }

  // Gives each session no result or summary refers to to the first student
  // of its organization (or the first student).
  void PlaceEmptySessions() {
    std::set<std::string> used;
    for (const auto& [id, s] : students_) {
      for (const auto& r : s.results) used.insert(r.session_id);
      for (const auto& m : s.summaries) used.insert(m.session_id);
    }
    for (const auto& [id, session] : catalog_.sessions) {
      if (used.count(id)) continue;
      auto owner = std::find_if(order_.begin(), order_.end(), [&](const std::string& p) {
        const Person& person = students_.at(p).person;
        return std::find(person.org_ids.begin(), person.org_ids.end(), session.org_id) != person.org_ids.end() ||
               person.primary_org_id == session.org_id;
      });
      students_.at(owner == order_.end() ? order_[0] : *owner).empty_sessions.push_back(id);
    }
  }

  void Keep(const Organization& r) { catalog_.orgs[r.id] = r; }
  void Keep(const AcademicSession& r) { catalog_.sessions[r.id] = r; }
  void Keep(const Course& r) { catalog_.courses[r.id] = r; }
  void Keep(const Person& r) {
    if (r.role != Role::kStudent && r.role != Role::kUnspecified)
      return Skip("only students are written (a transcript's Student); other persons are not");
    StudentRecords& s = Student(r.id);
    if (s.person.id.empty()) order_.push_back(r.id);
    s.person = r;
  }
  void Keep(const Demographics& r) { Student(r.id).demographics = r; }
  void Keep(const CourseResult& r) { Student(r.person_id).results.push_back(r); }
  void Keep(const AcademicSummary& r) { Student(r.person_id).summaries.push_back(r); }
  void Keep(const AchievementAward& r) {
    if (r.kind == AwardKind::kLicense || r.kind == AwardKind::kBadge ||
        r.kind == AwardKind::kIndustryCertification || r.kind == AwardKind::kWorkBasedLearning)
      return Skip("achievement awards that are not academic (licenses, badges, industry "
                  "certifications, work-based learning) are not written");
    Student(r.person_id).awards.push_back(r);
  }
  template <typename T>
  void Keep(const T&) {}  // not carried

  // Says once per kind of thing it cannot write; Finish() adds the count.
  void Skip(std::string why) {
    if (skipped_[why]++ == 0 && options_.on_diagnostic)
      options_.on_diagnostic({Diagnostic::Severity::kWarning, why, {}});
  }

  TranscriptKind kind_;
  std::unique_ptr<OutputPath> out_;
  EncodeOptions options_;
  size_t count_ = 0;
  Catalog catalog_;
  std::map<std::string, StudentRecords> students_;
  std::vector<std::string> order_;  // student ids, in order of arrival
  std::map<std::string, uint64_t> skipped_;
};

// The field paths both adapters read and write.
const Capabilities& PescCapabilities() {
  static const Capabilities kCaps = [] {
    Capabilities c;
    for (std::string_view path : {
             "organization.id", "organization.name", "organization.kind", "organization.identifiers",
             "organization.url", "organization.email", "person.id", "person.role",
             "person.identifiers", "person.givenName", "person.middleName", "person.familyName",
             "person.email", "person.orgIds", "person.primaryOrgId", "person.extensions",
             "demographics.id", "demographics.birthDate", "demographics.sex",
             "demographics.cityOfBirth", "demographics.stateOfBirthAbbreviation",
             "demographics.countryOfBirthCode", "academicSession.id", "academicSession.title",
             "academicSession.type", "academicSession.startDate", "academicSession.endDate",
             "academicSession.schoolYear", "academicSession.orgId", "academicSession.extensions",
             "course.id", "course.title", "course.code", "course.subjectCodes", "course.cipCode",
             "course.scedCode", "course.credits", "course.creditUnit", "course.courseLevel",
             "course.gradeLevels", "course.orgId", "courseResult.id", "courseResult.personId",
             "courseResult.courseId", "courseResult.sessionId", "courseResult.creditsAttempted",
             "courseResult.creditsEarned", "courseResult.creditType", "courseResult.letterGrade",
             "courseResult.numericGrade", "courseResult.dualCredit",
             "courseResult.dualCreditInstitutionId", "courseResult.awardingOrgId",
             "courseResult.creditUnit", "courseResult.gradePoints", "courseResult.completionDate",
             "courseResult.courseRepeatCode", "courseResult.extensions", "academicSummary.id",
             "academicSummary.personId", "academicSummary.orgId", "academicSummary.sessionId",
             "academicSummary.level", "academicSummary.gpa", "academicSummary.gpaMin",
             "academicSummary.gpaMax", "academicSummary.creditsAttempted",
             "academicSummary.creditsEarned", "academicSummary.gradePoints",
             "academicSummary.creditUnit", "academicSummary.classRank", "academicSummary.classSize",
             "academicSummary.extensions", "achievementAward.id", "achievementAward.kind",
             "achievementAward.personId", "achievementAward.title", "achievementAward.issuerOrgId",
             "achievementAward.awardDate", "achievementAward.level",
             "achievementAward.fieldOfStudy", "achievementAward.cipCode",
             "achievementAward.extensions"})
      c.Add(path);
    return c;
  }();
  return kCaps;
}

class PescXmlAdapter : public Adapter {
 public:
  explicit PescXmlAdapter(TranscriptKind kind) : kind_(kind) {}

  std::string_view name() const override {
    return kind_ == TranscriptKind::kCollege ? "pesc-college-xml" : "pesc-hs-xml";
  }
  std::vector<std::string> media_types() const override { return {"application/xml"}; }
  std::string_view description() const override {
    return kind_ == TranscriptKind::kCollege
               ? "PESC College Transcript XML (reads v1.0-v1.8 and batches, writes v1.8.0)"
               : "PESC High School Transcript XML (reads v1.0-v1.6 and batches, writes v1.6.0)";
  }
  const Capabilities& reads() const override { return PescCapabilities(); }
  const Capabilities& writes() const override { return PescCapabilities(); }

  pathbridge::Result<std::unique_ptr<Decoder>> OpenDecoder(
      const Input& input, const DecodeOptions& options) const override {
    std::error_code ec;
    if (input.stream == nullptr && !fs::is_regular_file(input.path, ec))
      return NotFound("no such file", input.path.string());
    return std::unique_ptr<Decoder>(std::make_unique<PescDecoder>(input, options));
  }

  pathbridge::Result<std::unique_ptr<Encoder>> OpenEncoder(
      const fs::path& output, const EncodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(auto out, OutputPath::Open(output, OutputPath::Kind::kOverwritableFile));
    return std::unique_ptr<Encoder>(std::make_unique<PescEncoder>(kind_, std::move(out), options));
  }

 private:
  TranscriptKind kind_;
};

}  // namespace
}  // namespace pathbridge::adapters::pesc_xml

namespace pathbridge::adapters {
std::unique_ptr<Adapter> MakePescCollegeXmlAdapter() {
  return std::make_unique<pesc_xml::PescXmlAdapter>(pesc_xml::TranscriptKind::kCollege);
}
std::unique_ptr<Adapter> MakePescHsXmlAdapter() {
  return std::make_unique<pesc_xml::PescXmlAdapter>(pesc_xml::TranscriptKind::kHighSchool);
}
}  // namespace pathbridge::adapters
