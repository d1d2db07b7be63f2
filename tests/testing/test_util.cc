#include "tests/testing/test_util.h"

#include <stdlib.h>
#include <signal.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace pathbridge::testing {

std::filesystem::path SharedDir() { return PATHBRIDGE_SHARED_DIR; }
std::filesystem::path LedgerVectors() { return SharedDir() / "vectors" / "ledger"; }
std::filesystem::path BinaryDir() { return PATHBRIDGE_BINARY_DIR; }
std::filesystem::path SourceDir() { return PATHBRIDGE_SOURCE_DIR; }

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

CommandResult RunPathbridge(const std::string& args) {
  return RunCommand((BinaryDir() / "gateway" / "pathbridge").string() + " " + args + " 2>&1");
}

ServeProcess::ServeProcess(const std::string& args, const std::filesystem::path& output,
                           const std::string& env)
    : output_(output) {
  auto r = RunCommand(env + " " + (BinaryDir() / "gateway" / "pathbridge").string() + " serve " +
                      args + " > " + output.string() + " 2>&1 & echo $!");
  pid_ = std::stoi(r.out);
}

ServeProcess::~ServeProcess() {
  Signal(SIGTERM);
  if (!WaitForExit(std::chrono::seconds(10))) Signal(SIGKILL);
}

std::string ServeProcess::Output() const {
  return std::filesystem::exists(output_) ? ReadFile(output_) : "";
}

std::string ServeProcess::BaseUrl() const {
  for (int i = 0; i < 300; ++i) {
    std::string out = Output();
    size_t at = out.find("\" at ");
    size_t end = at == std::string::npos ? at : out.find('\n', at);
    if (end != std::string::npos) return out.substr(at + 5, end - at - 5);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return "";
}

void ServeProcess::Signal(int sig) const { ::kill(pid_, sig); }

// The shell that started it has exited, so it is not our child: poll its
// state (a zombie has exited; whoever adopted it may not reap it at once).
bool ServeProcess::WaitForExit(std::chrono::milliseconds timeout) const {
  auto running = [this] {
    std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
    std::string pid, comm, state;
    return stat >> pid >> comm >> state && state != "Z";
  };
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
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
