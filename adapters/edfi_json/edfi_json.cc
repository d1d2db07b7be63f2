// The edfi-json adapter: Ed-Fi Data Standard 5.2 API JSON resources.
//
// Input: a folder of <resource>.json files, or one such file (the resource
// is told by the file name; a file of ACAN transcript composites is told by
// its content), each holding one JSON array: the body of an API GET
// response. Output: a folder of <resource>.json arrays, one element a line.
// Resources: see resources.h and docs/adapters.md; the translation itself
// is the shared Ed-Fi engine (engine.h). Folders are read in the engine's
// resource order, each array streamed element by element (json_array.h).
#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <vector>

#include "adapters/edfi_json/engine.h"
#include "adapters/edfi_json/json_array.h"
#include "adapters/edfi_json/resources.h"
#include "adapters/output_file.h"
#include "adapters/registry.h"
#include "standards/json_write.h"

namespace pathbridge::adapters::edfi_json {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The resource a file holds, by its name ("" if none).
std::string ResourceForName(const fs::path& path) {
  std::string stem = Lower(path.stem().string());
  for (std::string_view r : ResourceOrder())
    if (Lower(r) == stem) return std::string(r);
  return {};
}

struct Source {
  std::string resource;  // "": told by content
  Input input;
};

// Reads the sources' arrays in turn.
class JsonElementReader : public ElementReader {
 public:
  JsonElementReader(std::vector<Source> sources, DecodeOptions options)
      : sources_(std::move(sources)), options_(std::move(options)) {}

  pathbridge::Result<bool> Next(RawElement* out) override {
    while (true) {
      if (reader_ == nullptr) {
        if (next_ == sources_.size()) return false;
        PB_RETURN_IF_ERROR(Open(sources_[next_++]));
      }
      Element e;
      PB_ASSIGN_OR_RETURN(bool got, reader_->Next(&e));
      if (!got) {
        Close();
        continue;
      }
      PB_ASSIGN_OR_RETURN(out->object, ParseElement(e, display_, options_.max_record_bytes));
      out->resource = resource_;
      out->where = {display_, e.line, e.column, e.pointer()};
      return true;
    }
  }

 private:
  Status Open(const Source& s) {
    resource_ = s.resource;
    display_ = s.input.path.string();
    PB_ASSIGN_OR_RETURN(std::istream* in, OpenInput(s.input, file_));
    reader_ = std::make_unique<ArrayReader>(*in, display_, options_.max_record_bytes);
    return Status::Ok();
  }

  void Close() {
    if (reader_->had_bom() && options_.on_diagnostic)
      options_.on_diagnostic({Diagnostic::Severity::kWarning, "UTF-8 byte order mark skipped",
                              {display_, 1, 1, ""}});
    reader_.reset();
    file_.close();
  }

  std::vector<Source> sources_;
  DecodeOptions options_;
  size_t next_ = 0;
  std::string resource_, display_;  // of the source being read
  std::ifstream file_;
  std::unique_ptr<ArrayReader> reader_;
};

// One <resource>.json array per resource, one element a line.
class JsonElementWriter : public ElementWriter {
 public:
  explicit JsonElementWriter(fs::path dir) : dir_(std::move(dir)) {}

  Status Write(std::string_view resource, const bj::object& o) override {
    thread_local pathbridge::json::JsonWriter writer;  // one reused buffer a thread
    return WriteText(resource, writer.Write(o));
  }

  bool TakesText() const override { return true; }
  Status WriteText(std::string_view resource, std::string_view json) override {
    PB_ASSIGN_OR_RETURN(File * f, FileFor(resource));
    PB_RETURN_IF_ERROR(f->out.Write(f->count++ == 0 ? "[\n" : ",\n"));
    return f->out.Write(json);
  }

  Status Finish() override {
    for (auto& [resource, f] : files_) {
      if (!f.out.is_open()) continue;  // its opening failed, and said so
      PB_RETURN_IF_ERROR(f.out.Write(f.count == 0 ? "[]\n" : "\n]\n"));
      PB_RETURN_IF_ERROR(f.out.Close());
    }
    return Status::Ok();
  }

  std::string FileOf(std::string_view resource) const override {
    return std::string(resource) + ".json";
  }

 private:
  struct File {
    OutputFile out;
    uint64_t count = 0;
  };
  // The file of `resource`, opened on its first element. Elements come
  // in runs of one resource, so each thread keeps its last one at hand;
  // files_ is shared by the encoder's two threads (engine.h).
  pathbridge::Result<File*> FileFor(std::string_view resource) {
    thread_local struct {
      uint64_t writer = 0;  // the serial_ of the writer it is of (an address may be reused)
      std::pair<const std::string, File>* file = nullptr;  // in that writer's files_
    } last;
    if (last.writer == serial_ && resource == last.file->first) return &last.file->second;
    std::lock_guard<std::mutex> lock(files_mu_);
    auto it = files_.find(resource);
    if (it == files_.end()) it = files_.try_emplace(std::string(resource)).first;
    File& f = it->second;
    if (!f.out.is_open()) PB_RETURN_IF_ERROR(f.out.Open(dir_ / FileOf(resource)));
    last = {serial_, &*it};
    return &f;
  }

  static inline std::atomic<uint64_t> next_serial_{1};
  const uint64_t serial_ = next_serial_++;
  fs::path dir_;
  std::mutex files_mu_;
  std::map<std::string, File, std::less<>> files_;  // nodes stay put: FileFor's references
};

// ---- The adapter

class EdFiJsonAdapter : public Adapter {
 public:
  std::string_view name() const override { return "edfi-json"; }
  std::vector<std::string> media_types() const override { return {"application/json"}; }
  std::string_view description() const override {
    return "Ed-Fi Data Standard 5.2 API JSON: a folder of <resource>.json arrays (API GET "
           "response bodies), or one such file";
  }
  const Capabilities& reads() const override { return EdFiCapabilities(); }
  const Capabilities& writes() const override { return EdFiCapabilities(); }

  pathbridge::Result<std::unique_ptr<Decoder>> OpenDecoder(
      const Input& input, const DecodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(bool folder, IsFolder(input));
    std::vector<Source> sources;
    if (folder) {
      PB_ASSIGN_OR_RETURN(sources, FolderSources(input.path, options));
    } else {
      sources.push_back({ResourceForName(input.path), input});
    }
    return NewDecoder(std::make_unique<JsonElementReader>(std::move(sources), options), options);
  }

  pathbridge::Result<std::unique_ptr<Encoder>> OpenEncoder(
      const fs::path& output, const EncodeOptions& options) const override {
    return NewEncoder(output, options, [](const OutputPath& out) {
      return std::make_unique<JsonElementWriter>(out.temp());
    });
  }

 private:
  // The folder's resource files in reading order; other .json files are
  // reported and skipped.
  static pathbridge::Result<std::vector<Source>> FolderSources(const fs::path& dir,
                                                               const DecodeOptions& options) {
    std::map<int, Source> found;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (!e.is_regular_file() || Lower(e.path().extension().string()) != ".json") continue;
      std::string resource = ResourceForName(e.path());
      if (resource.empty()) {
        if (options.on_diagnostic)
          options.on_diagnostic({Diagnostic::Severity::kWarning,
                                 "not an Ed-Fi resource edfi-json translates; skipped",
                                 {e.path().string(), 0, 0, ""}});
        continue;
      }
      int rank = ResourceRank(resource);
      if (found.count(rank))
        return InvalidArgument("two files for resource " + resource, e.path().string());
      found[rank] = {resource, {e.path()}};
    }
    std::vector<Source> out;
    for (auto& [rank, s] : found) out.push_back(std::move(s));
    return out;
  }
};

}  // namespace
}  // namespace pathbridge::adapters::edfi_json

namespace pathbridge::adapters {
std::unique_ptr<Adapter> MakeEdFiJsonAdapter() {
  return std::make_unique<edfi_json::EdFiJsonAdapter>();
}
}  // namespace pathbridge::adapters
