#include "certs/org_registry.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <boost/json.hpp>

#include "certs/controller_document.h"
#include "certs/did_web.h"
#include "certs/json_file.h"
#include "certs/multikey.h"
#include "standards/json_fields.h"

namespace pathbridge::certs {
namespace {

namespace bj = boost::json;
namespace fs = std::filesystem;

constexpr std::size_t kMaxOrgFile = 1u << 20;
constexpr std::string_view kKeyIdPrefix = "key-";

std::string KeyId(std::size_t n) { return std::string(kKeyIdPrefix) + std::to_string(n); }

fs::path OrgsDir(const fs::path& data_dir) { return data_dir / "orgs"; }
fs::path OrgFile(const fs::path& dir) { return dir / "org.json"; }
fs::path KeyPath(const fs::path& dir, const OrgKey& key) {
  return dir / "keys" / (key.id + ".key");
}

Result<fs::path> OrgDir(const fs::path& data_dir, std::string_view slug) {
  PB_RETURN_IF_ERROR(CheckOrgSlug(slug));
  return OrgsDir(data_dir) / slug;
}

std::string_view MethodName(DidMethod m) { return m == DidMethod::kWeb ? "web" : "key"; }

bj::object ToJson(const Organization& org) {
  bj::array keys;
  for (const auto& k : org.keys) {
    bj::object o{{"id", k.id},
                 {"publicKeyMultibase", Ed25519PublicKeyMultibase(k.public_key)},
                 {"validFrom", k.valid_from}};
    if (!k.valid_until.empty()) o["validUntil"] = k.valid_until;
    if (!k.revoked.empty()) o["revoked"] = k.revoked;
    keys.push_back(std::move(o));
  }
  bj::object o{{"id", org.slug}, {"name", org.name}, {"didMethod", MethodName(org.did_method)}};
  if (org.did_method == DidMethod::kWeb) o["webHost"] = org.web_host;
  o["did"] = org.Did();
  o["keys"] = std::move(keys);
  return o;
}

Result<OrgKey> KeyFromJson(const bj::value& v, const std::string& where, std::size_t index) {
  if (!v.is_object()) return InvalidArgument("a key is a JSON object", where);
  const json::JsonFields f(v.get_object(), where);
  PB_RETURN_IF_ERROR(f.OnlyThese({"id", "publicKeyMultibase", "validFrom", "validUntil", "revoked"}));
  OrgKey k;
  PB_ASSIGN_OR_RETURN(std::string_view id, f.String("id"));
  k.id = id;
  if (k.id != KeyId(index + 1))
    return InvalidArgument("keys are numbered in order; want key-" + std::to_string(index + 1),
                           f.Where("id"));
  PB_ASSIGN_OR_RETURN(std::string_view mb, f.String("publicKeyMultibase"));
  auto key = ParseEd25519PublicKeyMultibase(mb);
  if (!key.ok()) return InvalidArgument(key.status().message(), f.Where("publicKeyMultibase"));
  k.public_key = *key;
  PB_RETURN_IF_ERROR(f.String("validFrom").status());
  PB_ASSIGN_OR_RETURN(k.valid_from, f.OptionalDateTime("validFrom"));
  PB_ASSIGN_OR_RETURN(k.valid_until, f.OptionalDateTime("validUntil"));
  PB_ASSIGN_OR_RETURN(k.revoked, f.OptionalDateTime("revoked"));
  return k;
}

Result<Organization> FromJson(const bj::value& v, const std::string& file, std::string_view slug) {
  if (!v.is_object()) return InvalidArgument("org.json is a JSON object", file);
  const json::JsonFields f(v.get_object(), file + ":");
  PB_RETURN_IF_ERROR(f.OnlyThese({"id", "name", "didMethod", "webHost", "did", "keys"}));
  Organization org;
  PB_ASSIGN_OR_RETURN(std::string_view id, f.String("id"));
  if (id != slug) return InvalidArgument("the id differs from the directory name", f.Where("id"));
  org.slug = id;
  PB_ASSIGN_OR_RETURN(std::string_view name, f.String("name"));
  org.name = name;
  PB_ASSIGN_OR_RETURN(std::string_view method, f.String("didMethod"));
  if (method != "web" && method != "key")
    return InvalidArgument("want \"web\" or \"key\"", f.Where("didMethod"));
  org.did_method = method == "web" ? DidMethod::kWeb : DidMethod::kKey;
  if (org.did_method == DidMethod::kWeb) {
    PB_ASSIGN_OR_RETURN(std::string_view host, f.String("webHost"));
    auto normal = DidWebHost(host);
    if (!normal.ok() || *normal != host)
      return InvalidArgument("want a did:web host such as example.com or example.com%3A8443",
                             f.Where("webHost"));
    org.web_host = host;
  }
  const bj::value* keys = f.object().if_contains("keys");
  if (!keys || !keys->is_array() || keys->get_array().empty())
    return InvalidArgument("want a non-empty array of keys", f.Where("keys"));
  for (std::size_t i = 0; i < keys->get_array().size(); ++i) {
    PB_ASSIGN_OR_RETURN(OrgKey k, KeyFromJson(keys->get_array()[i],
                                              f.Where("keys") + "/" + std::to_string(i), i));
    org.keys.push_back(std::move(k));
  }
  PB_ASSIGN_OR_RETURN(std::string_view did, f.String("did"));
  if (did != org.Did())
    return InvalidArgument("the did does not match the organization (want " + org.Did() + ")",
                           f.Where("did"));
  return org;
}

Status WriteOrg(const fs::path& dir, const Organization& org) {
  return WriteFileAtomically(OrgFile(dir), bj::serialize(ToJson(org)) + "\n", 0644);
}

Status MakeDir(const fs::path& dir, unsigned mode) {
  if (::mkdir(dir.c_str(), mode) != 0)
    return Status(errno == EEXIST ? Code::kAlreadyExists : Code::kIoError, std::strerror(errno),
                  dir.string());
  return Status::Ok();
}

// Removes a directory being built unless it was published.
class BuildDir {
 public:
  explicit BuildDir(fs::path dir) : dir_(std::move(dir)) {}
  ~BuildDir() {
    std::error_code ec;
    if (!published_) fs::remove_all(dir_, ec);
  }
  BuildDir(const BuildDir&) = delete;
  BuildDir& operator=(const BuildDir&) = delete;
  const fs::path& path() const { return dir_; }
  // Renames it to `to`, failing (kAlreadyExists) rather than replacing anything there.
  Status Publish(const fs::path& to) {
    if (::renameat2(AT_FDCWD, dir_.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0)
      return Status(errno == EEXIST ? Code::kAlreadyExists : Code::kIoError,
                    errno == EEXIST ? "an organization with this id already exists"
                                    : std::strerror(errno),
                    to.string());
    published_ = true;
    return Status::Ok();
  }

 private:
  fs::path dir_;
  bool published_ = false;
};

Result<Organization> Load(const fs::path& dir, std::string_view slug) {
  const fs::path file = OrgFile(dir);
  auto v = ReadJsonFile(file, kMaxOrgFile);
  if (v.status().code() == Code::kNotFound)
    return NotFound("no organization \"" + std::string(slug) +
                        "\" here (pathbridge org add creates one)",
                    dir.string());
  if (!v.ok()) return v.status();
  return FromJson(*v, file.string(), slug);
}

Result<SigningKey> OpenActiveKey(const fs::path& dir, const Organization& org,
                                 std::string_view passphrase) {
  const OrgKey* active = org.ActiveKey();
  if (!active)
    return Status(Code::kFailedPrecondition,
                  "organization " + org.slug +
                      " has no active key (each is retired or revoked); run pathbridge org rotate",
                  OrgFile(dir).string());
  PB_ASSIGN_OR_RETURN(Ed25519Key key, ReadKeyFile(KeyPath(dir, *active), passphrase));
  if (key.public_key() != active->public_key)
    return Corruption("the key file does not hold the public key org.json lists for " + active->id,
                      KeyPath(dir, *active).string());
  return SigningKey{std::move(key), org.DidOf(*active), org.MethodUrl(*active)};
}

}  // namespace

Status CheckOrgSlug(std::string_view slug) {
  bool ok = !slug.empty() && slug.size() <= 63;
  for (char c : slug) ok &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  if (!ok)
    return InvalidArgument("an organization id is 1 to 63 of a-z, 0-9 and '-'", std::string(slug));
  return Status::Ok();
}

const OrgKey* Organization::ActiveKey() const {
  for (auto it = keys.rbegin(); it != keys.rend(); ++it)
    if (it->active()) return &*it;
  return nullptr;
}

std::string Organization::Did() const {
  if (did_method == DidMethod::kWeb)
    return std::string(kDidWebPrefix) + web_host + ":orgs:" + slug;
  if (keys.empty()) return {};
  const OrgKey* current = ActiveKey();
  return DidKey((current ? *current : keys.back()).public_key);
}

std::string Organization::DidOf(const OrgKey& key) const {
  return did_method == DidMethod::kWeb ? Did() : DidKey(key.public_key);
}

std::string Organization::MethodUrl(const OrgKey& key) const {
  return did_method == DidMethod::kWeb ? Did() + "#" + key.id
                                       : DidKeyVerificationMethod(key.public_key);
}

std::vector<VerificationMethod> Organization::VerificationMethods() const {
  std::vector<VerificationMethod> out;
  for (const auto& k : keys) {
    VerificationMethod m;
    m.id = MethodUrl(k);
    m.controller = DidOf(k);
    m.public_key = k.public_key;
    if (k.revoked.empty()) m.relationships = {"authentication", "assertionMethod"};
    m.valid_from = k.valid_from;
    m.valid_until = k.valid_until;
    m.revoked = k.revoked;
    m.source = "organization " + slug + " (pathbridge registry)";
    out.push_back(std::move(m));
  }
  return out;
}

Result<Organization> AddOrganization(const fs::path& data_dir, const OrgSpec& spec,
                                     const KeyFileProtection& protection, Timestamp now) {
  PB_ASSIGN_OR_RETURN(fs::path dir, OrgDir(data_dir, spec.slug));
  if (spec.name.empty()) return InvalidArgument("an organization needs a name");
  Organization org;
  org.slug = spec.slug;
  org.name = spec.name;
  org.did_method = spec.did_method;
  if (org.did_method == DidMethod::kWeb) {
    PB_ASSIGN_OR_RETURN(org.web_host, DidWebHost(spec.web_host));
  }
  std::error_code ec;
  fs::create_directories(OrgsDir(data_dir), ec);
  if (ec) return IoError(ec.message(), OrgsDir(data_dir).string());
  if (fs::exists(dir, ec))
    return Status(Code::kAlreadyExists, "an organization with this id already exists",
                  dir.string());

  std::array<uint8_t, 8> nonce;
  InitCrypto();
  randombytes_buf(nonce.data(), nonce.size());
  BuildDir build(OrgsDir(data_dir) / ("." + spec.slug + ".new-" + HexEncode(nonce)));
  PB_RETURN_IF_ERROR(MakeDir(build.path(), 0755));
  PB_RETURN_IF_ERROR(MakeDir(build.path() / "keys", 0700));
  const Ed25519Key key = Ed25519Key::Generate();
  org.keys.push_back({KeyId(1), key.public_key(), FormatRfc3339(now), {}, {}});
  PB_RETURN_IF_ERROR(WriteKeyFile(KeyPath(build.path(), org.keys.back()), key, protection));
  PB_RETURN_IF_ERROR(WriteOrg(build.path(), org));
  PB_RETURN_IF_ERROR(build.Publish(dir));
  return org;
}

Result<Organization> LoadOrganization(const fs::path& data_dir, std::string_view slug) {
  PB_ASSIGN_OR_RETURN(fs::path dir, OrgDir(data_dir, slug));
  return Load(dir, slug);
}

Result<std::vector<Organization>> ListOrganizations(const fs::path& data_dir) {
  std::vector<Organization> orgs;
  std::error_code ec;
  if (!fs::exists(OrgsDir(data_dir), ec)) return orgs;
  std::vector<std::string> slugs;
  for (const auto& e : fs::directory_iterator(OrgsDir(data_dir), ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_directory() && !name.starts_with('.')) slugs.push_back(name);
  }
  if (ec) return IoError(ec.message(), OrgsDir(data_dir).string());
  std::sort(slugs.begin(), slugs.end());
  for (const auto& slug : slugs) {
    PB_ASSIGN_OR_RETURN(Organization org, LoadOrganization(data_dir, slug));
    orgs.push_back(std::move(org));
  }
  return orgs;
}

Result<SigningKey> ActiveSigningKey(const fs::path& data_dir, std::string_view slug,
                                    std::string_view passphrase) {
  PB_ASSIGN_OR_RETURN(fs::path dir, OrgDir(data_dir, slug));
  PB_ASSIGN_OR_RETURN(Organization org, Load(dir, slug));
  return OpenActiveKey(dir, org, passphrase);
}

Result<Organization> RotateKey(const fs::path& data_dir, std::string_view slug,
                               const KeyFileProtection& protection, Timestamp now) {
  PB_ASSIGN_OR_RETURN(fs::path dir, OrgDir(data_dir, slug));
  PB_ASSIGN_OR_RETURN(Organization org, Load(dir, slug));
  const std::string stamp = FormatRfc3339(now);
  if (const OrgKey* active = org.ActiveKey()) {
    // Opening it checks the passphrase, so both keys are sealed with the same one.
    PB_RETURN_IF_ERROR(OpenActiveKey(dir, org, protection.passphrase).status());
    if (*ParseRfc3339(active->valid_from) > now)
      return Status(Code::kFailedPrecondition,
                    "the clock (" + stamp + ") is before the active key's validFrom (" +
                        active->valid_from + ")",
                    OrgFile(dir).string());
    org.keys[active - org.keys.data()].valid_until = stamp;
  }
  const Ed25519Key key = Ed25519Key::Generate();
  org.keys.push_back({KeyId(org.keys.size() + 1), key.public_key(), stamp, {}, {}});
  PB_RETURN_IF_ERROR(WriteKeyFile(KeyPath(dir, org.keys.back()), key, protection));
  PB_RETURN_IF_ERROR(WriteOrg(dir, org));
  return org;
}

Result<Organization> RevokeKey(const fs::path& data_dir, std::string_view slug,
                               std::string_view key_id, Timestamp at) {
  PB_ASSIGN_OR_RETURN(fs::path dir, OrgDir(data_dir, slug));
  PB_ASSIGN_OR_RETURN(Organization org, Load(dir, slug));
  auto key = std::find_if(org.keys.begin(), org.keys.end(),
                          [&](const OrgKey& k) { return k.id == key_id; });
  if (key == org.keys.end())
    return NotFound("organization " + org.slug + " has no key " + std::string(key_id),
                    OrgFile(dir).string());
  if (!key->revoked.empty())
    return Status(Code::kFailedPrecondition, key->id + " was already revoked at " + key->revoked,
                  OrgFile(dir).string());
  key->revoked = FormatRfc3339(at);
  PB_RETURN_IF_ERROR(WriteOrg(dir, org));
  return org;
}

bj::object DidDocument(const Organization& org) {
  if (org.did_method == DidMethod::kWeb)
    return BuildControllerDocument(org.Did(), org.VerificationMethods());
  const OrgKey* current = org.ActiveKey();
  return DidKeyDocument((current ? *current : org.keys.back()).public_key);
}

Result<DocumentMapResolver> MakeOrgRegistryResolver(const std::vector<Organization>& orgs) {
  std::vector<std::pair<ControllerDocument, std::string>> docs;
  for (const auto& org : orgs) {
    const std::string where = "organization " + org.slug;
    if (org.did_method == DidMethod::kWeb) {
      docs.push_back({ControllerDocument{org.Did(), org.VerificationMethods(), {}}, where});
      continue;
    }
    for (auto& m : org.VerificationMethods()) {  // each did:key is its own document
      std::string did = m.controller;
      docs.push_back({ControllerDocument{std::move(did), {std::move(m)}, {}}, where});
    }
  }
  return DocumentMapResolver::FromDocuments(std::move(docs));
}

}  // namespace pathbridge::certs
