// Reading and writing whole JSON documents for the single-document formats
// (LER-RS résumés, CTDL resources): the input files of a file-or-folder
// input, one document read and parsed strictly (standards/json.h) with its
// size bounded, member access that says where, writing a text file, and
// what such a format's adapter shares: JsonDocumentDecoder (each input read
// whole and decoded into records), JsonDocumentEncoder (an OutputPath and
// warnings) and JsonDocumentAdapter (the Adapter around them), so that each
// format keeps only what is its own.
//
// Thread-safety: pure functions; a decoder or encoder is used by one thread
// at a time; adapters are immutable.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "adapters/adapter.h"
#include "adapters/output_path.h"
#include "adapters/warnings.h"
#include "standards/status.h"

namespace pathbridge::adapters {

// The documents of `input`: itself when it is a stream or a file; the
// .json files of a folder, by name (kNotFound when there are none).
pathbridge::Result<std::vector<Input>> JsonInputs(const Input& input);

// One JSON document from `in` (at most max_bytes; larger is
// kResourceExhausted). Errors are located "name:line:column /pointer".
pathbridge::Result<boost::json::value> ReadJsonDocument(std::istream& in, const std::string& name,
                                                        size_t max_bytes);

// "<pointer>/<token>", the token escaped per RFC 6901.
std::string Child(std::string_view pointer, std::string_view token);
std::string Child(std::string_view pointer, size_t index);

// Member `key` of `o` if it is a string (else ""), and of a value that may
// not be an object.
std::string StringMember(const boost::json::object& o, std::string_view key);
std::string StringMember(const boost::json::value* v, std::string_view key);
// Member `key` as an object / array, or nullptr.
const boost::json::object* ObjectMember(const boost::json::object& o, std::string_view key);
const boost::json::array* ArrayMember(const boost::json::object& o, std::string_view key);
// A number member as a double, nullopt when absent or not a number.
std::optional<double> NumberMember(const boost::json::object& o, std::string_view key);

// A value that is one item or an array of items, as a list of pointers.
std::vector<const boost::json::value*> OneOrMany(const boost::json::value* v);

// Writes `text` to `path`; kIoError naming it on failure.
Status WriteTextFile(const std::filesystem::path& path, std::string_view text);

// The largest document a JSON-document decoder reads (they are read whole).
inline constexpr size_t kMaxJsonDocumentBytes = 16u << 20;

// Reads its inputs in turn, each one whole document, and hands out the
// records DecodeDocument makes of each, their source file set; an error
// (DecodeDocument's located by a JSON pointer) is prefixed "file:".
class JsonDocumentDecoder : public Decoder {
 public:
  JsonDocumentDecoder(std::vector<Input> inputs, DecodeOptions options);
  pathbridge::Result<bool> Next(canonical::Record* out) final;

 protected:
  // Appends the records of one document to *out.
  virtual Status DecodeDocument(const boost::json::value& doc,
                                std::vector<canonical::Record>* out) = 0;
  // A warning at `pointer` in the document being decoded.
  void Warn(std::string message, std::string pointer);

 private:
  // Decodes the next input into pending_; false when none is left.
  pathbridge::Result<bool> ReadNextDocument();

  std::vector<Input> inputs_;
  size_t next_input_ = 0;
  DecodeOptions options_;
  Warnings warnings_;
  std::string display_;  // the input being read
  std::vector<canonical::Record> pending_;
  size_t next_ = 0;
};

// An encoder's output and its warnings; Abort() discards the output.
class JsonDocumentEncoder : public Encoder {
 public:
  JsonDocumentEncoder(std::unique_ptr<OutputPath> out, EncodeOptions options)
      : out_(std::move(out)), options_(std::move(options)) {}
  void Abort() override { out_->Discard(); }

 protected:
  void Warn(std::string message, canonical::SourceLocation where);

  std::unique_ptr<OutputPath> out_;
  EncodeOptions options_;
};

// What a JSON-document format's adapter says of itself.
struct JsonDocumentFormat {
  std::string_view name;
  std::vector<std::string> media_types;
  std::string_view description;
  OutputPath::Kind output;  // a file, or a folder of documents
  void (*add_capabilities)(Capabilities& reads, Capabilities& writes);
};

// The adapter of a JSON-document format: DecoderT(std::vector<Input>,
// DecodeOptions) reads JsonInputs(input); EncoderT(std::unique_ptr<OutputPath>,
// EncodeOptions) writes the output.
template <typename DecoderT, typename EncoderT>
class JsonDocumentAdapter : public Adapter {
 public:
  explicit JsonDocumentAdapter(JsonDocumentFormat format) : format_(std::move(format)) {
    format_.add_capabilities(reads_, writes_);
  }
  std::string_view name() const override { return format_.name; }
  std::vector<std::string> media_types() const override { return format_.media_types; }
  std::string_view description() const override { return format_.description; }
  const Capabilities& reads() const override { return reads_; }
  const Capabilities& writes() const override { return writes_; }

  pathbridge::Result<std::unique_ptr<Decoder>> OpenDecoder(
      const Input& input, const DecodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(auto inputs, JsonInputs(input));
    return std::unique_ptr<Decoder>(std::make_unique<DecoderT>(std::move(inputs), options));
  }

  pathbridge::Result<std::unique_ptr<Encoder>> OpenEncoder(
      const std::filesystem::path& output, const EncodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(auto out, OutputPath::Open(output, format_.output));
    return std::unique_ptr<Encoder>(std::make_unique<EncoderT>(std::move(out), options));
  }

 private:
  JsonDocumentFormat format_;
  Capabilities reads_, writes_;
};

}  // namespace pathbridge::adapters
