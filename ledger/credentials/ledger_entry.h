// The entries the credentials module writes to the public Merkle log, and
// the salted commitments that stand in for credentials there.
//
// The log is public and permanent, so an entry holds no student PII and no
// credential content: a credential appears only as a salted commitment, next
// to public identifiers of the issuer (DIDs, URLs), a status list slot and a
// time. Every entry is the RFC 8785 (JCS) bytes of one small, versioned JSON
// object; exactly these members, all strings except "v":
//
//   {"v":1,"type":"credential.issued","commitment":C,"issuer":I,
//    "statusList":L,"statusIndex":N,"time":T}
//   {"v":1,"type":"credential.revoked"|"credential.suspended"|
//    "credential.reinstated","issuer":I,"statusList":L,"statusIndex":N,"time":T}
//   {"v":1,"type":"key.added"|"key.rotated"|"key.revoked","issuer":I,
//    "verificationMethod":M,"publicKeyMultibase":K,"time":T}
//
//   C  base64url (unpadded) of the 32-byte commitment (below)
//   I  the issuer: a DID ("did:method:...") or an http(s) URL
//   L  the status list credential's http(s) URL (Bitstring Status List)
//   N  the status list index, canonical decimal, as statusListIndex is written
//   M  the verification method: a DID URL or an http(s) URL
//   K  the Ed25519 public key as a Multikey ("z6Mk...")
//   T  RFC 3339 UTC time, "YYYY-MM-DDTHH:MM:SS[.fraction]Z"
//
// key.rotated means M now stands for the key K, superseding its earlier key;
// key.revoked means K under M is no longer valid for I.
//
// Commitment = SHA-256(salt || credential bytes), salt = 32 random bytes the
// holder keeps (in the receipt). The credential bytes are, by form:
//   - a JSON credential secured with an embedded proof (Data Integrity):
//     JCS(the signed credential object, proof included);
//   - a VC-JOSE credential: the compact JWS exactly as issued, its ASCII
//     bytes (header.payload.signature), never re-encoded.
// The two forms cannot collide: JCS of an object starts with '{', which is
// not a base64url character, so no JWS preimage equals an object preimage.
// The salt makes the commitment unlinkable: without it nobody can confirm a
// guessed credential against the log.
//
// Thread-safety: value types and pure functions (NewSalt uses libsodium's
// thread-safe generator).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "ledger/hash.h"

namespace pathbridge::credentials {

using ledger::Hash;

inline constexpr int kEntryVersion = 1;
// Identifiers (issuer, list URL, verification method) are capped so that an
// entry stays a few KiB, far below the log's 64 KiB entry limit.
inline constexpr size_t kMaxIdentifierLength = 2048;
inline constexpr size_t kMaxEntryLength = 16 * 1024;
// A compact JWS credential, in bytes; a credential object is bounded by
// json::ParseOptions where it is parsed.
inline constexpr size_t kMaxJwsLength = 1 << 20;

enum class EntryType : uint8_t {
  kCredentialIssued,
  kCredentialRevoked,
  kCredentialSuspended,
  kCredentialReinstated,
  kKeyAdded,
  kKeyRotated,
  kKeyRevoked,
};
// "credential.issued", "key.added", ...
std::string_view EntryTypeName(EntryType type);
bool IsStatusChange(EntryType type);  // revoked, suspended, reinstated
bool IsKeyEvent(EntryType type);

// Where a credential's status lives: an index in an issuer's status list.
struct StatusSlot {
  std::string issuer;
  std::string status_list;
  uint64_t status_index = 0;
  bool operator==(const StatusSlot&) const = default;
};

// A verification method of an issuer and the key it stands for.
struct KeyRecord {
  std::string issuer;
  std::string verification_method;
  std::string public_key_multibase;
  bool operator==(const KeyRecord&) const = default;
};

// One decoded entry. Which members are meaningful depends on `type`:
// commitment for credential.issued only, slot for credential.*, key for key.*.
struct LedgerEntry {
  EntryType type = EntryType::kCredentialIssued;
  std::string time;
  Hash commitment{};
  StatusSlot slot;
  KeyRecord key;
  bool operator==(const LedgerEntry&) const = default;
};

LedgerEntry IssuedEntry(const Hash& commitment, StatusSlot slot, std::string time);
LedgerEntry StatusChangeEntry(EntryType type, StatusSlot slot, std::string time);
LedgerEntry KeyEventEntry(EntryType type, KeyRecord key, std::string time);

// The entry's JCS bytes. Checks every member (identifier shapes, Multikey,
// time) and that members of other entry types are empty, so the bytes hold
// exactly the fields above. Errors name the member.
Result<std::string> EncodeEntry(const LedgerEntry& entry);
// Strict: the version must be 1, the type known, the members exactly those of
// the type, each well-formed, and the bytes in JCS form. Errors name the
// member ("/statusIndex") or say what is wrong with the whole.
Result<LedgerEntry> DecodeEntry(std::string_view bytes);

// The Log identity key (dedup across retries and restarts; see ledger/log.h),
// "<type>:" + b64url(SHA-256 of the fields below joined by '\n', which no
// valid identifier contains); call it on an entry EncodeEntry accepted:
//   credential.issued / credential.revoked: issuer, statusList, statusIndex.
//     A status slot belongs to one credential, so retrying an issuance (same
//     salt, perhaps a new time) or a revocation returns the index recorded
//     first. The slot is used rather than the credential id because VCDM 2.0
//     makes "id" optional.
//   key.*: issuer, verificationMethod, publicKeyMultibase.
//   credential.suspended / reinstated: "" - these may recur for one slot, so
//     only identical bytes deduplicate.
std::string IdentityKey(const LedgerEntry& entry);

// ---- Credentials and commitments ----------------------------------------

using Salt = std::array<uint8_t, 32>;
Salt NewSalt();  // 32 bytes from libsodium's randombytes_buf

// A VC-JOSE credential: a compact JWS whose payload is the credential JSON.
struct CompactJws {
  std::string text;
};
// A signed credential as its holder keeps it.
using SignedCredential = std::variant<boost::json::object, CompactJws>;

// The credential as text: its JSON, or the compact JWS.
std::string FormatSignedCredential(const SignedCredential& credential);
// Reads a credential from text: a JSON object, or else a compact JWS.
Result<SignedCredential> ParseSignedCredential(std::string_view text);

// SHA-256(salt || credential bytes), the forms as described at the top.
Result<Hash> Commitment(const Salt& salt, const boost::json::object& signed_credential);
Result<Hash> JwsCommitment(const Salt& salt, std::string_view compact_jws);
Result<Hash> Commitment(const Salt& salt, const SignedCredential& credential);

// The credential's claims: the object itself, or the JWS payload parsed
// (the JWS signature is not checked here; the proof suites do that).
Result<boost::json::object> CredentialClaims(const SignedCredential& credential);
// The issuer ("issuer" string, or the "id" of an issuer object).
Result<std::string> CredentialIssuer(const boost::json::object& claims);
// Every status list slot in "credentialStatus" (an object or an array):
// entries with "statusListCredential" and "statusListIndex"; others, such
// as 1EdTechRevocationList, are skipped.
Result<std::vector<StatusSlot>> CredentialStatusSlots(const boost::json::object& claims);
// Ok if `slot` is the credential's: its issuer, and one of its status list
// slots. Otherwise VerificationFailed, saying in plain words what differs.
Status CheckCredentialSlot(const boost::json::object& claims, const StatusSlot& slot);

}  // namespace pathbridge::credentials
