#include "gateway/vc_api_request.h"

#include <algorithm>
#include <array>
#include <span>

#include <boost/json/serialize.hpp>

#include "ledger/credentials/vc.h"
#include "standards/json.h"

namespace pathbridge::gateway {
namespace {

namespace bj = boost::json;
using Names = std::span<const std::string_view>;

Result<bj::object> ParseBody(std::string_view body) {
  if (body.empty()) return InvalidArgument("the request body is empty; send a JSON object");
  PB_ASSIGN_OR_RETURN(bj::value v, json::Parse(body));
  if (!v.is_object()) return InvalidArgument("the request body must be a JSON object", "/");
  return std::move(v.as_object());
}

// Ok if every member of `object` is one of `known` (none is required here).
Status OnlyKnown(const bj::object& object, Names known, std::string_view pointer) {
  for (const auto& kv : object) {
    if (std::find(known.begin(), known.end(), kv.key()) != known.end()) continue;
    // The member's name is the client's text: it is not quoted back.
    std::string names;
    for (std::string_view n : known) names += (names.empty() ? "" : ", ") + std::string(n);
    return InvalidArgument("has a member this hub does not accept; it accepts " + names,
                           pointer.empty() ? "/" : std::string(pointer));
  }
  return Status::Ok();
}

// The optional "options" member (an empty object when absent), holding only
// `known` members.
Result<bj::object> Options(const bj::object& body, Names known) {
  const bj::value* v = body.if_contains("options");
  if (!v) return bj::object{};
  if (!v->is_object()) return InvalidArgument("options must be an object", "/options");
  PB_RETURN_IF_ERROR(OnlyKnown(v->as_object(), known, "/options"));
  return v->as_object();
}

// A VC API request body: an object with `main` and "options" (holding only
// `known_options`) and nothing else.
struct Envelope {
  bj::object body;
  bj::object options;
};

Result<Envelope> ParseEnvelope(std::string_view text, std::string_view main, Names known_options) {
  Envelope e;
  PB_ASSIGN_OR_RETURN(e.body, ParseBody(text));
  const std::array<std::string_view, 2> members = {main, "options"};
  PB_RETURN_IF_ERROR(OnlyKnown(e.body, members, ""));
  PB_ASSIGN_OR_RETURN(e.options, Options(e.body, known_options));
  return e;
}

Result<const bj::object*> RequiredObject(const bj::object& o, std::string_view name,
                                         std::string_view pointer) {
  const bj::value* v = o.if_contains(name);
  std::string where = std::string(pointer) + "/" + std::string(name);
  if (!v) return InvalidArgument("missing member", where);
  if (!v->is_object()) return InvalidArgument("must be an object", where);
  return &v->as_object();
}

// An optional string member; kInvalidArgument if present and not a string.
Result<std::optional<std::string>> OptionalString(const bj::object& o, std::string_view name,
                                                  std::string_view pointer) {
  const bj::value* v = o.if_contains(name);
  if (!v) return std::optional<std::string>();
  if (!v->is_string())
    return InvalidArgument("must be a string", std::string(pointer) + "/" + std::string(name));
  return std::optional<std::string>(std::string(v->as_string()));
}

}  // namespace

Result<IssueRequest> ParseIssueRequest(std::string_view body) {
  constexpr std::array<std::string_view, 1> kOptions = {"cryptosuite"};
  PB_ASSIGN_OR_RETURN(Envelope e, ParseEnvelope(body, "credential", kOptions));
  const bj::object& o = e.body;
  const bj::object& options = e.options;
  IssueRequest r;
  PB_ASSIGN_OR_RETURN(const bj::object* credential, RequiredObject(o, "credential", ""));
  r.credential = *credential;
  PB_ASSIGN_OR_RETURN(auto suite, OptionalString(options, "cryptosuite", "/options"));
  if (suite) {
    if (*suite != "eddsa-rdfc-2022" && *suite != "eddsa-jcs-2022")
      return InvalidArgument("this hub issues with eddsa-rdfc-2022 or eddsa-jcs-2022",
                             "/options/cryptosuite");
    PB_ASSIGN_OR_RETURN(r.suite, credentials::ParseIssueSuite(*suite));
  }
  return r;
}

Result<VerifyCredentialRequest> ParseVerifyCredentialRequest(std::string_view body) {
  constexpr std::array<std::string_view, 1> kOptions = {"ledgerReceipt"};
  PB_ASSIGN_OR_RETURN(Envelope e, ParseEnvelope(body, "verifiableCredential", kOptions));
  const bj::object& o = e.body;
  const bj::object& options = e.options;
  const bj::value* vc = o.if_contains("verifiableCredential");
  if (!vc) return InvalidArgument("missing member", "/verifiableCredential");
  VerifyCredentialRequest r;
  if (vc->is_object()) {
    r.credential = vc->as_object();
  } else if (vc->is_string()) {  // VC-JOSE: a compact JWS
    auto parsed = credentials::ParseSignedCredential(vc->as_string());
    if (!parsed.ok() || !std::holds_alternative<credentials::CompactJws>(*parsed))
      return InvalidArgument("a string credential must be a compact JWS", "/verifiableCredential");
    r.credential = std::move(*parsed);
  } else {
    return InvalidArgument("must be an object or a compact JWS", "/verifiableCredential");
  }
  if (const bj::value* receipt = options.if_contains("ledgerReceipt")) {
    if (!receipt->is_object())
      return InvalidArgument("must be an object", "/options/ledgerReceipt");
    auto parsed = credentials::ParseReceipt(bj::serialize(*receipt));
    if (!parsed.ok()) return parsed.status().WithContext("/options/ledgerReceipt");
    r.receipt = std::move(*parsed);
  }
  return r;
}

Result<VerifyPresentationRequest> ParseVerifyPresentationRequest(std::string_view body) {
  constexpr std::array<std::string_view, 2> kOptions = {"challenge", "domain"};
  PB_ASSIGN_OR_RETURN(Envelope e, ParseEnvelope(body, "verifiablePresentation", kOptions));
  const bj::object& o = e.body;
  const bj::object& options = e.options;
  VerifyPresentationRequest r;
  PB_ASSIGN_OR_RETURN(const bj::object* vp, RequiredObject(o, "verifiablePresentation", ""));
  if (!credentials::HasType(*vp, "VerifiablePresentation"))
    return InvalidArgument("the type must include VerifiablePresentation",
                           "/verifiablePresentation/type");
  r.presentation = *vp;
  PB_ASSIGN_OR_RETURN(r.challenge, OptionalString(options, "challenge", "/options"));
  PB_ASSIGN_OR_RETURN(r.domain, OptionalString(options, "domain", "/options"));
  return r;
}

Result<StatusRequest> ParseStatusRequest(std::string_view body) {
  PB_ASSIGN_OR_RETURN(bj::object o, ParseBody(body));
  constexpr std::array<std::string_view, 3> kMembers = {"credentialId", "credentialStatus",
                                                         "status"};
  PB_RETURN_IF_ERROR(OnlyKnown(o, kMembers, ""));
  StatusRequest r;
  PB_ASSIGN_OR_RETURN(std::string_view id, json::StringMember(o, "credentialId"));
  if (id.empty()) return InvalidArgument("must not be empty", "/credentialId");
  r.credential_id = std::string(id);
  const bj::value* status = o.if_contains("status");
  if (!status || !status->is_bool()) return InvalidArgument("must be true or false", "/status");
  r.set = status->as_bool();
  PB_ASSIGN_OR_RETURN(const bj::object* entry, RequiredObject(o, "credentialStatus", ""));
  constexpr std::array<std::string_view, 5> kEntry = {"type", "statusPurpose", "id",
                                                      "statusListIndex", "statusListCredential"};
  PB_RETURN_IF_ERROR(OnlyKnown(*entry, kEntry, "/credentialStatus"));
  auto type = json::StringMember(*entry, "type");
  if (!type.ok() || (*type != "BitstringStatusListEntry" && *type != "BitstringStatusList"))
    return InvalidArgument("must be BitstringStatusListEntry", "/credentialStatus/type");
  auto purpose = json::StringMember(*entry, "statusPurpose");
  if (!purpose.ok() || (*purpose != "revocation" && *purpose != "suspension"))
    return InvalidArgument("must be revocation or suspension", "/credentialStatus/statusPurpose");
  PB_ASSIGN_OR_RETURN(r.purpose, credentials::ParsePurpose(*purpose));
  PB_ASSIGN_OR_RETURN(r.entry_id, OptionalString(*entry, "id", "/credentialStatus"));
  PB_ASSIGN_OR_RETURN(r.list_index, OptionalString(*entry, "statusListIndex", "/credentialStatus"));
  PB_ASSIGN_OR_RETURN(r.list_url,
                      OptionalString(*entry, "statusListCredential", "/credentialStatus"));
  return r;
}

}  // namespace pathbridge::gateway
