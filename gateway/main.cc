// The `pathbridge` command. Subcommands live in gateway/cli_*.cc.
#include "gateway/cli.h"

int main(int argc, char** argv) { return pathbridge::gateway::RunCli(argc, argv); }
