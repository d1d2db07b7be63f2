#include "certs/key_file.h"

#include <sodium.h>

#include <array>
#include <string>

#include <boost/json.hpp>

#include "certs/multikey.h"
#include "standards/jcs.h"
#include "standards/json.h"
#include "standards/json_fields.h"

namespace pathbridge::certs {
namespace {

namespace bj = boost::json;

static_assert(kPwhashOpsLimitModerate == crypto_pwhash_OPSLIMIT_MODERATE);
static_assert(kPwhashMemLimitModerate == crypto_pwhash_MEMLIMIT_MODERATE);

constexpr std::string_view kType = "pathbridge-ed25519-secret-key";
constexpr std::string_view kKdf = "argon2id13";
constexpr std::string_view kCipher = "xchacha20poly1305-ietf";
constexpr std::size_t kMaxFileSize = 4096;
constexpr std::size_t kSeedSize = 32;

using SymmetricKey = std::array<uint8_t, crypto_aead_xchacha20poly1305_ietf_KEYBYTES>;

// Wipes a buffer that held secret material when it goes out of scope.
template <typename Buffer>
class Wipe {
 public:
  explicit Wipe(Buffer& b) : b_(b) {}
  ~Wipe() { sodium_memzero(b_.data(), b_.size()); }
  Wipe(const Wipe&) = delete;
  Wipe& operator=(const Wipe&) = delete;

 private:
  Buffer& b_;
};

Status DeriveKey(std::string_view passphrase, ByteSpan salt, uint64_t opslimit,
                 std::size_t memlimit, SymmetricKey& key) {
  if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt.data(),
                    opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Status(Code::kResourceExhausted, "not enough memory to derive the key from the passphrase");
  return Status::Ok();
}

Status WritePlain(const std::filesystem::path& path, const Ed25519Key& key) {
  std::string secret = Ed25519SecretKeyMultibase(key);
  Wipe wipe_secret(secret);
  // Built by hand so the one copy of the secret can be wiped (base58 needs no escaping).
  std::string text = "{\"type\":\"" + std::string(kType) + "\",\"secretKeyMultibase\":\"" +
                     secret + "\"}\n";
  Wipe wipe_text(text);
  return WriteSecretFile(path, text);
}

// The sealed file's fields but the ciphertext; their JCS form is the AEAD's
// associated data.
bj::object SealedHeader(const KeyFileProtection& p, ByteSpan salt, ByteSpan nonce) {
  return {{"type", kType},
          {"kdf", kKdf},
          {"opslimit", p.opslimit},
          {"memlimit", p.memlimit},
          {"salt", Base64UrlEncode(salt)},
          {"cipher", kCipher},
          {"nonce", Base64UrlEncode(nonce)}};
}

Status WriteSealed(const std::filesystem::path& path, const Ed25519Key& key,
                   const KeyFileProtection& p) {
  std::array<uint8_t, crypto_pwhash_SALTBYTES> salt;
  std::array<uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce;
  randombytes_buf(salt.data(), salt.size());
  randombytes_buf(nonce.data(), nonce.size());
  bj::object file = SealedHeader(p, salt, nonce);
  PB_ASSIGN_OR_RETURN(std::string ad, jcs::Canonicalize(file));
  SymmetricKey sym;
  Wipe wipe_sym(sym);
  PB_RETURN_IF_ERROR(DeriveKey(p.passphrase, salt, p.opslimit, p.memlimit, sym));
  Bytes sealed(kSeedSize + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), nullptr, key.seed().data(),
                                             key.seed().size(),
                                             reinterpret_cast<const uint8_t*>(ad.data()),
                                             ad.size(), nullptr, nonce.data(), sym.data());
  file["ciphertext"] = Base64UrlEncode(sealed);
  return WriteSecretFile(path, bj::serialize(file) + "\n");
}

// A base64url member that must decode to `size` bytes.
Result<Bytes> Base64UrlField(const json::JsonFields& f, std::string_view key, std::size_t size) {
  PB_ASSIGN_OR_RETURN(std::string_view text, f.String(key));
  auto b = Base64UrlDecode(text);
  if (!b.ok()) return InvalidArgument(b.status().message(), f.Where(key));
  if (b->size() != size) return InvalidArgument("want " + std::to_string(size) + " bytes", f.Where(key));
  return b;
}

Result<Ed25519Key> ReadPlain(const json::JsonFields& f) {
  PB_RETURN_IF_ERROR(f.OnlyThese({"type", "secretKeyMultibase"}));
  PB_ASSIGN_OR_RETURN(std::string_view secret, f.String("secretKeyMultibase"));
  auto key = ParseEd25519SecretKeyMultibase(secret);
  if (!key.ok()) return InvalidArgument(key.status().message(), f.Where("secretKeyMultibase"));
  return key;
}

Result<Ed25519Key> ReadSealed(const json::JsonFields& f, std::string_view passphrase,
                              const std::string& file) {
  PB_RETURN_IF_ERROR(f.OnlyThese(
      {"type", "kdf", "opslimit", "memlimit", "salt", "cipher", "nonce", "ciphertext"}));
  PB_ASSIGN_OR_RETURN(std::string_view kdf, f.String("kdf"));
  if (kdf != kKdf) return InvalidArgument("unsupported kdf; want " + std::string(kKdf), f.Where("kdf"));
  PB_ASSIGN_OR_RETURN(std::string_view cipher, f.String("cipher"));
  if (cipher != kCipher)
    return InvalidArgument("unsupported cipher; want " + std::string(kCipher), f.Where("cipher"));
  // Beyond libsodium's "sensitive" level is refused: a file must not make
  // opening it cost unbounded time or memory.
  PB_ASSIGN_OR_RETURN(uint64_t ops, f.Unsigned("opslimit", crypto_pwhash_OPSLIMIT_MIN,
                                               crypto_pwhash_OPSLIMIT_SENSITIVE));
  PB_ASSIGN_OR_RETURN(uint64_t mem, f.Unsigned("memlimit", crypto_pwhash_MEMLIMIT_MIN,
                                               crypto_pwhash_MEMLIMIT_SENSITIVE));
  PB_ASSIGN_OR_RETURN(Bytes salt, Base64UrlField(f, "salt", crypto_pwhash_SALTBYTES));
  PB_ASSIGN_OR_RETURN(Bytes nonce,
                      Base64UrlField(f, "nonce", crypto_aead_xchacha20poly1305_ietf_NPUBBYTES));
  PB_ASSIGN_OR_RETURN(Bytes sealed,
                      Base64UrlField(f, "ciphertext",
                                     kSeedSize + crypto_aead_xchacha20poly1305_ietf_ABYTES));
  if (passphrase.empty())
    return Status(Code::kFailedPrecondition,
                  "the key file is encrypted; give its passphrase (--passphrase-env VAR)", file);
  bj::object header = f.object();
  header.erase("ciphertext");
  PB_ASSIGN_OR_RETURN(std::string ad, jcs::Canonicalize(header));
  SymmetricKey sym;
  Wipe wipe_sym(sym);
  PB_RETURN_IF_ERROR(DeriveKey(passphrase, salt, ops, static_cast<std::size_t>(mem), sym));
  std::array<uint8_t, kSeedSize> seed;
  Wipe wipe_seed(seed);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          seed.data(), nullptr, nullptr, sealed.data(), sealed.size(),
          reinterpret_cast<const uint8_t*>(ad.data()), ad.size(), nonce.data(), sym.data()) != 0)
    return VerificationFailed("wrong passphrase or corrupted key file", file);
  return Ed25519Key::FromSeed(seed);
}

}  // namespace

Status WriteKeyFile(const std::filesystem::path& path, const Ed25519Key& key,
                    const KeyFileProtection& protection) {
  InitCrypto();
  if (protection.passphrase.empty()) return WritePlain(path, key);
  return WriteSealed(path, key, protection);
}

Result<Ed25519Key> ReadKeyFile(const std::filesystem::path& path, std::string_view passphrase) {
  InitCrypto();
  PB_ASSIGN_OR_RETURN(std::string text, ReadSecretFile(path));
  Wipe wipe_text(text);
  const std::string file = path.string();
  json::ParseOptions options;
  options.max_size = kMaxFileSize;
  options.max_depth = 2;
  auto parsed = json::Parse(text, options);
  if (!parsed.ok()) return parsed.status().WithContext(file);
  bj::value& v = *parsed;
  if (!v.is_object()) return InvalidArgument("a key file is a JSON object", file);
  bj::object& o = v.as_object();
  // The parsed copy of a clear secret is wiped too.
  struct WipeSecret {
    bj::object& o;
    ~WipeSecret() {
      if (auto* s = o.if_contains("secretKeyMultibase"); s && s->is_string())
        sodium_memzero(s->get_string().data(), s->get_string().size());
    }
  } wipe_parsed{o};
  const json::JsonFields f(o, file + ":");
  PB_ASSIGN_OR_RETURN(std::string_view type, f.String("type"));
  if (type != kType)
    return InvalidArgument("not a pathbridge key file; want type " + std::string(kType),
                           f.Where("type"));
  if (o.contains("ciphertext")) return ReadSealed(f, passphrase, file);
  return ReadPlain(f);
}

}  // namespace pathbridge::certs
