// The gateway's HTTP vocabulary, free of Beast so that routes and tests do
// not pay for its headers: Request (what a handler reads), Response (what
// it answers) and Reply (how it answers, possibly later and from another
// thread).
//
// Thread-safety: Request and Response are value types. A Reply may be
// copied and called from any thread; only the first call has an effect.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certs/tls/certificate_identity.h"

namespace pathbridge::gateway {

// The verified certificate a client presented over mutual TLS.
using ClientCertificate = certs::CertificateIdentity;
// Who is calling: set from a verified access token (gateway/auth/) before a
// scoped route's handler runs.
struct Principal {
  std::string client_id;
  std::string org;                  // the client's organization slug
  std::vector<std::string> scopes;  // what its token grants

  bool HasScope(std::string_view scope) const;
};

struct Request {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // as sent, e.g. "/ledger/proof/inclusion?index=1&size=2"
  // Header names in lower case, in arrival order (repeats kept).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // On routes with RouteOptions::body_to_file, the body is spooled here
  // instead (`body` stays empty). The server removes the file when the
  // response is written or the connection ends; handlers read it, never
  // move or keep it.
  std::string body_file;
  std::string request_id;       // correlation id, echoed in X-Request-Id
  bool remote_loopback = false;  // the peer is 127.0.0.0/8 or ::1
  // Set over TLS when the client presented a certificate (it verified:
  // the handshake fails otherwise).
  std::optional<ClientCertificate> client_cert;
  std::string remote_address;    // the peer's IP address, e.g. "192.0.2.7" or "2001:db8::1"
  // Set by the Router's guard on scoped routes (RouteOptions::scope).
  std::optional<Principal> principal;

  // Filled by the Router before a handler runs.
  std::string route;                          // the matched pattern, e.g. "/ledger/entries/{index}/proof"
  std::string path;                           // canonical path, no query
  std::map<std::string, std::string> params;  // from "{name}" pattern parts
  std::map<std::string, std::string> query;   // decoded, only allowed names

  // The first value of a header (name in any case); nullopt if absent.
  std::optional<std::string_view> Header(std::string_view name) const;
  size_t HeaderCount(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;
  // When set, the body is this file's content, streamed (`body` is
  // ignored): for large answers. The server takes the file over and
  // removes it once written, or when the connection ends first.
  std::string body_file;
};

Response TextResponse(int status, std::string body);

// ASCII case-insensitive equality, as header names and auth schemes compare.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Answers a request exactly once. The sink runs on the caller's thread and
// must not block (the server's sink posts to the connection's strand). If
// every copy of a Reply is dropped without a call, the sink receives a
// generic 500 problem, so a forgetful handler cannot hang a connection.
class Reply {
 public:
  using Sink = std::function<void(Response)>;
  Reply(std::string request_id, Sink sink);

  void operator()(Response response) const;
  bool called() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// A handler reads the request and calls reply, now or later. The request
// stays valid until the reply is called; copy what an async task needs.
using Handler = std::function<void(const Request&, Reply)>;

}  // namespace pathbridge::gateway
