// AccessLog: the request and lifecycle lines, and what they must never hold.
#include "gateway/access_log.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "standards/json.h"

namespace pathbridge::gateway {
namespace {

using namespace std::chrono_literals;

struct Lines {
  std::vector<std::string> lines;
  AccessLog::Sink Sink() {
    return [this](std::string_view line) { lines.emplace_back(line); };
  }
};

Request Authenticated() {
  Request req;
  req.method = "POST";
  req.target = "/credentials/verify?token=s3cr3t-value";
  req.path = "/ledger/entries/17/proof";
  req.route = "/ledger/entries/{index}/proof";
  req.request_id = "0123456789abcdef0123456789abcdef";
  req.remote_address = "192.0.2.7";
  req.headers = {{"authorization", "Bearer tok-SECRET"}};
  req.body = "{\"name\":\"Student Name\"}";
  req.query = {{"token", "s3cr3t-value"}};
  req.principal = Principal{.client_id = "client-1", .org = "lakeview-cc", .scopes = {"admin"}};
  return req;
}

TEST(AccessLogTest, ARequestIsOneJsonLineWithTheAgreedFields) {
  Lines out;
  AccessLog log(LogFormat::kJson, out.Sink());
  log.RequestFinished(Authenticated(),
                      {.status = 201, .body_bytes = 42, .duration = 1500us, .written = true});
  ASSERT_EQ(out.lines.size(), 1u);
  const std::string& line = out.lines[0];
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  auto parsed = json::Parse(line);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto& o = parsed->as_object();
  EXPECT_EQ(o.at("level"), "info");
  EXPECT_EQ(o.at("event"), "request");
  EXPECT_EQ(o.at("request_id"), "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(o.at("method"), "POST");
  EXPECT_EQ(o.at("route"), "/ledger/entries/{index}/proof");
  EXPECT_EQ(o.at("status"), 201);
  EXPECT_EQ(o.at("duration_ms").to_number<double>(), 1.5);
  EXPECT_EQ(o.at("bytes"), 42);
  EXPECT_EQ(o.at("remote"), "192.0.2.7");
  EXPECT_EQ(o.at("client_id"), "client-1");
  ASSERT_TRUE(o.at("time").is_string());
  EXPECT_TRUE(std::regex_match(std::string(o.at("time").as_string()),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << o.at("time");
  for (std::string_view secret : {"s3cr3t", "SECRET", "Student", "/17/", "lakeview", "verify"})
    EXPECT_EQ(line.find(secret), std::string::npos) << secret << " in " << line;
}

TEST(AccessLogTest, LevelsUnmatchedRoutesAndUnsentResponses) {
  Lines out;
  AccessLog log(LogFormat::kJson, out.Sink());
  Request req;
  req.method = "X-EVIL\"METHOD";
  req.request_id = "id";
  log.RequestFinished(req, {.status = 404, .written = true});
  log.RequestFinished(Request{}, {.status = 503, .body_bytes = 9, .written = false});
  ASSERT_EQ(out.lines.size(), 2u);
  auto a = json::Parse(out.lines[0])->as_object();
  EXPECT_EQ(a.at("level"), "warn");
  EXPECT_EQ(a.at("route"), "(unmatched)");
  EXPECT_EQ(a.at("method"), "OTHER");
  EXPECT_FALSE(a.contains("client_id"));
  auto b = json::Parse(out.lines[1])->as_object();
  EXPECT_EQ(b.at("level"), "error");
  EXPECT_EQ(b.at("method"), "-");
  EXPECT_EQ(b.at("bytes"), 0);
  EXPECT_TRUE(b.contains("error"));
}

TEST(AccessLogTest, TextFormatAndLifecycleEvents) {
  Lines out;
  AccessLog text(LogFormat::kText, out.Sink());
  text.RequestFinished(Authenticated(), {.status = 200, .body_bytes = 5, .duration = 2ms, .written = true});
  text.Event("listening", {{"url", "https://127.0.0.1:8443"}});
  ASSERT_EQ(out.lines.size(), 2u);
  EXPECT_NE(out.lines[0].find(" info request request_id=0123456789abcdef0123456789abcdef method=POST "
                              "route=/ledger/entries/{index}/proof status=200 duration_ms=2.000 bytes=5 "
                              "remote=192.0.2.7 client_id=client-1\n"),
            std::string::npos)
      << out.lines[0];
  EXPECT_NE(out.lines[1].find(" info listening url=https://127.0.0.1:8443\n"), std::string::npos)
      << out.lines[1];

  AccessLog json_log(LogFormat::kJson, out.Sink());
  json_log.Event("ledger_closed", {{"ledger_size", "3"}});
  auto o = json::Parse(out.lines[2])->as_object();
  EXPECT_EQ(o.at("event"), "ledger_closed");
  EXPECT_EQ(o.at("ledger_size"), "3");
}

TEST(AccessLogTest, JsonValuesAreEscaped) {
  Lines out;
  AccessLog log(LogFormat::kJson, out.Sink());
  log.Event("odd", {{"value", "quote \" backslash \\ newline \n tab \t"}});
  auto parsed = json::Parse(out.lines.at(0));
  ASSERT_TRUE(parsed.ok()) << out.lines[0];
  EXPECT_EQ(parsed->at("value"), "quote \" backslash \\ newline \n tab \t");
  EXPECT_EQ(out.lines[0].find('\n'), out.lines[0].size() - 1);
}

TEST(AccessLogTest, ParsesTheFormatNames) {
  EXPECT_EQ(*ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_EQ(*ParseLogFormat("text"), LogFormat::kText);
  EXPECT_FALSE(ParseLogFormat("xml").ok());
}

}  // namespace
}  // namespace pathbridge::gateway
