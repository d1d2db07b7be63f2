// The scopes a client may be granted, one per gateway capability:
//   translate           POST /translate
//   credentials:issue   issue credentials as the client's organization
//   credentials:status  revoke, suspend, reinstate its organization's credentials
//   ledger:append       log entries for its organization
//   admin               operator routes (POST /ledger/entries); acts for any organization
// Scopes are exact: admin does not imply the others; it only lifts
// organization scoping (org_scope.h). Lists are kept sorted and unique.
//
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "standards/status.h"

namespace pathbridge::gateway::auth {

inline constexpr std::string_view kScopeTranslate = "translate";
inline constexpr std::string_view kScopeCredentialsIssue = "credentials:issue";
inline constexpr std::string_view kScopeCredentialsStatus = "credentials:status";
inline constexpr std::string_view kScopeLedgerAppend = "ledger:append";
inline constexpr std::string_view kScopeAdmin = "admin";
inline constexpr std::array<std::string_view, 5> kKnownScopes = {
    kScopeTranslate, kScopeCredentialsIssue, kScopeCredentialsStatus, kScopeLedgerAppend,
    kScopeAdmin};

using ScopeList = std::vector<std::string>;

// "a,b" (the command line) into a sorted list of known scopes; at least one.
Result<ScopeList> ParseScopeCsv(std::string_view text);
// "a b" (OAuth's scope parameter, RFC 6749 §3.3: single spaces between
// tokens) into a sorted list of known scopes; at least one.
Result<ScopeList> ParseScopeParameter(std::string_view text);
// Whether every scope of `requested` is in `granted` (both sorted).
bool IsSubset(const ScopeList& requested, const ScopeList& granted);
// "a b", as OAuth writes scopes.
std::string FormatScopes(const ScopeList& scopes);
// "translate, credentials:issue, ...", for messages.
std::string KnownScopesText();

}  // namespace pathbridge::gateway::auth
