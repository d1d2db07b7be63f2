#include "certs/resolvers.h"

#include <algorithm>

#include <boost/json.hpp>

#include "certs/json_file.h"
#include "certs/multikey.h"
#include "standards/json.h"

namespace pathbridge::certs {
namespace {

namespace bj = boost::json;
namespace fs = std::filesystem;

constexpr std::string_view kDidKeyPrefix = "did:key:";
constexpr std::size_t kMaxDocumentFile = 4u << 20;

bool IsSingleDocument(const bj::value& v) {
  const bj::value* id = v.is_object() ? v.get_object().if_contains("id") : nullptr;
  return id && id->is_string();
}

}  // namespace

Result<VerificationMethod> DidKeyResolver::Resolve(std::string_view method_url) const {
  if (!method_url.starts_with(kDidKeyPrefix))
    return NotFound("not a did:key URL", std::string(method_url));
  auto key = ParseDidKey(method_url);
  if (!key.ok()) return key.status().WithContext(method_url);
  PB_ASSIGN_OR_RETURN(ControllerDocument doc,
                      ParseControllerDocument(DidKeyDocument(*key), "did:key", "did:key"));
  return std::move(doc.methods.front());
}

Result<DocumentMapResolver> DocumentMapResolver::Load(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    PB_ASSIGN_OR_RETURN(bj::value v, ReadJsonFile(path, kMaxDocumentFile));
    return FromJson(v, path.string());
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(path, ec))
    if (e.path().extension() == ".json" && e.is_regular_file()) files.push_back(e.path());
  if (ec) return IoError(ec.message(), path.string());
  std::sort(files.begin(), files.end());
  DocumentMapResolver r;
  for (const auto& file : files) {
    PB_ASSIGN_OR_RETURN(bj::value v, ReadJsonFile(file, kMaxDocumentFile));
    PB_RETURN_IF_ERROR(r.Add(v, file.string() + ":", "document map " + path.string()));
  }
  return r;
}

Result<DocumentMapResolver> DocumentMapResolver::FromJson(const bj::value& value,
                                                          std::string_view name) {
  DocumentMapResolver r;
  const std::string source = "document map " + std::string(name);
  if (IsSingleDocument(value)) {
    PB_RETURN_IF_ERROR(r.Add(value, std::string(name) + ":", source));
    return r;
  }
  if (!value.is_object())
    return InvalidArgument("want a JSON object mapping ids to documents, or one document",
                           std::string(name));
  for (const auto& kv : value.get_object()) {
    std::string where = std::string(name) + ":";
    json::AppendPointerToken(where, kv.key());
    if (!kv.value().is_object()) return InvalidArgument("a document is a JSON object", where);
    bj::object doc = kv.value().get_object();
    if (!doc.contains("id")) doc["id"] = kv.key();
    if (doc["id"] != bj::value(kv.key()))
      return InvalidArgument("the document's id differs from its key in the map", where + "/id");
    PB_RETURN_IF_ERROR(r.Add(doc, where, source));
  }
  return r;
}

Result<DocumentMapResolver> DocumentMapResolver::FromDocuments(
    std::vector<std::pair<ControllerDocument, std::string>> documents) {
  DocumentMapResolver r;
  for (auto& [doc, where] : documents) PB_RETURN_IF_ERROR(r.Add(std::move(doc), where));
  return r;
}

Status DocumentMapResolver::Add(const bj::value& value, const std::string& where,
                                const std::string& source) {
  PB_ASSIGN_OR_RETURN(ControllerDocument doc, ParseControllerDocument(value, where, source));
  // "file:" prefixes pointers; the document itself is just "file".
  return Add(std::move(doc), where.ends_with(':') ? where.substr(0, where.size() - 1) : where);
}

Status DocumentMapResolver::Add(ControllerDocument doc, const std::string& where) {
  if (documents_.contains(doc.id))
    return InvalidArgument("document " + doc.id + " is given twice (also in " +
                               documents_[doc.id].where + ")",
                           where);
  Document& entry = documents_[doc.id];
  entry.where = where;
  for (auto& m : doc.methods) {
    if (methods_.contains(m.id) || unusable_.contains(m.id))
      return InvalidArgument("verification method " + m.id + " is defined by two documents", where);
    entry.methods.push_back(m.id);
    methods_.emplace(m.id, std::move(m));
  }
  for (auto& [id, why] : doc.unusable) {
    if (methods_.contains(id) || unusable_.contains(id))
      return InvalidArgument("verification method " + id + " is defined by two documents", where);
    unusable_.emplace(id, std::move(why));
  }
  return Status::Ok();
}

Result<VerificationMethod> DocumentMapResolver::Resolve(std::string_view url) const {
  if (auto it = methods_.find(url); it != methods_.end()) return it->second;
  if (auto it = unusable_.find(url); it != unusable_.end()) return it->second;
  const std::string where(url);
  const std::string_view base = url.substr(0, url.find('#'));
  auto doc = documents_.find(base);
  if (doc == documents_.end())
    return NotFound("no document in the map defines this verification method", where);
  if (base.size() != url.size())
    return NotFound("document " + doc->first + " (" + doc->second.where +
                        ") has no such verification method",
                    where);
  const auto& ids = doc->second.methods;
  if (ids.size() == 1) return methods_.find(ids.front())->second;
  return InvalidArgument("document " + doc->first + " lists " + std::to_string(ids.size()) +
                             " usable Ed25519 keys; name one by its full id (DID#fragment)",
                         where);
}

}  // namespace pathbridge::certs
