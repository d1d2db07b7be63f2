// What a verifier knows without the network, gathered once for the CLI's
// `credential verify` and the gateway's POST /credentials/verify:
//   keys          did:key always; DIDs and https controllers from a document
//                 map (--docs: a JSON file or a directory, see
//                 certs/resolvers.h); the hub's own organizations (--data)
//   status lists  the hub's published lists (--data, published_lists.h) and
//                 BitstringStatusListCredentials in the document map
//   ledger        the hub's ledger key and newest checkpoint (--data), to
//                 check receipts against (ReceiptTrustFor)
//   trust         a trust list file (--trust); without one there is no trust
//                 check
// The hub's data directory is only read: a running server may hold it.
//
// Thread-safety: immutable after Load; Context may be called from many
// threads, and the contexts it returns used concurrently.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "certs/key_resolver.h"
#include "certs/trust_registry.h"
#include "ledger/credentials/published_lists.h"
#include "ledger/credentials/verifier.h"

namespace pathbridge::credentials {

struct OfflineSetup {
  std::filesystem::path data_dir;  // empty: no hub
  std::string hub_base_url = std::string(kDefaultHubBaseUrl);
  std::filesystem::path docs;   // empty: no document map
  std::filesystem::path trust;  // empty: no trust list
};

// The BitstringStatusListCredentials among the documents of a document map
// (a file mapping ids to documents, one document, or a directory of them).
Result<MapStatusListSource> LoadStatusListsFromDocumentMap(const std::filesystem::path& path);

class OfflineSources {
 public:
  static Result<OfflineSources> Load(const OfflineSetup& setup);
  // A context for verifying as of `now`; it points into this object.
  VerifyContext Context(Timestamp now) const;
  // What a receipt is checked against: the hub's ledger key, and its newest
  // checkpoint with the consistency proof from the receipt's checkpoint.
  // kNotFound without a data directory.
  Result<ReceiptTrust> ReceiptTrustFor(const Receipt& receipt) const;

 private:
  std::filesystem::path data_dir_;
  std::shared_ptr<const certs::KeyResolver> keys_;
  std::shared_ptr<const StatusListSource> status_lists_;
  std::shared_ptr<const certs::TrustRegistry> trust_;
};

}  // namespace pathbridge::credentials
