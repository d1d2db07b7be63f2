#include "adapters/sif_xml/object_printer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "standards/swar.h"

namespace pathbridge::adapters::sif_xml {
namespace {

// pugixml's escaping: in text &, <, > and control characters other than tab,
// LF and CR; in attribute values &, <, " and every control character.
struct EscapeTable {
  bool text[256] = {};
  bool attribute[256] = {};
  EscapeTable() {
    for (int c = 0; c < 0x20; ++c) text[c] = attribute[c] = c != '\t' && c != '\n' && c != '\r';
    attribute['\t'] = attribute['\n'] = attribute['\r'] = true;
    text['&'] = text['<'] = text['>'] = true;
    attribute['&'] = attribute['<'] = attribute['"'] = true;
  }
};

// Whether any byte of the 8 in `w` is below 0x20, or is `a`, `b` or `c`;
// if so the caller looks again byte by byte.
[[gnu::always_inline]] inline bool MayNeedEscape(uint64_t w, char a, char b, char c) {
  using swar::AnyByteBelow, swar::AnyByteIs;
  return (AnyByteBelow(w, 0x20) | AnyByteIs(w, static_cast<unsigned char>(a)) |
          AnyByteIs(w, static_cast<unsigned char>(b)) |
          AnyByteIs(w, static_cast<unsigned char>(c))) != 0;
}

// Whether `s` certainly needs no escaping (most values: ids, dates, codes),
// eight bytes at a time, the last word overlapping the one before.
bool Plain(std::string_view s, const bool* special, bool attribute) {
  size_t n = s.size();
  if (n < 8) {
    for (char c : s)
      if (special[static_cast<unsigned char>(c)]) return false;
    return true;
  }
  char third = attribute ? '"' : '>';
  auto word_at = [&](size_t i) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    return w;
  };
  for (size_t i = 0; i + 8 <= n; i += 8)
    if (MayNeedEscape(word_at(i), '&', '<', third)) return false;
  return n % 8 == 0 || !MayNeedEscape(word_at(n - 8), '&', '<', third);
}

// Writes `s` escaped at `p`, which has room for 6 bytes per byte of `s`;
// returns the end. Clears *carried if `s` has a character XML 1.0 cannot
// carry (a C0 control other than tab, LF and CR; pugixml prints it as a
// character reference).
char* Escape(char* p, std::string_view s, bool attribute, bool* carried) {
  static const EscapeTable kTable;
  const bool* special = attribute ? kTable.attribute : kTable.text;
  if (Plain(s, special, attribute)) {
    std::memcpy(p, s.data(), s.size());
    return p + s.size();
  }
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (!special[c]) {
      *p++ = ch;
      continue;
    }
    std::string_view entity;
    if (c == '&') {
      entity = "&amp;";
    } else if (c == '<') {
      entity = "&lt;";
    } else if (c == '>') {
      entity = "&gt;";
    } else if (c == '"') {
      entity = "&quot;";
    } else {
      *carried = *carried && (c == '\t' || c == '\n' || c == '\r');
      *p++ = '&';
      *p++ = '#';
      *p++ = static_cast<char>('0' + c / 10);
      *p++ = static_cast<char>('0' + c % 10);
      *p++ = ';';
      continue;
    }
    std::memcpy(p, entity.data(), entity.size());
    p += entity.size();
  }
  return p;
}

// Room for `s` escaped.
constexpr size_t kEscapedBytesPerByte = 6;  // '"' -> "&quot;"

// Whether `at` is `path` with its '*' marks removed (how Put names the
// elements its fixed attributes go on).
bool SamePath(std::string_view at, std::string_view path) {
  size_t i = 0;
  for (char c : path) {
    if (c == '*') continue;
    if (i == at.size() || at[i] != c) return false;
    ++i;
  }
  return i == at.size();
}

}  // namespace

void ObjectPrinter::Attributes::Set(std::string_view name, std::string_view value) {
  auto it = std::find_if(begin(), end(), [&](const auto& a) { return a.first == name; });
  if (it == end()) {
    if (size_ == items_.size()) items_.emplace_back();
    it = items_.begin() + static_cast<ptrdiff_t>(size_++);
  }
  auto& [kept_name, kept_value] = items_[static_cast<size_t>(it - items_.begin())];
  kept_name = name;
  kept_value.assign(value);
}

void ObjectPrinter::Begin(std::string_view object, const std::vector<std::string_view>* before) {
  before_ = before;
  insert_at_ = std::string::npos;
  xml_safe_ = true;
  open_ = 0;
  text_.Clear();
  Line(0, {"<", object});
  if (stack_.empty()) stack_.emplace_back();
  Open& e = stack_[open_++];
  e.name = object;
  e.tag_open = true;
  e.attributes.Clear();
  e.last_leaf = {};
}

bool ObjectPrinter::Put(std::string_view path, const Value& v, std::string_view key_attr,
                        const Fixed& fixed) {
  size_t d = 0;  // the level of the element the walk is at
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    bool last = slash == std::string_view::npos;
    std::string_view seg = path.substr(start, last ? std::string_view::npos : slash - start);
    std::string_view upto = last ? path : path.substr(0, slash);
    if (seg.starts_with('@')) {
      Open& node = stack_[d];
      if (!node.tag_open) return false;  // its start tag is printed
      node.attributes.Set(seg.substr(1), v.text);
      return true;
    }
    bool star = seg.ends_with('*');
    std::string_view name = star ? seg.substr(0, seg.size() - 1) : seg;
    if (last) {
      PutLeaf(d, name, upto, v, key_attr, fixed);
      return true;
    }
    if (!star) {
      // Put goes into the element's last child when it has this name.
      if (open_ > d + 1 && stack_[d + 1].name == name) {
        ++d;
        start = slash + 1;
        continue;
      }
      if (open_ == d + 1 && stack_[d].last_leaf == name) return false;
    }
    OpenChild(d, name, upto, fixed);
    ++d;
    start = slash + 1;
  }
}

size_t ObjectPrinter::End() {
  CloseTo(0);
  Open& object = stack_[0];
  open_ = 0;
  if (object.tag_open)
    for (const auto& [name, value] : object.attributes) Attribute(name, value);
  return Close(object.tag_open, object.name, insert_at_);
}

size_t ObjectPrinter::Close(bool tag_open, std::string_view object, size_t mark) {
  size_t base = out_.size();
  if (tag_open) {
    Write(0, {" />\n"});
    out_ += text_.view();
    return std::string::npos;
  }
  if (mark == std::string::npos) mark = text_.size();
  Line(0, {"</", object, ">\n"});
  out_ += text_.view();
  return base + mark;
}

void ObjectPrinter::StartChild(size_t parent, std::string_view name) {
  CloseTo(parent);
  CloseStartTag(stack_[parent]);
  if (parent == 0 && before_ != nullptr && insert_at_ == std::string::npos &&
      std::find(before_->begin(), before_->end(), name) != before_->end())
    insert_at_ = text_.size();
  Line(parent + 1, {"<", name});
}

ObjectPrinter::Open& ObjectPrinter::OpenChild(size_t parent, std::string_view name,
                                              std::string_view path, const Fixed& fixed) {
  StartChild(parent, name);
  stack_[parent].last_leaf = {};
  if (open_ == stack_.size()) stack_.emplace_back();
  Open& child = stack_[open_++];
  child.name = name;
  child.tag_open = true;
  child.attributes.Clear();
  child.last_leaf = {};
  for (const auto& [at, attr, value] : fixed)
    if (SamePath(at, path)) child.attributes.Set(attr, value);
  return child;
}

void ObjectPrinter::PutLeaf(size_t parent, std::string_view name, std::string_view path,
                            const Value& v, std::string_view key_attr, const Fixed& fixed) {
  StartChild(parent, name);
  for (const auto& [at, attr, value] : fixed)
    if (SamePath(at, path)) Attribute(attr, value);
  if (!key_attr.empty()) Attribute(key_attr, v.key);
  char* p = text_.Room(1 + kEscapedBytesPerByte * v.text.size() + 2 + name.size() + 2);
  *p++ = '>';
  p = Escape(p, v.text, false, &xml_safe_);
  *p++ = '<';
  *p++ = '/';
  std::memcpy(p, name.data(), name.size());
  p += name.size();
  *p++ = '>';
  *p++ = '\n';
  text_.Commit(p);
  stack_[parent].last_leaf = name;
}

void ObjectPrinter::Attribute(std::string_view name, std::string_view value) {
  char* p = text_.Room(1 + name.size() + 2 + kEscapedBytesPerByte * value.size() + 1);
  *p++ = ' ';
  std::memcpy(p, name.data(), name.size());
  p += name.size();
  *p++ = '=';
  *p++ = '"';
  p = Escape(p, value, true, &xml_safe_);
  *p++ = '"';
  text_.Commit(p);
}

void ObjectPrinter::CloseStartTag(Open& e) {
  if (!e.tag_open) return;
  for (const auto& [name, value] : e.attributes) Attribute(name, value);
  Write(0, {">\n"});
  e.tag_open = false;
}

void ObjectPrinter::CloseTo(size_t depth) {
  while (open_ > depth + 1) {
    Open& e = stack_[open_ - 1];
    if (e.tag_open) {
      for (const auto& [name, value] : e.attributes) Attribute(name, value);
      Write(0, {" />\n"});
    } else {
      Line(open_ - 1, {"</", e.name, ">\n"});
    }
    --open_;
  }
}

namespace {

class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string* out) : out_(*out) {}
  void write(const void* data, size_t size) override {
    out_.append(static_cast<const char*>(data), size);
  }

 private:
  std::string& out_;
};

}  // namespace

size_t PrintTree(pugi::xml_node object, const std::vector<std::string_view>* before,
                 std::string* out) {
  StringWriter into(out);
  if (!object.first_child()) {
    object.print(into, "  ", pugi::format_indent, pugi::encoding_utf8, 1);
    return std::string::npos;
  }
  // A mark where End() would point: printed on a line of its own.
  constexpr std::string_view kMarkLine = "    <pathbridge.mark />\n";
  pugi::xml_node next;
  if (before != nullptr)
    for (pugi::xml_node child : object.children())
      if (std::find(before->begin(), before->end(), std::string_view(child.name())) !=
          before->end()) {
        next = child;
        break;
      }
  pugi::xml_node mark = next ? object.insert_child_before("pathbridge.mark", next)
                             : object.append_child("pathbridge.mark");
  size_t start = out->size();
  object.print(into, "  ", pugi::format_indent, pugi::encoding_utf8, 1);
  object.remove_child(mark);
  size_t at = out->find(kMarkLine, start);
  out->erase(at, kMarkLine.size());
  return at;
}

ObjectPrinter::Flat ObjectPrinter::Flatten(
    std::string_view object,
    const std::vector<std::pair<std::string_view, std::string_view>>& fields,
    const Fixed& fixed) const {
  Flat flat;
  flat.object = object;
  std::vector<std::string_view> attributes;
  for (const auto& [path, key_attr] : fields) {
    Flat::Piece& piece = flat.fields.emplace_back();
    if (path.find('/') != std::string_view::npos || !key_attr.empty()) continue;
    if (path.starts_with('@')) {
      std::string_view name = path.substr(1);
      // Two fields writing one attribute: Put's later value replaces the
      // earlier, so no value of this object type is printed flat.
      if (std::find(attributes.begin(), attributes.end(), name) != attributes.end()) {
        for (Flat::Piece& p : flat.fields) p = {};
        flat.fields.resize(fields.size());
        return flat;
      }
      attributes.push_back(name);
      piece = {Flat::Kind::kAttribute, " " + std::string(name) + "=\"", "\""};
      continue;
    }
    std::string_view name = path.ends_with('*') ? path.substr(0, path.size() - 1) : path;
    std::string open(2 * (static_cast<size_t>(depth_) + 1), ' ');
    open += '<';
    open += name;
    for (const auto& [at, attr, value] : fixed) {
      if (!SamePath(at, path)) continue;
      std::string escaped(kEscapedBytesPerByte * value.size(), '\0');
      bool carried = true;
      escaped.resize(static_cast<size_t>(Escape(escaped.data(), value, true, &carried) -
                                         escaped.data()));
      open += " " + std::string(attr) + "=\"" + escaped + "\"";
    }
    open += '>';
    piece = {Flat::Kind::kLeaf, std::move(open), "</" + std::string(name) + ">\n"};
  }
  return flat;
}

void ObjectPrinter::BeginFlat(const Flat& flat) {
  flat_ = &flat;
  flat_tag_open_ = true;
  flat_attributes_.clear();
  xml_safe_ = true;
  text_.Clear();
  Line(0, {"<", flat.object});
}

bool ObjectPrinter::PutFlat(size_t field, const Value& v) {
  const Flat::Piece& piece = flat_->fields[field];
  if (piece.kind == Flat::Kind::kOther) return false;
  if (piece.kind == Flat::Kind::kAttribute) {
    // Put would replace the value an attribute already has.
    if (!flat_tag_open_ || std::find(flat_attributes_.begin(), flat_attributes_.end(), field) !=
                               flat_attributes_.end())
      return false;
    flat_attributes_.push_back(field);
  } else if (flat_tag_open_) {
    Write(0, {">\n"});
    flat_tag_open_ = false;
  }
  char* p = text_.Room(piece.open.size() + kEscapedBytesPerByte * v.text.size() +
                       piece.close.size());
  std::memcpy(p, piece.open.data(), piece.open.size());
  p = Escape(p + piece.open.size(), v.text, piece.kind == Flat::Kind::kAttribute, &xml_safe_);
  std::memcpy(p, piece.close.data(), piece.close.size());
  text_.Commit(p + piece.close.size());
  return true;
}

size_t ObjectPrinter::EndFlat() { return Close(flat_tag_open_, flat_->object, std::string::npos); }

void ObjectPrinter::Line(size_t level, std::initializer_list<std::string_view> pieces) {
  Write(2 * (static_cast<size_t>(depth_) + level), pieces);
}

void ObjectPrinter::Write(size_t spaces, std::initializer_list<std::string_view> pieces) {
  size_t n = spaces;
  for (std::string_view piece : pieces) n += piece.size();
  char* p = text_.Room(n);
  std::memset(p, ' ', spaces);
  p += spaces;
  for (std::string_view piece : pieces) {
    std::memcpy(p, piece.data(), piece.size());
    p += piece.size();
  }
  text_.Commit(p);
}

}  // namespace pathbridge::adapters::sif_xml
