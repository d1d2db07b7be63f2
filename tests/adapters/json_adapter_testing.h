// Helpers for the tests of the single-document JSON adapters (ler-rs,
// ctdl): decode a file, folder or text with its diagnostics, encode records
// to a path, and pick records by type.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/registry.h"
#include "standards/canonical/model.h"

namespace pathbridge::adapters::testing_json {

struct Decoded {
  Status status;
  std::vector<canonical::Record> records;
  std::vector<Diagnostic> diagnostics;
  std::string Diags() const {
    std::string out;
    for (const auto& d : diagnostics) out += d.ToString() + "\n";
    return out;
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

inline Decoded DecodeText(const Adapter& adapter, const std::string& text,
                          const std::string& name = "in.json") {
  std::istringstream in(text);
  return Decode(adapter, {name, &in});
}

inline Status Encode(const Adapter& adapter, const std::vector<canonical::Record>& records,
                     const std::filesystem::path& out) {
  auto encoder = adapter.OpenEncoder(out, {});
  if (!encoder.ok()) return encoder.status();
  for (const auto& r : records) PB_RETURN_IF_ERROR((*encoder)->Write(r));
  return (*encoder)->Finish();
}

template <typename T>
std::vector<T> All(const std::vector<canonical::Record>& records) {
  std::vector<T> out;
  for (const auto& r : records)
    if (const auto* t = std::get_if<T>(&r)) out.push_back(*t);
  return out;
}

template <typename T>
T ById(const std::vector<canonical::Record>& records, std::string_view id) {
  for (const auto& r : records)
    if (const auto* t = std::get_if<T>(&r); t != nullptr && t->id == id) return *t;
  ADD_FAILURE() << "no " << T::kType << " " << id;
  return T{};
}

}  // namespace pathbridge::adapters::testing_json
