// HTTP integration testing: a real Server on 127.0.0.1 (ephemeral port)
// over a real Log and the real auth (gateway/auth/auth.h) in a temp dir,
// run on its own thread, and checks of its answers; the client that talks
// to it is http_client.h's.
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

#include <boost/json.hpp>

#include "gateway/auth/auth.h"
#include "gateway/server.h"
#include "ledger/log.h"
#include "tests/testing/http_client.h"
#include "tests/testing/test_util.h"

namespace pathbridge::testing {

// The client: plain or TLS (http_client.h).
using Client = HttpClient;

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
  // A fresh log ("test.example/http") and auth over one temp data dir (or
  // `data_dir`, for routes that need its path in `extra`); the ledger
  // routes, then `extra`'s, then the auth's are added.
  explicit TestServer(gateway::ServerOptions options = TestOptions(),
                      const std::function<void(gateway::Router&, ledger::Log&)>& extra = {},
                      gateway::auth::AuthOptions auth = DevAuthOptions(),
                      std::filesystem::path data_dir = {});
  // The same for routes over stores in the data dir, which `extra` is given.
  TestServer(gateway::ServerOptions options,
             const std::function<void(gateway::Router&, ledger::Log&,
                                      const std::filesystem::path&)>& extra,
             gateway::auth::AuthOptions auth, std::filesystem::path data_dir = {});
  ~TestServer();

  // Blocks until Run has returned.
  void Stop();
  void StopAsync();
  void Join();

  uint16_t port() const { return port_; }
  ledger::Log& log() { return *log_; }
  gateway::auth::Auth& auth() { return *auth_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

 private:
  TempDir dir_;
  std::filesystem::path data_dir_;
  std::unique_ptr<ledger::Log> log_;
  std::unique_ptr<gateway::auth::Auth> auth_;
  std::unique_ptr<gateway::Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace pathbridge::testing
