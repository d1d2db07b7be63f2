// The adapter registry: how the CLI and gateway discover wire formats.
// Adapters arrive with the adapters issues; the registry exists now so that
// `pathbridge formats` and the gateway have one place to ask.
//
// Thread-safety: read-only after static initialisation.
#pragma once

#include <string>
#include <vector>

namespace pathbridge::adapters {

struct FormatInfo {
  std::string name;        // e.g. "oneroster-csv"
  std::string media_type;  // e.g. "text/csv"
};

// The formats compiled into this build, in a stable order.
std::vector<FormatInfo> RegisteredFormats();

}  // namespace pathbridge::adapters
