// W3C Bitstring Status List v1.0 documents: the BitstringStatusListEntry
// an issued credential carries in `credentialStatus`, the unsigned
// BitstringStatusListCredential that publishes a list, and the spec's
// Validate Algorithm that reads one entry's status from a list credential.
//
// Signing and verifying are not done here: the caller secures the list
// credential this module builds, and before calling CheckStatus it must
// dereference `statusListCredential` (failure: STATUS_RETRIEVAL_ERROR) and
// verify the list credential's proofs and validity period (failure:
// STATUS_VERIFICATION_ERROR); MakeStatusListError tags such errors.
//
// Errors from this module start with the spec's error name, e.g.
// "STATUS_LIST_LENGTH_ERROR: ...", so an HTTP layer can build RFC 9457
// problem details (StatusListErrorOf); `where` is a JSON pointer prefixed
// with the document, e.g. "credentialStatus/statusListIndex".
//
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "ledger/credentials/bitstring.h"

namespace pathbridge::credentials {

// The purposes pathbridge issues lists for (one bit per entry). The spec's
// `message` purpose needs statusSize > 1 and statusMessage: CheckStatus
// reads such entries, but pathbridge does not issue them.
enum class StatusPurpose { kRevocation, kSuspension, kRefresh };
std::string_view PurposeName(StatusPurpose purpose);  // "revocation"...
Result<StatusPurpose> ParsePurpose(std::string_view name);

// Error types of the spec's algorithms (§3 Processing Errors, and the two
// VC Data Model 2.0 errors it raises). Names are the spec's, e.g.
// "STATUS_RETRIEVAL_ERROR"; the status-list ones have the problem type
// "https://www.w3.org/ns/credentials/status-list#" + name.
enum class StatusListError {
  kMalformedValue,      // MALFORMED_VALUE_ERROR (Code::kInvalidArgument)
  kRange,               // RANGE_ERROR (kInvalidArgument)
  kStatusRetrieval,     // STATUS_RETRIEVAL_ERROR (kUnavailable)
  kStatusVerification,  // STATUS_VERIFICATION_ERROR (kVerificationFailed)
  kStatusListLength,    // STATUS_LIST_LENGTH_ERROR (kInvalidArgument)
};
std::string_view StatusListErrorName(StatusListError error);
// An error of that type, with the code noted above.
Status MakeStatusListError(StatusListError error, std::string message, std::string where = {});
// The type of an error made here; nullopt for any other Status.
std::optional<StatusListError> StatusListErrorOf(const Status& status);

// What the unsigned list credential says besides its bits.
struct StatusListCredentialInfo {
  std::string list_url;  // the credential's id; entries' statusListCredential
  std::string issuer;    // DID or URL of the list's issuer
  std::chrono::sys_seconds valid_from;
  std::optional<std::chrono::sys_seconds> valid_until;
  StatusPurpose purpose = StatusPurpose::kRevocation;
};

// The unsigned BitstringStatusListCredential (VC Data Model 2.0) for a list:
// @context [credentials/v2], id, type [VerifiableCredential,
// BitstringStatusListCredential], issuer, validFrom (validUntil),
// credentialSubject {id: list_url + "#list", type BitstringStatusList,
// statusPurpose, encodedList}. A list under the minimum length is refused.
Result<boost::json::object> BuildStatusListCredential(const StatusListCredentialInfo& info,
                                                      const Bitstring& bits);

// The `credentialStatus` entry for position `index` of the list at
// `list_url`: {id: list_url + "#" + index, type BitstringStatusListEntry,
// statusPurpose, statusListIndex (decimal string), statusListCredential}.
boost::json::object BuildStatusListEntry(std::string_view list_url, uint64_t index,
                                         StatusPurpose purpose);

struct CheckOptions {
  // The spec's minimumNumberOfEntries; an ecosystem profile may lower it.
  std::size_t minimum_entries = kMinimumListBits;
  std::size_t max_inflated_bytes = DecodeLimits{}.max_bytes;
};

// The result map of the Validate Algorithm.
struct StatusCheck {
  std::string purpose;   // the entry's statusPurpose
  uint32_t status = 0;   // the entry's statusSize bits, first bit most significant
  bool valid = true;     // status == 0
  std::string message;   // from statusMessage; else "set" (1) or "unset" (0)
};

// The Validate Algorithm, from the entry on: checks the entry's shape
// (statusSize 1 to 8; statusMessage as the spec requires), that the list
// credential is a BitstringStatusListCredential whose id (if present) is the
// entry's statusListCredential and whose statusPurpose includes the entry's,
// expands encodedList, checks the minimum length and the index range, and
// returns the entry's status. The list credential must already be verified.
Result<StatusCheck> CheckStatus(const boost::json::object& credential_status_entry,
                                const boost::json::object& status_list_credential,
                                const CheckOptions& options = {});

}  // namespace pathbridge::credentials
