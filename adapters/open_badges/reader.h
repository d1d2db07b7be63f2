// Reads Open Badges 3.0 AchievementCredentials (OpenBadgeCredential) and CLR
// 2.0 ClrCredentials, signed or not (a proof is neither checked nor kept:
// that is `pathbridge credential verify`'s job), into canonical records:
//   issuer Profile (and an achievement's creator) -> organization
//   credentialSubject (id, identifier[])          -> person
//   achievement of achievementType "Course"       -> course, and the
//     credential -> courseResult (results by resultType, term and activity
//     dates -> academicSession)
//   any other achievement                         -> credentialDefinition
//     (unless pathbridge made it up for an award that had none), and the
//     credential -> achievementAward
//   a CLR: its issuer and subject as above, each verifiableCredential as
//     above, achievement[] entries no credential carried -> credentialDefinition.
// docs/adapters.md has the field table. A document must be valid JSON-LD
// with contexts the bundled loader serves (jsonld::BundledLoader): it is
// expanded before it is read, so an unresolvable @context, or a broken VC,
// OB or CLR one, is an error at its JSON pointer (a broken extension
// context is left out, with a warning).
//
// Catalog records (organizations, persons, courses, sessions, definitions)
// are emitted once per reader, the first time their id is seen: the reader
// keeps the set of ids emitted, which grows with them, not with results.
//
// Thread-safety: a RecordReader is used by one thread at a time.
#pragma once

#include <deque>
#include <set>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "adapters/warnings.h"
#include "standards/canonical/model.h"
#include "standards/status.h"

namespace pathbridge::adapters::open_badges {

enum class Format { kOb3, kClr2 };

class RecordReader {
 public:
  RecordReader(Format format, Warnings& warnings) : format_(format), warnings_(warnings) {}

  // Reads one parsed document of `file`: a credential, or an array of them
  // (what the encoders write with layout=array). Appends records to *out.
  // Errors are kInvalidArgument at "file /json/pointer".
  Status ReadDocument(const boost::json::value& doc, const std::string& file,
                      std::deque<canonical::Record>* out);

 private:
  struct Doc;
  Status CheckJsonLd(const boost::json::object& c, Doc& d, const std::string& pointer);
  Status ReadCredential(const boost::json::object& c, Doc& d, const std::string& pointer);
  Status ReadAchievementCredential(const boost::json::object& c, Doc& d, const std::string& pointer);
  Status ReadClr(const boost::json::object& c, Doc& d, const std::string& pointer);
  std::string ReadProfile(const boost::json::value& profile, Doc& d, const std::string& pointer);
  std::string ReadSubject(const boost::json::object& subject, std::string_view credential_id,
                          Doc& d, const std::string& pointer);
  std::string ReadCourse(const boost::json::object& achievement, Doc& d, const std::string& pointer);
  std::string ReadDefinition(const boost::json::object& achievement, Doc& d,
                             const std::string& pointer);
  std::string ReadSession(const boost::json::object& subject, Doc& d, const std::string& pointer);
  // Emits `r` unless a record of its type and id was emitted before.
  void Emit(canonical::Record r, Doc& d);

  Format format_;
  Warnings& warnings_;
  std::set<std::string> seen_;  // "<recordType> <id>"
};

}  // namespace pathbridge::adapters::open_badges
