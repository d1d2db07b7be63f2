#include "ledger/credentials/status_list.h"

#include <time.h>

#include <array>
#include <charconv>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

namespace pathbridge::credentials {
namespace {

namespace json = boost::json;

constexpr std::string_view kEntry = "credentialStatus";
constexpr std::string_view kList = "statusListCredential";
constexpr unsigned kMaxStatusSize = 8;

constexpr std::array<std::string_view, 5> kErrorNames = {
    "MALFORMED_VALUE_ERROR", "RANGE_ERROR", "STATUS_RETRIEVAL_ERROR",
    "STATUS_VERIFICATION_ERROR", "STATUS_LIST_LENGTH_ERROR"};

Code CodeOf(StatusListError error) {
  switch (error) {
    case StatusListError::kStatusRetrieval: return Code::kUnavailable;
    case StatusListError::kStatusVerification: return Code::kVerificationFailed;
    default: return Code::kInvalidArgument;
  }
}

std::string Where(std::string_view doc, std::string_view pointer) {
  return std::string(doc) + std::string(pointer);
}

Status Malformed(std::string message, std::string_view doc, std::string_view pointer) {
  return MakeStatusListError(StatusListError::kMalformedValue, std::move(message),
                             Where(doc, pointer));
}

// "2025-05-15T08:30:00Z" (an XML Schema dateTimeStamp in UTC).
std::string FormatDateTime(std::chrono::sys_seconds t) {
  const time_t secs = static_cast<time_t>(t.time_since_epoch().count());
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// `type` is a string or an array of strings (VC Data Model 2.0 §4.5).
bool HasType(const json::object& doc, std::string_view type) {
  const json::value* v = doc.if_contains("type");
  if (v == nullptr) return false;
  if (v->is_string()) return v->get_string() == type;
  if (!v->is_array()) return false;
  for (const json::value& t : v->get_array())
    if (t.is_string() && t.get_string() == type) return true;
  return false;
}

Result<std::string_view> StringField(const json::object& doc, std::string_view key,
                                     std::string_view doc_name) {
  const json::value* v = doc.if_contains(key);
  const std::string pointer = "/" + std::string(key);
  if (v == nullptr) return Malformed(std::string(key) + " is missing", doc_name, pointer);
  if (!v->is_string() || v->get_string().empty())
    return Malformed(std::string(key) + " must be a non-empty string", doc_name, pointer);
  return std::string_view(v->get_string());
}

// statusListIndex: "an arbitrary size integer ... expressed as a string in
// base 10". One beyond uint64 cannot be inside any list we would expand.
Result<uint64_t> ParseIndex(std::string_view text) {
  constexpr std::string_view kPointer = "/statusListIndex";
  for (char c : text)
    if (c < '0' || c > '9')
      return Malformed("statusListIndex must be a string of decimal digits", kEntry, kPointer);
  uint64_t index = 0;
  auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (err != std::errc() || end != text.data() + text.size())
    return MakeStatusListError(StatusListError::kRange,
                               "statusListIndex is beyond any status list this verifier reads",
                               Where(kEntry, kPointer));
  return index;
}

Result<unsigned> ParseStatusSize(const json::object& entry) {
  const json::value* v = entry.if_contains("statusSize");
  if (v == nullptr) return 1u;  // "MUST be processed as 1"
  const auto size = v->if_int64();
  if (size == nullptr || *size < 1)
    return Malformed("statusSize must be an integer greater than zero", kEntry, "/statusSize");
  if (*size > kMaxStatusSize)
    return MakeStatusListError(StatusListError::kStatusVerification,
                               "statusSize " + std::to_string(*size) +
                                   " is not supported (at most 8 bits per entry)",
                               Where(kEntry, "/statusSize"));
  return static_cast<unsigned>(*size);
}

// statusMessage: one {status: "0x..", message} per possible value, each
// value once. Returns the messages indexed by value (empty if absent).
Result<std::vector<std::string>> ParseStatusMessages(const json::object& entry, unsigned size) {
  constexpr std::string_view kPointer = "/statusMessage";
  const json::value* v = entry.if_contains("statusMessage");
  if (v == nullptr) {
    if (size > 1)
      return Malformed("statusMessage is required when statusSize is greater than 1", kEntry,
                       kPointer);
    return std::vector<std::string>();
  }
  const std::size_t count = std::size_t{1} << size;
  if (!v->is_array() || v->get_array().size() != count)
    return Malformed("statusMessage must be an array of " + std::to_string(count) +
                         " entries (2^statusSize)",
                     kEntry, kPointer);
  std::vector<std::string> messages(count);
  std::vector<bool> seen(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string pointer = std::string(kPointer) + "/" + std::to_string(i);
    const json::object* item = v->get_array()[i].if_object();
    const json::value* status = item ? item->if_contains("status") : nullptr;
    const json::value* message = item ? item->if_contains("message") : nullptr;
    if (status == nullptr || !status->is_string() || message == nullptr || !message->is_string())
      return Malformed("each statusMessage entry needs string status and message", kEntry, pointer);
    const std::string_view hex = status->get_string();
    unsigned value = 0;
    bool ok = hex.size() > 2 && hex.starts_with("0x");
    if (ok) {
      auto [end, err] = std::from_chars(hex.data() + 2, hex.data() + hex.size(), value, 16);
      ok = err == std::errc() && end == hex.data() + hex.size() && value < count && !seen[value];
    }
    if (!ok)
      return Malformed("statusMessage status must be \"0x\" and a hex value below " +
                           std::to_string(count) + ", each value once",
                       kEntry, pointer + "/status");
    seen[value] = true;
    messages[value] = std::string(message->get_string());
  }
  return messages;
}

// The list credential's statusPurpose: one string or an array of them.
Status CheckListPurpose(const json::object& subject, std::string_view purpose) {
  constexpr std::string_view kPointer = "/credentialSubject/statusPurpose";
  const json::value* v = subject.if_contains("statusPurpose");
  std::vector<std::string_view> purposes;
  if (v != nullptr && v->is_string()) purposes.push_back(v->get_string());
  if (v != nullptr && v->is_array())
    for (const json::value& p : v->get_array())
      if (p.is_string()) purposes.push_back(p.get_string());
  if (purposes.empty() || (v->is_array() && purposes.size() != v->get_array().size()))
    return Malformed("statusPurpose must be a string or an array of strings", kList, kPointer);
  for (std::string_view p : purposes)
    if (p == purpose) return Status::Ok();
  return MakeStatusListError(StatusListError::kStatusVerification,
                             "the status list is not for the entry's purpose \"" +
                                 std::string(purpose) + "\"",
                             Where(kList, kPointer));
}

// The list credential's shape, up to its expanded bits.
Result<Bitstring> ExpandList(const json::object& list, std::string_view list_url,
                             std::string_view purpose, const CheckOptions& options) {
  if (!HasType(list, "BitstringStatusListCredential"))
    return Malformed("the status list credential's type must include "
                     "BitstringStatusListCredential",
                     kList, "/type");
  if (const json::value* id = list.if_contains("id");
      id != nullptr && !(id->is_string() && id->get_string() == list_url))
    return MakeStatusListError(StatusListError::kStatusVerification,
                               "the status list credential's id is not the entry's "
                               "statusListCredential URL",
                               Where(kList, "/id"));
  const json::value* subject_value = list.if_contains("credentialSubject");
  if (subject_value == nullptr || !subject_value->is_object())
    return Malformed("credentialSubject must be an object", kList, "/credentialSubject");
  const json::object& subject = subject_value->get_object();
  if (!HasType(subject, "BitstringStatusList"))
    return Malformed("credentialSubject type must be BitstringStatusList", kList,
                     "/credentialSubject/type");
  PB_RETURN_IF_ERROR(CheckListPurpose(subject, purpose));
  constexpr std::string_view kEncoded = "/credentialSubject/encodedList";
  const json::value* encoded = subject.if_contains("encodedList");
  if (encoded == nullptr || !encoded->is_string())
    return Malformed("encodedList must be a string", kList, kEncoded);
  auto bits = Decode(encoded->get_string(), DecodeLimits{0, options.max_inflated_bytes});
  if (!bits.ok()) {  // keep the code: a decompression bomb is kResourceExhausted
    const Status& s = bits.status();
    const std::string name(StatusListErrorName(StatusListError::kMalformedValue));
    return Status(s.code(), name + ": " + s.message(), s.where())
        .WithContext(Where(kList, kEncoded));
  }
  return bits;
}

}  // namespace

std::string_view PurposeName(StatusPurpose purpose) {
  switch (purpose) {
    case StatusPurpose::kRevocation: return "revocation";
    case StatusPurpose::kSuspension: return "suspension";
    case StatusPurpose::kRefresh: return "refresh";
  }
  return "unknown";
}

Result<StatusPurpose> ParsePurpose(std::string_view name) {
  for (auto p : {StatusPurpose::kRevocation, StatusPurpose::kSuspension, StatusPurpose::kRefresh})
    if (PurposeName(p) == name) return p;
  return InvalidArgument("unknown status purpose \"" + std::string(name) +
                         "\" (expected revocation, suspension or refresh)");
}

std::string_view StatusListErrorName(StatusListError error) {
  return kErrorNames[static_cast<std::size_t>(error)];
}

Status MakeStatusListError(StatusListError error, std::string message, std::string where) {
  return Status(CodeOf(error), std::string(StatusListErrorName(error)) + ": " + message,
                std::move(where));
}

std::optional<StatusListError> StatusListErrorOf(const Status& status) {
  const std::string_view message = status.message();
  for (std::size_t i = 0; i < kErrorNames.size(); ++i)
    if (message.size() > kErrorNames[i].size() && message.starts_with(kErrorNames[i]) &&
        message[kErrorNames[i].size()] == ':')
      return static_cast<StatusListError>(i);
  return std::nullopt;
}

Result<json::object> BuildStatusListCredential(const StatusListCredentialInfo& info,
                                               const Bitstring& bits) {
  if (bits.size() < kMinimumListBits)
    return InvalidArgument("a status list needs at least " + std::to_string(kMinimumListBits) +
                           " entries; this one has " + std::to_string(bits.size()));
  if (info.list_url.empty() || info.issuer.empty())
    return InvalidArgument("a status list credential needs a list URL and an issuer");
  PB_ASSIGN_OR_RETURN(std::string encoded, bits.Encode());
  json::object subject;
  subject["id"] = info.list_url + "#list";
  subject["type"] = "BitstringStatusList";
  subject["statusPurpose"] = PurposeName(info.purpose);
  subject["encodedList"] = encoded;
  json::object vc;
  vc["@context"] = json::array{"https://www.w3.org/ns/credentials/v2"};
  vc["id"] = info.list_url;
  vc["type"] = json::array{"VerifiableCredential", "BitstringStatusListCredential"};
  vc["issuer"] = info.issuer;
  vc["validFrom"] = FormatDateTime(info.valid_from);
  if (info.valid_until) vc["validUntil"] = FormatDateTime(*info.valid_until);
  vc["credentialSubject"] = std::move(subject);
  return vc;
}

json::object BuildStatusListEntry(std::string_view list_url, uint64_t index,
                                  StatusPurpose purpose) {
  const std::string position = std::to_string(index);
  json::object entry;
  entry["id"] = std::string(list_url) + "#" + position;
  entry["type"] = "BitstringStatusListEntry";
  entry["statusPurpose"] = PurposeName(purpose);
  entry["statusListIndex"] = position;
  entry["statusListCredential"] = list_url;
  return entry;
}

Result<StatusCheck> CheckStatus(const json::object& entry, const json::object& list,
                                const CheckOptions& options) {
  if (!HasType(entry, "BitstringStatusListEntry"))
    return Malformed("type must be BitstringStatusListEntry", kEntry, "/type");
  PB_ASSIGN_OR_RETURN(std::string_view purpose, StringField(entry, "statusPurpose", kEntry));
  PB_ASSIGN_OR_RETURN(std::string_view index_text, StringField(entry, "statusListIndex", kEntry));
  PB_ASSIGN_OR_RETURN(std::string_view list_url,
                      StringField(entry, "statusListCredential", kEntry));
  PB_ASSIGN_OR_RETURN(uint64_t index, ParseIndex(index_text));
  PB_ASSIGN_OR_RETURN(unsigned size, ParseStatusSize(entry));
  PB_ASSIGN_OR_RETURN(std::vector<std::string> messages, ParseStatusMessages(entry, size));
  PB_ASSIGN_OR_RETURN(Bitstring bits, ExpandList(list, list_url, purpose, options));

  const std::size_t entries = bits.size() / size;
  if (entries < options.minimum_entries)
    return MakeStatusListError(StatusListError::kStatusListLength,
                               "the status list has " + std::to_string(entries) +
                                   " entries; at least " +
                                   std::to_string(options.minimum_entries) +
                                   " are required for herd privacy",
                               Where(kList, "/credentialSubject/encodedList"));
  if (index >= entries)
    return MakeStatusListError(StatusListError::kRange,
                               "statusListIndex " + std::to_string(index) +
                                   " is outside the status list (" + std::to_string(entries) +
                                   " entries)",
                               Where(kEntry, "/statusListIndex"));
  StatusCheck check;
  check.purpose = std::string(purpose);
  for (unsigned i = 0; i < size; ++i)
    check.status = (check.status << 1) | (bits.Get(index * size + i) ? 1u : 0u);
  check.valid = check.status == 0;
  check.message = messages.empty() ? (check.status ? "set" : "unset") : messages[check.status];
  return check;
}

}  // namespace pathbridge::credentials
