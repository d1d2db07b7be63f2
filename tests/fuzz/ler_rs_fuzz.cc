// Fuzzes the ler-rs adapter: the strict parser, the résumé reader (with
// embedded credentials and their JSON-LD context check), then the encoder;
// see adapter_fuzz.h for what it checks.
#include "tests/fuzz/adapter_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge::fuzz;
  FuzzRoundTrip("ler-rs", Text(data, size), {.input_name = "in.json"});
  return 0;
}
