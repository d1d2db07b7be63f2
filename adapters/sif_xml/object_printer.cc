#include "adapters/sif_xml/object_printer.h"

#include <algorithm>

namespace pathbridge::adapters::sif_xml {
namespace {

// pugixml's escaping: in text &, <, > and control characters other than tab,
// LF and CR; in attribute values &, <, " and every control character.
void Escape(std::string& out, std::string_view s, bool attribute) {
  size_t plain = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    const char* with = nullptr;
    if (c == '&') with = "&amp;";
    else if (c == '<') with = "&lt;";
    else if (c == '>' && !attribute) with = "&gt;";
    else if (c == '"' && attribute) with = "&quot;";
    else if (c >= 0x20 || (!attribute && (c == '\t' || c == '\n' || c == '\r'))) continue;
    out.append(s, plain, i - plain);
    plain = i + 1;
    if (with != nullptr) {
      out += with;
    } else {
      out += "&#";
      out += static_cast<char>('0' + c / 10);
      out += static_cast<char>('0' + c % 10);
      out += ';';
    }
  }
  out.append(s, plain, s.size() - plain);
}

}  // namespace

void ObjectPrinter::Begin(std::string_view object, const std::vector<std::string_view>* before) {
  before_ = before;
  insert_at_ = std::string::npos;
  stack_.clear();
  Indent(0);
  out_ += '<';
  out_ += object;
  stack_.push_back({object});
}

bool ObjectPrinter::Put(std::string_view path, const Value& v, std::string_view key_attr,
                        const std::vector<std::array<std::string_view, 3>>& fixed) {
  size_t d = 0;  // the level of the element the walk is at
  size_t prefix_end = 0;
  while (true) {
    size_t slash = path.find('/', prefix_end);
    std::string_view seg = path.substr(prefix_end, slash - prefix_end);
    bool last = slash == std::string_view::npos;
    if (seg.starts_with('@')) {
      Open& node = stack_[d];
      if (!node.tag_open) return false;  // its start tag is printed
      std::string name(seg.substr(1));
      auto it = std::find_if(node.attributes.begin(), node.attributes.end(),
                             [&](const auto& a) { return a.first == name; });
      if (it == node.attributes.end()) node.attributes.emplace_back(std::move(name), v.text);
      else it->second = v.text;
      return true;
    }
    bool star = seg.ends_with('*');
    std::string_view name = star ? seg.substr(0, seg.size() - 1) : seg;
    // The prefix as Put spells it: the path so far, '*' removed.
    std::string_view prefix = path.substr(0, last ? path.size() : slash);
    std::string unstarred;
    if (prefix.find('*') != std::string_view::npos) {
      for (char c : prefix)
        if (c != '*') unstarred += c;
      prefix = unstarred;
    }
    if (!star && !last) {
      // Put goes into the element's last child when it has this name.
      if (stack_.size() > d + 1 && stack_[d + 1].name == name) {
        ++d;
        prefix_end = slash + 1;
        continue;
      }
      if (stack_.size() == d + 1 && stack_[d].last_leaf == name) return false;
    }
    OpenChild(d, name, prefix, fixed);
    ++d;
    if (last) {
      Open& leaf = stack_.back();
      if (!key_attr.empty()) leaf.attributes.emplace_back(key_attr, v.key);
      CloseStartTag(leaf);
      out_.pop_back();  // the '\n' a start tag with element children gets
      Escape(out_, v.text, false);
      out_ += "</";
      out_ += name;
      out_ += ">\n";
      stack_.pop_back();
      stack_.back().last_leaf = name;
      return true;
    }
    prefix_end = slash + 1;
  }
}

size_t ObjectPrinter::End() {
  CloseTo(0);
  Open& object = stack_[0];
  if (object.tag_open) {
    CloseStartTag(object);
    out_.resize(out_.size() - 2);  // ">\n" becomes " />\n"
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

void ObjectPrinter::OpenChild(size_t parent, std::string_view name, std::string_view prefix,
                              const std::vector<std::array<std::string_view, 3>>& fixed) {
  CloseTo(parent);
  CloseStartTag(stack_.back());
  size_t level = stack_.size();
  if (level == 1 && before_ != nullptr && insert_at_ == std::string::npos &&
      std::find(before_->begin(), before_->end(), name) != before_->end())
    insert_at_ = out_.size();
  stack_.back().last_leaf = {};
  Indent(level);
  out_ += '<';
  out_ += name;
  Open child{name};
  for (const auto& [at, attr, value] : fixed)
    if (at == prefix) child.attributes.emplace_back(attr, value);
  stack_.push_back(std::move(child));
}

void ObjectPrinter::CloseStartTag(Open& e) {
  if (!e.tag_open) return;
  for (const auto& [name, value] : e.attributes) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    Escape(out_, value, true);
    out_ += '"';
  }
  out_ += ">\n";
  e.tag_open = false;
}

void ObjectPrinter::CloseTo(size_t depth) {
  while (stack_.size() > depth + 1) {
    Open& e = stack_.back();
    if (e.tag_open) {
      CloseStartTag(e);
      out_.resize(out_.size() - 2);
      out_ += " />\n";
    } else {
      Indent(stack_.size() - 1);
      out_ += "</";
      out_ += e.name;
      out_ += ">\n";
    }
    stack_.pop_back();
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
