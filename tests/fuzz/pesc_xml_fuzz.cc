// Fuzzes the pesc-college-xml decoder (UTF-16 detection, the element
// scanner with batch descent, pugixml per transcript, the transcript
// reader) and encoder. Beyond adapter_fuzz.h's checks (the encoder may
// refuse a record with a located error): what it writes reads back with as
// many students and course results.
#include "tests/fuzz/adapter_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge::fuzz;
  const auto& pesc = Format("pesc-college-xml");
  const FuzzOptions o{.input_name = "fuzz.xml", .max_record_bytes = 1 << 16, .ids = false,
                      .output_name = "out.xml", .may_refuse = true};
  auto first = DecodeInput(pesc, Text(data, size), o);
  if (!first || first->empty()) return 0;
  auto second = EncodeDecode(pesc, *first, o);
  if (!second) return 0;
  // Students with the same id merge into one transcript.
  size_t persons = Count(*first, "person"), persons_back = Count(*second, "person");
  Require(persons_back <= persons, pesc.name(), "students added");
  Require(Count(*second, "courseResult") == Count(*first, "courseResult") || persons_back < persons,
          pesc.name(), "course results lost or added");
  return 0;
}
