#include "gateway/cli.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "certs/ed25519.h"
#include "gateway/cli_util.h"
#include "ledger/ledger_dir.h"

namespace pathbridge::gateway {

int ExitCodeFor(Code code) {
  switch (code) {
    case Code::kOk: return kExitOk;
    case Code::kInvalidArgument:
    case Code::kNotFound:
    case Code::kResourceExhausted: return kExitInputError;
    case Code::kIoError:
    case Code::kUnavailable: return kExitIoError;
    default: return kExitFailure;
  }
}

int Fail(const Status& status) {
  std::cerr << "pathbridge: " << status.ToString() << "\n";
  return ExitCodeFor(status.code());
}

Result<std::string> ReadInput(const std::string& path) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open file", path);
  ss << in.rdbuf();
  return ss.str();
}

Status WriteOutput(const std::string& path, const std::string& data) {
  if (path == "-") {
    std::cout << data;
    std::cout.flush();
    return std::cout ? Status::Ok() : IoError("cannot write to standard output");
  }
  return certs::WriteFileAtomically(path, data, 0644);
}

int RunCli(int argc, char** argv) {
  CLI::App app{"pathbridge: career-pathway interoperability gateway and credential ledger"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "pathbridge 0.1.0");
  app.footer(
      "Exit codes: 0 success; 1 the operation said no (a proof or checkpoint did not verify,\n"
      "fsck found corruption, the ledger is locked by another process); 2 bad command line;\n"
      "3 bad input (file, value, not found); 4 storage or I/O failure.\n"
      "Run 'pathbridge COMMAND --help' for each command.");
  int exit_code = kExitOk;
  AddServeCommand(app, &exit_code);
  AddLedgerCommands(app, &exit_code);
  AddOrgCommands(app, &exit_code);
  AddClientsCommands(app, &exit_code);
  AddCredentialCommands(app, &exit_code);
  AddTranslateCommands(app, &exit_code);
  AddDemoDataCommands(app, &exit_code);
  AddDualCreditCommands(app, &exit_code);
  AddCertsCommands(app, &exit_code);
  AddBackupCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  return exit_code;
}

namespace {

Result<std::unique_ptr<credentials::CredentialService>> OpenIssuer(const IssuerArgs& a, ledger::Log& log) {
  PB_ASSIGN_OR_RETURN(credentials::IssuerOptions o, IssuerOptionsFrom(a));
  return credentials::CredentialService::Open(a.data, log, std::move(o));
}

}  // namespace

Result<credentials::IssuerOptions> IssuerOptionsFrom(const IssuerArgs& a) {
  credentials::IssuerOptions o;
  o.hub_base_url = a.base_url;
  if (!a.passphrase_env.empty()) {
    const char* p = std::getenv(a.passphrase_env.c_str());
    if (!p) return InvalidArgument("the environment variable is not set", "--passphrase-env " + a.passphrase_env);
    o.passphrase = p;
  }
  return o;
}

void AddIssuerOptions(CLI::App* sub, IssuerArgs* a) {
  sub->add_option("--data", a->data, "Data directory (ledger, organizations, status lists)")
      ->capture_default_str();
  sub->add_option("--base-url", a->base_url, "The hub's public base URL (status list URLs)")
      ->capture_default_str();
  sub->add_option("--passphrase-env", a->passphrase_env,
                  "Environment variable holding the passphrase of encrypted organization keys");
}

int WithIssuer(const IssuerArgs& a, const std::function<int(credentials::CredentialService&)>& body) {
  auto log = ledger::OpenLedger(a.data);
  if (!log.ok()) return Fail(log.status());
  int code = kExitOk;
  {
    auto issuer = OpenIssuer(a, **log);
    code = issuer.ok() ? body(**issuer) : Fail(issuer.status());
  }
  Status closed = (*log)->Close();
  return closed.ok() || code != kExitOk ? code : Fail(closed);
}

}  // namespace pathbridge::gateway
