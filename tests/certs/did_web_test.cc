#include "certs/did_web.h"

#include <gtest/gtest.h>

namespace pathbridge::certs {
namespace {

// The did:web method specification's examples (Create, Read, and the
// Optional Path Considerations section), both ways.
TEST(DidWeb, SpecExamples) {
  struct Case {
    const char* did;
    const char* url;
  };
  const Case kCases[] = {
      {"did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"},
      {"did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"},
      {"did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"},
      {"did:web:example.com:u:bob", "https://example.com/u/bob/did.json"},
      {"did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.did);
    auto url = DidWebToUrl(c.did);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    EXPECT_EQ(*url, c.url);
    auto did = DidWebFromUrl(c.url);
    ASSERT_TRUE(did.ok()) << did.status().ToString();
    EXPECT_EQ(*did, c.did);
  }
  // The port escape may be written in lower case.
  EXPECT_EQ(*DidWebToUrl("did:web:example.com%3a3000"), "https://example.com:3000/.well-known/did.json");
}

TEST(DidWeb, HostsAndOrganizationDids) {
  EXPECT_EQ(*DidWebHost("hub.example:8443"), "hub.example%3A8443");
  EXPECT_EQ(*DidWebHost("localhost%3a8443"), "localhost%3A8443");
  EXPECT_EQ(*DidWebHost("hub.example"), "hub.example");
  auto did = MakeDidWeb("localhost:8443", {"orgs", "cc"});
  ASSERT_TRUE(did.ok()) << did.status().ToString();
  EXPECT_EQ(*did, "did:web:localhost%3A8443:orgs:cc");
  EXPECT_EQ(*DidWebToUrl(*did), "https://localhost:8443/orgs/cc/did.json");
}

TEST(DidWeb, RejectsMalformedDids) {
  const char* kBad[] = {
      "did:web:",                          // no host
      "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
      "did:web:example.com::alice",        // empty segment
      "did:web:example.com:",              // empty last segment
      "did:web:example.com:..:etc",        // traversal
      "did:web:example.com:.",
      "did:web:example.com:.well-known",   // would alias did:web:example.com
      "did:web:example.com:a%2Fb",         // an escaped slash
      "did:web:example.com:user:alice#key-1",  // a DID URL, not a DID
      "did:web:example.com/alice",
      "did:web:exa_mple.com",
      "did:web:-example.com",
      "did:web:example..com",
      "did:web:192.168.0.1",               // the method forbids IP addresses
      "did:web:example.com%3A",            // empty port
      "did:web:example.com%3A99999",
      "did:web:example.com%3A0",
  };
  for (const char* did : kBad) {
    SCOPED_TRACE(did);
    auto url = DidWebToUrl(did);
    ASSERT_FALSE(url.ok()) << *url;
    EXPECT_EQ(url.status().code(), Code::kInvalidArgument);
  }
  // An unescaped colon separates path segments, as the method says.
  EXPECT_EQ(*DidWebToUrl("did:web:example.com:3000"), "https://example.com/3000/did.json");
  std::string long_label = "did:web:" + std::string(64, 'a') + ".com";
  EXPECT_FALSE(DidWebToUrl(long_label).ok());
}

TEST(DidWeb, RejectsUrlsThatAreNotDidDocuments) {
  const char* kBad[] = {
      "http://example.com/.well-known/did.json",
      "https://example.com/did.json",  // a host's document is under /.well-known
      "https://example.com/user/alice/did.jsonld",
      "https://user@example.com/.well-known/did.json",
      "https://example.com/a/../b/did.json",
      "https://example.com/a//did.json",
      "https://example.com/a/did.json?x=1",
      "https://example.com:http/a/did.json",
      "https://10.0.0.1/a/did.json",
  };
  for (const char* url : kBad) {
    SCOPED_TRACE(url);
    auto did = DidWebFromUrl(url);
    EXPECT_FALSE(did.ok()) << *did;
  }
}

}  // namespace
}  // namespace pathbridge::certs
