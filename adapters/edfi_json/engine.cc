// The Ed-Fi engine (engine.h): decoding and encoding of API-shaped elements,
// shared by the edfi-json and edfi-xml adapters.
//
// Decoding reads the files in dependency order (education organizations,
// sessions, courses, course offerings, sections, student education
// organization associations, students, the other associations, course
// transcripts, academic records) and streams each array element by element
// (json_array.h). Memory beyond one element:
//   - the catalog index: natural id -> record id for the education
//     organizations, sessions and courses whose id is not their natural id
//     (files pathbridge wrote), and every course offering (-> course and
//     session), because references carry natural keys only;
//   - nothing per section: a section whose id is not its natural id goes to
//     an external sort by natural id with the section associations that
//     refer to it, joined at the end of the input (NoteSection);
//   - nothing per student: a student's associations (contact and
//     demographic values) and its students element (names, birth data) go
//     to an external sort by student id, joined at the end of the input
//     (Ed-Fi splits a student over two resources; the model over person
//     and demographics differently), so students are read last.
// The index grows with the catalog (schools times courses), never with
// classes, students, enrollments, transcripts or file size.
//
// Encoding writes each resource to a temp file as records arrive; students
// and their associations are written on Finish(), when a student's
// demographics (which arrive after persons) and school are known: persons,
// demographics, schools and the ids records name as students go through an
// ExternalSorter (external_sort.h) and are joined by id, so memory does not
// grow with the student count. Sections and their student associations are
// written on Finish() too, joined by section id through a second sorter,
// their natural keys settled through a third (SettleClaims). The encoder
// keeps in memory the natural keys it chose per education organization,
// session, course and course offering, to write references (it grows with
// schools times courses, not with classes or students). Each element is
// decoded back as it is written; a carried value that would not come back
// the same goes into the element's pathbridge extension.
#include <array>
#include <deque>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include "adapters/compact_map.h"
#include "adapters/edfi_json/engine.h"
#include "adapters/edfi_json/record_json.h"
#include "adapters/edfi_json/resources.h"
#include "adapters/external_sort.h"
#include "adapters/prefetch.h"
#include "adapters/recent_ids.h"
#include "adapters/student_roles.h"
#include "standards/json.h"

namespace pathbridge::adapters::edfi_json {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;
using namespace canonical;

enum class Kind {
  kOrganization, kSession, kCourse, kOffering, kSection, kStudentEdOrg, kStudent,
  kSchoolAssociation, kSectionAssociation, kTranscript, kAcademicRecord, kComposite,
};

struct ResourceFile {
  std::string_view name;
  Kind kind;
  std::string_view identity;  // the member (pointer) that identifies an element
  const ResourceSpec<Organization>* org = nullptr;
};

// Reading order: what is referred to before what refers to it; the
// associations carrying a student's demographics before the students.
const std::vector<ResourceFile>& ResourceFiles() {
  static const std::vector<ResourceFile> kFiles{
      {"stateEducationAgencies", Kind::kOrganization, "stateEducationAgencyId",
       &StateEducationAgencies()},
      {"localEducationAgencies", Kind::kOrganization, "localEducationAgencyId",
       &LocalEducationAgencies()},
      {"postSecondaryInstitutions", Kind::kOrganization, "postSecondaryInstitutionId",
       &PostSecondaryInstitutions()},
      {"schools", Kind::kOrganization, "schoolId", &Schools()},
      {"organizationDepartments", Kind::kOrganization, "organizationDepartmentId",
       &OrganizationDepartments()},
      {"sessions", Kind::kSession, "sessionName"},
      {"courses", Kind::kCourse, "courseCode"},
      {"courseOfferings", Kind::kOffering, "localCourseCode"},
      {"sections", Kind::kSection, "sectionIdentifier"},
      {"studentEducationOrganizationAssociations", Kind::kStudentEdOrg,
       "studentReference/studentUniqueId"},
      {"students", Kind::kStudent, "studentUniqueId"},
      {"studentSchoolAssociations", Kind::kSchoolAssociation, "studentReference/studentUniqueId"},
      {"studentSectionAssociations", Kind::kSectionAssociation,
       "studentReference/studentUniqueId"},
      {"courseTranscripts", Kind::kTranscript, "studentAcademicRecordReference/studentUniqueId"},
      {"studentAcademicRecords", Kind::kAcademicRecord, "studentReference/studentUniqueId"},
  };
  return kFiles;
}

const ResourceFile kCompositeFile{"transcript composite", Kind::kComposite, "studentUniqueId"};

int Rank(std::string_view name) { return ResourceRank(name); }

const ResourceFile* FileForResource(std::string_view name) {
  for (const ResourceFile& f : ResourceFiles())
    if (f.name == name) return &f;
  return nullptr;
}

// Emits each distinct warning of a file once (whatever the element), then
// how often it repeated. Warnings made without a function are kept, in the
// order they first came, for another Warnings to Absorb (a second thread's,
// replayed after it ends so that the order does not depend on timing).
class Warnings {
 public:
  explicit Warnings(DiagnosticFn fn) : fn_(std::move(fn)) {}
  void Warn(std::string message, SourceLocation where) {
    std::string key = Key(where.file, message, WithoutIndex(where.pointer));
    Add(std::move(key), {Diagnostic::Severity::kWarning, std::move(message), std::move(where)}, 0);
  }
  // A warning about the file of `resource` (a spec's name: it outlives
  // this), with no pointer: `file()` names the file. Encoders repeat a few
  // such warnings once an element (a staff role, a missing required
  // member), so a repeat of one of the last few is counted without
  // building its file name and key (3 k instructions each).
  // (`message` is copied only when it is not such a repeat.)
  template <typename FileFn>
  void WarnAbout(std::string_view resource, std::string_view message, FileFn&& file) {
    for (Recent& r : recent_)
      if (r.repeats != nullptr && r.resource == resource && r.message == message) {
        ++*r.repeats;
        return;
      }
    SourceLocation where{file(), 0, 0, ""};
    std::string key = Key(where.file, message, "");
    Recent& slot = recent_[next_recent_++ % recent_.size()];
    slot = {resource, std::string(message), nullptr};
    Add(key, {Diagnostic::Severity::kWarning, std::string(message), std::move(where)}, 0);
    slot.repeats = &repeats_.at(key);  // map nodes stay put until cleared
  }
  // Takes `other`'s warnings and repeats, as if they came after this one's.
  void Absorb(Warnings& other) {
    for (auto& [key, d] : other.kept_) Add(key, std::move(d), other.repeats_[key]);
    other.kept_.clear();
    other.Clear();
  }
  void Summarize() {
    for (const auto& [key, n] : repeats_) {
      if (n == 0 || !fn_) continue;
      size_t a = key.find('\n'), b = key.find('\n', a + 1);
      fn_({Diagnostic::Severity::kInfo,
           std::to_string(n) + " more like \"" + key.substr(a + 1, b - a - 1) + "\"",
           {key.substr(0, a), 0, 0, key.substr(b + 1)}});
    }
    Clear();
  }

 private:
  // A warning seen `repeats` more times.
  void Add(std::string key, Diagnostic d, uint64_t repeats) {
    auto [it, first] = repeats_.try_emplace(key, repeats);
    if (!first) {
      it->second += 1 + repeats;
      return;
    }
    if (fn_) fn_(std::move(d));
    else kept_.emplace_back(std::move(key), std::move(d));
  }
  // "file\nmessage\npointer": what Summarize takes apart again.
  static std::string Key(std::string_view file, std::string_view message,
                         std::string_view pointer) {
    std::string key;
    key.reserve(file.size() + message.size() + pointer.size() + 2);
    key.append(file).append(1, '\n').append(message).append(1, '\n').append(pointer);
    return key;
  }
  static std::string WithoutIndex(std::string_view pointer) {
    size_t next = pointer.find('/', 1);
    return next == std::string_view::npos ? "" : std::string(pointer.substr(next));
  }
  void Clear() {
    repeats_.clear();
    recent_ = {};
  }
  DiagnosticFn fn_;
  std::map<std::string, uint64_t> repeats_;
  // WarnAbout's last few, with their count in repeats_.
  struct Recent {
    std::string_view resource;
    std::string message;
    uint64_t* repeats = nullptr;
  };
  std::array<Recent, 4> recent_;
  size_t next_recent_ = 0;
  std::vector<std::pair<std::string, Diagnostic>> kept_;  // without fn_
};

// Whether the member at `pointer` ("a" or "a/b") identifies: a non-empty
// string or a number.
bool HasIdentity(const bj::object& o, std::string_view pointer) {
  size_t slash = pointer.find('/');
  const bj::value* v = o.if_contains(pointer.substr(0, slash));
  if (v != nullptr && slash != std::string_view::npos)
    v = v->is_object() ? v->as_object().if_contains(pointer.substr(slash + 1)) : nullptr;
  return v != nullptr &&
         ((v->is_string() && !v->as_string().empty()) || v->is_int64() || v->is_uint64());
}

// A student as a person and demographics record pair, and back (for
// ApplyPathbridgeFields).
std::vector<Record> Parts(Student s) { return {std::move(s.person), std::move(s.demographics)}; }
Student FromParts(std::vector<Record> v) {
  return {std::get<Person>(std::move(v[0])), std::get<Demographics>(std::move(v[1]))};
}
// Fills what `into` lacks from `from`.
void MergeStudent(Student& into, const Student& from) {
  MergeMissing(into.person, from.person);
  MergeMissing(into.demographics, from.demographics);
}

// ---- Decoding

class EdFiDecoder : public Decoder, public DecodeContext {
 public:
  EdFiDecoder(std::unique_ptr<ElementReader> reader, DecodeOptions options)
      : reader_(std::move(reader)), options_(std::move(options)), warnings_(options_.on_diagnostic) {}

  pathbridge::Result<bool> Next(Record* out) override {
    while (queue_.empty()) {
      if (sections_.joining) {
        PB_ASSIGN_OR_RETURN(sections_.joining, JoinNextSection());
        if (!sections_.joining) PB_RETURN_IF_ERROR(StartJoin());
      } else if (joining_) {
        PB_ASSIGN_OR_RETURN(joining_, JoinNextStudent());
      } else if (reader_ != nullptr) {
        RawElement e;
        PB_ASSIGN_OR_RETURN(bool got, reader_->Next(&e));
        if (got) {
          PB_RETURN_IF_ERROR(Process(e));
        } else {
          // Interchange files need not come in resource order: section
          // associations and students are joined once everything is read.
          reader_.reset();
          warnings_.Summarize();
          PB_RETURN_IF_ERROR(StartSectionJoin());
          if (!sections_.joining) PB_RETURN_IF_ERROR(StartJoin());
        }
      } else {
        return false;
      }
    }
    *out = std::move(queue_.front());
    queue_.pop_front();
    return true;
  }

  std::string CatalogId(const std::string& natural_id) const override {
    const std::string_view* id = index_.Find(natural_id);
    return id == nullptr ? natural_id : std::string(*id);
  }
  const Offering* FindOffering(const std::string& natural_id) const override {
    return offerings_.Find(natural_id);
  }

 private:
  void Warn(std::string message, SourceLocation where) { warnings_.Warn(std::move(message), where); }

  Status Process(const RawElement& e) {
    const bj::object& o = e.object;
    const SourceLocation& loc = e.where;
    std::string at = loc.file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
    const ResourceFile* file = FileForResource(e.resource);
    if (file == nullptr) {
      if (!IsTranscriptComposite(o))
        return InvalidArgument("cannot tell which Ed-Fi resource this file holds; name it "
                               "<resource>.json (students.json, schools.json, ...)",
                               at + " " + loc.pointer);
      file = &kCompositeFile;
    }
    if (!HasIdentity(o, file->identity))
      return InvalidArgument("missing or empty: the " + std::string(file->name) +
                                 " element cannot be identified",
                             at + " " + loc.pointer + "/" + std::string(file->identity));
    In in(*this, loc.pointer, [this, loc](std::string message, std::string pointer) {
      SourceLocation where = loc;
      where.pointer = std::move(pointer);
      Warn(std::move(message), std::move(where));
    });
    if (file->kind == Kind::kStudentEdOrg || file->kind == Kind::kStudent) {
      Student s = file->kind == Kind::kStudent
                      ? DecodeElement(Students(), o, in)
                      : DecodeElement(StudentEducationOrganizationAssociations(), o, in);
      if (s.person.id.empty())
        return InvalidArgument("the element's key members do not identify a record",
                               at + " " + loc.pointer);
      Locate(s.person.source, loc);
      Locate(s.demographics.source, loc);
      return SpoolStudent(file->kind, s, o, in);
    }
    std::vector<Record> records = Decode(*file, o, in);
    for (Record& r : records) {
      if (Base(r).id.empty())
        return InvalidArgument("the element's key members do not identify a record",
                               at + " " + loc.pointer);
      Locate(Base(r).source, loc);
      if (file->kind == Kind::kSection) PB_RETURN_IF_ERROR(NoteSection(o, Base(r).id));
      if (file->kind == Kind::kSectionAssociation && sections_.renamed &&
          !HasPathbridgeField(o, "enrollment.sectionId")) {
        PB_RETURN_IF_ERROR(SpoolSectionAssociation(std::get<Enrollment>(r)));
        continue;
      }
      queue_.push_back(std::move(r));
    }
    return Status::Ok();
  }

  // Sections grow with classes, so their ids are not indexed in memory: a
  // section whose id is not its natural id (one pathbridge wrote) goes to
  // an external sort by natural id, and so does each section association
  // read after one such section whose section id comes from its reference
  // (not from its pathbridge extension). At the end of the input the
  // associations come out of the sort with their section's id
  // (JoinNextSection), in the order of their sections' natural ids.
  Status NoteSection(const bj::object& o, const std::string& id) {
    std::string natural = Sections().natural_id(o);
    if (natural == id) return Status::Ok();
    PB_ASSIGN_OR_RETURN(ExternalSorter * sorter, Sorter(sections_.sorter));
    sections_.renamed = true;
    return sorter->Add(natural, kSectionId, id);
  }
  Status SpoolSectionAssociation(const Enrollment& e) {
    PB_ASSIGN_OR_RETURN(ExternalSorter * sorter, Sorter(sections_.sorter));
    return sorter->AddRecord(e.section_id, kSectionAssociation, e);
  }
  static bool HasPathbridgeField(const bj::object& o, std::string_view path) {
    const bj::value* fields = PathbridgeFieldsOf(o);
    return fields != nullptr && fields->is_object() && fields->as_object().contains(path);
  }

  Status StartSectionJoin() {
    if (sections_.sorter == nullptr) return Status::Ok();
    PB_RETURN_IF_ERROR(sections_.sorter->Finish());
    PB_ASSIGN_OR_RETURN(sections_.has_entry, sections_.sorter->Next(&sections_.entry));
    sections_.joining = sections_.has_entry;
    return Status::Ok();
  }

  // Queues the associations of the next section natural id, with the id of
  // the section that has it (if one was read). False when none is left.
  pathbridge::Result<bool> JoinNextSection() {
    if (!sections_.has_entry) return false;
    const std::string natural = sections_.entry.key;
    std::string id;
    while (sections_.has_entry && sections_.entry.key == natural) {
      if (sections_.entry.tag == kSectionId) {
        if (id.empty()) id = sections_.entry.value;
      } else {
        Enrollment e;
        PB_RETURN_IF_ERROR(sections_.sorter->ReadRecord(sections_.entry.value, &e));
        if (!id.empty()) e.section_id = id;
        queue_.push_back(std::move(e));
      }
      PB_ASSIGN_OR_RETURN(sections_.has_entry, sections_.sorter->Next(&sections_.entry));
    }
    return true;
  }

  // `sorter`, made on first use in this decoder's scratch folder.
  pathbridge::Result<ExternalSorter*> Sorter(std::unique_ptr<ExternalSorter>& sorter) {
    if (scratch_ == nullptr) {
      PB_ASSIGN_OR_RETURN(scratch_, ScratchFolder::Make("pathbridge-edfi-"));
    }
    if (sorter == nullptr)
      sorter = std::make_unique<ExternalSorter>(scratch_->path(), options_.sort_memory_bytes);
    return sorter.get();
  }

  // A record's source: the element's location, with the record's own
  // pointer where it has one (an award inside an academic record).
  static void Locate(SourceLocation& source, const SourceLocation& element) {
    std::string pointer = source.pointer.empty() ? element.pointer : source.pointer;
    source = element;
    source.pointer = std::move(pointer);
  }

  // Applies the element's pathbridge extension to `records`.
  void ApplyFields(const bj::object& o, std::vector<Record>& records, const In& in) {
    WarnUnapplied(ApplyPathbridgeFields(o, records), in);
  }
  void WarnUnapplied(const std::vector<std::string>& paths, const In& in) {
    for (const std::string& path : paths) {
      std::string member = "_ext/pathbridge/fields";
      json::AppendPointerToken(member, path);
      in.Warn(member, "pathbridge extension field not applied");
    }
  }

  template <typename T>
  std::vector<Record> DecodeSpec(const ResourceSpec<T>& spec, const bj::object& o, const In& in,
                                 bool catalog) {
    std::vector<Record> records = ToRecords(DecodeElement(spec, o, in));
    ApplyFields(o, records, in);
    if (!catalog || records.empty()) return records;
    std::string natural = spec.natural_id(o);
    if (Base(records[0]).id != natural)
      *index_.Insert(natural, {}).first = index_ids_.Store(Base(records[0]).id);  // the last wins
    return records;
  }

  std::vector<Record> Decode(const ResourceFile& f, const bj::object& o, const In& in) {
    switch (f.kind) {
      case Kind::kOrganization: return DecodeSpec(*f.org, o, in, true);
      case Kind::kSession: return DecodeSpec(Sessions(), o, in, true);
      case Kind::kCourse: return DecodeSpec(Courses(), o, in, true);
      case Kind::kSection: return DecodeSpec(Sections(), o, in, false);  // NoteSection
      case Kind::kOffering:
        *offerings_.Insert(OfferingNaturalId(o), {}).first = DecodeOffering(o, in);
        return {};
      case Kind::kStudentEdOrg:
      case Kind::kStudent: return {};  // spooled (Process)
      case Kind::kSchoolAssociation: return DecodeSpec(StudentSchoolAssociations(), o, in, false);
      case Kind::kSectionAssociation:
        return DecodeSpec(StudentSectionAssociations(), o, in, false);
      case Kind::kTranscript: return DecodeSpec(CourseTranscripts(), o, in, false);
      case Kind::kAcademicRecord: {
        std::vector<Record> out;
        for (AchievementAward& a : DecodeAcademicRecord(o, in)) out.push_back(std::move(a));
        return out;
      }
      case Kind::kComposite: return Unseen(DecodeTranscriptComposite(o, in));
    }
    return {};
  }

  // A student's values come from two resources: its studentEducation-
  // OrganizationAssociations (read first) and its students element. Both go
  // to an external sort by student id, so that no index of students is kept
  // in memory, and are joined at the end of the input (JoinNextStudent):
  // the students come out last, in the order of their ids.
  // An association's own pathbridge fields apply to it now; a student's
  // apply after the join, as the encoder checked them (spooled as JSON).
  Status SpoolStudent(Kind kind, Student s, const bj::object& o, const In& in) {
    PB_ASSIGN_OR_RETURN(ExternalSorter * students, Sorter(students_));
    std::string fields;
    if (kind == Kind::kStudentEdOrg) {
      std::vector<Record> parts = Parts(std::move(s));
      ApplyFields(o, parts, in);
      s = FromParts(std::move(parts));
    } else if (const bj::value* f = PathbridgeFieldsOf(o)) {
      fields = bj::serialize(*f);
    }
    bool student = kind == Kind::kStudent;
    const std::string id = s.person.id;
    PB_RETURN_IF_ERROR(
        students->AddRecord(id, student ? kStudentPerson : kAssociationPerson, s.person));
    PB_RETURN_IF_ERROR(students->AddRecord(
        id, student ? kStudentDemographics : kAssociationDemographics, s.demographics));
    return student ? students->Add(id, kStudentFields, fields) : Status::Ok();
  }

  Status StartJoin() {
    if (students_ == nullptr || joined_) return Status::Ok();
    joined_ = true;
    PB_RETURN_IF_ERROR(students_->Finish());
    PB_ASSIGN_OR_RETURN(has_entry_, students_->Next(&entry_));
    joining_ = has_entry_;
    return Status::Ok();
  }

  // Queues the records of the next student id: each students element with
  // its associations' values where it has none (the first association's
  // first; only the first students element of an id takes them), or the
  // associations alone. False when none is left.
  pathbridge::Result<bool> JoinNextStudent() {
    if (!has_entry_) return false;
    const std::string id = entry_.key;
    std::optional<Student> association;
    bool association_used = false;
    Student part;
    while (has_entry_ && entry_.key == id) {
      switch (entry_.tag) {
        case kAssociationPerson:
        case kStudentPerson: {
          PB_RETURN_IF_ERROR(students_->ReadRecord(entry_.value, &part.person));
          break;
        }
        case kAssociationDemographics: {
          PB_RETURN_IF_ERROR(students_->ReadRecord(entry_.value, &part.demographics));
          if (!association) association = std::move(part);
          else MergeStudent(*association, part);  // another organization's: the first wins
          break;
        }
        case kStudentDemographics: {
          PB_RETURN_IF_ERROR(students_->ReadRecord(entry_.value, &part.demographics));
          break;
        }
        case kStudentFields: {
          if (association && !association_used) {
            MergeStudent(part, *association);
            association_used = true;
          }
          PB_RETURN_IF_ERROR(ApplyStudentFields(part, entry_.value));
          for (Record& r : ToRecords(std::move(part))) queue_.push_back(std::move(r));
          part = {};
          break;
        }
      }
      PB_ASSIGN_OR_RETURN(has_entry_, students_->Next(&entry_));
    }
    if (association && !association_used)
      for (Record& r : ToRecords(*std::move(association))) queue_.push_back(std::move(r));
    return true;
  }

  Status ApplyStudentFields(Student& s, const std::string& fields) {
    if (fields.empty()) return Status::Ok();
    auto parsed = json::Parse(fields);
    if (!parsed.ok()) return Internal("temp file unreadable", scratch_->path().string());
    const SourceLocation where = s.person.source;
    In in(*this, where.pointer, [this, where](std::string message, std::string pointer) {
      SourceLocation at = where;
      at.pointer = std::move(pointer);
      Warn(std::move(message), std::move(at));
    });
    std::vector<Record> parts = Parts(std::move(s));
    WarnUnapplied(ApplyPathbridgeFieldValues(*parsed, parts), in);
    s = FromParts(std::move(parts));
    return Status::Ok();
  }

  // Composites repeat their school and courses: each is read once.
  std::vector<Record> Unseen(std::vector<Record> records) {
    std::vector<Record> out;
    for (Record& r : records) {
      bool catalog = std::holds_alternative<Organization>(r) || std::holds_alternative<Course>(r);
      if (catalog && !seen_.insert(std::string(RecordType(r)) + ":" + Base(r).id).second) continue;
      out.push_back(std::move(r));
    }
    return out;
  }

  std::unique_ptr<ElementReader> reader_;
  DecodeOptions options_;
  Warnings warnings_;
  std::deque<Record> queue_;
  // The catalog (schools, sessions, courses, course offerings): record id
  // by natural id where the two differ, and offerings by natural id.
  CompactMap<std::string_view> index_;  // ids in index_ids_
  StringArena index_ids_;
  CompactMap<Offering> offerings_;
  // Students and their associations, by student id (SpoolStudent); tags in
  // the order JoinNextStudent needs them.
  static constexpr uint8_t kAssociationPerson = 0, kAssociationDemographics = 1,
                           kStudentPerson = 2, kStudentDemographics = 3, kStudentFields = 4;
  std::unique_ptr<ScratchFolder> scratch_;  // declared first: outlives the sorters
  std::unique_ptr<ExternalSorter> students_;
  // Section ids and the section associations waiting for them, by section
  // natural id (NoteSection); tags in the order JoinNextSection needs them.
  static constexpr uint8_t kSectionId = 0, kSectionAssociation = 1;
  struct {
    std::unique_ptr<ExternalSorter> sorter;
    bool renamed = false;  // a section whose id is not its natural id was read
    bool joining = false, has_entry = false;
    ExternalSorter::Entry entry;  // the next entry JoinNextSection reads
  } sections_;
  bool joined_ = false, joining_ = false, has_entry_ = false;
  ExternalSorter::Entry entry_;  // the next entry JoinNextStudent reads
  std::set<std::string> seen_;
};

// ---- Encoding

// Set on the thread that writes an encoder's students in Finish(): its
// warnings go to the encoder's student_warnings_.
thread_local bool on_student_thread = false;

// An FNV-1a hash of an id, for education organization ids of records whose
// id is not a number.
int64_t DerivedEdOrgId(std::string_view id) {
  if (!id.empty() && id.size() <= 9 && id[0] != '0' &&
      id.find_first_not_of("0123456789") == std::string_view::npos)
    return std::stoll(std::string(id));
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : id) h = (h ^ c) * 1099511628211ull;
  return 1000000000 + static_cast<int64_t>(h % 1000000000);  // a 10-digit id
}

class EdFiEncoder : public Encoder, public EncodeContext, public DecodeContext {
 public:
  EdFiEncoder(std::unique_ptr<OutputPath> out, EncodeOptions options, const WriterFactory& writers)
      : out_(std::move(out)), warnings_(options.on_diagnostic), writer_(writers(*out_)),
        students_(out_->work(), options.sort_memory_bytes, options.spill_on_thread, kNoSources),
        sections_(out_->work(), options.sort_memory_bytes, options.spill_on_thread, kNoSources),
        claims_(out_->work(), options.sort_memory_bytes / 4) {}

  Status Write(const Record& record) override {
    if (ended_) return Internal("a record written after the end of records", out_->temp().string());
    std::string_view student = roles_.NamedStudent(record);
    // A record that names a student mostly names its school too: the two
    // go as one kSchool entry (NoteSchool) where they can.
    unnoted_student_ = !student.empty() && !named_.Seen(student) ? student : std::string_view();
    PB_RETURN_IF_ERROR(std::visit([&](const auto& r) { return WriteRecord(r); }, record));
    if (unnoted_student_.empty()) return Status::Ok();
    return students_.Add(std::exchange(unnoted_student_, {}), kNamed, "");
  }

  // Sections (with their associations) and students (with theirs) share
  // only the writer and what no longer changes (the keys chosen, the
  // catalog written), so they are written at once: the students on a
  // second thread, with their own scratch space, write status and warnings
  // (see on_student_thread).
  Status EndOfRecords() override {
    if (ended_) return Status::Ok();
    ended_ = true;
    FlushAcademicRecord();
    PB_RETURN_IF_ERROR(SettleClaims());
    Status students = Status::Ok();
    std::thread student_thread([&] {
      on_student_thread = true;
      students = WriteStudents();
    });
    Status sections = WriteSections();
    student_thread.join();
    warnings_.Absorb(student_warnings_);
    PB_RETURN_IF_ERROR(sections);
    PB_RETURN_IF_ERROR(students);
    PB_RETURN_IF_ERROR(status_);
    PB_RETURN_IF_ERROR(student_status_);
    PB_RETURN_IF_ERROR(writer_->Finish());
    warnings_.Summarize();
    return Status::Ok();
  }

  Status Finish() override {
    PB_RETURN_IF_ERROR(EndOfRecords());
    return out_->Commit();
  }

  void Abort() override {
    writer_.reset();
    out_->Discard();
  }

  // EncodeContext: natural keys by id.
  int64_t EdOrgId(const std::string& id) override {
    if (id.empty()) return 0;
    auto it = orgs_.find(id);
    return it != orgs_.end() ? it->second.first : DerivedEdOrgId(id);
  }
  OrgKind OrgKindOf(const std::string& id) override {
    auto it = orgs_.find(id);
    return it == orgs_.end() ? OrgKind::kUnspecified : it->second.second;
  }
  SessionKey Session(const std::string& id) override {
    auto it = sessions_.find(id);
    return it != sessions_.end() ? it->second : SessionKey{0, "", id};
  }
  CourseKey Course(const std::string& id) override {
    auto it = courses_.find(id);
    return it != courses_.end() ? it->second : CourseKey{0, id};
  }
  // Asked while sections and their associations are written (on Finish,
  // section by section), of the section being written.
  const SectionKey& Section(const std::string& id) override {
    if (section_.found && id == section_.id) return section_.key;
    other_section_ = SectionKey{{}, "", id};
    return other_section_;
  }
  const std::string& SectionReadBackId(const std::string& id) override {
    if (section_.found && id == section_.id) return section_.read_back_id;
    other_read_back_id_ = NaturalId(AsReadBack(Section(id)));
    return other_read_back_id_;
  }
  // Made once the section is written: what a reader resolves it to (its
  // catalog entry) is settled then.
  const SectionReference* CurrentSectionReference(const std::string& id) override {
    if (!section_.found || id != section_.id) return nullptr;
    if (!section_.reference)
      section_.reference = MakeSectionReference(section_.key, section_.read_back_id, *this);
    return &*section_.reference;
  }
  // Asked while the students are written, of the one being written.
  int64_t StudentEdOrg(const std::string& person_id) override {
    return person_id == student_.id ? EdOrgId(student_.school) : 0;
  }

  // DecodeContext: what a decoder reading the output would resolve, given
  // the order it reads the files in.
  std::string CatalogId(const std::string& natural_id) const override {
    if (section_.found && natural_id == section_.natural_id) return section_.id;
    const Written* w = written_.Find(natural_id);
    if (w == nullptr || w->rank > rank_) return natural_id;
    return std::string(w->id);
  }
  const Offering* FindOffering(const std::string& natural_id) const override {
    return offerings_.Find(natural_id);
  }

 private:
  // The records spooled are written without their source locations: the
  // encoder's warnings name the output file, and a path and position are a
  // third of a spooled enrollment's bytes.
  static constexpr canonical::Source kNoSources = canonical::Source::kDropped;

  // The memory an element is built in (a bump allocator over it per
  // element; an element larger than this goes on to the heap): one
  // allocation instead of one per member, and nothing to free member by
  // member.
  static constexpr size_t kArenaBytes = 64 * 1024;
  // What writing an element uses, one for each thread of Finish(): the
  // sections' (and everything written before Finish) and the students'.
  struct Scratch {
    std::unique_ptr<unsigned char[]> arena = std::make_unique<unsigned char[]>(kArenaBytes);
    json::JsonWriter direct;       // elements written as text
    json::JsonWriter association;  // a student's association, while its student is written
    struct Mask {
      const void* key;
      std::string_view type;
      uint64_t compared;
    };
    std::vector<Mask> compared;  // see Compared()
    std::string message;         // a warning being made (CheckRequired)
  };

  // A warning about what goes into `resource` ("" for the output as a whole).
  void Warn(std::string_view message, std::string_view resource) {
    (on_student_thread ? student_warnings_ : warnings_)
        .WarnAbout(resource, message, [&] {
          std::string file = out_->target().string();
          if (!resource.empty()) file += "/" + writer_->FileOf(resource);
          return file;
        });
  }

  // Writes `o`; the thread's first error is kept and returned by Finish().
  void Emit(std::string_view resource, const bj::object& o) {
    Status& status = ThreadStatus();
    if (!status.ok()) return;
    status = writer_->Write(resource, o);
  }
  // What this thread of Finish() has: its first write error, its scratch.
  Status& ThreadStatus() { return on_student_thread ? student_status_ : status_; }
  Scratch& ThreadScratch() { return on_student_thread ? student_scratch_ : scratch_; }

  // Records a catalog record's natural id; false if another record has it.
  bool Claim(const std::string& natural_id, const std::string& id, std::string_view resource) {
    auto [w, fresh] = written_.Insert(natural_id, {});
    if (fresh) *w = {ids_.Store(id), Rank(resource)};
    return fresh || w->id == id;
  }

  // Rank(spec.name), remembered for the spec last asked about on this
  // thread: a search by name for every element otherwise.
  template <typename T>
  static int RankOf(const ResourceSpec<T>& spec) {
    thread_local const ResourceSpec<T>* last = nullptr;
    thread_local int rank = 0;
    if (last != &spec) {
      rank = Rank(spec.name);
      last = &spec;
    }
    return rank;
  }

  template <typename T, typename Element>
  void CheckRequired(const ResourceSpec<T>& spec, const Element& o) {
    for (std::string_view member : spec.required) {
      if (Has(o, member)) continue;
      // Built in a buffer kept: most are repeats of a recent one (an
      // element of each student).
      std::string& message = ThreadScratch().message;
      message.assign("Ed-Fi requires '").append(member).append("'; the source has no value for it");
      Warn(message, spec.name);
    }
  }
  static bool Has(const bj::object& o, std::string_view member) { return o.contains(member); }
  static bool Has(const DirectElement& o, std::string_view member) { return o.Has(member); }

  // Encodes `r`, decodes it back as a reader would, and keeps what would not
  // come back the same in the pathbridge extension. Where every property of
  // the element is written exactly (EncodeDirect), the element is written
  // as text and only the fields no property carries are compared: the same
  // bytes for a sixth of the work.
  template <typename T>
  void WriteChecked(const ResourceSpec<T>& spec, const T& r) {
    rank_ = RankOf(spec);
    if (writer_->TakesText() && WriteDirect(spec, r)) return;
    bj::monotonic_resource arena(ThreadScratch().arena.get(), kArenaBytes);
    bj::object o = EncodeElement(spec, r, *this, &arena);
    T back = DecodeElement(spec, o, In(*this, "", nullptr));
    bj::object fields(o.storage());
    AddDifferences(r, back, EdFiCapabilities(), fields);
    PutPathbridgeFields(o, std::move(fields));
    CheckRequired(spec, o);
    Emit(spec.name, o);
  }

  template <typename T>
  bool WriteDirect(const ResourceSpec<T>& spec, const T& r) {
    DirectElement e(ThreadScratch().direct, *this);
    std::optional<std::string> natural_id = EncodeDirect(spec, r, *this, e);
    if (!natural_id) return false;
    // What a decoder sets beyond the properties: the id and what the
    // resource implies.
    T back;
    back.id = std::move(*natural_id);
    spec.complete(back);
    auto carried = [&spec](std::string_view path) { return SpecCarries(spec, path); };
    uint64_t compared = Compared<T>(ThreadScratch(), &spec, carried);
    if (!AlsoCompared<T>(e, compared)) return false;
    DirectFields fields(e);
    ForEachDifference(r, back, compared, fields);
    fields.Finish();
    CheckRequired(spec, e);
    EmitText(spec.name, e);
    return true;
  }

  // Adds the field `e` names to compare too (DirectElement::AlsoCompare)
  // to the mask of its record type among Ts; false if it is none of theirs.
  template <typename... Ts, typename... Masks>
  static bool AlsoCompared(const DirectElement& e, Masks&... masks) {
    std::string_view path = e.also_compared();
    if (path.empty()) return true;
    uint64_t found = 0;
    ((found |= FieldBit<Ts>(path), masks |= FieldBit<Ts>(path)), ...);
    return found != 0;
  }

  void EmitText(std::string_view resource, DirectElement& e) {
    Status& status = ThreadStatus();
    if (status.ok()) status = writer_->WriteText(resource, e.Finish());
  }

  // The fields of T a direct element is compared on: those no property
  // of its resources carries (ComparedFields), worked out once per `key`
  // (the last resource written from the record) and T.
  // (`carried` is a callable, made a std::function only on a miss: this
  // runs for every direct element.)
  template <typename T, typename Carried>
  static uint64_t Compared(Scratch& scratch, const void* key, const Carried& carried) {
    for (const Scratch::Mask& m : scratch.compared)
      if (m.key == key && m.type == T::kType) return m.compared;
    scratch.compared.push_back({key, T::kType, ComparedFields<T>(EdFiCapabilities(), carried)});
    return scratch.compared.back().compared;
  }

  Status WriteRecord(const Organization& r) {
    const ResourceSpec<Organization>* spec = OrganizationResource(r.kind);
    if (spec == nullptr) {
      Warn("organization kind has no Ed-Fi resource; organization not written", "");
      return Status::Ok();
    }
    int64_t number = DerivedEdOrgId(r.id);
    while (!Claim(NaturalId(number), r.id, spec->name)) ++number;
    orgs_[r.id] = {number, r.kind};
    WriteChecked(*spec, r);
    return Status::Ok();
  }

  Status WriteRecord(const AcademicSession& r) {
    SessionKey key{EdOrgId(r.org_id), r.school_year, r.title.empty() ? r.id : r.title};
    if (!Claim(NaturalId(key), r.id, "sessions")) {
      key.name = r.id;
      if (!Claim(NaturalId(key), r.id, "sessions")) return Duplicate("sessions", r.id);
    }
    sessions_[r.id] = key;
    WriteChecked(Sessions(), r);
    return Status::Ok();
  }

  Status WriteRecord(const canonical::Course& r) {
    CourseKey key{EdOrgId(r.org_id), r.code.empty() ? r.id : r.code};
    if (!Claim(NaturalId(key), r.id, "courses")) {
      key.code = r.id;
      if (!Claim(NaturalId(key), r.id, "courses")) return Duplicate("courses", r.id);
    }
    courses_[r.id] = key;
    WriteChecked(Courses(), r);
    return Status::Ok();
  }

  // A section's natural key: its code, else its id, as the identifier.
  SectionKey PreferredKey(const canonical::Section& r) {
    SectionKey key;
    key.session = Session(r.session_ids.empty() ? "" : r.session_ids[0]);
    if (int64_t school = EdOrgId(r.org_id)) key.session.school_id = school;
    key.local_course_code =
        r.course_id.empty() ? r.id : courses_.count(r.course_id) ? Course(r.course_id).code : r.course_id;
    key.identifier = r.code.empty() ? r.id : r.code;
    return key;
  }

  // Sections grow with the students, and so do their associations: both
  // are joined on Finish through sections_ (sorted by section id), and the
  // natural keys they claim are settled through claims_ (sorted by natural
  // id), so no index of sections is kept in memory. Their course offerings
  // (as many as courses times sessions) are written now.
  Status WriteRecord(const canonical::Section& r) {
    SectionKey key = PreferredKey(r);
    std::string natural = NaturalId(key);
    PB_RETURN_IF_ERROR(claims_.Add(natural, kPreferred, r.id));
    std::string fallback = NaturalId(WithIdentifier(key, r.id));
    if (fallback != natural) PB_RETURN_IF_ERROR(claims_.Add(fallback, kFallback, r.id));
    std::string offering = OfferingNaturalId(key);
    if (offerings_.Find(offering) == nullptr) {
      bj::object o = EncodeOffering(key, r, *this);
      rank_ = Rank("courseOfferings");
      offerings_.Insert(offering, DecodeOffering(o, In(*this, "", nullptr)));
      Emit("courseOfferings", o);
    }
    return sections_.AddRecord(r.id, kSectionRecord, r);
  }

  static SectionKey WithIdentifier(SectionKey key, const std::string& identifier) {
    key.identifier = identifier;
    return key;
  }

  Status WriteRecord(const Person& r) {
    if (r.role != Role::kUnspecified && r.role != Role::kStudent) {
      Warn("only students are written (Ed-Fi staff and contacts are not translated); person "
           "not written",
           "students");
      return Status::Ok();
    }
    const std::string& school = OwnSchool(r);
    if (!school_noted_ && !school.empty()) {
      // No other record has named a school yet, so this person's own is the
      // first for its id: the record carries it, with no kSchool entry (a
      // OneRoster bundle's users.csv comes first: 1.6 M entries fewer at
      // 1 GB). schooled_ is told, as NoteSchool would have.
      schooled_.Seen(r.id);
      return students_.AddRecord(r.id, kPersonFirst, r);
    }
    PB_RETURN_IF_ERROR(NoteSchool(r.id, school));
    return students_.AddRecord(r.id, kPerson, r);
  }

  // The school a person record names: its primary org, else its first.
  static const std::string& OwnSchool(const Person& r) {
    static const std::string kNone;
    return !r.primary_org_id.empty() ? r.primary_org_id : !r.org_ids.empty() ? r.org_ids[0] : kNone;
  }

  Status WriteRecord(const Demographics& r) {
    return students_.AddRecord(r.id, kDemographics, r);
  }

  Status WriteRecord(const Enrollment& r) {
    if (r.role != Role::kStudent) {
      Warn("only student enrollments are written (Ed-Fi staff associations are not "
           "translated); enrollment not written",
           "studentSchoolAssociations");
      return Status::Ok();
    }
    PB_RETURN_IF_ERROR(NoteSchool(r.person_id, r.org_id));
    bool section = r.kind == EnrollmentKind::kSection ||
                   (r.kind == EnrollmentKind::kUnspecified && !r.section_id.empty());
    if (section) return sections_.AddRecord(r.section_id, kSectionEnrollment, r);
    WriteChecked(StudentSchoolAssociations(), r);
    return Status::Ok();
  }

  // The school a student's association is written under: the first one a
  // record about the student names (the sorter keeps the order added).
  // Its value is a mark, kNamedMark if the entry also names the person a
  // student (for the record being written, instead of a kNamed entry),
  // then the school's id.
  Status NoteSchool(const std::string& person_id, const std::string& org_id) {
    if (person_id.empty() || org_id.empty() || schooled_.Seen(person_id)) return Status::Ok();
    school_noted_ = true;
    school_entry_.assign(1, kNoMark);
    if (!unnoted_student_.empty() && unnoted_student_ == person_id) {
      school_entry_[0] = kNamedMark;
      unnoted_student_ = {};
    }
    school_entry_.append(org_id);
    return students_.Add(person_id, kSchool, school_entry_);
  }

  Status WriteRecord(const CourseResult& r) {
    PB_RETURN_IF_ERROR(NoteSchool(r.person_id, r.awarding_org_id));
    WriteChecked(CourseTranscripts(), r);
    return Status::Ok();
  }

  // Awards of one academic record arrive together; they are written as one
  // element.
  Status WriteRecord(const AchievementAward& a) {
    PB_RETURN_IF_ERROR(NoteSchool(a.person_id, a.issuer_org_id));
    std::string natural = AcademicRecordNaturalId(a, *this);
    if (natural != record_id_) {
      FlushAcademicRecord();
      record_id_ = natural;
      record_ = StartAcademicRecord(a, *this);
    }
    std::string collection = "/" + std::string(EncodeAward(a, record_, *this)) + "/";
    // Decode the record so far: the new award is the last of its collection.
    rank_ = Rank("studentAcademicRecords");
    std::vector<AchievementAward> back = DecodeAcademicRecord(record_, In(*this, "", nullptr));
    const AchievementAward* same = nullptr;
    for (const AchievementAward& b : back)
      if (b.source.pointer.find(collection) != std::string::npos) same = &b;
    bj::object fields;
    if (same != nullptr) AddDifferences(a, *same, EdFiCapabilities(), fields);
    bj::array& items = record_[collection.substr(1, collection.size() - 2)].as_array();
    PutPathbridgeFields(items.back().as_object(), std::move(fields));
    return Status::Ok();
  }

  // Types Ed-Fi resources do not carry (gradebook, ...): the capability list
  // leaves them out, so the loss report counts them.
  template <typename R>
  Status WriteRecord(const R&) {
    return Status::Ok();
  }

  void FlushAcademicRecord() {
    if (record_.empty()) return;
    for (std::string_view m : {"studentReference", "educationOrganizationReference",
                               "schoolYearTypeReference", "termDescriptor"})
      if (!record_.contains(m))
        Warn("Ed-Fi requires '" + std::string(m) + "'; the source has no value for it",
             "studentAcademicRecords");
    Emit("studentAcademicRecords", record_);
    record_.clear();
    record_id_.clear();
  }

  Status Duplicate(std::string_view resource, const std::string& id) {
    return InvalidArgument("two records have the same id; Ed-Fi keys cannot tell them apart",
                           std::string(resource) + " id " + id);
  }

  // Students and their associations, now that demographics and schools are
  // known: the sorter brings together, per person id, the records naming it
  // a student, its schools, its demographics and the person (tags in that
  // order), so the students come out in the order of their ids.
  Status WriteStudents() {
    PB_RETURN_IF_ERROR(students_.Finish());
    uint64_t not_students = 0;
    PB_RETURN_IF_ERROR(students_.ForEachGroup(
        [&](ExternalSorter::Entry& e) -> Status {
          if (e.key != student_.id) student_.id = e.key;
          if (e.tag == kNamed) {
            student_.named = true;
          } else if (e.tag == kSchool) {
            if (e.value.empty()) return Status::Ok();  // (NoteSchool writes a mark)
            student_.named = student_.named || e.value[0] == kNamedMark;
            if (student_.school.empty()) student_.school.assign(e.value, 1);
          } else if (e.tag == kDemographics) {
            std::swap(student_.demographics, e.value);
          } else {
            // The group's first person entry: a kPersonFirst, if it has one
            // (they sort first), whose school was named before any kSchool
            // entry's.
            const bool first_person = !student_.person;
            student_.person = true;
            if (!roles_.IsStudent(student_.named)) {  // a spooled person's role is student or none
              ++not_students;
              return Status::Ok();
            }
            Status read = students_.ReadRecord(e.value, &unspooled_.person);
            if (!read.ok()) return read;
            if (e.tag == kPersonFirst && first_person) student_.school = OwnSchool(unspooled_.person);
            return WriteStudent(unspooled_);
          }
          return Status::Ok();
        },
        [&](const std::string& id) {
          Status s = Status::Ok();
          if (!student_.person && !student_.demographics.empty()) {
            // Demographics of a student no person record came for.
            Student alone;
            alone.person.id = id;
            alone.person.role = Role::kStudent;
            s = WriteStudent(alone);
          }
          student_ = {};
          return s;
        }));
    if (not_students != 0)
      Warn(std::to_string(not_students) +
               " persons without a role that no student record names (the staff and guardians "
               "of a OneRoster 1.2 bundle, whose roles are in roles.csv) not written: Ed-Fi "
               "staff and contacts are not translated",
           "students");
    return Status::Ok();
  }


  // Which section keeps each natural key: the first to prefer it (in input
  // order). Another section preferring it falls back to its id as the
  // identifier; if that key is some other section's preference too, the
  // two cannot be told apart. Each finding goes into sections_ as a mark
  // under the section's id, ahead of its record.
  Status SettleClaims() {
    PB_RETURN_IF_ERROR(claims_.Finish());
    std::string owner;  // the section holding the group's natural key
    return claims_.ForEachGroup(
        [&](ExternalSorter::Entry& e) -> Status {
          if (e.tag == kPreferred) {
            if (owner.empty()) owner = e.value;
            else if (e.value != owner) return sections_.Add(e.value, kLoses, "");
          } else if (!owner.empty() && e.value != owner) {
            return sections_.Add(e.value, kFallbackTaken, "");
          }
          return Status::Ok();
        },
        [&](const std::string&) {
          owner.clear();
          return Status::Ok();
        });
  }

  // What WriteSections takes from sections_: a section, with the marks
  // SettleClaims left for it, or one of its enrollments.
  struct SectionItem {
    bool is_section = false;
    bool loses = false, fallback_taken = false;  // a section's marks
    canonical::Section section;
    Enrollment enrollment;
  };
  // Reads sections_ back as SectionItems (on WriteSections' prefetching
  // thread).
  class SectionReader {
   public:
    explicit SectionReader(ExternalSorter& sort) : sort_(sort) {}
    pathbridge::Result<bool> Fill(SectionItem& item) {
      while (true) {
        PB_ASSIGN_OR_RETURN(bool got, sort_.Next(&entry_));
        if (!got) return false;
        if (!open_ || entry_.key != key_) {
          key_ = entry_.key;
          open_ = true;
          loses_ = fallback_taken_ = false;
        }
        if (entry_.tag == kLoses) {
          loses_ = true;
        } else if (entry_.tag == kFallbackTaken) {
          fallback_taken_ = true;
        } else {
          item.is_section = entry_.tag == kSectionRecord;
          item.loses = loses_;
          item.fallback_taken = fallback_taken_;
          PB_RETURN_IF_ERROR(item.is_section ? sort_.ReadRecord(entry_.value, &item.section)
                                             : sort_.ReadRecord(entry_.value, &item.enrollment));
          return true;
        }
      }
    }

   private:
    ExternalSorter& sort_;
    ExternalSorter::Entry entry_;
    std::string key_;  // the section id of the group read
    bool open_ = false;
    bool loses_ = false, fallback_taken_ = false;
  };
  // Sections and their associations, section by section: the marks
  // SettleClaims left, the section, then its enrollments in input order.
  // The sort is read back (merged, its records' bytes read) on a thread of
  // its own, a quarter of this job's work: the longest job of the end,
  // beside the students' (docs/performance.md).
  Status WriteSections() {
    PB_RETURN_IF_ERROR(sections_.Finish());
    SectionReader reader(sections_);
    Prefetcher<SectionItem> items([&reader](SectionItem& item) { return reader.Fill(item); });
    while (true) {
      PB_ASSIGN_OR_RETURN(SectionItem * item, items.Next());
      if (item == nullptr) break;
      if (item->is_section) {
        PB_RETURN_IF_ERROR(WriteSection(*item));
      } else {
        // The sort's key is the section id: an enrollment of another
        // section than section_'s is of one without a record.
        if (item->enrollment.section_id != section_.id) section_ = {};
        WriteChecked(StudentSectionAssociations(), item->enrollment);
      }
      PB_RETURN_IF_ERROR(status_);
    }
    section_ = {};
    return Status::Ok();
  }

  Status WriteSection(const SectionItem& item) {
    const canonical::Section& section = item.section;
    if (item.loses && item.fallback_taken)
      return InvalidArgument(
          "two other sections have this section's Ed-Fi key (school, session, course "
          "code and section identifier), one with its code and one with its id as the "
          "identifier; Ed-Fi keys cannot tell them apart",
          "sections id " + section.id);
    SectionKey key = PreferredKey(section);
    if (item.loses) key.identifier = section.id;
    section_ = {true, section.id, NaturalId(key), NaturalId(AsReadBack(key)), std::move(key),
                std::nullopt};
    WriteChecked(Sections(), section);
    return Status::Ok();
  }

  // Writes `s`, of student_'s id, with student_'s demographics and school.
  // `s` holds its person; its demographics are replaced.
  Status WriteStudent(Student& s) {
    bool has_demographics = !student_.demographics.empty();
    if (has_demographics)
      PB_RETURN_IF_ERROR(students_.ReadRecord(student_.demographics, &s.demographics));
    else s.demographics = {};
    s.demographics.id = s.person.id;
    // (No rank_: students resolve no references, and rank_ is the
    // sections thread's.)
    bool association = StudentEdOrg(s.person.id) != 0;
    if (!writer_->TakesText() || !WriteStudentDirect(s, association, has_demographics))
      WriteStudentChecked(s, association, has_demographics);
    if (!association &&
        (has_demographics || !s.person.email.empty() || !s.person.identifiers.empty()))
      Warn("student without a known school: no studentEducationOrganizationAssociation; its "
           "values are kept in the pathbridge extension",
           "studentEducationOrganizationAssociations");
    // A second person with the same id gets neither.
    student_.demographics.clear();
    student_.school.clear();
    return Status::Ok();
  }

  // The student and its association (if any) as WriteChecked writes an
  // element: what a decoder would read back is the association's values
  // joined into the student's.
  void WriteStudentChecked(const Student& s, bool association, bool has_demographics) {
    bj::monotonic_resource arena(ThreadScratch().arena.get(), kArenaBytes);
    bj::object student = EncodeElement(Students(), s, *this, &arena);
    bj::object seoa(&arena);
    if (association)
      seoa = EncodeElement(StudentEducationOrganizationAssociations(), s, *this, &arena);
    In none(*this, "", nullptr);
    Student back = DecodeElement(Students(), student, none);
    if (association)
      MergeStudent(back, DecodeElement(StudentEducationOrganizationAssociations(), seoa, none));
    bj::object fields(&arena);
    AddDifferences(s.person, back.person, EdFiCapabilities(), fields);
    if (has_demographics)
      AddDifferences(s.demographics, back.demographics, EdFiCapabilities(), fields);
    PutPathbridgeFields(student, std::move(fields));
    CheckRequired(Students(), student);
    Emit("students", student);
    if (association) Emit("studentEducationOrganizationAssociations", seoa);
  }

  // The same as text, as WriteDirect writes an element; false if either
  // element must take the checked path.
  bool WriteStudentDirect(const Student& s, bool association, bool has_demographics) {
    const ResourceSpec<Student>& seoa_spec = StudentEducationOrganizationAssociations();
    Scratch& scratch = ThreadScratch();
    DirectElement student(scratch.direct, *this), seoa(scratch.association, *this);
    std::optional<std::string> id = EncodeDirect(Students(), s, *this, student);
    if (!id || (association && !EncodeDirect(seoa_spec, s, *this, seoa))) return false;
    Student back;
    back.person.id = back.demographics.id = *id;  // the association's natural id too
    Students().complete(back);
    auto carried = [&](std::string_view path) {
      return SpecCarries(Students(), path) || (association && SpecCarries(seoa_spec, path));
    };
    const void* key = association ? &seoa_spec : &Students();
    uint64_t person = Compared<Person>(scratch, key, carried);
    uint64_t demographics = Compared<Demographics>(scratch, key, carried);
    for (const DirectElement* e : {&student, &seoa})
      if (!AlsoCompared<Person, Demographics>(*e, person, demographics)) return false;
    DirectFields fields(student);
    ForEachDifference(s.person, back.person, person, fields);
    if (has_demographics)
      ForEachDifference(s.demographics, back.demographics, demographics, fields);
    fields.Finish();
    CheckRequired(Students(), student);
    EmitText("students", student);
    if (association) EmitText(seoa_spec.name, seoa);
    return true;
  }

  std::unique_ptr<OutputPath> out_;
  bool ended_ = false;  // EndOfRecords() was called
  Warnings warnings_;
  std::unique_ptr<ElementWriter> writer_;
  Status status_ = Status::Ok();
  // Natural keys chosen, by record id.
  std::unordered_map<std::string, std::pair<int64_t, OrgKind>> orgs_;
  std::unordered_map<std::string, SessionKey> sessions_;
  std::unordered_map<std::string, CourseKey> courses_;
  // Natural id -> (record id, rank of its resource file), as a decoder's index.
  struct Written {
    std::string_view id;  // in ids_
    int rank = 0;
  };
  CompactMap<Written> written_;
  StringArena ids_;
  CompactMap<Offering> offerings_;
  int rank_ = 0;  // the resource being checked, for CatalogId
  // What the sorter holds per person id, in the order WriteStudents needs;
  // a person added before any other record named a school (its own school
  // then comes first) is a kPersonFirst.
  static constexpr uint8_t kNamed = 0, kSchool = 1, kDemographics = 2, kPersonFirst = 3,
                           kPerson = 4;
  bool school_noted_ = false;  // a kSchool entry has been added
  static constexpr char kNoMark = '-', kNamedMark = 'N';  // a kSchool entry's first byte
  std::string school_entry_;         // NoteSchool's, reused
  std::string_view unnoted_student_;  // named by the record being written, no entry yet
  // Every person of the student role or none (a 1.2 bundle's staff and
  // guardians too, until Finish can tell), its demographics, schools and
  // the records naming it a student, joined by id on Finish.
  ExternalSorter students_;
  // Sections and their enrollments by section id, and the natural keys
  // sections claim (see SettleClaims); tags in the order WriteSections
  // needs them.
  static constexpr uint8_t kLoses = 0, kFallbackTaken = 1, kSectionRecord = 2,
                           kSectionEnrollment = 3;
  ExternalSorter sections_;
  static constexpr uint8_t kPreferred = 0, kFallback = 1;
  ExternalSorter claims_;
  // The section WriteSections is at.
  struct {
    bool found = false;
    std::string id, natural_id, read_back_id;
    SectionKey key;
    std::optional<SectionReference> reference;  // CurrentSectionReference's
  } section_;
  SectionKey other_section_;  // what Section() returns for another
  std::string other_read_back_id_;
  RecentIds named_, schooled_;  // kNamed and kSchool entries already added
  StudentRoles roles_;
  // The person WriteStudents is at.
  struct {
    std::string id;
    bool named = false;        // a record named it a student
    bool person = false;       // a person record came
    std::string school;        // the first school a record about it named
    std::string demographics;  // its last demographics record (record bytes)
  } student_;
  std::string record_id_;
  bj::object record_;
  // Records read back from the sorts, one of each type, reused.
  Student unspooled_;
  // The thread that writes students in Finish() has its own scratch space,
  // write status and warnings (taken into warnings_ when it ends); the
  // writer takes both threads' elements (engine.h).
  Scratch scratch_, student_scratch_;
  Status student_status_ = Status::Ok();
  Warnings student_warnings_{nullptr};
};

}  // namespace

const std::vector<std::string_view>& ResourceOrder() {
  static const auto* kOrder = new std::vector<std::string_view>([] {
    std::vector<std::string_view> out;
    for (const ResourceFile& f : ResourceFiles()) out.push_back(f.name);
    return out;
  }());
  return *kOrder;
}

int ResourceRank(std::string_view resource) {
  const auto& files = ResourceFiles();
  for (size_t i = 0; i < files.size(); ++i)
    if (files[i].name == resource) return static_cast<int>(i);
  return -1;
}

Status ElementWriter::WriteText(std::string_view resource, std::string_view) {
  return Internal("this writer takes no JSON text", std::string(resource));
}

std::unique_ptr<Decoder> NewDecoder(std::unique_ptr<ElementReader> reader, DecodeOptions options) {
  return std::make_unique<EdFiDecoder>(std::move(reader), std::move(options));
}

pathbridge::Result<std::unique_ptr<Encoder>> NewEncoder(const fs::path& output,
                                                        const EncodeOptions& options,
                                                        const WriterFactory& writers) {
  PB_ASSIGN_OR_RETURN(auto out, OutputPath::Open(output, OutputPath::Kind::kFolder));
  return std::unique_ptr<Encoder>(std::make_unique<EdFiEncoder>(std::move(out), options, writers));
}

}  // namespace pathbridge::adapters::edfi_json
