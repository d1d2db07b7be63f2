// BundledLoader: serves the embedded contexts after checking each against
// the SHA-256 pinned when it was embedded.
#include <openssl/evp.h>

#include <array>

#include "standards/encoding.h"
#include "standards/jsonld.h"
#include "standards/jsonld/bundled_contexts.h"

namespace pathbridge::jsonld {

struct BundledLoader::Entry {
  std::string url;
  boost::json::value doc;
  Status status;  // not ok: the embedded bytes are unusable
};

namespace {

std::string Sha256Hex(const unsigned char* data, size_t size) {
  std::array<uint8_t, 32> digest{};
  unsigned int len = 0;
  if (EVP_Digest(data, size, digest.data(), &len, EVP_sha256(), nullptr) != 1 || len != 32)
    return {};
  return HexEncode(digest);
}

}  // namespace

BundledLoader::BundledLoader() {
  for (size_t i = 0; i < internal::kBundledContextCount; ++i) {
    const internal::BundledContext& c = internal::kBundledContexts[i];
    Entry e{c.url, nullptr, Status::Ok()};
    std::string where = std::string("standards/contexts/") + c.file;
    if (Sha256Hex(c.data, c.size) != c.sha256) {
      e.status = Corruption("embedded context does not match its pinned SHA-256", where);
    } else {
      boost::json::error_code ec;
      boost::json::parse_options opts;
      opts.max_depth = 256;
      e.doc = boost::json::parse(
          std::string_view(reinterpret_cast<const char*>(c.data), c.size), ec, {}, opts);
      if (ec) e.status = Corruption("embedded context is not JSON: " + ec.message(), where);
    }
    entries_.push_back(std::move(e));
  }
}

BundledLoader::~BundledLoader() = default;

const BundledLoader& BundledLoader::Instance() {
  static const BundledLoader* const instance = new BundledLoader();
  return *instance;
}

Result<const boost::json::value*> BundledLoader::Load(std::string_view url) const {
  for (const Entry& e : entries_) {
    if (e.url != url) continue;
    if (!e.status.ok()) return e.status;
    return &e.doc;
  }
  return NotFound("context " + std::string(url) +
                  " is not bundled (contexts are never fetched; see standards/contexts/)");
}

std::vector<std::string> BundledLoader::Urls() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) out.push_back(e.url);
  return out;
}

}  // namespace pathbridge::jsonld
