#include "ledger/credentials/jose.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "ledger/credentials/data_integrity.h"
#include "standards/json.h"
#include "standards/time.h"

namespace pathbridge::credentials {
namespace {

namespace js = boost::json;

constexpr std::string_view kTyp = "vc+jwt";
constexpr std::string_view kCty = "vc";

struct Parts {
  std::string_view header, payload, signature;
  std::size_t payload_at, signature_at;  // offsets in the compact form
};

Result<Parts> Split(std::string_view compact) {
  const std::size_t a = compact.find('.');
  const std::size_t b = a == std::string_view::npos ? a : compact.find('.', a + 1);
  if (b == std::string_view::npos || compact.find('.', b + 1) != std::string_view::npos)
    return InvalidArgument("a compact JWS has three parts separated by '.'");
  return Parts{compact.substr(0, a), compact.substr(a + 1, b - a - 1), compact.substr(b + 1),
               a + 1, b + 1};
}

Result<Bytes> Decode(std::string_view part, std::size_t at, const char* what) {
  auto bytes = Base64UrlDecode(part);
  if (!bytes.ok())
    return ShiftOffset(Status(Code::kInvalidArgument, std::string("the JWS ") + what +
                                                          " is not base64url without padding: " +
                                                          bytes.status().message(),
                              bytes.status().where()),
                       at);
  return bytes;
}

Result<js::object> DecodeObject(std::string_view part, std::size_t at, const char* what) {
  PB_ASSIGN_OR_RETURN(Bytes bytes, Decode(part, at, what));
  auto v = json::Parse(AsChars(bytes));
  if (!v.ok())
    return InvalidArgument(std::string("the JWS ") + what + " is not valid JSON: " +
                               v.status().message(),
                           v.status().where());
  if (!v->is_object())
    return InvalidArgument(std::string("the JWS ") + what + " must be a JSON object");
  return std::move(v->get_object());
}

// A header member that must be a string when present ("" when absent).
Result<std::string_view> HeaderString(const js::object& header, std::string_view key) {
  const js::value* v = header.if_contains(key);
  if (v == nullptr) return std::string_view();
  if (!v->is_string())
    return InvalidArgument("the JWS header member " + std::string(key) + " must be a string",
                           "header." + std::string(key));
  return std::string_view(v->get_string());
}

// The rules of the header; returns the kid.
Result<std::string> CheckHeader(const js::object& header) {
  PB_ASSIGN_OR_RETURN(std::string_view alg, HeaderString(header, "alg"));
  if (alg == "none")
    return VerificationFailed("the JWS is unsigned (alg none), which is never accepted",
                              "header.alg");
  if (alg.empty())
    return InvalidArgument("the JWS header has no alg", "header.alg");
  if (alg != "EdDSA" && alg != "Ed25519")
    return Status(Code::kFailedPrecondition,
                  "the JWS algorithm " + std::string(alg) + " is not supported (EdDSA only)",
                  "header.alg");
  if (header.contains("crit"))
    return Status(Code::kFailedPrecondition,
                  "the JWS requires header extensions (crit) that are not supported",
                  "header.crit");
  PB_ASSIGN_OR_RETURN(std::string_view typ, HeaderString(header, "typ"));
  if (!typ.empty() && typ != kTyp)
    return InvalidArgument("the JWS typ is " + std::string(typ) + ", not vc+jwt", "header.typ");
  PB_ASSIGN_OR_RETURN(std::string_view cty, HeaderString(header, "cty"));
  if (!cty.empty() && cty != kCty)
    return InvalidArgument("the JWS cty is " + std::string(cty) + ", not vc", "header.cty");
  PB_ASSIGN_OR_RETURN(std::string_view kid, HeaderString(header, "kid"));
  if (kid.empty())
    return InvalidArgument("the JWS header does not name its key (kid)", "header.kid");
  return std::string(kid);
}

// When the issuer says it signed: iat, else validFrom, else now.
Result<Timestamp> SigningTime(const js::object& payload, std::string& where) {
  if (const js::value* iat = payload.if_contains("iat")) {
    where = "/iat";
    if (!iat->is_int64() && !iat->is_uint64())
      return VerificationFailed("iat must be a whole number of seconds", where);
    return Timestamp{iat->to_number<int64_t>(), 0};
  }
  if (const js::value* from = payload.if_contains("validFrom")) {
    where = "/validFrom";
    auto t = from->is_string() ? ParseRfc3339(from->get_string())
                               : Result<Timestamp>(InvalidArgument("not a string"));
    if (!t.ok())
      return VerificationFailed("validFrom is not a date-time: " + t.status().message(), where);
    return t;
  }
  return Now();
}

}  // namespace

Result<std::string> SignJose(const js::object& credential, const certs::Ed25519Key& key,
                             std::string_view kid) {
  if (kid.empty()) return InvalidArgument("a JWS needs a kid (the verification method)", "kid");
  const js::object header{{"alg", "EdDSA"}, {"kid", kid}, {"typ", kTyp}, {"cty", kCty}};
  std::string out = Base64UrlEncode(AsBytes(js::serialize(header)));
  out += '.';
  out += Base64UrlEncode(AsBytes(js::serialize(credential)));
  const certs::Ed25519Signature signature = key.Sign(AsBytes(out));
  out += '.';
  out += Base64UrlEncode(signature);
  return out;
}

Result<JoseResult> VerifyJose(std::string_view compact, const certs::KeyResolver& resolver) {
  if (compact.size() > kMaxJoseLength)
    return Status(Code::kResourceExhausted,
                  "the JWS is " + std::to_string(compact.size()) + " bytes; at most " +
                      std::to_string(kMaxJoseLength) + " are accepted");
  PB_ASSIGN_OR_RETURN(Parts parts, Split(compact));
  JoseResult r;
  PB_ASSIGN_OR_RETURN(r.header, DecodeObject(parts.header, 0, "header"));
  PB_ASSIGN_OR_RETURN(std::string kid, CheckHeader(r.header));
  PB_ASSIGN_OR_RETURN(Bytes signature, Decode(parts.signature, parts.signature_at, "signature"));
  if (signature.size() != 64)
    return VerificationFailed("the JWS signature must be 64 bytes, found " +
                              std::to_string(signature.size()));

  auto method = resolver.Resolve(kid);
  if (!method.ok()) {
    if (method.status().code() == Code::kNotFound)
      return NotFound("the key that signed this credential (" + kid + ") is not known here",
                      "header.kid");
    return method.status().WithContext("header.kid");
  }
  r.method = std::move(*method);
  if (!r.method.HasRelationship("assertionMethod"))
    return VerificationFailed("the key " + r.method.id + " is not listed by its controller " +
                                  r.method.controller + " for assertionMethod",
                              "header.kid");
  const std::string_view signing_input = compact.substr(0, parts.signature_at - 1);
  if (!certs::VerifyEd25519(r.method.public_key, AsBytes(signing_input), signature))
    return VerificationFailed(std::string(kSignatureMismatch));

  PB_ASSIGN_OR_RETURN(r.payload, DecodeObject(parts.payload, parts.payload_at, "payload"));
  std::string where;
  PB_ASSIGN_OR_RETURN(Timestamp signed_at, SigningTime(r.payload, where));
  PB_RETURN_IF_ERROR(CheckKeyValidAt(r.method, signed_at, where));
  return r;
}

}  // namespace pathbridge::credentials
