// The gateway as a client sees it: a real Server on 127.0.0.1 (ephemeral
// port) over a real Log in a temp dir, spoken to with a Beast client
// (tests/testing/http_testing.h). Appends come from loopback without a token
// (the development fallback; auth_http_test.cc covers tokens). Everything
// fetched is verified with the ledger's own verifiers; bad input must get
// the right problem+json and leave the server serving.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "ledger/verifier.h"
#include "tests/testing/http_testing.h"

namespace pathbridge::gateway {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using ledger::Hash;
using testing::Client;
using testing::ExpectProblem;
using testing::Fetched;
using testing::Str;
using testing::TestOptions;
using testing::TestServer;

Hash HashFromB64(const boost::json::value& v) {
  auto h = ledger::HashFromBase64(Str(v), "hash");
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? *h : Hash{};
}

std::vector<Hash> HashesFromJson(const boost::json::value& v) {
  std::vector<Hash> out;
  for (const auto& h : v.as_array()) out.push_back(HashFromB64(h));
  return out;
}

// ---- The shared ledger: populated by concurrent HTTP appends ------------

constexpr int kAppendThreads = 8;
constexpr int kAppendsPerThread = 75;  // 600 entries: full and partial tiles on 2 levels
constexpr uint64_t kEntries = kAppendThreads * kAppendsPerThread;

std::string EntryText(int t, int i) {
  return "entry " + std::to_string(t) + "/" + std::to_string(i) + std::string(i % 17, '.');
}

class LedgerHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    std::vector<std::thread> threads;
    for (int t = 0; t < kAppendThreads; ++t) {
      threads.emplace_back([t] {
        Client c(server_->port());  // one kept-alive connection per thread
        for (int i = 0; i < kAppendsPerThread; ++i) {
          auto f = c.Send(http::verb::post, "/ledger/entries", EntryText(t, i));
          std::lock_guard<std::mutex> lock(mu_);
          appends_.push_back({EntryText(t, i), std::move(f)});
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static Fetched Get(std::string target) { return Client(server_->port()).Get(std::move(target)); }

  // The checkpoint over the whole shared ledger, verified.
  static ledger::Checkpoint Checkpoint() {
    EXPECT_TRUE(server_->log().AwaitCheckpoint(kEntries, 5s).ok());
    auto f = Get("/ledger/checkpoint");
    EXPECT_EQ(f.status(), 200);
    auto v = ledger::VerifyCheckpoint(f.res.body(), server_->log().verifier());
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? v->checkpoint : ledger::Checkpoint{};
  }

  struct Append {
    std::string entry;
    Fetched response;
  };
  static inline TestServer* server_ = nullptr;
  static inline std::mutex mu_;
  static inline std::vector<Append> appends_;
};

TEST_F(LedgerHttpTest, ConcurrentAppendsGetDistinctDurableIndices) {
  ASSERT_EQ(appends_.size(), kEntries);
  std::set<uint64_t> indices;
  for (const auto& a : appends_) {
    ASSERT_FALSE(a.response.ec) << a.response.ec.message();
    ASSERT_EQ(a.response.status(), 201) << a.response.res.body();
    EXPECT_EQ(a.response.header(http::field::content_type), "application/json");
    auto j = a.response.json();
    EXPECT_EQ(j.at("duplicate"), false);
    uint64_t index = j.at("index").to_number<uint64_t>();
    indices.insert(index);
    EXPECT_EQ(HashFromB64(j.at("leaf_hash")), ledger::ThreadHasher().Leaf(AsBytes(a.entry)));
    auto stored = server_->log().ReadEntry(index);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(AsChars(*stored), a.entry);
  }
  EXPECT_EQ(indices.size(), kEntries);
  EXPECT_EQ(*indices.rbegin(), kEntries - 1);
}

TEST_F(LedgerHttpTest, HealthzAndRequestIds) {
  auto a = Get("/healthz");
  auto b = Get("/healthz");
  EXPECT_EQ(a.status(), 200);
  EXPECT_EQ(a.res.body(), "ok");
  EXPECT_EQ(a.header("X-Request-Id").size(), 32u);
  EXPECT_NE(a.header("X-Request-Id"), b.header("X-Request-Id"));
}

TEST_F(LedgerHttpTest, CheckpointIsSignedByTheLog) {
  auto f = Get("/ledger/checkpoint");
  EXPECT_EQ(f.header(http::field::content_type), "text/plain; charset=utf-8");
  EXPECT_EQ(f.header(http::field::cache_control), "no-cache");
  ledger::Checkpoint cp = Checkpoint();
  EXPECT_EQ(cp.origin, "test.example/http");
  EXPECT_GE(cp.size, kEntries);  // other tests may have appended since
  EXPECT_EQ(cp.root, *server_->log().RootAt(cp.size));
}

TEST_F(LedgerHttpTest, TilesRecomputeTheCheckpointRoot) {
  ledger::Checkpoint cp = Checkpoint();
  std::map<std::pair<uint8_t, uint64_t>, std::string> tiles;
  auto tile = [&](uint8_t level, uint64_t index) -> const std::string& {
    auto key = std::make_pair(level, index);
    if (!tiles.count(key)) {
      uint32_t width = ledger::TileWidthAt(level, index, cp.size);
      std::string path = ledger::FormatTilePath({false, level, index, width});
      auto f = Get("/ledger/" + path);
      EXPECT_EQ(f.status(), 200) << path;
      EXPECT_EQ(f.header(http::field::content_type), "application/octet-stream");
      EXPECT_EQ(f.header(http::field::cache_control),
                width == 256 ? "public, max-age=31536000, immutable" : "public, max-age=60");
      EXPECT_EQ(f.res.body().size(), 32u * width) << path;
      tiles[key] = f.res.body();
    }
    return tiles[key];
  };
  // Hashes at tree levels 0, 8, ... come from tiles; the rows between are
  // hashed here, so both tile levels are checked against the root.
  ledger::NodeSource nodes = [&](uint32_t level, uint64_t index) -> Result<Hash> {
    if (level % 8 == 0) {
      const std::string& t = tile(static_cast<uint8_t>(level / 8), index / 256);
      size_t off = 32 * (index % 256);
      if (off + 32 > t.size()) return Internal("short tile");
      Hash h;
      std::copy_n(t.begin() + off, 32, h.begin());
      return h;
    }
    PB_ASSIGN_OR_RETURN(Hash left, nodes(level - 1, 2 * index));
    PB_ASSIGN_OR_RETURN(Hash right, nodes(level - 1, 2 * index + 1));
    return ledger::ThreadHasher().Node(left, right);
  };
  auto root = ledger::RootHash(cp.size, nodes);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(*root, cp.root);
  EXPECT_TRUE(tiles.count({1, 0}));  // the level-1 tile took part
}

TEST_F(LedgerHttpTest, EntryBundlesHoldTheEntries) {
  uint64_t size = Checkpoint().size;
  uint64_t seen = 0;
  for (uint64_t n = 0; n * 256 < size; ++n) {
    uint32_t width = ledger::TileWidthAt(0, n, size);
    auto f = Get("/ledger/" + ledger::FormatTilePath({true, 0, n, width}));
    ASSERT_EQ(f.status(), 200);
    auto entries = ledger::ParseEntryBundle(AsBytes(f.res.body()));
    ASSERT_TRUE(entries.ok()) << entries.status().ToString();
    ASSERT_EQ(entries->size(), width);
    for (const auto& e : *entries) {
      EXPECT_EQ(ledger::ThreadHasher().Leaf(e), *server_->log().LeafHash(seen));
      ++seen;
    }
  }
  EXPECT_EQ(seen, size);
  // A shorter partial bundle of a full one is its prefix.
  auto full = Get("/ledger/tile/entries/000");
  auto part = Get("/ledger/tile/entries/000.p/3");
  ASSERT_EQ(part.status(), 200);
  EXPECT_EQ(full.res.body().substr(0, part.res.body().size()), part.res.body());
}

TEST_F(LedgerHttpTest, InclusionProofsVerify) {
  ledger::Checkpoint cp = Checkpoint();
  for (uint64_t index : {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{256}, kEntries - 1}) {
    for (uint64_t size : {cp.size, index + 1}) {
      auto f = Get("/ledger/proof/inclusion?index=" + std::to_string(index) +
                   "&size=" + std::to_string(size));
      ASSERT_EQ(f.status(), 200) << f.res.body();
      EXPECT_EQ(f.header(http::field::content_type), "application/json");
      auto j = f.json();
      EXPECT_EQ(j.at("index").to_number<uint64_t>(), index);
      EXPECT_EQ(j.at("size").to_number<uint64_t>(), size);
      Hash root = size == cp.size ? cp.root : *server_->log().RootAt(size);
      Status ok = ledger::VerifyInclusion(index, size, HashFromB64(j.at("leaf_hash")),
                                          HashesFromJson(j.at("proof")), root);
      EXPECT_TRUE(ok.ok()) << index << "/" << size << ": " << ok.ToString();
    }
  }
}

TEST_F(LedgerHttpTest, ConsistencyProofsVerify) {
  ledger::Checkpoint cp = Checkpoint();
  for (uint64_t old_size : {uint64_t{1}, uint64_t{7}, uint64_t{256}, uint64_t{300}, kEntries}) {
    auto f = Get("/ledger/proof/consistency?old=" + std::to_string(old_size) +
                 "&size=" + std::to_string(cp.size));
    ASSERT_EQ(f.status(), 200) << f.res.body();
    auto j = f.json();
    EXPECT_EQ(j.at("old").to_number<uint64_t>(), old_size);
    EXPECT_EQ(j.at("size").to_number<uint64_t>(), cp.size);
    Status ok = ledger::VerifyConsistency(old_size, cp.size, *server_->log().RootAt(old_size),
                                          cp.root, HashesFromJson(j.at("proof")));
    EXPECT_TRUE(ok.ok()) << old_size << ": " << ok.ToString();
  }
}

TEST_F(LedgerHttpTest, ProofFilesVerifyOffline) {
  Checkpoint();
  for (uint64_t index : {uint64_t{0}, uint64_t{299}, kEntries - 1}) {
    auto f = Get("/ledger/entries/" + std::to_string(index) + "/proof");
    ASSERT_EQ(f.status(), 200) << f.res.body();
    EXPECT_EQ(f.header(http::field::content_type), "text/plain; charset=utf-8");
    EXPECT_EQ(f.header(http::field::content_disposition),
              "attachment; filename=\"entry-" + std::to_string(index) + ".tlog-proof\"");
    auto v = ledger::VerifyProofFile(f.res.body(), server_->log().verifier());
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(v->index, index);
    EXPECT_EQ(v->leaf_hash, *server_->log().LeafHash(index));
  }
}

TEST_F(LedgerHttpTest, DuplicatesAndIdempotencyKeys) {
  const Append& first = appends_.front();
  Client c(server_->port());
  auto dup = c.Send(http::verb::post, "/ledger/entries", first.entry);
  ASSERT_EQ(dup.status(), 200) << dup.res.body();
  EXPECT_EQ(dup.json().at("duplicate"), true);
  EXPECT_EQ(dup.json().at("index"), first.response.json().at("index"));

  auto a = c.Send(http::verb::post, "/ledger/entries", "keyed entry A", {{"Idempotency-Key", "k-1"}});
  auto b = c.Send(http::verb::post, "/ledger/entries", "keyed entry B", {{"Idempotency-Key", "k-1"}});
  ASSERT_EQ(a.status(), 201) << a.res.body();
  ASSERT_EQ(b.status(), 200) << b.res.body();
  EXPECT_EQ(a.json().at("index"), b.json().at("index"));
  EXPECT_EQ(b.json().at("duplicate"), true);
}

TEST_F(LedgerHttpTest, BadEntriesAreProblems) {
  Client c(server_->port());
  ExpectProblem(c.Send(http::verb::post, "/ledger/entries", ""), 400, "empty");
  ExpectProblem(c.Send(http::verb::post, "/ledger/entries", std::string(70 * 1024, 'x')), 413,
                "70 KB");
  ExpectProblem(c.Send(http::verb::post, "/ledger/entries", "x",
                       {{"Idempotency-Key", std::string(300, 'k')}}),
                400, "long identity");
  EXPECT_EQ(c.Get("/healthz").status(), 200);  // same connection, still serving
}

TEST_F(LedgerHttpTest, BodiesOverTheServerLimitAre413) {
  Client c(server_->port());
  // Content-Length says too much: answered from the header alone.
  ExpectProblem(c.Send(http::verb::post, "/ledger/entries", std::string(300 << 10, 'x')), 413);
  EXPECT_TRUE(c.ClosedByPeerWithin(5s));
  // Chunked, so the limit trips while reading.
  Client d(server_->port());
  std::string chunk(100 << 10, 'y');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  std::string req = "POST /ledger/entries HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) req += size_line + chunk + "\r\n";
  req += "0\r\n\r\n";
  ASSERT_FALSE(d.WriteRaw(req));
  ExpectProblem(d.Read(), 413, "chunked");
  EXPECT_EQ(Get("/healthz").status(), 200);
}

TEST_F(LedgerHttpTest, OversizedHeaderIs431) {
  Client c(server_->port());
  ExpectProblem(c.Send(http::verb::get, "/healthz", "", {{"X-Big", std::string(20 << 10, 'h')}}),
                431);
  EXPECT_EQ(Get("/healthz").status(), 200);
}

TEST_F(LedgerHttpTest, MalformedProofQueriesAreProblems) {
  const std::pair<std::string, int> cases[] = {
      {"/ledger/proof/inclusion?index=abc&size=1", 400},
      {"/ledger/proof/inclusion?index=5&size=5", 400},
      {"/ledger/proof/inclusion?index=0&size=0", 400},
      {"/ledger/proof/inclusion?index=-1&size=2", 400},
      {"/ledger/proof/inclusion?index=%2B1&size=2", 400},
      {"/ledger/proof/inclusion?index=01&size=2", 400},
      {"/ledger/proof/inclusion?index=0&size=18446744073709551616", 400},
      {"/ledger/proof/inclusion?size=2", 400},
      {"/ledger/proof/inclusion", 400},
      {"/ledger/proof/inclusion?index=0&size=2&extra=1", 400},
      {"/ledger/proof/inclusion?index=0&index=1&size=2", 400},
      {"/ledger/proof/inclusion?index=0&size=99999999", 404},
      {"/ledger/proof/inclusion?index=18446744073709551614&size=18446744073709551615", 404},
      {"/ledger/proof/consistency?old=0&size=5", 400},
      {"/ledger/proof/consistency?old=6&size=5", 400},
      {"/ledger/proof/consistency?old=1", 400},
      {"/ledger/proof/consistency?old=1&size=99999999", 404},
      {"/ledger/entries/abc/proof", 400},
      {"/ledger/entries/007/proof", 400},
      {"/ledger/entries/99999999/proof", 404},
  };
  Client c(server_->port());
  for (const auto& [target, status] : cases) ExpectProblem(c.Get(target), status, target);
}

TEST_F(LedgerHttpTest, MalformedTilePathsAreProblems) {
  const std::pair<std::string, int> cases[] = {
      {"/ledger/tile/0/abc", 400},
      {"/ledger/tile/0/x000/001", 400},
      {"/ledger/tile/0/1", 400},
      {"/ledger/tile/00/000", 400},
      {"/ledger/tile/64/000", 400},
      {"/ledger/tile/0/000.p/0", 400},
      {"/ledger/tile/0/000.p/256", 400},
      {"/ledger/tile/0/000.p/01", 400},
      {"/ledger/tile/0/000.x", 400},
      {"/ledger/tile/entries/000/x", 400},
      {"/ledger/tile/0/999", 404},
      {"/ledger/tile/8/000", 404},
      {"/ledger/tile/1/001", 404},
      {"/ledger/tile/entries/x001/000", 404},
      {"/ledger/tile/0/002.p/255", 404},
  };
  Client c(server_->port());
  for (const auto& [target, status] : cases) ExpectProblem(c.Get(target), status, target);
}

TEST_F(LedgerHttpTest, UnknownRoutesWrongMethodsAndSneakyPaths) {
  Client c(server_->port());
  ExpectProblem(c.Get("/nope"), 404);
  ExpectProblem(c.Get("/ledger/checkpoint/"), 400);
  auto wrong = c.Send(http::verb::delete_, "/ledger/checkpoint");
  ExpectProblem(wrong, 405);
  EXPECT_EQ(wrong.header(http::field::allow), "GET, HEAD");
  auto put = c.Send(http::verb::put, "/ledger/entries", "x");
  ExpectProblem(put, 405);
  EXPECT_EQ(put.header(http::field::allow), "POST");
  for (std::string target : {"/ledger/../healthz", "/ledger/%2e%2e/healthz", "//healthz",
                             "/ledger/tile/0/..%2f..%2fetc", "/ledger/tile/%00"})
    ExpectProblem(c.Get(target), 400, target);
}

TEST_F(LedgerHttpTest, HeadPipeliningAndExpectContinue) {
  Client c(server_->port());
  auto get = c.Get("/ledger/checkpoint");
  auto head = c.Send(http::verb::head, "/ledger/checkpoint");
  EXPECT_EQ(head.status(), 200);
  EXPECT_EQ(head.header(http::field::content_length), std::to_string(get.res.body().size()));
  EXPECT_TRUE(head.res.body().empty());

  // Two requests in one write come back as two responses, in order.
  ASSERT_FALSE(c.WriteRaw(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.Read().status(), 200);
  ExpectProblem(c.Read(), 404, "pipelined");

  ASSERT_FALSE(c.WriteRaw("POST /ledger/entries HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n"
                          "Expect: 100-continue\r\n\r\n"));
  EXPECT_EQ(c.Read().status(), 100);
  ASSERT_FALSE(c.WriteRaw("continued"));
  auto created = c.Read();
  EXPECT_EQ(created.status(), 201) << created.res.body();
}

TEST_F(LedgerHttpTest, GarbageOnTheSocketIs400ThenClose) {
  for (std::string garbage :
       {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n", 22),
        std::string("GET /healthz HTTP/9.9\r\n\r\n"), std::string("GET\r\n\r\n"),
        std::string("GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n"),
        std::string("GET /healthz HTTP/1.1\r\n\r\n"),  // no Host
        std::string("POST /ledger/entries HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n")}) {
    Client c(server_->port());
    ASSERT_FALSE(c.WriteRaw(garbage));
    ExpectProblem(c.Read(), 400, garbage);
    EXPECT_TRUE(c.ClosedByPeerWithin(5s));
  }
  EXPECT_EQ(Get("/healthz").status(), 200);
}

// ---- Servers with their own options -------------------------------------

TEST(ServerTest, SlowClientTimesOutAndTheServerKeepsServing) {
  ServerOptions o = TestOptions();
  o.read_timeout = 1s;
  o.idle_timeout = 1s;
  TestServer server(o);
  Client slow(server.port());
  ASSERT_FALSE(slow.WriteRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow.ClosedByPeerWithin(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  Client silent(server.port());  // connects, never says anything
  EXPECT_TRUE(silent.ClosedByPeerWithin(5s));
  Client idle(server.port());  // kept alive, then idle
  EXPECT_EQ(idle.Get("/healthz").status(), 200);
  EXPECT_TRUE(idle.ClosedByPeerWithin(5s));
  EXPECT_EQ(Client(server.port()).Get("/healthz").status(), 200);
}

TEST(ServerTest, ConnectionsOverTheLimitGetA503) {
  ServerOptions o = TestOptions();
  o.max_connections = 2;
  TestServer server(o);
  auto a = std::make_unique<Client>(server.port());
  Client b(server.port());
  EXPECT_EQ(a->Get("/healthz").status(), 200);
  EXPECT_EQ(b.Get("/healthz").status(), 200);
  Client c(server.port());
  ExpectProblem(c.Read(), 503, "third connection");
  EXPECT_EQ(b.Get("/healthz").status(), 200);
  a.reset();  // frees a slot once the server notices
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    status = Client(server.port()).Get("/healthz").status();
    if (status != 200) std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(status, 200);
}

TEST(ServerTest, ListenErrorsAreStatuses) {
  TestServer first;
  ServerOptions o = TestOptions();
  o.port = first.port();
  Server taken(o, Router{});
  auto r = taken.Listen();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIoError);
  o.host = "not an address";
  o.port = 0;
  Server bad_host(o, Router{});
  EXPECT_EQ(bad_host.Listen().status().code(), Code::kInvalidArgument);
}

TEST(ServerTest, StopLetsAnInFlightAppendComplete) {
  std::promise<void> dispatched;
  // Like POST /ledger/entries, but the append starts only after Stop.
  TestServer server(TestOptions(), [&](Router& router, ledger::Log& log) {
    router.Add("POST", "/gated", [&dispatched, &log](const Request& req, Reply reply) {
      dispatched.set_value();
      std::thread([&log, reply, body = req.body] {
        std::this_thread::sleep_for(300ms);
        log.AppendAsync(Bytes(body.begin(), body.end()), "",
                        [reply](Result<ledger::AppendResult> r) {
                          reply(r.ok() ? TextResponse(201, std::to_string(r->index))
                                       : TextResponse(500, r.status().ToString()));
                        });
      }).detach();
    });
  });
  Client idle(server.port());
  EXPECT_EQ(idle.Get("/healthz").status(), 200);
  Client c(server.port());
  ASSERT_FALSE(c.WriteRaw("POST /gated HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\nin-fligh"));
  dispatched.get_future().wait();
  auto start = std::chrono::steady_clock::now();
  server.StopAsync();
  auto f = c.Read();
  ASSERT_FALSE(f.ec) << f.ec.message();
  EXPECT_EQ(f.status(), 201);
  EXPECT_EQ(f.header(http::field::connection), "close");
  server.Join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(server.log().Size(), 1u);
  EXPECT_TRUE(idle.ClosedByPeerWithin(1s));  // idle connections were closed
  EXPECT_FALSE(Client(server.port()).Get("/healthz").status() == 200);
}

TEST(ServerTest, StopIsBoundedWhenAHandlerNeverAnswers) {
  std::promise<Reply> held;
  std::promise<void> dispatched;
  ServerOptions o = TestOptions();
  o.shutdown_timeout = 1s;
  {
    TestServer server(o, [&](Router& router, ledger::Log&) {
      router.Add("GET", "/stuck", [&](const Request&, Reply reply) {
        held.set_value(reply);
        dispatched.set_value();
      });
    });
    Client c(server.port());
    ASSERT_FALSE(c.WriteRaw("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n"));
    dispatched.get_future().wait();
    auto start = std::chrono::steady_clock::now();
    server.Stop();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  }
  // The server is gone; a late reply must be dropped, not crash.
  held.get_future().get()(TextResponse(200, "too late"));
}

}  // namespace
}  // namespace pathbridge::gateway
