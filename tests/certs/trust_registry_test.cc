#include "certs/trust_registry.h"

#include <fstream>

#include <gtest/gtest.h>

#include "tests/testing/test_util.h"

namespace pathbridge::certs {
namespace {

namespace bj = boost::json;
namespace fs = std::filesystem;
using testing::TempDir;

Timestamp At(const char* t) { return *ParseRfc3339(t); }

const char* kTrustList = R"({
  "name": "Lakeview consortium",
  "description": "who we accept credentials from",
  "entries": [
    {"name": "Lakeview Community College", "id": "did:web:lakeview.example"},
    {"name": "Hub organizations", "idPrefix": "did:web:hub.example:orgs:",
     "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00+00:00"},
    {"name": "Badge partner", "id": "https://example.edu/issuers/565049",
     "credentialTypes": ["OpenBadgeCredential", "AchievementCredential"]}
  ]
})";

TrustRegistry Load(const TempDir& dir, const std::string& text) {
  std::ofstream(dir.path() / "trust.json") << text;
  auto r = LoadTrustRegistry(dir.path() / "trust.json");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : TrustRegistry("", {});
}

TEST(TrustRegistry, Matches) {
  TempDir dir;
  const TrustRegistry trust = Load(dir, kTrustList);
  EXPECT_EQ(trust.name(), "Lakeview consortium");
  ASSERT_EQ(trust.entries().size(), 3u);
  const std::vector<std::string> vc = {"VerifiableCredential"};
  const std::vector<std::string> badge = {"VerifiableCredential", "OpenBadgeCredential"};
  const Timestamp mid = At("2026-06-01T00:00:00Z");

  auto exact = trust.Match("did:web:lakeview.example", vc, mid);
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_EQ(exact->name, "Lakeview Community College");
  EXPECT_EQ(exact->index, 0u);

  auto prefix = trust.Match("did:web:hub.example:orgs:cc", vc, mid);
  ASSERT_TRUE(prefix.ok()) << prefix.status().ToString();
  EXPECT_EQ(prefix->index, 1u);

  auto typed = trust.Match("https://example.edu/issuers/565049", badge, mid);
  ASSERT_TRUE(typed.ok()) << typed.status().ToString();
  EXPECT_EQ(typed->name, "Badge partner");
}

TEST(TrustRegistry, SaysWhyNot) {
  TempDir dir;
  const TrustRegistry trust = Load(dir, kTrustList);
  const std::vector<std::string> vc = {"VerifiableCredential"};
  struct Case {
    const char* issuer;
    const char* at;
    const char* message;
  };
  const Case kCases[] = {
      {"did:web:stranger.example", "2026-06-01T00:00:00Z", "not on trust list \"Lakeview consortium\""},
      {"did:web:lakeview.example:sub", "2026-06-01T00:00:00Z", "not on trust list"},  // exact means exact
      {"did:web:hub.example:orgsx", "2026-06-01T00:00:00Z", "not on trust list"},
      {"did:web:hub.example:orgs:cc", "2025-12-31T23:59:59Z",
       "entry 1 (Hub organizations): it trusts the issuer from 2026-01-01T00:00:00Z"},
      {"did:web:hub.example:orgs:cc", "2027-01-01T00:00:00Z",
       "entry 1 (Hub organizations): it trusted the issuer until 2027-01-01T00:00:00Z"},
      {"https://example.edu/issuers/565049", "2026-06-01T00:00:00Z",
       "it trusts the issuer only for OpenBadgeCredential, AchievementCredential"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.issuer);
    auto m = trust.Match(c.issuer, vc, At(c.at));
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), Code::kVerificationFailed);
    EXPECT_EQ(m.status().where(), c.issuer);
    EXPECT_NE(m.status().message().find(c.message), std::string::npos) << m.status().message();
  }
}

TEST(TrustRegistry, ErrorsNameTheFileAndPointer) {
  TempDir dir;
  const fs::path file = dir.path() / "trust.json";
  struct Case {
    const char* id;
    const char* text;
    const char* pointer;
  };
  const Case kCases[] = {
      {"no name", R"({"entries": []})", "/name"},
      {"no entries", R"({"name": "t"})", "/entries"},
      {"unknown member", R"({"name": "t", "entries": [], "trustEveryone": true})", "/trustEveryone"},
      {"both id and prefix",
       R"({"name": "t", "entries": [{"name": "a", "id": "did:web:a.example", "idPrefix": "did:web:"}]})",
       "/entries/0"},
      {"open prefix", R"({"name": "t", "entries": [{"name": "a", "idPrefix": "did:web:hub.example"}]})",
       "/entries/0/idPrefix"},
      {"misspelt restriction",
       R"({"name": "t", "entries": [{"name": "a", "id": "did:web:a.example", "credentialType": ["X"]}]})",
       "/entries/0/credentialType"},
      {"bad date",
       R"({"name": "t", "entries": [{"name": "a", "id": "did:web:a.example", "validUntil": "2026-13-01T00:00:00Z"}]})",
       "/entries/0/validUntil"},
      {"empty window",
       R"({"name": "t", "entries": [{"name": "a", "id": "did:web:a.example", "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2026-01-01T00:00:00Z"}]})",
       "/entries/0/validUntil"},
      {"type not a string",
       R"({"name": "t", "entries": [{"name": "a", "id": "did:web:a.example", "credentialTypes": ["X", 3]}]})",
       "/entries/0/credentialTypes/1"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.id);
    std::ofstream(file) << c.text;
    auto r = LoadTrustRegistry(file);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(r.status().where(), file.string() + ":" + c.pointer) << r.status().ToString();
  }
  EXPECT_EQ(LoadTrustRegistry(dir.path() / "absent.json").status().code(), Code::kNotFound);
}

// The hub's default trust list: its own organizations, every DID each has had.
TEST(TrustRegistry, FromOrganizations) {
  TempDir dir;
  OrgSpec web;
  web.slug = "cc";
  web.name = "Lakeview Community College";
  OrgSpec key;
  key.slug = "kk";
  key.name = "Key College";
  key.did_method = DidMethod::kKey;
  const Timestamp t1 = At("2026-01-01T00:00:00Z"), t2 = At("2026-06-01T00:00:00Z");
  ASSERT_TRUE(AddOrganization(dir.path(), web, {}, t1).ok());
  auto first = AddOrganization(dir.path(), key, {}, t1);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(RotateKey(dir.path(), "kk", {}, t2).ok());
  auto orgs = ListOrganizations(dir.path());
  ASSERT_TRUE(orgs.ok());

  const TrustRegistry trust = OrganizationsTrustRegistry(*orgs);
  EXPECT_EQ(trust.entries().size(), 3u);  // cc, and kk's two did:keys
  const Timestamp now = At("2026-07-01T00:00:00Z");
  EXPECT_EQ(trust.Match((*orgs)[0].Did(), {}, now)->name, "Lakeview Community College");
  EXPECT_EQ(trust.Match((*orgs)[1].Did(), {}, now)->name, "Key College");
  EXPECT_EQ(trust.Match(first->Did(), {}, now)->name, "Key College");  // the DID before rotation
  EXPECT_FALSE(trust.Match("did:web:localhost%3A8443:orgs:other", {}, now).ok());
}

}  // namespace
}  // namespace pathbridge::certs
