// The Ed-Fi translation engine shared by the edfi-json and edfi-xml
// adapters: a Decoder over API-JSON-shaped elements (one boost::json object
// per Ed-Fi resource element, with the API's member names) and an Encoder
// producing such elements. The adapters only read and write the elements'
// wire form: edfi-json as JSON arrays, edfi-xml as XML interchanges
// converted to and from the same objects. Identity, natural keys, code sets,
// the pathbridge extension and the joins of students with their
// associations (see resources.h and edfi_json.cc) live here, once.
//
// Thread-safety: decoders and encoders are used by one thread at a time.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "adapters/adapter.h"
#include "adapters/output_path.h"

namespace pathbridge::adapters::edfi_json {

// The API resources the engine translates, in reading order: what is
// referred to before what refers to it; the associations carrying a
// student's demographics before the students.
const std::vector<std::string_view>& ResourceOrder();
// The rank of `resource` in ResourceOrder(), or -1.
int ResourceRank(std::string_view resource);

// One element as read from the wire, before decoding.
struct RawElement {
  std::string resource;  // "students"; "" when only its content tells (a transcript composite)
  boost::json::object object;
  canonical::SourceLocation where;  // file, line, column and the element's pointer or XPath
};

// Yields elements in an order where references can be resolved (resource
// order across files; document order within one).
class ElementReader {
 public:
  virtual ~ElementReader() = default;
  virtual pathbridge::Result<bool> Next(RawElement* out) = 0;
};

std::unique_ptr<Decoder> NewDecoder(std::unique_ptr<ElementReader> reader, DecodeOptions options);

// Receives encoded elements by resource; Finish() leaves the finished files
// in the output's temp() folder (scratch files may go in its work()).
// Write and WriteText may be called from two threads at once (the encoder
// writes sections and students at the same time), but the elements of one
// resource always come from one thread.
class ElementWriter {
 public:
  virtual ~ElementWriter() = default;
  virtual Status Write(std::string_view resource, const boost::json::object& o) = 0;
  // Whether WriteText takes elements as JSON text (the encoder's direct
  // path, resources.h); if not, every element comes through Write.
  virtual bool TakesText() const { return false; }
  virtual Status WriteText(std::string_view resource, std::string_view json);
  virtual Status Finish() = 0;
  // The output file `resource` goes into (relative), for warnings.
  virtual std::string FileOf(std::string_view resource) const = 0;
};
using WriterFactory = std::function<std::unique_ptr<ElementWriter>(const OutputPath& out)>;

// Checks that `output` is absent or an empty folder and opens an encoder
// writing into a temp folder beside it, renamed into place on Finish()
// (output_path.h).
pathbridge::Result<std::unique_ptr<Encoder>> NewEncoder(const std::filesystem::path& output,
                                                        const EncodeOptions& options,
                                                        const WriterFactory& writers);

}  // namespace pathbridge::adapters::edfi_json
