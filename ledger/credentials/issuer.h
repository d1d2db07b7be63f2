// The hub's credential service: issues W3C Verifiable Credentials (Open
// Badges 3.0 AchievementCredential, CLR 2.0 ClrCredential, any VC 2.0, or
// VC 1.1) for its organizations, changes their status, and publishes the
// status lists; every issuance and status change is recorded in the ledger.
// The gateway and the CLI only wire it: one CredentialService per data
// directory, shared by all request threads.
//
// Issuing (all or nothing, as far as anyone outside can see):
//   1. the unsigned credential gets its issuer (the organization's DID; an
//      issuer object such as OB 3.0's Profile keeps its other members, and
//      an OB or CLR credential without one gets a Profile), an
//      id (urn:uuid, random) if it has none, validFrom (issuanceDate for VC
//      1.1) if absent, and a credentialStatus: one BitstringStatusListEntry
//      for revocation and one for suspension, at positions allocated in the
//      status store;
//   2. it is signed with the organization's active key;
//   3. a salt for its ledger commitment is stored (issuance_records.h);
//   4. a credential.issued entry (no PII: a salted commitment) is appended to
//      the ledger, and the receipt made.
// Only after step 4 is the credential handed out. If signing or the ledger
// fails, the positions stay allocated to the credential id: a retry with the
// same id reuses them (and the salt), and an id never retried leaves an
// orphaned position, which is harmless: no credential carries it, its bit is
// never set, and positions are random, so it tells nobody anything. One
// credential id is issued at most once.
//
// Status changes (revoke is final; suspend and reinstate): the status store
// changes the bit, the change is appended to the ledger, and the list is
// published again: a BitstringStatusListCredential signed eddsa-rdfc-2022
// by the organization, written atomically to DATA/status/<org>/<purpose>/<n>.json
// (published_lists.h). A change that the process did not get to log (a
// crash) is logged and published when the issuer is next opened.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "certs/ed25519.h"
#include "ledger/credentials/credential_ledger.h"
#include "ledger/credentials/issuance_records.h"
#include "ledger/credentials/published_lists.h"
#include "ledger/credentials/status_store.h"
#include "ledger/log.h"
#include "standards/time.h"

namespace pathbridge::credentials {

enum class IssueSuite { kEddsaRdfc2022, kEddsaJcs2022, kVcJose };
// "eddsa-rdfc-2022", "eddsa-jcs-2022", "vc-jose".
std::string_view IssueSuiteName(IssueSuite suite);
Result<IssueSuite> ParseIssueSuite(std::string_view name);

struct IssuerOptions {
  // The hub's public base URL (a hub config value): status lists are
  // published at <hub_base_url>/status/<org>/<purpose>/<n>.
  std::string hub_base_url = std::string(kDefaultHubBaseUrl);
  // Unlocks organization keys stored encrypted (empty: keys are not).
  std::string passphrase;
  StatusStoreOptions status_store;
  std::chrono::milliseconds receipt_wait = kDefaultReceiptWait;
};

struct IssuedCredential {
  std::string id;
  SignedCredential credential;  // an object, or a compact JWS for vc-jose
  Receipt receipt;
};

enum class StatusAction { kRevoke, kSuspend, kReinstate };

struct StatusUpdate {
  uint64_t ledger_index = 0;  // the ledger entry recording the change
  std::string list_url;       // the list now published
};

class CredentialService {
 public:
  // Opens the stores under `data_dir`. `log` is the data directory's ledger,
  // opened by the caller (the server shares its own); it must outlive this.
  // An organization's key events (key.added, .rotated, .revoked) not yet in
  // the log are appended before a key new to the service signs, so the log
  // shows each key before anything it issued.
  static Result<std::unique_ptr<CredentialService>> Open(const std::filesystem::path& data_dir,
                                                        ledger::Log& log,
                                                        IssuerOptions options = {});
  ~CredentialService();

  // kInvalidArgument for an input that is not an unsigned credential (it
  // has a proof or credentialStatus, or names another issuer), kNotFound
  // for an unknown organization, kAlreadyExists for an id issued before.
  Result<IssuedCredential> Issue(const boost::json::object& unsigned_credential,
                                 std::string_view org, IssueSuite suite, Timestamp now);

  // Issues several credentials of one organization as a unit (a transcript's
  // courses): every one is prepared, given its status positions and signed
  // before any is recorded, so input that fails (a malformed credential, an
  // id issued before, an id named twice) issues and logs nothing; the error's
  // where() starts "credential <i>". The entries are then appended together
  // (sharing group commits). A ledger failure part-way is an operational
  // fault, returned as such; retrying the same ids completes the batch.
  Result<std::vector<IssuedCredential>> IssueBatch(
      const std::vector<boost::json::object>& unsigned_credentials, std::string_view org,
      IssueSuite suite, Timestamp now);

  // kNotFound for a credential this hub has no status for;
  // kFailedPrecondition for a change its state does not allow.
  Result<StatusUpdate> ChangeStatus(std::string_view credential_id, StatusAction action,
                                    Timestamp now);

  // Who issued a credential here and its status entries (for deciding who
  // may change them). kNotFound if it was not issued here.
  struct IssuedStatus {
    std::string org;
    std::vector<StatusAllocation> entries;
  };
  Result<IssuedStatus> StatusOf(std::string_view credential_id);

  // A fresh receipt (inclusion under the newest checkpoint) for an issued
  // credential. kNotFound if it was not issued here.
  Result<Receipt> ReceiptFor(std::string_view credential_id);

  const std::string& hub_base_url() const { return options_.hub_base_url; }

 private:
  // An organization's DID and unlocked active key (unlocking a sealed key
  // costs about a second, so it is done once per key).
  struct Signer {
    std::string name;  // the organization's display name
    std::string did;
    std::string verification_method;
    certs::Ed25519Key key;
  };
  class InFlight;
  // A credential signed and holding its status positions, not yet recorded.
  struct Staged {
    std::string id;
    SignedCredential credential;
    StatusSlot slot;
    IssuanceRecord record;  // its salt; ledger_index set once logged
    bool recorded = false;  // an earlier try stored the record (and salt)
    std::unique_ptr<InFlight> guard;  // holds the id until recorded
  };

  CredentialService(std::filesystem::path data_dir, ledger::Log& log, IssuerOptions options,
                   std::unique_ptr<StatusStore> status, std::unique_ptr<IssuanceRecords> records);
  Result<Signer> SignerFor(std::string_view org);
  // A prepared credential holding its id, before positions and signing.
  struct Reserved {
    std::string id;
    boost::json::object credential;
    IssuanceRecord record;
    bool recorded = false;
    std::unique_ptr<InFlight> guard;
    std::vector<StatusAllocation> allocations;  // an earlier attempt's, else empty
  };
  // Steps 1 and 2 for several credentials: errors name "credential <i>"
  // when `indexed`. Status positions are allocated in one transaction.
  Result<std::vector<Staged>> Stage(const std::vector<boost::json::object>& unsigned_credentials,
                                    std::string_view org, const Signer& signer, IssueSuite suite,
                                    Timestamp now, bool indexed);
  Result<Reserved> Reserve(const boost::json::object& unsigned_credential, std::string_view org,
                           const Signer& signer, Timestamp now);
  Result<Staged> SignReserved(Reserved reserved, const Signer& signer, IssueSuite suite,
                              Timestamp now);
  Result<boost::json::object> Prepare(const boost::json::object& input, const Signer& signer,
                                      Timestamp now) const;
  Result<SignedCredential> Sign(const boost::json::object& credential, const Signer& signer,
                                IssueSuite suite, Timestamp now) const;
  Result<std::vector<IssuedCredential>> IssueAll(
      const std::vector<boost::json::object>& unsigned_credentials, std::string_view org,
      IssueSuite suite, Timestamp now, bool indexed);
  // Appends the issuances to the ledger (their records are already stored).
  std::vector<Result<IssuedRecord>> LogIssued(const std::vector<Staged>& staged, Timestamp now);
  Result<uint64_t> LogChange(const StatusChange& change);
  Status Publish(const std::string& list_url, Timestamp now);
  Status PublishIfMissing(const std::string& list_url, Timestamp now);
  Status RecoverUnlogged();

  const std::filesystem::path data_dir_;
  ledger::Log& log_;
  const IssuerOptions options_;
  std::unique_ptr<StatusStore> status_;
  CredentialLedger ledger_;
  std::unique_ptr<IssuanceRecords> records_;

  std::mutex signers_mu_;
  std::map<std::string, Signer, std::less<>> signers_;  // by organization
  std::mutex publish_mu_;  // one list publication at a time, newest state last
  std::mutex in_flight_mu_;
  std::set<std::string, std::less<>> in_flight_;  // credential ids being issued
};

}  // namespace pathbridge::credentials
