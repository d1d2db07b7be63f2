// Fuzzes the controller (DID) document reader and the document map built on
// it, the parsers that read documents operators copy in from elsewhere.
// Beyond "never crash", it checks: every error says where; a document that
// parses, written back with BuildControllerDocument, reads as the same
// usable methods (ids, controllers, keys, relationships, expires, revoked);
// and a document map made from the same JSON resolves each of those methods
// to the same key.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "certs/controller_document.h"
#include "certs/resolvers.h"
#include "standards/json.h"

namespace pathbridge {
namespace {

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "did_document_fuzz invariant broken: %s\n", what);
  std::abort();
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

bool SameMethod(const certs::VerificationMethod& a, const certs::VerificationMethod& b) {
  return a.id == b.id && a.controller == b.controller && a.public_key == b.public_key &&
         Sorted(a.relationships) == Sorted(b.relationships) && a.valid_until == b.valid_until &&
         a.revoked == b.revoked;
}

void CheckRoundTrip(const certs::ControllerDocument& doc) {
  const boost::json::object rebuilt = certs::BuildControllerDocument(doc.id, doc.methods);
  auto again = certs::ParseControllerDocument(rebuilt, "rebuilt:", "fuzz");
  Require(again.ok(), "a rebuilt document does not parse");
  Require(again->unusable.empty(), "a rebuilt document has unusable methods");
  Require(again->methods.size() == doc.methods.size(), "a rebuilt document lost methods");
  for (std::size_t i = 0; i < doc.methods.size(); ++i)
    Require(SameMethod(doc.methods[i], again->methods[i]), "a rebuilt method differs");
}

void FuzzDocument(std::string_view in) {
  auto value = json::Parse(in);
  if (!value.ok()) return;
  auto doc = certs::ParseControllerDocument(*value, "fuzz:", "fuzz");
  if (!doc.ok()) {
    Require(!doc.status().where().empty(), "a document error without a location");
  } else {
    for (const auto& unusable : doc->unusable)
      Require(!unusable.second.ok() && !unusable.second.where().empty(),
              "an unusable method without a located reason");
    CheckRoundTrip(*doc);
  }

  auto map = certs::DocumentMapResolver::FromJson(*value, "fuzz");
  if (!map.ok()) {
    Require(!map.status().where().empty(), "a document map error without a location");
    return;
  }
  if (!doc.ok()) return;
  for (const auto& m : doc->methods) {
    auto resolved = map->Resolve(m.id);
    Require(resolved.ok() && resolved->public_key == m.public_key,
            "the map does not resolve a method of its document");
  }
}

}  // namespace
}  // namespace pathbridge

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pathbridge::FuzzDocument(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
