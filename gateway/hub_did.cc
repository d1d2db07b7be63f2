#include "gateway/hub_did.h"

#include <boost/json/serialize.hpp>

#include "certs/controller_document.h"
#include "certs/did_web.h"

namespace pathbridge::gateway {
namespace {

namespace bj = boost::json;

constexpr std::string_view kHttps = "https://";

std::string_view TrimSlash(std::string_view url) {
  while (url.ends_with('/')) url.remove_suffix(1);
  return url;
}

}  // namespace

Result<std::string> HubDid(std::string_view base_url) {
  std::string_view base = TrimSlash(base_url);
  if (!base.starts_with(kHttps))
    return InvalidArgument("the hub's base URL must start with https:// to have a did:web",
                           std::string(base_url));
  if (base.substr(kHttps.size()).find('/') != std::string_view::npos)
    return InvalidArgument("the hub's base URL has a path, so its did:web is not at /.well-known",
                           std::string(base_url));
  return certs::DidWebFromUrl(std::string(base) + "/.well-known/did.json");
}

Result<bj::object> HubDidDocument(std::string_view base_url, const ledger::NoteVerifier& ledger_key) {
  PB_ASSIGN_OR_RETURN(std::string did, HubDid(base_url));
  const std::string base(TrimSlash(base_url));
  certs::VerificationMethod key;
  key.id = did + "#ledger-key";
  key.controller = did;
  key.public_key = ledger_key.public_key();
  bj::object doc = certs::BuildControllerDocument(did, {key});
  doc["service"] = bj::array{
      bj::object{{"id", did + "#ledger"},
                 {"type", "PathbridgeLedger"},
                 {"serviceEndpoint", base + "/ledger"},
                 {"origin", ledger_key.name()},
                 {"verifierKey", ledger_key.ToString()}},
      bj::object{{"id", did + "#verify"},
                 {"type", "PathbridgeVerificationPage"},
                 {"serviceEndpoint", base + "/verify"}}};
  return doc;
}

Status AddHubDidRoute(Router& router, std::string_view base_url,
                      const ledger::NoteVerifier& ledger_key) {
  PB_ASSIGN_OR_RETURN(bj::object doc, HubDidDocument(base_url, ledger_key));
  router.Add("GET", "/.well-known/did.json",
             [body = bj::serialize(doc)](const Request&, Reply reply) {
               Response r;
               r.content_type = "application/did+ld+json";
               r.body = body;
               r.headers.emplace_back("Cache-Control", "public, max-age=300");
               reply(std::move(r));
             });
  return Status::Ok();
}

}  // namespace pathbridge::gateway
