#include "adapters/zip_folder.h"

#include <zip.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "adapters/oneroster_csv/bundle.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

bool IsDebris(std::string_view name) {
  return name.starts_with("__MACOSX/") || name.find("/__MACOSX/") != std::string_view::npos;
}

// Copies one member to `to`, counting its bytes against *budget.
Status Extract(zip_t* zip, zip_uint64_t index, const fs::path& to, const std::string& where,
               uint64_t* budget) {
  std::unique_ptr<zip_file_t, ZipFileCloser> in(zip_fopen_index(zip, index, 0));
  if (!in)
    return InvalidArgument(std::string("cannot read zip member: ") + zip_strerror(zip), where);
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  if (!out) return IoError("cannot write an extracted file", to.filename().string());
  std::array<char, 1 << 16> buf;
  for (;;) {
    zip_int64_t n = zip_fread(in.get(), buf.data(), buf.size());
    if (n < 0)
      return InvalidArgument(std::string("corrupt zip member: ") + zip_file_strerror(in.get()),
                             where);
    if (n == 0) break;
    if (static_cast<uint64_t>(n) > *budget)
      return Status(Code::kResourceExhausted, "the zip's files are too large once extracted",
                    where);
    *budget -= static_cast<uint64_t>(n);
    if (!out.write(buf.data(), n)) return IoError("cannot write an extracted file", where);
  }
  out.close();
  if (!out) return IoError("cannot write an extracted file", where);
  return Status::Ok();
}

}  // namespace

pathbridge::Result<bool> LooksLikeZip(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return IoError("cannot open", file.string());
  std::array<char, 4> magic{};
  in.read(magic.data(), magic.size());
  std::string_view m(magic.data(), static_cast<size_t>(in.gcount()));
  return m == std::string_view("PK\3\4", 4) || m == std::string_view("PK\5\6", 4);
}

Status UnzipFlat(const fs::path& zip_path, const fs::path& folder, std::string_view display,
                 const UnzipLimits& limits) {
  int error = 0;
  std::unique_ptr<zip_t, ZipCloser> zip(
      zip_open(zip_path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!zip) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, error);
    std::string msg = std::string("not a readable zip file: ") + zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return InvalidArgument(msg, std::string(display));
  }
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return IoError("cannot make a folder: " + ec.message(), folder.string());
  zip_int64_t entries = zip_get_num_entries(zip.get(), 0);
  std::set<std::string> seen;
  uint64_t budget = limits.max_bytes;
  for (zip_int64_t i = 0; i < entries; ++i) {
    const char* raw = zip_get_name(zip.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
    if (raw == nullptr) continue;
    std::string name(raw);
    std::string where = std::string(display) + "!" + name;
    if (name.empty() || name.back() == '/' || IsDebris(name)) continue;
    std::string base = name.substr(name.find_last_of("/\\") + 1);
    if (base.empty() || base == "." || base == ".." || base.find('\0') != std::string::npos)
      return InvalidArgument("a zip member without a usable file name", where);
    if (!seen.insert(base).second)
      return InvalidArgument("two zip members have the file name " + base, where);
    if (seen.size() > limits.max_files)
      return Status(Code::kResourceExhausted,
                    "the zip holds more than " + std::to_string(limits.max_files) + " files",
                    where);
    PB_RETURN_IF_ERROR(
        Extract(zip.get(), static_cast<zip_uint64_t>(i), folder / base, where, &budget));
  }
  return Status::Ok();
}

Status ZipFolder(const fs::path& folder, const fs::path& zip) {
  std::vector<std::pair<std::string, fs::path>> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file())
      files.emplace_back(fs::relative(it->path(), folder).generic_string(), it->path());
  if (ec) return IoError("cannot list the folder: " + ec.message(), folder.string());
  std::sort(files.begin(), files.end());
  return oneroster_csv::WriteZip(zip, files);
}

}  // namespace pathbridge::adapters
