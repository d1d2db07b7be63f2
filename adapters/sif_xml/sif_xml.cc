// The sif-xml adapter: SIF NA 4.x (and 3.x) data-model XML in and out.
//
// Input: a document whose root is one object (<StudentPersonal RefId=..>)
// or a collection of one object type (<StudentPersonals>), namespaced
// (http://www.sifassociation.org/datamodel/na/4.x or .../3.x, with or
// without a prefix) or not; or a folder of such documents, read in
// dependency order (LEAInfos, SchoolInfos, TermInfos, ... then the rest by
// name). Decoding streams: XmlScanner splits the document at the root's
// child elements and each object is parsed alone with pugixml, so memory
// holds one object (at most max_record_bytes) and the records made from it.
//
// Output: a folder with one collection document per object type
// (LEAInfos.xml, StudentPersonals.xml, ...), each in the 4.x namespace. The
// encoder prints each object as text (ObjectPrinter, object_printer.h) and
// writes each collection to a temp file as records arrive. The one
// exception is StudentPersonal: SIF keeps demographics inside it while the
// model (and OneRoster) keeps them apart, and whether a person of no role
// is a student is known only at the end. Persons (as record bytes),
// demographics (as their printed element) and the ids records name as
// students go through an ExternalSorter (external_sort.h), and Finish()
// joins them by id and prints the students into StudentPersonals.xml (in id
// order): memory does not grow with the number of students, and staff and
// guardians are never printed.
#include <deque>
#include <fstream>
#include <map>
#include <set>

#include "adapters/external_sort.h"
#include "adapters/recent_ids.h"
#include "adapters/student_roles.h"
#include "adapters/output_file.h"
#include "adapters/output_path.h"
#include "adapters/registry.h"
#include "adapters/sif_xml/object_io.h"
#include "adapters/sif_xml/object_printer.h"

namespace pathbridge::adapters::sif_xml {
namespace {

namespace fs = std::filesystem;
using namespace canonical;

constexpr std::string_view kNamespace = "http://www.sifassociation.org/datamodel/na/4.x";
constexpr std::string_view kNamespacePrefix = "http://www.sifassociation.org/datamodel/na/";

// What one object of a document turns into.
struct Object {
  pugi::xml_node node;
  std::string ref_id;
  SourceLocation where;  // the object's start and XPath
  std::function<void(std::string msg, ptrdiff_t offset, const std::string& rel)> warn;
  std::deque<Record>* out;
};

template <typename T>
void DecodeWith(const ObjectSpec<T>& spec, const Object& o) {
  T r;
  r.source = o.where;
  ReadObject(spec, o.node, &r, o.warn);
  o.out->push_back(std::move(r));
}

void DecodeStudent(const Object& o) {
  DecodeWith(StudentPersonalSpec(), o);
  Demographics d;
  d.source = o.where;
  ReadObject(StudentDemographicsSpec(), o.node, &d, o.warn);
  if (PresentFieldPaths(Record(d)).size() > 1) o.out->push_back(std::move(d));  // more than id
}

// The child elements of `node` with local name `name`.
std::vector<pugi::xml_node> Children(pugi::xml_node node, std::string_view name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c : node.children())
    if (c.type() == pugi::node_element && LocalName(c.name()) == name) out.push_back(c);
  return out;
}

// The courses of a transcript, as course results "RefId:course<n>".
void DecodeAcademicRecord(const Object& o) {
  size_t n = 0;
  for (pugi::xml_node history : Children(o.node, "CourseHistory"))
    for (pugi::xml_node term : Children(history, "Term"))
      for (pugi::xml_node courses : Children(term, "Courses"))
        for (pugi::xml_node course : Children(courses, "Course")) {
      CourseResult r;
      r.id = o.ref_id + ":course" + std::to_string(++n);
      r.source = o.where;
      r.source.pointer += "/CourseHistory/Term/Courses/Course[" + std::to_string(n) + "]";
      ReadObject(AcademicRecordCourseSpec(), course, &r, o.warn);
      o.out->push_back(std::move(r));
    }
}

struct ObjectKind {
  std::string_view object, collection;
  std::function<void(const Object&)> decode;
  std::set<std::string, std::less<>> mapped;  // child elements the tables read
  std::string_view note;  // said once per input when the object is only partly translated
};

template <typename T>
void AddMapped(const ObjectSpec<T>& spec, std::set<std::string, std::less<>>* mapped) {
  for (const auto& f : spec.fields)
    if (!FirstElement(f.path).empty()) mapped->insert(std::string(FirstElement(f.path)));
}

template <typename T>
ObjectKind Kind(const ObjectSpec<T>& spec) {
  ObjectKind k{spec.object, spec.collection, [&spec](const Object& o) { DecodeWith(spec, o); },
               {}, {}};
  AddMapped(spec, &k.mapped);
  return k;
}

// In dependency order: a folder's files are read in this order.
const std::vector<ObjectKind>& Kinds() {
  static const std::vector<ObjectKind> kKinds = [] {
    ObjectKind student{"StudentPersonal", "StudentPersonals", DecodeStudent, {}, {}};
    AddMapped(StudentPersonalSpec(), &student.mapped);
    AddMapped(StudentDemographicsSpec(), &student.mapped);
    ObjectKind record{"StudentAcademicRecord", "StudentAcademicRecords", DecodeAcademicRecord,
                      {"CourseHistory"},
                      "only CourseHistory courses are translated (as course results)"};
    ObjectKind exchange{"StudentRecordExchange", "StudentRecordExchanges", [](const Object&) {},
                        {"Records"},
                        "holds references to other records only; nothing to translate"};
    return std::vector<ObjectKind>{
        Kind(LeaInfoSpec()), Kind(SchoolInfoSpec()), Kind(TermInfoSpec()),
        Kind(SchoolCourseInfoSpec()), Kind(SectionInfoSpec()), student,
        Kind(StudentSchoolEnrollmentSpec()), Kind(StudentSectionEnrollmentSpec()),
        Kind(StudentSectionMarksSpec()), record, exchange};
  }();
  return kKinds;
}

class SifDecoder : public Decoder {
 public:
  SifDecoder(std::vector<Input> sources, DecodeOptions options)
      : sources_(std::move(sources)), options_(std::move(options)) {}

  pathbridge::Result<bool> Next(Record* out) override {
    while (pending_.empty()) {
      if (scanner_ == nullptr) {
        if (next_ == sources_.size()) return false;
        PB_RETURN_IF_ERROR(Open(sources_[next_++]));
        continue;
      }
      ScannedElement e;
      std::string xpath;
      if (single_) {
        PB_RETURN_IF_ERROR(scanner_->ReadWholeRoot(&root_));
        e = std::move(root_);
        xpath = "/" + std::string(LocalName(e.name));
        single_ = false;
        done_ = true;
      } else if (done_) {
        Close();
        continue;
      } else {
        PB_ASSIGN_OR_RETURN(bool got, scanner_->NextChild(&e));
        if (!got) {
          Close();
          continue;
        }
        std::string local(LocalName(e.name));
        xpath = "/" + std::string(LocalName(root_name_)) + "/" + local + "[" +
                std::to_string(++index_[local]) + "]";
        if (local != kind_->object) {
          Note(Diagnostic::Severity::kWarning,
               "unknown element <" + local + "> in <" + std::string(kind_->collection) +
                   ">; skipped",
               {display_, e.line, e.column, xpath});
          continue;
        }
      }
      PB_RETURN_IF_ERROR(DecodeObject(e, xpath));
    }
    *out = std::move(pending_.front());
    pending_.pop_front();
    return true;
  }

 private:
  Status Open(const Input& s) {
    display_ = s.path.string();
    PB_ASSIGN_OR_RETURN(std::istream* in, OpenInput(s, file_));
    scanner_ = std::make_unique<XmlScanner>(*in, display_, options_.max_record_bytes);
    root_ = {};
    PB_RETURN_IF_ERROR(scanner_->ReadRoot(&root_));
    root_name_ = root_.name;
    index_.clear();
    done_ = false;
    // The root's start tag alone, closed, for its attributes.
    pugi::xml_document tag;
    std::string text = root_.empty ? root_.text : root_.text + "</" + root_.name + ">";
    pugi::xml_parse_result parsed = tag.load_buffer(text.data(), text.size());
    std::string where = scanner_->Where(root_.line, root_.column);
    if (!parsed) return InvalidArgument("not well-formed XML: " + std::string(parsed.description()), where);
    pugi::xml_node root = tag.first_child();
    PB_RETURN_IF_ERROR(CheckNamespace(root, where));
    std::string_view local = LocalName(root_.name);
    bool is_object = root.attribute("RefId");
    for (const ObjectKind& k : Kinds()) {
      if ((k.object == local && (is_object || k.collection != local)) ||
          (k.collection == local && !is_object)) {
        kind_ = &k;
        single_ = k.object == local && (is_object || k.collection != local);
        return Status::Ok();
      }
    }
    return InvalidArgument("root element <" + std::string(local) +
                               "> is not a SIF NA object or collection this adapter reads "
                               "(e.g. <StudentPersonals> or <StudentPersonal RefId=...>)",
                           where);
  }

  static Status CheckNamespace(pugi::xml_node root, const std::string& where) {
    std::string_view name = root.name();
    size_t colon = name.find(':');
    std::string attr = colon == std::string_view::npos
                           ? "xmlns"
                           : "xmlns:" + std::string(name.substr(0, colon));
    pugi::xml_attribute ns = root.attribute(attr.c_str());
    if (colon != std::string_view::npos && !ns)
      return InvalidArgument("namespace prefix of <" + std::string(name) + "> is not declared",
                             where);
    if (ns && !std::string_view(ns.value()).starts_with(kNamespacePrefix))
      return InvalidArgument("namespace \"" + std::string(ns.value()) + "\" is not SIF NA (" +
                                 std::string(kNamespace) + ")",
                             where);
    return Status::Ok();
  }

  void Close() {
    scanner_.reset();
    file_.close();
  }

  Status DecodeObject(const ScannedElement& e, const std::string& xpath) {
    pugi::xml_document doc;
    pugi::xml_parse_result parsed = doc.load_buffer(e.text.data(), e.text.size(),
                                                    pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
      auto [line, column] = XmlScanner::PositionIn(e, static_cast<size_t>(parsed.offset));
      return InvalidArgument("not well-formed XML: " + std::string(parsed.description()),
                             scanner_->Where(line, column) + " " + xpath);
    }
    pugi::xml_node node = doc.first_child();
    Object o{node, "", {display_, e.line, e.column, xpath}, nullptr, &pending_};
    for (pugi::xml_attribute a : node.attributes())
      if (LocalName(a.name()) == "RefId") o.ref_id = a.value();
    if (o.ref_id.empty() && kind_->object != "StudentRecordExchange")
      return InvalidArgument("<" + std::string(kind_->object) + "> without a RefId",
                             scanner_->Where(e.line, e.column) + " " + xpath);
    o.warn = [&](std::string msg, ptrdiff_t offset, const std::string& rel) {
      auto [line, column] = XmlScanner::PositionIn(e, static_cast<size_t>(offset));
      Note(Diagnostic::Severity::kWarning, std::move(msg),
           {display_, line, column, xpath + "/" + rel});
    };
    for (pugi::xml_node child : node.children()) {
      std::string_view local = LocalName(child.name());
      if (child.type() != pugi::node_element || kind_->mapped.count(local)) continue;
      if (reported_.insert(std::string(kind_->object) + "/" + std::string(local)).second) {
        auto [line, column] = XmlScanner::PositionIn(e, static_cast<size_t>(ElementOffset(child)));
        Note(Diagnostic::Severity::kInfo,
             "element <" + std::string(local) + "> of <" + std::string(kind_->object) +
                 "> is not translated (reported once)",
             {display_, line, column, xpath + "/" + std::string(local)});
      }
    }
    if (!kind_->note.empty() && reported_.insert(std::string(kind_->object)).second)
      Note(Diagnostic::Severity::kInfo, std::string(kind_->object) + " " + std::string(kind_->note),
           o.where);
    kind_->decode(o);
    return Status::Ok();
  }

  void Note(Diagnostic::Severity severity, std::string msg, SourceLocation where) {
    if (options_.on_diagnostic) options_.on_diagnostic({severity, std::move(msg), std::move(where)});
  }

  std::vector<Input> sources_;
  DecodeOptions options_;
  size_t next_ = 0;
  std::string display_;
  std::ifstream file_;
  std::unique_ptr<XmlScanner> scanner_;
  ScannedElement root_;
  std::string root_name_;
  const ObjectKind* kind_ = nullptr;
  bool single_ = false, done_ = false;
  std::map<std::string, size_t> index_;  // per element name, for XPath [n]
  std::set<std::string> reported_;
  std::deque<Record> pending_;  // the records of one object
};

template <typename T>
void AddCapabilities(const ObjectSpec<T>& spec, Capabilities& reads, Capabilities* writes) {
  std::string type(T::kType);
  for (const auto& f : spec.fields) {
    if (f.model.empty()) continue;
    reads.Add(type + "." + std::string(f.model));
    if (writes != nullptr && !f.read_only) writes->Add(type + "." + std::string(f.model));
  }
  for (std::string_view m : spec.implied) {
    reads.Add(type + "." + std::string(m));
    if (writes != nullptr) writes->Add(type + "." + std::string(m));
  }
}

// One output collection document, written as objects arrive.
class CollectionWriter {
 public:
  CollectionWriter(fs::path path, std::string_view collection)
      : path_(std::move(path)), collection_(collection) {}

  // Writes an object printed at depth 1 (ObjectPrinter, PrintTree).
  Status Write(std::string_view object) {
    if (!out_.is_open()) {
      PB_RETURN_IF_ERROR(out_.Open(path_));
      PB_RETURN_IF_ERROR(out_.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<"));
      PB_RETURN_IF_ERROR(out_.Write(collection_));
      PB_RETURN_IF_ERROR(out_.Write(" xmlns=\""));
      PB_RETURN_IF_ERROR(out_.Write(kNamespace));
      PB_RETURN_IF_ERROR(out_.Write("\">\n"));
    }
    return out_.Write(object);
  }
  Status Finish() {
    if (!out_.is_open()) return Status::Ok();
    PB_RETURN_IF_ERROR(out_.Write("</"));
    PB_RETURN_IF_ERROR(out_.Write(collection_));
    PB_RETURN_IF_ERROR(out_.Write(">\n"));
    return out_.Close();
  }

 private:
  fs::path path_;
  std::string_view collection_;
  OutputFile out_;
};

class SifEncoder : public Encoder {
 public:
  SifEncoder(std::unique_ptr<OutputPath> out, EncodeOptions options)
      : out_(std::move(out)), options_(std::move(options)),
        students_(out_->work(), options_.sort_memory_bytes, options_.spill_on_thread) {
    for (const ObjectKind& k : Kinds())
      writers_.try_emplace(k.object, out_->temp() / (std::string(k.collection) + ".xml"),
                           k.collection);
  }

  Status Write(const Record& record) override {
    if (ended_) return Internal("a record written after the end of records", out_->temp().string());
    std::string_view named = roles_.NamedStudent(record);
    if (!named.empty() && !named_.Seen(named)) PB_RETURN_IF_ERROR(students_.Add(named, kNamed, ""));
    return std::visit([&](const auto& r) { return WriteRecord(r); }, record);
  }

  Status EndOfRecords() override {
    if (ended_) return Status::Ok();
    ended_ = true;
    PB_RETURN_IF_ERROR(WriteStudents());
    if (not_students_ != 0)
      PB_RETURN_IF_ERROR(Skip(std::to_string(not_students_) +
           " persons without a role that no student record names (the staff and guardians of a "
           "OneRoster 1.2 bundle, whose roles are in roles.csv) not written: only students "
           "(StudentPersonal) are"));
    if (unmerged_ != 0)
      PB_RETURN_IF_ERROR(Skip(std::to_string(unmerged_) +
           " demographics records have no student (StudentPersonal) to go in; not written"));
    for (auto& [name, w] : writers_) PB_RETURN_IF_ERROR(w.Finish());
    for (const auto& [msg, n] : skipped_)
      if (n > 1 && options_.on_diagnostic)
        options_.on_diagnostic({Diagnostic::Severity::kInfo,
                                std::to_string(n - 1) + " more like \"" + msg + "\"", {}});
    return Status::Ok();
  }

  Status Finish() override {
    PB_RETURN_IF_ERROR(EndOfRecords());
    return out_->Commit();
  }

  void Abort() override {
    writers_.clear();
    out_->Discard();
  }

 private:
  // Says, once per field, what `r` has that `spec`'s object has no place
  // for. SIF splits some record types over several objects (an enrollment
  // is a StudentSchoolEnrollment or a StudentSectionEnrollment), so a field
  // the record type carries may not fit the object chosen.
  // Returns the spec's SpecFields.
  template <typename T>
  auto& CheckFields(const ObjectSpec<T>& spec, const T& r) {
    SpecFields& fields = FieldsOf<T>(spec);
    canonical::ForEachPresentFieldIndexOf(r, [&](size_t i) {
      if (fields.carried[i]) return;
      if (fields.skipped[i] != nullptr) {
        ++*fields.skipped[i];
        return;
      }
      std::string why = canonical::FieldPathsOf(canonical::kTypeIndex<T>)[i] +
                        " has no place in " + std::string(spec.object) + "; not written";
      (void)Skip(why);  // always Ok
      fields.skipped[i] = &skipped_[why];
    });
    return fields;
  }
  // Prints `r`'s object into text_ (at depth 1) and sets *at to where its
  // first child named in `before` starts (ObjectPrinter::End). Printed as
  // text (from the spec's flat form where it has one and the record fits
  // it), or through a pugixml tree where the printer cannot stream it. An
  // error if a printed value has a character XML cannot carry.
  template <typename T>
  Status Print(const ObjectSpec<T>& spec, const T& r, size_t* at,
               const std::vector<std::string_view>* before = nullptr,
               const ObjectPrinter::Flat* flat = nullptr) {
    text_.clear();
    bool streamed = flat != nullptr && PrintFlat(spec, *flat, r, printer_, at);
    if (!streamed) {
      printer_.Begin(spec.object, before);
      streamed = PrintObject(spec, r, printer_);
      if (streamed) *at = printer_.End();
    }
    bool safe;
    if (streamed) {
      safe = printer_.xml_safe();
    } else {
      pugi::xml_document doc;
      pugi::xml_node object = doc.append_child(std::string(spec.object).c_str());
      WriteObject(spec, r, object);
      text_.clear();
      *at = PrintTree(object, before, &text_);
      safe = XmlSafe(Record(r));
    }
    if (safe) return Status::Ok();
    return InvalidArgument("a value contains a control character XML cannot carry",
                           r.source.ToString());
  }
  template <typename T>
  Status Emit(const ObjectSpec<T>& spec, const T& r) {
    auto& fields = CheckFields(spec, r);
    size_t at;
    PB_RETURN_IF_ERROR(Print(spec, r, &at, nullptr, &fields.flat));
    return fields.writer->Write(text_);
  }

  Status WriteRecord(const Organization& r) {
    if (r.kind == OrgKind::kDistrict) return Emit(LeaInfoSpec(), r);
    if (r.kind == OrgKind::kSchool) return Emit(SchoolInfoSpec(), r);
    return Skip("organizations other than districts (LEAInfo) and schools (SchoolInfo) are not "
                "written");
  }
  Status WriteRecord(const AcademicSession& r) { return Emit(TermInfoSpec(), r); }
  Status WriteRecord(const Course& r) { return Emit(SchoolCourseInfoSpec(), r); }
  Status WriteRecord(const Section& r) { return Emit(SectionInfoSpec(), r); }
  Status WriteRecord(const CourseResult& r) { return Emit(StudentSectionMarksSpec(), r); }
  Status WriteRecord(const Person& r) {
    // A person without a role (OneRoster 1.2 keeps roles in roles.csv) waits
    // in students_ until Finish() can tell (StudentRoles).
    if (r.role != Role::kStudent && r.role != Role::kUnspecified)
      return Skip("only students (StudentPersonal) are written; other persons are not");
    // Spooled as record bytes and printed only once it is known to be a
    // student: in a OneRoster 1.2 bundle most persons are guardians and
    // staff, whose printing was most of this encoder's cost.
    CheckFields(StudentPersonalSpec(), r);
    return students_.AddRecord(r.id, kPerson, r);
  }
  Status WriteRecord(const Enrollment& r) {
    if (r.role != Role::kStudent && r.role != Role::kUnspecified)
      return Skip("only students' enrollments are written; staff enrollments are not");
    bool section = r.kind == EnrollmentKind::kSection ||
                   (r.kind == EnrollmentKind::kUnspecified && !r.section_id.empty());
    return section ? Emit(StudentSectionEnrollmentSpec(), r) : Emit(StudentSchoolEnrollmentSpec(), r);
  }
  // Kept aside until Finish() puts it into its StudentPersonal: its
  // Demographics element, printed at depth 2. The spec writes nothing else
  // into the StudentPersonal it prints.
  Status WriteRecord(const Demographics& r) {
    static const std::vector<std::string_view> kElement{"Demographics"};
    size_t at;
    PB_RETURN_IF_ERROR(Print(StudentDemographicsSpec(), r, &at, &kElement));
    if (at == std::string::npos) return Status::Ok();  // nothing but a RefId
    size_t end = text_.rfind("  </StudentPersonal>");
    if (at >= end) return Status::Ok();  // no Demographics element
    return students_.Add(r.id, kDemographics, std::string_view(text_).substr(at, end - at));
  }
  template <typename T>
  Status WriteRecord(const T&) {
    return Status::Ok();  // not carried by SIF
  }

  // Writes StudentPersonals.xml: each student with its demographics, in
  // the order of their ids. The sorter brings together, per person id, the
  // records that named it a student, its demographics and its StudentPersonal
  // (tags in that order), so no index of persons is kept in memory.
  Status WriteStudents() {
    PB_RETURN_IF_ERROR(students_.Finish());
    CollectionWriter& out = writers_.at("StudentPersonal");
    std::string demographics;  // the person's last
    bool named = false, merged = true;
    return students_.ForEachGroup(
        [&](ExternalSorter::Entry& e) -> Status {
          if (e.tag == kNamed) {
            named = true;
          } else if (e.tag == kDemographics) {
            std::swap(demographics, e.value);
            merged = false;
          } else if (!roles_.IsStudent(named)) {
            ++not_students_;
          } else {
            PB_RETURN_IF_ERROR(students_.ReadRecord(e.value, &unspooled_));
            size_t at;
            PB_RETURN_IF_ERROR(
                Print(StudentPersonalSpec(), unspooled_, &at, &ElementsAfterDemographics()));
            if (merged) return out.Write(text_);
            merged = true;
            return out.Write(WithDemographics(at, demographics));
          }
          return Status::Ok();
        },
        [&](const std::string&) {
          if (!merged) ++unmerged_;
          named = false;
          merged = true;
          return Status::Ok();
        });
  }

  // The StudentPersonal just printed into text_, with its Demographics
  // element put where Print said (npos: the object had no children,
  // "<... />").
  std::string_view WithDemographics(size_t at, std::string_view demographics) {
    if (at == std::string::npos) {
      text_.resize(text_.rfind(" />"));
      text_ += ">\n";
      text_ += demographics;
      text_ += "  </StudentPersonal>\n";
    } else {
      text_.insert(at, demographics);
    }
    return text_;
  }

  // What a spec writes, by field index (canonical::FieldPathsOf): checked
  // for every field of every record written. With how it prints.
  struct SpecFields {
    std::vector<bool> carried;
    std::vector<uint64_t*> skipped;  // the count in skipped_, once said
    ObjectPrinter::Flat flat;
    CollectionWriter* writer = nullptr;  // its object's collection, in writers_
  };
  template <typename T>
  SpecFields& FieldsOf(const ObjectSpec<T>& spec) {
    auto [it, fresh] = carried_.try_emplace(&spec);
    if (fresh) {
      Capabilities carried;
      AddCapabilities(spec, carried, nullptr);
      for (const std::string& path : canonical::FieldPathsOf(canonical::kTypeIndex<T>))
        it->second.carried.push_back(carried.Carries(path));
      it->second.skipped.assign(it->second.carried.size(), nullptr);
      it->second.flat = Flatten(spec, printer_);
      it->second.writer = &writers_.at(spec.object);
    }
    return it->second;
  }

  // Says once per kind of record it cannot write; Finish() adds the count.
  Status Skip(std::string_view why) {
    // Found without making a string: a skipped record type repeats by the
    // ten thousand (a district's staff enrollments).
    auto it = skipped_.find(why);
    if (it == skipped_.end()) it = skipped_.emplace(std::string(why), 0).first;
    if (it->second++ == 0 && options_.on_diagnostic)
      options_.on_diagnostic({Diagnostic::Severity::kWarning, std::string(why), {}});
    return Status::Ok();
  }

  // What the sorter holds per person id, in the order WriteStudents needs.
  static constexpr uint8_t kNamed = 0, kDemographics = 1, kPerson = 2;

  std::unique_ptr<OutputPath> out_;
  EncodeOptions options_;
  std::map<std::string_view, CollectionWriter> writers_;  // by object name
  ExternalSorter students_;
  RecentIds named_;  // kNamed entries already added
  std::string text_;  // Print's output
  ObjectPrinter printer_{&text_, 1};  // Print's, reused
  Person unspooled_;     // a person read back from students_, reused
  StudentRoles roles_;
  uint64_t not_students_ = 0;
  uint64_t unmerged_ = 0;  // demographics without a student
  std::map<std::string, uint64_t, std::less<>> skipped_;
  std::map<const void*, SpecFields> carried_;  // by spec
  bool ended_ = false;  // EndOfRecords() was called
};

// A folder's documents: those named after a collection first, in dependency order.
std::vector<Input> FolderSources(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".xml") files.push_back(entry.path());
  auto rank = [](const fs::path& p) {
    const auto& kinds = Kinds();
    for (size_t i = 0; i < kinds.size(); ++i)
      if (p.stem() == kinds[i].collection || p.stem() == kinds[i].object) return i;
    return kinds.size();
  };
  std::sort(files.begin(), files.end(), [&](const fs::path& a, const fs::path& b) {
    return std::pair(rank(a), a.filename()) < std::pair(rank(b), b.filename());
  });
  std::vector<Input> out;
  for (const auto& f : files) out.push_back({f});
  return out;
}

class SifXmlAdapter : public Adapter {
 public:
  SifXmlAdapter() {
    AddCapabilities(LeaInfoSpec(), reads_, &writes_);
    AddCapabilities(SchoolInfoSpec(), reads_, &writes_);
    AddCapabilities(TermInfoSpec(), reads_, &writes_);
    AddCapabilities(SchoolCourseInfoSpec(), reads_, &writes_);
    AddCapabilities(SectionInfoSpec(), reads_, &writes_);
    AddCapabilities(StudentPersonalSpec(), reads_, &writes_);
    AddCapabilities(StudentDemographicsSpec(), reads_, &writes_);
    AddCapabilities(StudentSchoolEnrollmentSpec(), reads_, &writes_);
    AddCapabilities(StudentSectionEnrollmentSpec(), reads_, &writes_);
    AddCapabilities(StudentSectionMarksSpec(), reads_, &writes_);
    AddCapabilities(AcademicRecordCourseSpec(), reads_, nullptr);
  }

  std::string_view name() const override { return "sif-xml"; }
  std::vector<std::string> media_types() const override { return {"application/xml"}; }
  std::string_view description() const override {
    return "SIF NA 4.x data-model XML (3.x read too): one object or collection per document; "
           "writes a folder with one collection document per object type";
  }
  const Capabilities& reads() const override { return reads_; }
  const Capabilities& writes() const override { return writes_; }

  pathbridge::Result<std::unique_ptr<Decoder>> OpenDecoder(
      const Input& input, const DecodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(bool folder, IsFolder(input));
    std::vector<Input> sources = folder ? FolderSources(input.path) : std::vector<Input>{input};
    if (sources.empty() && options.on_diagnostic)  // e.g. a translation that wrote nothing
      options.on_diagnostic({Diagnostic::Severity::kWarning, "no .xml documents in the folder",
                             {input.path.string(), 0, 0, ""}});
    return std::unique_ptr<Decoder>(std::make_unique<SifDecoder>(std::move(sources), options));
  }

  pathbridge::Result<std::unique_ptr<Encoder>> OpenEncoder(
      const fs::path& output, const EncodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(auto out, OutputPath::Open(output, OutputPath::Kind::kFolder));
    return std::unique_ptr<Encoder>(std::make_unique<SifEncoder>(std::move(out), options));
  }

 private:
  Capabilities reads_, writes_;
};

}  // namespace
}  // namespace pathbridge::adapters::sif_xml

namespace pathbridge::adapters {
std::unique_ptr<Adapter> MakeSifXmlAdapter() { return std::make_unique<sif_xml::SifXmlAdapter>(); }
}  // namespace pathbridge::adapters
