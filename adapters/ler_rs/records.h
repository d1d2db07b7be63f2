// LER-RS (HR Open Learning and Employment Record Resume Standard 4.x)
// résumé JSON <-> canonical records.
//
// A résumé is one person: person (name, email, phone; a person.birthDate
// makes a demographics record), educationAndLearnings (an attendance ->
// an organization-kind enrollment at the institution; each educationDegree
// -> an achievementAward of kind degree issued by it), certifications and
// licenses (-> achievementAward of kind industryCertification / license,
// with the number as identifiers, issued date, expiration from
// effectiveTimePeriod.validTo), employmentHistories (the employer -> an
// organization; each positionHistory -> an employment record).
//
// An entry may instead (or also) hold "verifications": embedded
// verifiable credentials. An Open Badges 3.0 AchievementCredential
// decodes into its issuer (organization), its achievement
// (credentialDefinition) and the award; an HR Open provisional credential
// decodes as the entry it wraps. Its @context must resolve with the
// bundled loader (standards/jsonld), else decoding fails at the
// credential's JSON pointer. The verifications are kept verbatim in the
// first record the entry gives (extensions["ler-rs:verifications"]) and
// written back; records decoded from a credential are marked
// extensions["ler-rs:verifiedBy"] = that record's id, and are not written
// again on their own.
//
// Members the model has no slot for (addresses, narratives, skills,
// attachments...) are kept as JSON text in extensions["ler-rs:<member>"]
// for same-format round trips. They may be PII: diagnostics never quote
// them.
//
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "adapters/adapter.h"
#include "standards/canonical/model.h"
#include "standards/status.h"

namespace pathbridge::adapters::ler_rs {

// The LER-RS type URI the encoder writes (the catalog's LER-RSType.json).
inline constexpr std::string_view kLerRsType =
    "http://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/LER-RSType.json";

using WarnFn = std::function<void(std::string message, std::string pointer)>;

// The records of the résumé `resume`, which lies at `pointer` in its file;
// `subject_id` is the wrapping credential's credentialSubject.id, if any.
pathbridge::Result<std::vector<canonical::Record>> DecodeResume(
    const boost::json::object& resume, const std::string& pointer, const std::string& subject_id,
    const WarnFn& warn);

// What one résumé is made of, gathered by the encoder.
struct PersonRecords {
  canonical::Person person;
  std::optional<canonical::Demographics> demographics;
  std::vector<canonical::Enrollment> enrollments;
  std::vector<canonical::AchievementAward> awards;
  std::vector<canonical::Employment> employments;
};
// The organizations of every résumé, by id.
using Organizations = std::map<std::string, canonical::Organization>;

// The LER-RS document of one person.
boost::json::object EncodeResume(const PersonRecords& records, const Organizations& orgs,
                                 const WarnFn& warn);

void AddCapabilities(Capabilities& reads, Capabilities& writes);

}  // namespace pathbridge::adapters::ler_rs
