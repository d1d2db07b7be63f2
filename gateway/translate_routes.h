// Translation over HTTP, and the dual-enrollment import (docs/api.md,
// "Translation"):
//
//   GET  /formats                          open: the formats and what each carries
//   POST /translate?from=F&to=T[&loss_report=header|zip]
//                                          scope translate; the body is the input
//                                          (a file, or a zip for folder formats)
//   POST /dual-credit/import?[issuer=ORG][&from=F][&to=T][&suite=S][&clr=true]
//                                          scope credentials:issue, as the token's
//                                          organization (or ORG, if it may act for it)
//
// Both POST routes spool their body to a file (RouteOptions::body_to_file),
// do their work on the Translations' own worker threads (never on an io
// thread) in a scratch folder under work_dir, and answer a file the server
// streams and removes: memory stays bounded whatever the input's size. The
// scratch folder is removed whatever happens, client gone or not.
// Errors in the input are 422 problems whose detail says where ("input:3:7",
// "input.zip!users.csv:12:4", a JSON pointer); paths on the server never
// appear in answers.
//
// Thread-safety: handlers run on any io thread; jobs run on the workers.
// Translations must outlive the Server that routes to it, and the
// CredentialService must outlive Translations (its destructor finishes the
// queued jobs).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "adapters/zip_folder.h"
#include "gateway/auth/worker_pool.h"
#include "gateway/router.h"
#include "ledger/credentials/issuer.h"

namespace pathbridge::gateway {

struct TranslationOptions {
  std::filesystem::path work_dir = {};  // scratch folders and answers; made if absent
  uint64_t max_input_bytes = uint64_t{2} << 30;
  uint64_t max_transcript_bytes = 16 << 20;
  adapters::UnzipLimits unzip = {};  // folder inputs sent as a zip
  int threads = 2;                   // jobs at once: each holds a record, not a document
  size_t max_queued = 16;            // beyond: 503
};

class Translations {
 public:
  Translations(TranslationOptions options, credentials::CredentialService& issuer);
  ~Translations();  // runs the queued jobs, then joins
  Translations(const Translations&) = delete;
  Translations& operator=(const Translations&) = delete;

  const TranslationOptions& options() const { return options_; }
  credentials::CredentialService& issuer() { return issuer_; }
  // Runs `job` on a worker; false if the queue is full.
  bool Submit(std::function<void()> job) { return workers_.Submit(std::move(job)); }

 private:
  TranslationOptions options_;
  credentials::CredentialService& issuer_;
  auth::WorkerPool workers_;
};

void AddTranslateRoutes(Router& router, Translations& translations);

}  // namespace pathbridge::gateway
