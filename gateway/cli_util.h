// Helpers shared by the `pathbridge` subcommands: error reporting with
// stable exit codes, and reading inputs from files or standard input.
//
// Thread-safety: call from the CLI's main thread.
#pragma once

#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

#include "gateway/cli.h"
#include "standards/status.h"

namespace pathbridge::gateway {

// Prints "pathbridge: where: message" to stderr; returns the exit code.
int Fail(const Status& status);
int ExitCodeFor(Code code);

// Reads a whole file, or standard input for "-".
Result<std::string> ReadInput(const std::string& path);
// Writes to `path` through a temp file and rename (or stdout for "-").
Status WriteOutput(const std::string& path, const std::string& data);

// The subcommand groups; each adds itself to `app` and stores its exit code
// in `*exit_code` when run.
void AddServeCommand(CLI::App& app, int* exit_code);
void AddLedgerCommands(CLI::App& app, int* exit_code);
void AddOrgCommands(CLI::App& app, int* exit_code);
void AddCredentialCommands(CLI::App& app, int* exit_code);
void AddTranslateCommands(CLI::App& app, int* exit_code);
void AddDemoDataCommands(CLI::App& app, int* exit_code);

}  // namespace pathbridge::gateway
