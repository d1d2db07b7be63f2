// Fuzzes the sif-xml decoder (the element scanner, pugixml per object, the
// field tables) and encoder. Beyond adapter_fuzz.h's checks (the encoder
// may refuse a record with a located error): what it writes reads back as
// the same records, one for one.
#include "tests/fuzz/adapter_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge::fuzz;
  const auto& sif = Format("sif-xml");
  const FuzzOptions o{
      .input_name = "fuzz.xml", .max_record_bytes = 1 << 16, .ids = false, .may_refuse = true};
  auto first = DecodeInput(sif, Text(data, size), o);
  if (!first || first->empty()) return 0;
  auto second = EncodeDecode(sif, *first, o);
  // Demographics of a RefId seen twice merge into one student, so counts
  // are compared only where ids are unique.
  if (second && UniqueIds(*first))
    Require(second->size() == first->size(), sif.name(), "records lost or added");
  return 0;
}
