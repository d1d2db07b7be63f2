#include "adapters/output_path.h"

#include <unistd.h>

#include <atomic>
#include <string>

namespace pathbridge::adapters {

namespace fs = std::filesystem;

pathbridge::Result<std::unique_ptr<OutputPath>> OutputPath::Open(const fs::path& path, Kind kind) {
  // "out/" names the folder "out": the work folder goes beside it, not in it.
  const fs::path target = path.has_filename() ? path : path.parent_path();
  std::error_code ec;
  const bool folder = fs::is_directory(target, ec);
  const bool replaceable = folder ? fs::is_empty(target, ec) : kind == Kind::kOverwritableFile;
  if (fs::exists(target, ec) && !replaceable)
    return Status(Code::kAlreadyExists,
                  kind == Kind::kFolder ? "output exists and is not an empty folder"
                                        : "output exists",
                  target.string());
  static std::atomic<uint64_t> counter{0};
  fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::path work = parent / ("." + target.filename().string() + ".pathbridge-" +
                            std::to_string(getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(work, ec);
  if (ec) return IoError("cannot create a temp folder: " + ec.message(), work.string());
  std::unique_ptr<OutputPath> out(new OutputPath(target, work));
  if (kind == Kind::kFolder) {
    fs::create_directory(out->temp_, ec);
    if (ec) return IoError("cannot create a temp folder: " + ec.message(), out->temp_.string());
  }
  return out;
}

OutputPath::OutputPath(fs::path target, fs::path work)
    : target_(std::move(target)),
      work_(std::move(work)),
      temp_(work_ / ("output" + target_.extension().string())) {}

OutputPath::~OutputPath() {
  if (!done_) Discard();
}

Status OutputPath::Commit() {
  std::error_code ec;
  if (fs::is_directory(target_, ec)) fs::remove(target_, ec);  // an empty folder
  fs::rename(temp_, target_, ec);
  if (ec) return IoError("cannot move the output into place: " + ec.message(), target_.string());
  done_ = true;
  fs::remove_all(work_, ec);
  return Status::Ok();
}

void OutputPath::Discard() {
  std::error_code ec;
  fs::remove_all(work_, ec);
  done_ = true;
}

}  // namespace pathbridge::adapters
