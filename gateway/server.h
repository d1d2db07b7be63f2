// The gateway's HTTP/1.1 server (Boost.Beast underneath; this header keeps
// Beast out of its includers). One listener; each connection reads one
// request at a time (keep-alive and pipelining are safe: the next request
// is not read before the last response is written), under header and body
// limits (431 / 413) and timeouts, and is handed to a Router. Handlers may
// answer later from any thread through their Reply. Every response carries
// an X-Request-Id, which problem+json bodies repeat as `instance`.
// With TLS settings the server speaks HTTPS only: the handshake runs under
// the read timeout, a client certificate (when asked for) is verified and
// handed to handlers in Request::client_cert, and a kept-alive connection
// ends with a TLS close_notify. Routes with RouteOptions::body_to_file are
// routed and guarded from the header alone, then their body is spooled to a
// file; a Response::body_file is streamed from disk: memory stays bounded
// whatever the size of either. Plain HTTP is served on loopback addresses
// only, unless allow_plain_non_loopback says otherwise.
//
// Thread-safety: Listen, then Run on one thread; Stop may be called from
// any thread (a signal watcher, a test), any number of times. A Server runs
// once; the Router's handlers must outlive it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "certs/tls/tls_context.h"
#include "gateway/router.h"
#include "standards/status.h"

namespace pathbridge::gateway {

namespace detail {
struct ServerCore;
}

// What the server reports as it works, for metrics and access logs. The
// calls come from io threads, concurrently: implementations must be
// thread-safe, cheap and must not block. Each RequestStarted is followed by
// exactly one RequestFinished for the same request.
struct RequestOutcome {
  int status = 0;
  size_t body_bytes = 0;  // the response body's size
  // From the whole request being read (or the early error) to the response
  // being written.
  std::chrono::steady_clock::duration duration{};
  bool written = false;  // false: the connection failed before the response was sent
};
class ServerObserver {
 public:
  virtual ~ServerObserver() = default;
  virtual void ConnectionOpened() {}
  virtual void ConnectionClosed() {}
  virtual void ConnectionRefused() {}  // over max_connections
  virtual void RequestStarted() {}
  // `request` as the handler saw it (route, principal); for an early error
  // (400/413/431 before the request was read) only request_id and
  // remote_address are set.
  virtual void RequestFinished(const Request& /*request*/, const RequestOutcome& /*outcome*/) {}
};

struct ServerOptions {
  std::string host = "127.0.0.1";  // an IP address, or "localhost"
  uint16_t port = 8080;            // 0: an ephemeral port (Listen returns it)
  // io threads, each running its own event loop; connections are dealt to
  // them round robin and stay on the one they were accepted onto.
  int threads = 2;
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 << 10;  // the request line and all headers
  // Time to receive a whole request once it starts (and to write a response).
  std::chrono::seconds read_timeout{30};
  // Bodies of RouteOptions::body_to_file routes, and file responses
  // (Response::body_file), may take longer than read_timeout: each chunk
  // must arrive (or leave) within read_timeout, and on average the transfer
  // must go at least this fast once read_timeout has passed.
  size_t min_transfer_bytes_per_second = 16 << 10;
  // Where body_to_file routes' bodies are spooled (empty: the system's temp
  // folder); files are named pathbridge-body-<request id>.
  std::filesystem::path spool_dir;
  // Time a kept-alive connection may wait for its next request.
  std::chrono::seconds idle_timeout{60};
  size_t max_connections = 4096;  // beyond it: a 503 problem (TLS: none), then close
  // How long Stop lets in-flight requests finish before dropping them.
  std::chrono::seconds shutdown_timeout{10};
  // HTTPS when set (Listen builds the context and reports bad files).
  std::optional<certs::TlsServerOptions> tls;
  // Plain HTTP on an address other than loopback, e.g. behind a TLS proxy.
  bool allow_plain_non_loopback = false;
  // Told about connections and requests (gateway/metrics.h, access_log.h).
  std::vector<std::shared_ptr<ServerObserver>> observers;
};

class Server {
 public:
  Server(ServerOptions options, Router router);
  ~Server();  // stops and waits, as Stop + the end of Run would
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the bound port. IoError if it cannot bind,
  // InvalidArgument for a host that is not an IP address, FailedPrecondition
  // for plain HTTP on a non-loopback address not allowed, and the errors of
  // certs::MakeServerTlsContext.
  Result<uint16_t> Listen();
  // Serves on `threads` io threads until Stop; returns at once if Listen
  // has not succeeded.
  void Run();
  // Graceful: stops accepting, closes idle connections, lets dispatched
  // requests finish (up to shutdown_timeout), then Run returns.
  void Stop();

 private:
  std::unique_ptr<detail::ServerCore> impl_;
};

}  // namespace pathbridge::gateway
