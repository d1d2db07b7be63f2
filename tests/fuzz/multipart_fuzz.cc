// Fuzzes the multipart/form-data reader (gateway/multipart.h) that the
// /verify page's form goes through. The input is the Content-Type up to the
// first newline, then the body. Invariants: an accepted body has 1 to
// max_parts parts, each named (no control characters in a name or
// filename) and each body a piece of the input; a refusal is
// kInvalidArgument at an offset into the body (or at the Content-Type).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "gateway/multipart.h"

namespace pathbridge::gateway {
namespace {

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "multipart_fuzz invariant broken: %s\n", what);
  std::abort();
}

bool Printable(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

void CheckRefused(const Status& s) {
  Require(s.code() == Code::kInvalidArgument, "a refusal that is not kInvalidArgument");
  Require(s.where().starts_with("offset ") || s.where() == "Content-Type", "a refusal without its place");
}

}  // namespace
}  // namespace pathbridge::gateway

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge::gateway;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view type = in.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  auto boundary = FormDataBoundary(type);
  if (!boundary.ok()) return CheckRefused(boundary.status()), 0;
  Require(!boundary->empty() && boundary->size() <= 70, "a boundary out of bounds");
  MultipartLimits limits;
  auto parts = ParseFormData(body, *boundary, limits);
  if (!parts.ok()) return CheckRefused(parts.status()), 0;
  Require(!parts->empty() && parts->size() <= limits.max_parts, "a part count out of bounds");
  for (const FormPart& p : *parts) {
    Require(!p.name.empty() && Printable(p.name), "a bad part name");
    Require(!p.filename || Printable(*p.filename), "a bad filename");
    Require(body.find(p.body) != std::string_view::npos, "a part body not from the input");
  }
  return 0;
}
