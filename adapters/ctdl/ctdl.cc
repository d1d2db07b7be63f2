// The ctdl adapter: Credential Engine CTDL JSON-LD (resources.h says how
// resources map to records).
//
// Input: a .json file, or a folder of them, each one document (at most 16
// MiB, read whole: CTDL resources are small, and a @graph's members refer
// to each other): a single resource, a @graph document (Credential
// Engine's ingest form), a Credential Registry envelope ({"decoded_resource":
// {...}}), or a JSON array of resources or envelopes (a registry search
// result). Its @context, where given, must be the CTDL context.
//
// Output: one file, a @graph document with the CTDL context, one node per
// organization and credentialDefinition record, written as records come
// (no buffering) to a temp file renamed into place on Finish().
#include <deque>
#include <fstream>
#include <set>

#include <boost/json/serialize.hpp>

#include "adapters/ctdl/resources.h"
#include "adapters/json_document.h"
#include "adapters/output_path.h"
#include "adapters/registry.h"
#include "adapters/warnings.h"

namespace pathbridge::adapters::ctdl {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace canonical;

constexpr size_t kMaxDocumentBytes = 16u << 20;

// Fails unless the @context of `o` (when it has one) is the CTDL context.
Status CheckContext(const json::object& o, const std::string& pointer) {
  const json::value* ctx = o.if_contains("@context");
  if (ctx == nullptr) return Status::Ok();
  for (const json::value* c : OneOrMany(ctx))
    if (c->is_string() && IsCtdlContext(c->get_string())) return Status::Ok();
  return InvalidArgument("@context is not the CTDL context (" + std::string(kContext) + ")",
                         Child(pointer, "@context"));
}

class CtdlDecoder : public Decoder {
 public:
  CtdlDecoder(std::vector<Input> inputs, DecodeOptions options)
      : inputs_(std::move(inputs)), options_(std::move(options)), warnings_(options_.on_diagnostic) {}

  pathbridge::Result<bool> Next(Record* out) override {
    while (pending_.empty()) {
      PB_ASSIGN_OR_RETURN(bool more, ReadNextDocument());
      if (!more) return false;
    }
    *out = std::move(pending_.front());
    pending_.pop_front();
    return true;
  }

 private:
  // Decodes the next input document into pending_; false when none is left.
  pathbridge::Result<bool> ReadNextDocument() {
    if (next_input_ == inputs_.size()) return false;
    const Input& input = inputs_[next_input_++];
    display_ = input.path.string();
    std::ifstream file;
    PB_ASSIGN_OR_RETURN(std::istream* in, OpenInput(input, file));
    PB_ASSIGN_OR_RETURN(json::value doc, ReadJsonDocument(*in, display_, kMaxDocumentBytes));
    emitted_orgs_.clear();
    Status s = DecodeItem(doc, "", true);
    warnings_.Summarize(display_);
    if (!s.ok()) {
      pending_.clear();
      return Status(s.code(), s.message(), display_ + ":" + s.where());
    }
    return true;
  }

  // A resource, a @graph document, an envelope, or (at the top) an array of them.
  Status DecodeItem(const json::value& v, const std::string& pointer, bool top) {
    if (const auto* a = v.if_array(); a != nullptr && top) {
      for (size_t i = 0; i < a->size(); ++i)
        PB_RETURN_IF_ERROR(DecodeItem((*a)[i], Child(pointer, i), false));
      return Status::Ok();
    }
    const auto* o = v.if_object();
    if (o == nullptr) return InvalidArgument("a CTDL resource must be a JSON object", pointer);
    if (const json::value* decoded = o->if_contains("decoded_resource"))
      return DecodeItem(*decoded, Child(pointer, "decoded_resource"), false);
    PB_RETURN_IF_ERROR(CheckContext(*o, pointer));
    if (const json::value* graph = o->if_contains("@graph")) {
      const auto* nodes = graph->if_array();
      if (nodes == nullptr) return InvalidArgument("@graph must be an array", Child(pointer, "@graph"));
      for (size_t i = 0; i < nodes->size(); ++i) {
        std::string p = Child(Child(pointer, "@graph"), i);
        const auto* node = (*nodes)[i].if_object();
        if (node == nullptr) return InvalidArgument("a @graph member must be an object", p);
        PB_RETURN_IF_ERROR(CheckContext(*node, p));
        PB_RETURN_IF_ERROR(DecodeResource(*node, p));
      }
      return Status::Ok();
    }
    return DecodeResource(*o, pointer);
  }

  Status DecodeResource(const json::object& node, const std::string& pointer) {
    PB_ASSIGN_OR_RETURN(auto records,
                        DecodeNode(node, pointer, [&](std::string message, std::string where) {
                          warnings_.Warn(std::move(message), {display_, 0, 0, where});
                        }));
    for (auto& r : records) {
      // An organization embedded in several resources is one record.
      if (std::holds_alternative<Organization>(r) && !emitted_orgs_.insert(Base(r).id).second)
        continue;
      Base(r).source.file = display_;
      pending_.push_back(std::move(r));
    }
    return Status::Ok();
  }

  std::vector<Input> inputs_;
  size_t next_input_ = 0;
  DecodeOptions options_;
  Warnings warnings_;
  std::string display_;
  std::deque<Record> pending_;
  std::set<std::string> emitted_orgs_;
};

class CtdlEncoder : public Encoder {
 public:
  CtdlEncoder(std::unique_ptr<OutputPath> out, EncodeOptions options)
      : out_(std::move(out)), options_(std::move(options)), file_(out_->temp(), std::ios::binary) {
    json::object head;
    head["@context"] = kContext;
    std::string text = json::serialize(head);
    text.pop_back();  // the closing brace: the @graph follows
    file_ << text << ",\"@graph\":[";
  }

  Status Write(const Record& record) override {
    json::object node;
    if (const auto* org = std::get_if<Organization>(&record)) {
      node = EncodeOrganization(*org);
    } else if (const auto* def = std::get_if<CredentialDefinition>(&record)) {
      node = EncodeDefinition(*def, [&](std::string message, std::string) {
        if (options_.on_diagnostic)
          options_.on_diagnostic({Diagnostic::Severity::kWarning,
                                  "credentialDefinition " + def->id + ": " + message, def->source});
      });
    } else {
      return Status::Ok();  // not carried by CTDL
    }
    file_ << (count_++ == 0 ? "\n" : ",\n") << json::serialize(node);
    return file_ ? Status::Ok() : IoError("cannot write", out_->temp().string());
  }

  Status Finish() override {
    file_ << "\n]}\n";
    file_.close();
    if (!file_) return IoError("cannot write", out_->temp().string());
    return out_->Commit();
  }

  void Abort() override {
    file_.close();
    out_->Discard();
  }

 private:
  std::unique_ptr<OutputPath> out_;
  EncodeOptions options_;
  std::ofstream file_;
  size_t count_ = 0;
};

class CtdlAdapter : public Adapter {
 public:
  CtdlAdapter() { AddCapabilities(reads_, writes_); }
  std::string_view name() const override { return "ctdl"; }
  std::vector<std::string> media_types() const override { return {"application/ld+json"}; }
  std::string_view description() const override {
    return "Credential Engine CTDL JSON-LD: credentials, learning opportunities and their "
           "organizations (a resource, a @graph, registry envelopes; writes a @graph)";
  }
  const Capabilities& reads() const override { return reads_; }
  const Capabilities& writes() const override { return writes_; }

  pathbridge::Result<std::unique_ptr<Decoder>> OpenDecoder(
      const Input& input, const DecodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(auto inputs, JsonInputs(input));
    return std::unique_ptr<Decoder>(std::make_unique<CtdlDecoder>(std::move(inputs), options));
  }

  pathbridge::Result<std::unique_ptr<Encoder>> OpenEncoder(
      const fs::path& output, const EncodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(auto out, OutputPath::Open(output, OutputPath::Kind::kFile));
    return std::unique_ptr<Encoder>(std::make_unique<CtdlEncoder>(std::move(out), options));
  }

 private:
  Capabilities reads_, writes_;
};

}  // namespace
}  // namespace pathbridge::adapters::ctdl

namespace pathbridge::adapters {
std::unique_ptr<Adapter> MakeCtdlAdapter() { return std::make_unique<ctdl::CtdlAdapter>(); }
}  // namespace pathbridge::adapters
