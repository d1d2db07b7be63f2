// ObjectPrinter: writes one SIF object as indented XML text, value by
// value, without building a tree. It produces the bytes that building the
// object with Put (object_io.h) and printing it with pugixml's
// format_indent would, so the encoder writes text directly and falls back
// to the tree only where streaming cannot follow: a value that would go
// into an element already printed (Put reuses an object's last child).
// Object types with only attributes and leaf elements (enrollments,
// sections, marks) have a faster flat form (Flat, PrintFlat) printed from
// each field's text made once. The tests compare all three on every sample
// and on generated districts.
//
// Thread-safety: one thread at a time; a Flat is read-only once made.
#pragma once

#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/sif_xml/object_io.h"
#include "adapters/sif_xml/objects.h"

namespace pathbridge::adapters::sif_xml {

class ObjectPrinter {
 public:
  // Appends to *out; the object element is at `depth` (two spaces a level).
  // One printer is meant to print object after object: it keeps what it
  // allocated (a new one per object cost 4% of a translation to SIF).
  ObjectPrinter(std::string* out, int depth) : out_(*out), depth_(depth) {}

  // Starts the object. End() will say where the first of its children named
  // in `before` starts (nullptr: none).
  void Begin(std::string_view object, const std::vector<std::string_view>* before = nullptr);
  // As Put: false if the value would reach into an element already printed
  // (the output is then unusable; start again with the tree).
  bool Put(std::string_view path, const Value& v, std::string_view key_attr,
           const std::vector<std::array<std::string_view, 3>>& fixed);
  // Closes the object. Returns where in *out the first child named in
  // Begin's `before` starts, else where the object's end tag starts; npos if
  // the object has no children (it was printed as "<Object ... />").
  size_t End();
  // False if a value printed since Begin has a character XML 1.0 cannot
  // carry (see XmlSafe): the printed object is then not well-formed XML.
  // Checked as values are escaped, instead of a pass over every record.
  bool xml_safe() const { return xml_safe_; }

  // The text of each field of an object type, made once, for objects whose
  // values are all attributes of the object or leaf elements right under
  // it (a StudentSectionEnrollment, but not a StudentPersonal with its Name
  // element): walking each value's path was a third of printing them.
  struct Flat {
    enum class Kind { kAttribute, kLeaf, kOther };
    struct Piece {
      Kind kind = Kind::kOther;
      std::string open, close;  // ' Name="' and '"'; '    <Name>' and "</Name>\n"
    };
    std::string_view object;
    std::vector<Piece> fields;  // by the spec's field index
  };
  // `fields`: each field's path and key attribute, in the spec's order;
  // the Flat is for this printer's depth and holds views of `object`.
  Flat Flatten(std::string_view object,
               const std::vector<std::pair<std::string_view, std::string_view>>& fields,
               const std::vector<std::array<std::string_view, 3>>& fixed) const;
  // The same output as Begin, Put and End, for a Flat: PutFlat takes the
  // field's index. False when the value does not fit the flat form (a
  // nested field has a value; an attribute comes after an element): print
  // the object with Begin and Put instead.
  void BeginFlat(const Flat& flat);
  bool PutFlat(size_t field, const Value& v);
  size_t EndFlat();

 private:
  // An element's attributes, waiting for its start tag to be closed. Kept
  // with their strings' capacity from object to object.
  class Attributes {
   public:
    void Clear() { size_ = 0; }
    void Set(std::string_view name, std::string_view value);  // replaces one so named
    auto begin() const { return items_.begin(); }
    auto end() const { return items_.begin() + static_cast<ptrdiff_t>(size_); }

   private:
    std::vector<std::pair<std::string_view, std::string>> items_;
    size_t size_ = 0;
  };
  struct Open {
    std::string_view name;
    bool tag_open = true;  // "<name" written, attributes still pending
    Attributes attributes = {};
    std::string_view last_leaf = {};  // the last child, if it was a leaf (closed)
  };
  using Fixed = std::vector<std::array<std::string_view, 3>>;

  // Opens a child of the element at level `parent`, ending deeper ones.
  Open& OpenChild(size_t parent, std::string_view name, std::string_view path,
                  const Fixed& fixed);
  // Writes a leaf child of the element at level `parent`.
  void PutLeaf(size_t parent, std::string_view name, std::string_view path, const Value& v,
               std::string_view key_attr, const Fixed& fixed);
  void StartChild(size_t parent, std::string_view name);  // writes "<name"
  void CloseStartTag(Open& e);  // writes its attributes and '>'
  void CloseTo(size_t depth);   // ends the elements deeper than `depth`
  // Writes the indent of `level`, then `pieces` (each a few bytes).
  void Line(size_t level, std::initializer_list<std::string_view> pieces);
  // Writes `spaces` spaces, then `pieces`.
  void Write(size_t spaces, std::initializer_list<std::string_view> pieces);
  // Ends the object printed in text_ ("<X ... />" if its start tag is still
  // open) and appends it to out_; returns where `mark` (npos: the end tag)
  // falls in out_, npos for "<X ... />". End's and EndFlat's end.
  size_t Close(bool tag_open, std::string_view object, size_t mark);
  void Attribute(std::string_view name, std::string_view value);

  // The object being printed, written through raw pointers: on XML's short
  // pieces std::string's per-append checks and calls cost more than the
  // bytes. End() appends it to out_ in one piece.
  class Text {
   public:
    void Clear() { used_ = 0; }
    size_t size() const { return used_; }
    std::string_view view() const { return {buf_.data(), used_}; }
    // Where up to n more bytes go; Commit(end) after writing them.
    char* Room(size_t n) {
      if (buf_.size() - used_ < n) [[unlikely]]
        Grow(n);
      return buf_.data() + used_;
    }
    void Commit(const char* end) { used_ = static_cast<size_t>(end - buf_.data()); }

   private:
    void Grow(size_t n) { buf_.resize(std::max(2 * buf_.size(), used_ + n + 1024)); }

    std::string buf_;  // [0, used_) written; the rest is room
    size_t used_ = 0;
  };

  std::string& out_;
  Text text_;
  const Flat* flat_ = nullptr;           // BeginFlat's
  bool flat_tag_open_ = false;           // its start tag still takes attributes
  std::vector<size_t> flat_attributes_;  // the attribute fields printed
  int depth_;
  // The open elements, [0] the object; entries past open_ are kept for reuse.
  std::vector<Open> stack_;
  size_t open_ = 0;
  const std::vector<std::string_view>* before_ = nullptr;
  size_t insert_at_ = std::string::npos;
  bool xml_safe_ = true;
};

// The same text from a tree built with Put: prints `object` at depth 1 into
// *out (appending) and returns what ObjectPrinter::End would.
size_t PrintTree(pugi::xml_node object, const std::vector<std::string_view>* before,
                 std::string* out);

// Writes `r`'s values through `spec` into `printer` (between Begin and
// End); false as Put.
template <typename T>
bool PrintObject(const ObjectSpec<T>& spec, const T& r, ObjectPrinter& printer) {
  return ForEachValue(spec, r, [&](const Field<T>& f, const Value& v) {
    return printer.Put(f.path, v, f.key_attr, spec.fixed_attributes);
  });
}

template <typename T>
ObjectPrinter::Flat Flatten(const ObjectSpec<T>& spec, const ObjectPrinter& printer) {
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  for (const Field<T>& f : spec.fields) fields.emplace_back(f.path, f.key_attr);
  return printer.Flatten(spec.object, fields, spec.fixed_attributes);
}

// Prints `r` whole (BeginFlat to EndFlat) through `flat` (Flatten(spec));
// false as PutFlat, with nothing added to the printer's output.
template <typename T>
bool PrintFlat(const ObjectSpec<T>& spec, const ObjectPrinter::Flat& flat, const T& r,
               ObjectPrinter& printer, size_t* at) {
  printer.BeginFlat(flat);
  const Field<T>* first = spec.fields.data();
  bool fits = ForEachValue(spec, r, [&](const Field<T>& f, const Value& v) {
    return printer.PutFlat(static_cast<size_t>(&f - first), v);
  });
  if (fits) *at = printer.EndFlat();
  return fits;
}

}  // namespace pathbridge::adapters::sif_xml
