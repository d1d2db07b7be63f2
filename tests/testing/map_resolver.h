// A KeyResolver over a fixed map (verification method URL -> Ed25519 key),
// for tests of the proof suites: the W3C and 1EdTech vectors name keys such
// as https://example.edu/issuers/565049#z6Mk... that no real resolver knows.
//
// Thread-safety: fill it first; Resolve is then safe from many threads.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "certs/key_resolver.h"

namespace pathbridge::testing {

class MapResolver final : public certs::KeyResolver {
 public:
  // Adds `key` as `id` (controller: the URL before '#'), listed under
  // `relationships`; the returned record can be edited (validity times).
  certs::VerificationMethod& Add(const std::string& id, const certs::Ed25519PublicKey& key,
                                 std::vector<std::string> relationships = {"assertionMethod"}) {
    certs::VerificationMethod& m = methods_[id];
    m.id = id;
    m.controller = id.substr(0, id.find('#'));
    m.public_key = key;
    m.relationships = std::move(relationships);
    m.source = "test map";
    return m;
  }

  Result<certs::VerificationMethod> Resolve(std::string_view url) const override {
    auto it = methods_.find(url);
    if (it == methods_.end()) return NotFound("not in the test map", std::string(url));
    return it->second;
  }

 private:
  std::map<std::string, certs::VerificationMethod, std::less<>> methods_;
};

}  // namespace pathbridge::testing
