// `pathbridge serve`: opens the ledger under --data (making its key on first
// run), the OAuth clients (DATA/clients.db) and the credential service (its
// status store and issuance records, so the `credential` commands that write
// refuse while it runs: use the VC API routes); serves the API (ledger, VC
// API, translation, the dual-enrollment import, operations) and the /verify
// page over HTTPS (with --tls-cert/--tls-key, or the development PKI under
// DATA/pki, made on first run) or, with --plain, over HTTP on loopback.
// Large request bodies spool to DATA/tmp/http, translation scratch lives in
// DATA/tmp/translate (both emptied at start). Shuts down gracefully on
// SIGINT/SIGTERM: readyz turns 503 (for drain_delay_s), then in-flight
// requests finish and the log commits and signs a checkpoint.
// Settings come from defaults, --config FILE, PATHBRIDGE_* variables and
// flags (gateway/serve_config.h); logs go to standard error as JSON lines
// (gateway/access_log.h); the "what to try" hints to standard output.
#include <signal.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "certs/tls/dev_pki.h"
#include "gateway/auth/auth.h"
#include "gateway/access_log.h"
#include "gateway/cli_util.h"
#include "gateway/credential_routes.h"
#include "gateway/hub_did.h"
#include "gateway/ledger_routes.h"
#include "gateway/metrics.h"
#include "gateway/ops_routes.h"
#include "gateway/readiness.h"
#include "gateway/serve_config.h"
#include "gateway/server.h"
#include "gateway/translate_routes.h"
#include "gateway/verify_page.h"
#include "ledger/ledger_dir.h"

namespace pathbridge::gateway {
namespace {

constexpr const char* kHttpsListen = "127.0.0.1:8443";
constexpr const char* kPlainListen = "127.0.0.1:8080";

// The TLS settings from the flags; with no PEM paths, the development PKI
// under DATA/pki (made on first run, which `made_pki` reports).
Result<certs::TlsServerOptions> TlsOptions(const ServeArgs& a, bool* made_pki) {
  certs::TlsServerOptions tls;
  tls.client_certs = a.client_certs == "required"   ? certs::ClientCertMode::kRequired
                     : a.client_certs == "optional" ? certs::ClientCertMode::kOptional
                                                    : certs::ClientCertMode::kNone;
  tls.allow_tls12 = a.tls12;
  tls.client_ca = a.tls_client_ca;
  if (!a.tls_cert.empty()) {
    if (tls.client_certs != certs::ClientCertMode::kNone && a.tls_client_ca.empty())
      return InvalidArgument("client certificates need --tls-client-ca with --tls-cert",
                             "--client-certs");
    tls.certificate_chain = a.tls_cert;
    tls.private_key = a.tls_key;
    return tls;
  }
  certs::DevPkiLayout pki(std::filesystem::path(a.data) / "pki");
  PB_ASSIGN_OR_RETURN(*made_pki, certs::EnsureDevPki(pki.dir));
  tls.certificate_chain = pki.server_cert;
  tls.private_key = pki.server_key;
  if (tls.client_ca.empty()) tls.client_ca = pki.ca_cert;
  return tls;
}

// "curl -s" and the TLS options a client needs, for the printed hints.
std::string CurlFor(const ServeArgs& a) {
  std::string curl = "curl -s";
  if (a.plain) return curl;
  if (a.tls_cert.empty()) curl += " --cacert " + a.data + "/pki/ca.pem";
  if (a.client_certs == "required") curl += " --cert CLIENT.pem --key CLIENT.key";
  return curl;
}

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
  std::string curl = CurlFor(a);
  std::cout << "pathbridge is serving the ledger \"" << log.origin() << "\" at " << base << "\n"
            << "  data:    " << a.data << "/ledger (SQLite, WAL)\n"
            << "  log key: " << vkey << "\n";
  if (!a.plain)
    std::cout << "  tls:     " << (a.tls12 ? "TLS 1.3 and 1.2" : "TLS 1.3")
              << (a.tls_cert.empty() ? ", development certificates in " + a.data + "/pki" : "")
              << "; client certificates: " << a.client_certs << "\n";
  std::cout << "\nTry:\n"
            << "  " << curl << " " << base << "/ledger/checkpoint\n"
            << "  " << SelfPath() << " clients add --org ORG --scopes admin --data " << a.data
            << "   # prints ID and SECRET\n"
            << "  TOKEN=$(" << curl << " -u ID:SECRET -d grant_type=client_credentials " << base
            << "/oauth/token | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n"
            << "  " << curl << " -H \"Authorization: Bearer $TOKEN\" --data-binary 'hello, ledger' "
            << base << "/ledger/entries\n"
            << "  " << curl << " '" << base << "/ledger/proof/inclusion?index=0&size=1'\n"
            << "  " << curl << " " << base << "/ledger/entries/0/proof > entry0.tlog-proof\n"
            << "  " << SelfPath() << " ledger verify-proof --key '" << vkey
            << "' entry0.tlog-proof\n"
            << "Stop with Ctrl-C.\n"
            << std::flush;
}

// The credential service and verification sources of the data directory,
// over the server's own ledger.
Result<std::unique_ptr<CredentialApi>> OpenCredentialApi(const ServeArgs& a, ledger::Log& log,
                                                         Metrics& metrics) {
  IssuerArgs issuer;
  issuer.data = a.data;
  issuer.base_url = a.base_url;
  issuer.passphrase_env = a.passphrase_env;
  CredentialApiOptions options;
  PB_ASSIGN_OR_RETURN(options.issuer, IssuerOptionsFrom(issuer));
  options.on_verified = [&metrics](const auto& report) { metrics.CountVerification(report); };
  return CredentialApi::Open(a.data, log, std::move(options));
}

// The /verify page, over the credential API's sources, service and workers.
Result<VerifyPageSources> VerifyPageFor(const ServeArgs& a, CredentialApi& api) {
  VerifyPageSources sources;
  PB_ASSIGN_OR_RETURN(sources.orgs, certs::ListOrganizations(a.data));
  sources.offline = [&api] { return api.Sources(); };
  sources.receipt_for = [&api](std::string_view id) { return api.service().ReceiptFor(id); };
  sources.base_url = a.base_url;
  sources.run = [&api](std::function<void()> task) { return api.Submit(std::move(task)); };
  sources.on_verified = [&api](const auto& report) { api.Verified(report); };
  return sources;
}

// DATA/tmp/<name>, emptied: what a crash left there is stale.
Result<std::filesystem::path> FreshTempDir(const std::string& data, const char* name) {
  std::filesystem::path dir = std::filesystem::path(data) / "tmp" / name;
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (!ec) std::filesystem::create_directories(dir, ec);
  if (ec) return IoError("cannot make a temp folder: " + ec.message(), dir.string());
  return dir;
}

ServerOptions ServerOptionsFor(const ServeArgs& a, const std::pair<std::string, uint16_t>& hp) {
  ServerOptions options;
  options.host = hp.first;
  options.port = hp.second;
  options.threads = a.threads;
  options.allow_plain_non_loopback = a.allow_plain_remote;
  options.max_connections = static_cast<size_t>(a.max_connections);
  options.max_header_bytes = static_cast<size_t>(a.max_header_bytes);
  options.max_body_bytes = static_cast<size_t>(a.max_body_bytes);
  options.read_timeout = std::chrono::seconds(a.read_timeout_s);
  options.idle_timeout = std::chrono::seconds(a.idle_timeout_s);
  options.shutdown_timeout = std::chrono::seconds(a.shutdown_timeout_s);
  return options;
}

int Serve(const ServeArgs& a, bool list_routes) {
  std::string listen = !a.listen.empty() ? a.listen : a.plain ? kPlainListen : kHttpsListen;
  auto hp = SplitListen(listen);
  if (!hp.ok()) return Fail(hp.status());
  ServerOptions options = ServerOptionsFor(a, *hp);
  if (!a.plain) {
    bool made_pki = false;
    auto tls = TlsOptions(a, &made_pki);
    if (!tls.ok()) return Fail(tls.status());
    if (made_pki)
      std::cout << "Made development certificates in " << a.data
                << "/pki (not for production; see pathbridge certs init --help)\n";
    options.tls = std::move(*tls);
  }
  auto metrics = std::make_shared<Metrics>();
  auto access_log = std::make_shared<AccessLog>(*ParseLogFormat(a.log_format), AccessLog::Stderr());
  options.observers = {metrics, access_log};
  // Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  ledger::LogOptions log_options;
  log_options.checkpoint_interval = std::chrono::milliseconds(a.checkpoint_interval_ms);
  log_options.on_answered = [m = metrics.get()](auto d) { m->ObserveLedgerAppend(d); };
  auto log = ledger::OpenLedger(a.data, a.origin, log_options);
  if (!log.ok()) return Fail(log.status());
  AddLedgerMetrics(*metrics, **log);
  auth::AuthOptions auth_options;
  auth_options.tokens.lifetime = std::chrono::seconds(a.token_lifetime_s);
  auth_options.open_routes = {.per_second = a.open_rate_limit, .burst = 5 * a.open_rate_limit};
  auth_options.bearer.loopback_admin = a.dev_loopback_admin;
  auto auth = auth::Auth::Open(a.data, auth_options);
  if (!auth.ok()) return Fail(auth.status());
  auto credential_api = OpenCredentialApi(a, **log, *metrics);
  if (!credential_api.ok()) return Fail(credential_api.status());
  Readiness readiness(**log, a.data, std::chrono::seconds(a.max_checkpoint_lag_s));
  Router router;
  AddLedgerRoutes(router, **log);
  AddOpsRoutes(router, readiness, *metrics, *ParseMetricsAccess(a.metrics_access));
  AddCredentialRoutes(router, **credential_api);
  if (Status hub = AddHubDidRoute(router, a.base_url, (*log)->verifier()); !hub.ok())
    access_log->Event("no_hub_did", {{"reason", hub.message()}});  // e.g. an http:// base URL
  auto verify_page = VerifyPageFor(a, **credential_api);
  if (!verify_page.ok()) return Fail(verify_page.status());
  AddVerifyPageRoutes(router, std::move(*verify_page));
  auto spool = FreshTempDir(a.data, "http");
  if (!spool.ok()) return Fail(spool.status());
  options.spool_dir = *spool;
  auto work = FreshTempDir(a.data, "translate");
  if (!work.ok()) return Fail(work.status());
  // Reset after Run: its queued jobs finish before the log closes.
  std::optional<Translations> translations;
  uint64_t max_translate_bytes = static_cast<uint64_t>(a.max_translate_mb) << 20;
  translations.emplace(TranslationOptions{.work_dir = *work, .max_input_bytes = max_translate_bytes},
                       (*credential_api)->service());
  AddTranslateRoutes(router, *translations);
  (*auth)->Install(router);
  metrics->SetRoutes(router.Routes());
  if (list_routes) {
    for (const auto& r : router.Routes())
      std::cout << r.method << " " << r.pattern << (r.options.scope.empty() ? "" : " " + r.options.scope)
                << "\n";
    return kExitOk;
  }
  Server server(options, std::move(router));
  auto port = server.Listen();
  if (!port.ok()) {
    const Status& s = port.status();
    if (a.plain && s.code() == Code::kFailedPrecondition)
      return Fail(Status(s.code(), s.message() + " (--allow-plain-remote)", s.where()));
    return Fail(s);
  }
  std::string host = options.host.find(':') != std::string::npos ? "[" + options.host + "]"
                                                                 : options.host;
  std::string base = (a.plain ? "http://" : "https://") + host + ":" + std::to_string(*port);
  access_log->Event("listening", {{"url", base}, {"ledger_size", std::to_string((*log)->Size())}});
  PrintWhatToTry(base, a, **log);

  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    readiness.SetDraining();
    access_log->Event("draining", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"},
                                   {"drain_delay_s", std::to_string(a.drain_delay_s)}});
    std::this_thread::sleep_for(std::chrono::seconds(a.drain_delay_s));
    server.Stop();
  });
  server.Run();
  // Run returns only after Stop; wake the stopper if Run ended on its own.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  translations.reset();
  credential_api->reset();  // its queued work done, before the log's last checkpoint
  access_log->Event("stopped");
  Status closed = (*log)->Close();
  if (!closed.ok()) return Fail(closed);
  access_log->Event("ledger_closed", {{"ledger_size", std::to_string((*log)->Size())}});
  std::cout << "pathbridge stopped; ledger size " << (*log)->Size() << "\n";
  return kExitOk;
}

// Defaults, then the config file, the environment, and the flags given.
Result<ServeArgs> Resolve(const CLI::App& serve, const ServeArgs& flags, const std::string& config) {
  ServeArgs a;
  if (!config.empty()) PB_RETURN_IF_ERROR(ApplyConfigFile(config, &a));
  PB_RETURN_IF_ERROR(ApplyEnvironment(ProcessEnvironment(), &a));
  for (const auto& s : ServeSettings())
    if (serve.get_option(std::string(s.flag))->count() > 0) CopySetting(s, flags, &a);
  PB_RETURN_IF_ERROR(Validate(a));
  return a;
}

}  // namespace

void AddServeCommand(CLI::App& app, int* exit_code) {
  struct Parsed {
    ServeArgs flags;
    std::string config;
    bool list_routes = false;
  };
  auto p = std::make_shared<Parsed>();
  auto* serve = app.add_subcommand("serve", "Run the gateway (HTTPS API over the ledger)");
  serve->add_option("--config", p->config,
                    "JSON config file (see docs/operations.md); PATHBRIDGE_* variables and flags "
                    "override it");
  for (const auto& s : ServeSettings()) {
    std::string flag(s.flag), help(s.help);
    std::visit(
        [&](auto member) {
          using T = std::remove_reference_t<decltype(p->flags.*member)>;
          if constexpr (std::is_same_v<T, bool>)
            serve->add_flag(flag, p->flags.*member, help);
          else
            serve->add_option(flag, p->flags.*member, help)->capture_default_str();
        },
        s.member);
  }
  // On the command line, contradictions are usage errors (exit 2) before
  // anything runs; Validate catches them from the other sources too.
  auto option = [serve](const char* flag) { return serve->get_option(flag); };
  option("--tls-cert")->needs(option("--tls-key"));
  option("--tls-key")->needs(option("--tls-cert"));
  option("--allow-plain-remote")->needs(option("--plain"));
  for (const char* tls : {"--tls-cert", "--tls-key", "--tls-client-ca", "--client-certs", "--tls12"})
    option("--plain")->excludes(option(tls));
  serve->add_flag("--list-routes", p->list_routes,
                  "Print the routes this configuration serves (METHOD PATTERN [SCOPE]) and exit");
  serve->callback([serve, p, exit_code] {
    auto a = Resolve(*serve, p->flags, p->config);
    *exit_code = a.ok() ? Serve(*a, p->list_routes) : Fail(a.status());
  });
}

}  // namespace pathbridge::gateway
