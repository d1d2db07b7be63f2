// The edfi-xml adapter: Ed-Fi Data Standard 5.2 XML interchange files.
//
// Input: a folder of Interchange-*.xml documents, or one such file. Files
// are read interchange by interchange in dependency order (education
// organizations, calendar, master schedule, enrollment, students,
// transcripts; others last) and each document is streamed: the shared
// scanner (sif_xml/xml_scanner.h) splits the root's children, and each
// child is parsed alone with pugixml and converted to the API object the
// shared Ed-Fi engine decodes (schema.h). Elements of entities the engine
// does not map (descriptors, programs, locations...) are skipped with one
// diagnostic per element name and file. XML references by ref="..." are
// resolved against the id="..." elements read before them (memory: the
// identity members of each element with an id), an unknown one is an error.
//
// Output: a folder of Interchange-<name>.xml files. Elements go to one temp
// file per resource as they arrive; Finish() joins them into interchanges,
// in resource order, and renames the folder into place.
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include <pugixml.hpp>

#include "adapters/edfi_json/engine.h"
#include "adapters/edfi_json/resources.h"
#include "adapters/edfi_xml/schema.h"
#include "adapters/registry.h"
#include "adapters/sif_xml/xml_scanner.h"
#include "standards/encoding.h"

namespace pathbridge::adapters::edfi_xml {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;
using sif_xml::LocalName;
using sif_xml::ScannedElement;
using sif_xml::XmlScanner;

struct Interchange {
  std::string_view name;  // "EducationOrganization": root Interchange<name>
  std::vector<std::string_view> resources;
};

// Reading order, and where each resource is written.
const std::vector<Interchange>& Interchanges() {
  static const auto* kList = new std::vector<Interchange>{
      {"EducationOrganization",
       {"stateEducationAgencies", "localEducationAgencies", "postSecondaryInstitutions", "schools",
        "organizationDepartments", "courses"}},
      {"EducationOrgCalendar", {"sessions"}},
      {"MasterSchedule", {"courseOfferings", "sections"}},
      {"StudentEnrollment",
       {"studentEducationOrganizationAssociations", "studentSchoolAssociations",
        "studentSectionAssociations"}},
      {"Student", {"students"}},
      {"StudentTranscript", {"courseTranscripts", "studentAcademicRecords"}},
  };
  return *kList;
}

int InterchangeRank(std::string_view root) {
  const auto& list = Interchanges();
  for (size_t i = 0; i < list.size(); ++i)
    if ("Interchange" + std::string(list[i].name) == root) return static_cast<int>(i);
  return static_cast<int>(list.size());
}

const Interchange* InterchangeOf(std::string_view resource) {
  for (const Interchange& i : Interchanges())
    for (std::string_view r : i.resources)
      if (r == resource) return &i;
  return nullptr;
}

// The root element's local name of a file; "" if it cannot be read.
std::string RootOf(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  XmlScanner scanner(in, path.string(), 1 << 20);
  ScannedElement root;
  return scanner.ReadRoot(&root).ok() ? std::string(LocalName(root.name)) : "";
}

class XmlElementReader : public edfi_json::ElementReader {
 public:
  XmlElementReader(std::vector<Input> sources, DecodeOptions options)
      : sources_(std::move(sources)), options_(std::move(options)) {}

  pathbridge::Result<bool> Next(edfi_json::RawElement* out) override {
    while (true) {
      if (scanner_ == nullptr) {
        if (next_ == sources_.size()) return false;
        PB_RETURN_IF_ERROR(Open(sources_[next_++]));
      }
      ScannedElement e;
      PB_ASSIGN_OR_RETURN(bool got, scanner_->NextChild(&e));
      if (!got) {
        scanner_.reset();
        file_.close();
        continue;
      }
      PB_ASSIGN_OR_RETURN(bool mapped, Convert(e, out));
      if (mapped) return true;
    }
  }

 private:
  Status Open(const Input& s) {
    display_ = s.path.string();
    PB_ASSIGN_OR_RETURN(std::istream* in, OpenInput(s, file_));
    scanner_ = std::make_unique<XmlScanner>(*in, display_, options_.max_record_bytes);
    ScannedElement root;
    PB_RETURN_IF_ERROR(scanner_->ReadRoot(&root));
    root_ = std::string(LocalName(root.name));
    if (root_.rfind("Interchange", 0) != 0 || root.empty)
      return InvalidArgument("not an Ed-Fi interchange: the root element is <" + root.name + ">",
                             scanner_->Where(root.line, root.column) + " /" + root.name);
    counts_.clear();
    skipped_.clear();
    return Status::Ok();
  }

  // Parses and converts one child; false if its entity is not mapped.
  pathbridge::Result<bool> Convert(const ScannedElement& e, edfi_json::RawElement* out) {
    std::string name(LocalName(e.name));
    std::string xpath = "/" + root_ + "/" + name + "[" + std::to_string(++counts_[name]) + "]";
    // pugixml does not check the encoding; the output and the engine's JSON need UTF-8.
    for (size_t i = 0; i < e.text.size();) {
      uint32_t cp = 0;
      size_t n = DecodeUtf8(e.text, i, &cp);
      if (n == 0) {
        auto [line, column] = XmlScanner::PositionIn(e, i);
        return InvalidArgument("not UTF-8", scanner_->Where(line, column) + " " + xpath);
      }
      i += n;
    }
    pugi::xml_document doc;
    pugi::xml_parse_result parsed =
        doc.load_buffer(e.text.data(), e.text.size(), pugi::parse_default | pugi::parse_pi);
    if (!parsed) {
      auto [line, column] = XmlScanner::PositionIn(e, static_cast<size_t>(parsed.offset));
      return InvalidArgument(std::string("not well-formed XML: ") + parsed.description(),
                             scanner_->Where(line, column) + " " + xpath);
    }
    pugi::xml_node x = doc.document_element();
    const Node* entity = EntityByElement(name);
    if (entity == nullptr) {
      Index(x, GenericJson(x));
      if (skipped_.insert(name).second && options_.on_diagnostic)
        options_.on_diagnostic({Diagnostic::Severity::kInfo,
                                "<" + name + "> is not translated; skipped",
                                {display_, e.line, e.column, xpath}});
      return false;
    }
    size_t offset = 0;
    auto refs = [this](std::string_view id) -> const bj::object* {
      auto it = ids_.find(std::string(id));
      return it == ids_.end() ? nullptr : &it->second;
    };
    auto json = ToJson(*entity, x, refs, &offset);
    if (!json.ok()) {
      auto [line, column] = XmlScanner::PositionIn(e, offset);
      return InvalidArgument(std::string(json.status().message()),
                             scanner_->Where(line, column) + " " + xpath);
    }
    Index(x, *json);
    out->resource = entity->json;
    out->object = std::move(*json);
    out->where = {display_, e.line, e.column, xpath};
    return true;
  }

  void Index(const pugi::xml_node& x, const bj::value& v) {
    if (pugi::xml_attribute id = x.attribute("id"); id && v.is_object())
      ids_[id.value()] = FlattenForRefs(v.as_object());
  }

  std::vector<Input> sources_;
  DecodeOptions options_;
  size_t next_ = 0;
  std::string display_;  // of the source being read
  std::ifstream file_;
  std::unique_ptr<XmlScanner> scanner_;
  std::string root_;
  std::map<std::string, uint64_t> counts_;
  std::set<std::string> skipped_;
  std::unordered_map<std::string, bj::object> ids_;
};

constexpr std::string_view kNamespace = "http://ed-fi.org/5.2.0";

// One temp file of elements per resource in `parts`, joined into
// interchanges in `dir` on Finish().
class XmlElementWriter : public edfi_json::ElementWriter {
 public:
  XmlElementWriter(fs::path dir, fs::path parts) : dir_(std::move(dir)), parts_(std::move(parts)) {
    fs::create_directories(parts_);
  }

  Status Write(std::string_view resource, const bj::object& o) override {
    const Node* entity = EntityByResource(resource);
    if (entity == nullptr) return InvalidArgument("no XML element for resource", std::string(resource));
    std::ofstream& part = PartOf(resource);  // a resource's elements come from one thread
    part << "\t" << ToXml(*entity, o) << "\n";
    return part ? Status::Ok() : IoError("cannot write", (parts_ / std::string(resource)).string());
  }

  Status Finish() override {
    for (auto& [r, f] : parts_files_) f.close();
    for (const Interchange& i : Interchanges()) {
      bool any = false;
      for (std::string_view r : i.resources) any = any || parts_files_.count(std::string(r));
      if (!any) continue;
      fs::path path = dir_ / FileOf(i.resources[0]);
      std::ofstream out(path, std::ios::binary);
      out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Interchange" << i.name << " xmlns=\""
          << kNamespace << "\">\n";
      for (std::string_view r : i.resources) {
        if (!parts_files_.count(std::string(r))) continue;
        std::ifstream part(parts_ / (std::string(r) + ".part"), std::ios::binary);
        out << part.rdbuf();
      }
      out << "</Interchange" << i.name << ">\n";
      out.close();
      if (!out) return IoError("cannot write", path.string());
    }
    std::error_code ec;
    fs::remove_all(parts_, ec);
    return Status::Ok();
  }

  std::string FileOf(std::string_view resource) const override {
    const Interchange* i = InterchangeOf(resource);
    return "Interchange-" + std::string(i == nullptr ? resource : i->name) + ".xml";
  }

 private:
  // parts_files_ is shared by the encoder's two threads (engine.h); its
  // nodes stay put.
  std::ofstream& PartOf(std::string_view resource) {
    std::lock_guard<std::mutex> lock(parts_mu_);
    auto it = parts_files_.find(resource);
    if (it == parts_files_.end())
      it = parts_files_.emplace(std::string(resource),
                                std::ofstream(parts_ / (std::string(resource) + ".part"),
                                              std::ios::binary)).first;
    return it->second;
  }

  fs::path dir_, parts_;
  std::mutex parts_mu_;
  std::map<std::string, std::ofstream, std::less<>> parts_files_;
};

class EdFiXmlAdapter : public Adapter {
 public:
  std::string_view name() const override { return "edfi-xml"; }
  std::vector<std::string> media_types() const override { return {"application/xml"}; }
  std::string_view description() const override {
    return "Ed-Fi Data Standard 5.2 XML interchanges: a folder of Interchange-*.xml files, or "
           "one such file";
  }
  const Capabilities& reads() const override { return edfi_json::EdFiCapabilities(); }
  const Capabilities& writes() const override { return edfi_json::EdFiCapabilities(); }

  pathbridge::Result<std::unique_ptr<Decoder>> OpenDecoder(
      const Input& input, const DecodeOptions& options) const override {
    PB_ASSIGN_OR_RETURN(bool folder, IsFolder(input));
    std::vector<Input> sources;
    if (folder) {
      std::multimap<std::pair<int, std::string>, Input> found;
      for (const auto& e : fs::directory_iterator(input.path)) {
        if (!e.is_regular_file() || e.path().extension() != ".xml") continue;
        found.insert({{InterchangeRank(RootOf(e.path())), e.path().filename().string()}, {e.path()}});
      }
      for (auto& [rank, s] : found) sources.push_back(std::move(s));
    } else {
      sources.push_back(input);
    }
    return edfi_json::NewDecoder(std::make_unique<XmlElementReader>(std::move(sources), options),
                                 options);
  }

  pathbridge::Result<std::unique_ptr<Encoder>> OpenEncoder(
      const fs::path& output, const EncodeOptions& options) const override {
    return edfi_json::NewEncoder(output, options, [](const OutputPath& out) {
      return std::make_unique<XmlElementWriter>(out.temp(), out.work() / "parts");
    });
  }
};

}  // namespace
}  // namespace pathbridge::adapters::edfi_xml

namespace pathbridge::adapters {
std::unique_ptr<Adapter> MakeEdFiXmlAdapter() {
  return std::make_unique<edfi_xml::EdFiXmlAdapter>();
}
}  // namespace pathbridge::adapters
