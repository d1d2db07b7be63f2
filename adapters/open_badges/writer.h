// Writes canonical records as unsigned Open Badges 3.0 AchievementCredentials
// (one per courseResult or achievementAward) and CLR 2.0 ClrCredentials (one
// per person, holding that person's AchievementCredentials). Signing is
// ledger/credentials' job (`pathbridge credential issue`), which keeps what
// is written here and adds id-independent issuance data (the issuer's DID,
// credentialStatus, proof).
//
// What goes where (docs/adapters.md has the field table):
//   issuer: the awarding organization (a courseResult's awardingOrgId, else
//     its course's orgId; an award's issuerOrgId) as a Profile whose id is
//     the organization's "did" identifier, else its id as a URI (vocabulary.h);
//   credentialSubject: see Settings; the achievement: the course (type
//     "Course"), the award's credentialDefinition, or, for an award without
//     one, an Achievement made from the award (id urn:pathbridge:achievementAward:...,
//     which reading recognizes and does not turn into a definition);
//   results: letter grade, numeric grade (RawScore), grade points
//     (ext:GradePoints), hours (ext:ClockHours), each with its
//     ResultDescription on the achievement, and a status "Completed";
//   validFrom: the completion/award date (also written as awardedDate),
//     else the time of writing (OB 3.0 requires one; the issuer may set its
//     own when signing).
// Every term written is defined by the VC 2.0, OB 3.0.3 and CLR 2.0.1
// contexts (tests expand the output and check that none is undefined).
//
// Thread-safety: a CredentialWriter is used by one thread at a time.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "adapters/warnings.h"
#include "standards/canonical/model.h"

namespace pathbridge::adapters::open_badges {

// The catalog records credentials refer to, by id (kept in memory: they
// grow with the catalog, not with results).
struct Catalog {
  std::map<std::string, canonical::Organization, std::less<>> organizations;
  std::map<std::string, canonical::Course, std::less<>> courses;
  std::map<std::string, canonical::AcademicSession, std::less<>> sessions;
  std::map<std::string, canonical::CredentialDefinition, std::less<>> definitions;
  // Keeps `r` if it is one of the types above; false otherwise.
  bool Add(const canonical::Record& r);
};

struct Settings {
  // How the person is identified in credentialSubject: its "did" identifier
  // as the subject id, and IdentityObjects for its id (sourcedId), email
  // and other identifiers: hashed with `salt` (sha256, as OB 3.0 says) when
  // `hash_identities`, plain otherwise. Names are never written.
  bool hash_identities = true;
  std::string salt;
  std::string now;  // RFC 3339, for validFrom when no date is known
  // The issuer id of credentials whose awarding organization has no "did"
  // identifier: the DID of the hub organization that will sign them
  // (`pathbridge credential issue` signs only credentials naming it).
  std::string issuer_did;
};

// Hashed identities with a fresh random salt (one per run, so that one run's
// documents agree), and now for validFrom.
Settings DefaultSettings();

class CredentialWriter {
 public:
  CredentialWriter(const Catalog& catalog, Settings settings, Warnings& warnings, std::string where)
      : catalog_(catalog), settings_(std::move(settings)), warnings_(warnings),
        where_(std::move(where)) {}

  // `person` may be null (the person record never arrived).
  boost::json::object AchievementCredential(const canonical::CourseResult& r,
                                            const canonical::Person* person);
  boost::json::object AchievementCredential(const canonical::AchievementAward& r,
                                            const canonical::Person* person);
  // A CLR of `credentials` (AchievementCredentials written above) about the
  // person `person_id`, issued by organization `issuer_org_id`, listing the
  // credential definitions `definition_ids` (of the catalog) as achievements
  // the learner has without a credential of their own.
  boost::json::object Clr(const std::string& person_id, const canonical::Person* person,
                          const std::string& issuer_org_id, boost::json::array credentials,
                          const std::vector<std::string>& definition_ids);

 private:
  void Warn(std::string message);
  boost::json::object Profile(const std::string& org_id);
  boost::json::object IssuerProfile(const std::string& org_id);
  boost::json::object Subject(std::string_view type, const std::string& person_id,
                              const canonical::Person* person);
  boost::json::object CourseAchievement(const std::string& course_id);
  boost::json::object AwardAchievement(const canonical::AchievementAward& r);
  boost::json::object Credential(std::string id, const std::string& issuer_org_id,
                                 std::string_view date, std::string name,
                                 boost::json::object subject);

  const Catalog& catalog_;
  Settings settings_;
  Warnings& warnings_;
  std::string where_;
};

}  // namespace pathbridge::adapters::open_badges
