// Fuzzes the pesc-college-xml decoder (UTF-16 detection, the element
// scanner with batch descent, pugixml per transcript, the transcript
// reader) and encoder. Beyond "never crash", it checks: an error always
// says where (fuzz.xml:line:column); whatever the decoder accepts, the
// encoder writes, and what it writes reads back with as many students and
// course results.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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
  std::fprintf(stderr, "pesc_xml_fuzz invariant broken: %s\n", what);
  std::abort();
}

bool DecodeAll(const Adapter& pesc, const adapters::Input& input, std::vector<Record>* out,
               Status* error) {
  adapters::DecodeOptions options;
  options.max_record_bytes = 1 << 16;
  auto decoder = pesc.OpenDecoder(input, options);
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

size_t Count(const std::vector<Record>& records, std::string_view type) {
  size_t n = 0;
  for (const Record& r : records) n += canonical::RecordType(r) == type;
  return n;
}

void FuzzPesc(const std::string& text) {
  const Adapter& pesc = **adapters::FindAdapter("pesc-college-xml");
  std::istringstream in(text);
  std::vector<Record> first;
  Status error;
  if (!DecodeAll(pesc, {"fuzz.xml", &in}, &first, &error)) {
    Require(error.where().rfind("fuzz.xml:", 0) == 0, "a decode error without a location");
    return;
  }
  if (first.empty()) return;
  testing::TempDir tmp;
  auto encoder = pesc.OpenEncoder(tmp.path() / "out.xml", {});
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
  Require(DecodeAll(pesc, {tmp.path() / "out.xml", nullptr}, &second, &error),
          "the encoder's output does not read back");
  // Students with the same id merge into one transcript.
  Require(Count(second, "person") <= Count(first, "person"), "students added");
  Require(Count(second, "courseResult") == Count(first, "courseResult") ||
              Count(second, "person") < Count(first, "person"),
          "course results lost or added");
}

}  // namespace
}  // namespace pathbridge

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pathbridge::FuzzPesc(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
