// Helpers shared by the test suites: where the shared vectors live, scratch
// directories that clean up after themselves, and small file helpers.
//
// Thread-safety: TempDir is not shared between threads; the rest is pure.
#pragma once

#include <filesystem>
#include <string>

#include <boost/json.hpp>

namespace pathbridge::testing {

// ../shared beside the checkout: standards samples and known-answer vectors.
std::filesystem::path SharedDir();
std::filesystem::path LedgerVectors();  // SharedDir()/vectors/ledger
// The build tree, where the `pathbridge` binary is.
std::filesystem::path BinaryDir();

// signed-note-checkpoint-vectors.json, parsed once.
const boost::json::object& SignedNoteVectors();

std::string ReadFile(const std::filesystem::path& path);

// Runs the built `pathbridge` binary with `args` (shell words, quoted as
// needed) and collects what it printed.
struct CommandResult {
  int exit_code;    // -1 if it did not exit normally
  std::string out;  // standard output
  std::string err;  // standard error
};
CommandResult RunPathbridge(const std::string& args);
boost::json::value ReadJson(const std::filesystem::path& path);

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
