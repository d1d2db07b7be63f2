#include "tests/testing/http_testing.h"

#include <gtest/gtest.h>

#include "gateway/ledger_routes.h"
#include "gateway/problem.h"
#include "ledger/ledger_dir.h"

namespace pathbridge::testing {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

std::string Str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string().data(), v.as_string().size()) : "";
}

void ExpectProblem(const Fetched& f, int status, std::string_view context) {
  ASSERT_FALSE(f.ec) << context << ": " << f.ec.message();
  EXPECT_EQ(f.status(), status) << context << ": " << f.res.body();
  EXPECT_EQ(f.header(http::field::content_type), gateway::kProblemContentType) << context;
  boost::json::object j;
  ASSERT_NO_THROW(j = f.json()) << context << ": " << f.res.body();
  EXPECT_EQ(j.at("status"), status) << context;
  EXPECT_TRUE(j.at("type").is_string() && j.at("title").is_string() && j.at("detail").is_string())
      << context;
  std::string id = f.header("X-Request-Id");
  EXPECT_EQ(id.size(), 32u) << context;
  EXPECT_EQ(Str(j.at("instance")), id) << context;
}

gateway::ServerOptions TestOptions() {
  gateway::ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.threads = 2;
  o.max_body_bytes = 256 << 10;
  o.read_timeout = 5s;
  o.idle_timeout = 5s;
  o.shutdown_timeout = 5s;
  return o;
}

gateway::auth::AuthOptions DevAuthOptions() {
  gateway::auth::AuthOptions o;
  o.bearer.loopback_admin = true;
  return o;
}

TestServer::TestServer(gateway::ServerOptions options,
                       const std::function<void(gateway::Router&, ledger::Log&)>& extra,
                       gateway::auth::AuthOptions auth, std::filesystem::path data_dir)
    : TestServer(
          std::move(options),
          [&extra](gateway::Router& router, ledger::Log& log, const std::filesystem::path&) {
            if (extra) extra(router, log);
          },
          std::move(auth), std::move(data_dir)) {}

TestServer::TestServer(
    gateway::ServerOptions options,
    const std::function<void(gateway::Router&, ledger::Log&, const std::filesystem::path&)>& extra,
    gateway::auth::AuthOptions auth, std::filesystem::path data_dir)
    : data_dir_(data_dir.empty() ? dir_.path() : std::move(data_dir)) {
  ledger::LogOptions log_options;
  log_options.checkpoint_interval = 5ms;
  auto log = ledger::OpenLedger(data_dir_, "test.example/http", log_options);
  if (!log.ok()) throw std::runtime_error(log.status().ToString());
  log_ = std::move(*log);
  auto opened = gateway::auth::Auth::Open(data_dir_, std::move(auth));
  if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
  auth_ = std::move(*opened);
  gateway::Router router;
  gateway::AddLedgerRoutes(router, *log_);
  if (extra) extra(router, *log_, data_dir_);
  auth_->Install(router);
  server_ = std::make_unique<gateway::Server>(options, std::move(router));
  auto port = server_->Listen();
  if (!port.ok()) throw std::runtime_error(port.status().ToString());
  port_ = *port;
  thread_ = std::thread([this] { server_->Run(); });
}

TestServer::~TestServer() { Stop(); }

void TestServer::Stop() {
  if (!thread_.joinable()) return;
  server_->Stop();
  thread_.join();
}

void TestServer::StopAsync() { server_->Stop(); }
void TestServer::Join() { thread_.join(); }

}  // namespace pathbridge::testing
