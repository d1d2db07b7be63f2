// The oneroster-json adapter: OneRoster 1.2 REST JSON response bodies in
// and out (bindings.h says how objects map to records).
//
// Input: one .json file holding a collection ({"users": [...]}) or a single
// object ({"user": {...}}), several of them as members of one top-level
// object, or a folder of such files (one per collection: orgs.json,
// users.json...; files named after a collection are read in dependency
// order, any other .json files after them, by name). Collections are
// streamed element by element (scanner.h), so memory holds one element
// (bounded by max_record_bytes); members that are not OneRoster
// collections are skipped with a warning.
//
// Output: a folder with one file per collection that has records,
// <collection>.json = {"<collection>":[ one object per line ]}, written into
// a temp folder beside the output and renamed into place on Finish(). Each
// record is written as it comes: no buffering.
#include <algorithm>
#include <fstream>

#include <boost/json/serialize.hpp>

#include "adapters/json_document.h"
#include "adapters/oneroster_json/bindings.h"
#include "adapters/oneroster_json/scanner.h"
#include "adapters/output_path.h"
#include "adapters/registry.h"
#include "adapters/warnings.h"
#include "standards/json.h"

namespace pathbridge::adapters::oneroster_json {
namespace {

namespace fs = std::filesystem;
using namespace canonical;

// "member 'roles/0/role'" from "/roles/0/role": names the member without
// the element's index, so that warnings repeat per member, not per element.
std::string MemberLabel(const std::string& pointer) {
  return pointer.empty() ? "object" : "member '" + pointer.substr(1) + "'";
}

// Inputs in reading order: the files named after a collection first, in
// dependency order, then the rest by name.
pathbridge::Result<std::vector<Input>> Inputs(const Input& input) {
  PB_ASSIGN_OR_RETURN(std::vector<Input> inputs, JsonInputs(input));
  auto rank = [](const Input& in) {
    const auto& all = Collections();
    for (size_t i = 0; i < all.size(); ++i)
      if (in.path.stem() == all[i]->name()) return i;
    return all.size();
  };
  std::stable_sort(inputs.begin(), inputs.end(),
                   [&](const Input& a, const Input& b) { return rank(a) < rank(b); });
  return inputs;
}

class JsonDecoder : public Decoder {
 public:
  JsonDecoder(std::vector<Input> inputs, DecodeOptions options)
      : inputs_(std::move(inputs)), options_(std::move(options)), warnings_(options_.on_diagnostic) {}

  pathbridge::Result<bool> Next(Record* out) override {
    while (true) {
      if (scanner_ == nullptr) {
        if (next_ == inputs_.size()) return false;
        PB_RETURN_IF_ERROR(Open(inputs_[next_++]));
      }
      Element e;
      PB_ASSIGN_OR_RETURN(bool got, scanner_->Next(&e));
      if (!got) {
        warnings_.Summarize(display_);
        scanner_.reset();
        file_.close();
        continue;
      }
      if (e.skipped) {
        warnings_.Warn("member \"" + e.member + "\" is not a OneRoster collection; skipped",
                       {display_, e.line, e.column, e.pointer});
        continue;
      }
      PB_RETURN_IF_ERROR(DecodeElement(e, out));
      return true;
    }
  }

 private:
  Status Open(const Input& input) {
    display_ = input.path.string();
    PB_ASSIGN_OR_RETURN(std::istream* in, OpenInput(input, file_));
    scanner_ = std::make_unique<Scanner>(*in, display_, options_.max_record_bytes,
                                         [](std::string_view m) { return FindCollection(m) != nullptr; });
    return Status::Ok();
  }

  Status DecodeElement(const Element& e, Record* out) {
    auto parsed = json::Parse(e.text, {.max_depth = 64, .max_size = options_.max_record_bytes});
    if (!parsed.ok())
      return Status(parsed.status().code(), parsed.status().message(),
                    scanner_->Where(e, parsed.status().where()));
    if (!parsed->is_object())
      return InvalidArgument("a " + e.member + " element must be an object", scanner_->Where(e, ""));
    Status s = FindCollection(e.member)->Decode(
        parsed->get_object(), out, [&](std::string message, std::string pointer) {
          warnings_.Warn(MemberLabel(pointer) + ": " + message,
                         {display_, e.line, e.column, e.pointer + pointer});
        });
    if (!s.ok())
      return Status(s.code(), s.message(), scanner_->Where(e, "1:1 " + s.where()));
    Base(*out).source = {display_, e.line, e.column, e.pointer};
    return Status::Ok();
  }

  std::vector<Input> inputs_;
  size_t next_ = 0;
  DecodeOptions options_;
  Warnings warnings_;
  std::ifstream file_;
  std::string display_;
  std::unique_ptr<Scanner> scanner_;
};

class JsonEncoder : public Encoder {
 public:
  JsonEncoder(std::unique_ptr<OutputPath> out, EncodeOptions options)
      : out_(std::move(out)), options_(std::move(options)), files_(Collections().size()) {}

  Status Write(const Record& record) override {
    const auto& all = Collections();
    for (size_t i = 0; i < all.size(); ++i) {
      if (!all[i]->Holds(record)) continue;
      std::ofstream& f = files_[i];
      if (!f.is_open()) {
        f.open(PathOf(i), std::ios::binary);
        f << "{\"" << all[i]->name() << "\":[\n";
      } else {
        f << ",\n";
      }
      f << boost::json::serialize(all[i]->Encode(record, [&](std::string message, std::string) {
        if (options_.on_diagnostic)
          options_.on_diagnostic({Diagnostic::Severity::kWarning, std::move(message), Base(record).source});
      }));
      return f ? Status::Ok() : IoError("cannot write", PathOf(i).string());
    }
    return Status::Ok();  // not carried by OneRoster
  }

  Status Finish() override {
    for (size_t i = 0; i < files_.size(); ++i) {
      if (!files_[i].is_open()) continue;
      files_[i] << "\n]}\n";
      files_[i].close();
      if (!files_[i]) return IoError("cannot write", PathOf(i).string());
    }
    return out_->Commit();
  }

  void Abort() override {
    files_.clear();
    out_->Discard();
  }

 private:
  // The file of collection i.
  fs::path PathOf(size_t i) const {
    return out_->temp() / (std::string(Collections()[i]->name()) + ".json");
  }

  std::unique_ptr<OutputPath> out_;
  EncodeOptions options_;
  std::vector<std::ofstream> files_;  // by collection, opened on the first record
};

class OneRosterJsonAdapter : public Adapter {
 public:
  OneRosterJsonAdapter() {
    for (const Collection* c : Collections()) c->AddCapabilities(reads_, writes_);
  }

  std::string_view name() const override { return "oneroster-json"; }
  std::vector<std::string> media_types() const override { return {"application/json"}; }
  std::string_view description() const override {
    return "1EdTech OneRoster 1.2 REST JSON (a response body, or a folder of one file per "
           "collection)";
  }
  const Capabilities& reads() const override { return reads_; }
  const Capabilities& writes() const override { return writes_; }

  pathbridge::Result<std::unique_ptr<Decoder>> OpenDecoder(
      const Input& input, const DecodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(auto inputs, Inputs(input));
    return std::unique_ptr<Decoder>(std::make_unique<JsonDecoder>(std::move(inputs), options));
  }

  pathbridge::Result<std::unique_ptr<Encoder>> OpenEncoder(
      const fs::path& output, const EncodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(auto out, OutputPath::Open(output, OutputPath::Kind::kFolder));
    return std::unique_ptr<Encoder>(std::make_unique<JsonEncoder>(std::move(out), options));
  }

 private:
  Capabilities reads_, writes_;
};

}  // namespace
}  // namespace pathbridge::adapters::oneroster_json

namespace pathbridge::adapters {
std::unique_ptr<Adapter> MakeOneRosterJsonAdapter() {
  return std::make_unique<oneroster_json::OneRosterJsonAdapter>();
}
}  // namespace pathbridge::adapters
