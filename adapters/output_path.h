// An encoder's output, written out of sight and moved into place at the
// end, so that a failed run leaves nothing at the output path: a hidden work
// folder beside the target (".<name>.pathbridge-<pid>-<n>") holds the
// encoder's scratch files (work()) and the output being written (temp(),
// "output" plus the target's extension, a name scratch files must not take:
// a file, or a folder made here for folder outputs). Commit() renames
// temp() to the target and removes the work folder; Discard() removes it
// all, as destroying an OutputPath does unless it was committed or kept.
//
// The target must be absent or an empty folder (which Commit() replaces),
// or, for a kOverwritableFile, a file (replaced too).
//
// Thread-safety: an OutputPath is used by one thread at a time.
#pragma once

#include <filesystem>
#include <memory>

#include "standards/status.h"

namespace pathbridge::adapters {

class OutputPath {
 public:
  // kOverwritableFile: a file output that replaces a file already there
  // (pesc-xml and oneroster-csv's .zip have always overwritten).
  enum class Kind { kFile, kOverwritableFile, kFolder };

  // Creates the work folder (and the target's parent folder if need be).
  // kAlreadyExists if `target` exists and may not be replaced.
  static pathbridge::Result<std::unique_ptr<OutputPath>> Open(const std::filesystem::path& target,
                                                              Kind kind);
  ~OutputPath();
  OutputPath(const OutputPath&) = delete;
  OutputPath& operator=(const OutputPath&) = delete;

  const std::filesystem::path& target() const { return target_; }
  const std::filesystem::path& work() const { return work_; }
  const std::filesystem::path& temp() const { return temp_; }

  // kIoError naming the target if temp() cannot be moved there; the work
  // folder is then left for Discard() (or the destructor) to remove.
  Status Commit();
  void Discard();
  // Leaves the work folder where it is, whatever happens next: for a caller
  // that must not lose what is in it (say, after a failed Commit()).
  void Keep() { done_ = true; }

 private:
  OutputPath(std::filesystem::path target, std::filesystem::path work);
  std::filesystem::path target_, work_, temp_;
  bool done_ = false;  // committed, discarded or kept
};

}  // namespace pathbridge::adapters
