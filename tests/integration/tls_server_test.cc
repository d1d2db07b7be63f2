// The gateway over TLS as clients see it: a real Server on 127.0.0.1
// (ephemeral port) with certificates from a development PKI in a temp dir,
// spoken to with Beast's ssl_stream. Protocol versions, ciphers, mutual TLS
// accepted and refused, keep-alive, and hostile or slow clients that must
// leave the server serving.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <boost/json.hpp>

#include "certs/tls/certificate_identity.h"
#include "certs/tls/dev_pki.h"
#include "gateway/server.h"
#include "tests/testing/http_client.h"
#include "tests/testing/test_util.h"

namespace pathbridge::gateway {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using testing::ClientContext;
using testing::ClientTls;
using testing::HttpClient;

// /healthz, and /whoami: the client certificate the handler was given.
Router TestRouter() {
  Router router;
  router.Add("GET", "/healthz", [](const Request&, Reply reply) { reply(TextResponse(200, "ok")); });
  router.Add("GET", "/whoami", [](const Request& req, Reply reply) {
    if (!req.client_cert) return reply(TextResponse(200, "{}"));
    boost::json::array uris;
    for (const auto& u : req.client_cert->san_uris) uris.emplace_back(u);
    boost::json::object o{{"cn", req.client_cert->subject_cn},
                          {"thumbprint", req.client_cert->thumbprint_s256},
                          {"org", req.client_cert->OrgId().value_or("")},
                          {"uris", uris}};
    Response r = TextResponse(200, boost::json::serialize(o));
    r.content_type = "application/json";
    reply(std::move(r));
  });
  return router;
}

class TlsServer {
 public:
  explicit TlsServer(ServerOptions options) : server_(std::move(options), TestRouter()) {
    auto port = server_.Listen();
    if (!port.ok()) throw std::runtime_error(port.status().ToString());
    port_ = *port;
    thread_ = std::thread([this] { server_.Run(); });
  }
  ~TlsServer() {
    server_.Stop();
    thread_.join();
  }
  uint16_t port() const { return port_; }

 private:
  Server server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

class TlsServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    certs::DevPkiOptions ours;
    ours.clients = {{"cc", "cc"}};
    ASSERT_TRUE(certs::MakeDevPki(Pki().dir, ours).ok());
    // Another CA that issues a client certificate with the same name.
    ASSERT_TRUE(certs::MakeDevPki(Other().dir, ours).ok());
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static certs::DevPkiLayout Pki() { return certs::DevPkiLayout(dir_->path() / "pki"); }
  static certs::DevPkiLayout Other() { return certs::DevPkiLayout(dir_->path() / "other"); }

  static ServerOptions Options(certs::ClientCertMode mode = certs::ClientCertMode::kNone,
                               bool tls12 = false) {
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.read_timeout = 5s;
    o.idle_timeout = 5s;
    o.shutdown_timeout = 5s;
    o.tls.emplace();
    o.tls->certificate_chain = Pki().server_cert;
    o.tls->private_key = Pki().server_key;
    o.tls->client_certs = mode;
    o.tls->client_ca = Pki().ca_cert;
    o.tls->allow_tls12 = tls12;
    return o;
  }
  static ClientTls Trusting() {
    ClientTls tls;
    tls.ca = Pki().ca_cert;
    return tls;
  }
  static ClientTls WithCert(const certs::DevPkiLayout& from) {
    ClientTls tls = Trusting();
    tls.cert = from.ClientCert("cc");
    tls.key = from.ClientKey("cc");
    return tls;
  }

  // The server said no: the handshake failed, or (TLS 1.3, where the
  // client finishes first) the first request gets no answer.
  static bool Refused(uint16_t port, const ClientTls& tls) {
    auto ctx = ClientContext(tls);
    HttpClient c(port, ctx);
    return c.connect_error() || c.Get("/healthz").ec;
  }
  static boost::json::object WhoAmI(uint16_t port, const ClientTls& tls) {
    auto ctx = ClientContext(tls);
    HttpClient c(port, ctx);
    EXPECT_FALSE(c.connect_error()) << c.connect_error().message();
    auto f = c.Get("/whoami");
    EXPECT_EQ(f.status(), 200) << f.ec.message();
    return f.status() == 200 ? f.json() : boost::json::object{};
  }

  static inline testing::TempDir* dir_ = nullptr;
};

TEST_F(TlsServerTest, NegotiatesTls13AndKeepsConnectionsAlive) {
  TlsServer server(Options());
  auto ctx = ClientContext(Trusting());
  HttpClient c(server.port(), ctx);
  ASSERT_FALSE(c.connect_error()) << c.connect_error().message();
  EXPECT_EQ(c.TlsVersion(), "TLSv1.3");
  auto first = c.Get("/healthz");
  EXPECT_EQ(first.status(), 200);
  EXPECT_EQ(first.res.body(), "ok");
  EXPECT_TRUE(first.res.keep_alive());
  // The same TLS connection serves the next request.
  EXPECT_EQ(c.Get("/healthz").status(), 200);
  // No client certificate was asked for, so the handler sees none.
  EXPECT_TRUE(WhoAmI(server.port(), WithCert(Pki())).empty());

  // Connection: close ends the exchange with a close the client sees.
  auto last = c.Send(http::verb::get, "/healthz", {}, {{"Connection", "close"}});
  EXPECT_EQ(last.status(), 200);
  EXPECT_TRUE(c.ClosedByPeerWithin(5s));
}

TEST_F(TlsServerTest, ServerCertificateIsVerifiedByName) {
  TlsServer server(Options());
  auto ctx = ClientContext(Trusting());
  EXPECT_FALSE(HttpClient(server.port(), ctx, "127.0.0.1").connect_error());
  EXPECT_TRUE(HttpClient(server.port(), ctx, "wrong.example").connect_error());
  ClientTls other_ca;
  other_ca.ca = Other().ca_cert;
  auto untrusting = ClientContext(other_ca);
  EXPECT_TRUE(HttpClient(server.port(), untrusting).connect_error());
}

TEST_F(TlsServerTest, Tls12OnlyWhenAllowedAndOnlyWithAeadCiphers) {
  ClientTls tls12 = Trusting();
  tls12.tls12_only = true;
  {
    TlsServer strict(Options());
    EXPECT_TRUE(Refused(strict.port(), tls12));
    EXPECT_FALSE(Refused(strict.port(), Trusting()));
  }
  TlsServer lenient(Options(certs::ClientCertMode::kNone, /*tls12=*/true));
  auto ctx = ClientContext(tls12);
  HttpClient c(lenient.port(), ctx);
  ASSERT_FALSE(c.connect_error()) << c.connect_error().message();
  EXPECT_EQ(c.TlsVersion(), "TLSv1.2");
  EXPECT_EQ(c.Get("/healthz").status(), 200);
  // A client offering only CBC suites finds nothing it can use.
  ClientTls cbc = tls12;
  cbc.tls12_ciphers = "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA";
  EXPECT_TRUE(Refused(lenient.port(), cbc));
}

TEST_F(TlsServerTest, RequiredClientCertificates) {
  TlsServer server(Options(certs::ClientCertMode::kRequired));
  EXPECT_TRUE(Refused(server.port(), Trusting()));        // none
  EXPECT_TRUE(Refused(server.port(), WithCert(Other())));  // another CA's
  ClientTls server_cert_as_client = Trusting();            // right CA, not for clients
  server_cert_as_client.cert = Pki().server_cert;
  server_cert_as_client.key = Pki().server_key;
  EXPECT_TRUE(Refused(server.port(), server_cert_as_client));

  auto me = WhoAmI(server.port(), WithCert(Pki()));
  auto expected = certs::IdentityFromPem(testing::ReadFile(Pki().ClientCert("cc")), "cc");
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(me["cn"], "cc");
  EXPECT_EQ(me["org"], "cc");
  EXPECT_EQ(me["thumbprint"], boost::json::value(expected->thumbprint_s256));
  EXPECT_EQ(me["uris"], boost::json::array{"urn:pathbridge:org:cc"});
  // Refused clients did not stop the server.
  EXPECT_FALSE(Refused(server.port(), WithCert(Pki())));
}

TEST_F(TlsServerTest, OptionalClientCertificates) {
  TlsServer server(Options(certs::ClientCertMode::kOptional));
  EXPECT_TRUE(WhoAmI(server.port(), Trusting()).empty());
  EXPECT_EQ(WhoAmI(server.port(), WithCert(Pki()))["org"], "cc");
  EXPECT_TRUE(Refused(server.port(), WithCert(Other())));  // sent, so it must verify
}

TEST_F(TlsServerTest, PlainHttpOnTheTlsPortGetsNoHttpAnswer) {
  TlsServer server(Options());
  HttpClient plain(server.port());
  ASSERT_FALSE(plain.connect_error());
  ASSERT_FALSE(plain.WriteRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string answer = plain.ReadRawUntilClose(5s);
  EXPECT_EQ(answer.find("HTTP/"), std::string::npos) << answer;
  EXPECT_FALSE(Refused(server.port(), Trusting()));
}

TEST_F(TlsServerTest, SlowHandshakeTimesOut) {
  ServerOptions o = Options();
  o.read_timeout = 1s;
  TlsServer server(o);
  HttpClient silent(server.port());  // connects, never says hello
  HttpClient halting(server.port());  // starts a ClientHello and stops
  ASSERT_FALSE(halting.WriteRaw(std::string("\x16\x03\x01\x02\x00\x01", 6)));
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.ClosedByPeerWithin(5s));
  EXPECT_TRUE(halting.ClosedByPeerWithin(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 500ms);  // not at once: it waited
  EXPECT_FALSE(Refused(server.port(), Trusting()));
}

TEST_F(TlsServerTest, ListenChecksTransportSettings) {
  ServerOptions o = Options();
  o.tls->private_key = Pki().ClientKey("cc");
  Server mismatched(o, Router{});
  auto r = mismatched.Listen();
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().where(), Pki().ClientKey("cc").string());

  ServerOptions plain = Options();
  plain.tls.reset();
  plain.host = "0.0.0.0";
  Server exposed(plain, Router{});
  EXPECT_EQ(exposed.Listen().status().code(), Code::kFailedPrecondition);
  plain.allow_plain_non_loopback = true;
  Server allowed(plain, Router{});
  EXPECT_TRUE(allowed.Listen().ok());
  ServerOptions tls_anywhere = Options();
  tls_anywhere.host = "0.0.0.0";
  Server https(tls_anywhere, Router{});
  EXPECT_TRUE(https.Listen().ok());
}

}  // namespace
}  // namespace pathbridge::gateway
