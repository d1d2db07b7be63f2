#include "tests/testing/test_util.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace pathbridge::testing {

std::filesystem::path SharedDir() { return PATHBRIDGE_SHARED_DIR; }
std::filesystem::path LedgerVectors() { return SharedDir() / "vectors" / "ledger"; }
std::filesystem::path BinaryDir() { return PATHBRIDGE_BINARY_DIR; }

CommandResult RunCommand(const std::string& command) {
  CommandResult r{-1, ""};
  FILE* p = popen(command.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  return r;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

boost::json::value ReadJson(const std::filesystem::path& path) {
  return boost::json::parse(ReadFile(path));
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

const boost::json::object& SignedNoteVectors() {
  static const boost::json::value v = ReadJson(LedgerVectors() / "signed-note-checkpoint-vectors.json");
  return v.as_object();
}

TempDir::TempDir() {
  const char* base = getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/pathbridge-test-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace pathbridge::testing
