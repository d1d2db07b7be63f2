#include "ledger/credentials/offline_sources.h"

#include "certs/json_file.h"
#include "certs/org_registry.h"
#include "certs/resolvers.h"
#include "ledger/checkpoint.h"
#include "ledger/credentials/vc.h"
#include "ledger/ledger_dir.h"
#include "ledger/verifier.h"

namespace pathbridge::credentials {

namespace fs = std::filesystem;
namespace bj = boost::json;

namespace {

constexpr std::size_t kMaxDocumentMapFile = 4u << 20;  // as certs/resolvers.cc reads them

// Adds the status list credentials among a document map file's documents
// (one document with an id, or an object mapping ids to documents).
void CollectLists(const bj::value& file, std::map<std::string, bj::object, std::less<>>& out) {
  auto take = [&](const bj::value& doc) {
    const bj::object* o = doc.if_object();
    const bj::value* id = o ? o->if_contains("id") : nullptr;
    if (id && id->is_string() && HasType(*o, "BitstringStatusListCredential"))
      out.emplace(std::string(id->as_string()), *o);
  };
  const bj::object* o = file.if_object();
  if (!o) return;
  if (o->contains("id")) return take(file);
  for (const auto& kv : *o) take(kv.value());
}

Result<std::shared_ptr<const certs::KeyResolver>> Keys(const OfflineSetup& setup) {
  std::vector<std::shared_ptr<const certs::KeyResolver>> chain;
  if (!setup.data_dir.empty()) {  // before did:key, so the registry's key windows apply
    PB_ASSIGN_OR_RETURN(auto orgs, certs::ListOrganizations(setup.data_dir));
    PB_ASSIGN_OR_RETURN(auto registry, certs::MakeOrgRegistryResolver(orgs));
    chain.push_back(std::make_shared<certs::DocumentMapResolver>(std::move(registry)));
  }
  chain.push_back(std::make_shared<certs::DidKeyResolver>());
  if (!setup.docs.empty()) {
    PB_ASSIGN_OR_RETURN(auto docs, certs::DocumentMapResolver::Load(setup.docs));
    chain.push_back(std::make_shared<certs::DocumentMapResolver>(std::move(docs)));
  }
  return std::shared_ptr<const certs::KeyResolver>(
      std::make_shared<certs::ChainResolver>(std::move(chain)));
}

Result<std::shared_ptr<const StatusListSource>> StatusLists(const OfflineSetup& setup) {
  std::vector<std::shared_ptr<const StatusListSource>> chain;
  if (!setup.data_dir.empty())
    chain.push_back(std::make_shared<PublishedStatusListSource>(setup.data_dir, setup.hub_base_url));
  if (!setup.docs.empty()) {
    PB_ASSIGN_OR_RETURN(auto lists, LoadStatusListsFromDocumentMap(setup.docs));
    chain.push_back(std::make_shared<MapStatusListSource>(std::move(lists)));
  }
  return std::shared_ptr<const StatusListSource>(
      std::make_shared<ChainStatusListSource>(std::move(chain)));
}

// The size of the checkpoint a receipt's proof stands on.
Result<uint64_t> ReceiptCheckpointSize(const Receipt& receipt) {
  PB_ASSIGN_OR_RETURN(ledger::ProofFile file, ledger::ParseProofFile(receipt.proof));
  PB_ASSIGN_OR_RETURN(ledger::Note note, ledger::ParseNote(file.checkpoint));
  PB_ASSIGN_OR_RETURN(ledger::Checkpoint cp, ledger::ParseCheckpoint(note.text));
  return cp.size;
}

}  // namespace

Result<MapStatusListSource> LoadStatusListsFromDocumentMap(const fs::path& path) {
  std::map<std::string, bj::object, std::less<>> lists;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    PB_ASSIGN_OR_RETURN(bj::value file, certs::ReadJsonFile(path, kMaxDocumentMapFile));
    CollectLists(file, lists);
    return MapStatusListSource(std::move(lists));
  }
  for (const auto& e : fs::directory_iterator(path, ec)) {
    if (e.path().extension() != ".json" || !e.is_regular_file()) continue;
    PB_ASSIGN_OR_RETURN(bj::value file, certs::ReadJsonFile(e.path(), kMaxDocumentMapFile));
    CollectLists(file, lists);
  }
  if (ec) return IoError(ec.message(), path.string());
  return MapStatusListSource(std::move(lists));
}

Result<OfflineSources> OfflineSources::Load(const OfflineSetup& setup) {
  OfflineSources s;
  s.data_dir_ = setup.data_dir;
  PB_ASSIGN_OR_RETURN(s.keys_, Keys(setup));
  PB_ASSIGN_OR_RETURN(s.status_lists_, StatusLists(setup));
  if (!setup.trust.empty()) {
    PB_ASSIGN_OR_RETURN(certs::TrustRegistry trust, certs::LoadTrustRegistry(setup.trust));
    s.trust_ = std::make_shared<const certs::TrustRegistry>(std::move(trust));
  }
  return s;
}

VerifyContext OfflineSources::Context(Timestamp now) const {
  VerifyContext ctx;
  ctx.keys = keys_.get();
  ctx.status_lists = status_lists_.get();
  ctx.trust = trust_.get();
  ctx.now = now;
  return ctx;
}

Result<ReceiptTrust> OfflineSources::ReceiptTrustFor(const Receipt& receipt) const {
  if (data_dir_.empty())
    return NotFound("no ledger key: give the hub's data directory to check receipts");
  ReceiptTrust trust;
  PB_ASSIGN_OR_RETURN(ledger::NoteVerifier key, ledger::LoadLogVerifier(data_dir_));
  trust.ledger_keys.push_back(std::move(key));
  PB_ASSIGN_OR_RETURN(auto storage, ledger::OpenLedgerStorageForReading(data_dir_));
  PB_ASSIGN_OR_RETURN(auto newest, storage->LatestCheckpoint());
  auto size = ReceiptCheckpointSize(receipt);
  if (!newest || !size.ok() || *size == 0 || *size > newest->size) return trust;
  KnownCheckpoint known{newest->note, {}};
  if (*size < newest->size) {
    PB_ASSIGN_OR_RETURN(known.consistency_proof,
                        ledger::BuildConsistencyProof(*size, newest->size, ledger::StorageNodes(*storage)));
  }
  trust.known = std::move(known);
  return trust;
}

}  // namespace pathbridge::credentials
