#include "certs/multikey.h"

#include <sodium.h>

#include <algorithm>
#include <array>

#include <boost/json/array.hpp>

#include "standards/multibase.h"

namespace pathbridge::certs {
namespace {

using Header = std::array<uint8_t, 2>;
constexpr std::size_t kHeaderSize = 2;
constexpr Header kEd25519Pub = {0xed, 0x01};   // varint(0xed)
constexpr Header kEd25519Priv = {0x80, 0x26};  // varint(0x1300)
constexpr std::string_view kDidKeyPrefix = "did:key:";

std::string Encode(const Header& header, ByteSpan key) {
  Bytes b(header.begin(), header.end());
  b.insert(b.end(), key.begin(), key.end());
  return MultibaseEncode(Multibase::kBase58Btc, b);
}

// The bytes of a base58btc multibase string that starts with `header`
// (the key follows the header).
Result<Bytes> Decode(std::string_view text, const Header& header, const char* what) {
  if (text.empty() || text.front() != static_cast<char>(Multibase::kBase58Btc))
    return InvalidArgument(std::string(what) + " must be base58btc multibase (start with 'z')",
                           "offset 0");
  PB_ASSIGN_OR_RETURN(Bytes b, MultibaseDecode(text));
  if (b.size() < 2 || !std::equal(header.begin(), header.end(), b.begin()))
    return InvalidArgument(std::string(what) + " has the wrong multicodec header (want " +
                           HexEncode(header) + ")");
  return b;
}

}  // namespace

std::string Ed25519PublicKeyMultibase(const Ed25519PublicKey& key) {
  return Encode(kEd25519Pub, key);
}

Result<Ed25519PublicKey> ParseEd25519PublicKeyMultibase(std::string_view text) {
  PB_ASSIGN_OR_RETURN(Bytes b, Decode(text, kEd25519Pub, "an Ed25519 public key"));
  return Ed25519PublicKeyFromBytes(ByteSpan(b).subspan(kHeaderSize));
}

std::string Ed25519SecretKeyMultibase(const Ed25519Key& key) {
  return Encode(kEd25519Priv, key.seed());
}

Result<Ed25519Key> ParseEd25519SecretKeyMultibase(std::string_view text) {
  PB_ASSIGN_OR_RETURN(Bytes b, Decode(text, kEd25519Priv, "an Ed25519 secret key"));
  auto key = Ed25519Key::FromSeed(ByteSpan(b).subspan(kHeaderSize));
  sodium_memzero(b.data(), b.size());
  return key;
}

std::string DidKey(const Ed25519PublicKey& key) {
  return std::string(kDidKeyPrefix) + Ed25519PublicKeyMultibase(key);
}

std::string DidKeyVerificationMethod(const Ed25519PublicKey& key) {
  std::string mb = Ed25519PublicKeyMultibase(key);
  return std::string(kDidKeyPrefix) + mb + "#" + mb;
}

Result<Ed25519PublicKey> ParseDidKey(std::string_view did_or_url) {
  if (did_or_url.substr(0, kDidKeyPrefix.size()) != kDidKeyPrefix)
    return InvalidArgument("not a did:key identifier", "offset 0");
  std::string_view id = did_or_url.substr(kDidKeyPrefix.size());
  std::size_t hash = id.find('#');
  if (hash != std::string_view::npos && id.substr(hash + 1) != id.substr(0, hash))
    return InvalidArgument("a did:key verification method's fragment must repeat the key",
                           "offset " + std::to_string(kDidKeyPrefix.size() + hash + 1));
  Result<Ed25519PublicKey> key = ParseEd25519PublicKeyMultibase(id.substr(0, hash));
  if (!key.ok()) return ShiftOffset(key.status(), kDidKeyPrefix.size());
  return key;
}

boost::json::object DidKeyDocument(const Ed25519PublicKey& key) {
  const std::string did = DidKey(key), vm = DidKeyVerificationMethod(key);
  boost::json::object method{{"id", vm},
                             {"type", "Multikey"},
                             {"controller", did},
                             {"publicKeyMultibase", Ed25519PublicKeyMultibase(key)}};
  boost::json::object doc{
      {"@context", {"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"}},
      {"id", did},
      {"verificationMethod", boost::json::array{method}}};
  for (const char* relation :
       {"authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation"})
    doc[relation] = boost::json::array{vm};
  return doc;
}

}  // namespace pathbridge::certs
