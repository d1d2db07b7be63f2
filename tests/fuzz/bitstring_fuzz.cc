// Fuzzes the status list decoder: the input as an encodedList (text), and
// as the GZIP bytes inside one (so mutations reach the inflater, not just the
// base64url check). Invariants: errors are kInvalidArgument, or
// kResourceExhausted for the inflate limit; whatever decodes stays within
// the limit and round-trips through Encode. Seeds: the spec example and the
// derived vector of /work/shared/vectors/ledger/bitstring-status-list-
// vectors.json, and GZIP members made with Python's gzip module.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ledger/credentials/bitstring.h"
#include "standards/multibase.h"

namespace {

using namespace pathbridge;
using namespace pathbridge::credentials;

void Check(bool ok) {
  if (!ok) std::abort();
}

// Small limits keep each run fast; a list may be as short as 8 bits.
constexpr DecodeLimits kLimits{0, 1u << 20};

void FuzzDecode(std::string_view encoded) {
  auto bits = Decode(encoded, kLimits);
  if (!bits.ok()) {
    const Code code = bits.status().code();
    Check(code == Code::kInvalidArgument || code == Code::kResourceExhausted);
    return;
  }
  Check(bits->bytes().size() <= kLimits.max_bytes);
  auto again = bits->Encode();
  Check(again.ok());
  auto back = Decode(*again, kLimits);
  Check(back.ok() && back->bytes() == bits->bytes());
  // The default limits only ever refuse more.
  auto strict = Decode(encoded);
  Check(!strict.ok() || strict->bytes() == bits->bytes());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan bytes(data, size);
  FuzzDecode(AsChars(bytes));
  FuzzDecode(MultibaseEncode(Multibase::kBase64Url, bytes));
  return 0;
}
