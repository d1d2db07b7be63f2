// Helpers shared by the test suites: where the shared vectors live, scratch
// directories that clean up after themselves, running commands, and small
// file helpers.
//
// Thread-safety: TempDir is not shared between threads; the rest is pure.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include <boost/json.hpp>

namespace pathbridge::testing {

// ../shared beside the checkout: standards samples and known-answer vectors.
std::filesystem::path SharedDir();
std::filesystem::path LedgerVectors();  // SharedDir()/vectors/ledger
// The build tree, where the `pathbridge` binary is.
std::filesystem::path BinaryDir();
// The checkout, for files the tests compare with (docs/openapi.json).
std::filesystem::path SourceDir();

// signed-note-checkpoint-vectors.json, parsed once.
const boost::json::object& SignedNoteVectors();

// A shell command's exit code and standard output (add 2>&1 to the command
// to capture its standard error too); exit_code is -1 if it did not exit.
struct CommandResult {
  int exit_code;
  std::string out;
};
CommandResult RunCommand(const std::string& command);
// The built `pathbridge` binary run with `args` (shell words, quoted as
// needed); its standard error is captured in `out` too.
CommandResult RunPathbridge(const std::string& args);

// `pathbridge serve ARGS` in the background (`env`: NAME=value words put
// before the command), its standard output and error in `output`; stopped
// with SIGTERM (gracefully) on destruction.
class ServeProcess {
 public:
  ServeProcess(const std::string& args, const std::filesystem::path& output,
               const std::string& env = {});
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  std::string Output() const;
  // The base URL it prints once listening ("" if it does not within 30 s).
  std::string BaseUrl() const;
  void Signal(int sig) const;
  int pid() const { return pid_; }
  // Waits for the process to end; false if it still runs after `timeout`.
  bool WaitForExit(std::chrono::milliseconds timeout) const;

 private:
  std::filesystem::path output_;
  int pid_ = 0;
};

std::string ReadFile(const std::filesystem::path& path);
boost::json::value ReadJson(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& text);

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace pathbridge::testing
