// Fuzzes the ler-rs adapter: the strict parser, the résumé reader (with
// embedded credentials and their JSON-LD context check), then the encoder;
// see document_adapter_fuzz.h for what it checks.
#include "tests/fuzz/document_adapter_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pathbridge::fuzz::FuzzDocument("ler-rs", data, size);
  return 0;
}
