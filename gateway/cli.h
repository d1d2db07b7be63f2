// The `pathbridge` command line: subcommands, --help for each, and exit codes
// that scripts can rely on (see ExitCode).
//
// Thread-safety: RunCli is called once, from main.
#pragma once

namespace pathbridge::gateway {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,       // the operation ran and said no (verification failed, fsck found corruption)
  kExitUsage = 2,         // bad command line
  kExitInputError = 3,    // bad input file or argument value
  kExitIoError = 4,       // storage or network failure
};

int RunCli(int argc, char** argv);

}  // namespace pathbridge::gateway
