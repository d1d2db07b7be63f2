#include "ledger/credentials/published_lists.h"

#include <algorithm>

namespace pathbridge::credentials {

namespace {

// The status store's organization slugs: [A-Za-z0-9._-], not starting with
// '.', so never "." or ".." or a path separator.
bool IsSlug(std::string_view s) {
  return !s.empty() && s.size() <= 64 && s.front() != '.' &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
         });
}

// The next '/'-separated segment of `rest`, consumed.
std::string_view Segment(std::string_view& rest) {
  size_t slash = rest.find('/');
  std::string_view seg = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  return seg;
}

}  // namespace

std::string StatusBaseUrl(std::string_view hub_base_url) {
  while (hub_base_url.ends_with('/')) hub_base_url.remove_suffix(1);
  return std::string(hub_base_url) + "/status";
}

Result<ListLocation> ParseListUrl(std::string_view hub_base_url, std::string_view url) {
  std::string prefix = StatusBaseUrl(hub_base_url) + "/";
  if (!url.starts_with(prefix)) return NotFound("not a status list of this hub", std::string(url));
  std::string_view rest = url.substr(prefix.size());
  ListLocation loc;
  std::string_view org = Segment(rest), purpose = Segment(rest), number = rest;
  if (!IsSlug(org)) return InvalidArgument("the organization in the list URL is malformed", std::string(url));
  loc.org = std::string(org);
  auto p = ParsePurpose(purpose);
  if (!p.ok()) return InvalidArgument("unknown status purpose in the list URL", std::string(url));
  loc.purpose = *p;
  auto n = ParseCanonicalDecimal(number, "list number");
  if (!n.ok() || *n == 0) return InvalidArgument("the list number in the URL is malformed", std::string(url));
  loc.number = *n;
  return loc;
}

std::filesystem::path ListFile(const std::filesystem::path& data_dir, const ListLocation& where) {
  return data_dir / "status" / where.org / std::string(PurposeName(where.purpose)) /
         (std::to_string(where.number) + ".json");
}

}  // namespace pathbridge::credentials
