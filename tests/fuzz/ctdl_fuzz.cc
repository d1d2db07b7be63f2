// Fuzzes the ctdl adapter: the strict parser, resources, @graph documents,
// envelopes and arrays, then the encoder; see document_adapter_fuzz.h for
// what it checks.
#include "tests/fuzz/document_adapter_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pathbridge::fuzz::FuzzDocument("ctdl", data, size);
  return 0;
}
