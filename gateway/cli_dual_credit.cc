// `pathbridge dual-credit import`: a college transcript in, the district's
// records and the student's signed, logged credentials out (dual_credit.h).
#include <iostream>

#include <boost/json.hpp>

#include "adapters/registry.h"
#include "gateway/cli_util.h"
#include "gateway/dual_credit.h"

namespace pathbridge::gateway {
namespace {

struct DualCreditArgs : IssuerArgs {
  DualCreditRequest request;
  std::string transcript, output, suite = "eddsa-rdfc-2022";
};

int Import(DualCreditArgs& a) {
  auto suite = credentials::ParseIssueSuite(a.suite);
  if (!suite.ok()) return Fail(suite.status().WithContext("--suite"));
  a.request.suite = *suite;
  a.request.transcript = a.transcript;
  a.request.output = a.output;
  for (const std::string& format : {a.request.from, a.request.to}) {
    auto found = adapters::FindAdapter(format);
    if (!found.ok()) return Fail(found.status());
  }
  return WithIssuer(a, [&](credentials::CredentialService& issuer) -> int {
    auto result = ImportDualCredit(a.request, issuer, Now());
    if (!result.ok()) return Fail(result.status());
    boost::json::object summary = result->ToJson();
    summary["output"] = a.output;
    std::cout << boost::json::serialize(summary) << "\n";
    return kExitOk;
  });
}

}  // namespace

void AddDualCreditCommands(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<DualCreditArgs>();
  auto* cmd = app.add_subcommand("dual-credit", "The dual-enrollment flow: college transcripts to district records and credentials");
  cmd->require_subcommand(1);
  auto* import = cmd->add_subcommand(
      "import",
      "Issue a signed credential per completed college course (or one CLR) and write the district's import");
  AddIssuerOptions(import, a.get());
  import->add_option("--issuer", a->request.issuer_org, "The college's organization (slug)")->required();
  import->add_option("--from", a->request.from, "The transcript's format")->capture_default_str();
  import->add_option("--to", a->request.to, "The district's format (edfi-json, oneroster-csv, ...)")
      ->capture_default_str();
  import->add_option("--suite", a->suite, "eddsa-rdfc-2022, eddsa-jcs-2022 or vc-jose")->capture_default_str();
  import->add_flag("--clr", a->request.clr, "One CLR 2.0 credential for the transcript instead of a badge per course");
  import->add_option("transcript", a->transcript, "The college transcript")->required();
  import->add_option("output", a->output, "Output folder (must not exist, or be empty)")->required();
  import->callback([a, exit_code] { *exit_code = Import(*a); });
}

}  // namespace pathbridge::gateway
