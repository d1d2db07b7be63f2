#include "standards/canonical/model.h"

#include <type_traits>

namespace pathbridge::canonical {
namespace {

// Calls fn(path, member) for every field of the record held by `r`.
template <typename R, typename Fn>
void ForEachField(R& r, Fn&& fn) {
  std::visit(
      [&](auto& rec) {
        using T = std::remove_cvref_t<decltype(rec)>;
        // One buffer per record: this runs for every field of every record
        // translated.
        std::string path(T::kType);
        path += '.';
        const size_t prefix = path.size();
        T::Fields(rec, [&](std::string_view name, auto& member) {
          path.resize(prefix);
          path += name;
          fn(path, member);
        });
      },
      r);
}

template <typename M>
bool Present(const M& m) {
  return !(m == M{});
}

// Appends the field paths of the I-th record type.
template <size_t I>
void AddPaths(std::vector<std::string>& out) {
  Record r(std::in_place_index<I>);
  ForEachField(r, [&](const std::string& path, const auto&) { out.push_back(path); });
}

}  // namespace

std::string SourceLocation::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  if (!pointer.empty()) out += (out.empty() ? "" : " ") + pointer;
  return out;
}

std::string_view RecordType(const Record& r) {
  return std::visit([](const auto& rec) { return std::remove_cvref_t<decltype(rec)>::kType; }, r);
}

const std::vector<std::string_view>& RecordTypes() {
  static const std::vector<std::string_view> kTypes = [] {
    std::vector<std::string_view> out;
    [&]<size_t... I>(std::index_sequence<I...>) {
      (out.push_back(std::variant_alternative_t<I, Record>::kType), ...);
    }(std::make_index_sequence<std::variant_size_v<Record>>());
    return out;
  }();
  return kTypes;
}

const RecordBase& Base(const Record& r) {
  return std::visit([](const auto& rec) -> const RecordBase& { return rec; }, r);
}
RecordBase& Base(Record& r) {
  return std::visit([](auto& rec) -> RecordBase& { return rec; }, r);
}

const std::vector<std::string>& AllFieldPaths() {
  static const std::vector<std::string> kPaths = [] {
    std::vector<std::string> out;
    [&]<size_t... I>(std::index_sequence<I...>) {
      (AddPaths<I>(out), ...);
    }(std::make_index_sequence<std::variant_size_v<Record>>());
    return out;
  }();
  return kPaths;
}

const std::vector<std::string>& FieldPathsOf(size_t type) {
  static const std::vector<std::vector<std::string>> kByType = [] {
    std::vector<std::vector<std::string>> out(std::variant_size_v<Record>);
    [&]<size_t... I>(std::index_sequence<I...>) {
      (AddPaths<I>(out[I]), ...);
    }(std::make_index_sequence<std::variant_size_v<Record>>());
    return out;
  }();
  return kByType.at(type);
}

std::vector<std::string> PresentFieldPaths(const Record& r) {
  std::vector<std::string> out;
  ForEachField(r, [&](const std::string& path, const auto& member) {
    if (Present(member)) out.push_back(path);
  });
  return out;
}

bool ClearField(Record& r, std::string_view path) {
  bool found = false;
  ForEachField(r, [&](const std::string& p, auto& member) {
    if (p != path) return;
    member = std::remove_cvref_t<decltype(member)>{};
    found = true;
  });
  return found;
}

}  // namespace pathbridge::canonical
