// Scope lists (command line and OAuth forms), subsets, and organization
// scoping.
#include "gateway/auth/scopes.h"

#include <gtest/gtest.h>

#include "gateway/auth/org_scope.h"
#include "gateway/problem.h"

namespace pathbridge::gateway::auth {
namespace {

TEST(ScopesTest, ParsesBothSpellingsIntoSortedUniqueLists) {
  auto csv = ParseScopeCsv("translate,credentials:issue,translate");
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(*csv, (ScopeList{"credentials:issue", "translate"}));
  auto param = ParseScopeParameter("ledger:append admin");
  ASSERT_TRUE(param.ok()) << param.status().ToString();
  EXPECT_EQ(*param, (ScopeList{"admin", "ledger:append"}));
  EXPECT_EQ(FormatScopes(*param), "admin ledger:append");
  for (auto scope : kKnownScopes) EXPECT_TRUE(ParseScopeCsv(scope).ok()) << scope;
}

TEST(ScopesTest, RefusesUnknownAndEmptyScopes) {
  for (std::string_view bad : {"", "translate,", ",admin", "translate,,admin", "Admin",
                               "credentials:*", "translate admin"}) {
    auto r = ParseScopeCsv(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  }
  auto unknown = ParseScopeParameter("translate superuser");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("superuser"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("credentials:status"), std::string::npos);  // the known list
  for (std::string_view bad : {"translate  admin", " translate", "translate ", "translate,admin"})
    EXPECT_FALSE(ParseScopeParameter(bad).ok()) << "'" << bad << "'";
}

TEST(ScopesTest, SubsetsAreExact) {
  ScopeList granted{"credentials:issue", "translate"};
  EXPECT_TRUE(IsSubset({}, granted));
  EXPECT_TRUE(IsSubset({"translate"}, granted));
  EXPECT_TRUE(IsSubset(granted, granted));
  EXPECT_FALSE(IsSubset({"admin"}, granted));
  EXPECT_FALSE(IsSubset({"credentials:issue", "credentials:status"}, granted));
  EXPECT_FALSE(IsSubset({"translate"}, {"admin"}));  // admin does not imply the others
}

Request WithPrincipal(std::string org, ScopeList scopes) {
  Request r;
  r.principal = Principal{"client-1", std::move(org), std::move(scopes)};
  return r;
}

TEST(OrgScopeTest, AClientActsOnlyForItsOwnOrganizationUnlessAdmin) {
  EXPECT_TRUE(RequireOrg(WithPrincipal("college-a", {"credentials:issue"}), "college-a").ok());
  Status other = RequireOrg(WithPrincipal("college-a", {"credentials:issue"}), "college-b");
  EXPECT_EQ(other.code(), Code::kPermissionDenied);
  EXPECT_EQ(ProblemFromStatus(other, "id").status, 403);
  EXPECT_EQ(RequireOrg(WithPrincipal("college-a", {}), "").code(), Code::kPermissionDenied);
  EXPECT_TRUE(RequireOrg(WithPrincipal("hub", {"admin"}), "college-b").ok());
  EXPECT_EQ(RequireOrg(Request{}, "college-a").code(), Code::kPermissionDenied);  // no token
}

}  // namespace
}  // namespace pathbridge::gateway::auth
