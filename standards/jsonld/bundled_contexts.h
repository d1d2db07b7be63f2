// The context documents embedded at build time (generated from
// standards/contexts/bundled.txt by standards/contexts/embed.cmake).
//
// Thread-safety: constant data.
#pragma once

#include <cstddef>

namespace pathbridge::jsonld::internal {

struct BundledContext {
  const char* url;
  const char* file;    // path under standards/contexts/
  const char* sha256;  // lower-case hex of the bytes, pinned at build time
  const unsigned char* data;
  size_t size;
};

extern const BundledContext kBundledContexts[];
extern const size_t kBundledContextCount;

}  // namespace pathbridge::jsonld::internal
