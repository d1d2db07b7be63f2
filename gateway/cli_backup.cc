// `pathbridge backup --data DIR DEST`: a consistent copy of the data
// directory while the server runs (gateway/backup.h); prints what it holds.
#include <iostream>

#include <boost/json.hpp>

#include "gateway/backup.h"
#include "gateway/cli_util.h"

namespace pathbridge::gateway {
namespace {

struct BackupArgs {
  std::string data = "./var";
  std::string dest;
  int attempts = BackupOptions{}.attempts;
};

int Backup(const BackupArgs& a) {
  BackupOptions options;
  options.attempts = a.attempts;
  auto report = BackupDataDir(a.data, a.dest, options);
  if (!report.ok()) return Fail(report.status());
  std::cout << boost::json::serialize(boost::json::object{
                   {"backup", a.dest},
                   {"databases", report->databases},
                   {"files", report->files},
                   {"bytes", report->bytes},
                   {"attempts", report->attempts},
                   {"ledgerSize", report->ledger_size},
                   {"ledgerRoot", report->ledger_root}})
            << "\n";
  return kExitOk;
}

}  // namespace

void AddBackupCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<BackupArgs>();
  auto* cmd = app.add_subcommand(
      "backup", "Copy the data directory consistently, also while the server runs (checks the copied ledger)");
  cmd->add_option("--data", a->data, "Data directory")->capture_default_str();
  cmd->add_option("--attempts", a->attempts,
                  "Copies to try while the data keeps changing before giving up")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->add_option("dest", a->dest, "Backup directory to create (must not exist)")->required();
  cmd->callback([a, exit_code] { *exit_code = Backup(*a); });
}

}  // namespace pathbridge::gateway
