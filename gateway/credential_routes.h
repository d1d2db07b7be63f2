// The W3C VC API routes of the gateway (https://w3c-ccg.github.io/vc-api/),
// over the hub's credential service and its offline verification sources:
//
//   POST /credentials/issue          scope credentials:issue; as the token's organization
//   POST /credentials/status         scope credentials:status; the issuing organization only
//   GET  /credentials/{id}/receipt   scope credentials:issue; the issuing organization only
//   POST /credentials/verify         open, rate limited
//   POST /presentations/verify       open, rate limited
//   GET  /status/{org}/{purpose}/{n} open: a published BitstringStatusListCredential
//   GET  /orgs/{org}/did.json        open: a did:web organization's DID document
//
// A client acts for its own organization only (auth::RequireOrg; the admin
// scope acts for any). Verification answers 200 only when the credential
// verified, else a 422 problem carrying every check. Issuing (waiting for a
// checkpoint), status changes, presentations and large credentials run on
// the CredentialApi's worker threads, never on the server's io threads; a
// credential of up to 64 KiB is verified on the io thread that read it (a
// hand-off would cost a fifth as much again). docs/api.md has the request
// and response shapes.
//
// Thread-safety: the handlers may run on any number of threads at once. The
// CredentialApi must outlive the Server using its routes.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "gateway/auth/worker_pool.h"
#include "gateway/router.h"
#include "ledger/credentials/credential_ledger.h"
#include "ledger/credentials/issuer.h"
#include "ledger/credentials/offline_sources.h"
#include "ledger/credentials/verification_report.h"
#include "ledger/log.h"

namespace pathbridge::gateway {

struct CredentialApiOptions {
  credentials::IssuerOptions issuer;  // hub_base_url, key passphrase
  // Blocking work: issuing waits for a checkpoint (tens of ms), verifying
  // an rdfc proof costs milliseconds of CPU.
  int threads = 2;
  size_t max_queued = 256;  // beyond this, 503
  // The organizations' keys are read again at most this often, so an
  // organization added or a key rotated while the server runs verifies.
  std::chrono::seconds sources_refresh{5};
  // Told each verification's report (metrics); called on a worker thread.
  std::function<void(const credentials::VerificationReport&)> on_verified;
};

class CredentialApi {
 public:
  // Opens the credential service of `data_dir` over `log` (the server's
  // own ledger; it must outlive this) and the hub's verification sources.
  static Result<std::unique_ptr<CredentialApi>> Open(const std::filesystem::path& data_dir,
                                                     ledger::Log& log,
                                                     CredentialApiOptions options = {});

  credentials::CredentialService& service() { return *service_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::string& hub_base_url() const { return options_.issuer.hub_base_url; }
  void Verified(const credentials::VerificationReport& report) const {
    if (options_.on_verified) options_.on_verified(report);
  }
  // The verification sources, reloaded when older than sources_refresh (a
  // failed reload keeps the previous ones). A reload also logs the key
  // changes made with `pathbridge org` since the last one (the server holds
  // the ledger, so the command cannot).
  Result<std::shared_ptr<const credentials::OfflineSources>> Sources();
  // True when Sources() would answer without reloading.
  bool SourcesFresh();
  // Runs `task` on a worker; false (and the task dropped) when the queue is full.
  bool Submit(std::function<void()> task) { return workers_.Submit(std::move(task)); }

 private:
  CredentialApi(std::filesystem::path data_dir, ledger::Log& log, CredentialApiOptions options,
                std::unique_ptr<credentials::CredentialService> service);
  void LogKeyChanges();  // under sources_mu_
  // Whether the sources loaded are younger than sources_refresh; under sources_mu_.
  bool FreshAt(std::chrono::steady_clock::time_point now) const;

  const std::filesystem::path data_dir_;
  const CredentialApiOptions options_;
  std::unique_ptr<credentials::CredentialService> service_;
  std::mutex sources_mu_;
  std::shared_ptr<const credentials::OfflineSources> sources_;
  std::chrono::steady_clock::time_point sources_loaded_{};
  credentials::CredentialLedger key_events_;
  std::string keys_logged_;  // the registry's keys as last logged
  // Last, so destroyed first: queued work finishes while what it uses lives.
  auth::WorkerPool workers_;
};

void AddCredentialRoutes(Router& router, CredentialApi& api);

}  // namespace pathbridge::gateway
