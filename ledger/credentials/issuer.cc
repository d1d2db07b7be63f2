#include "ledger/credentials/issuer.h"

#include <sodium.h>

#include <set>

#include <boost/json.hpp>

#include "certs/org_registry.h"
#include "ledger/credentials/data_integrity.h"
#include "ledger/credentials/jose.h"
#include "ledger/credentials/vc.h"
#include "ledger/credentials/well_formed.h"
#include "ledger/ledger_dir.h"

namespace pathbridge::credentials {

namespace json = boost::json;

namespace {

constexpr StatusPurpose kPurposes[] = {StatusPurpose::kRevocation, StatusPurpose::kSuspension};
constexpr std::string_view kDataIntegrityV1 = "https://w3id.org/security/data-integrity/v1";

// VC 1.1's context does not define the Bitstring Status List terms (VC 2.0's
// does); a VC 1.1 credential gets them inline, as VC 2.0 defines them.
json::object StatusTermsContext() {
  constexpr std::string_view kStatus = "https://www.w3.org/ns/credentials/status#";
  auto term = [&](std::string_view name) { return std::string(kStatus) + std::string(name); };
  json::object entry{{"@protected", true},
                     {"id", "@id"},
                     {"type", "@type"},
                     {"statusListCredential", {{"@id", term("statusListCredential")}, {"@type", "@id"}}},
                     {"statusListIndex", term("statusListIndex")},
                     {"statusPurpose", term("statusPurpose")}};
  return {{"BitstringStatusListEntry",
           {{"@id", term("BitstringStatusListEntry")}, {"@context", std::move(entry)}}}};
}

std::string NewUuidUrn() {
  std::array<uint8_t, 16> b;
  randombytes_buf(b.data(), b.size());
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 9562 variant
  std::string hex = HexEncode(b);
  return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string WholeSeconds(Timestamp t) { return FormatRfc3339({t.seconds, 0}); }

// Open Badges and CLR require the issuer to be a Profile object.
bool UsesOneEdTechContext(const json::object& c) {
  for (const std::string& url : Strings(c.if_contains("@context")))
    if (url.starts_with("https://purl.imsglobal.org/spec/")) return true;
  return false;
}

// Sets the issuer to `did` (named `name` where the credential gives no
// name), refusing a credential that names someone else.
Status SetIssuer(json::object& c, const std::string& did, const std::string& name) {
  json::value* issuer = c.if_contains("issuer");
  if (!issuer) {
    c["issuer"] = UsesOneEdTechContext(c)
                      ? json::value{{"id", did}, {"type", json::array{"Profile"}}, {"name", name}}
                      : json::value(did);
    return Status::Ok();
  }
  json::value* id = issuer->is_object() ? issuer->as_object().if_contains("id") : issuer;
  if (!id) {
    issuer->as_object()["id"] = did;
    if (!issuer->as_object().contains("name")) issuer->as_object()["name"] = name;
    return Status::Ok();
  }
  if (!id->is_string() || id->as_string() != did)
    return InvalidArgument("the credential names another issuer; the organization issues as " + did,
                           "/issuer");
  return Status::Ok();
}

void AddContext(json::object& c, json::value context) {
  json::value& contexts = c["@context"];
  if (!contexts.is_array()) contexts = json::array{contexts};
  for (const json::value& existing : contexts.as_array())
    if (existing == context) return;
  contexts.as_array().push_back(std::move(context));
}

void AddStatus(json::object& c, const std::vector<StatusAllocation>& allocations) {
  json::array entries;
  for (const StatusAllocation& a : allocations)
    entries.push_back(BuildStatusListEntry(a.list_url, a.index, a.purpose));
  if (IsVc11(c)) AddContext(c, StatusTermsContext());
  c["credentialStatus"] = entries.size() == 1 ? entries.front() : json::value(std::move(entries));
}

EntryType EntryTypeOf(const StatusChange& change) {
  if (change.purpose == StatusPurpose::kRevocation) return EntryType::kCredentialRevoked;
  return change.value ? EntryType::kCredentialSuspended : EntryType::kCredentialReinstated;
}

}  // namespace

std::string_view IssueSuiteName(IssueSuite suite) {
  switch (suite) {
    case IssueSuite::kEddsaRdfc2022: return "eddsa-rdfc-2022";
    case IssueSuite::kEddsaJcs2022: return "eddsa-jcs-2022";
    case IssueSuite::kVcJose: return "vc-jose";
  }
  return "eddsa-rdfc-2022";
}

Result<IssueSuite> ParseIssueSuite(std::string_view name) {
  for (IssueSuite s : {IssueSuite::kEddsaRdfc2022, IssueSuite::kEddsaJcs2022, IssueSuite::kVcJose})
    if (IssueSuiteName(s) == name) return s;
  return InvalidArgument("unknown suite \"" + std::string(name) +
                         "\" (eddsa-rdfc-2022, eddsa-jcs-2022 or vc-jose)");
}

// Marks a credential id as being issued for the guard's lifetime.
class CredentialService::InFlight {
 public:
  InFlight(CredentialService& issuer, std::string id) : issuer_(issuer), id_(std::move(id)) {
    std::lock_guard<std::mutex> lock(issuer_.in_flight_mu_);
    acquired_ = issuer_.in_flight_.insert(id_).second;
  }
  ~InFlight() {
    if (!acquired_) return;
    std::lock_guard<std::mutex> lock(issuer_.in_flight_mu_);
    issuer_.in_flight_.erase(id_);
  }
  bool acquired() const { return acquired_; }

 private:
  CredentialService& issuer_;
  std::string id_;
  bool acquired_ = false;
};

CredentialService::CredentialService(std::filesystem::path data_dir, ledger::Log& log,
                                   IssuerOptions options, std::unique_ptr<StatusStore> status,
                                   std::unique_ptr<IssuanceRecords> records)
    : data_dir_(std::move(data_dir)),
      log_(log),
      options_(std::move(options)),
      status_(std::move(status)),
      ledger_(log, options_.receipt_wait),
      records_(std::move(records)) {}

CredentialService::~CredentialService() = default;

Result<std::unique_ptr<CredentialService>> CredentialService::Open(
    const std::filesystem::path& data_dir, ledger::Log& log, IssuerOptions options) {
  PB_ASSIGN_OR_RETURN(auto status, StatusStore::Open(StatusStorePath(data_dir), options.status_store));
  PB_ASSIGN_OR_RETURN(auto records, IssuanceRecords::Open(data_dir));  // under the status store's lock
  std::unique_ptr<CredentialService> issuer(new CredentialService(
      data_dir, log, std::move(options), std::move(status), std::move(records)));
  PB_RETURN_IF_ERROR(issuer->RecoverUnlogged());
  return issuer;
}

Result<CredentialService::Signer> CredentialService::SignerFor(std::string_view org) {
  PB_ASSIGN_OR_RETURN(certs::Organization o, certs::LoadOrganization(data_dir_, org));
  const certs::OrgKey* active = o.ActiveKey();
  if (!active)
    return Status(Code::kFailedPrecondition,
                  "the organization has no active key (all are retired or revoked); rotate it",
                  std::string(org));
  const std::string method = o.MethodUrl(*active);
  {
    std::lock_guard<std::mutex> lock(signers_mu_);
    auto it = signers_.find(org);
    if (it != signers_.end() && it->second.verification_method == method) return it->second;
  }
  // A key new to this service (its first issuance since the service opened,
  // or the first after a rotation): the organization's key events not yet
  // in the log (added, rotated, revoked) are logged before it signs.
  PB_RETURN_IF_ERROR(ledger_.RecordKeyEvents(o).status());
  PB_ASSIGN_OR_RETURN(certs::SigningKey k,
                      certs::ActiveSigningKey(data_dir_, org, options_.passphrase));
  Signer signer{o.name, k.did, k.verification_method, k.key};
  std::lock_guard<std::mutex> lock(signers_mu_);
  signers_.insert_or_assign(std::string(org), signer);
  return signer;
}

Result<json::object> CredentialService::Prepare(const json::object& input, const Signer& signer,
                                               Timestamp now) const {
  if (input.contains("proof")) return InvalidArgument("the credential is already signed", "/proof");
  if (input.contains("credentialStatus"))
    return InvalidArgument("the hub assigns credentialStatus; leave it out", "/credentialStatus");
  json::object c = input;
  PB_RETURN_IF_ERROR(SetIssuer(c, signer.did, signer.name));
  if (!c.contains("id")) c["id"] = NewUuidUrn();
  if (!c.at("id").is_string() || c.at("id").as_string().empty())
    return InvalidArgument("the credential id must be a non-empty string", "/id");
  const char* from = IsVc11(c) ? "issuanceDate" : "validFrom";
  if (!c.contains(from)) c[from] = WholeSeconds(now);
  if (IsVc11(c)) AddContext(c, json::string(kDataIntegrityV1));
  PB_RETURN_IF_ERROR(CheckWellFormed(c, jsonld::BundledLoader::Instance()));
  return c;
}

Result<SignedCredential> CredentialService::Sign(const json::object& credential, const Signer& signer,
                                                IssueSuite suite, Timestamp now) const {
  if (suite == IssueSuite::kVcJose) {
    // The JWT issued-at time is when the key signed (as a proof's `created`);
    // without it a verifier would take validFrom, which may predate the key.
    json::object payload = credential;
    payload["iat"] = now.seconds;
    PB_ASSIGN_OR_RETURN(std::string jws, SignJose(payload, signer.key, signer.verification_method));
    return SignedCredential(CompactJws{std::move(jws)});
  }
  ProofOptions o;
  o.suite = suite == IssueSuite::kEddsaJcs2022 ? Cryptosuite::kEddsaJcs2022 : Cryptosuite::kEddsaRdfc2022;
  o.verification_method = signer.verification_method;
  o.created = WholeSeconds(now);
  PB_ASSIGN_OR_RETURN(json::object signed_credential, AddProof(credential, signer.key, o));
  return SignedCredential(std::move(signed_credential));
}

// Appends the issuances together (their records, with the salts, are
// stored). An entry logged without a checkpoint in time (Unavailable) is
// asked for again: the retry finds it and waits once more.
std::vector<Result<IssuedRecord>> CredentialService::LogIssued(const std::vector<Staged>& staged,
                                                               Timestamp now) {
  auto log = [&](const std::vector<size_t>& which) {
    std::vector<IssueToRecord> items;
    for (size_t i : which) items.push_back({&staged[i].credential, staged[i].slot, staged[i].record.salt});
    return ledger_.RecordIssuedAll(items, WholeSeconds(now));
  };
  std::vector<size_t> all(staged.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::vector<Result<IssuedRecord>> out = log(all);
  std::vector<size_t> again;
  for (size_t i = 0; i < out.size(); ++i)
    if (!out[i].ok() && out[i].status().code() == Code::kUnavailable) again.push_back(i);
  if (again.empty()) return out;
  std::vector<Result<IssuedRecord>> retried = log(again);
  for (size_t k = 0; k < again.size(); ++k) out[again[k]] = std::move(retried[k]);
  return out;
}

// Step 1 of issuing for one credential: prepared, its id held, its salt
// and any status positions of an earlier, unfinished attempt found.
Result<CredentialService::Reserved> CredentialService::Reserve(const json::object& unsigned_credential,
                                                               std::string_view org,
                                                               const Signer& signer, Timestamp now) {
  Reserved r;
  PB_ASSIGN_OR_RETURN(r.credential, Prepare(unsigned_credential, signer, now));
  r.id = std::string(r.credential.at("id").as_string());
  r.guard = std::make_unique<InFlight>(*this, r.id);
  if (!r.guard->acquired())
    return Status(Code::kAlreadyExists, "this credential id is being issued right now", r.id);
  PB_ASSIGN_OR_RETURN(auto earlier, records_->Get(r.id));
  if (earlier && earlier->ledger_index)
    return Status(Code::kAlreadyExists, "a credential with this id was already issued", r.id);
  // A retry keeps its salt: the ledger may already hold its commitment.
  r.record = {std::string(org), earlier ? earlier->salt : NewSalt(), std::nullopt};
  r.recorded = earlier.has_value();
  auto existing = status_->Lookup(r.id);
  if (!existing.ok() && existing.status().code() != Code::kNotFound) return existing.status();
  if (!existing.ok()) return r;
  for (const StatusAllocation& a : *existing) {
    auto loc = ParseListUrl(options_.hub_base_url, a.list_url);
    if (!loc.ok() || loc->org != org)
      return Status(Code::kAlreadyExists, "this credential id is in use by another organization", r.id);
  }
  r.allocations = std::move(*existing);
  return r;
}

// Step 2: the credential with its status entries, signed.
Result<CredentialService::Staged> CredentialService::SignReserved(Reserved r, const Signer& signer,
                                                                  IssueSuite suite, Timestamp now) {
  AddStatus(r.credential, r.allocations);
  PB_ASSIGN_OR_RETURN(SignedCredential signed_credential, Sign(r.credential, signer, suite, now));
  StatusSlot slot{signer.did, r.allocations.front().list_url, r.allocations.front().index};
  return Staged{std::move(r.id), std::move(signed_credential), slot, std::move(r.record), r.recorded,
                std::move(r.guard)};
}

// Steps 1 and 2 of issuing: everything up to, not including, the ledger.
Result<std::vector<CredentialService::Staged>> CredentialService::Stage(
    const std::vector<json::object>& unsigned_credentials, std::string_view org,
    const Signer& signer, IssueSuite suite, Timestamp now, bool indexed) {
  auto at = [indexed](const Status& s, size_t i) {
    return indexed ? Status(s.code(), s.message(), "credential " + std::to_string(i) + " " + s.where())
                   : s;
  };
  std::vector<Reserved> reserved;
  std::set<std::string, std::less<>> ids;
  std::vector<std::string> fresh;  // ids without positions yet
  for (size_t i = 0; i < unsigned_credentials.size(); ++i) {
    Result<Reserved> r = Reserve(unsigned_credentials[i], org, signer, now);
    if (!r.ok()) return at(r.status(), i);
    if (!ids.insert(r->id).second)
      return Status(Code::kInvalidArgument, "the batch names this credential id twice", r->id);
    if (r->allocations.empty()) fresh.push_back(r->id);
    reserved.push_back(std::move(*r));
  }
  // One transaction (one disk sync) for the whole batch's positions.
  std::vector<std::vector<StatusAllocation>> allocated;
  if (!fresh.empty()) {
    PB_ASSIGN_OR_RETURN(allocated, status_->AllocateAll(fresh, org, kPurposes,
                                                        StatusBaseUrl(options_.hub_base_url)));
  }
  std::set<std::string, std::less<>> published;
  std::vector<Staged> staged;
  size_t next = 0;
  for (size_t i = 0; i < reserved.size(); ++i) {
    Reserved& r = reserved[i];
    if (r.allocations.empty()) r.allocations = std::move(allocated[next++]);
    for (const StatusAllocation& a : r.allocations)
      if (published.insert(a.list_url).second) PB_RETURN_IF_ERROR(PublishIfMissing(a.list_url, now));
    Result<Staged> s = SignReserved(std::move(r), signer, suite, now);
    if (!s.ok()) return at(s.status(), i);
    staged.push_back(std::move(*s));
  }
  return staged;
}

Result<IssuedCredential> CredentialService::Issue(const json::object& unsigned_credential,
                                                 std::string_view org, IssueSuite suite,
                                                 Timestamp now) {
  PB_ASSIGN_OR_RETURN(std::vector<IssuedCredential> one,
                      IssueAll({unsigned_credential}, org, suite, now, /*indexed=*/false));
  return std::move(one.front());
}

Result<std::vector<IssuedCredential>> CredentialService::IssueBatch(
    const std::vector<json::object>& unsigned_credentials, std::string_view org, IssueSuite suite,
    Timestamp now) {
  return IssueAll(unsigned_credentials, org, suite, now, /*indexed=*/true);
}

Result<std::vector<IssuedCredential>> CredentialService::IssueAll(
    const std::vector<json::object>& unsigned_credentials, std::string_view org, IssueSuite suite,
    Timestamp now, bool indexed) {
  PB_ASSIGN_OR_RETURN(Signer signer, SignerFor(org));
  PB_ASSIGN_OR_RETURN(std::vector<Staged> staged,
                      Stage(unsigned_credentials, org, signer, suite, now, indexed));
  // The salts are stored (one transaction) before the ledger entries are
  // made, so that a retry after a crash reproduces the same commitments.
  std::vector<std::pair<std::string, IssuanceRecord>> records;
  for (const Staged& s : staged)
    if (!s.recorded) records.emplace_back(s.id, s.record);
  PB_RETURN_IF_ERROR(records_->PutAll(records));
  std::vector<Result<IssuedRecord>> logged = LogIssued(staged, now);
  std::vector<IssuedCredential> out;
  Status first_error;
  records.clear();
  for (size_t i = 0; i < staged.size(); ++i) {
    Result<IssuedRecord>& r = logged[i];
    if (!r.ok()) {
      if (first_error.ok()) first_error = r.status();
      continue;
    }
    staged[i].record.ledger_index = r->index;
    records.emplace_back(staged[i].id, staged[i].record);
    out.push_back({staged[i].id, std::move(staged[i].credential), std::move(r->receipt)});
  }
  // What was logged is marked so (one transaction), even if another failed.
  Status marked = records_->PutAll(records);
  if (!first_error.ok()) return first_error;
  if (!marked.ok()) return marked;
  return out;
}

// Appends a status change to the ledger and marks it logged in the store.
Result<uint64_t> CredentialService::LogChange(const StatusChange& change) {
  PB_ASSIGN_OR_RETURN(ListLocation loc, ParseListUrl(options_.hub_base_url, change.list_url));
  PB_ASSIGN_OR_RETURN(Signer signer, SignerFor(loc.org));
  StatusSlot slot{signer.did, change.list_url, change.index};
  std::string time = FormatRfc3339({change.time.time_since_epoch().count(), 0});
  PB_ASSIGN_OR_RETURN(ledger::AppendResult appended,
                      ledger_.RecordStatusChange(EntryTypeOf(change), slot, time));
  PB_RETURN_IF_ERROR(status_->MarkLogged(change.seq));
  return appended.index;
}

Result<StatusUpdate> CredentialService::ChangeStatus(std::string_view credential_id,
                                                    StatusAction action, Timestamp now) {
  Result<StatusChange> change = action == StatusAction::kRevoke    ? status_->Revoke(credential_id)
                                : action == StatusAction::kSuspend ? status_->Suspend(credential_id)
                                                                   : status_->Reinstate(credential_id);
  if (!change.ok()) return change.status();
  PB_ASSIGN_OR_RETURN(uint64_t index, LogChange(*change));
  PB_RETURN_IF_ERROR(Publish(change->list_url, now));
  return StatusUpdate{index, change->list_url};
}

Status CredentialService::RecoverUnlogged() {
  PB_ASSIGN_OR_RETURN(std::vector<StatusChange> changes, status_->UnloggedChanges());
  Timestamp now = Now();
  for (const StatusChange& change : changes) {
    PB_RETURN_IF_ERROR(LogChange(change).status());
    PB_RETURN_IF_ERROR(Publish(change.list_url, now));
  }
  return Status::Ok();
}

Status CredentialService::Publish(const std::string& list_url, Timestamp now) {
  std::lock_guard<std::mutex> lock(publish_mu_);
  PB_ASSIGN_OR_RETURN(ListLocation loc, ParseListUrl(options_.hub_base_url, list_url));
  PB_ASSIGN_OR_RETURN(StatusListSnapshot list, status_->GetList(loc.org, loc.purpose, loc.number));
  PB_ASSIGN_OR_RETURN(Signer signer, SignerFor(loc.org));
  StatusListCredentialInfo info;
  info.list_url = list_url;
  info.issuer = signer.did;
  info.valid_from = std::chrono::sys_seconds(std::chrono::seconds(now.seconds));
  info.purpose = loc.purpose;
  PB_ASSIGN_OR_RETURN(json::object unsigned_list, BuildStatusListCredential(info, list.bits));
  ProofOptions o;
  o.verification_method = signer.verification_method;
  o.created = WholeSeconds(now);
  PB_ASSIGN_OR_RETURN(json::object signed_list, AddProof(unsigned_list, signer.key, o));
  std::filesystem::path file = ListFile(data_dir_, loc);
  PB_RETURN_IF_ERROR(ledger::MakePrivateDir(file.parent_path()));
  return certs::WriteFileAtomically(file, json::serialize(signed_list), 0644);
}

Status CredentialService::PublishIfMissing(const std::string& list_url, Timestamp now) {
  PB_ASSIGN_OR_RETURN(ListLocation loc, ParseListUrl(options_.hub_base_url, list_url));
  if (std::filesystem::exists(ListFile(data_dir_, loc))) return Status::Ok();
  return Publish(list_url, now);
}

Result<CredentialService::IssuedStatus> CredentialService::StatusOf(
    std::string_view credential_id) {
  PB_ASSIGN_OR_RETURN(auto record, records_->Get(credential_id));
  if (!record || !record->ledger_index)
    return NotFound("no credential with this id was issued here", std::string(credential_id));
  PB_ASSIGN_OR_RETURN(std::vector<StatusAllocation> entries, status_->Lookup(credential_id));
  return IssuedStatus{record->org, std::move(entries)};
}

Result<Receipt> CredentialService::ReceiptFor(std::string_view credential_id) {
  return ReceiptForIssued(*records_, log_, credential_id, options_.receipt_wait);
}

}  // namespace pathbridge::credentials
