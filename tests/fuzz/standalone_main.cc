// Driver for fuzz targets when libFuzzer is not linked (gcc builds): replays
// every file under the given corpus paths, then feeds mutations of them
// (bit flips, truncations, splices, random bytes) until --seconds runs out.
// Deterministic seed so a failure reproduces; prints the input that crashed
// is left to the sanitizer report.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::string> LoadCorpus(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file()) {
          std::ifstream in(e.path(), std::ios::binary);
          std::ostringstream ss;
          ss << in.rdbuf();
          out.push_back(ss.str());
        }
    } else if (std::filesystem::is_regular_file(p, ec)) {
      std::ifstream in(p, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      out.push_back(ss.str());
    }
  }
  if (out.empty()) out.push_back("");
  return out;
}

std::string Mutate(const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  std::string s = corpus[rng() % corpus.size()];
  int rounds = 1 + static_cast<int>(rng() % 4);
  for (int r = 0; r < rounds; ++r) {
    switch (rng() % 6) {
      case 0:  // flip a bit
        if (!s.empty()) s[rng() % s.size()] ^= static_cast<char>(1 << (rng() % 8));
        break;
      case 1:  // truncate
        if (!s.empty()) s.resize(rng() % s.size());
        break;
      case 2: {  // insert random bytes
        size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
        std::string ins(1 + rng() % 8, '\0');
        for (char& c : ins) c = static_cast<char>(rng());
        s.insert(pos, ins);
        break;
      }
      case 3: {  // splice with another corpus entry
        const std::string& o = corpus[rng() % corpus.size()];
        size_t a = s.empty() ? 0 : rng() % s.size();
        size_t b = o.empty() ? 0 : rng() % o.size();
        s = s.substr(0, a) + o.substr(b);
        break;
      }
      case 4: {  // duplicate a chunk
        if (s.size() > 1) {
          size_t a = rng() % s.size(), n = 1 + rng() % (s.size() - a);
          s.insert(a, s.substr(a, n));
        }
        break;
      }
      default:  // replace a byte with an interesting one
        if (!s.empty()) {
          static const char kInteresting[] = {'\0', '\n', '/', '.', '-', '=', '9', '\xff', ' ', '+'};
          s[rng() % s.size()] = kInteresting[rng() % sizeof kInteresting];
        }
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 10;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--seconds=", 10) == 0) seconds = std::atof(argv[i] + 10);
    else paths.emplace_back(argv[i]);
  }
  auto corpus = LoadCorpus(paths);
  for (const auto& c : corpus)
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(c.data()), c.size());
  std::mt19937_64 rng(0x70617468);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  uint64_t runs = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    for (int i = 0; i < 256; ++i, ++runs) {
      std::string in = Mutate(corpus, rng);
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(in.data()), in.size());
    }
  }
  std::printf("fuzz: %zu seed inputs, %llu mutated runs, no crash\n", corpus.size(),
              static_cast<unsigned long long>(runs));
  return 0;
}
