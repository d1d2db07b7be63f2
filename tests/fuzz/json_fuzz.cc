// Fuzzes the strict JSON reader, JCS and the multibase decoders. Beyond
// "never crash", it checks the invariants signatures depend on: anything
// the reader accepts canonicalizes; the canonical text parses again and
// canonicalizes to the same bytes (JCS is idempotent); and multibase
// decoding is strict, so what decodes re-encodes to the same text. And the
// fast writer (json_write.h) writes what boost::json::serialize does.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/json/serialize.hpp>

#include "standards/jcs.h"
#include "standards/json.h"
#include "standards/json_write.h"
#include "standards/multibase.h"

namespace pathbridge {
namespace {

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "json_fuzz invariant broken: %s\n", what);
  std::abort();
}

void FuzzJson(std::string_view in) {
  auto value = json::Parse(in);
  if (!value.ok()) {
    Require(!value.status().where().empty(), "a parse error without a location");
    return;
  }
  static json::JsonWriter* writer = new json::JsonWriter;
  Require(writer->Write(*value) == boost::json::serialize(*value),
          "JsonWriter differs from serialize");
  auto canonical = jcs::Canonicalize(*value);
  Require(canonical.ok(), "JCS rejected a value the strict reader accepted");
  auto again = json::Parse(*canonical);
  Require(again.ok(), "the canonical form does not parse");
  auto twice = jcs::Canonicalize(*again);
  Require(twice.ok() && *twice == *canonical, "JCS is not idempotent");
}

void FuzzMultibase(std::string_view in) {
  auto bytes = MultibaseDecode(in);
  if (bytes.ok()) {
    Require(MultibaseEncode(static_cast<Multibase>(in.front()), *bytes) == in,
            "multibase decode/encode round trip");
  }
  auto raw = Base58BtcDecode(in);
  if (raw.ok()) Require(Base58BtcEncode(*raw) == in, "base58btc decode/encode round trip");
}

}  // namespace
}  // namespace pathbridge

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  pathbridge::FuzzJson(in);
  pathbridge::FuzzMultibase(in);
  return 0;
}
