// Fuzzes the oneroster-json decoder (the streaming scanner, json::Parse of
// each element, the bindings). Beyond "never crash", it checks: an error
// always says where (name:line:column); and every record decoded, encoded
// by its collection's binding, serialized and decoded again, is the same
// record (decode -> encode -> decode is lossless for what JSON carries).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include <boost/json/serialize.hpp>

#include "adapters/oneroster_json/bindings.h"
#include "adapters/registry.h"
#include "standards/json.h"

namespace pathbridge {
namespace {

using adapters::oneroster_json::Collection;
using adapters::oneroster_json::Collections;

// For the report of a broken invariant.
const std::string* g_input = nullptr;
const std::string* g_encoded = nullptr;

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "oneroster_json_fuzz invariant broken: %s\ninput: %s\nencoded: %s\n", what,
               g_input->c_str(), g_encoded != nullptr ? g_encoded->c_str() : "");
  std::abort();
}

void CheckRoundTrip(const canonical::Record& record) {
  auto ignore = [](std::string, std::string) {};
  for (const Collection* c : Collections()) {
    if (!c->Holds(record)) continue;
    std::string text = boost::json::serialize(c->Encode(record, ignore));
    auto parsed = json::Parse(text);
    g_encoded = &text;
    Require(parsed.ok() && parsed->is_object(), "the encoder wrote invalid JSON");
    canonical::Record again;
    Require(c->Decode(parsed->get_object(), &again, ignore).ok(), "an encoded record does not decode");
    Require(again == record, "decode -> encode -> decode changed the record");
    return;
  }
  Require(false, "a decoded record no collection holds");
}

void FuzzOneRosterJson(const std::string& in) {
  static const adapters::Adapter* adapter = *adapters::FindAdapter("oneroster-json");
  g_input = &in;
  g_encoded = nullptr;
  std::istringstream stream(in);
  adapters::DecodeOptions options;
  options.max_record_bytes = 4096;
  auto decoder = adapter->OpenDecoder({"fuzz.json", &stream}, options);
  Require(decoder.ok(), "a stream does not open");
  canonical::Record record;
  while (true) {
    auto next = (*decoder)->Next(&record);
    if (!next.ok()) {
      Require(next.status().where().rfind("fuzz.json:", 0) == 0, "an error without a location");
      return;
    }
    if (!*next) return;
    CheckRoundTrip(record);
  }
}

}  // namespace
}  // namespace pathbridge

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pathbridge::FuzzOneRosterJson(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
