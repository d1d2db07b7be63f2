// Verifiable Credentials secured with JOSE (W3C "Securing Verifiable
// Credentials using JOSE and COSE", VC-JOSE): a compact JWS (RFC 7515) whose
// payload is the credential's JSON, signed with Ed25519 (RFC 8037 "EdDSA",
// or the fully specified "Ed25519" of RFC 9864 on verify). The header is
//   {"alg":"EdDSA","kid":<verification method URL>,"typ":"vc+jwt","cty":"vc"}
//
// Verification is strict: three base64url parts without padding, a header
// that is a JSON object without duplicate keys, alg EdDSA or Ed25519 only
// ("none" and every other algorithm are refused), no `crit` (no extension is
// understood), typ vc+jwt and cty vc when present, and a kid the resolver
// knows and lists under assertionMethod. The key must have been valid when
// the credential was signed; the signing time is the payload's `iat`
// (seconds) if present, else its `validFrom`, else now.
//
// Errors: kInvalidArgument  not a well-formed JWS, or too large
//         kVerificationFailed  alg none, bad signature, key not allowed
//         kNotFound  unknown kid
//         kFailedPrecondition  an algorithm or `crit` extension not supported
//
// Thread-safety: pure functions; safe from many threads when the resolver is.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "certs/ed25519.h"
#include "certs/key_resolver.h"

namespace pathbridge::credentials {

// Longest compact JWS accepted (the payload may embed images as data URLs).
inline constexpr std::size_t kMaxJoseLength = 4u << 20;

// Signs `credential` as a compact JWS with `key`, naming `kid` in the header.
Result<std::string> SignJose(const boost::json::object& credential, const certs::Ed25519Key& key,
                             std::string_view kid);

struct JoseResult {
  boost::json::object header;
  boost::json::object payload;  // the credential
  certs::VerificationMethod method;
};

Result<JoseResult> VerifyJose(std::string_view compact, const certs::KeyResolver& resolver);

}  // namespace pathbridge::credentials
