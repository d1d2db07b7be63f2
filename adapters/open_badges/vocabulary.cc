#include "adapters/open_badges/vocabulary.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "standards/digest.h"

namespace pathbridge::adapters::open_badges {
namespace {

namespace bj = boost::json;
using canonical::AwardKind;

constexpr std::string_view kUrnPrefix = "urn:pathbridge:";

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string PercentEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    int hi, lo;
    if (s[i] == '%' && i + 2 < s.size() && (hi = HexValue(s[i + 1])) >= 0 &&
        (lo = HexValue(s[i + 2])) >= 0) {
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string_view Str(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

// achievementType <-> award kind and level. The first row for a kind (and
// level) is what encoding writes; decoding accepts every row.
struct TypeRow {
  std::string_view type;
  AwardKind kind;
  std::string_view level;
};
constexpr TypeRow kTypes[] = {
    {"Diploma", AwardKind::kDiploma, ""},
    {"SecondarySchoolDiploma", AwardKind::kDiploma, "SecondarySchoolDiploma"},
    {"GeneralEducationDevelopment", AwardKind::kDiploma, "GeneralEducationDevelopment"},
    {"Certification", AwardKind::kIndustryCertification, ""},
    {"ext:WorkBasedLearning", AwardKind::kWorkBasedLearning, ""},
    {"Fieldwork", AwardKind::kWorkBasedLearning, "Fieldwork"},
    {"ApprenticeshipCertificate", AwardKind::kWorkBasedLearning, "Apprenticeship"},
    {"Degree", AwardKind::kDegree, ""},
    {"AssociateDegree", AwardKind::kDegree, "Associate"},
    {"BachelorDegree", AwardKind::kDegree, "Bachelor"},
    {"MasterDegree", AwardKind::kDegree, "Master"},
    {"DoctoralDegree", AwardKind::kDegree, "Doctoral"},
    {"ProfessionalDoctorate", AwardKind::kDegree, "ProfessionalDoctorate"},
    {"ResearchDoctorate", AwardKind::kDegree, "ResearchDoctorate"},
    {"Certificate", AwardKind::kCertificate, ""},
    {"CertificateOfCompletion", AwardKind::kCertificate, "CertificateOfCompletion"},
    {"MasterCertificate", AwardKind::kCertificate, "MasterCertificate"},
    {"JourneymanCertificate", AwardKind::kCertificate, "JourneymanCertificate"},
    {"License", AwardKind::kLicense, ""},
    {"Badge", AwardKind::kBadge, ""},
    {"Achievement", AwardKind::kOther, ""},
};

}  // namespace

bool HasType(const bj::object& o, std::string_view type) {
  const bj::value* v = o.if_contains("type");
  if (v == nullptr) return false;
  if (v->is_string()) return v->get_string() == type;
  if (const bj::array* a = v->if_array())
    for (const bj::value& e : *a)
      if (e.is_string() && e.get_string() == type) return true;
  return false;
}

bool IsAchievementCredential(const bj::object& credential) {
  return HasType(credential, "OpenBadgeCredential") || HasType(credential, "AchievementCredential");
}

bool IsAbsoluteUri(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == 0 || colon == std::string_view::npos || !std::isalpha(static_cast<unsigned char>(s[0])))
    return false;
  for (size_t i = 1; i < colon; ++i) {
    unsigned char c = s[i];
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  for (unsigned char c : s)
    if (c <= ' ' || c == 0x7f) return false;
  return colon + 1 < s.size();
}

std::string UriFor(std::string_view record_type, std::string_view id) {
  // An id that looks like one of ours is wrapped too, so IdFromUri gives it back.
  return IsAbsoluteUri(id) && !id.starts_with(kUrnPrefix) ? std::string(id)
                                                           : PathbridgeUrn(record_type, id);
}

std::string PathbridgeUrn(std::string_view record_type, std::string_view id) {
  return std::string(kUrnPrefix) + std::string(record_type) + ":" + PercentEncode(id);
}

std::string IdFromUri(std::string_view uri) {
  if (!uri.starts_with(kUrnPrefix)) return std::string(uri);
  std::string_view rest = uri.substr(kUrnPrefix.size());
  size_t colon = rest.find(':');
  return colon == std::string_view::npos ? std::string(uri) : PercentDecode(rest.substr(colon + 1));
}

bool IsPathbridgeUri(std::string_view uri, std::string_view record_type) {
  return uri.starts_with(std::string(kUrnPrefix) + std::string(record_type) + ":");
}

std::string AchievementTypeFor(AwardKind kind, std::string_view level) {
  const TypeRow* first = nullptr;
  for (const TypeRow& row : kTypes) {
    if (row.kind != kind) continue;
    if (row.level == level) return std::string(row.type);
    if (first == nullptr) first = &row;
  }
  return std::string(first != nullptr ? first->type : "Achievement");
}

AwardType AwardTypeFrom(std::string_view achievement_type) {
  for (const TypeRow& row : kTypes)
    if (row.type == achievement_type) return {row.kind, std::string(row.level), true};
  return {};
}

bj::object AlignmentFor(const canonical::Identifier& a) {
  std::string url;
  if (IsAbsoluteUri(a.value)) url = a.value;
  else if (a.system == "CIP") url = "https://nces.ed.gov/ipeds/cipcode/cipdetail.aspx?y=56&cipid=" + PercentEncode(a.value);
  else url = "urn:pathbridge:alignment:" + PercentEncode(a.system) + ":" + PercentEncode(a.value);
  bj::object o{{"type", bj::array{"Alignment"}},
               {"targetName", a.value},
               {"targetUrl", url},
               {"targetCode", a.value}};
  if (!a.system.empty()) o["targetFramework"] = a.system;
  if (a.system == "CTDL") {
    o["targetType"] = "CTDL";
  } else if (!a.system.empty() && a.system.find_first_not_of(
                                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
                                      std::string::npos) {
    o["targetType"] = "ext:" + a.system;
  }
  return o;
}

canonical::Identifier AlignmentFrom(const bj::object& o) {
  canonical::Identifier a;
  a.system = Str(o, "targetFramework");
  std::string_view type = Str(o, "targetType");
  if (a.system.empty()) a.system = type.starts_with("ext:") ? type.substr(4) : type;
  a.value = Str(o, "targetCode");
  if (a.value.empty()) a.value = Str(o, "targetUrl");
  if (a.value.empty()) a.value = Str(o, "targetName");
  return a;
}

bool IsHashedValue(std::string_view value) {
  return (value.starts_with("sha256$") || value.starts_with("md5$")) &&
         value.find('$', value.find('$') + 1) != std::string_view::npos;
}

bj::object IdentityObjectFor(std::string_view type, std::string_view value, const std::string* salt) {
  bj::object o{{"type", "IdentityObject"}, {"identityType", type}};
  if (IsHashedValue(value)) {
    size_t second = value.find('$', value.find('$') + 1);
    o["hashed"] = true;
    o["identityHash"] = value.substr(0, second);
    o["salt"] = value.substr(second + 1);
  } else if (salt != nullptr && !salt->empty()) {
    std::string input(value);
    input += *salt;
    o["hashed"] = true;
    o["identityHash"] = "sha256$" + ThreadDigester(HashAlgorithm::kSha256).Hash(input).Hex();
    o["salt"] = *salt;
  } else {
    o["hashed"] = false;
    o["identityHash"] = value;
  }
  return o;
}

std::string IdentityTypeFor(std::string_view system) {
  static constexpr std::string_view kEnum[] = {
      "name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress",
      "nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId",
      "sisSourcedId", "ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId",
      "ltiUserId", "identifier"};
  for (std::string_view e : kEnum)
    if (e == system) return std::string(system);
  std::string out = "ext:";
  for (char c : system) out += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '_';
  return out;
}

std::string SystemFromIdentityType(std::string_view identity_type) {
  return std::string(identity_type.starts_with("ext:") ? identity_type.substr(4) : identity_type);
}

std::string IdentityValueFrom(const bj::object& identity) {
  std::string value(Str(identity, "identityHash"));
  const bj::value* hashed = identity.if_contains("hashed");
  if (hashed != nullptr && hashed->is_bool() && hashed->get_bool())
    value += "$" + std::string(Str(identity, "salt"));
  return value;
}

std::string DateTimeFor(std::string_view date) {
  return date.size() == 10 ? std::string(date) + "T00:00:00Z" : std::string(date);
}

std::string DateFrom(std::string_view date_time) {
  return std::string(date_time.substr(0, std::min<size_t>(10, date_time.size())));
}

std::string NumberText(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::optional<double> ParseNumber(std::string_view text) {
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || !std::isfinite(d))
    return std::nullopt;
  return d;
}

}  // namespace pathbridge::adapters::open_badges
