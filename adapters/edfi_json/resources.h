// The Ed-Fi DS 5.2 API resources the edfi-json adapter translates, as tables
// of properties: each property is a JSON member of the resource (names are
// the API's camelCase names, the XSD element names of Ed-Fi-Core.xsd) bound
// to canonical model fields, with a reader and a writer. Decoding, encoding
// and the adapter's capability lists all derive from these tables.
//
// Identity. Ed-Fi identifies records by natural keys (schoolId, sessionName
// + schoolYear + school, ...), and references carry those keys. A record's
// natural id is its key parts joined with '/' ("255901107/2024/Fall
// Semester"), or the studentUniqueId / educationOrganizationId alone. A
// decoded record's id is its natural id; a reference resolves to the
// referenced record's id through the decoder's catalog index (DecodeContext).
//
// Values Ed-Fi's properties could not reproduce (an id that is not a natural
// id, a session type Ed-Fi's TermDescriptor has no value for, a reference to
// a record missing from the input) are kept in the pathbridge extension,
// "_ext": {"pathbridge": {"fields": {"<model field path>": value}}}, which
// the decoder applies last. Ed-Fi members the model has no slot for are kept
// in the record's extensions as "edfi:<member>" (JSON text unless a string)
// and written back where they came from.
//
// Encoding is checked: the encoder builds an element's object, decodes it
// back and keeps in the extension whatever did not come back the same.
// The direct path skips that where it can (EncodeDirect): each property's
// emit writes its member as text and says whether reading it would give
// the record's values back; if every one does, only the fields no property
// carries are compared, and the element is never built as an object. The
// bytes are the same either way (tests/adapters/edfi_direct_test.cc).
//
// Thread-safety: the tables are built once and read-only afterwards.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "adapters/adapter.h"
#include "standards/canonical/model.h"
#include "standards/json_write.h"

namespace pathbridge::adapters::edfi_json {

// Natural keys.
struct SessionKey {
  int64_t school_id = 0;
  std::string school_year;  // "2024"
  std::string name;         // sessionName
};
struct CourseKey {
  int64_t edorg_id = 0;
  std::string code;
};
struct SectionKey {
  SessionKey session;
  std::string local_course_code;
  std::string identifier;  // sectionIdentifier
};
std::string NaturalId(int64_t edorg_id);  // "" for 0
std::string NaturalId(const SessionKey& k);
std::string NaturalId(const CourseKey& k);
std::string OfferingNaturalId(const SectionKey& k);  // the course offering
std::string NaturalId(const SectionKey& k);
// A section key as a reader gets it back from the reference written for it:
// the school id only if positive, the school year only if it is written
// (digits, as an integer).
SectionKey AsReadBack(SectionKey k);

// What decoding an element needs from outside it.
class DecodeContext {
 public:
  virtual ~DecodeContext() = default;
  // The id of the record whose natural id is `natural_id` (itself unless
  // the index knows the record by another id).
  virtual std::string CatalogId(const std::string& natural_id) const = 0;
  struct Offering {
    std::string course_id, session_id;
  };
  // A course offering read earlier, by natural id; nullptr if unknown.
  virtual const Offering* FindOffering(const std::string& natural_id) const = 0;
};

// What encoding a record needs: the natural keys of records by id (its own
// and those it refers to), chosen by the encoder.
// A section association's sectionReference value as text, and the ids a
// reader resolves it to: the same for every association of a section.
struct SectionReference {
  std::string text;        // {"localCourseCode":...,"sectionIdentifier":...}
  std::string section_id;  // reader.CatalogId of the section's read-back natural id
  std::string school_id;   // and of its school's
};

class EncodeContext {
 public:
  virtual ~EncodeContext() = default;
  virtual int64_t EdOrgId(const std::string& org_id) = 0;  // 0 for ""
  virtual canonical::OrgKind OrgKindOf(const std::string& org_id) = 0;
  virtual SessionKey Session(const std::string& session_id) = 0;
  virtual CourseKey Course(const std::string& course_id) = 0;
  virtual const SectionKey& Section(const std::string& section_id) = 0;
  // NaturalId(AsReadBack(Section(section_id))), kept by the encoder for the
  // section being written: every association of the section asks for it.
  virtual const std::string& SectionReadBackId(const std::string& section_id) = 0;
  // MakeSectionReference for the section being written, made on its first
  // association's call and kept; nullptr for another section.
  virtual const SectionReference* CurrentSectionReference(const std::string& section_id) {
    (void)section_id;
    return nullptr;
  }
  // The education organization a student's studentEducationOrganization-
  // Association is written under (0 if none is known).
  virtual int64_t StudentEdOrg(const std::string& person_id) = 0;
};

// Reading one element: the context, and warnings located by JSON pointer.
class In {
 public:
  using WarnFn = std::function<void(std::string message, std::string pointer)>;
  In(const DecodeContext& ctx, std::string pointer, WarnFn warn)
      : ctx_(ctx), pointer_(std::move(pointer)), warn_(std::move(warn)) {}
  const DecodeContext& ctx() const { return ctx_; }
  const std::string& pointer() const { return pointer_; }
  // `member` is a pointer suffix within the element ("studentReference").
  void Warn(std::string_view member, std::string message) const;

 private:
  const DecodeContext& ctx_;
  std::string pointer_;
  WarnFn warn_;
};

// A resource's records while decoding or encoding one element. Students
// carry birth data the model keeps in demographics, so a students element
// is a person and a demographics record; every other resource is one
// record.
struct Student {
  canonical::Person person;
  canonical::Demographics demographics;
};

// An element written straight as JSON text, member by member, for the
// encoder's direct path (Property::emit): the same bytes as building the
// element's boost::json object and writing it with json::JsonWriter. Used
// by one thread at a time.
class DirectElement {
 public:
  // Starts the element ('{') in `out`; `reader` is what a decoder reading
  // the output would resolve references with.
  DirectElement(json::JsonWriter& out, const DecodeContext& reader);
  const DecodeContext& reader() const { return reader_; }
  // A member of the innermost open object: its name, then one value.
  // Names are the specs' own (nothing to escape; user text goes through
  // String or Value).
  void Key(std::string_view name);
  void String(std::string_view s) { out_.String(s); }
  void Int(int64_t n) { out_.Int(n); }
  void Bool(bool b) { out_.Raw(b ? "true" : "false"); }
  void Value(const boost::json::value& v) { out_.Value(v); }
  // A member whose value is JSON text made beforehand.
  void Member(std::string_view name, std::string_view json) {
    Key(name);
    out_.Raw(json);
  }
  // An object member: Open(name), its members, Close(). An array of
  // objects: OpenArray(name), then per object OpenItem(), its members,
  // Close(); then CloseArray().
  void Open(std::string_view name);
  // Opens `levels` objects at once, the outer one the member `name`: `text`
  // is what Open(name) and the Opens inside it would write
  // ("\"_ext\":{\"pathbridge\":{\"fields\":{").
  void OpenNested(std::string_view name, std::string_view text, int levels);
  // A member of an object below the element named "type.name" (a model
  // field path: nothing to escape), without building the name.
  void PathKey(std::string_view type, std::string_view name);
  void Close();
  void OpenArray(std::string_view name);
  void OpenItem();
  void CloseArray();
  // Whether the element has a member `name` (at its top level).
  bool Has(std::string_view name) const;
  // For an emit whose member carries every field of its property exactly
  // but one, which the record has a value in: that field (a model path,
  // kept alive by the caller) is then compared as a field no property
  // carries, against what a reader sets without the member (nothing), so
  // that it goes to the pathbridge extension as the checked path puts it.
  // One field per element; false (take the checked path) for a second.
  bool AlsoCompare(std::string_view path);
  std::string_view also_compared() const { return also_compared_; }
  // Closes the element; its text, valid until `out` is used again.
  std::string_view Finish();

  // Has() knows this many members; objects and arrays nest at most
  // kMaxDepth deep (the pathbridge extension nests three).
  static constexpr size_t kMaxMembers = 32;

 private:
  static constexpr int kMaxDepth = 8;
  json::JsonWriter& out_;
  const DecodeContext& reader_;
  int depth_ = 0;                        // objects open below the element
  std::array<bool, kMaxDepth> empty_{};  // per open object: no member yet
  // The element's member names, for Has: the first count_ only. Left
  // uninitialized (a string_view is not): an element is made for every
  // record written, and zeroing 512 bytes each took 2% of a translation.
  struct Name {
    const char* data;
    size_t size;
  };
  std::array<Name, kMaxMembers> members_;
  size_t count_ = 0;
  std::string_view also_compared_;
};

// The pathbridge extension of a direct element (what PutPathbridgeFields
// in record_json.h adds to an object), written field by field as the
// differences come (ForEachDifference): opened by the first, closed by
// Finish().
class DirectFields {
 public:
  explicit DirectFields(DirectElement& e) : e_(e) {}
  // The field `type`.`name` with its value.
  void Add(std::string_view type, std::string_view name, const boost::json::value& v);
  void AddString(std::string_view type, std::string_view name, std::string_view s);
  void Finish();

 private:
  void Key(std::string_view type, std::string_view name);  // opens the extension first
  DirectElement& e_;
  bool open_ = false;
};

template <typename T>
struct Property {
  std::string_view name;            // JSON member
  std::vector<std::string> fields;  // model field paths it carries
  // Sets fields from the member's value; false if the value is not
  // understood (the caller keeps it as an edfi: extension, with a warning).
  std::function<bool(T&, const boost::json::value&, const In&)> read;
  // Sets the member on the element, or leaves it absent.
  std::function<void(const T&, boost::json::object&, EncodeContext&)> write;
  // Optional, for the encoder's direct path: writes the member as `write`
  // would (or nothing where write leaves it absent) and returns whether
  // `read` would give back the property's fields exactly as they are in
  // the record. False, or no emit: the element takes the checked path
  // (encoded as an object, decoded back and compared).
  std::function<bool(const T&, DirectElement&, EncodeContext&)> emit = {};
};

template <typename T>
struct ResourceSpec {
  std::string_view name;  // the API resource, and file <name>.json
  std::vector<Property<T>> properties;
  std::vector<std::string_view> required;  // members Ed-Fi requires
  std::vector<std::string_view> implied;   // model fields the resource itself implies
  // The natural id from the element's key members ("" if they are absent).
  std::function<std::string(const boost::json::object&)> natural_id;
  // Sets what the resource implies (an organization's kind, an enrollment's
  // kind and role).
  std::function<void(T&)> complete;
  // Members the model has no slot for are kept in the demographics record's
  // extensions rather than the person's (studentEducationOrganization-
  // Associations, whose members are mostly demographic).
  bool unmapped_to_demographics = false;
  // Optional, for the direct path: the natural id of the element written
  // from a record (what natural_id reads from it).
  std::function<std::string(const T&, EncodeContext&)> record_natural_id = {};
};

// Decodes an element with `spec`: its properties, then its id (the natural
// id) and what the resource implies. The pathbridge extension is not
// applied here (see the adapter).
template <typename T>
T DecodeElement(const ResourceSpec<T>& spec, const boost::json::object& o, const In& in);
// Encodes a record: its edfi: extensions, then its properties. The element
// allocates from `sp` (the encoder passes a bump allocator it resets per
// element: most of an element's cost was malloc and free).
template <typename T>
boost::json::object EncodeElement(const ResourceSpec<T>& spec, const T& r, EncodeContext& ctx,
                                  boost::json::storage_ptr sp = {});
// The direct path: writes `r`'s members into `out` through their emit
// functions and returns its element's natural id, or nullopt if the element
// must take the checked path (a property without emit or not exact, an
// edfi: extension to write, or a spec without record_natural_id). The
// differences left to keep are in fields no property carries (SpecCarries).
template <typename T>
std::optional<std::string> EncodeDirect(const ResourceSpec<T>& spec, const T& r,
                                        EncodeContext& ctx, DirectElement& out);
// Whether a property of `spec` carries model field `path`.
template <typename T>
bool SpecCarries(const ResourceSpec<T>& spec, std::string_view path);

// The records a decoded element stands for.
std::vector<canonical::Record> ToRecords(canonical::Organization r);
std::vector<canonical::Record> ToRecords(canonical::AcademicSession r);
std::vector<canonical::Record> ToRecords(canonical::Course r);
std::vector<canonical::Record> ToRecords(canonical::Section r);
std::vector<canonical::Record> ToRecords(canonical::Enrollment r);
std::vector<canonical::Record> ToRecords(canonical::CourseResult r);
// A student's person, and its demographics if it has any value.
std::vector<canonical::Record> ToRecords(Student r);

const ResourceSpec<canonical::Organization>& LocalEducationAgencies();
const ResourceSpec<canonical::Organization>& Schools();
const ResourceSpec<canonical::Organization>& StateEducationAgencies();
const ResourceSpec<canonical::Organization>& PostSecondaryInstitutions();
const ResourceSpec<canonical::Organization>& OrganizationDepartments();
const ResourceSpec<canonical::AcademicSession>& Sessions();
const ResourceSpec<canonical::Course>& Courses();
const ResourceSpec<canonical::Section>& Sections();
const ResourceSpec<Student>& Students();
// Person contact data (email, telephones, identification codes, login) and
// demographics (sex, race, ethnicity); keyed by the student.
const ResourceSpec<Student>& StudentEducationOrganizationAssociations();
const ResourceSpec<canonical::Enrollment>& StudentSchoolAssociations();
const ResourceSpec<canonical::Enrollment>& StudentSectionAssociations();
const ResourceSpec<canonical::CourseResult>& CourseTranscripts();
// The sectionReference of a section's associations: `key` as text, and what
// `reader` resolves it to (`read_back_id`: NaturalId(AsReadBack(key))).
SectionReference MakeSectionReference(const SectionKey& key, const std::string& read_back_id,
                                      const DecodeContext& reader);

// The organization resource for a kind (nullptr: Ed-Fi has none).
const ResourceSpec<canonical::Organization>* OrganizationResource(canonical::OrgKind kind);

// Course offerings are not records of the model: a section reaches its
// course and session through one. The decoder reads them into its index.
DecodeContext::Offering DecodeOffering(const boost::json::object& o, const In& in);
std::string OfferingNaturalId(const boost::json::object& o);
boost::json::object EncodeOffering(const SectionKey& key, const canonical::Section& s,
                                   EncodeContext& ctx);

// Student academic records: each diploma, recognition and academic honor is
// an achievement award. EncodeAward adds one award to a record element
// (started with StartAcademicRecord); AcademicRecordNaturalId is the key
// that awards are grouped by.
std::vector<canonical::AchievementAward> DecodeAcademicRecord(const boost::json::object& o,
                                                              const In& in);
std::string AcademicRecordNaturalId(const canonical::AchievementAward& a, EncodeContext& ctx);
boost::json::object StartAcademicRecord(const canonical::AchievementAward& a, EncodeContext& ctx);
// Returns the collection the award went into ("diplomas", "recognitions").
std::string_view EncodeAward(const canonical::AchievementAward& a, boost::json::object& record,
                             EncodeContext& ctx);

// Drops an edfi: extension equal to what the encoder derives when the source
// has no value (a course attempt result from the credits; an award's
// descriptors from its kind), so that a value reads the same whether Ed-Fi
// or pathbridge wrote it.
void ForgetDerivedValues(canonical::CourseResult& r);
void ForgetDerivedValues(canonical::AchievementAward& a, bool diploma);

// An award's kind from an AchievementCategoryDescriptor.
canonical::AwardKind AwardKindFromAchievementCategory(std::string_view category);

// The ACAN transcript composite (one object per student with demographics,
// academic records, course transcripts and school): decoded only.
bool IsTranscriptComposite(const boost::json::object& o);
std::vector<canonical::Record> DecodeTranscriptComposite(const boost::json::object& o,
                                                         const In& in);

// Every model field path edfi-json reads and writes.
const Capabilities& EdFiCapabilities();

}  // namespace pathbridge::adapters::edfi_json
