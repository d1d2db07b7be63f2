// Organization scoping: a client acts only for its own organization (a
// token for college A can never issue as college B) unless it holds the
// admin scope. Handlers call RequireOrg with the organization a request
// names (a path parameter, a body field, a credential's issuer) before
// acting on it.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "gateway/http.h"
#include "standards/status.h"

namespace pathbridge::gateway::auth {

// Ok if request.principal may act for `org`; PermissionDenied (403) if it
// belongs to another organization or there is no principal (a route that
// names an organization must be scoped).
Status RequireOrg(const Request& request, std::string_view org);

}  // namespace pathbridge::gateway::auth
