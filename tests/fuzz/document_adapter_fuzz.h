// The body of the fuzz targets of the single-document JSON adapters
// (ler_rs_fuzz, ctdl_fuzz): the input is one document. Beyond "never
// crash", it checks that an error names the input, that every record has an
// id, and that whatever decodes encodes, and the encoder's output decodes.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/registry.h"

namespace pathbridge::fuzz {

inline void Require(bool ok, const char* format, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "%s fuzz invariant broken: %s\n", format, what);
  std::abort();
}

// Records, or false on a decoding error (which must name the input).
inline bool DecodeAll(const adapters::Adapter& a, const adapters::Input& input,
                      const std::string& name, std::vector<canonical::Record>* out) {
  auto decoder = a.OpenDecoder(input, {});
  Require(decoder.ok(), a.name().data(), "opening a decoder failed");
  Status s = adapters::ForEachRecord(**decoder, [&](canonical::Record&& r) {
    Require(!canonical::Base(r).id.empty(), a.name().data(), "a record without an id");
    out->push_back(std::move(r));
    return Status::Ok();
  });
  if (!s.ok())
    Require(s.where().find(name) != std::string::npos, a.name().data(),
            "an error that does not say where");
  return s.ok();
}

inline void FuzzDocument(std::string_view format, const uint8_t* data, size_t size) {
  const adapters::Adapter& a = **adapters::FindAdapter(format);
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<canonical::Record> first;
  if (!DecodeAll(a, {"in.json", &in}, "in.json", &first)) return;

  static const std::filesystem::path dir = [&] {
    auto d = std::filesystem::temp_directory_path() /
             (std::string(format) + "_fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  std::filesystem::path out = dir / "out";
  std::filesystem::remove_all(out);
  auto encoder = a.OpenEncoder(out, {});
  Require(encoder.ok(), a.name().data(), "opening an encoder failed");
  for (const auto& r : first)
    Require((*encoder)->Write(r).ok(), a.name().data(), "writing a decoded record failed");
  Require((*encoder)->Finish().ok(), a.name().data(), "finishing the output failed");
  std::vector<canonical::Record> second;
  Require(DecodeAll(a, {out}, out.string(), &second) || first.empty(), a.name().data(),
          "the encoder's output does not decode");
  std::filesystem::remove_all(out);
}

}  // namespace pathbridge::fuzz
