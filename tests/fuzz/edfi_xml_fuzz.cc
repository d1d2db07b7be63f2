// Fuzzes the edfi-xml adapter: the element scanner, pugixml per element,
// the XML <-> API object conversion (schema.h) and the shared Ed-Fi engine,
// then the encoder. The input is one interchange document. Beyond "never
// crash", it checks: an error always names the file; every record has an
// id; and whatever decodes (with ids unique per record type), encoded and
// decoded again, gives the same records.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "adapters/edfi_json/record_json.h"
#include "adapters/registry.h"

namespace pathbridge {
namespace {

namespace fs = std::filesystem;
using canonical::Record;

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "edfi_xml_fuzz invariant broken: %s\n", what);
  std::abort();
}

const adapters::Adapter& EdFi() { return **adapters::FindAdapter("edfi-xml"); }

// Records, or false on a decoding error (which must name the file).
bool DecodeAll(const adapters::Input& input, std::string_view name, std::vector<Record>* out) {
  adapters::DecodeOptions options;
  options.max_record_bytes = 1 << 16;
  auto decoder = EdFi().OpenDecoder(input, options);
  Require(decoder.ok(), "opening a decoder failed");
  Status s = adapters::ForEachRecord(**decoder, [&](Record&& r) {
    Require(!canonical::Base(r).id.empty(), "a record without an id");
    out->push_back(std::move(r));
    return Status::Ok();
  });
  if (!s.ok()) Require(s.where().find(name) != std::string::npos, "an error that does not say where");
  return s.ok();
}

// Records in a comparable order, as text.
std::vector<std::string> Sorted(const std::vector<Record>& records) {
  std::vector<std::string> out;
  for (const Record& r : records)
    out.push_back(boost::json::serialize(adapters::edfi_json::RecordToJson(r)));
  std::sort(out.begin(), out.end());
  return out;
}

bool UniqueIds(const std::vector<Record>& records) {
  std::set<std::string> seen;
  for (const Record& r : records)
    if (!seen.insert(std::string(canonical::RecordType(r)) + " " + canonical::Base(r).id).second)
      return false;
  return true;
}

const fs::path& WorkDir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("edfi_xml_fuzz-" + std::to_string(getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

void FuzzEdFiXml(const uint8_t* data, size_t size) {
  std::string name = "Interchange-fuzz.xml";
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<Record> first;
  if (!DecodeAll({name, &in}, name, &first) || !UniqueIds(first)) return;

  fs::path out = WorkDir() / "out";
  fs::remove_all(out);
  auto encoder = EdFi().OpenEncoder(out, {});
  Require(encoder.ok(), "opening an encoder failed");
  for (const Record& r : first) Require((*encoder)->Write(r).ok(), "writing a decoded record failed");
  Require((*encoder)->Finish().ok(), "finishing the output failed");
  std::vector<Record> second;
  Require(DecodeAll({out}, out.string(), &second), "the encoder's output does not decode");
  Require(Sorted(first) == Sorted(second), "decode/encode/decode changed the records");
  fs::remove_all(out);
}

}  // namespace
}  // namespace pathbridge

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pathbridge::FuzzEdFiXml(data, size);
  return 0;
}
