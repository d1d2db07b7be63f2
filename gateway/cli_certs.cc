// `pathbridge certs ...`: the development PKI under DATA/pki
// (certs/tls/dev_pki.h) — `init` makes a CA, a server certificate and
// client certificates; `client` issues one more client certificate from
// that CA. For development and tests only: production serves its own PEM
// files (`serve --tls-cert --tls-key`).
#include <iostream>

#include "certs/tls/certificate_identity.h"
#include "certs/tls/dev_pki.h"
#include "certs/tls/pem.h"
#include "gateway/cli_util.h"

namespace pathbridge::gateway {
namespace {

struct CertsArgs {
  std::string data = "./var";
  std::vector<std::string> hosts;
  std::vector<std::string> clients;  // NAME or NAME=ORG
  std::string name;
  std::string org;
  bool force = false;
};

std::filesystem::path PkiDir(const CertsArgs& a) { return std::filesystem::path(a.data) / "pki"; }

// NAME is the organization id too; NAME=ORG names another.
certs::DevClient ParseClient(const std::string& spec) {
  size_t eq = spec.find('=');
  if (eq == std::string::npos) return {spec, spec};
  return {spec.substr(0, eq), spec.substr(eq + 1)};
}

void PrintClient(const certs::DevPkiLayout& pki, const certs::DevClient& c) {
  std::cout << "  client " << c.name << ": " << pki.ClientCert(c.name).string() << " and "
            << pki.ClientKey(c.name).filename().string();
  if (!c.org_id.empty()) std::cout << " (" << certs::OrgUri(c.org_id) << ")";
  // The thumbprint a token can be bound to (RFC 8705).
  if (auto pem = certs::ReadPemFile(pki.ClientCert(c.name)); pem.ok())
    if (auto id = certs::IdentityFromPem(*pem, pki.ClientCert(c.name).string()); id.ok())
      std::cout << "\n    x5t#S256 " << id->thumbprint_s256;
  std::cout << "\n";
}

int Init(const CertsArgs& a) {
  certs::DevPkiOptions options;
  options.extra_hosts = a.hosts;
  for (const std::string& c : a.clients) options.clients.push_back(ParseClient(c));
  options.force = a.force;
  auto pki = certs::MakeDevPki(PkiDir(a), options);
  if (!pki.ok()) return Fail(pki.status());
  std::string ca = pki->ca_cert.string();
  std::cout << "Made a development PKI (not for production) in " << pki->dir.string() << "\n"
            << "  CA:     " << ca << " (key " << pki->ca_key.filename().string() << ")\n"
            << "  server: " << pki->server_cert.string() << " (key "
            << pki->server_key.filename().string() << "; localhost, 127.0.0.1, ::1";
  for (const std::string& h : a.hosts) std::cout << ", " << h;
  std::cout << ")\n";
  for (const certs::DevClient& c : options.clients) PrintClient(*pki, c);
  std::cout << "Keys are mode 0600. Serve with them and try:\n"
            << "  pathbridge serve --data " << a.data << "\n"
            << "  curl --cacert " << ca << " https://127.0.0.1:8443/healthz\n";
  if (!options.clients.empty()) {
    const std::string& n = options.clients.front().name;
    std::cout << "  pathbridge serve --data " << a.data << " --client-certs required\n"
              << "  curl --cacert " << ca << " --cert " << pki->ClientCert(n).string()
              << " --key " << pki->ClientKey(n).string() << " https://127.0.0.1:8443/healthz\n";
  }
  return kExitOk;
}

int Client(const CertsArgs& a) {
  certs::DevClient client{a.name, a.org.empty() ? a.name : a.org};
  Status s = certs::AddDevClient(PkiDir(a), client, a.force);
  if (!s.ok()) return Fail(s);
  PrintClient(certs::DevPkiLayout(PkiDir(a)), client);
  return kExitOk;
}

}  // namespace

void AddCertsCommands(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<CertsArgs>();
  CLI::App* group = app.add_subcommand("certs", "Development TLS certificates under DIR/pki");
  group->require_subcommand(1);
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--data", a->data, "Data directory (certificates go to DIR/pki)")
        ->capture_default_str();
    cmd->add_flag("--force", a->force, "Replace files that exist");
  };

  auto* init = group->add_subcommand(
      "init", "Make a development CA, a server certificate for localhost and client certificates");
  add_common(init);
  init->add_option("--host", a->hosts, "Another DNS name or IP address for the server certificate");
  init->add_option("--client", a->clients,
                   "A client certificate NAME (the organization id too) or NAME=ORG");
  init->callback([a, exit_code] { *exit_code = Init(*a); });

  auto* client = group->add_subcommand("client", "Issue a client certificate from the development CA");
  add_common(client);
  client->add_option("name", a->name, "Client name: 1 to 63 of a-z, 0-9 and -")->required();
  client->add_option("--org", a->org, "Organization id in the certificate (default: the name)");
  client->callback([a, exit_code] { *exit_code = Client(*a); });
}

}  // namespace pathbridge::gateway
