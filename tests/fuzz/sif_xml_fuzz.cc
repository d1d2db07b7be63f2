// Fuzzes the sif-xml decoder (the element scanner, pugixml per object, the
// field tables) and encoder. Beyond "never crash", it checks: an error
// always says where (fuzz.xml:line:column); whatever the decoder accepts,
// the encoder either writes or refuses with a located error, and what it
// writes reads back as the same records, one for one.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/registry.h"
#include "tests/testing/test_util.h"

namespace pathbridge {
namespace {

using adapters::Adapter;
using canonical::Record;

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "sif_xml_fuzz invariant broken: %s\n", what);
  std::abort();
}

bool DecodeAll(const Adapter& sif, const adapters::Input& input, std::vector<Record>* out,
               Status* error) {
  adapters::DecodeOptions options;
  options.max_record_bytes = 1 << 16;
  auto decoder = sif.OpenDecoder(input, options);
  if (!decoder.ok()) {
    *error = decoder.status();
    return false;
  }
  *error = adapters::ForEachRecord(**decoder, [&](Record&& r) {
    out->push_back(std::move(r));
    return Status::Ok();
  });
  return error->ok();
}

void FuzzSif(const std::string& text) {
  const Adapter& sif = **adapters::FindAdapter("sif-xml");
  std::istringstream in(text);
  std::vector<Record> first;
  Status error;
  if (!DecodeAll(sif, {"fuzz.xml", &in}, &first, &error)) {
    Require(error.where().rfind("fuzz.xml:", 0) == 0, "a decode error without a location");
    return;
  }
  if (first.empty()) return;
  testing::TempDir tmp;
  auto encoder = sif.OpenEncoder(tmp.path() / "out", {});
  Require(encoder.ok(), "cannot open the encoder");
  Status s;
  for (const Record& r : first)
    if (s.ok()) s = (*encoder)->Write(r);
  if (!s.ok()) {
    Require(!s.where().empty(), "an encode error without a location");
    return;
  }
  Require((*encoder)->Finish().ok(), "the encoder cannot finish");
  std::vector<Record> second;
  Require(DecodeAll(sif, {tmp.path() / "out", nullptr}, &second, &error),
          "the encoder's output does not read back");
  // Demographics of a RefId seen twice merge into one student, so compare
  // counts only where ids are unique.
  std::set<std::string> ids;
  for (const Record& r : first) ids.insert(std::string(canonical::RecordType(r)) + canonical::Base(r).id);
  if (ids.size() == first.size()) Require(second.size() == first.size(), "records lost or added");
}

}  // namespace
}  // namespace pathbridge

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pathbridge::FuzzSif(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
