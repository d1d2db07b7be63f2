#include "gateway/auth/scopes.h"

#include <algorithm>

namespace pathbridge::gateway::auth {
namespace {

// Splits on `sep`; empty parts are errors, so "a,,b" and "a  b" are refused.
Result<ScopeList> ParseList(std::string_view text, char sep, std::string_view where) {
  ScopeList out;
  size_t start = 0;
  for (;;) {
    size_t end = std::min(text.find(sep, start), text.size());
    std::string_view scope = text.substr(start, end - start);
    if (scope.empty()) return InvalidArgument("empty scope in the list", std::string(where));
    if (std::find(kKnownScopes.begin(), kKnownScopes.end(), scope) == kKnownScopes.end())
      return InvalidArgument("unknown scope \"" + std::string(scope.substr(0, 64)) +
                                 "\"; known scopes: " + KnownScopesText(),
                             std::string(where));
    out.emplace_back(scope);
    if (end == text.size()) break;
    start = end + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

Result<ScopeList> ParseScopeCsv(std::string_view text) { return ParseList(text, ',', "scopes"); }

Result<ScopeList> ParseScopeParameter(std::string_view text) {
  return ParseList(text, ' ', "scope");
}

bool IsSubset(const ScopeList& requested, const ScopeList& granted) {
  return std::includes(granted.begin(), granted.end(), requested.begin(), requested.end());
}

std::string KnownScopesText() {
  std::string out;
  for (auto s : kKnownScopes) (out += out.empty() ? "" : ", ") += s;
  return out;
}

std::string FormatScopes(const ScopeList& scopes) {
  std::string out;
  for (const auto& s : scopes) (out += out.empty() ? "" : " ") += s;
  return out;
}

}  // namespace pathbridge::gateway::auth
