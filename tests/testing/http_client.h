// A small synchronous HTTP/1.1 client for the integration tests, over plain
// TCP or TLS to 127.0.0.1: each call runs Beast's async operations on the
// client's own io_context under a deadline, so a server that misbehaves
// fails a test instead of hanging it. Also the client-side TLS contexts the
// tests need (a CA to trust, a client certificate, TLS 1.2 only).
//
// Thread-safety: one HttpClient per thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

namespace pathbridge::testing {

struct Fetched {
  boost::beast::error_code ec;
  boost::beast::http::response<boost::beast::http::string_body> res;
  int status() const { return ec ? 0 : static_cast<int>(res.result_int()); }
  std::string header(boost::beast::http::field f) const { return std::string(res[f]); }
  std::string header(std::string_view name) const { return std::string(res[name]); }
  boost::json::object json() const { return boost::json::parse(res.body()).as_object(); }
};

struct ClientTls {
  std::filesystem::path ca;    // trust anchors for the server's certificate
  std::filesystem::path cert;  // client certificate chain (optional)
  std::filesystem::path key;
  bool tls12_only = false;     // offer TLS 1.2 and nothing newer
  std::string tls12_ciphers;   // the TLS 1.2 suites to offer; empty: OpenSSL's
};
// Verifies the server's certificate; throws if a file does not load.
boost::asio::ssl::context ClientContext(const ClientTls& tls);

class HttpClient {
 public:
  // Plain HTTP to 127.0.0.1:port.
  explicit HttpClient(uint16_t port);
  // HTTPS: connects and handshakes, verifying the server as `host` (SNI
  // too); a failed handshake shows in connect_error().
  HttpClient(uint16_t port, boost::asio::ssl::context& tls, const std::string& host = "localhost");

  const boost::beast::error_code& connect_error() const { return connect_ec_; }
  // "TLSv1.3" and the like; empty over plain TCP.
  std::string TlsVersion();

  boost::beast::error_code WriteRaw(std::string data,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
  Fetched Read(bool head = false, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  Fetched Send(boost::beast::http::verb verb, std::string target, std::string body = {},
               std::map<std::string, std::string> headers = {});
  Fetched Get(std::string target) { return Send(boost::beast::http::verb::get, std::move(target)); }

  // Waits for the server to close the connection: eof or reset before the
  // deadline (any bytes that arrive first are discarded).
  bool ClosedByPeerWithin(std::chrono::milliseconds timeout);
  // Reads the transport's raw bytes until the server closes or the deadline.
  std::string ReadRawUntilClose(std::chrono::milliseconds timeout);

 private:
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  void Connect(uint16_t port);
  void Drive();
  boost::beast::tcp_stream& Tcp() { return tls_ ? tls_->next_layer() : *tcp_; }
  // Calls f with the stream HTTP goes over.
  template <class F>
  auto WithStream(F&& f) {
    return tls_ ? f(*tls_) : f(*tcp_);
  }

  boost::asio::io_context ioc_;
  std::optional<boost::beast::tcp_stream> tcp_;
  std::optional<TlsStream> tls_;
  boost::beast::flat_buffer buffer_;
  boost::beast::error_code connect_ec_;
};

}  // namespace pathbridge::testing
