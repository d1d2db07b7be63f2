// Fuzzes the ctdl adapter: the strict parser, resources, @graph documents,
// envelopes and arrays, then the encoder; see adapter_fuzz.h for what it
// checks.
#include "tests/fuzz/adapter_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge::fuzz;
  FuzzRoundTrip("ctdl", Text(data, size), {.input_name = "in.json"});
  return 0;
}
