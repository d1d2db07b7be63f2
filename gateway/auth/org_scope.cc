#include "gateway/auth/org_scope.h"

#include "gateway/auth/scopes.h"

namespace pathbridge::gateway::auth {

Status RequireOrg(const Request& request, std::string_view org) {
  if (!request.principal)
    return Status(Code::kPermissionDenied, "this route needs an access token");
  if (request.principal->HasScope(kScopeAdmin) || request.principal->org == org)
    return Status::Ok();
  return Status(Code::kPermissionDenied,
                "this client may only act for its own organization");
}

}  // namespace pathbridge::gateway::auth
