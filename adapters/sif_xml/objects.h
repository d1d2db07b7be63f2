// The SIF NA 4.x objects the sif-xml adapter translates, as tables of
// fields: each field is a path inside the object ("Name/LastName",
// "@RefId", "GradeLevels/GradeLevel*/Code" where '*' marks the element that
// repeats once per value) bound to a canonical model field, with a reader
// (tolerant: an odd but understood value gives a warning; a value it cannot
// understand is kept in the record's extensions under the path, with a
// warning) and a writer. Fields are listed in the SIF schema's element
// order, which is the order the encoder writes them in. Decoding, encoding
// and the adapter's capability lists all derive from these tables.
//
// Thread-safety: the tables are built once and read-only afterwards.
#pragma once

#include <array>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "standards/canonical/model.h"

namespace pathbridge::adapters::sif_xml {

// Reports a problem with one value; the caller adds the location.
using WarnFn = std::function<void(std::string message)>;

// One value of a field: its text and, for fields with a key attribute
// (SIF_ExtendedElement/@Name, OtherId/@Type), that attribute's value. Views:
// into the record being written, a static code table, Values' own storage,
// or the parsed document being read; a Value is used while those live.
struct Value {
  std::string_view text;
  std::string_view key;
};

// The values one field writes, refilled field after field. Values are
// views, not copies (copying every value cost 3% of a translation to SIF);
// one made on the spot (a formatted number) is kept in storage that keeps
// its capacity, so writing a record does not allocate per value.
class Values {
 public:
  void Clear() {
    size_ = 0;
    made_ = 0;
  }
  // `text` and `key` must outlive this Values' current field.
  void Add(std::string_view text, std::string_view key = {}) {
    if (size_ == items_.size()) items_.emplace_back();
    items_[size_++] = {text, key};
  }
  // A value made on the spot: kept here until Clear().
  void AddMade(std::string_view text) {
    if (made_ == made_text_.size()) made_text_.emplace_back();
    std::string& kept = made_text_[made_++];  // a deque: kept strings never move
    kept.assign(text);
    Add(kept);
  }
  bool empty() const { return size_ == 0; }
  const Value* begin() const { return items_.data(); }
  const Value* end() const { return items_.data() + size_; }
  // Drops the values `pred` holds for, keeping the others' order.
  template <typename Pred>
  void EraseIf(Pred pred) {
    size_t kept = 0;
    for (size_t i = 0; i < size_; ++i)
      if (!pred(items_[i])) items_[kept++] = items_[i];
    size_ = kept;
  }

 private:
  std::vector<Value> items_;
  size_t size_ = 0;
  std::deque<std::string> made_text_;
  size_t made_ = 0;
};

template <typename T>
struct Field {
  std::string_view path;
  std::string_view model;     // model field name; "" = several (listed in `implied`)
  std::string_view key_attr;  // attribute of the last element read into Value::key
  bool read_only = false;     // an alternative spelling: read, never written
  std::function<void(T&, const Value&, const WarnFn&)> read;
  std::function<void(const T&, Values&)> write;  // adds the record's values
};

template <typename T>
struct ObjectSpec {
  std::string_view object;      // "StudentPersonal"
  std::string_view collection;  // "StudentPersonals"
  std::vector<Field<T>> fields;
  // Model fields set other than through one field's `model`: by the object
  // type itself (organization.kind, via `complete`) or by a field that
  // fills several (race codes).
  std::vector<std::string_view> implied;
  std::function<void(T&)> complete;
  // Attributes SIF requires on an element the encoder creates: {path, name, value}.
  std::vector<std::array<std::string_view, 3>> fixed_attributes;
};

const ObjectSpec<canonical::Organization>& LeaInfoSpec();
const ObjectSpec<canonical::Organization>& SchoolInfoSpec();
const ObjectSpec<canonical::AcademicSession>& TermInfoSpec();
const ObjectSpec<canonical::Course>& SchoolCourseInfoSpec();
const ObjectSpec<canonical::Section>& SectionInfoSpec();
const ObjectSpec<canonical::Person>& StudentPersonalSpec();
// The Demographics element of StudentPersonal (the same object, another record).
const ObjectSpec<canonical::Demographics>& StudentDemographicsSpec();
const ObjectSpec<canonical::Enrollment>& StudentSchoolEnrollmentSpec();
const ObjectSpec<canonical::Enrollment>& StudentSectionEnrollmentSpec();
const ObjectSpec<canonical::CourseResult>& StudentSectionMarksSpec();
// One CourseHistory/Term/Courses/Course of a StudentAcademicRecord (read only).
const ObjectSpec<canonical::CourseResult>& AcademicRecordCourseSpec();

// StudentPersonal's elements that come after Demographics in the schema
// (where the encoder inserts a Demographics element).
const std::vector<std::string_view>& ElementsAfterDemographics();

}  // namespace pathbridge::adapters::sif_xml
