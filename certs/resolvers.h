// KeyResolvers that work offline (see key_resolver.h for the contract):
//   DidKeyResolver       did:key URLs; the key is in the identifier.
//   DocumentMapResolver  DIDs and https controller URLs whose documents an
//                        operator keeps in a local file or directory (say,
//                        the did:web documents of the colleges a verifier
//                        trusts), read with ParseControllerDocument.
// (OrgRegistryResolver, for the hub's own organizations, is in
// org_registry.h.)
//
// Thread-safety: immutable after construction; Resolve is safe from many
// threads.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "certs/controller_document.h"
#include "certs/key_resolver.h"

namespace pathbridge::certs {

// "did:key:z6Mk...#z6Mk..." (or the bare DID) to the key, with the
// relationships of its derived document (did:key §3.1.1); kNotFound for
// other methods.
class DidKeyResolver final : public KeyResolver {
 public:
  Result<VerificationMethod> Resolve(std::string_view method_url) const override;
};

// Resolves full method URLs (DID#fragment, URL#fragment) from the documents
// it was loaded with; a bare document id resolves to the document's key if
// it has exactly one.
class DocumentMapResolver final : public KeyResolver {
 public:
  // `path` is a JSON file or a directory of *.json files. A file holds one
  // document (an object whose "id" is a string) or maps ids to documents:
  //   {"did:web:college.example": {...}, "https://example.edu/issuers/565049": {...}}
  // (a mapped document without an "id" takes its key; one with a different
  // id is an error). Each file in a directory is one document.
  static Result<DocumentMapResolver> Load(const std::filesystem::path& path);
  // The same from parsed JSON; `name` says where it came from in messages.
  static Result<DocumentMapResolver> FromJson(const boost::json::value& value,
                                              std::string_view name);
  // From documents already read or built, each with where it came from.
  static Result<DocumentMapResolver> FromDocuments(
      std::vector<std::pair<ControllerDocument, std::string>> documents);

  Result<VerificationMethod> Resolve(std::string_view method_url) const override;

 private:
  DocumentMapResolver() = default;
  Status Add(const boost::json::value& doc, const std::string& where, const std::string& source);
  Status Add(ControllerDocument doc, const std::string& where);

  std::map<std::string, VerificationMethod, std::less<>> methods_;
  std::map<std::string, Status, std::less<>> unusable_;
  // Document id -> the ids of its usable methods, and where it was read.
  struct Document {
    std::vector<std::string> methods;
    std::string where;
  };
  std::map<std::string, Document, std::less<>> documents_;
};

}  // namespace pathbridge::certs
