// A OneRoster CSV bundle on disk: a folder of .csv files or a zip of them
// (libzip). Reading streams one member at a time; members are found by file
// name, case-insensitively, in any subfolder of the zip (macOS "__MACOSX"
// debris ignored). Writing packs finished CSV files into a zip.
//
// Thread-safety: a BundleReader is used by one thread at a time.
#pragma once

#include <filesystem>
#include <istream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "standards/status.h"

namespace pathbridge::adapters::oneroster_csv {

class BundleReader {
 public:
  virtual ~BundleReader() = default;
  // Opens a folder, or a zip file (by content, not name).
  static pathbridge::Result<std::unique_ptr<BundleReader>> Open(const std::filesystem::path& path);

  // The .csv members, lower-cased file name -> display name for diagnostics
  // ("users.csv" or "bundle.zip!users.csv").
  const std::map<std::string, std::string>& files() const { return files_; }
  // Opens member `lower_name` (a key of files()) for streaming.
  virtual pathbridge::Result<std::unique_ptr<std::istream>> OpenFile(
      const std::string& lower_name) = 0;

 protected:
  std::map<std::string, std::string> files_;
};

// Writes `files` (name in the zip -> file on disk) into a new zip at `zip_path`.
Status WriteZip(const std::filesystem::path& zip_path,
                const std::vector<std::pair<std::string, std::filesystem::path>>& files);

}  // namespace pathbridge::adapters::oneroster_csv
