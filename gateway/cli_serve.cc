// `pathbridge serve`: opens the ledger under --data (making its key on first
// run), the OAuth clients (DATA/clients.db) and the credential service (its
// status store and issuance records, so the `credential` commands that write
// refuse while it runs: use the VC API routes); serves the API (ledger, VC
// API, translation and the dual-enrollment import) and the /verify page over
// HTTPS (with --tls-cert/--tls-key, or the development PKI under DATA/pki,
// made on first run) or, with --plain, over HTTP on loopback. Large request
// bodies spool to DATA/tmp/http, translation scratch lives in
// DATA/tmp/translate (both emptied at start). Shuts down gracefully on
// SIGINT/SIGTERM: in-flight requests finish and the log commits and signs a
// checkpoint.
#include <signal.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "certs/tls/dev_pki.h"
#include "gateway/auth/auth.h"
#include "gateway/cli_util.h"
#include "gateway/credential_routes.h"
#include "gateway/ledger_routes.h"
#include "gateway/server.h"
#include "gateway/translate_routes.h"
#include "gateway/verify_page.h"
#include "ledger/ledger_dir.h"

namespace pathbridge::gateway {
namespace {

struct ServeArgs {
  std::string listen;  // default: kHttpsListen, or kPlainListen with --plain
  std::string data = "./var";
  std::string origin;
  int threads = 2;
  int checkpoint_interval_ms = 50;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  std::string client_certs = "none";
  bool tls12 = false;
  bool plain = false;
  bool allow_plain_remote = false;
  int token_lifetime_s = 15 * 60;
  double open_rate_limit = 10;
  bool dev_loopback_admin = false;
  std::string base_url = std::string(credentials::kDefaultHubBaseUrl);
  std::string passphrase_env;
  uint64_t max_translate_bytes = uint64_t{2} << 30;
};

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
Result<std::unique_ptr<CredentialApi>> OpenCredentialApi(const ServeArgs& a, ledger::Log& log) {
  IssuerArgs issuer;
  issuer.data = a.data;
  issuer.base_url = a.base_url;
  issuer.passphrase_env = a.passphrase_env;
  CredentialApiOptions options;
  PB_ASSIGN_OR_RETURN(options.issuer, IssuerOptionsFrom(issuer));
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

int Serve(const ServeArgs& a) {
  std::string listen = !a.listen.empty() ? a.listen : a.plain ? kPlainListen : kHttpsListen;
  auto hp = SplitListen(listen);
  if (!hp.ok()) return Fail(hp.status());
  ServerOptions options;
  options.host = hp->first;
  options.port = hp->second;
  options.threads = a.threads;
  options.allow_plain_non_loopback = a.allow_plain_remote;
  if (!a.plain) {
    bool made_pki = false;
    auto tls = TlsOptions(a, &made_pki);
    if (!tls.ok()) return Fail(tls.status());
    if (made_pki)
      std::cout << "Made development certificates in " << a.data
                << "/pki (not for production; see pathbridge certs init --help)\n";
    options.tls = std::move(*tls);
  }
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
  auto credential_api = OpenCredentialApi(a, **log);
  if (!credential_api.ok()) return Fail(credential_api.status());
  Router router;
  AddLedgerRoutes(router, **log);
  AddCredentialRoutes(router, **credential_api);
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
  translations.emplace(
      TranslationOptions{.work_dir = *work, .max_input_bytes = a.max_translate_bytes},
      (*credential_api)->service());
  AddTranslateRoutes(router, *translations);
  (*auth)->Install(router);
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
  std::string scheme = a.plain ? "http://" : "https://";
  PrintWhatToTry(scheme + host + ":" + std::to_string(*port), a, **log);

  std::thread stopper([&server, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.Stop();
  });
  server.Run();
  // Run returns only after Stop; wake the stopper if Run ended on its own.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  translations.reset();
  credential_api->reset();  // its queued work done, before the log's last checkpoint
  Status closed = (*log)->Close();
  if (!closed.ok()) return Fail(closed);
  std::cout << "pathbridge stopped; ledger size " << (*log)->Size() << "\n";
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ServeArgs>();
  auto* serve = app.add_subcommand("serve", "Run the gateway (HTTPS API over the ledger)");
  serve->add_option("--listen", a->listen,
                    std::string("HOST:PORT to listen on [") + kHttpsListen + ", or " + kPlainListen +
                        " with --plain]");
  serve->add_option("--data", a->data, "Data directory (ledger database and keys)")->capture_default_str();
  serve->add_option("--origin", a->origin, "Log origin when the ledger is created (default localhost/pathbridge)");
  serve->add_option("--threads", a->threads, "I/O threads")->capture_default_str()->check(CLI::Range(1, 64));
  serve->add_option("--checkpoint-interval-ms", a->checkpoint_interval_ms,
                    "Longest wait from a durable append to a signed checkpoint covering it")
      ->capture_default_str()
      ->check(CLI::Range(0, 250));
  auto* cert = serve->add_option("--tls-cert", a->tls_cert,
                                 "PEM certificate chain (server first) [default: the development "
                                 "certificate in DIR/pki, made on first run]");
  auto* key = serve->add_option("--tls-key", a->tls_key, "PEM private key of --tls-cert (mode 0600)");
  cert->needs(key);
  key->needs(cert);
  auto* client_ca = serve->add_option(
      "--tls-client-ca", a->tls_client_ca,
      "PEM bundle of the CAs client certificates must chain to [with the development "
      "certificates: DIR/pki/ca.pem]");
  auto* client_certs = serve
                           ->add_option("--client-certs", a->client_certs,
                                        "Mutual TLS: none, optional (checked when sent) or required")
                           ->check(CLI::IsMember({"none", "optional", "required"}))
                           ->capture_default_str();
  auto* tls12 = serve->add_flag("--tls12", a->tls12, "Accept TLS 1.2 clients too (AEAD ciphers only)");
  auto* plain = serve->add_flag("--plain", a->plain, "Serve plain HTTP instead (loopback only)");
  serve->add_flag("--allow-plain-remote", a->allow_plain_remote,
                  "With --plain, allow a non-loopback address (behind a TLS proxy)")
      ->needs(plain);
  for (auto* tls_option : {cert, key, client_ca, client_certs, tls12}) plain->excludes(tls_option);
  serve->add_option("--token-lifetime", a->token_lifetime_s, "Seconds an access token lives")
      ->capture_default_str()
      ->check(CLI::Range(60, 24 * 3600));
  serve->add_option("--open-rate-limit", a->open_rate_limit,
                    "Requests per second per client address on open routes that cost the server "
                    "(verification); bursts of 5 seconds' worth")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 1e6));
  serve->add_option("--base-url", a->base_url,
                    "The hub's public base URL (status list URLs in issued credentials, /verify links)")
      ->capture_default_str();
  serve->add_option("--passphrase-env", a->passphrase_env,
                    "Environment variable holding the passphrase of encrypted organization keys");
  serve->add_option("--max-translate-bytes", a->max_translate_bytes,
                    "Largest input POST /translate takes (spooled to DATA/tmp, not held in memory)")
      ->capture_default_str();
  serve->add_flag("--dev-loopback-admin", a->dev_loopback_admin,
                  "Development only: loopback clients without a token act with the admin scope");
  serve->callback([a, exit_code] { *exit_code = Serve(*a); });
}

}  // namespace pathbridge::gateway
