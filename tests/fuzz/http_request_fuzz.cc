// Fuzzes the gateway's request path: the input is raw bytes off a socket,
// parsed by Beast's request parser under the server's default limits; each
// request that parses is routed through a Router with the ledger routes over
// a small real log (made once, in a temp dir), behind the real auth (with
// the loopback development fallback, so appends run too). Invariants: every
// request is answered exactly once, with a status in 100..599; problems are
// valid problem+json whose instance is the request id; server errors say
// nothing about their cause; tiles are whole hashes.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>

#include "gateway/ledger_routes.h"
#include "gateway/problem.h"
#include "gateway/server.h"
#include "ledger/ledger_dir.h"
#include "tests/testing/http_testing.h"

namespace {

using namespace pathbridge;
using namespace pathbridge::gateway;
namespace http = boost::beast::http;

void Check(bool ok) {
  if (!ok) std::abort();
}

// Members in this order so the log closes before its directory goes.
struct World {
  testing::TempDir dir;
  std::unique_ptr<ledger::Log> log;
  std::unique_ptr<auth::Auth> auth;
  Router router;

  World() {
    ledger::LogOptions options;
    options.checkpoint_interval = std::chrono::milliseconds(1);
    auto opened = ledger::OpenLedger(dir.path(), "fuzz.example/log", options);
    Check(opened.ok());
    log = std::move(*opened);
    for (int i = 0; i < 300; ++i)  // a full tile, a partial one, two levels
      Check(log->Append(AsBytes("seed entry " + std::to_string(i))).ok());
    Check(log->AwaitCheckpoint(300, std::chrono::seconds(10)).ok());
    AddLedgerRoutes(router, *log);
    auto opened_auth = auth::Auth::Open(dir.path(), testing::DevAuthOptions());
    Check(opened_auth.ok());
    auth = std::move(*opened_auth);
    auth->Install(router);
  }
};

World& TheWorld() {
  static World world;
  return world;
}

Request ToRequest(http::request<http::string_body>&& msg) {
  Request r;
  r.method = std::string(msg.method_string());
  r.target = std::string(msg.target());
  for (const auto& f : msg) r.headers.emplace_back(std::string(f.name_string()), f.value());
  r.body = std::move(msg.body());
  r.request_id = "0123456789abcdef0123456789abcdef";
  r.remote_loopback = true;  // so appends run too
  return r;
}

void CheckResponse(const Request& req, const Response& res) {
  Check(res.status >= 100 && res.status <= 599);
  if (res.content_type == kProblemContentType) {
    boost::json::error_code ec;
    auto v = boost::json::parse(res.body, ec);
    Check(!ec && v.is_object());
    const auto& o = v.as_object();
    Check(o.contains("type") && o.contains("title") && o.contains("detail"));
    Check(o.at("status").to_number<int>() == res.status);
    Check(o.at("instance").as_string() == req.request_id);
    if (res.status == 500) Check(res.body.find("sqlite") == std::string::npos);
  }
  if (res.status == 200 && req.target.rfind("/ledger/tile/", 0) == 0 &&
      req.target.find("/entries/") == std::string::npos)
    Check(!res.body.empty() && res.body.size() % 32 == 0);
}

void Route(http::request<http::string_body>&& msg) {
  World& world = TheWorld();
  Request req = ToRequest(std::move(msg));
  auto answered = std::make_shared<std::promise<Response>>();
  auto calls = std::make_shared<int>(0);
  world.router.Dispatch(req, Reply(req.request_id, [answered, calls](Response r) {
                          Check(++*calls == 1);
                          answered->set_value(std::move(r));
                        }));
  auto future = answered->get_future();
  // Appends answer from the sequencer thread once durable.
  Check(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CheckResponse(req, future.get());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ServerOptions limits;
  boost::asio::const_buffer in(data, size);
  // Pipelined requests: keep parsing while whole requests come out.
  for (int n = 0; n < 16 && in.size() > 0; ++n) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    parser.eager(true);
    boost::beast::error_code ec;
    size_t used = parser.put(in, ec);
    in += used;
    if (ec || !parser.is_done()) return 0;
    Route(parser.release());
  }
  return 0;
}
