// Fuzzes the edfi-json adapter: the array scanner, the strict parser per
// element and every resource's reader, then the encoder. The first byte
// picks the resource (the file name the input is read as); the rest is the
// file. Beyond adapter_fuzz.h's checks: whatever decodes (with ids unique
// per record type), encoded and decoded again, gives the same records,
// because the encoder keeps in its pathbridge extension what Ed-Fi's
// members would not give back; and the elements the encoder writes
// straight as text are byte for byte those of its checked path, with the
// same warnings (tests/adapters/edfi_elements.h).
#include "tests/adapters/edfi_elements.h"
#include "tests/fuzz/adapter_fuzz.h"

namespace {

constexpr const char* kResources[] = {
    "students", "schools", "localEducationAgencies", "sessions", "courses", "courseOfferings",
    "sections", "studentEducationOrganizationAssociations", "studentSchoolAssociations",
    "studentSectionAssociations", "courseTranscripts", "studentAcademicRecords",
    "transcripts",  // not a resource name: told by content (ACAN composites)
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge::fuzz;
  if (size == 0) return 0;
  const auto& edfi = Format("edfi-json");
  const std::string resource = kResources[data[0] % std::size(kResources)];
  const FuzzOptions o{.input_name = resource + ".json", .max_record_bytes = 1 << 16};
  auto first = DecodeInput(edfi, Text(data + 1, size - 1), o);
  if (!first || !UniqueIds(*first)) return 0;
  auto second = EncodeDecode(edfi, *first, o);
  RequireSameRecords(*first, *second, edfi.name());

  static const pathbridge::testing::TempDir dir;
  std::filesystem::remove_all(dir.path() / "checked");
  std::filesystem::remove_all(dir.path() / "direct");
  using pathbridge::adapters::edfi_json::EncodeElements;
  auto checked = EncodeElements(*first, false, dir.path() / "checked");
  auto direct = EncodeElements(*first, true, dir.path() / "direct");
  Require(checked.status.ToString() == direct.status.ToString() &&
              checked.elements == direct.elements && checked.warnings == direct.warnings,
          edfi.name(), "the direct path wrote other elements than the checked path");
  return 0;
}
