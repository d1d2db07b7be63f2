#include "adapters/sif_xml/object_printer.h"

#include <algorithm>

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

// Returns false if `s` has a character XML 1.0 cannot carry (a C0 control
// other than tab, LF and CR; pugixml prints it as a character reference).
bool Escape(std::string& out, std::string_view s, bool attribute) {
  static const EscapeTable kTable;
  const bool* special = attribute ? kTable.attribute : kTable.text;
  size_t plain = 0;
  bool carried = true;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (!special[c]) continue;
    out.append(s, plain, i - plain);
    plain = i + 1;
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else {
      carried = carried && (c == '\t' || c == '\n' || c == '\r');
      out += "&#";
      out += static_cast<char>('0' + c / 10);
      out += static_cast<char>('0' + c % 10);
      out += ';';
    }
  }
  out.append(s, plain, s.size() - plain);
  return carried;
}

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
  Indent(0);
  out_ += '<';
  out_ += object;
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
  if (object.tag_open) {
    for (const auto& [name, value] : object.attributes) Attribute(name, value);
    out_ += " />\n";
    return std::string::npos;
  }
  if (insert_at_ == std::string::npos) insert_at_ = out_.size();
  Indent(0);
  out_ += "</";
  out_ += object.name;
  out_ += ">\n";
  return insert_at_;
}

void ObjectPrinter::StartChild(size_t parent, std::string_view name) {
  CloseTo(parent);
  CloseStartTag(stack_[parent]);
  if (parent == 0 && before_ != nullptr && insert_at_ == std::string::npos &&
      std::find(before_->begin(), before_->end(), name) != before_->end())
    insert_at_ = out_.size();
  Indent(parent + 1);
  out_ += '<';
  out_ += name;
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
  out_ += '>';
  xml_safe_ = Escape(out_, v.text, false) && xml_safe_;
  out_ += "</";
  out_ += name;
  out_ += ">\n";
  stack_[parent].last_leaf = name;
}

void ObjectPrinter::Attribute(std::string_view name, std::string_view value) {
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  xml_safe_ = Escape(out_, value, true) && xml_safe_;
  out_ += '"';
}

void ObjectPrinter::CloseStartTag(Open& e) {
  if (!e.tag_open) return;
  for (const auto& [name, value] : e.attributes) Attribute(name, value);
  out_ += ">\n";
  e.tag_open = false;
}

void ObjectPrinter::CloseTo(size_t depth) {
  while (open_ > depth + 1) {
    Open& e = stack_[open_ - 1];
    if (e.tag_open) {
      for (const auto& [name, value] : e.attributes) Attribute(name, value);
      out_ += " />\n";
    } else {
      Indent(open_ - 1);
      out_ += "</";
      out_ += e.name;
      out_ += ">\n";
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

void ObjectPrinter::Indent(size_t level) { out_.append(2 * (depth_ + level), ' '); }

}  // namespace pathbridge::adapters::sif_xml
