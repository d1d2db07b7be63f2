#include "adapters/registry.h"

namespace pathbridge::adapters {

std::vector<FormatInfo> RegisteredFormats() { return {}; }

}  // namespace pathbridge::adapters
