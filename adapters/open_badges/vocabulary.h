// The mapping vocabulary shared by the ob3 and clr2 adapters (Open Badges
// 3.0 and CLR 2.0): record ids as JSON-LD ids and back, achievement types as
// award kinds and levels, alignments, identity objects, dates, and the
// result types that carry grades.
//
// Ids: an id that is already an absolute URI (a DID, an https URL) is used as
// is; any other (or one starting "urn:pathbridge:") becomes "urn:pathbridge:<recordType>:<percent-encoded id>",
// which IdFromUri turns back into the id.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "standards/canonical/model.h"

namespace pathbridge::adapters::open_badges {

inline constexpr std::string_view kVcContext = "https://www.w3.org/ns/credentials/v2";
inline constexpr std::string_view kObContext =
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
inline constexpr std::string_view kClrContext =
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";

// Whether the type of `o` (a string or an array of them) includes `type`.
bool HasType(const boost::json::object& o, std::string_view type);
// An Open Badges 3.0 credential: of type OpenBadgeCredential or
// AchievementCredential (the older name).
bool IsAchievementCredential(const boost::json::object& credential);

// Whether `s` starts with a URI scheme ("did:", "https:", "urn:").
bool IsAbsoluteUri(std::string_view s);
std::string UriFor(std::string_view record_type, std::string_view id);
// "urn:pathbridge:<recordType>:<percent-encoded id>", whatever the id.
std::string PathbridgeUrn(std::string_view record_type, std::string_view id);
std::string IdFromUri(std::string_view uri);
// Whether `uri` is one UriFor made for a record of `record_type`.
bool IsPathbridgeUri(std::string_view uri, std::string_view record_type);

// Award kinds and degree levels as OB 3.0 achievementType values.
std::string AchievementTypeFor(canonical::AwardKind kind, std::string_view level);
struct AwardType {
  canonical::AwardKind kind = canonical::AwardKind::kOther;
  std::string level;
  bool known = false;  // false: an achievementType the model has no kind for
};
AwardType AwardTypeFrom(std::string_view achievement_type);

// A canonical alignment {framework, code} as an OB 3.0 Alignment and back.
boost::json::object AlignmentFor(const canonical::Identifier& alignment);
canonical::Identifier AlignmentFrom(const boost::json::object& alignment);

// The OB 3.0 IdentityObject for an identity of type `type` (an
// IdentifierTypeEnum value, or "ext:<name>"). A value of the form
// "sha256$<hex>$<salt>" (what decoding a hashed IdentityObject gives) is
// written hashed, as it came; otherwise, with `salt` non-empty, the value is
// hashed as the spec says: "sha256$" + hex(SHA-256(value + salt)).
boost::json::object IdentityObjectFor(std::string_view type, std::string_view value,
                                      const std::string* salt);
// Identity types as identifier systems: the enum values as they are,
// "ext:X" as "X"; and back ("LDAP" -> "ext:LDAP").
std::string IdentityTypeFor(std::string_view system);
std::string SystemFromIdentityType(std::string_view identity_type);
// An IdentityObject's value as decoding keeps it: the plain value, or
// "sha256$<hex>$<salt>" for a hashed one.
std::string IdentityValueFrom(const boost::json::object& identity);
bool IsHashedValue(std::string_view value);

// "YYYY-MM-DD" as an XML Schema dateTime at midnight UTC, and a dateTime's
// date part.
std::string DateTimeFor(std::string_view date);
std::string DateFrom(std::string_view date_time);

// Result types for the canonical result values (the resultType of the
// achievement's ResultDescription).
inline constexpr std::string_view kLetterGrade = "LetterGrade";
inline constexpr std::string_view kNumericGrade = "RawScore";
inline constexpr std::string_view kGradePoints = "ext:GradePoints";
inline constexpr std::string_view kClockHours = "ext:ClockHours";

// A number as a Result value ("93.5", "4").
std::string NumberText(double d);
std::optional<double> ParseNumber(std::string_view text);

}  // namespace pathbridge::adapters::open_badges
