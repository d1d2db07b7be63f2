// `pathbridge serve`: opens the ledger under --data (making its key on first
// run) and the OAuth clients (DATA/clients.db), serves the HTTP API, and
// shuts down gracefully on SIGINT/SIGTERM: in-flight requests finish and the
// log commits and signs a checkpoint.
#include <signal.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include "gateway/auth/auth.h"
#include "gateway/cli_util.h"
#include "gateway/ledger_routes.h"
#include "gateway/server.h"
#include "ledger/ledger_dir.h"

namespace pathbridge::gateway {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string data = "./var";
  std::string origin;
  int threads = 2;
  int checkpoint_interval_ms = 50;
  int token_lifetime_s = 15 * 60;
  double open_rate_limit = 10;
  bool dev_loopback_admin = false;
};

Result<std::pair<std::string, uint16_t>> SplitListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return InvalidArgument("expected HOST:PORT", "--listen " + listen);
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535)
    return InvalidArgument("port must be a number from 0 to 65535", "--listen " + listen);
  return std::make_pair(host, static_cast<uint16_t>(std::stoul(port)));
}

// The path this binary was started from, so the hint can be pasted as is.
std::string SelfPath() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "pathbridge";
  auto rel = std::filesystem::relative(p, std::filesystem::current_path(), ec);
  return ec || rel.empty() || rel.native().starts_with("..") ? p.string() : rel.string();
}

void PrintWhatToTry(const std::string& base, const ServeArgs& a, const ledger::Log& log) {
  std::string vkey = log.verifier().ToString();
  std::cout << "pathbridge is serving the ledger \"" << log.origin() << "\" at " << base << "\n"
            << "  data:    " << a.data << "/ledger (SQLite, WAL)\n"
            << "  log key: " << vkey << "\n\n"
            << "Try:\n"
            << "  curl -s " << base << "/ledger/checkpoint\n"
            << "  " << SelfPath() << " clients add --org ORG --scopes admin --data " << a.data
            << "   # prints ID and SECRET\n"
            << "  TOKEN=$(curl -s -u ID:SECRET -d grant_type=client_credentials " << base
            << "/oauth/token | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n"
            << "  curl -s -H \"Authorization: Bearer $TOKEN\" --data-binary 'hello, ledger' " << base
            << "/ledger/entries\n"
            << "  curl -s '" << base << "/ledger/proof/inclusion?index=0&size=1'\n"
            << "  curl -s " << base << "/ledger/entries/0/proof > entry0.tlog-proof\n"
            << "  " << SelfPath() << " ledger verify-proof --key '" << vkey
            << "' entry0.tlog-proof\n"
            << "Stop with Ctrl-C.\n"
            << std::flush;
}

int Serve(const ServeArgs& a) {
  auto hp = SplitListen(a.listen);
  if (!hp.ok()) return Fail(hp.status());
  // Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  ledger::LogOptions log_options;
  log_options.checkpoint_interval = std::chrono::milliseconds(a.checkpoint_interval_ms);
  auto log = ledger::OpenLedger(a.data, a.origin, log_options);
  if (!log.ok()) return Fail(log.status());
  auth::AuthOptions auth_options;
  auth_options.tokens.lifetime = std::chrono::seconds(a.token_lifetime_s);
  auth_options.open_routes = {.per_second = a.open_rate_limit, .burst = 5 * a.open_rate_limit};
  auth_options.bearer.loopback_admin = a.dev_loopback_admin;
  auto auth = auth::Auth::Open(a.data, auth_options);
  if (!auth.ok()) return Fail(auth.status());
  Router router;
  AddLedgerRoutes(router, **log);
  (*auth)->Install(router);
  ServerOptions options;
  options.host = hp->first;
  options.port = hp->second;
  options.threads = a.threads;
  Server server(options, std::move(router));
  auto port = server.Listen();
  if (!port.ok()) return Fail(port.status());
  std::string host = options.host.find(':') != std::string::npos ? "[" + options.host + "]"
                                                                 : options.host;
  PrintWhatToTry("http://" + host + ":" + std::to_string(*port), a, **log);

  std::thread stopper([&server, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.Stop();
  });
  server.Run();
  // Run returns only after Stop; wake the stopper if Run ended on its own.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  Status closed = (*log)->Close();
  if (!closed.ok()) return Fail(closed);
  std::cout << "pathbridge stopped; ledger size " << (*log)->Size() << "\n";
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ServeArgs>();
  auto* serve = app.add_subcommand("serve", "Run the gateway (HTTP API over the ledger)");
  serve->add_option("--listen", a->listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--data", a->data, "Data directory (ledger database and keys)")->capture_default_str();
  serve->add_option("--origin", a->origin, "Log origin when the ledger is created (default localhost/pathbridge)");
  serve->add_option("--threads", a->threads, "I/O threads")->capture_default_str()->check(CLI::Range(1, 64));
  serve->add_option("--checkpoint-interval-ms", a->checkpoint_interval_ms,
                    "Longest wait from a durable append to a signed checkpoint covering it")
      ->capture_default_str()
      ->check(CLI::Range(0, 250));
  serve->add_option("--token-lifetime", a->token_lifetime_s, "Seconds an access token lives")
      ->capture_default_str()
      ->check(CLI::Range(60, 24 * 3600));
  serve->add_option("--open-rate-limit", a->open_rate_limit,
                    "Requests per second per client address on open routes that cost the server "
                    "(verification); bursts of 5 seconds' worth")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 1e6));
  serve->add_flag("--dev-loopback-admin", a->dev_loopback_admin,
                  "Development only: loopback clients without a token act with the admin scope");
  serve->callback([a, exit_code] { *exit_code = Serve(*a); });
}

}  // namespace pathbridge::gateway
