// The encoders that join students at their end (sif-xml; edfi-json and
// edfi-xml, which share an engine) bring each student together with its
// demographics, its school and the records naming it through an
// ExternalSorter. With a sort budget of a few KiB they spill hundreds of
// runs to disk; they must still write byte for byte what they write when
// everything fits in memory, and as many students as the district has.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "adapters/demo_data/generator.h"
#include "adapters/registry.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;

std::vector<canonical::Record> District(uint64_t students) {
  std::vector<canonical::Record> records;
  auto counts = demo_data::GenerateDistrict({students, 7, /*messy=*/true},
                                            [&](const canonical::Record& r) {
                                              records.push_back(r);
                                              return Status::Ok();
                                            });
  EXPECT_TRUE(counts.ok()) << counts.status().ToString();
  return records;
}

// Every file of the folder `dir`, by name.
std::map<std::string, std::string> Files(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::directory_iterator(dir))
    out[entry.path().filename().string()] = ReadFile(entry.path());
  return out;
}

std::map<std::string, std::string> EncodeWith(std::string_view format,
                                              const std::vector<canonical::Record>& records,
                                              size_t sort_memory_bytes, const fs::path& out) {
  EncodeOptions options;
  options.sort_memory_bytes = sort_memory_bytes;
  auto encoder = (*FindAdapter(format))->OpenEncoder(out, options);
  EXPECT_TRUE(encoder.ok()) << encoder.status().ToString();
  if (!encoder.ok()) return {};
  for (const canonical::Record& r : records) {
    if (!(*FindAdapter(format))->writes().CarriesType(canonical::RecordType(r))) continue;
    Status s = (*encoder)->Write(r);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  Status s = (*encoder)->Finish();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return Files(out);
}

size_t Count(const std::string& text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(EncoderSort, StudentsJoinedThroughRunsOnDiskAreWrittenTheSame) {
  constexpr uint64_t kStudents = 400;
  std::vector<canonical::Record> records = District(kStudents);
  struct Case {
    std::string_view format, students_file, per_student;
  };
  for (const Case& c : {Case{"sif-xml", "StudentPersonals.xml", "<StudentPersonal "},
                        Case{"edfi-json", "students.json", "\"studentUniqueId\""},
                        Case{"edfi-xml", "Interchange-Student.xml", "<Student>"}}) {
    SCOPED_TRACE(c.format);
    TempDir dir;
    auto in_memory = EncodeWith(c.format, records, 64 << 20, dir.path() / "memory");
    auto on_disk = EncodeWith(c.format, records, 4 << 10, dir.path() / "runs");
    ASSERT_FALSE(in_memory.empty());
    ASSERT_TRUE(in_memory.count(std::string(c.students_file))) << c.students_file;
    EXPECT_EQ(Count(in_memory.at(std::string(c.students_file)), c.per_student), kStudents);
    ASSERT_EQ(on_disk.size(), in_memory.size());
    for (const auto& [name, text] : in_memory) {
      ASSERT_TRUE(on_disk.count(name)) << name;
      EXPECT_TRUE(on_disk.at(name) == text) << name << " differs";
    }
  }
}

}  // namespace
}  // namespace pathbridge::adapters
