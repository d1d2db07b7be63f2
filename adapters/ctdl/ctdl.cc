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
#include <fstream>
#include <set>

#include <boost/json/serialize.hpp>

#include "adapters/ctdl/resources.h"
#include "adapters/json_document.h"
#include "adapters/registry.h"

namespace pathbridge::adapters::ctdl {
namespace {

namespace json = boost::json;
using namespace canonical;

// Fails unless the @context of `o` (when it has one) is the CTDL context.
Status CheckContext(const json::object& o, const std::string& pointer) {
  const json::value* ctx = o.if_contains("@context");
  if (ctx == nullptr) return Status::Ok();
  for (const json::value* c : OneOrMany(ctx))
    if (c->is_string() && IsCtdlContext(c->get_string())) return Status::Ok();
  return InvalidArgument("@context is not the CTDL context (" + std::string(kContext) + ")",
                         Child(pointer, "@context"));
}

class CtdlDecoder : public JsonDocumentDecoder {
 public:
  using JsonDocumentDecoder::JsonDocumentDecoder;

 private:
  Status DecodeDocument(const json::value& doc, std::vector<Record>* out) override {
    emitted_orgs_.clear();
    return DecodeItem(doc, "", true, out);
  }

  // A resource, a @graph document, an envelope, or (at the top) an array of them.
  Status DecodeItem(const json::value& v, const std::string& pointer, bool top,
                    std::vector<Record>* out) {
    if (const auto* a = v.if_array(); a != nullptr && top) {
      for (size_t i = 0; i < a->size(); ++i)
        PB_RETURN_IF_ERROR(DecodeItem((*a)[i], Child(pointer, i), false, out));
      return Status::Ok();
    }
    const auto* o = v.if_object();
    if (o == nullptr) return InvalidArgument("a CTDL resource must be a JSON object", pointer);
    if (const json::value* decoded = o->if_contains("decoded_resource"))
      return DecodeItem(*decoded, Child(pointer, "decoded_resource"), false, out);
    PB_RETURN_IF_ERROR(CheckContext(*o, pointer));
    if (const json::value* graph = o->if_contains("@graph")) {
      const auto* nodes = graph->if_array();
      if (nodes == nullptr) return InvalidArgument("@graph must be an array", Child(pointer, "@graph"));
      for (size_t i = 0; i < nodes->size(); ++i) {
        std::string p = Child(Child(pointer, "@graph"), i);
        const auto* node = (*nodes)[i].if_object();
        if (node == nullptr) return InvalidArgument("a @graph member must be an object", p);
        PB_RETURN_IF_ERROR(CheckContext(*node, p));
        PB_RETURN_IF_ERROR(DecodeResource(*node, p, out));
      }
      return Status::Ok();
    }
    return DecodeResource(*o, pointer, out);
  }

  Status DecodeResource(const json::object& node, const std::string& pointer,
                        std::vector<Record>* out) {
    PB_ASSIGN_OR_RETURN(auto records,
                        DecodeNode(node, pointer, [&](std::string message, std::string where) {
                          Warn(std::move(message), std::move(where));
                        }));
    for (auto& r : records) {
      // An organization embedded in several resources is one record.
      if (std::holds_alternative<Organization>(r) && !emitted_orgs_.insert(Base(r).id).second)
        continue;
      out->push_back(std::move(r));
    }
    return Status::Ok();
  }

  std::set<std::string> emitted_orgs_;  // in the document being read
};

class CtdlEncoder : public JsonDocumentEncoder {
 public:
  CtdlEncoder(std::unique_ptr<OutputPath> out, EncodeOptions options)
      : JsonDocumentEncoder(std::move(out), std::move(options)),
        file_(out_->temp(), std::ios::binary) {
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
        Warn("credentialDefinition " + def->id + ": " + message, def->source);
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

 private:
  std::ofstream file_;
  size_t count_ = 0;
};

}  // namespace
}  // namespace pathbridge::adapters::ctdl

namespace pathbridge::adapters {
std::unique_ptr<Adapter> MakeCtdlAdapter() {
  return std::make_unique<JsonDocumentAdapter<ctdl::CtdlDecoder, ctdl::CtdlEncoder>>(
      JsonDocumentFormat{
          .name = "ctdl",
          .media_types = {"application/ld+json"},
          .description = "Credential Engine CTDL JSON-LD: credentials, learning opportunities "
                         "and their organizations (a resource, a @graph, registry envelopes; "
                         "writes a @graph)",
          .output = OutputPath::Kind::kFile,
          .add_capabilities = ctdl::AddCapabilities,
      });
}
}  // namespace pathbridge::adapters
