// Helpers shared by the adapter tests: decoding a whole input into memory
// (fine for the small samples tests use), projecting records onto what a
// format carries, and the loss a translation should report.
//
// Thread-safety: pure functions; a Decoded is used by one thread.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/serialize.hpp>

#include "adapters/adapter.h"
#include "adapters/edfi_json/record_json.h"
#include "adapters/translate.h"

namespace pathbridge::canonical {
// Readable records in failure messages.
inline void PrintTo(const Record& r, std::ostream* os) {
  *os << boost::json::serialize(adapters::edfi_json::RecordToJson(r));
}
}  // namespace pathbridge::canonical

namespace pathbridge::adapters {

// Everything a decoder produced: the records, the diagnostics, and the
// status that ended it.
struct Decoded {
  Status status;
  std::vector<canonical::Record> records;
  std::vector<Diagnostic> diagnostics;
  std::string Diags() const {
    std::string out;
    for (const auto& d : diagnostics) out += d.ToString() + "\n";
    return out;
  }
  // Whether some diagnostic contains `text`.
  bool Has(std::string_view text) const {
    for (const auto& d : diagnostics)
      if (d.ToString().find(text) != std::string::npos) return true;
    return false;
  }
  template <typename T>
  const T* Find(std::string_view id) const {
    for (const canonical::Record& r : records)
      if (auto* x = std::get_if<T>(&r); x && x->id == id) return x;
    return nullptr;
  }
  template <typename T>
  size_t Count() const {
    size_t n = 0;
    for (const canonical::Record& r : records) n += std::holds_alternative<T>(r);
    return n;
  }
};

inline Decoded Decode(const Adapter& adapter, const Input& input) {
  Decoded d;
  DecodeOptions options{[&](const Diagnostic& diag) { d.diagnostics.push_back(diag); }};
  auto decoder = adapter.OpenDecoder(input, options);
  if (!decoder.ok()) {
    d.status = decoder.status();
    return d;
  }
  d.status = ForEachRecord(**decoder, [&](canonical::Record&& r) {
    d.records.push_back(std::move(r));
    return Status::Ok();
  });
  return d;
}

inline Decoded Decode(const Adapter& adapter, const std::filesystem::path& path) {
  return Decode(adapter, Input{path});
}

// The record as a format can carry it.
inline canonical::Record Project(canonical::Record r, const Capabilities& caps) {
  for (const std::string& path : canonical::PresentFieldPaths(r))
    if (!caps.Carries(path)) canonical::ClearField(r, path);
  return r;
}

// The field paths both `a` and `b` carry.
inline Capabilities Intersection(const Capabilities& a, const Capabilities& b) {
  Capabilities both;
  for (const auto& [type, paths] : a.by_type())
    for (const auto& p : paths)
      if (b.Carries(p)) both.Add(p);
  return both;
}

// Records by type and id (formats order records differently).
inline std::map<std::string, canonical::Record> ById(const std::vector<canonical::Record>& records) {
  std::map<std::string, canonical::Record> out;
  for (const canonical::Record& r : records)
    out.emplace(std::string(canonical::RecordType(r)) + " " + canonical::Base(r).id, r);
  return out;
}

// What the loss report should name for `records` translated to `target`:
// field path (or record type, for records it drops) -> how many records.
inline std::map<std::string, uint64_t> ExpectedLossCounts(
    const std::vector<canonical::Record>& records, const Capabilities& target) {
  std::map<std::string, uint64_t> lost;
  for (const canonical::Record& r : records) {
    std::string type(canonical::RecordType(r));
    if (!target.CarriesType(type)) {
      ++lost[type];
      continue;
    }
    for (const auto& p : canonical::PresentFieldPaths(r))
      if (!target.Carries(p)) ++lost[p];
  }
  return lost;
}

inline std::set<std::string> ExpectedLoss(const std::vector<canonical::Record>& records,
                                          const Capabilities& target) {
  std::set<std::string> out;
  for (const auto& [path, n] : ExpectedLossCounts(records, target)) out.insert(path);
  return out;
}

inline std::map<std::string, uint64_t> ReportedCounts(const LossReport& report) {
  std::map<std::string, uint64_t> out;
  for (const auto& [path, loss] : report.lost) out[path] = loss.records;
  return out;
}

inline std::set<std::string> Reported(const LossReport& report) {
  std::set<std::string> out;
  for (const auto& [path, loss] : report.lost) out.insert(path);
  return out;
}

}  // namespace pathbridge::adapters
