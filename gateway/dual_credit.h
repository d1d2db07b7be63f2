// The dual-enrollment import: a college's transcript in, the district's
// records and the student's signed credentials out.
//
//   1. The transcript (PESC College Transcript XML by default; any format
//      the registry decodes) is decoded whole: one transcript, one unit.
//   2. Its completed courses (course results with credits earned > 0) are
//      marked as dual credit earned at the college (dualCredit, the college
//      as awarding and dual-credit institution, unless the transcript says
//      otherwise).
//   3. Each completed course becomes an unsigned Open Badges 3.0
//      AchievementCredential as the `ob3` adapter writes it (or one CLR 2.0
//      ClrCredential for the transcript as `clr2` does), built in memory.
//   4. The district's records are encoded in its own format (Ed-Fi
//      courseTranscripts with the external institution; for a format
//      without transcript lines but with a gradebook, OneRoster, each
//      completed course as a final-grade result), with the loss report.
//   5. The credentials are issued as a unit (CredentialService::IssueBatch:
//      all signed before any is logged) as the college organization.
//   6. OUT is moved into place: district/ (the records), credentials/<n>.json
//      and receipts/<n>.json, loss-report.json, summary.json.
// A transcript that fails at any step before 5 issues and logs nothing and
// leaves nothing at OUT; the work happens in a temp folder beside OUT.
//
// Thread-safety: ImportDualCredit may run on several threads at once (the
// CredentialService is thread-safe); each call needs its own OUT.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "adapters/translate.h"
#include "ledger/credentials/issuer.h"
#include "standards/status.h"
#include "standards/time.h"

namespace pathbridge::gateway {

struct DualCreditRequest {
  std::filesystem::path transcript;
  std::string from = "pesc-college-xml";
  std::string issuer_org;   // the college's organization slug in the registry
  std::string to = "edfi-json";  // the district's format
  std::filesystem::path output;
  credentials::IssueSuite suite = credentials::IssueSuite::kEddsaRdfc2022;
  bool clr = false;  // one CLR for the transcript instead of a badge per course
};

struct DualCreditResult {
  size_t courses = 0;  // completed courses imported
  std::vector<std::string> credential_ids;
  adapters::LossReport loss;  // transcript -> district format
  boost::json::object ToJson() const;  // summary.json (no PII: ids and counts)
};

Result<DualCreditResult> ImportDualCredit(const DualCreditRequest& request,
                                          credentials::CredentialService& issuer, Timestamp now);

// Steps 1-4 alone (ImportDualCredit runs them first; the benchmark times
// them apart from signing): the district's records written to
// `district_output` (skipped if empty: the credentials alone), and the
// unsigned credentials, ready for IssueBatch as request.issuer_org.
struct DualCreditDraft {
  size_t courses = 0;
  adapters::LossReport loss;
  std::vector<boost::json::object> credentials;
};
Result<DualCreditDraft> DraftDualCredit(const DualCreditRequest& request,
                                        const std::filesystem::path& district_output);

}  // namespace pathbridge::gateway
