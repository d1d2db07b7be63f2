// `pathbridge credential ...`: issue, verify, revoke, suspend, reinstate,
// receipt. The work is the credential service's (ledger/credentials/); this
// file reads arguments and files and prints results. Commands that write
// (issue, status changes, receipt) open the ledger and the status store as
// their only writer, so they refuse while `pathbridge serve` holds them;
// verify only reads.
#include <cstdlib>
#include <iostream>

#include <boost/json.hpp>

#include "gateway/cli_util.h"
#include "ledger/credentials/issuer.h"
#include "ledger/credentials/offline_sources.h"
#include "ledger/credentials/verifier.h"
#include "ledger/ledger_dir.h"
#include "standards/json.h"

namespace pathbridge::gateway {
namespace {

namespace bj = boost::json;
using credentials::CredentialService;

struct CredentialArgs : IssuerArgs {
  bool data_given = false;
  std::string org;
  std::string suite = "eddsa-rdfc-2022";
  std::string receipt;
  std::string trust, docs, now;
  std::string output = "-";
  std::vector<std::string> files;
  std::string credential_id;
};

// A JSON object from text, with errors at file:line:col.
Result<bj::object> ParseObject(const std::string& text, const std::string& path) {
  auto v = json::Parse(text);
  if (!v.ok()) return v.status().WithContext(path);
  if (!v->is_object()) return InvalidArgument("expected a JSON object", path);
  return std::move(v->as_object());
}

// A credential file: a JSON object, or a compact JWS (VC-JOSE).
Result<credentials::SignedCredential> ReadCredential(const std::string& path) {
  PB_ASSIGN_OR_RETURN(std::string text, ReadInput(path));
  auto c = credentials::ParseSignedCredential(text);
  if (!c.ok()) return c.status().WithContext(path);
  return c;
}


int Issue(const CredentialArgs& a) {
  auto suite = credentials::ParseIssueSuite(a.suite);
  if (!suite.ok()) return Fail(suite.status().WithContext("--suite"));
  auto text = ReadInput(a.files.front());
  if (!text.ok()) return Fail(text.status());
  auto input = ParseObject(*text, a.files.front());
  if (!input.ok()) return Fail(input.status());
  return WithIssuer(a, [&](CredentialService& issuer) -> int {
    auto issued = issuer.Issue(*input, a.org, *suite, Now());
    if (!issued.ok()) return Fail(issued.status().WithContext(a.files.front()));
    if (!a.receipt.empty()) {
      Status s = WriteOutput(a.receipt, credentials::FormatReceipt(issued->receipt));
      if (!s.ok()) return Fail(s);
    }
    std::cout << credentials::FormatSignedCredential(issued->credential) << "\n";
    return kExitOk;
  });
}

int ChangeStatus(const CredentialArgs& a, credentials::StatusAction action) {
  return WithIssuer(a, [&](CredentialService& issuer) -> int {
    auto update = issuer.ChangeStatus(a.credential_id, action, Now());
    if (!update.ok()) return Fail(update.status());
    std::cout << bj::serialize(bj::object{{"ledgerIndex", update->ledger_index},
                                              {"statusListCredential", update->list_url}})
              << "\n";
    return kExitOk;
  });
}

int PrintReceipt(const CredentialArgs& a) {
  return WithIssuer(a, [&](CredentialService& issuer) -> int {
    auto receipt = issuer.ReceiptFor(a.credential_id);
    if (!receipt.ok()) return Fail(receipt.status());
    Status s = WriteOutput(a.output, credentials::FormatReceipt(*receipt));
    return s.ok() ? kExitOk : Fail(s);
  });
}

Result<credentials::OfflineSources> LoadSources(const CredentialArgs& a) {
  credentials::OfflineSetup setup;
  if (a.data_given) setup.data_dir = a.data;
  setup.hub_base_url = a.base_url;
  setup.docs = a.docs;
  setup.trust = a.trust;
  return credentials::OfflineSources::Load(setup);
}

Result<Timestamp> NowFromArgs(const CredentialArgs& a) {
  if (a.now.empty()) return Now();
  auto t = ParseRfc3339(a.now);
  if (!t.ok()) return t.status().WithContext("--now");
  return t;
}

int Verify(const CredentialArgs& a) {
  if (!a.receipt.empty() && a.files.size() != 1)
    return Fail(InvalidArgument("--receipt goes with exactly one credential file"));
  auto sources = LoadSources(a);
  if (!sources.ok()) return Fail(sources.status());
  auto now = NowFromArgs(a);
  if (!now.ok()) return Fail(now.status());
  std::optional<credentials::Receipt> receipt;
  if (!a.receipt.empty()) {
    auto text = ReadInput(a.receipt);
    if (!text.ok()) return Fail(text.status());
    auto r = credentials::ParseReceipt(*text);
    if (!r.ok()) return Fail(r.status().WithContext(a.receipt));
    receipt = std::move(*r);
  }
  credentials::VerifyContext context = sources->Context(*now);
  std::optional<credentials::ReceiptTrust> ledger_trust;
  if (receipt) {
    auto trust = sources->ReceiptTrustFor(*receipt);
    if (trust.ok()) ledger_trust = std::move(*trust);  // else: "could not check the receipt"
    context.ledger = ledger_trust ? &*ledger_trust : nullptr;
  }
  int code = kExitOk;
  for (const std::string& file : a.files) {
    auto credential = ReadCredential(file);
    if (!credential.ok()) {
      code = std::max(code, Fail(credential.status()));
      continue;
    }
    credentials::VerificationReport report =
        credentials::Verify(*credential, context, receipt ? &*receipt : nullptr);
    bj::object line{{"file", file}};
    for (auto& kv : report.ToJson()) line.emplace(kv.key(), std::move(kv.value()));
    std::cout << bj::serialize(line) << "\n";
    if (!report.verified()) code = std::max(code, static_cast<int>(kExitFailure));
  }
  return code;
}

}  // namespace

void AddCredentialCommands(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<CredentialArgs>();
  CLI::App* cmd = app.add_subcommand("credential", "Issue, verify and revoke Verifiable Credentials");
  cmd->require_subcommand(1);
  auto add_data = [&](CLI::App* sub) { AddIssuerOptions(sub, a.get()); };

  auto* issue = cmd->add_subcommand("issue", "Sign an unsigned credential as an organization (prints it)");
  add_data(issue);
  issue->add_option("--issuer", a->org, "The issuing organization (slug)")->required();
  issue->add_option("--suite", a->suite, "eddsa-rdfc-2022, eddsa-jcs-2022 or vc-jose")->capture_default_str();
  issue->add_option("--receipt", a->receipt, "Write the ledger receipt to this file");
  issue->add_option("unsigned", a->files, "The unsigned credential (JSON), or -")->required()->expected(1);
  issue->callback([a, exit_code] { *exit_code = Issue(*a); });

  auto* verify = cmd->add_subcommand(
      "verify", "Verify credentials offline; one JSON line per file (exit 0 only if all verify)");
  verify->add_option("--data", a->data, "A hub data directory: its organizations and published status lists")
      ->each([a](const std::string&) { a->data_given = true; });
  verify->add_option("--base-url", a->base_url, "The hub's public base URL")->capture_default_str();
  verify->add_option("--trust", a->trust, "Trust list file: which issuers to trust");
  verify->add_option("--docs", a->docs, "Document map: DID documents, controller documents and status lists by URL");
  verify->add_option("--receipt", a->receipt, "The ledger receipt of the (one) credential");
  verify->add_option("--now", a->now, "Verify as of this RFC 3339 time instead of now");
  verify->add_option("files", a->files, "Credential files (JSON, or a compact JWS)")->required();
  verify->callback([a, exit_code] { *exit_code = Verify(*a); });

  const std::pair<const char*, credentials::StatusAction> actions[] = {
      {"revoke", credentials::StatusAction::kRevoke},
      {"suspend", credentials::StatusAction::kSuspend},
      {"reinstate", credentials::StatusAction::kReinstate}};
  for (const auto& [name, action] : actions) {
    auto* sub = cmd->add_subcommand(name, std::string("Change a credential's status: ") + name +
                                              " (prints the ledger index and the list URL)");
    add_data(sub);
    sub->add_option("credential_id", a->credential_id, "The credential's id")->required();
    sub->callback([a, exit_code, action = action] { *exit_code = ChangeStatus(*a, action); });
  }

  auto* receipt = cmd->add_subcommand("receipt", "A fresh ledger receipt for an issued credential");
  add_data(receipt);
  receipt->add_option("credential_id", a->credential_id, "The credential's id")->required();
  receipt->add_option("-o,--output", a->output, "Output file, or - for standard output")->capture_default_str();
  receipt->callback([a, exit_code] { *exit_code = PrintReceipt(*a); });
}

}  // namespace pathbridge::gateway
