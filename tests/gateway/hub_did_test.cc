// The hub's did:web: which base URLs have one, and that its document
// resolves to the ledger key for nothing but naming it.
#include "gateway/hub_did.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "certs/did_web.h"
#include "certs/resolvers.h"

namespace pathbridge::gateway {
namespace {

namespace bj = boost::json;

ledger::NoteVerifier LedgerKey() {
  auto signer = ledger::NoteSigner::Generate("hub.example/pathbridge");
  EXPECT_TRUE(signer.ok()) << signer.status().ToString();
  return signer->verifier();
}

TEST(HubDidTest, TheDidOfAnHttpsHostAndPort) {
  EXPECT_EQ(HubDid("https://hub.example").value(), "did:web:hub.example");
  EXPECT_EQ(HubDid("https://hub.example:8443/").value(), "did:web:hub.example%3A8443");
  EXPECT_EQ(certs::DidWebToUrl(HubDid("https://localhost:8443").value()).value(),
            "https://localhost:8443/.well-known/did.json");
}

TEST(HubDidTest, NoDidForPlainHttpOrABaseUrlWithAPath) {
  for (const char* base : {"http://hub.example", "https://hub.example/pathbridge", "hub.example",
                           "https://", "https://hub example"}) {
    auto did = HubDid(base);
    EXPECT_FALSE(did.ok()) << base;
    EXPECT_EQ(did.status().code(), Code::kInvalidArgument) << base;
  }
  Router router;
  EXPECT_FALSE(AddHubDidRoute(router, "https://hub.example/pb", LedgerKey()).ok());
  EXPECT_TRUE(router.Routes().empty());
}

TEST(HubDidTest, TheDocumentNamesTheLedgerKeyInNoRelationship) {
  ledger::NoteVerifier key = LedgerKey();
  auto doc = HubDidDocument("https://hub.example", key);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->at("id"), "did:web:hub.example");
  auto resolver = certs::DocumentMapResolver::FromJson(*doc, "hub did.json");
  ASSERT_TRUE(resolver.ok()) << resolver.status().ToString();
  auto method = resolver->Resolve("did:web:hub.example#ledger-key");
  ASSERT_TRUE(method.ok()) << method.status().ToString();
  EXPECT_EQ(method->public_key, key.public_key());
  // It signs checkpoints, not credentials: no proof purpose may use it.
  EXPECT_TRUE(method->relationships.empty());
  EXPECT_FALSE(doc->contains("assertionMethod"));

  const bj::array& services = doc->at("service").as_array();
  ASSERT_EQ(services.size(), 2u);
  const bj::object& ledger = services[0].as_object();
  EXPECT_EQ(ledger.at("id"), "did:web:hub.example#ledger");
  EXPECT_EQ(ledger.at("serviceEndpoint"), "https://hub.example/ledger");
  EXPECT_EQ(ledger.at("origin"), "hub.example/pathbridge");
  auto vkey = ledger::NoteVerifier::Parse(std::string(ledger.at("verifierKey").as_string()));
  ASSERT_TRUE(vkey.ok()) << vkey.status().ToString();
  EXPECT_EQ(vkey->public_key(), key.public_key());
  EXPECT_EQ(services[1].at("serviceEndpoint"), "https://hub.example/verify");
}

TEST(HubDidTest, TheRouteServesTheDocument) {
  ledger::NoteVerifier key = LedgerKey();
  Router router;
  ASSERT_TRUE(AddHubDidRoute(router, "https://hub.example:8443", key).ok());
  Request req;
  req.method = "GET";
  req.target = "/.well-known/did.json";
  req.request_id = "req-1";
  std::optional<Response> out;
  router.Dispatch(req, Reply("req-1", [&out](Response r) { out = std::move(r); }));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->status, 200);
  EXPECT_EQ(out->content_type, "application/did+ld+json");
  EXPECT_EQ(bj::parse(out->body), bj::value(HubDidDocument("https://hub.example:8443", key).value()));
}

}  // namespace
}  // namespace pathbridge::gateway
