// did:web identifiers and the HTTPS URLs of their DID documents (W3C CCG
// "did:web Method Specification", Method-specific identifier and Read):
//   did:web:example.com                  https://example.com/.well-known/did.json
//   did:web:example.com:orgs:cc          https://example.com/orgs/cc/did.json
//   did:web:example.com%3A3000:user:ann  https://example.com:3000/user/ann/did.json
// The host is a DNS name (labels of letters, digits and hyphens; no IP
// addresses, as the method requires) with an optional port, its colon
// percent-encoded; path segments are unreserved URL characters and never
// "." or "..", so a DID cannot name a document outside its own path.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "standards/status.h"

namespace pathbridge::certs {

inline constexpr std::string_view kDidWebPrefix = "did:web:";

// The URL of the DID document for a did:web DID (no fragment or query).
Result<std::string> DidWebToUrl(std::string_view did);
// The DID whose document is at `url` (the inverse of DidWebToUrl).
Result<std::string> DidWebFromUrl(std::string_view url);

// The method-specific host form of "example.com", "example.com:8443" or
// "example.com%3A8443": validated, with the port colon percent-encoded.
Result<std::string> DidWebHost(std::string_view host);
// did:web:<host>:<segment>:... from a host (any form DidWebHost takes) and
// path segments.
Result<std::string> MakeDidWeb(std::string_view host, const std::vector<std::string>& path);

}  // namespace pathbridge::certs
