#include "certs/did_web.h"

namespace pathbridge::certs {
namespace {

constexpr std::string_view kHttps = "https://";
constexpr std::string_view kDocument = "/did.json";
constexpr std::string_view kWellKnown = "/.well-known";

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 1123 host names: dot-separated labels of 1-63 letters, digits and
// hyphens, not starting or ending with a hyphen.
Status CheckDnsName(std::string_view name) {
  if (name.empty() || name.size() > 253)
    return InvalidArgument("a did:web host must be a DNS name of 1 to 253 characters");
  std::string_view label;
  for (std::size_t start = 0; start <= name.size();) {
    std::size_t dot = std::min(name.find('.', start), name.size());
    label = name.substr(start, dot - start);
    if (label.empty() || label.size() > 63)
      return InvalidArgument("each label of a did:web host must be 1 to 63 characters",
                             std::string(name));
    for (char c : label)
      if (!IsAlnum(c) && c != '-')
        return InvalidArgument("a did:web host may hold only letters, digits, '-' and '.'",
                               std::string(name));
    if (label.front() == '-' || label.back() == '-')
      return InvalidArgument("a did:web host label may not start or end with '-'",
                             std::string(name));
    start = dot + 1;
  }
  bool numeric = true;  // the last label: a numeric one means an IPv4 address
  for (char c : label) numeric &= IsDigit(c);
  if (numeric) return InvalidArgument("a did:web host must be a domain name, not an IP address",
                                      std::string(name));
  return Status::Ok();
}

Status CheckPort(std::string_view port) {
  unsigned n = 0;
  for (char c : port) n = IsDigit(c) && n < 65536 ? n * 10 + (c - '0') : 65536;
  if (port.empty() || port.size() > 5 || n == 0 || n > 65535)
    return InvalidArgument("a did:web port must be a number from 1 to 65535", std::string(port));
  return Status::Ok();
}

// Unreserved URL characters only, and no leading dot: no "." or ".."
// (path traversal) and no ".well-known" (which would alias the bare host).
Status CheckSegment(std::string_view segment) {
  if (segment.empty()) return InvalidArgument("a did:web path segment is empty");
  if (segment.front() == '.')
    return InvalidArgument("a did:web path segment may not start with '.'", std::string(segment));
  for (char c : segment)
    if (!IsAlnum(c) && c != '-' && c != '.' && c != '_' && c != '~')
      return InvalidArgument("a did:web path segment may hold only letters, digits and -._~",
                             std::string(segment));
  return Status::Ok();
}

struct HostPort {
  std::string_view name, port;  // port empty if none
};

// Splits "name:port" or "name%3Aport" (either case of the escape).
HostPort SplitHost(std::string_view host) {
  for (std::size_t i = 0; i < host.size(); ++i) {
    if (host[i] == ':') return {host.substr(0, i), host.substr(i + 1)};
    if (host.substr(i, 3) == "%3A" || host.substr(i, 3) == "%3a")
      return {host.substr(0, i), host.substr(i + 3)};
  }
  return {host, {}};
}

Result<HostPort> CheckHost(std::string_view host) {
  HostPort hp = SplitHost(host);
  PB_RETURN_IF_ERROR(CheckDnsName(hp.name));
  if (hp.name.size() != host.size()) PB_RETURN_IF_ERROR(CheckPort(hp.port));
  return hp;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    std::size_t end = s.find(sep, start);
    parts.push_back(s.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace

Result<std::string> DidWebHost(std::string_view host) {
  PB_ASSIGN_OR_RETURN(HostPort hp, CheckHost(host));
  std::string out(hp.name);
  if (!hp.port.empty()) out += "%3A" + std::string(hp.port);
  return out;
}

Result<std::string> MakeDidWeb(std::string_view host, const std::vector<std::string>& path) {
  PB_ASSIGN_OR_RETURN(std::string did, DidWebHost(host));
  did.insert(0, kDidWebPrefix);
  for (const auto& segment : path) {
    PB_RETURN_IF_ERROR(CheckSegment(segment));
    did += ":" + segment;
  }
  return did;
}

Result<std::string> DidWebToUrl(std::string_view did) {
  if (did.substr(0, kDidWebPrefix.size()) != kDidWebPrefix)
    return InvalidArgument("not a did:web identifier", std::string(did));
  std::string_view id = did.substr(kDidWebPrefix.size());
  if (id.find_first_of("#?/") != std::string_view::npos)
    return InvalidArgument("a did:web DID has no '/', '?' or '#' (give the DID, not a DID URL)",
                           std::string(did));
  const std::vector<std::string_view> parts = Split(id, ':');
  auto host = CheckHost(parts[0]);
  if (!host.ok()) return host.status().WithContext(did);
  std::string url = std::string(kHttps) + std::string(host->name);
  if (!host->port.empty()) url += ":" + std::string(host->port);
  if (parts.size() == 1) url += kWellKnown;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    Status s = CheckSegment(parts[i]);
    if (!s.ok()) return s.WithContext(did);
    url += "/" + std::string(parts[i]);
  }
  return url + std::string(kDocument);
}

Result<std::string> DidWebFromUrl(std::string_view url) {
  const std::string where(url);
  if (url.substr(0, kHttps.size()) != kHttps)
    return InvalidArgument("a did:web document URL starts with https://", where);
  std::string_view rest = url.substr(kHttps.size());
  if (rest.find_first_of("?#@") != std::string_view::npos)
    return InvalidArgument("a did:web document URL has no query, fragment or user info", where);
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos || !rest.ends_with(kDocument))
    return InvalidArgument("a did:web document URL ends with /did.json", where);
  std::string_view path = rest.substr(slash, rest.size() - slash - kDocument.size());
  auto did = DidWebHost(rest.substr(0, slash));
  if (!did.ok()) return did.status().WithContext(where);
  did->insert(0, kDidWebPrefix);
  if (path == kWellKnown) return did;
  if (path.empty()) return InvalidArgument("a host's DID document is under /.well-known", where);
  const std::vector<std::string_view> segments = Split(path.substr(1), '/');
  for (auto segment : segments) {
    Status s = CheckSegment(segment);
    if (!s.ok()) return s.WithContext(where);
    *did += ":" + std::string(segment);
  }
  return did;
}

}  // namespace pathbridge::certs
