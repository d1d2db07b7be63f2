#include "adapters/adapter.h"

#include <fstream>

namespace pathbridge::adapters {

std::string Diagnostic::ToString() const {
  std::string out = where.ToString();
  if (!out.empty()) out += ": ";
  out += severity == Severity::kWarning ? "warning: " : "note: ";
  out += message;
  return out;
}

void Capabilities::Add(std::string_view path) {
  std::string_view type = path.substr(0, path.find('.'));
  by_type_[std::string(type)].insert(std::string(path));
  paths_.emplace(path);
}

bool Capabilities::CarriesType(std::string_view record_type) const {
  return by_type_.contains(record_type);  // a dozen types: the tree is as quick
}

bool Capabilities::Carries(std::string_view path) const { return paths_.contains(path); }

pathbridge::Result<bool> IsFolder(const Input& input) {
  if (input.stream != nullptr) return false;
  std::error_code ec;
  if (std::filesystem::is_directory(input.path, ec)) return true;
  if (!std::filesystem::exists(input.path, ec))
    return NotFound("no such file or folder", input.path.string());
  return false;
}

pathbridge::Result<std::istream*> OpenInput(const Input& input, std::ifstream& file) {
  if (input.stream != nullptr) return input.stream;
  file.open(input.path, std::ios::binary);
  if (!file.is_open()) return IoError("cannot open", input.path.string());
  return &file;
}

Status ForEachRecord(Decoder& decoder, const std::function<Status(canonical::Record&&)>& fn) {
  canonical::Record scratch;
  canonical::Record* record = nullptr;
  while (true) {
    PB_ASSIGN_OR_RETURN(bool more, decoder.NextView(&scratch, &record));
    if (!more) return Status::Ok();
    PB_RETURN_IF_ERROR(fn(std::move(*record)));
  }
}

}  // namespace pathbridge::adapters
