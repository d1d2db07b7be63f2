#include "gateway/ledger_routes.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "gateway/auth/scopes.h"
#include "gateway/problem.h"
#include "ledger/tiles.h"
#include "ledger/verifier.h"

namespace pathbridge::gateway {
namespace {

using ledger::Hash;
using ledger::Log;

constexpr char kImmutable[] = "public, max-age=31536000, immutable";
// Partial tiles never change but may be dropped once their tile is full.
constexpr char kPartialTile[] = "public, max-age=60";

// Most routes answer at once: a body or a Status, turned into a problem.
using SyncHandler = std::function<Result<Response>(const Request&)>;

Handler Sync(SyncHandler fn) {
  return [fn = std::move(fn)](const Request& request, Reply reply) {
    Result<Response> r = fn(request);
    reply(r.ok() ? std::move(r).value() : ProblemFromStatus(r.status(), request.request_id));
  };
}

Response Json(int status, const boost::json::object& body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = boost::json::serialize(body);
  return r;
}

boost::json::array HashArray(const std::vector<Hash>& hashes) {
  boost::json::array out;
  out.reserve(hashes.size());
  for (const Hash& h : hashes) out.emplace_back(Base64Encode(ledger::AsBytes(h)));
  return out;
}

Result<uint64_t> QueryNumber(const Request& request, const std::string& name) {
  auto it = request.query.find(name);
  if (it == request.query.end())
    return InvalidArgument("missing query parameter " + name, name);
  return ParseDecimal(it->second, name);
}

Result<Response> GetCheckpoint(const Log& log) {
  auto cp = log.LatestCheckpoint();
  if (!cp) return Status(Code::kUnavailable, "no checkpoint is published yet");
  Response r = TextResponse(200, cp->note);
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

Result<Response> GetTile(const Log& log, const Request& request) {
  PB_ASSIGN_OR_RETURN(ledger::TilePath path,
                      ledger::ParseTilePath("tile/" + request.params.at("path")));
  PB_ASSIGN_OR_RETURN(Bytes bytes, log.ReadTile(path));
  Response r;
  r.content_type = "application/octet-stream";
  r.body.assign(bytes.begin(), bytes.end());
  r.headers.emplace_back("Cache-Control", path.partial() ? kPartialTile : kImmutable);
  return r;
}

Result<Response> GetInclusion(const Log& log, const Request& request) {
  PB_ASSIGN_OR_RETURN(uint64_t index, QueryNumber(request, "index"));
  PB_ASSIGN_OR_RETURN(uint64_t size, QueryNumber(request, "size"));
  if (index >= size) return InvalidArgument("index must be less than size", "index");
  PB_ASSIGN_OR_RETURN(auto proof, log.InclusionProof(index, size));
  PB_ASSIGN_OR_RETURN(Hash leaf, log.LeafHash(index));
  return Json(200, {{"index", index},
                    {"size", size},
                    {"leaf_hash", Base64Encode(ledger::AsBytes(leaf))},
                    {"proof", HashArray(proof)}});
}

Result<Response> GetConsistency(const Log& log, const Request& request) {
  PB_ASSIGN_OR_RETURN(uint64_t old_size, QueryNumber(request, "old"));
  PB_ASSIGN_OR_RETURN(uint64_t size, QueryNumber(request, "size"));
  if (old_size == 0) return InvalidArgument("old must be at least 1", "old");
  if (old_size > size) return InvalidArgument("old must not be greater than size", "old");
  PB_ASSIGN_OR_RETURN(auto proof, log.ConsistencyProof(old_size, size));
  return Json(200, {{"old", old_size}, {"size", size}, {"proof", HashArray(proof)}});
}

Result<Response> GetProofFile(const Log& log, const Request& request) {
  PB_ASSIGN_OR_RETURN(uint64_t index, ParseDecimal(request.params.at("index"), "index"));
  auto cp = log.LatestCheckpoint();
  if (!cp || index >= cp->size) {
    if (index < log.Size())  // durable, but the next checkpoint is moments away
      return Status(Code::kUnavailable, "the entry is not in a published checkpoint yet; retry");
    return NotFound("no entry at this index", "index");
  }
  ledger::ProofFile file;
  PB_ASSIGN_OR_RETURN(file.extra, log.ReadEntry(index));
  file.index = index;
  PB_ASSIGN_OR_RETURN(file.proof, log.InclusionProof(index, cp->size));
  file.checkpoint = cp->note;
  Response r = TextResponse(200, ledger::FormatProofFile(file));
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"entry-" + std::to_string(index) + ".tlog-proof\"");
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

Response AppendAnswer(const Result<ledger::AppendResult>& r, const std::string& request_id) {
  if (!r.ok()) {
    // A full queue is the server's load, not the client's size limit.
    std::optional<int> http;
    if (r.status().code() == Code::kResourceExhausted) http = 503;
    return ProblemFromStatus(r.status(), request_id, http);
  }
  return Json(r->duplicate ? 200 : 201, {{"index", r->index},
                                         {"leaf_hash", Base64Encode(ledger::AsBytes(r->leaf_hash))},
                                         {"duplicate", r->duplicate}});
}

// Answers from the sequencer thread once the index is durable; no io thread
// waits for the fsync.
void PostEntry(Log& log, const Request& request, Reply reply) {
  const std::string& id = request.request_id;
  if (request.body.empty()) return reply(Problem(400, "the entry is empty", id));
  if (request.body.size() > ledger::kMaxEntrySize)
    return reply(Problem(413, "an entry is at most 65535 bytes", id));
  if (request.HeaderCount("Idempotency-Key") > 1)
    return reply(Problem(400, "at most one Idempotency-Key header", id));
  std::string identity(request.Header("Idempotency-Key").value_or(""));
  if (request.Header("Idempotency-Key") && identity.empty())
    return reply(Problem(400, "the Idempotency-Key header is empty", id));
  Bytes entry(request.body.begin(), request.body.end());
  log.AppendAsync(std::move(entry), std::move(identity),
                  [reply, id](Result<ledger::AppendResult> r) { reply(AppendAnswer(r, id)); });
}

}  // namespace

void AddLedgerRoutes(Router& router, Log& log) {
  router.Add("GET", "/healthz", Sync([](const Request&) -> Result<Response> {
               Response r = TextResponse(200, "ok");
               r.headers.emplace_back("Cache-Control", "no-store");
               return r;
             }));
  router.Add("GET", "/ledger/checkpoint",
             Sync([&log](const Request&) { return GetCheckpoint(log); }));
  router.Add("GET", "/ledger/tile/{path...}",
             Sync([&log](const Request& r) { return GetTile(log, r); }));
  router.Add("GET", "/ledger/proof/inclusion",
             Sync([&log](const Request& r) { return GetInclusion(log, r); }),
             {.query = {"index", "size"}});
  router.Add("GET", "/ledger/proof/consistency",
             Sync([&log](const Request& r) { return GetConsistency(log, r); }),
             {.query = {"old", "size"}});
  router.Add("GET", "/ledger/entries/{index}/proof",
             Sync([&log](const Request& r) { return GetProofFile(log, r); }));
  router.Add("POST", "/ledger/entries",
             [&log](const Request& r, Reply reply) { PostEntry(log, r, std::move(reply)); },
             {.scope = std::string(auth::kScopeAdmin)});
}

}  // namespace pathbridge::gateway
