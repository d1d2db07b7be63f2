#include "adapters/oneroster_csv/bundle.h"

#include <zip.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <streambuf>

namespace pathbridge::adapters::oneroster_csv {
namespace {

namespace fs = std::filesystem;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool IsCsvName(const std::string& lower) {
  return lower.size() > 4 && lower.ends_with(".csv");
}

class FolderReader : public BundleReader {
 public:
  explicit FolderReader(fs::path dir) : dir_(std::move(dir)) {
    for (const auto& e : fs::directory_iterator(dir_)) {
      std::string name = e.path().filename().string();
      if (e.is_regular_file() && IsCsvName(Lower(name))) {
        files_[Lower(name)] = (dir_ / name).string();
        names_[Lower(name)] = name;
      }
    }
  }
  pathbridge::Result<std::unique_ptr<std::istream>> OpenFile(const std::string& lower) override {
    auto in = std::make_unique<std::ifstream>(dir_ / names_.at(lower), std::ios::binary);
    if (!*in) return IoError("cannot open", files_.at(lower));
    return std::unique_ptr<std::istream>(std::move(in));
  }

 private:
  fs::path dir_;
  std::map<std::string, std::string> names_;
};

// Streams one zip member through zip_fread. A read error (bad CRC, truncated
// data) throws inside underflow, which std::istream turns into badbit; the
// CSV reader reports it. The exception never leaves the stream.
class ZipMemberBuf : public std::streambuf {
 public:
  explicit ZipMemberBuf(zip_file_t* f) : file_(f) {}
  ~ZipMemberBuf() override { zip_fclose(file_); }

 protected:
  int_type underflow() override {
    zip_int64_t n = zip_fread(file_, buf_.data(), buf_.size());
    if (n < 0) throw std::ios_base::failure(zip_file_strerror(file_));
    if (n == 0) return traits_type::eof();
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(buf_[0]);
  }

 private:
  zip_file_t* file_;
  std::array<char, 64 * 1024> buf_;
};

class ZipMemberStream : public std::istream {
 public:
  explicit ZipMemberStream(zip_file_t* f) : std::istream(nullptr), buf_(f) { rdbuf(&buf_); }

 private:
  ZipMemberBuf buf_;
};

class ZipReader : public BundleReader {
 public:
  ZipReader(zip_t* zip, std::string display) : zip_(zip), display_(std::move(display)) {
    zip_int64_t n = zip_get_num_entries(zip_, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
      const char* name = zip_get_name(zip_, i, 0);
      if (name == nullptr) continue;
      std::string full(name);
      if (full.starts_with("__MACOSX/")) continue;
      std::string lower = Lower(fs::path(full).filename().string());
      if (!IsCsvName(lower)) continue;
      files_[lower] = display_ + "!" + full;
      index_[lower] = i;
    }
  }
  ~ZipReader() override { zip_discard(zip_); }

  pathbridge::Result<std::unique_ptr<std::istream>> OpenFile(const std::string& lower) override {
    zip_file_t* f = zip_fopen_index(zip_, index_.at(lower), 0);
    if (f == nullptr)
      return IoError(std::string("cannot read zip member: ") + zip_strerror(zip_), files_.at(lower));
    return std::unique_ptr<std::istream>(std::make_unique<ZipMemberStream>(f));
  }

 private:
  zip_t* zip_;
  std::string display_;
  std::map<std::string, zip_uint64_t> index_;
};

}  // namespace

pathbridge::Result<std::unique_ptr<BundleReader>> BundleReader::Open(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return std::unique_ptr<BundleReader>(new FolderReader(path));
  if (!fs::exists(path, ec)) return NotFound("no such file or folder", path.string());
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (zip == nullptr) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, error);
    std::string msg = std::string("not a readable zip file or folder: ") + zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return InvalidArgument(msg, path.string());
  }
  return std::unique_ptr<BundleReader>(new ZipReader(zip, path.string()));
}

Status WriteZip(const fs::path& zip_path,
                const std::vector<std::pair<std::string, fs::path>>& files) {
  int error = 0;
  zip_t* zip = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (zip == nullptr) return IoError("cannot create zip", zip_path.string());
  for (const auto& [name, file] : files) {
    zip_source_t* src = zip_source_file(zip, file.c_str(), 0, -1);
    if (src == nullptr || zip_file_add(zip, name.c_str(), src, ZIP_FL_ENC_UTF_8) < 0) {
      if (src != nullptr) zip_source_free(src);
      Status s = IoError(std::string("cannot add to zip: ") + zip_strerror(zip), name);
      zip_discard(zip);
      return s;
    }
  }
  if (zip_close(zip) != 0) {
    Status s = IoError(std::string("cannot write zip: ") + zip_strerror(zip), zip_path.string());
    zip_discard(zip);
    return s;
  }
  return Status::Ok();
}

}  // namespace pathbridge::adapters::oneroster_csv
