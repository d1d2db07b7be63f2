// Fuzzes canonical::RecordFromBytes (standards/canonical/record_bytes.h),
// which reads back what encoders put in their temp files. Beyond "never
// crash" (a temp file can be truncated or damaged on disk), it checks the
// round trip: bytes it accepts describe a record whose bytes read back to a
// record with the same bytes (compared as bytes: a NaN credit is not equal
// to itself).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "standards/canonical/record_bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge::canonical;
  auto r = RecordFromBytes(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!r.ok()) return 0;
  std::string again;
  AppendRecordBytes(*r, &again);
  auto back = RecordFromBytes(again);
  std::string twice;
  if (back.ok()) AppendRecordBytes(*back, &twice);
  if (!back.ok() || twice != again) {
    std::fprintf(stderr, "record_bytes_fuzz: an accepted record does not round-trip\n");
    std::abort();
  }
  return 0;
}
