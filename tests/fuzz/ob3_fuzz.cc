// Fuzzes the ob3 and clr2 adapters: the strict JSON parser, JSON-LD
// expansion against the bundled contexts, the credential readers, then the
// encoders. The first byte picks the format (even: ob3, odd: clr2); the
// rest is the document. Beyond adapter_fuzz.h's checks: the encoder's
// output decodes again with as many course results and awards (not always
// the same records: an OB document can hold what the model keeps apart,
// e.g. a description equal to the name, see writer.h).
#include "tests/fuzz/adapter_fuzz.h"

namespace {

size_t Credentials(const std::vector<pathbridge::canonical::Record>& records) {
  using pathbridge::fuzz::Count;
  return Count(records, "courseResult") + Count(records, "achievementAward");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge::fuzz;
  if (size == 0) return 0;
  const auto& a = Format(data[0] % 2 == 0 ? "ob3" : "clr2");
  const FuzzOptions o{
      .input_name = "fuzz.json", .output_name = "out.json", .params = {{"identity", "plain"}}};
  auto first = DecodeInput(a, Text(data + 1, size - 1), o);
  if (!first) return 0;
  auto second = EncodeDecode(a, *first, o);
  Require(Credentials(*first) == Credentials(*second), a.name(),
          "decode/encode/decode lost a credential");
  return 0;
}
