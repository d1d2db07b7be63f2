// The gateway's OpenAPI 3.1 description: docs/openapi.json, embedded in the
// binary at build time (gateway/embed_file.cmake), served as
// GET /openapi.json. tests/integration/openapi_test.cc checks it against
// the routes `pathbridge serve` registers, both ways.
//
// Thread-safety: constant data.
#pragma once

#include <string_view>

namespace pathbridge::gateway {

std::string_view OpenApiDocument();

}  // namespace pathbridge::gateway
