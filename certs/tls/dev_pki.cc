#include "certs/tls/dev_pki.h"

#include <algorithm>
#include <set>

#include "certs/ed25519.h"
#include "certs/org_registry.h"
#include "certs/tls/certificate_authority.h"
#include "certs/tls/certificate_identity.h"
#include "certs/tls/pem.h"

namespace pathbridge::certs {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCaName = "pathbridge development CA";
constexpr const char* kDefaultHosts[] = {"localhost", "127.0.0.1", "::1"};

Status MakePrivateDir(const fs::path& dir) {
  std::error_code ec;
  if (fs::create_directories(dir, ec)) fs::permissions(dir, fs::perms::owner_all, ec);
  if (ec) return IoError("cannot make the folder: " + ec.message(), dir.string());
  return Status::Ok();
}

Status RefuseExisting(const std::vector<fs::path>& paths, bool force) {
  if (force) return Status::Ok();
  for (const fs::path& p : paths)
    if (fs::exists(p))
      return Status(Code::kAlreadyExists, "already exists; --force replaces it", p.string());
  return Status::Ok();
}

Status WritePair(const PemPair& pair, const fs::path& cert, const fs::path& key) {
  PB_RETURN_IF_ERROR(WriteSecretFile(key, pair.private_key));
  return WriteFileAtomically(cert, pair.certificate, 0644);
}

Status CheckClients(const std::vector<DevClient>& clients) {
  std::set<std::string> names;
  for (const DevClient& c : clients) {
    PB_RETURN_IF_ERROR(CheckOrgSlug(c.name).WithContext("client name"));
    if (!c.org_id.empty()) PB_RETURN_IF_ERROR(CheckOrgSlug(c.org_id).WithContext("client org"));
    if (!names.insert(c.name).second)
      return InvalidArgument("the client is named twice", "client name " + c.name);
  }
  return Status::Ok();
}

LeafSpec ServerSpec(const std::vector<std::string>& extra_hosts) {
  LeafSpec spec;
  spec.use = CertificateUse::kServer;
  spec.common_name = "localhost";
  spec.hosts.assign(std::begin(kDefaultHosts), std::end(kDefaultHosts));
  for (const std::string& h : extra_hosts)
    if (std::find(spec.hosts.begin(), spec.hosts.end(), h) == spec.hosts.end())
      spec.hosts.push_back(h);
  return spec;
}

LeafSpec ClientSpec(const DevClient& client) {
  LeafSpec spec;
  spec.use = CertificateUse::kClient;
  spec.common_name = client.name;
  if (!client.org_id.empty()) spec.uris.push_back(OrgUri(client.org_id));
  return spec;
}

Status IssueClient(const CertificateAuthority& ca, const DevPkiLayout& layout,
                   const DevClient& client) {
  PB_ASSIGN_OR_RETURN(PemPair pair, ca.Issue(ClientSpec(client)));
  return WritePair(pair, layout.ClientCert(client.name), layout.ClientKey(client.name));
}

}  // namespace

DevPkiLayout::DevPkiLayout(const fs::path& pki_dir)
    : dir(pki_dir),
      ca_cert(pki_dir / "ca.pem"),
      ca_key(pki_dir / "ca.key"),
      server_cert(pki_dir / "server.pem"),
      server_key(pki_dir / "server.key"),
      clients_dir(pki_dir / "clients") {}

fs::path DevPkiLayout::ClientCert(std::string_view name) const {
  return clients_dir / (std::string(name) + ".pem");
}
fs::path DevPkiLayout::ClientKey(std::string_view name) const {
  return clients_dir / (std::string(name) + ".key");
}

Result<DevPkiLayout> MakeDevPki(const fs::path& pki_dir, const DevPkiOptions& options) {
  DevPkiLayout layout(pki_dir);
  PB_RETURN_IF_ERROR(CheckClients(options.clients));
  for (const std::string& h : options.extra_hosts) PB_RETURN_IF_ERROR(CheckCertificateHost(h));
  std::vector<fs::path> targets = {layout.ca_cert, layout.ca_key, layout.server_cert,
                                   layout.server_key};
  for (const DevClient& c : options.clients) {
    targets.push_back(layout.ClientCert(c.name));
    targets.push_back(layout.ClientKey(c.name));
  }
  PB_RETURN_IF_ERROR(RefuseExisting(targets, options.force));

  PB_ASSIGN_OR_RETURN(CertificateAuthority ca, CertificateAuthority::Create(kCaName));
  PB_ASSIGN_OR_RETURN(PemPair server, ca.Issue(ServerSpec(options.extra_hosts)));
  PB_RETURN_IF_ERROR(MakePrivateDir(layout.dir));
  PB_RETURN_IF_ERROR(WritePair(ca.ToPem(), layout.ca_cert, layout.ca_key));
  PB_RETURN_IF_ERROR(WritePair(server, layout.server_cert, layout.server_key));
  if (!options.clients.empty()) PB_RETURN_IF_ERROR(MakePrivateDir(layout.clients_dir));
  for (const DevClient& c : options.clients) PB_RETURN_IF_ERROR(IssueClient(ca, layout, c));
  return layout;
}

Status AddDevClient(const fs::path& pki_dir, const DevClient& client, bool force) {
  DevPkiLayout layout(pki_dir);
  PB_RETURN_IF_ERROR(CheckClients({client}));
  PB_RETURN_IF_ERROR(
      RefuseExisting({layout.ClientCert(client.name), layout.ClientKey(client.name)}, force));
  PB_ASSIGN_OR_RETURN(std::string cert_pem, ReadPemFile(layout.ca_cert));
  PB_ASSIGN_OR_RETURN(std::string key_pem, ReadPemKeyFile(layout.ca_key));
  auto ca = CertificateAuthority::FromPem(cert_pem, key_pem, layout.ca_cert.string());
  WipeSecret(key_pem);
  if (!ca.ok()) return ca.status();
  PB_RETURN_IF_ERROR(MakePrivateDir(layout.clients_dir));
  return IssueClient(*ca, layout, client);
}

Result<bool> EnsureDevPki(const fs::path& pki_dir) {
  DevPkiLayout layout(pki_dir);
  const fs::path* missing = nullptr;
  int present = 0;
  for (const fs::path* p : {&layout.ca_cert, &layout.ca_key, &layout.server_cert,
                            &layout.server_key}) {
    if (fs::exists(*p))
      ++present;
    else
      missing = p;
  }
  if (present == 4) return false;
  if (present > 0)
    return Status(Code::kFailedPrecondition,
                  "the development PKI is incomplete; run pathbridge certs init --force",
                  missing->string());
  auto made = MakeDevPki(pki_dir, {});
  if (!made.ok()) return made.status();
  return true;
}

}  // namespace pathbridge::certs
