// The server's large-body support on a real Server over plain HTTP on
// 127.0.0.1: a body_to_file route gets its body as a file (never in
// Request::body), past the in-memory body limit and up to its own; it is
// routed and guarded from the header alone; slow and vanishing senders are
// dropped and their spool files removed; Response::body_file answers stream
// from disk (HEAD too) and are removed once sent or when the client is gone.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "tests/testing/http_testing.h"

namespace pathbridge::gateway {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using testing::Client;
using testing::ExpectProblem;
using testing::Fetched;
using testing::TempDir;
using testing::TestServer;

constexpr uint64_t kMaxFile = 4 << 20;

class SpoolHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options = testing::TestOptions();  // 256 KiB in memory, 5 s timeouts
    options.read_timeout = 2s;
    options.spool_dir = dir_.path() / "spool";
    fs::create_directories(options.spool_dir);
    server_ = std::make_unique<TestServer>(
        options,
        [this](Router& router, ledger::Log&) {
          // Answers what it was given: the in-memory body's size and the file's.
          router.Add("POST", "/upload",
                     [](const Request& r, Reply reply) {
                       reply(TextResponse(200, std::to_string(r.body.size()) + " " +
                                                   std::to_string(fs::file_size(r.body_file))));
                     },
                     {.body_to_file = true, .max_file_body_bytes = kMaxFile});
          router.Add("POST", "/admin-upload",
                     [](const Request&, Reply reply) { reply(TextResponse(200, "ok")); },
                     {.scope = "admin", .body_to_file = true});
          // A file answer of `size` bytes, made per request.
          router.Add("GET", "/download",
                     [this](const Request& r, Reply reply) {
                       fs::path file = dir_.path() / ("answer-" + r.request_id);
                       std::ofstream(file) << std::string(std::stoul(r.query.at("size")), 'x');
                       Response response;
                       response.content_type = "application/octet-stream";
                       response.body_file = file.string();
                       reply(std::move(response));
                     },
                     {.query = {"size"}});
        },
        auth::AuthOptions{});
  }

  // Spool files and answer files left behind (polled: the server removes an
  // answer just after the client has read it).
  bool NoFilesLeft() {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    for (;;) {
      size_t n = 0;
      for (const auto& e : fs::recursive_directory_iterator(dir_.path())) n += e.is_regular_file();
      if (n == 0) return true;
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
  }

  TempDir dir_;
  std::unique_ptr<TestServer> server_;
};

std::string Header(const std::string& target, uint64_t length, std::string extra = {}) {
  return "POST " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extra +
         "Content-Length: " + std::to_string(length) + "\r\n\r\n";
}

TEST_F(SpoolHttpTest, BodyArrivesAsAFileNotInMemory) {
  // Four times the in-memory limit: only a spooled body gets through.
  Fetched f = Client(server_->port()).Send(http::verb::post, "/upload", std::string(1 << 20, 'b'));
  ASSERT_EQ(f.status(), 200) << f.res.body();
  EXPECT_EQ(f.res.body(), "0 1048576");
  f = Client(server_->port()).Send(http::verb::post, "/upload", "");
  EXPECT_EQ(f.res.body(), "0 0");
  // Other routes keep the in-memory limit.
  ExpectProblem(Client(server_->port())
                    .Send(http::verb::post, "/ledger/entries", std::string(300 << 10, 'b')),
                413);
  EXPECT_TRUE(NoFilesLeft());
}

TEST_F(SpoolHttpTest, RefusedFromTheHeaderBeforeTheBody) {
  struct Case {
    std::string target;
    uint64_t length;
    int status;
  };
  for (const Case& c : {Case{"/upload", kMaxFile + 1, 413}, Case{"/admin-upload", 1 << 20, 401},
                        Case{"/upload?x=1", 1 << 20, 400}}) {
    Client client(server_->port());
    ASSERT_FALSE(client.WriteRaw(Header(c.target, c.length)));  // and no body
    ExpectProblem(client.Read(false, 3s), c.status, c.target);
  }
  EXPECT_TRUE(NoFilesLeft());
}

// A client that waits for 100 Continue hears the refusal before sending.
TEST_F(SpoolHttpTest, ExpectContinueComesAfterTheGuard) {
  Client refused(server_->port());
  ASSERT_FALSE(refused.WriteRaw(Header("/admin-upload", 1 << 20, "Expect: 100-continue\r\n")));
  ExpectProblem(refused.Read(false, 3s), 401);

  Client accepted(server_->port());
  ASSERT_FALSE(accepted.WriteRaw(Header("/upload", 5, "Expect: 100-continue\r\n")));
  EXPECT_EQ(accepted.Read(false, 3s).status(), 100);
  ASSERT_FALSE(accepted.WriteRaw("hello"));
  Fetched f = accepted.Read(false, 3s);
  EXPECT_EQ(f.status(), 200);
  EXPECT_EQ(f.res.body(), "0 5");
  EXPECT_TRUE(NoFilesLeft());
}

TEST_F(SpoolHttpTest, SlowAndVanishingSendersLeaveNoFiles) {
  Client slow(server_->port());
  ASSERT_FALSE(slow.WriteRaw(Header("/upload", 1 << 20) + std::string(1000, 'b')));
  EXPECT_TRUE(slow.ClosedByPeerWithin(5s));  // read_timeout is 2 s
  {
    Client gone(server_->port());
    ASSERT_FALSE(gone.WriteRaw(Header("/upload", 1 << 20) + std::string(100 << 10, 'b')));
  }
  EXPECT_TRUE(NoFilesLeft());
}

// Each chunk comes in time, but far below the minimum average rate.
TEST_F(SpoolHttpTest, TricklingSenderIsDropped) {
  Client trickle(server_->port());
  auto start = std::chrono::steady_clock::now();
  ASSERT_FALSE(trickle.WriteRaw(Header("/upload", 1 << 20)));
  while (std::chrono::steady_clock::now() - start < 10s) {
    if (trickle.WriteRaw(std::string(100, 'b'), 1s)) break;  // the server closed
    std::this_thread::sleep_for(300ms);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 6s);  // read_timeout 2 s, then the rate
  EXPECT_TRUE(NoFilesLeft());
}

TEST_F(SpoolHttpTest, FileAnswersStreamAndAreRemoved) {
  Fetched f = Client(server_->port()).Get("/download?size=3000000");
  ASSERT_EQ(f.status(), 200);
  EXPECT_EQ(f.res.body(), std::string(3000000, 'x'));
  EXPECT_EQ(f.header(http::field::content_type), "application/octet-stream");
  Fetched head = Client(server_->port()).Send(http::verb::head, "/download?size=123");
  ASSERT_EQ(head.status(), 200);
  EXPECT_EQ(head.header(http::field::content_length), "123");
  EXPECT_TRUE(head.res.body().empty());
  {
    // A client that leaves without reading its (large) answer.
    Client gone(server_->port());
    ASSERT_FALSE(gone.WriteRaw("GET /download?size=50000000 HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_TRUE(NoFilesLeft());
}

}  // namespace
}  // namespace pathbridge::gateway
