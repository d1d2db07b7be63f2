#include "tests/testing/http_client.h"

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>

#include <stdexcept>

namespace pathbridge::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

net::ssl::context ClientContext(const ClientTls& tls) {
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.set_verify_mode(net::ssl::verify_peer);
  if (!tls.ca.empty()) ctx.load_verify_file(tls.ca.string());
  if (!tls.cert.empty()) {
    ctx.use_certificate_chain_file(tls.cert.string());
    ctx.use_private_key_file(tls.key.string(), net::ssl::context::pem);
  }
  if (tls.tls12_only) SSL_CTX_set_max_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  if (!tls.tls12_ciphers.empty() &&
      SSL_CTX_set_cipher_list(ctx.native_handle(), tls.tls12_ciphers.c_str()) != 1)
    throw std::runtime_error("bad cipher list " + tls.tls12_ciphers);
  return ctx;
}

HttpClient::HttpClient(uint16_t port) {
  tcp_.emplace(ioc_);
  Connect(port);
}

HttpClient::HttpClient(uint16_t port, net::ssl::context& tls, const std::string& host) {
  tls_.emplace(ioc_, tls);
  Connect(port);
  if (connect_ec_) return;
  SSL* ssl = tls_->native_handle();
  SSL_set_tlsext_host_name(ssl, host.c_str());
  SSL_set1_host(ssl, host.c_str());
  Tcp().expires_after(10s);
  tls_->async_handshake(net::ssl::stream_base::client,
                        [this](beast::error_code ec) { connect_ec_ = ec; });
  Drive();
}

void HttpClient::Connect(uint16_t port) {
  Tcp().expires_after(10s);
  Tcp().async_connect(tcp::endpoint(net::ip::address_v4::loopback(), port),
                      [this](beast::error_code ec) { connect_ec_ = ec; });
  Drive();
}

void HttpClient::Drive() {
  ioc_.restart();
  ioc_.run();
}

std::string HttpClient::TlsVersion() { return tls_ ? SSL_get_version(tls_->native_handle()) : ""; }

beast::error_code HttpClient::WriteRaw(std::string data, std::chrono::milliseconds timeout) {
  beast::error_code out;
  Tcp().expires_after(timeout);
  WithStream([&](auto& s) {
    net::async_write(s, net::buffer(data), [&](beast::error_code ec, size_t) { out = ec; });
  });
  Drive();
  return out;
}

Fetched HttpClient::Read(bool head, std::chrono::milliseconds timeout) {
  Fetched f;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  parser.skip(head);
  Tcp().expires_after(timeout);
  WithStream([&](auto& s) {
    http::async_read(s, buffer_, parser, [&](beast::error_code ec, size_t) { f.ec = ec; });
  });
  Drive();
  if (!f.ec) f.res = parser.release();
  return f;
}

Fetched HttpClient::Send(http::verb verb, std::string target, std::string body,
                         std::map<std::string, std::string> headers) {
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = std::move(body);
  if (verb == http::verb::post || !req.body().empty()) req.prepare_payload();
  beast::error_code ec;
  Tcp().expires_after(10s);
  WithStream([&](auto& s) {
    http::async_write(s, req, [&](beast::error_code e, size_t) { ec = e; });
  });
  Drive();
  if (ec) return Fetched{ec, {}};
  return Read(verb == http::verb::head);
}

bool HttpClient::ClosedByPeerWithin(std::chrono::milliseconds timeout) {
  Tcp().expires_after(timeout);
  for (;;) {
    beast::error_code out;
    std::array<char, 512> sink;
    WithStream([&](auto& s) {
      s.async_read_some(net::buffer(sink), [&](beast::error_code ec, size_t) { out = ec; });
    });
    Drive();
    if (out == beast::error::timeout) return false;
    if (out) return true;
  }
}

std::string HttpClient::ReadRawUntilClose(std::chrono::milliseconds timeout) {
  std::string got;
  Tcp().expires_after(timeout);
  for (;;) {
    beast::error_code out;
    std::array<char, 512> chunk;
    Tcp().async_read_some(net::buffer(chunk), [&](beast::error_code ec, size_t n) {
      out = ec;
      got.append(chunk.data(), n);
    });
    Drive();
    if (out) return got;
  }
}

}  // namespace pathbridge::testing
