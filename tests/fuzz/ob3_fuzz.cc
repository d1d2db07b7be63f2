// Fuzzes the ob3 and clr2 adapters: the strict JSON parser, JSON-LD
// expansion against the bundled contexts, the credential readers, then the
// encoders. The first byte picks the format (even: ob3, odd: clr2); the
// rest is the document. Beyond "never crash", it checks: an error always
// names the file; every record has an id; and whatever decodes encodes,
// and the encoder's output decodes again with as many course results and
// awards (not always the same records: an OB document can hold what the
// model keeps apart, e.g. a description equal to the name, see writer.h).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/registry.h"

namespace pathbridge {
namespace {

namespace fs = std::filesystem;
using canonical::Record;

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "ob3_fuzz invariant broken: %s\n", what);
  std::abort();
}

// Records, or false on a decoding error (which must name the file).
bool DecodeAll(const adapters::Adapter& a, const adapters::Input& input, std::string_view name,
               std::vector<Record>* out) {
  auto decoder = a.OpenDecoder(input, {});
  Require(decoder.ok(), "opening a decoder failed");
  Status s = adapters::ForEachRecord(**decoder, [&](Record&& r) {
    Require(!canonical::Base(r).id.empty(), "a record without an id");
    out->push_back(std::move(r));
    return Status::Ok();
  });
  if (!s.ok()) Require(s.where().find(name) != std::string::npos, "an error that does not say where");
  return s.ok();
}

size_t Credentials(const std::vector<Record>& records) {
  size_t n = 0;
  for (const Record& r : records)
    n += std::holds_alternative<canonical::CourseResult>(r) ||
         std::holds_alternative<canonical::AchievementAward>(r);
  return n;
}

const fs::path& WorkDir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("ob3_fuzz-" + std::to_string(getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

void FuzzOpenBadges(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const adapters::Adapter& a = **adapters::FindAdapter(data[0] % 2 == 0 ? "ob3" : "clr2");
  std::string name = "fuzz.json";
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  std::vector<Record> first;
  if (!DecodeAll(a, {name, &in}, name, &first)) return;

  fs::path out = WorkDir() / "out.json";
  fs::remove_all(out);
  auto encoder = a.OpenEncoder(out, {{}, {{"identity", "plain"}}});
  Require(encoder.ok(), "opening an encoder failed");
  for (const Record& r : first) Require((*encoder)->Write(r).ok(), "writing a decoded record failed");
  Require((*encoder)->Finish().ok(), "finishing the output failed");
  std::vector<Record> second;
  Require(DecodeAll(a, {out}, out.string(), &second), "the encoder's output does not decode");
  Require(Credentials(first) == Credentials(second), "decode/encode/decode lost a credential");
  fs::remove_all(out);
}

}  // namespace
}  // namespace pathbridge

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pathbridge::FuzzOpenBadges(data, size);
  return 0;
}
