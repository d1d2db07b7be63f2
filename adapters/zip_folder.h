// Folders as zip files, for a gateway that moves one file each way: a
// folder-format input that arrives as a zip is unpacked (UnzipFlat, under
// limits: zips are a classic way to turn a small upload into a full disk),
// and a folder output leaves as a zip (ZipFolder). OneRoster CSV reads and
// writes its zips itself (oneroster_csv/bundle.h); these are for the rest.
//
// Thread-safety: pure functions over the files they are given.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "standards/status.h"

namespace pathbridge::adapters {

// Whether `file` starts as a zip does ("PK\3\4", or an empty zip's "PK\5\6").
pathbridge::Result<bool> LooksLikeZip(const std::filesystem::path& file);

struct UnzipLimits {
  size_t max_files = 100000;
  uint64_t max_bytes = uint64_t{8} << 30;  // uncompressed, as actually written
};

// Extracts the zip's files into `folder` (made if absent) by file name alone:
// folder formats read one flat folder, and a name cannot climb out of it.
// Folders and macOS "__MACOSX" debris are skipped. Errors name the member as
// "<display>!<member>": a file name found twice, limits exceeded, a bad
// CRC or a truncated archive (InvalidArgument; ResourceExhausted for limits).
Status UnzipFlat(const std::filesystem::path& zip, const std::filesystem::path& folder,
                 std::string_view display, const UnzipLimits& limits = {});

// Writes every file under `folder` into a new zip at `zip` (which must not be
// inside `folder`), named by their '/'-separated paths relative to it.
Status ZipFolder(const std::filesystem::path& folder, const std::filesystem::path& zip);

}  // namespace pathbridge::adapters
