// `pathbridge serve` settings: the config file, the environment, and the
// checks every source goes through.
#include "gateway/serve_config.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/testing/test_util.h"

namespace pathbridge::gateway {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ServeConfigTest, TheDefaultsAreValid) {
  ServeArgs a;
  EXPECT_TRUE(Validate(a).ok()) << Validate(a).ToString();
  EXPECT_EQ(a.log_format, "json");
  EXPECT_EQ(a.metrics_access, "loopback");
  EXPECT_EQ(a.max_connections, 4096);
}

TEST(ServeConfigTest, AFileSetsGroupedSettings) {
  ServeArgs a;
  Status s = ApplyConfigText(R"({
    "listen": "0.0.0.0:9443", "data": "/srv/pb", "threads": 8,
    "tls": {"cert": "/etc/pb/chain.pem", "key": "/etc/pb/key.pem", "client_certs": "optional", "tls12": true},
    "auth": {"token_lifetime_s": 600, "open_rate_limit": 2.5},
    "limits": {"max_connections": 100, "max_header_bytes": 8192, "read_timeout_s": 5},
    "shutdown": {"drain_delay_s": 3},
    "log": {"format": "text"}, "metrics": {"access": "admin"}
  })", "pb.json", &a);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(a.listen, "0.0.0.0:9443");
  EXPECT_EQ(a.data, "/srv/pb");
  EXPECT_EQ(a.threads, 8);
  EXPECT_EQ(a.tls_cert, "/etc/pb/chain.pem");
  EXPECT_EQ(a.client_certs, "optional");
  EXPECT_TRUE(a.tls12);
  EXPECT_EQ(a.token_lifetime_s, 600);
  EXPECT_EQ(a.open_rate_limit, 2.5);
  EXPECT_EQ(a.max_connections, 100);
  EXPECT_EQ(a.max_header_bytes, 8192);
  EXPECT_EQ(a.read_timeout_s, 5);
  EXPECT_EQ(a.drain_delay_s, 3);
  EXPECT_EQ(a.log_format, "text");
  EXPECT_EQ(a.metrics_access, "admin");
  EXPECT_EQ(a.idle_timeout_s, 60);  // not named: the default stays
  EXPECT_TRUE(Validate(a).ok());
}

TEST(ServeConfigTest, FileErrorsSayWhere) {
  ServeArgs a;
  Status syntax = ApplyConfigText("{\n  \"threads\": 2,\n  \"listen\": }", "pb.json", &a);
  EXPECT_EQ(syntax.code(), Code::kInvalidArgument);
  EXPECT_EQ(syntax.where().rfind("pb.json:3:13", 0), 0u) << syntax.ToString();

  Status unknown = ApplyConfigText(R"({"limits": {"max_conections": 3}})", "pb.json", &a);
  EXPECT_EQ(unknown.where(), "pb.json /limits/max_conections") << unknown.ToString();
  EXPECT_NE(unknown.message().find("unknown setting"), std::string::npos);

  EXPECT_EQ(ApplyConfigText(R"({"nothing": 1})", "f", &a).where(), "f /nothing");
  EXPECT_EQ(ApplyConfigText(R"({"tls": "yes"})", "f", &a).where(), "f /tls");
  EXPECT_EQ(ApplyConfigText(R"({"threads": "8"})", "f", &a).where(), "f /threads");
  EXPECT_EQ(ApplyConfigText(R"({"threads": 2.5})", "f", &a).where(), "f /threads");
  EXPECT_EQ(ApplyConfigText(R"({"plain": 1})", "f", &a).where(), "f /plain");
  EXPECT_EQ(ApplyConfigText(R"({"listen": 8443})", "f", &a).where(), "f /listen");
  EXPECT_EQ(ApplyConfigText(R"({"threads": 1, "threads": 2})", "f", &a).code(),
            Code::kInvalidArgument);  // duplicate keys: the strict parser
  EXPECT_FALSE(ApplyConfigText("[]", "f", &a).ok());
  EXPECT_EQ(ApplyConfigFile("/nonexistent/pb.json", &a).code(), Code::kNotFound);
}

TEST(ServeConfigTest, ARealFileIsRead) {
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "pb.json", R"({"plain": true, "listen": "127.0.0.1:0"})");
  ServeArgs a;
  ASSERT_TRUE(ApplyConfigFile(dir.path() / "pb.json", &a).ok());
  EXPECT_TRUE(a.plain);
  EXPECT_EQ(a.listen, "127.0.0.1:0");
}

TEST(ServeConfigTest, EnvironmentVariablesOverride) {
  EXPECT_EQ(EnvironmentName("listen"), "PATHBRIDGE_LISTEN");
  EXPECT_EQ(EnvironmentName("limits.max_connections"), "PATHBRIDGE_LIMITS_MAX_CONNECTIONS");
  ServeArgs a;
  ASSERT_TRUE(ApplyConfigText(R"({"listen": "127.0.0.1:1", "threads": 3})", "f", &a).ok());
  Status s = ApplyEnvironment(Env({{"PATHBRIDGE_LISTEN", "127.0.0.1:2"},
                                   {"PATHBRIDGE_TLS_TLS12", "true"},
                                   {"PATHBRIDGE_AUTH_OPEN_RATE_LIMIT", "0.5"},
                                   {"PATHBRIDGE_LOG_FORMAT", "text"},
                                   {"PATHBRIDGE_UNRELATED", "x"}}),
                              &a);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(a.listen, "127.0.0.1:2");
  EXPECT_EQ(a.threads, 3);
  EXPECT_TRUE(a.tls12);
  EXPECT_EQ(a.open_rate_limit, 0.5);
  EXPECT_EQ(a.log_format, "text");

  EXPECT_EQ(ApplyEnvironment(Env({{"PATHBRIDGE_THREADS", "many"}}), &a).where(), "PATHBRIDGE_THREADS");
  EXPECT_EQ(ApplyEnvironment(Env({{"PATHBRIDGE_THREADS", "4x"}}), &a).where(), "PATHBRIDGE_THREADS");
  EXPECT_EQ(ApplyEnvironment(Env({{"PATHBRIDGE_PLAIN", "yes"}}), &a).where(), "PATHBRIDGE_PLAIN");
}

TEST(ServeConfigTest, ValidateChecksRangesChoicesAndCombinations) {
  auto invalid = [](auto change) {
    ServeArgs a;
    change(a);
    return Validate(a);
  };
  Status threads = invalid([](ServeArgs& a) { a.threads = 0; });
  EXPECT_EQ(threads.code(), Code::kInvalidArgument);
  EXPECT_EQ(threads.where(), "threads (--threads, PATHBRIDGE_THREADS)");
  EXPECT_FALSE(invalid([](ServeArgs& a) { a.max_connections = 0; }).ok());
  EXPECT_FALSE(invalid([](ServeArgs& a) { a.max_header_bytes = 100; }).ok());
  EXPECT_FALSE(invalid([](ServeArgs& a) { a.open_rate_limit = 0; }).ok());
  EXPECT_FALSE(invalid([](ServeArgs& a) { a.token_lifetime_s = 10; }).ok());
  EXPECT_FALSE(invalid([](ServeArgs& a) { a.log_format = "xml"; }).ok());
  EXPECT_FALSE(invalid([](ServeArgs& a) { a.metrics_access = "everyone"; }).ok());
  EXPECT_FALSE(invalid([](ServeArgs& a) { a.client_certs = "maybe"; }).ok());
  EXPECT_FALSE(invalid([](ServeArgs& a) { a.tls_cert = "c.pem"; }).ok());  // without tls.key
  EXPECT_FALSE(invalid([](ServeArgs& a) { a.plain = a.tls12 = true; }).ok());
  EXPECT_FALSE(invalid([](ServeArgs& a) { a.allow_plain_remote = true; }).ok());
  EXPECT_TRUE(invalid([](ServeArgs& a) { a.plain = a.allow_plain_remote = true; }).ok());
}

TEST(ServeConfigTest, EverySettingHasAUniqueKeyAndFlag) {
  std::set<std::string_view> keys, flags;
  for (const auto& s : ServeSettings()) {
    EXPECT_TRUE(keys.insert(s.key).second) << s.key;
    EXPECT_TRUE(flags.insert(s.flag).second) << s.flag;
    EXPECT_TRUE(s.flag.starts_with("--")) << s.flag;
    EXPECT_FALSE(s.help.empty()) << s.key;
  }
  ServeArgs from, to;
  from.threads = 9;
  for (const auto& s : ServeSettings())
    if (s.key == "threads") CopySetting(s, from, &to);
  EXPECT_EQ(to.threads, 9);
}

}  // namespace
}  // namespace pathbridge::gateway
