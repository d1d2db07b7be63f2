// Helpers shared by the `pathbridge` subcommands: error reporting with
// stable exit codes, and reading inputs from files or standard input.
//
// Thread-safety: call from the CLI's main thread.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "gateway/cli.h"
#include "ledger/credentials/issuer.h"
#include "standards/status.h"

namespace pathbridge::gateway {

// Prints "pathbridge: where: message" to stderr; returns the exit code.
int Fail(const Status& status);
int ExitCodeFor(Code code);

// Reads a whole file, or standard input for "-".
Result<std::string> ReadInput(const std::string& path);
// Writes to `path` through a temp file and rename (or stdout for "-").
Status WriteOutput(const std::string& path, const std::string& data);

// What opening a data directory's credential service takes (--data,
// --base-url, --passphrase-env).
struct IssuerArgs {
  std::string data = "./var";
  std::string base_url = std::string(credentials::kDefaultHubBaseUrl);
  std::string passphrase_env;
};
void AddIssuerOptions(CLI::App* sub, IssuerArgs* a);
// The credential service's options from them (the passphrase read from its
// environment variable).
Result<credentials::IssuerOptions> IssuerOptionsFrom(const IssuerArgs& a);
// Opens the ledger and the credential service, runs `body`, and closes the
// ledger so its final checkpoint covers what was appended.
int WithIssuer(const IssuerArgs& a, const std::function<int(credentials::CredentialService&)>& body);

// The subcommand groups; each adds itself to `app` and stores its exit code
// in `*exit_code` when run.
void AddServeCommand(CLI::App& app, int* exit_code);
void AddLedgerCommands(CLI::App& app, int* exit_code);
void AddOrgCommands(CLI::App& app, int* exit_code);
void AddClientsCommands(CLI::App& app, int* exit_code);
void AddCredentialCommands(CLI::App& app, int* exit_code);
void AddTranslateCommands(CLI::App& app, int* exit_code);
void AddDemoDataCommands(CLI::App& app, int* exit_code);
void AddDualCreditCommands(CLI::App& app, int* exit_code);
void AddCertsCommands(CLI::App& app, int* exit_code);
void AddBackupCommand(CLI::App& app, int* exit_code);

}  // namespace pathbridge::gateway
