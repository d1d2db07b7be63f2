// Fuzzes canonical::RecordFromBytes (standards/canonical/record_bytes.h),
// which reads back what encoders put in their temp files. Beyond "never
// crash" (a temp file can be truncated or damaged on disk), it checks the
// round trip: bytes it accepts describe a record whose bytes read back to a
// record with the same bytes (compared as bytes: a NaN credit is not equal
// to itself), and reading into a reused record of its type gives the same.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "standards/canonical/record_bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge::canonical;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto r = RecordFromBytes(bytes);
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
  // Read into one reused record per type (as encoders do), it must give
  // the same bytes: nothing of an earlier input may be left over.
  static std::map<size_t, Record> reused;
  std::string typed;
  bool read = std::visit(
      [&](const auto& rec) {
        using T = std::decay_t<decltype(rec)>;
        Record& slot = reused.try_emplace(r->index(), T{}).first->second;
        T* into = std::get_if<T>(&slot);
        if (!RecordFromBytes(bytes, into).ok()) return false;
        AppendRecordBytes(*into, &typed);
        return true;
      },
      *r);
  if (!read || typed != again) {
    std::fprintf(stderr, "record_bytes_fuzz: reading into a reused record differs\n");
    std::abort();
  }
  return 0;
}
