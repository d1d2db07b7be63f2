// Router, target parsing and problem responses, without a socket.
#include "gateway/router.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "gateway/problem.h"

namespace pathbridge::gateway {
namespace {

struct Captured {
  std::optional<Response> response;
};

// A Reply that stores what it is given.
std::pair<Reply, std::shared_ptr<Captured>> Capture(const std::string& id = "req-1") {
  auto c = std::make_shared<Captured>();
  return {Reply(id, [c](Response r) { c->response = std::move(r); }), c};
}

std::optional<std::string> HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return std::nullopt;
}

Handler Echo(std::string tag) {
  return [tag](const Request& req, Reply reply) {
    std::string out = tag;
    for (const auto& [k, v] : req.params) out += " " + k + "=" + v;
    for (const auto& [k, v] : req.query) out += " ?" + k + "=" + v;
    reply(TextResponse(200, out));
  };
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add("GET", "/healthz", Echo("health"));
    router_.Add("GET", "/items/{id}/proof", Echo("proof"));
    router_.Add("GET", "/files/{path...}", Echo("file"));
    router_.Add("GET", "/search", Echo("search"), {.query = {"index", "size"}});
    router_.Add("POST", "/items", Echo("append"), {.scope = "admin"});
    router_.Add("GET", "/items", Echo("list"));
  }

  Response Send(std::string method, std::string target, bool loopback = true) {
    Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.request_id = "req-1";
    req.remote_loopback = loopback;
    auto [reply, captured] = Capture();
    router_.Dispatch(req, std::move(reply));  // no copy left here: see the dropped-reply test
    EXPECT_TRUE(captured->response.has_value());
    return captured->response.value_or(Response{});
  }

  Router router_;
};

TEST(ParseDecimalTest, AcceptsCanonicalNumbers) {
  EXPECT_EQ(*ParseDecimal("0", "n"), 0u);
  EXPECT_EQ(*ParseDecimal("123", "n"), 123u);
  EXPECT_EQ(*ParseDecimal("18446744073709551615", "n"), UINT64_MAX);
}

TEST(ParseDecimalTest, RejectsSignsLeadingZerosOverflowAndJunk) {
  for (std::string_view bad : {"", "-1", "+1", "01", "00", "18446744073709551616",
                               "99999999999999999999", "123456789012345678901", "1a", " 1", "1 ",
                               "0x10", "1e3", "1.0"}) {
    auto r = ParseDecimal(bad, "n");
    EXPECT_FALSE(r.ok()) << "'" << bad << "'";
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    }
  }
}

TEST(ParseTargetTest, SplitsPathAndDecodesQuery) {
  auto t = ParseTarget("/a/b?x=1&y=%41%62&z=");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->path, "/a/b");
  EXPECT_EQ(t->query.at("x"), "1");
  EXPECT_EQ(t->query.at("y"), "Ab");
  EXPECT_EQ(t->query.at("z"), "");
  EXPECT_TRUE(ParseTarget("/").ok());
  EXPECT_TRUE(ParseTarget("/a?").ok());
  EXPECT_TRUE(ParseTarget("/tile/0/x001/234.p/5").ok());
}

TEST(ParseTargetTest, RejectsNonCanonicalAndMaliciousPaths) {
  using namespace std::string_literals;
  for (std::string bad :
       {""s, "a"s, "*"s, "http://host/a"s, "//a"s, "/a//b"s, "/a/"s, "/./a"s, "/a/."s, "/a/.."s,
        "/a/../b"s, "/.."s, "/a/%2e%2e/b"s, "/%2E%2E"s, "/a%2fb"s, "/a%00"s, "/a\0b"s, "/a b"s,
        "/a\\b"s, "/a\\..\\b"s, "/\xc3\xa4"s, "/a#frag"s, "/a?b=1#frag"s, "/a\r\nX: y"s,
        "/a\tb"s, "/a\x7f"s}) {
    auto t = ParseTarget(bad);
    EXPECT_FALSE(t.ok()) << "'" << bad << "'";
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
    }
  }
}

TEST(ParseTargetTest, RejectsMalformedQueries) {
  for (std::string_view bad :
       {"/a?x", "/a?=1", "/a?x=1&x=2", "/a?x=1&", "/a?&x=1", "/a?x=1&&y=2", "/a?x=%zz",
        "/a?x=%0", "/a?x=%", "/a?x=%00", "/a?x=%0a", "/a?x=1 2", "/a?x=\x01"}) {
    EXPECT_FALSE(ParseTarget(bad).ok()) << "'" << bad << "'";
  }
  std::string many = "/a?";
  for (int i = 0; i < 40; ++i) many += (i ? "&p" : "p") + std::to_string(i) + "=1";
  EXPECT_FALSE(ParseTarget(many).ok());
}

TEST_F(RouterTest, MatchesLiteralsAndParameters) {
  EXPECT_EQ(Send("GET", "/healthz").body, "health");
  EXPECT_EQ(Send("GET", "/items/42/proof").body, "proof id=42");
  EXPECT_EQ(Send("GET", "/files/0/x001/234.p/7").body, "file path=0/x001/234.p/7");
  EXPECT_EQ(Send("GET", "/files/a").body, "file path=a");
  EXPECT_EQ(Send("GET", "/items").body, "list");
}

TEST_F(RouterTest, ListsItsRoutesInOrder) {
  auto routes = router_.Routes();
  ASSERT_EQ(routes.size(), 6u);
  EXPECT_EQ(routes[1].method, "GET");
  EXPECT_EQ(routes[1].pattern, "/items/{id}/proof");
  EXPECT_EQ(routes[2].pattern, "/files/{path...}");
  EXPECT_EQ(routes[3].options.query, (std::vector<std::string>{"index", "size"}));
  EXPECT_EQ(routes[4].method, "POST");
  EXPECT_EQ(routes[4].options.scope, "admin");
}

TEST_F(RouterTest, TheMatchedPatternIsTheRequestsRoute) {
  std::string seen;
  router_.Add("GET", "/seen/{id}", [&seen](const Request& req, Reply reply) {
    seen = req.route;
    reply(TextResponse(200, ""));
  });
  Send("GET", "/seen/12345");
  EXPECT_EQ(seen, "/seen/{id}");
  Request unmatched;
  unmatched.method = "GET";
  unmatched.target = "/nothing";
  auto [reply, captured] = Capture();
  router_.Dispatch(unmatched, std::move(reply));
  EXPECT_EQ(unmatched.route, "");
  EXPECT_EQ(captured->response->status, 404);
}

TEST_F(RouterTest, UnknownPathsAre404Problems) {
  for (std::string_view target : {"/nothing", "/files", "/items/42", "/items/42/proof/x",
                                  "/healthz/x", "/"}) {
    Response r = Send("GET", std::string(target));
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.content_type, kProblemContentType);
  }
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  Response r = Send("DELETE", "/healthz");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(HeaderOf(r, "Allow"), "GET, HEAD");
  r = Send("PUT", "/items");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(HeaderOf(r, "Allow"), "POST, GET, HEAD");
  EXPECT_EQ(Send("POST", "/healthz").status, 405);
}

TEST_F(RouterTest, HeadRunsTheGetRoute) {
  EXPECT_EQ(Send("HEAD", "/healthz").body, "health");
  EXPECT_EQ(Send("HEAD", "/items/1/proof").status, 200);
}

TEST_F(RouterTest, MaliciousTargetsNeverReachAHandler) {
  for (std::string_view target :
       {"/files/../healthz", "/files/%2e%2e/x", "/files//etc/passwd", "/files/./a",
        "/files/a%00b", "/files/a\\b", "http://evil/files/a", "/files/a/"}) {
    Response r = Send("GET", std::string(target));
    EXPECT_TRUE(r.status == 400 || r.status == 404) << target << " -> " << r.status;
    EXPECT_EQ(r.body.find("file path="), std::string::npos) << target;
  }
}

TEST_F(RouterTest, QueryParametersAreDeclaredPerRoute) {
  EXPECT_EQ(Send("GET", "/search?index=1&size=2").body, "search ?index=1 ?size=2");
  EXPECT_EQ(Send("GET", "/search?index=1&bogus=2").status, 400);
  EXPECT_EQ(Send("GET", "/healthz?x=1").status, 400);
  EXPECT_EQ(Send("GET", "/search?index=1&index=2").status, 400);
  EXPECT_EQ(Send("GET", "/search?index").status, 400);
}

TEST_F(RouterTest, OverlongTargetIs414) {
  EXPECT_EQ(Send("GET", "/files/" + std::string(kMaxTargetLength, 'a')).status, 414);
}

TEST_F(RouterTest, ScopedRoutesAreRefusedWithoutAGuard) {
  for (bool loopback : {true, false}) {
    Response r = Send("POST", "/items", loopback);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.content_type, kProblemContentType);
  }
  EXPECT_EQ(Send("GET", "/items", /*loopback=*/false).status, 200);  // open routes stay open
}

TEST_F(RouterTest, TheGuardSeesTheRouteAndTheParsedRequest) {
  std::vector<std::string> seen;
  router_.SetGuard([&seen](Request& req, const RouteOptions& route) -> std::optional<Response> {
    seen.push_back(req.path + " " + route.scope);
    if (route.scope.empty()) return std::nullopt;
    if (req.Header("Authorization") != "Bearer ok") return Problem(401, "no", req.request_id);
    req.principal = Principal{"c1", "cc", {route.scope}};
    return std::nullopt;
  });
  router_.Add("POST", "/who/{org}", [](const Request& req, Reply reply) {
    reply(TextResponse(200, req.principal->client_id + "@" + req.params.at("org")));
  }, {.scope = "translate"});
  EXPECT_EQ(Send("POST", "/items").status, 401);
  EXPECT_EQ(Send("GET", "/items/7/proof").body, "proof id=7");
  Request req;
  req.method = "POST";
  req.target = "/who/cc";
  req.request_id = "req-2";
  req.headers.emplace_back("authorization", "Bearer ok");
  auto [reply, captured] = Capture("req-2");
  router_.Dispatch(req, std::move(reply));
  ASSERT_TRUE(captured->response.has_value());
  EXPECT_EQ(captured->response->body, "c1@cc");
  EXPECT_EQ(seen, (std::vector<std::string>{"/items admin", "/items/7/proof ", "/who/cc translate"}));
}

// What the server asks from a header alone, for body_to_file routes.
TEST_F(RouterTest, OptionsForAndPreflightRouteWithoutRunningTheHandler) {
  bool ran = false;
  router_.Add("POST", "/upload", [&ran](const Request&, Reply) { ran = true; },
              {.query = {"to"}, .scope = "translate", .body_to_file = true,
               .max_file_body_bytes = 7});
  router_.SetGuard([](Request& req, const RouteOptions& route) -> std::optional<Response> {
    if (route.scope.empty()) return std::nullopt;
    if (req.Header("Authorization") != "Bearer ok") return Problem(401, "no", req.request_id);
    req.principal = Principal{"c1", "cc", {route.scope}};
    return std::nullopt;
  });
  const RouteOptions* options = router_.OptionsFor("POST", "/upload?to=x");
  ASSERT_NE(options, nullptr);
  EXPECT_TRUE(options->body_to_file);
  EXPECT_EQ(options->max_file_body_bytes, 7u);
  EXPECT_EQ(router_.OptionsFor("POST", "/nothing"), nullptr);
  EXPECT_EQ(router_.OptionsFor("GET", "/upload"), nullptr);
  EXPECT_EQ(router_.OptionsFor("POST", "/upload/../x"), nullptr);
  EXPECT_FALSE(router_.OptionsFor("GET", "/healthz")->body_to_file);

  auto preflight = [this](std::string target, std::string auth) {
    Request req;
    req.method = "POST";
    req.target = std::move(target);
    req.request_id = "req-3";
    if (!auth.empty()) req.headers.emplace_back("authorization", auth);
    auto answer = router_.Preflight(req);
    return std::make_pair(answer ? answer->status : 0, req);
  };
  EXPECT_EQ(preflight("/upload?to=x", "").first, 401);
  EXPECT_EQ(preflight("/upload?from=x", "Bearer ok").first, 400);
  EXPECT_EQ(preflight("/nothing", "Bearer ok").first, 404);
  auto [status, req] = preflight("/upload?to=x", "Bearer ok");
  EXPECT_EQ(status, 0);
  EXPECT_EQ(req.query.at("to"), "x");
  ASSERT_TRUE(req.principal.has_value());
  EXPECT_EQ(req.principal->client_id, "c1");
  EXPECT_FALSE(ran);
}

TEST_F(RouterTest, HandlerExceptionsBecome500WithoutDetails) {
  router_.Add("GET", "/boom", [](const Request&, Reply) {
    throw std::runtime_error("secret database path /var/x");
  });
  Response r = Send("GET", "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
}

TEST_F(RouterTest, RepliesFromAnotherThreadAndDroppedReplies) {
  router_.Add("GET", "/later", [](const Request&, Reply reply) {
    std::thread([reply] { reply(TextResponse(200, "later")); }).join();
    reply(TextResponse(500, "ignored: only the first call counts"));
  });
  EXPECT_EQ(Send("GET", "/later").body, "later");
  router_.Add("GET", "/forgetful", [](const Request&, Reply) {});
  EXPECT_EQ(Send("GET", "/forgetful").status, 500);
}

TEST(ProblemTest, CarriesRfc9457MembersAndTheRequestId) {
  Response r = ProblemFromStatus(NotFound("no entry at this index", "index"), "abc123");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto j = boost::json::parse(r.body).as_object();
  EXPECT_EQ(j.at("type"), "about:blank");
  EXPECT_EQ(j.at("title"), "Not Found");
  EXPECT_EQ(j.at("status"), 404);
  EXPECT_EQ(j.at("detail"), "index: no entry at this index");
  EXPECT_EQ(j.at("instance"), "abc123");
}

TEST(ProblemTest, ServerErrorsHideTheirCause) {
  for (Code code : {Code::kCorruption, Code::kInternal, Code::kIoError}) {
    Response r = ProblemFromStatus(Status(code, "sqlite: /home/alice/var/log.db is locked"), "id");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("alice"), std::string::npos);
    EXPECT_EQ(r.body.find("sqlite"), std::string::npos);
  }
}

TEST(ProblemTest, MapsCodesToHttpStatuses) {
  EXPECT_EQ(HttpStatusFor(Code::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(Code::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(Code::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(Code::kVerificationFailed), 422);
  EXPECT_EQ(HttpStatusFor(Code::kResourceExhausted), 413);
  EXPECT_EQ(HttpStatusFor(Code::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(Code::kCorruption), 500);
  EXPECT_EQ(ProblemFromStatus(Status(Code::kResourceExhausted, "queue"), "id", 429).status, 429);
}

}  // namespace
}  // namespace pathbridge::gateway
