// `pathbridge org ...`: add, key, rotate, revoke, list — the issuing
// organizations under DATA/orgs (certs/org_registry.h). A passphrase for the
// secret keys comes from an environment variable named with
// --passphrase-env, never from the command line, which other users of the
// machine can read.
#include <algorithm>
#include <cstdlib>
#include <iostream>

#include <boost/json.hpp>

#include "certs/multikey.h"
#include "certs/org_registry.h"
#include "gateway/cli_util.h"
#include "ledger/credentials/credential_ledger.h"
#include "ledger/ledger_dir.h"

namespace pathbridge::gateway {
namespace {

namespace json = boost::json;

struct OrgArgs {
  std::string data = "./var";
  std::string org;
  std::string name;
  std::string did = "web";
  std::string web_host = std::string(certs::kDefaultWebHost);
  std::string passphrase_env;
  std::string key_id;
  std::string at;
  bool document = false;
};

// The passphrase, read in place from the environment ("" without --passphrase-env).
Result<std::string_view> Passphrase(const OrgArgs& a) {
  if (a.passphrase_env.empty()) return std::string_view();
  const char* value = std::getenv(a.passphrase_env.c_str());
  if (value == nullptr || *value == '\0')
    return InvalidArgument("environment variable " + a.passphrase_env + " is not set or empty",
                           "--passphrase-env");
  return std::string_view(value);
}

// org.json records times to the second.
Timestamp NowToTheSecond() { return {Now().seconds, 0}; }

json::object KeyJson(const certs::Organization& org, const certs::OrgKey& key) {
  return {{"org", org.slug},
          {"did", org.DidOf(key)},
          {"verificationMethod", org.MethodUrl(key)},
          {"publicKeyMultibase", certs::Ed25519PublicKeyMultibase(key.public_key)}};
}

int Print(const json::value& v) {
  std::cout << json::serialize(v) << "\n";
  return kExitOk;
}

// Logs the organization's key events (key.added, .rotated, .revoked) now if
// there is a ledger and no server holds it; otherwise whoever next opens the
// credential service (serve, or a credential command) logs them, and always
// before the key signs anything. What happened, for the output.
Result<std::string> LogKeyEvents(const std::string& data, const certs::Organization& org) {
  if (!std::filesystem::exists(ledger::PathsFor(data).db))
    return std::string("pending: logged when the ledger is created");
  auto log = ledger::OpenLedger(data);
  if (!log.ok() && log.status().code() == Code::kFailedPrecondition)
    return std::string("pending: the running server logs it within seconds, and before the key signs");
  if (!log.ok()) return log.status();
  auto added = credentials::CredentialLedger(**log).RecordKeyEvents(org);
  Status closed = (*log)->Close();
  if (!added.ok()) return added.status();
  PB_RETURN_IF_ERROR(closed);
  return "logged (" + std::to_string(*added) + " new entries)";
}

// Prints `out` with what became of the key events.
int PrintLogged(json::object out, const std::string& data, const certs::Organization& org) {
  auto logged = LogKeyEvents(data, org);
  if (!logged.ok())
    return Fail(logged.status().WithContext("the key change is saved but not yet in the ledger"));
  out["ledger"] = *logged;
  return Print(out);
}

int Add(const OrgArgs& a) {
  auto passphrase = Passphrase(a);
  if (!passphrase.ok()) return Fail(passphrase.status());
  certs::OrgSpec spec;
  spec.slug = a.org;
  spec.name = a.name;
  spec.did_method = a.did == "key" ? certs::DidMethod::kKey : certs::DidMethod::kWeb;
  spec.web_host = a.web_host;
  auto org = certs::AddOrganization(a.data, spec, {.passphrase = *passphrase}, NowToTheSecond());
  if (!org.ok()) return Fail(org.status());
  return PrintLogged(KeyJson(*org, org->keys.back()), a.data, *org);
}

int Key(const OrgArgs& a) {
  auto org = certs::LoadOrganization(a.data, a.org);
  if (!org.ok()) return Fail(org.status());
  if (a.document) return Print(certs::DidDocument(*org));
  const certs::OrgKey* active = org->ActiveKey();
  if (!active)
    return Fail(Status(Code::kFailedPrecondition,
                       "no active key (each is retired or revoked); run pathbridge org rotate",
                       a.org));
  return Print(KeyJson(*org, *active));
}

int Rotate(const OrgArgs& a) {
  auto passphrase = Passphrase(a);
  if (!passphrase.ok()) return Fail(passphrase.status());
  auto org = certs::RotateKey(a.data, a.org, {.passphrase = *passphrase}, NowToTheSecond());
  if (!org.ok()) return Fail(org.status());
  json::object out = KeyJson(*org, org->keys.back());
  if (org->keys.size() > 1) out["retired"] = org->MethodUrl(org->keys[org->keys.size() - 2]);
  return PrintLogged(std::move(out), a.data, *org);
}

int Revoke(const OrgArgs& a) {
  Timestamp at = NowToTheSecond();
  if (!a.at.empty()) {
    auto t = ParseRfc3339(a.at);
    if (!t.ok()) return Fail(t.status().WithContext("--at"));
    at = *t;
  }
  auto org = certs::RevokeKey(a.data, a.org, a.key_id, at);
  if (!org.ok()) return Fail(org.status());
  auto key = std::find_if(org->keys.begin(), org->keys.end(),
                          [&](const certs::OrgKey& k) { return k.id == a.key_id; });  // RevokeKey found it
  json::object out = KeyJson(*org, *key);
  out["revoked"] = key->revoked;
  return PrintLogged(std::move(out), a.data, *org);
}

int List(const OrgArgs& a) {
  auto orgs = certs::ListOrganizations(a.data);
  if (!orgs.ok()) return Fail(orgs.status());
  json::array out;
  for (const auto& org : *orgs) {
    const certs::OrgKey* active = org.ActiveKey();
    out.push_back({{"org", org.slug},
                   {"name", org.name},
                   {"did", org.Did()},
                   {"verificationMethod", active ? json::value(org.MethodUrl(*active)) : nullptr},
                   {"keys", org.keys.size()}});
  }
  return Print(out);
}

}  // namespace

void AddOrgCommands(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<OrgArgs>();
  CLI::App* org = app.add_subcommand("org", "Issuing organizations: their DIDs and signing keys");
  org->require_subcommand(1);
  auto add_data = [&](CLI::App* cmd) {
    cmd->add_option("--data", a->data, "Data directory (organizations are under DIR/orgs)")
        ->capture_default_str();
  };
  auto add_org = [&](CLI::App* cmd) {
    cmd->add_option("org", a->org, "Organization id: 1 to 63 of a-z, 0-9 and -")->required();
  };
  auto add_passphrase = [&](CLI::App* cmd, const char* what) {
    cmd->add_option("--passphrase-env", a->passphrase_env,
                    std::string("Name of the environment variable holding the passphrase ") + what);
  };

  auto* add = org->add_subcommand("add", "Create an organization and its first key (prints its DID)");
  add_org(add);
  add_data(add);
  add->add_option("--name", a->name, "Display name, e.g. \"Lakeview Community College\"")->required();
  add->add_option("--did", a->did, "DID method: web (did:web:HOST:orgs:ORG) or key")
      ->check(CLI::IsMember({"web", "key"}))
      ->capture_default_str();
  add->add_option("--web-host", a->web_host, "did:web host serving the DID document, e.g. hub.example or hub.example:8443")
      ->capture_default_str();
  add_passphrase(add, "that encrypts the key (without it the key file is not encrypted)");
  add->callback([a, exit_code] { *exit_code = Add(*a); });

  auto* key = org->add_subcommand("key", "Print the active key as JSON: did, verificationMethod, publicKeyMultibase");
  add_org(key);
  add_data(key);
  key->add_flag("--document", a->document, "Print the DID document instead");
  key->callback([a, exit_code] { *exit_code = Key(*a); });

  auto* rotate = org->add_subcommand("rotate", "Retire the active key (it still verifies what it signed) and make a new one");
  add_org(rotate);
  add_data(rotate);
  add_passphrase(rotate, "of the keys");
  rotate->callback([a, exit_code] { *exit_code = Rotate(*a); });

  auto* revoke = org->add_subcommand("revoke", "Mark a key revoked (compromised); rotate afterwards if it was the active key");
  add_org(revoke);
  add_data(revoke);
  revoke->add_option("key", a->key_id, "Key id, e.g. key-1")->required();
  revoke->add_option("--at", a->at, "When the key was compromised (RFC 3339); default now");
  revoke->callback([a, exit_code] { *exit_code = Revoke(*a); });

  auto* list = org->add_subcommand("list", "List the organizations as JSON");
  add_data(list);
  list->callback([a, exit_code] { *exit_code = List(*a); });
}

}  // namespace pathbridge::gateway
