// The shared body of the adapter fuzz targets: the input is decoded (read
// as a stream with a file name), what decodes is encoded, and the output
// decoded again. Beyond "never crash", it checks that a decoding error says
// where (its location starts with the input's name), that records have ids
// (where the format gives every record one), that the encoder takes
// whatever decoded (or, where a target allows it, refuses a record with a
// located error), and that its output decodes (unless it holds no records:
// a folder of no documents is no input). Each target adds what must hold
// between the two decodes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/serialize.hpp>

#include "adapters/edfi_json/record_json.h"
#include "adapters/registry.h"
#include "tests/testing/test_util.h"

namespace pathbridge::fuzz {

using canonical::Record;

inline void Require(bool ok, std::string_view format, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "%.*s fuzz invariant broken: %s\n", static_cast<int>(format.size()),
               format.data(), what);
  std::abort();
}

inline const adapters::Adapter& Format(std::string_view name) {
  return **adapters::FindAdapter(name);
}

inline std::string_view Text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

struct FuzzOptions {
  std::string input_name{};           // the file name the input is read as
  size_t max_record_bytes = 1 << 20;  // the decoder's limit
  bool ids = true;                    // every record has an id
  std::string output_name = "out";    // what the encoder writes, in a temp folder
  adapters::FormatParams params{};    // the encoder's
  // The encoder may refuse a record (on Write, or on Finish where it joins
  // records at its end) with a located error.
  bool may_refuse = false;
};

// The records of `input` (or of the file `input` names, when `stream` is
// null); nullopt on a decoding error.
inline std::optional<std::vector<Record>> DecodeAll(const adapters::Adapter& a,
                                                    const adapters::Input& input,
                                                    const FuzzOptions& o) {
  adapters::DecodeOptions options;
  options.max_record_bytes = o.max_record_bytes;
  auto decoder = a.OpenDecoder(input, options);
  Require(decoder.ok(), a.name(), "opening a decoder failed");
  std::vector<Record> out;
  Status s = adapters::ForEachRecord(**decoder, [&](Record&& r) {
    Require(!o.ids || !canonical::Base(r).id.empty(), a.name(), "a record without an id");
    out.push_back(std::move(r));
    return Status::Ok();
  });
  if (s.ok()) return out;
  Require(s.where().starts_with(input.path.string()), a.name(), "an error that does not say where");
  return std::nullopt;
}

// The records of `text` read as o.input_name; nullopt on a decoding error.
inline std::optional<std::vector<Record>> DecodeInput(const adapters::Adapter& a,
                                                      std::string_view text,
                                                      const FuzzOptions& o) {
  std::istringstream in{std::string(text)};
  return DecodeAll(a, {o.input_name, &in}, o);
}

// `records` encoded into a fresh o.output_name and decoded back; nullopt
// where the encoder refused a record, as it came or at the end (only with
// o.may_refuse).
inline std::optional<std::vector<Record>> EncodeDecode(const adapters::Adapter& a,
                                                       const std::vector<Record>& records,
                                                       const FuzzOptions& o) {
  static const testing::TempDir dir;
  const std::filesystem::path out = dir.path() / o.output_name;
  std::filesystem::remove_all(out);
  auto encoder = a.OpenEncoder(out, {{}, o.params});
  Require(encoder.ok(), a.name(), "opening an encoder failed");
  for (const Record& r : records) {
    Status s = (*encoder)->Write(r);
    if (s.ok()) continue;
    Require(o.may_refuse && !s.where().empty(), a.name(), "writing a decoded record failed");
    return std::nullopt;
  }
  // An encoder that joins records at its end (SIF's students) may refuse
  // one only then; it must still say where, and leave no output.
  if (Status s = (*encoder)->Finish(); !s.ok()) {
    Require(o.may_refuse && !s.where().empty(), a.name(), "finishing the output failed");
    Require(!std::filesystem::exists(out), a.name(), "a refused output was left behind");
    return std::nullopt;
  }
  auto second = DecodeAll(a, {out}, o);
  Require(second.has_value() || records.empty(), a.name(), "the encoder's output does not decode");
  std::filesystem::remove_all(out);
  return second.value_or(std::vector<Record>{});
}

// Decodes, encodes and decodes again, for a target with no check of its own.
inline void FuzzRoundTrip(std::string_view format, std::string_view text, const FuzzOptions& o) {
  const adapters::Adapter& a = Format(format);
  if (auto first = DecodeInput(a, text, o)) EncodeDecode(a, *first, o);
}

// How many of `records` are of `type`.
inline size_t Count(const std::vector<Record>& records, std::string_view type) {
  return std::count_if(records.begin(), records.end(),
                       [&](const Record& r) { return canonical::RecordType(r) == type; });
}

// Whether no two records have the same type and id.
inline bool UniqueIds(const std::vector<Record>& records) {
  std::set<std::string> seen;
  for (const Record& r : records)
    if (!seen.insert(std::string(canonical::RecordType(r)) + " " + canonical::Base(r).id).second)
      return false;
  return true;
}

// Records in a comparable order, as text.
inline std::vector<std::string> Sorted(const std::vector<Record>& records) {
  std::vector<std::string> out;
  for (const Record& r : records)
    out.push_back(boost::json::serialize(adapters::edfi_json::RecordToJson(r)));
  std::sort(out.begin(), out.end());
  return out;
}

// Requires that `second` holds the same records as `first` (in any order);
// otherwise prints the records only one side has, then aborts.
inline void RequireSameRecords(const std::vector<Record>& first, const std::vector<Record>& second,
                               std::string_view format) {
  std::vector<std::string> a = Sorted(first), b = Sorted(second);
  if (a == b) return;
  std::vector<std::string> only_first, only_second;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_first));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_second));
  for (const std::string& r : only_first) std::fprintf(stderr, "first only:  %s\n", r.c_str());
  for (const std::string& r : only_second) std::fprintf(stderr, "second only: %s\n", r.c_str());
  Require(false, format, "decode/encode/decode changed the records");
}

}  // namespace pathbridge::fuzz
