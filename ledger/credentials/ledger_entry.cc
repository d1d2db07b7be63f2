#include "ledger/credentials/ledger_entry.h"

#include <sodium.h>

#include <algorithm>
#include <optional>

#include <boost/json.hpp>

#include "certs/ed25519.h"
#include "certs/multikey.h"
#include "standards/jcs.h"
#include "standards/json.h"

namespace pathbridge::credentials {
namespace bj = boost::json;
namespace {

struct TypeInfo {
  EntryType type;
  std::string_view name;
};
constexpr TypeInfo kTypes[] = {
    {EntryType::kCredentialIssued, "credential.issued"},
    {EntryType::kCredentialRevoked, "credential.revoked"},
    {EntryType::kCredentialSuspended, "credential.suspended"},
    {EntryType::kCredentialReinstated, "credential.reinstated"},
    {EntryType::kKeyAdded, "key.added"},
    {EntryType::kKeyRotated, "key.rotated"},
    {EntryType::kKeyRevoked, "key.revoked"},
};

std::optional<EntryType> ParseEntryType(std::string_view name) {
  for (const auto& t : kTypes)
    if (t.name == name) return t.type;
  return std::nullopt;
}

// The members of each kind of entry, in no particular order.
std::span<const std::string_view> MemberNames(EntryType type) {
  static constexpr std::string_view kIssued[] = {
      "v", "type", "commitment", "issuer", "statusList", "statusIndex", "time"};
  static constexpr std::string_view kStatus[] = {"v",          "type",        "issuer",
                                                 "statusList", "statusIndex", "time"};
  static constexpr std::string_view kKey[] = {
      "v", "type", "issuer", "verificationMethod", "publicKeyMultibase", "time"};
  if (type == EntryType::kCredentialIssued) return kIssued;
  if (IsKeyEvent(type)) return kKey;
  return kStatus;
}

std::string Member(std::string_view name) { return "/" + std::string(name); }

bool IsUriChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(c) != std::string_view::npos;
}

bool IsHttpUrl(std::string_view s) {
  for (std::string_view scheme : {"https://", "http://"})
    if (s.starts_with(scheme)) return s.size() > scheme.size() && s[scheme.size()] != '/';
  return false;
}

// "did:" method-name ":" method-specific-id (W3C DID Core §3.1), loosely:
// the characters were already checked to be URI characters.
bool IsDid(std::string_view s) {
  if (!s.starts_with("did:")) return false;
  size_t colon = s.find(':', 4);
  if (colon == std::string_view::npos || colon == 4 || colon + 1 == s.size()) return false;
  return std::all_of(s.begin() + 4, s.begin() + static_cast<std::ptrdiff_t>(colon),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

// Identifiers are public names of issuers, lists and keys. Allowing only URI
// characters (no spaces, no quotes, ASCII only) keeps prose out of them.
Status CheckIdentifier(std::string_view s, std::string_view member, bool allow_did) {
  std::string where = Member(member);
  if (s.empty()) return InvalidArgument("is empty", where);
  if (s.size() > kMaxIdentifierLength)
    return InvalidArgument("is longer than " + std::to_string(kMaxIdentifierLength) + " characters",
                           where);
  for (size_t i = 0; i < s.size(); ++i)
    if (!IsUriChar(s[i]))
      return InvalidArgument(
          "may hold only URI characters (RFC 3986); offset " + std::to_string(i) + " is not one",
          where);
  if (IsHttpUrl(s) || (allow_did && IsDid(s))) return Status::Ok();
  return InvalidArgument(allow_did ? "must be a DID or an http(s) URL" : "must be an http(s) URL",
                         where);
}

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// RFC 3339 in the one spelling entries use: UTC, upper-case 'T' and 'Z',
// optional fraction of 1 to 9 digits; leap second 60 allowed.
Status CheckTime(std::string_view t) {
  Status bad =
      InvalidArgument("must be an RFC 3339 UTC time such as 2026-01-31T09:30:00Z", "/time");
  if (t.size() < 20 || t.size() > 30 || t[4] != '-' || t[7] != '-' || t[10] != 'T' ||
      t[13] != ':' || t[16] != ':')
    return bad;
  int year, month, day, hour, minute, second;
  if (!Digits(t, 0, 4, year) || !Digits(t, 5, 2, month) || !Digits(t, 8, 2, day) ||
      !Digits(t, 11, 2, hour) || !Digits(t, 14, 2, minute) || !Digits(t, 17, 2, second))
    return bad;
  size_t pos = 19;
  if (t[pos] == '.') {
    int ignored;
    size_t n = t.size() - pos - 2;
    if (n < 1 || n > 9 || !Digits(t, pos + 1, n, ignored)) return bad;
    pos += n + 1;
  }
  if (pos + 1 != t.size() || t[pos] != 'Z') return bad;
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 60)
    return bad;
  return Status::Ok();
}

Status CheckEntry(const LedgerEntry& e) {
  PB_RETURN_IF_ERROR(CheckTime(e.time));
  if (IsKeyEvent(e.type)) {
    if (e.slot != StatusSlot{} || e.commitment != Hash{})
      return InvalidArgument("a key event carries no status slot and no commitment");
    PB_RETURN_IF_ERROR(CheckIdentifier(e.key.issuer, "issuer", true));
    PB_RETURN_IF_ERROR(CheckIdentifier(e.key.verification_method, "verificationMethod", true));
    auto key = certs::ParseEd25519PublicKeyMultibase(e.key.public_key_multibase);
    if (!key.ok()) return key.status().WithContext("/publicKeyMultibase");
    return Status::Ok();
  }
  if (e.key != KeyRecord{}) return InvalidArgument("a credential event carries no key");
  if (e.type != EntryType::kCredentialIssued && e.commitment != Hash{})
    return InvalidArgument("only a credential.issued entry carries a commitment");
  PB_RETURN_IF_ERROR(CheckIdentifier(e.slot.issuer, "issuer", true));
  return CheckIdentifier(e.slot.status_list, "statusList", false);
}

Status CheckVersion(const bj::object& o) {
  const bj::value* v = o.if_contains("v");
  if (v == nullptr) return InvalidArgument("missing member", "/v");
  bj::error_code ec;
  if (v->to_number<int>(ec) != kEntryVersion || ec)
    return InvalidArgument("unsupported entry version; this reader knows version 1", "/v");
  return Status::Ok();
}

Result<Hash> DecodeCommitment(std::string_view text) {
  auto bytes = Base64UrlDecode(text);
  if (!bytes.ok()) return bytes.status().WithContext("/commitment");
  auto hash = ledger::HashFromBytes(*bytes, "the commitment");
  if (!hash.ok()) return hash.status().WithContext("/commitment");
  return hash;
}

Result<uint64_t> DecodeIndex(std::string_view text, std::string_view where) {
  auto index = ParseCanonicalDecimal(text, "the status list index");
  if (!index.ok()) return index.status().WithContext(where);
  return index;
}

std::string HashedIdentity(EntryType type, std::initializer_list<std::string_view> fields) {
  std::string joined;
  for (std::string_view f : fields) {
    if (!joined.empty()) joined += '\n';
    joined += f;
  }
  Hash h = ledger::ThreadHasher().Sha256(AsBytes(joined));
  return std::string(EntryTypeName(type)) + ":" + Base64UrlEncode(ledger::AsBytes(h));
}

bool IsBase64UrlChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// header.payload.signature, each part non-empty base64url. The header and
// signature are the proof suites' business; the payload is read here.
Status CheckCompactJws(std::string_view jws) {
  if (jws.size() > kMaxJwsLength)
    return Status(Code::kResourceExhausted, "a compact JWS credential is at most " +
                                                std::to_string(kMaxJwsLength) + " bytes");
  size_t first = jws.find('.');
  size_t second = first == std::string_view::npos ? first : jws.find('.', first + 1);
  if (second == std::string_view::npos || jws.find('.', second + 1) != std::string_view::npos ||
      first == 0 || second == first + 1 || second + 1 == jws.size())
    return InvalidArgument("not a compact JWS: expected three non-empty parts separated by '.'");
  for (size_t i = 0; i < jws.size(); ++i)
    if (jws[i] != '.' && !IsBase64UrlChar(jws[i]))
      return InvalidArgument("not a compact JWS: a character outside base64url",
                             "offset " + std::to_string(i));
  return Status::Ok();
}

Status AddSlot(const bj::value& v, const std::string& where, const std::string& issuer,
               std::vector<StatusSlot>& out) {
  if (!v.is_object()) return InvalidArgument("a credentialStatus entry must be an object", where);
  const bj::object& o = v.as_object();
  const bj::value* list = o.if_contains("statusListCredential");
  const bj::value* index = o.if_contains("statusListIndex");
  if (list == nullptr && index == nullptr) return Status::Ok();  // another status mechanism
  if (list == nullptr || !list->is_string())
    return InvalidArgument("statusListCredential must be a URL string",
                           where + "/statusListCredential");
  if (index == nullptr || !index->is_string())
    return InvalidArgument("statusListIndex must be a string of decimal digits",
                           where + "/statusListIndex");
  PB_ASSIGN_OR_RETURN(uint64_t n, DecodeIndex(index->as_string(), where + "/statusListIndex"));
  out.push_back({issuer, std::string(list->as_string()), n});
  return Status::Ok();
}

}  // namespace

std::string_view EntryTypeName(EntryType type) {
  for (const auto& t : kTypes)
    if (t.type == type) return t.name;
  return "unknown";
}

bool IsStatusChange(EntryType type) {
  return type == EntryType::kCredentialRevoked || type == EntryType::kCredentialSuspended ||
         type == EntryType::kCredentialReinstated;
}

bool IsKeyEvent(EntryType type) {
  return type == EntryType::kKeyAdded || type == EntryType::kKeyRotated ||
         type == EntryType::kKeyRevoked;
}

LedgerEntry IssuedEntry(const Hash& commitment, StatusSlot slot, std::string time) {
  return {.type = EntryType::kCredentialIssued,
          .time = std::move(time),
          .commitment = commitment,
          .slot = std::move(slot),
          .key = {}};
}

LedgerEntry StatusChangeEntry(EntryType type, StatusSlot slot, std::string time) {
  return {
      .type = type, .time = std::move(time), .commitment = {}, .slot = std::move(slot), .key = {}};
}

LedgerEntry KeyEventEntry(EntryType type, KeyRecord key, std::string time) {
  return {
      .type = type, .time = std::move(time), .commitment = {}, .slot = {}, .key = std::move(key)};
}

Result<std::string> EncodeEntry(const LedgerEntry& e) {
  if (!ParseEntryType(EntryTypeName(e.type))) return InvalidArgument("unknown entry type", "/type");
  PB_RETURN_IF_ERROR(CheckEntry(e));
  bj::object o;
  o["v"] = kEntryVersion;
  o["type"] = EntryTypeName(e.type);
  o["time"] = e.time;
  if (IsKeyEvent(e.type)) {
    o["issuer"] = e.key.issuer;
    o["verificationMethod"] = e.key.verification_method;
    o["publicKeyMultibase"] = e.key.public_key_multibase;
  } else {
    o["issuer"] = e.slot.issuer;
    o["statusList"] = e.slot.status_list;
    o["statusIndex"] = std::to_string(e.slot.status_index);
    if (e.type == EntryType::kCredentialIssued)
      o["commitment"] = Base64UrlEncode(ledger::AsBytes(e.commitment));
  }
  return jcs::Canonicalize(o);
}

Result<LedgerEntry> DecodeEntry(std::string_view bytes) {
  json::ParseOptions options;
  options.max_depth = 2;
  options.max_size = kMaxEntryLength;
  auto parsed = json::Parse(bytes, options);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_object()) return InvalidArgument("an entry must be a JSON object");
  const bj::object& o = parsed->as_object();
  PB_RETURN_IF_ERROR(CheckVersion(o));
  PB_ASSIGN_OR_RETURN(std::string_view type_name, json::StringMember(o, "type"));
  std::optional<EntryType> type = ParseEntryType(type_name);
  if (!type) return InvalidArgument("unknown entry type", "/type");
  PB_RETURN_IF_ERROR(json::CheckMembers(o, MemberNames(*type),
                                        "a " + std::string(EntryTypeName(*type)) + " entry"));
  LedgerEntry e;
  e.type = *type;
  PB_ASSIGN_OR_RETURN(e.time, json::StringMember(o, "time"));
  if (IsKeyEvent(e.type)) {
    PB_ASSIGN_OR_RETURN(e.key.issuer, json::StringMember(o, "issuer"));
    PB_ASSIGN_OR_RETURN(e.key.verification_method, json::StringMember(o, "verificationMethod"));
    PB_ASSIGN_OR_RETURN(e.key.public_key_multibase, json::StringMember(o, "publicKeyMultibase"));
  } else {
    PB_ASSIGN_OR_RETURN(e.slot.issuer, json::StringMember(o, "issuer"));
    PB_ASSIGN_OR_RETURN(e.slot.status_list, json::StringMember(o, "statusList"));
    PB_ASSIGN_OR_RETURN(std::string_view index, json::StringMember(o, "statusIndex"));
    PB_ASSIGN_OR_RETURN(e.slot.status_index, DecodeIndex(index, "/statusIndex"));
    if (e.type == EntryType::kCredentialIssued) {
      PB_ASSIGN_OR_RETURN(std::string_view commitment, json::StringMember(o, "commitment"));
      PB_ASSIGN_OR_RETURN(e.commitment, DecodeCommitment(commitment));
    }
  }
  // Every member is well-formed now; what is left is the spelling.
  PB_ASSIGN_OR_RETURN(std::string canonical, EncodeEntry(e));
  if (canonical != bytes)
    return InvalidArgument("the entry is not in RFC 8785 (JCS) canonical form");
  return e;
}

std::string IdentityKey(const LedgerEntry& e) {
  if (IsKeyEvent(e.type))
    return HashedIdentity(e.type,
                          {e.key.issuer, e.key.verification_method, e.key.public_key_multibase});
  if (e.type == EntryType::kCredentialIssued || e.type == EntryType::kCredentialRevoked)
    return HashedIdentity(e.type,
                          {e.slot.issuer, e.slot.status_list, std::to_string(e.slot.status_index)});
  return "";
}

// ---- Credentials and commitments -------------------------------------------

Salt NewSalt() {
  certs::InitCrypto();
  Salt salt;
  randombytes_buf(salt.data(), salt.size());
  return salt;
}

std::string FormatSignedCredential(const SignedCredential& credential) {
  if (const auto* jws = std::get_if<CompactJws>(&credential)) return jws->text;
  return boost::json::serialize(std::get<boost::json::object>(credential));
}

Result<SignedCredential> ParseSignedCredential(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return InvalidArgument("the credential is empty");
  text = text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
  if (text.front() == '{') {
    PB_ASSIGN_OR_RETURN(bj::value v, json::Parse(text));
    return SignedCredential(std::move(v.as_object()));
  }
  PB_RETURN_IF_ERROR(CheckCompactJws(text));
  return SignedCredential(CompactJws{std::string(text)});
}

Result<Hash> Commitment(const Salt& salt, const bj::object& signed_credential) {
  PB_ASSIGN_OR_RETURN(std::string canonical, jcs::Canonicalize(signed_credential));
  return ledger::ThreadHasher().Sha256({ByteSpan(salt), AsBytes(canonical)});
}

Result<Hash> JwsCommitment(const Salt& salt, std::string_view compact_jws) {
  PB_RETURN_IF_ERROR(CheckCompactJws(compact_jws));
  return ledger::ThreadHasher().Sha256({ByteSpan(salt), AsBytes(compact_jws)});
}

Result<Hash> Commitment(const Salt& salt, const SignedCredential& credential) {
  if (const auto* jws = std::get_if<CompactJws>(&credential)) return JwsCommitment(salt, jws->text);
  return Commitment(salt, std::get<bj::object>(credential));
}

Result<bj::object> CredentialClaims(const SignedCredential& credential) {
  const auto* jws = std::get_if<CompactJws>(&credential);
  if (jws == nullptr) return std::get<bj::object>(credential);
  PB_RETURN_IF_ERROR(CheckCompactJws(jws->text));
  size_t first = jws->text.find('.');
  size_t second = jws->text.find('.', first + 1);
  auto payload = Base64UrlDecode(std::string_view(jws->text).substr(first + 1, second - first - 1));
  if (!payload.ok()) return payload.status().WithContext("JWS payload");
  auto claims = json::Parse(AsChars(*payload));
  if (!claims.ok()) return claims.status().WithContext("JWS payload");
  if (!claims->is_object()) return InvalidArgument("the JWS payload is not a JSON object");
  return std::move(claims->as_object());
}

Result<std::string> CredentialIssuer(const bj::object& claims) {
  const bj::value* issuer = claims.if_contains("issuer");
  if (issuer != nullptr && issuer->is_object()) issuer = issuer->as_object().if_contains("id");
  if (issuer == nullptr || !issuer->is_string())
    return InvalidArgument("the credential names no issuer (a string, or an object with an id)",
                           "/issuer");
  return std::string(issuer->as_string());
}

Result<std::vector<StatusSlot>> CredentialStatusSlots(const bj::object& claims) {
  PB_ASSIGN_OR_RETURN(std::string issuer, CredentialIssuer(claims));
  std::vector<StatusSlot> out;
  const bj::value* status = claims.if_contains("credentialStatus");
  if (status == nullptr) return out;
  if (!status->is_array()) {
    PB_RETURN_IF_ERROR(AddSlot(*status, "/credentialStatus", issuer, out));
    return out;
  }
  const bj::array& entries = status->as_array();
  for (size_t i = 0; i < entries.size(); ++i)
    PB_RETURN_IF_ERROR(AddSlot(entries[i], "/credentialStatus/" + std::to_string(i), issuer, out));
  return out;
}

Status CheckCredentialSlot(const bj::object& claims, const StatusSlot& slot) {
  PB_ASSIGN_OR_RETURN(std::string issuer, CredentialIssuer(claims));
  if (issuer != slot.issuer)
    return VerificationFailed("the entry's issuer is " + slot.issuer +
                              ", but the credential names issuer " + issuer);
  PB_ASSIGN_OR_RETURN(std::vector<StatusSlot> slots, CredentialStatusSlots(claims));
  if (std::find(slots.begin(), slots.end(), slot) != slots.end()) return Status::Ok();
  return VerificationFailed("the entry's status list slot (index " +
                            std::to_string(slot.status_index) + " of " + slot.status_list +
                            ") is not one of the credential's credentialStatus entries");
}

}  // namespace pathbridge::credentials
