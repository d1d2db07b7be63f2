// Fuzzes the CSV tokenizer and writer. Beyond "never crash", it checks: an
// error always says where (name:line:column); and whatever the reader
// accepts, written back by the writer (RFC 4180) and read again, gives the
// same records (the writer's output is always readable and lossless).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/oneroster_csv/csv.h"

namespace pathbridge {
namespace {

using adapters::csv::Position;
using adapters::csv::Reader;
using adapters::csv::Writer;

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "csv_fuzz invariant broken: %s\n", what);
  std::abort();
}

// All records, or nullopt-like empty result with ok=false on error.
bool ReadAll(const std::string& text, std::vector<std::vector<std::string>>* records) {
  std::istringstream in(text);
  Reader reader(in, "fuzz.csv", 4096);
  std::vector<std::string> fields;
  std::vector<Position> positions;
  while (true) {
    auto next = reader.Next(&fields, &positions);
    if (!next.ok()) {
      Require(next.status().where().rfind("fuzz.csv:", 0) == 0, "an error without a location");
      return false;
    }
    if (!*next) return true;
    Require(fields.size() == positions.size(), "a field without a position");
    records->push_back(fields);
  }
}

void FuzzCsv(const std::string& in) {
  std::vector<std::vector<std::string>> first;
  if (!ReadAll(in, &first)) return;
  std::ostringstream out;
  Writer writer(out);
  for (const auto& r : first) writer.Write(r);
  std::vector<std::vector<std::string>> second;
  // The writer's rows are never longer than 2x+2 the fields' bytes; the
  // reader's limit counts field bytes only, so the same limit holds.
  Require(ReadAll(out.str(), &second), "the writer's output does not read back");
  // A record that is a single empty field is written as a blank line, which
  // readers skip; drop those before comparing.
  std::vector<std::vector<std::string>> expected;
  for (auto& r : first)
    if (!(r.size() == 1 && r[0].empty())) expected.push_back(std::move(r));
  Require(second == expected, "write/read round trip changed the records");
}

}  // namespace
}  // namespace pathbridge

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pathbridge::FuzzCsv(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
