// The request bodies of the W3C VC API routes (credential_routes.h), read
// strictly: a JSON object (json::Parse: no duplicate keys, depth and size
// limits) with only the members the route knows. An option this hub does not
// implement is an error, never silently ignored, so a client cannot believe
// it got what it asked for.
//
// Errors are kInvalidArgument (kResourceExhausted for a size or depth limit)
// with a JSON pointer into the body as `where`; messages never quote values
// from the body (credentials carry personal data).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "ledger/credentials/issuer.h"
#include "ledger/credentials/ledger_entry.h"
#include "ledger/credentials/receipt.h"
#include "ledger/credentials/status_list.h"

namespace pathbridge::gateway {

// POST /credentials/issue: {"credential": {...}, "options": {"cryptosuite": "..."}}.
// The cryptosuite is eddsa-rdfc-2022 (default) or eddsa-jcs-2022.
struct IssueRequest {
  boost::json::object credential;
  credentials::IssueSuite suite = credentials::IssueSuite::kEddsaRdfc2022;
};
Result<IssueRequest> ParseIssueRequest(std::string_view body);

// POST /credentials/verify: {"verifiableCredential": {...} or "<compact JWS>",
// "options": {"ledgerReceipt": {...a PathbridgeLedgerReceipt...}}}.
struct VerifyCredentialRequest {
  credentials::SignedCredential credential;
  std::optional<credentials::Receipt> receipt;
};
Result<VerifyCredentialRequest> ParseVerifyCredentialRequest(std::string_view body);

// POST /presentations/verify: {"verifiablePresentation": {...}, "options":
// {"challenge": "...", "domain": "..."}}. The presentation must be an object
// whose type includes VerifiablePresentation.
struct VerifyPresentationRequest {
  boost::json::object presentation;
  std::optional<std::string> challenge;
  std::optional<std::string> domain;
};
Result<VerifyPresentationRequest> ParseVerifyPresentationRequest(std::string_view body);

// POST /credentials/status (VC API updateCredentialStatus):
//   {"credentialId": "...", "credentialStatus": {"type": "BitstringStatusListEntry",
//    "statusPurpose": "revocation"|"suspension", "id"?, "statusListIndex"?,
//    "statusListCredential"?}, "status": true|false}
// `type` may also be "BitstringStatusList", as the VC API's example has it.
struct StatusRequest {
  std::string credential_id;
  credentials::StatusPurpose purpose = credentials::StatusPurpose::kRevocation;
  bool set = false;  // the new bit: revoked / suspended
  // When given, they must name the credential's own entry for the purpose.
  std::optional<std::string> entry_id;  // "<list URL>#<index>"
  std::optional<std::string> list_index;
  std::optional<std::string> list_url;
};
Result<StatusRequest> ParseStatusRequest(std::string_view body);

}  // namespace pathbridge::gateway
