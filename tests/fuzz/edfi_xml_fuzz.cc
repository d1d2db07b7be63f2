// Fuzzes the edfi-xml adapter: the element scanner, pugixml per element,
// the XML <-> API object conversion (schema.h) and the shared Ed-Fi engine,
// then the encoder. The input is one interchange document. Beyond
// adapter_fuzz.h's checks: whatever decodes (with ids unique per record
// type), encoded and decoded again, gives the same records.
#include "tests/fuzz/adapter_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge::fuzz;
  const auto& edfi = Format("edfi-xml");
  const FuzzOptions o{.input_name = "Interchange-fuzz.xml", .max_record_bytes = 1 << 16};
  auto first = DecodeInput(edfi, Text(data, size), o);
  if (!first || !UniqueIds(*first)) return 0;
  auto second = EncodeDecode(edfi, *first, o);
  RequireSameRecords(*first, *second, edfi.name());
  return 0;
}
