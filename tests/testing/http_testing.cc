#include "tests/testing/http_testing.h"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <stdexcept>

#include "gateway/ledger_routes.h"
#include "gateway/problem.h"
#include "ledger/ledger_dir.h"

namespace pathbridge::testing {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

Client::Client(uint16_t port) : stream_(ioc_) {
  stream_.expires_after(10s);
  stream_.async_connect(tcp::endpoint(net::ip::address_v4::loopback(), port),
                        [this](beast::error_code ec) { connect_ec_ = ec; });
  Drive();
}

beast::error_code Client::WriteRaw(std::string data, std::chrono::milliseconds timeout) {
  beast::error_code out;
  stream_.expires_after(timeout);
  net::async_write(stream_, net::buffer(data), [&](beast::error_code ec, size_t) { out = ec; });
  Drive();
  return out;
}

Fetched Client::Read(bool head, std::chrono::milliseconds timeout) {
  Fetched f;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  parser.skip(head);
  stream_.expires_after(timeout);
  http::async_read(stream_, buffer_, parser, [&](beast::error_code ec, size_t) { f.ec = ec; });
  Drive();
  if (!f.ec) f.res = parser.release();
  return f;
}

Fetched Client::Send(http::verb verb, std::string target, std::string body,
                     std::map<std::string, std::string> headers) {
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = std::move(body);
  if (verb == http::verb::post || !req.body().empty()) req.prepare_payload();
  beast::error_code ec;
  stream_.expires_after(10s);
  http::async_write(stream_, req, [&](beast::error_code e, size_t) { ec = e; });
  Drive();
  if (ec) return Fetched{ec, {}};
  return Read(verb == http::verb::head);
}

bool Client::ClosedByPeerWithin(std::chrono::milliseconds timeout) {
  stream_.expires_after(timeout);
  for (;;) {
    beast::error_code out;
    std::array<char, 512> sink;
    stream_.async_read_some(net::buffer(sink), [&](beast::error_code ec, size_t) { out = ec; });
    Drive();
    if (out == beast::error::timeout) return false;
    if (out) return true;
  }
}

void Client::Drive() {
  ioc_.restart();
  ioc_.run();
}

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
                       gateway::auth::AuthOptions auth) {
  ledger::LogOptions log_options;
  log_options.checkpoint_interval = 5ms;
  auto log = ledger::OpenLedger(dir_.path(), "test.example/http", log_options);
  if (!log.ok()) throw std::runtime_error(log.status().ToString());
  log_ = std::move(*log);
  auto opened = gateway::auth::Auth::Open(dir_.path(), std::move(auth));
  if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
  auth_ = std::move(*opened);
  gateway::Router router;
  gateway::AddLedgerRoutes(router, *log_);
  if (extra) extra(router, *log_);
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
