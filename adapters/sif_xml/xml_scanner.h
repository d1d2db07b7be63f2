// A small streaming XML scanner that splits a document at element
// boundaries without building a tree, so that a multi-gigabyte SIF
// collection can be parsed one object at a time with pugixml (which needs a
// whole document in memory). It understands just enough XML to find where
// elements start and end: comments, CDATA sections, processing
// instructions, quoted attribute values (which may contain '>'), and
// self-closing tags. It does not check well-formedness inside an element;
// pugixml does that when the element is parsed. Outside the elements it
// returns it rejects text, a DOCTYPE (no DTDs: entity expansion is an attack
// surface) and anything after the root element.
//
// Positions are byte offsets, 1-based lines and 1-based byte columns.
//
// Thread-safety: one scanner per stream, used by one thread.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <utility>
#include <vector>

#include "standards/status.h"

namespace pathbridge::adapters::sif_xml {

// An element's bytes and where they start.
struct ScannedElement {
  std::string text;  // from its '<' to the end of its end tag
  std::string name;  // the qualified name as written ("sif:StudentPersonal")
  uint64_t offset = 0, line = 1, column = 1;
  bool empty = false;  // <X/>: a root that has no children
};

// The line and column of offsets in one element's text, by binary search
// over its line starts (PositionIn walks from the start: fine once, not for
// every record of a large document).
class LineIndex {
 public:
  explicit LineIndex(const ScannedElement& e);
  std::pair<uint64_t, uint64_t> PositionOf(size_t offset) const;

 private:
  uint64_t line_, column_;
  std::vector<size_t> line_starts_;  // offsets just after each '\n'
};

class XmlScanner {
 public:
  // `display` names the input in errors; an element longer than
  // `max_element_bytes` is an error (kResourceExhausted).
  XmlScanner(std::istream& in, std::string display, size_t max_element_bytes);

  // Reads the prolog (XML declaration, comments, PIs) and the root's start
  // tag, which `root` receives (text = the start tag only).
  Status ReadRoot(ScannedElement* root);
  // The next child element of the current container (the root, or the
  // element last entered with Enter), whole; false after the container's end
  // tag (after the root's: and the checked end of input; after an entered
  // element's: the container is its parent again).
  pathbridge::Result<bool> NextChild(ScannedElement* out);
  // As NextChild, but stops after the child's start tag: the caller then
  // reads the rest with ReadRest, or descends into it with Enter (to stream
  // the children of a wrapper such as a batch's content element).
  pathbridge::Result<bool> NextChildStart(ScannedElement* out);
  Status ReadRest(ScannedElement* e);
  // Makes `e` (just returned by NextChildStart, not empty) the container.
  void Enter(const ScannedElement& e);
  // How many containers are open (1 inside the root, 0 after it).
  size_t depth() const { return open_.size(); }
  // Also accepts an XML declaration naming `encoding` (lower case), for input
  // the caller transcoded to UTF-8 on the way in (e.g. from UTF-16).
  void AcceptEncoding(std::string encoding) { accepted_encoding_ = std::move(encoding); }
  // The rest of the root after ReadRoot, so that `root` holds the whole
  // root element (for a document that is a single object).
  Status ReadWholeRoot(ScannedElement* root);

  // "display:line:column".
  std::string Where(uint64_t line, uint64_t column) const;
  // Where reading has got to.
  std::string Here() const { return Where(line_, column_); }
  // The line and column of byte `offset` of `e.text`.
  static std::pair<uint64_t, uint64_t> PositionIn(const ScannedElement& e, size_t offset);

 private:
  enum class Markup { kStart, kEmpty, kEnd, kCData, kOther };
  int Get();
  // Reads markup after its '<' (already in *buf), appending it to *buf.
  pathbridge::Result<Markup> ReadMarkup(std::string* buf, std::string* name);
  Status ReadUntil(std::string* buf, std::string_view terminator, std::string_view what);
  // Reads the rest of an element whose start tag is in e->text, to depth 0.
  Status CaptureRest(ScannedElement* e);
  // After the root's end tag: only whitespace, comments and PIs.
  Status ReadEpilog();
  Status Error(std::string msg) const;
  Status Limit(const std::string& buf) const;

  std::istream& in_;
  std::string display_;
  size_t max_bytes_;
  uint64_t offset_ = 0, line_ = 1, column_ = 1;
  uint64_t mark_line_ = 1, mark_column_ = 1;  // start of the current markup
  struct Open {
    std::string name;
    uint64_t line, column;
  };
  std::vector<Open> open_;  // the root, then entered elements
  std::string accepted_encoding_;
  bool root_done_ = false;
};

// The part of a qualified name after its prefix ("sif:Name" -> "Name").
std::string_view LocalName(std::string_view qname);

}  // namespace pathbridge::adapters::sif_xml
