// HTTP integration testing: a real Server on 127.0.0.1 (ephemeral port)
// over a real Log and the real auth (gateway/auth/auth.h) in a temp dir,
// run on its own thread; and a small synchronous Beast client (async
// operations under a deadline) to talk to it, byte-exact when needed.
//
// Thread-safety: a Client belongs to one thread; a TestServer is made and
// stopped on one thread while clients on others talk to it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "gateway/auth/auth.h"
#include "gateway/server.h"
#include "ledger/log.h"
#include "tests/testing/test_util.h"

namespace pathbridge::testing {

namespace beast = boost::beast;
namespace http = beast::http;

struct Fetched {
  beast::error_code ec;
  http::response<http::string_body> res;
  int status() const { return ec ? 0 : static_cast<int>(res.result_int()); }
  std::string header(http::field f) const { return std::string(res[f]); }
  std::string header(std::string_view name) const { return std::string(res[name]); }
  boost::json::object json() const { return boost::json::parse(res.body()).as_object(); }
};

class Client {
 public:
  explicit Client(uint16_t port);
  const beast::error_code& connect_error() const { return connect_ec_; }

  beast::error_code WriteRaw(std::string data,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10));
  Fetched Read(bool head = false, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  Fetched Send(http::verb verb, std::string target, std::string body = {},
               std::map<std::string, std::string> headers = {});
  Fetched Get(std::string target) { return Send(http::verb::get, std::move(target)); }

  // Waits for the server to close the connection: eof or reset before the
  // deadline (any bytes that arrive first are discarded).
  bool ClosedByPeerWithin(std::chrono::milliseconds timeout);

 private:
  void Drive();

  boost::asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  beast::error_code connect_ec_;
};

std::string Str(const boost::json::value& v);

// A problem+json answer with this status, whose instance is its X-Request-Id.
void ExpectProblem(const Fetched& f, int status, std::string_view context = {});

// Small limits and timeouts, port 0.
gateway::ServerOptions TestOptions();

// What the ledger tests ran with before clients existed: loopback peers
// without a token act with the admin scope.
gateway::auth::AuthOptions DevAuthOptions();

class TestServer {
 public:
  // A fresh log ("test.example/http") and auth over one temp data dir; the
  // ledger routes, then `extra`'s, then the auth's are added.
  explicit TestServer(gateway::ServerOptions options = TestOptions(),
                      const std::function<void(gateway::Router&, ledger::Log&)>& extra = {},
                      gateway::auth::AuthOptions auth = DevAuthOptions());
  ~TestServer();

  // Blocks until Run has returned.
  void Stop();
  void StopAsync();
  void Join();

  uint16_t port() const { return port_; }
  ledger::Log& log() { return *log_; }
  gateway::auth::Auth& auth() { return *auth_; }
  const std::filesystem::path& data_dir() const { return dir_.path(); }

 private:
  TempDir dir_;
  std::unique_ptr<ledger::Log> log_;
  std::unique_ptr<gateway::auth::Auth> auth_;
  std::unique_ptr<gateway::Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace pathbridge::testing
