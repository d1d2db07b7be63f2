// Helpers shared by the adapter tests: decoding a whole input (or a text)
// into memory (fine for the small samples tests use), encoding records to a
// path, picking records by type, projecting records onto what a format
// carries, and the loss a translation should report.
//
// Thread-safety: pure functions; a Decoded is used by one thread.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
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
  std::vector<const T*> All() const {
    std::vector<const T*> out;
    for (const canonical::Record& r : records)
      if (auto* x = std::get_if<T>(&r)) out.push_back(x);
    return out;
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

// `text` decoded as a stream named `name`.
inline Decoded DecodeText(const Adapter& adapter, const std::string& text,
                          const std::string& name = "in.json") {
  std::istringstream in(text);
  return Decode(adapter, Input{name, &in});
}

inline Status Encode(const Adapter& adapter, const std::vector<canonical::Record>& records,
                     const std::filesystem::path& out, FormatParams params = {}) {
  auto encoder = adapter.OpenEncoder(out, {{}, std::move(params)});
  if (!encoder.ok()) return encoder.status();
  for (const auto& r : records) PB_RETURN_IF_ERROR((*encoder)->Write(r));
  return (*encoder)->Finish();
}

// The records of type T.
template <typename T>
std::vector<T> All(const std::vector<canonical::Record>& records) {
  std::vector<T> out;
  for (const auto& r : records)
    if (const auto* t = std::get_if<T>(&r)) out.push_back(*t);
  return out;
}

// The record of type T with id `id` (a test failure if there is none).
template <typename T>
T ById(const std::vector<canonical::Record>& records, std::string_view id) {
  for (const auto& r : records)
    if (const auto* t = std::get_if<T>(&r); t != nullptr && t->id == id) return *t;
  ADD_FAILURE() << "no " << T::kType << " " << id;
  return T{};
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

// The ids of the persons a students-only format (Ed-Fi, SIF) writes, by the
// rule of adapters/student_roles.h, worked out here on their own: persons
// with the student role; persons with no role that a student enrollment, a
// course result or an award names; all persons with no role when no record
// carries a role other than student.
inline std::set<std::string> StudentIds(const std::vector<canonical::Record>& records) {
  using canonical::Role;
  bool others = false;
  auto other = [](Role role) { return role != Role::kUnspecified && role != Role::kStudent; };
  std::set<std::string> named;
  for (const canonical::Record& r : records) {
    if (auto* p = std::get_if<canonical::Person>(&r)) others = others || other(p->role);
    if (auto* e = std::get_if<canonical::Enrollment>(&r)) {
      others = others || other(e->role);
      if (e->role == Role::kStudent) named.insert(e->person_id);
    }
    if (auto* c = std::get_if<canonical::CourseResult>(&r)) named.insert(c->person_id);
    if (auto* a = std::get_if<canonical::AchievementAward>(&r)) named.insert(a->person_id);
  }
  std::set<std::string> out;
  for (const canonical::Record& r : records)
    if (auto* p = std::get_if<canonical::Person>(&r))
      if (p->role == Role::kStudent ||
          (p->role == Role::kUnspecified && (!others || named.count(p->id) > 0)))
        out.insert(p->id);
  return out;
}

// Writes a OneRoster CSV bundle into `dir`: a manifest of `version` ("1.1",
// "1.2") listing each file as bulk, and the files (name without ".csv" ->
// its text). Returns `dir`.
inline std::filesystem::path WriteOneRosterBundle(const std::filesystem::path& dir,
                                                  std::string_view version,
                                                  const std::map<std::string, std::string>& files) {
  std::filesystem::create_directories(dir);
  std::string manifest = "propertyName,value\nmanifest.version,1.0\noneroster.version," +
                         std::string(version) + "\n";
  for (const auto& [name, text] : files) {
    manifest += "file." + name + ",bulk\n";
    std::ofstream(dir / (name + ".csv"), std::ios::binary) << text;
  }
  std::ofstream(dir / "manifest.csv", std::ios::binary) << manifest;
  return dir;
}

}  // namespace pathbridge::adapters
