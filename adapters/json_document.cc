#include "adapters/json_document.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "standards/json.h"

namespace pathbridge::adapters {

namespace fs = std::filesystem;

pathbridge::Result<std::vector<Input>> JsonInputs(const Input& input) {
  PB_ASSIGN_OR_RETURN(bool folder, IsFolder(input));
  if (!folder) return std::vector<Input>{input};
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(input.path, ec))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  if (ec) return IoError("cannot list the folder: " + ec.message(), input.path.string());
  if (files.empty()) return NotFound("no .json files in the folder", input.path.string());
  std::sort(files.begin(), files.end());
  std::vector<Input> out;
  for (fs::path& f : files) out.push_back({std::move(f)});
  return out;
}

pathbridge::Result<boost::json::value> ReadJsonDocument(std::istream& in, const std::string& name,
                                                        size_t max_bytes) {
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > max_bytes)
      return Status(Code::kResourceExhausted,
                    "document is larger than " + std::to_string(max_bytes) + " bytes", name);
  }
  if (in.bad()) return IoError("cannot read", name);
  auto parsed = json::Parse(text, {.max_depth = 64, .max_size = max_bytes});
  if (!parsed.ok())
    return Status(parsed.status().code(), parsed.status().message(),
                  name + ":" + parsed.status().where());
  return std::move(*parsed);
}

std::string Child(std::string_view pointer, std::string_view token) {
  std::string out(pointer);
  json::AppendPointerToken(out, token);
  return out;
}

std::string Child(std::string_view pointer, size_t index) {
  return std::string(pointer) + "/" + std::to_string(index);
}

std::string StringMember(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string StringMember(const boost::json::value* v, std::string_view key) {
  return v != nullptr && v->is_object() ? StringMember(v->get_object(), key) : std::string();
}

const boost::json::object* ObjectMember(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr ? v->if_object() : nullptr;
}

const boost::json::array* ArrayMember(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr ? v->if_array() : nullptr;
}

std::optional<double> NumberMember(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

std::vector<const boost::json::value*> OneOrMany(const boost::json::value* v) {
  std::vector<const boost::json::value*> out;
  if (v == nullptr) return out;
  if (const auto* a = v->if_array()) {
    for (const auto& e : *a) out.push_back(&e);
  } else {
    out.push_back(v);
  }
  return out;
}

Status WriteTextFile(const fs::path& path, std::string_view text) {
  std::ofstream f(path, std::ios::binary);
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.close();
  return f ? Status::Ok() : IoError("cannot write", path.string());
}

JsonDocumentDecoder::JsonDocumentDecoder(std::vector<Input> inputs, DecodeOptions options)
    : inputs_(std::move(inputs)), options_(std::move(options)), warnings_(options_.on_diagnostic) {}

pathbridge::Result<bool> JsonDocumentDecoder::Next(canonical::Record* out) {
  while (next_ == pending_.size()) {
    PB_ASSIGN_OR_RETURN(bool more, ReadNextDocument());
    if (!more) return false;
  }
  *out = std::move(pending_[next_++]);
  return true;
}

pathbridge::Result<bool> JsonDocumentDecoder::ReadNextDocument() {
  if (next_input_ == inputs_.size()) return false;
  const Input& input = inputs_[next_input_++];
  display_ = input.path.string();
  std::ifstream file;
  PB_ASSIGN_OR_RETURN(std::istream* in, OpenInput(input, file));
  PB_ASSIGN_OR_RETURN(boost::json::value doc,
                      ReadJsonDocument(*in, display_, kMaxJsonDocumentBytes));
  pending_.clear();
  next_ = 0;
  Status s = DecodeDocument(doc, &pending_);
  warnings_.Summarize(display_);
  if (!s.ok()) {
    pending_.clear();
    return Status(s.code(), s.message(), display_ + ":" + s.where());
  }
  for (canonical::Record& r : pending_) canonical::Base(r).source.file = display_;
  return true;
}

void JsonDocumentDecoder::Warn(std::string message, std::string pointer) {
  warnings_.Warn(std::move(message), {display_, 0, 0, std::move(pointer)});
}

void JsonDocumentEncoder::Warn(std::string message, canonical::SourceLocation where) {
  if (options_.on_diagnostic)
    options_.on_diagnostic({Diagnostic::Severity::kWarning, std::move(message), std::move(where)});
}

}  // namespace pathbridge::adapters
