// The Beast side of the server, modelled on Beast's "advanced server": a
// listener, and a session template over its stream (CRTP, as in the
// example) that the plain and the TLS session share. Unlike the example,
// each io thread runs its own io_context (nginx's worker model): on a
// 2-core machine a shared one cost a quarter of the requests/s to lock
// contention and cross-thread wake-ups (docs/performance.md).
//
// Lifetimes: the ServerCore's registry owns every live session; a session removes
// itself when it closes. A Reply holds only a weak reference plus the Gate,
// so a reply that arrives after the server is gone is dropped instead of
// touching a destroyed io_context.
#include "gateway/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "gateway/problem.h"

namespace pathbridge::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using ErrorCode = beast::error_code;

constexpr int kMaxRefusals = 64;  // concurrent polite refusals; beyond, just close
constexpr std::chrono::seconds kRefusalTimeout{2};
constexpr size_t kIdleReadChunk = 4096;
// After an early answer (413, 431, 400) the client may still be sending;
// closing on unread data makes the kernel send RST, which can destroy the
// answer in flight. So read and discard for a while before closing.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr size_t kMaxLingerBytes = 1 << 20;

std::string NewRequestId() {
  thread_local std::mt19937_64 rng([] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (size_t half = 0; half < 2; ++half) {
    uint64_t v = rng();
    for (size_t i = 0; i < 16; ++i, v >>= 4) id[half * 16 + i] = kHex[v & 15];
  }
  return id;
}

bool IsLoopback(const net::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6()).is_loopback();
  return a.is_loopback();
}

// "192.0.2.7" or "2001:db8::1"; a v4-mapped v6 address as the v4 one.
std::string AddressText(const tcp::endpoint& ep) {
  auto a = ep.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6()).to_string();
  return a.to_string();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Header values come from our handlers, but one with CR/LF/NUL would split
// the response, so it is dropped rather than trusted.
bool SafeHeaderValue(std::string_view v) {
  return v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void RemoveFile(const std::string& path) {
  std::error_code ec;
  if (!path.empty()) std::filesystem::remove(path, ec);
}

template <class Body>
void SetHeaders(http::response<Body>& res, const Response& r, const std::string& request_id) {
  res.set(http::field::server, "pathbridge");
  res.set(http::field::content_type, r.content_type);
  res.set("X-Request-Id", request_id);
  res.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : r.headers)
    if (SafeHeaderValue(name) && SafeHeaderValue(value)) res.insert(name, value);
}

}  // namespace

namespace detail {

// Set to closed once the io_context can no longer take work.
struct Gate {
  std::mutex mu;
  bool open = true;
};

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // From any thread, under the gate: post the response to the strand.
  virtual void Deliver(Response response) = 0;
  // From any thread: close if idle, else close after the current response.
  virtual void Shutdown() = 0;
  // Once, after the session is registered: starts serving the connection.
  virtual void Run() = 0;
};

struct ServerCore {
  // Before the io_context, so they outlive it: sessions destroyed with its
  // queued handlers still report to them.
  const std::vector<std::shared_ptr<ServerObserver>> observers;
  // One io_context per io thread, each run by its thread alone (as nginx
  // runs one event loop per worker): a connection stays on the context it
  // was accepted onto, so its handlers never contend for a shared queue or
  // wake another thread. Declared first (after the observers), destroyed
  // last: sessions and timers die before them.
  std::vector<std::unique_ptr<net::io_context>> iocs;
  std::atomic<size_t> next_ioc{0};
  ServerOptions options;
  Router router;
  std::shared_ptr<net::ssl::context> tls;  // set by Listen for HTTPS
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::steady_timer> accept_retry;
  std::atomic<int> refusals{0};

  std::mutex mu;  // guards what follows
  std::condition_variable cv;
  std::unordered_map<SessionBase*, std::shared_ptr<SessionBase>> sessions;
  bool stopping = false;
  bool running = false;

  ServerCore(ServerOptions o, Router r)
      : observers(o.observers), options(std::move(o)), router(std::move(r)) {
    for (int i = 0; i < std::max(1, options.threads); ++i)
      iocs.push_back(std::make_unique<net::io_context>(1));  // 1: run by one thread
  }

  // The context the next connection is served on, round robin.
  net::io_context& NextContext() { return *iocs[next_ioc++ % iocs.size()]; }

  template <class F>
  void Notify(F&& f) const {
    for (const auto& o : observers) f(*o);
  }

  void Accept();
  void OnAccept(ErrorCode ec, tcp::socket socket);
  void Admit(tcp::socket socket);
  void Refuse(tcp::socket socket);
  void Remove(SessionBase* s) {
    std::lock_guard<std::mutex> lock(mu);
    sessions.erase(s);
    cv.notify_all();
  }
  void RunIo(net::io_context& ioc);
  void Drain();
};
}  // namespace detail

using detail::Gate;
using detail::SessionBase;

namespace {

// HTTP/1.1 over any stream: Derived provides stream() and DoEof().
template <class Derived>
class HttpSession : public SessionBase {
 public:
  HttpSession(detail::ServerCore& server, bool loopback) : server_(server), loopback_(loopback) {
    server_.Notify([](ServerObserver& o) { o.ConnectionOpened(); });
  }
  ~HttpSession() override {
    RemoveFiles();
    if (in_request_) FinishRequest(false);  // dropped by Stop while a handler ran
    server_.Notify([](ServerObserver& o) { o.ConnectionClosed(); });
  }

  void Deliver(Response response) override {
    net::post(Stream().get_executor(), [self = Self(), r = std::move(response)]() mutable {
      self->WriteResponse(std::move(r));
    });
  }

  void Shutdown() override {
    net::post(Stream().get_executor(), [self = Self()] {
      self->closing_ = true;
      if (self->phase_ == Phase::kReading) beast::get_lowest_layer(self->Stream()).cancel();
    });
  }

 protected:
  void Start() {
    net::dispatch(Stream().get_executor(), [self = Self()] { self->ReadRequest(); });
  }

  // After the transport's half-close: linger if the peer may still be
  // sending (an early error, or pipelined bytes we will not read), else close.
  void AfterEof() {
    if (early_answer_ || buffer_.size() > 0) return Linger();
    Close();
  }

  // Read and discard until the peer closes (or a bound), then Close. Reads
  // the transport: over TLS, after close_notify, the bytes are not records.
  void Linger() {
    beast::get_lowest_layer(Stream()).expires_after(kLingerTimeout);
    buffer_.clear();
    beast::get_lowest_layer(Stream()).async_read_some(buffer_.prepare(kIdleReadChunk),
                             [self = Self()](ErrorCode ec, size_t n) {
                               self->lingered_ += n;
                               if (ec || self->lingered_ > kMaxLingerBytes) return self->Close();
                               self->Linger();
                             });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    RemoveFiles();
    ErrorCode ec;
    beast::get_lowest_layer(Stream()).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(Stream()).close();
    server_.Remove(this);
  }

  const ServerOptions& options() const { return server_.options; }
  void SetClientCertificate(ClientCertificate cert) { client_cert_ = std::move(cert); }

 private:
  enum class Phase { kReading, kHandling, kWriting };

  Derived& derived() { return static_cast<Derived&>(*this); }
  auto& Stream() { return derived().stream(); }
  std::shared_ptr<Derived> Self() { return derived().shared_from_this(); }

  void ReadRequest() {
    phase_ = Phase::kReading;
    if (closing_) return Close();
    parser_.emplace();
    file_parser_.reset();
    parser_->header_limit(static_cast<uint32_t>(options().max_header_bytes));
    // The limit depends on the route (OnHeader sets it): none until then.
    parser_->body_limit(boost::none);
    if (served_ == 0 || buffer_.size() > 0) return ReadHeader();
    // Kept alive: wait for the first byte under the idle timeout.
    beast::get_lowest_layer(Stream()).expires_after(options().idle_timeout);
    Stream().async_read_some(
        buffer_.prepare(kIdleReadChunk), [self = Self()](ErrorCode ec, size_t n) {
          self->buffer_.commit(n);
          if (ec) return self->Close();
          self->ReadHeader();
        });
  }

  void ReadHeader() {
    beast::get_lowest_layer(Stream()).expires_after(options().read_timeout);
    http::async_read_header(Stream(), buffer_, *parser_, [self = Self()](ErrorCode ec, size_t) {
      if (ec) return self->OnReadError(ec);
      self->OnHeader();
    });
  }

  void OnHeader() {
    auto& req = parser_->get();
    const RouteOptions* route = server_.router.OptionsFor(req.method_string(), req.target());
    bool to_file = route != nullptr && route->body_to_file;
    body_limit_ = to_file ? route->max_file_body_bytes : options().max_body_bytes;
    if (auto length = parser_->content_length(); length && *length > body_limit_)
      return OnReadError(http::error::body_limit);
    parser_->body_limit(body_limit_);
    bool expects_continue = req.version() >= 11 &&
                            beast::iequals(req[http::field::expect], "100-continue") &&
                            !parser_->is_done();
    if (to_file && !StartSpool()) return;  // (moves the parser: req is gone)
    if (expects_continue) {
      continue_ = http::response<http::empty_body>{http::status::continue_, 11};
      return http::async_write(Stream(), continue_, [self = Self()](ErrorCode ec, size_t) {
        if (ec) return self->Close();
        self->ReadBody();
      });
    }
    ReadBody();
  }

  // A body_to_file route: refuses what Dispatch would refuse (target,
  // query, token, scope) before reading the body, then switches to a parser
  // that writes the body to a new spool file. False when it answered.
  bool StartSpool() {
    Request probe = HeaderRequest(parser_->get());
    if (auto refused = server_.router.Preflight(probe)) {
      request_ = std::move(probe);
      SendEarly(std::move(*refused));
      return false;
    }
    spool_id_ = probe.request_id;
    std::filesystem::path dir = options().spool_dir;
    if (dir.empty()) dir = std::filesystem::temp_directory_path();
    spool_ = (dir / ("pathbridge-body-" + spool_id_)).string();
    ErrorCode ec;
    if (!parser_->is_done()) {
      file_parser_.emplace(std::move(*parser_));
      file_parser_->body_limit(body_limit_);
      file_parser_->get().body().open(spool_.c_str(), beast::file_mode::write_new, ec);
    } else {  // no body: an empty file, so handlers always have one
      beast::file f;
      f.open(spool_.c_str(), beast::file_mode::write_new, ec);
    }
    if (ec) {
      spool_.clear();
      request_ = std::move(probe);
      SendEarly(ProblemFromStatus(IoError("cannot create a spool file: " + ec.message()),
                                  spool_id_));
      return false;
    }
    return true;
  }

  void ReadBody() {
    if (file_parser_) {
      transfer_start_ = std::chrono::steady_clock::now();
      transferred_ = 0;
      return ReadFileBody();
    }
    if (parser_->is_done()) return OnRequest();
    http::async_read(Stream(), buffer_, *parser_, [self = Self()](ErrorCode ec, size_t) {
      if (ec) return self->OnReadError(ec);
      self->OnRequest();
    });
  }

  // Chunk by chunk, each under read_timeout, at the minimum average rate.
  void ReadFileBody() {
    if (file_parser_->is_done()) return OnRequest();
    beast::get_lowest_layer(Stream()).expires_after(options().read_timeout);
    http::async_read_some(Stream(), buffer_, *file_parser_,
                          [self = Self()](ErrorCode ec, size_t n) {
                            if (ec) return self->OnReadError(ec);
                            self->transferred_ += n;
                            if (self->TooSlow()) return self->Close();
                            self->ReadFileBody();
                          });
  }

  bool TooSlow() const {
    auto elapsed = std::chrono::steady_clock::now() - transfer_start_;
    double rate = static_cast<double>(std::max<size_t>(1, options().min_transfer_bytes_per_second));
    double allowed = std::chrono::duration<double>(options().read_timeout).count() +
                     static_cast<double>(transferred_) / rate;
    return std::chrono::duration<double>(elapsed).count() > allowed;
  }

  void OnReadError(ErrorCode ec) {
    if (ec == http::error::body_limit)
      return SendError(413, "the request body is larger than " + std::to_string(body_limit_) +
                                " bytes");
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow)
      return SendError(431, "the request line and headers are larger than " +
                                std::to_string(options().max_header_bytes) + " bytes");
    // Timeouts, resets, Stop and a peer closing mid-request: no one to answer.
    if (ec.category() != http::make_error_code(http::error::bad_method).category() ||
        ec == http::error::end_of_stream || ec == http::error::partial_message)
      return Close();
    SendError(400, "malformed HTTP request");
  }

  void SendError(int status, std::string detail) {
    request_ = Request{};
    request_.request_id = NewRequestId();
    request_.remote_address = PeerAddress();
    SendEarly(Problem(status, detail, request_.request_id));
  }

  // Answers before the whole request is read (request_ holds what is known).
  void SendEarly(Response response) {
    StartRequest();
    early_answer_ = true;
    keep_alive_ = false;
    head_ = false;
    version_ = 11;
    WriteResponse(std::move(response));
  }

  // The request as handlers see it, but for the body.
  template <class Body>
  Request HeaderRequest(const http::request<Body>& msg) {
    Request r;
    r.method = std::string(msg.method_string());
    r.target = std::string(msg.target());
    for (const auto& f : msg) r.headers.emplace_back(Lower(f.name_string()), f.value());
    r.request_id = NewRequestId();
    r.remote_loopback = loopback_;
    r.client_cert = client_cert_;
    r.remote_address = PeerAddress();
    return r;
  }

  void OnRequest() {
    ++served_;
    phase_ = Phase::kHandling;
    beast::get_lowest_layer(Stream()).expires_never();  // handlers may take a while
    if (file_parser_) {
      auto msg = file_parser_->release();
      msg.body().close();
      return OnMessage(msg);
    }
    auto msg = parser_->release();
    OnMessage(msg);
  }

  template <class Body>
  void OnMessage(http::request<Body>& msg) {
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    head_ = msg.method() == http::verb::head;
    request_ = HeaderRequest(msg);
    if constexpr (std::is_same_v<Body, http::string_body>) request_.body = std::move(msg.body());
    if (!spool_.empty()) {
      request_.body_file = spool_;
      request_.request_id = spool_id_;
    }
    StartRequest();
    if (version_ >= 11 && msg.find(http::field::host) == msg.end()) {
      keep_alive_ = false;
      return WriteResponse(Problem(400, "HTTP/1.1 requests need a Host header",
                                   request_.request_id));
    }
    Dispatch();
  }

  void StartRequest() {
    in_request_ = true;
    started_ = std::chrono::steady_clock::now();
    server_.Notify([](ServerObserver& o) { o.RequestStarted(); });
  }

  void FinishRequest(bool written) {
    in_request_ = false;
    outcome_.written = written;
    outcome_.duration = std::chrono::steady_clock::now() - started_;
    server_.Notify([this](ServerObserver& o) { o.RequestFinished(request_, outcome_); });
  }

  // Read once per connection (rate limits key on it).
  const std::string& PeerAddress() {
    if (peer_.empty()) {
      ErrorCode ec;
      auto ep = beast::get_lowest_layer(Stream()).socket().remote_endpoint(ec);
      if (!ec) peer_ = AddressText(ep);
    }
    return peer_;
  }

  void Dispatch() {
    std::weak_ptr<Derived> weak = Self();
    Reply reply(request_.request_id, [weak, gate = server_.gate](Response r) {
      std::lock_guard<std::mutex> lock(gate->mu);
      auto s = gate->open ? weak.lock() : nullptr;
      if (s) return s->Deliver(std::move(r));
      RemoveFile(r.body_file);  // no one to send it to
    });
    try {
      server_.router.Dispatch(request_, reply);
    } catch (...) {
      reply(Problem(500, "the server could not complete the request; quote the request id",
                    request_.request_id));
    }
  }

  void WriteResponse(Response r) {
    if (phase_ == Phase::kWriting || closed_) return RemoveFile(r.body_file);
    phase_ = Phase::kWriting;
    RemoveFile(spool_);  // the handler is done with the request
    spool_.clear();
    bool keep = keep_alive_ && !closing_;
    unsigned status = r.status >= 100 && r.status <= 599 ? static_cast<unsigned>(r.status) : 500;
    outcome_.status = static_cast<int>(status);
    outcome_.body_bytes = head_ ? 0 : r.body.size();
    beast::get_lowest_layer(Stream()).expires_after(options().read_timeout);
    try {
      if (!r.body_file.empty()) return WriteFile(std::move(r), status, keep);
      if (head_) {
        auto res = std::make_shared<http::response<http::empty_body>>();
        Fill(*res, status, keep, r);
        res->content_length(r.body.size());
        return Write(std::move(res), !keep);
      }
      auto res = std::make_shared<http::response<http::string_body>>();
      Fill(*res, status, keep, r);
      res->body() = std::move(r.body);
      res->prepare_payload();
      Write(std::move(res), !keep);
    } catch (const std::exception&) {
      Close();
    }
  }

  // Streams r.body_file (then removes it), chunk by chunk as ReadFileBody.
  void WriteFile(Response r, unsigned status, bool keep) {
    answer_file_ = std::move(r.body_file);
    auto res = std::make_shared<http::response<http::file_body>>();
    ErrorCode ec;
    res->body().open(answer_file_.c_str(), beast::file_mode::scan, ec);
    if (ec) {
      phase_ = Phase::kHandling;
      RemoveFile(answer_file_);
      answer_file_.clear();
      return WriteResponse(ProblemFromStatus(IoError("cannot open the response file: " +
                                                         ec.message()),
                                             request_.request_id));
    }
    Fill(*res, status, keep, r);
    res->prepare_payload();
    outcome_.body_bytes = head_ ? 0 : res->body().size();
    if (head_) {
      auto empty = std::make_shared<http::response<http::empty_body>>();
      Fill(*empty, status, keep, r);
      empty->content_length(res->body().size());
      res.reset();
      RemoveFile(answer_file_);
      answer_file_.clear();
      return Write(std::move(empty), !keep);
    }
    auto serializer = std::make_shared<http::response_serializer<http::file_body>>(*res);
    transfer_start_ = std::chrono::steady_clock::now();
    transferred_ = 0;
    WriteSome(std::move(res), std::move(serializer), !keep);
  }

  void WriteSome(std::shared_ptr<http::response<http::file_body>> res,
                 std::shared_ptr<http::response_serializer<http::file_body>> serializer,
                 bool close) {
    beast::get_lowest_layer(Stream()).expires_after(options().read_timeout);
    auto& sr = *serializer;
    http::async_write_some(Stream(), sr, [self = Self(), res, serializer, close](ErrorCode ec,
                                                                                  size_t n) {
      if (ec) {
        if (self->in_request_) self->FinishRequest(false);
        return self->Close();
      }
      self->transferred_ += n;
      if (!serializer->is_done()) {
        if (self->TooSlow()) return self->Close();
        return self->WriteSome(res, serializer, close);
      }
      RemoveFile(self->answer_file_);
      self->answer_file_.clear();
      if (self->in_request_) self->FinishRequest(true);
      if (close) return self->derived().DoEof();
      self->ReadRequest();
    });
  }

  void RemoveFiles() {
    RemoveFile(spool_);
    spool_.clear();
    RemoveFile(answer_file_);
    answer_file_.clear();
  }

  template <class Body>
  void Fill(http::response<Body>& res, unsigned status, bool keep, const Response& r) {
    res.version(version_);
    res.result(status);
    res.keep_alive(keep);
    SetHeaders(res, r, request_.request_id);
  }

  template <class Message>
  void Write(std::shared_ptr<Message> res, bool close) {
    auto& msg = *res;
    http::async_write(Stream(), msg, [self = Self(), res, close](ErrorCode ec, size_t) {
      if (self->in_request_) self->FinishRequest(!ec);
      if (ec) return self->Close();
      if (close) return self->derived().DoEof();
      self->ReadRequest();
    });
  }

  detail::ServerCore& server_;
  const bool loopback_;
  std::optional<ClientCertificate> client_cert_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  // Replaces parser_ once the header names a body_to_file route.
  std::optional<http::request_parser<http::file_body>> file_parser_;
  uint64_t body_limit_ = 0;  // the current request's
  std::string spool_;        // the current request's body file, if any
  std::string spool_id_;     // its request id (given at Preflight)
  std::string answer_file_;  // the response file being written, if any
  std::chrono::steady_clock::time_point transfer_start_;
  uint64_t transferred_ = 0;
  http::response<http::empty_body> continue_;
  Request request_;
  Phase phase_ = Phase::kReading;
  bool keep_alive_ = false;
  bool head_ = false;
  unsigned version_ = 11;
  bool closing_ = false;
  bool closed_ = false;
  uint64_t served_ = 0;
  size_t lingered_ = 0;
  bool early_answer_ = false;  // answered before reading the whole request
  bool in_request_ = false;    // between StartRequest and FinishRequest
  std::chrono::steady_clock::time_point started_;
  RequestOutcome outcome_;
};

class PlainSession : public HttpSession<PlainSession>,
                     public std::enable_shared_from_this<PlainSession> {
 public:
  PlainSession(detail::ServerCore& server, tcp::socket&& socket, bool loopback)
      : HttpSession<PlainSession>(server, loopback), stream_(std::move(socket)) {}

  void Run() override { Start(); }
  beast::tcp_stream& stream() { return stream_; }
  // Half-close so the client sees the end of the response.
  void DoEof() {
    ErrorCode ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    AfterEof();
  }

 private:
  beast::tcp_stream stream_;
};

// HTTPS: the handshake under the read timeout (a client that never
// finishes it is dropped), then the same HTTP logic over the TLS stream.
class TlsSession : public HttpSession<TlsSession>,
                   public std::enable_shared_from_this<TlsSession> {
 public:
  TlsSession(detail::ServerCore& server, tcp::socket&& socket, bool loopback,
             net::ssl::context& context)
      : HttpSession<TlsSession>(server, loopback), stream_(std::move(socket), context) {}

  void Run() override {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      beast::get_lowest_layer(self->stream_).expires_after(self->options().read_timeout);
      self->stream_.async_handshake(net::ssl::stream_base::server, [self](ErrorCode ec) {
        if (ec) return self->Close();  // not TLS, refused certificate, timeout
        if (X509* peer = SSL_get0_peer_certificate(self->stream_.native_handle()))
          self->SetClientCertificate(certs::IdentityOf(*peer));
        self->Start();
      });
    });
  }
  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
  // close_notify (waiting, bounded, for the client's), then half-close.
  void DoEof() {
    beast::get_lowest_layer(stream_).expires_after(kLingerTimeout);
    stream_.async_shutdown([self = shared_from_this()](ErrorCode) {
      ErrorCode ec;
      beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_send, ec);
      self->AfterEof();
    });
  }

 private:
  beast::ssl_stream<beast::tcp_stream> stream_;
};

// Answers one connection over the limit with a 503 problem, then closes.
class Refusal : public std::enable_shared_from_this<Refusal> {
 public:
  Refusal(tcp::socket&& socket, std::atomic<int>& count)
      : stream_(std::move(socket)), count_(count) {
    std::string id = NewRequestId();
    Response r = Problem(503, "too many connections; retry later", id);
    res_.result(http::status::service_unavailable);
    res_.keep_alive(false);
    SetHeaders(res_, r, id);
    res_.body() = std::move(r.body);
    res_.prepare_payload();
  }
  ~Refusal() { --count_; }

  void Run() {
    stream_.expires_after(kRefusalTimeout);  // covers the write and the linger
    http::async_write(stream_, res_, [self = shared_from_this()](ErrorCode ec, size_t) {
      if (ec) return self->stream_.close();
      self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      self->Linger();
    });
  }

 private:
  void Linger() {
    stream_.async_read_some(net::buffer(discard_), [self = shared_from_this()](ErrorCode ec,
                                                                               size_t) {
      if (ec) return self->stream_.close();
      self->Linger();
    });
  }

  beast::tcp_stream stream_;
  std::atomic<int>& count_;
  http::response<http::string_body> res_;
  std::array<char, 512> discard_;
};

}  // namespace

void detail::ServerCore::Accept() {
  acceptor->async_accept(NextContext(), [this](ErrorCode ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void detail::ServerCore::OnAccept(ErrorCode ec, tcp::socket socket) {
  if (!acceptor->is_open() || ec == net::error::operation_aborted) return;
  if (ec) {
    // Out of descriptors and the like: back off instead of spinning.
    accept_retry->expires_after(std::chrono::milliseconds(50));
    accept_retry->async_wait([this](ErrorCode wait_ec) {
      if (!wait_ec && acceptor->is_open()) Accept();
    });
    return;
  }
  Admit(std::move(socket));
  Accept();
}

void detail::ServerCore::Admit(tcp::socket socket) {
  ErrorCode ec;
  auto remote = socket.remote_endpoint(ec);
  if (ec) return;  // the peer is already gone
  bool loopback = IsLoopback(remote.address());
  std::shared_ptr<SessionBase> session;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (stopping) return;  // the socket closes as it goes out of scope
    if (sessions.size() >= options.max_connections) {
      // A plain 503 means nothing to a TLS client, and a handshake to say
      // "busy" is the wrong work when busy: just close.
      Notify([](ServerObserver& o) { o.ConnectionRefused(); });
      if (!tls) Refuse(std::move(socket));
      return;
    }
    if (tls)
      session = std::make_shared<TlsSession>(*this, std::move(socket), loopback, *tls);
    else
      session = std::make_shared<PlainSession>(*this, std::move(socket), loopback);
    sessions.emplace(session.get(), session);
  }
  session->Run();
}

void detail::ServerCore::Refuse(tcp::socket socket) {
  if (refusals.fetch_add(1) >= kMaxRefusals) {
    --refusals;
    return;
  }
  std::make_shared<Refusal>(std::move(socket), refusals)->Run();
}

void detail::ServerCore::RunIo(net::io_context& ioc) {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      // A handler threw past every guard; keep serving the others.
      std::fprintf(stderr, "pathbridge server: unexpected exception: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "pathbridge server: unexpected exception\n");
    }
  }
}

// Stop accepting, close idle connections, and wait (bounded) for the rest.
void detail::ServerCore::Drain() {
  net::post(acceptor->get_executor(), [this] {
    ErrorCode ec;
    acceptor->close(ec);
    accept_retry->cancel();
  });
  std::unique_lock<std::mutex> lock(mu);
  for (auto& [ptr, session] : sessions) session->Shutdown();
  cv.wait_for(lock, options.shutdown_timeout, [this] { return sessions.empty(); });
}

Server::Server(ServerOptions options, Router router)
    : impl_(std::make_unique<detail::ServerCore>(std::move(options), std::move(router))) {}

Server::~Server() {
  Stop();
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->cv.wait(lock, [this] { return !impl_->running; });
}

Result<uint16_t> Server::Listen() {
  detail::ServerCore& s = *impl_;
  if (s.acceptor) return Status(Code::kFailedPrecondition, "the server is already listening");
  ErrorCode ec;
  std::string host = s.options.host == "localhost" ? "127.0.0.1" : s.options.host;
  auto address = net::ip::make_address(host, ec);
  if (ec) return InvalidArgument("the host must be an IP address or localhost", "host");
  tcp::endpoint endpoint(address, s.options.port);
  std::string where = host + ":" + std::to_string(s.options.port);
  if (s.options.tls) {
    PB_ASSIGN_OR_RETURN(s.tls, certs::MakeServerTlsContext(*s.options.tls));
  } else if (!IsLoopback(address) && !s.options.allow_plain_non_loopback) {
    return Status(Code::kFailedPrecondition,
                  "plain HTTP is served on loopback addresses only; use TLS, or allow plain "
                  "HTTP explicitly",
                  where);
  }
  tcp::acceptor acceptor(*s.iocs[0]);
  if (acceptor.open(endpoint.protocol(), ec); !ec)
    if (acceptor.set_option(net::socket_base::reuse_address(true), ec); !ec)
      if (acceptor.bind(endpoint, ec); !ec)
        acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return IoError("cannot listen: " + ec.message(), where);
  uint16_t port = acceptor.local_endpoint(ec).port();
  if (ec) return IoError("cannot read the bound port: " + ec.message(), where);
  s.accept_retry.emplace(acceptor.get_executor());
  s.acceptor.emplace(std::move(acceptor));
  return port;
}

void Server::Run() {
  detail::ServerCore& s = *impl_;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (!s.acceptor || s.running || s.stopping) return;
    s.running = true;
  }
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
  for (auto& ioc : s.iocs) work.push_back(net::make_work_guard(*ioc));
  net::post(s.acceptor->get_executor(), [&s] { s.Accept(); });
  std::vector<std::thread> threads;
  for (auto& ioc : s.iocs) threads.emplace_back([&s, &ioc = *ioc] { s.RunIo(ioc); });
  {
    std::unique_lock<std::mutex> lock(s.mu);
    s.cv.wait(lock, [&s] { return s.stopping; });
  }
  s.Drain();
  work.clear();
  for (auto& ioc : s.iocs) ioc->stop();
  for (auto& t : threads) t.join();
  {
    std::lock_guard<std::mutex> lock(s.gate->mu);
    s.gate->open = false;  // late replies are dropped from now on
  }
  std::unordered_map<SessionBase*, std::shared_ptr<SessionBase>> left;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    left.swap(s.sessions);
  }
  left.clear();  // what Stop did not drain; their sockets close here
  std::lock_guard<std::mutex> lock(s.mu);
  s.running = false;
  s.cv.notify_all();
}

void Server::Stop() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->stopping = true;
  impl_->cv.notify_all();
}

}  // namespace pathbridge::gateway
