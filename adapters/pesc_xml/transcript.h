// One PESC transcript (<CollegeTranscript> or <HighSchoolTranscript>) to
// and from canonical records.
//
// Reading: TransmissionData Source/Destination and each AcademicRecord's
// School (and a course's CourseOverrideSchool) become organizations; the
// Student's Person a person (role student) and demographics; each
// AcademicSession an academicSession; each Course a course (shared by every
// student who took it, by institution and subject + number) and a
// courseResult; AcademicSummary an academicSummary (per session, or
// cumulative at record level); AcademicAward an achievementAward (degree,
// certificate or diploma by AcademicAwardLevel). A course is dual credit when
// its CourseCreditBasis is HighSchoolDualCredit or its CourseCreditLevel is
// DualHighSchoolCollege; its dualCreditInstitutionId is the
// CourseOverrideSchool, or on a college transcript the college itself.
// Elements the model has no slot for go into the extensions of the person,
// course result, session, summary or award they belong to (xml_tree.h).
// Placeholder dates "0001-01-01" (written by .NET serializers for "none")
// read as absent.
//
// Identifiers are never put into diagnostics or error messages.
//
// Thread-safety: a TranscriptReader is used by one decoder on one thread;
// WriteTranscript is a pure function.
#pragma once

#include <pugixml.hpp>

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/adapter.h"
#include "adapters/sif_xml/xml_scanner.h"

namespace pathbridge::adapters::pesc_xml {

enum class TranscriptKind { kCollege, kHighSchool };

// Where a transcript element was read from.
struct Origin {
  std::string file;
  const sif_xml::ScannedElement* element = nullptr;  // its text and position
  std::string parent_xpath;  // e.g. "/AcademicRecordBatch/BatchContent"; "" at the root
  size_t index = 0;          // its [n] among the transcripts of a batch; 0 at the root
  std::map<std::string, std::string> namespaces;  // declarations in scope outside it
};

class TranscriptReader {
 public:
  explicit TranscriptReader(DiagnosticFn note) : note_(std::move(note)) {}
  // Appends the records of `transcript` to *out. Organizations, sessions and
  // courses already read from the same input are not repeated.
  Status Read(pugi::xml_node transcript, const Origin& origin, std::deque<canonical::Record>* out);

 private:
  friend class ReadContext;
  DiagnosticFn note_;
  std::set<std::string> seen_;      // organization, session and course ids
  std::set<std::string> reported_;  // elements said once to be dropped
};

// A student's records, gathered for one transcript.
struct StudentRecords {
  canonical::Person person;
  std::optional<canonical::Demographics> demographics;
  std::vector<canonical::CourseResult> results;
  std::vector<canonical::AcademicSummary> summaries;
  std::vector<canonical::AchievementAward> awards;
  // Sessions no result or summary refers to (one that held only an award),
  // written in this student's transcript.
  std::vector<std::string> empty_sessions;
};
// The records transcripts refer to, by id.
struct Catalog {
  std::map<std::string, canonical::Organization> orgs;
  std::map<std::string, canonical::AcademicSession> sessions;
  std::map<std::string, canonical::Course> courses;
};

// Appends the transcript element for `student` to `parent`, with the root
// element name and namespace of `kind` (CollegeTranscript v1.8.0,
// HighSchoolTranscript v1.6.0). `note` hears what could not be written.
void WriteTranscript(TranscriptKind kind, const StudentRecords& student, const Catalog& catalog,
                     pugi::xml_node parent, const std::function<void(std::string)>& note);

// The transcript namespaces pathbridge writes.
inline constexpr std::string_view kCollegeNamespace = "urn:org:pesc:message:CollegeTranscript:v1.8.0";
inline constexpr std::string_view kHighSchoolNamespace =
    "urn:org:pesc:message:HighSchoolTranscript:v1.6.0";
inline constexpr std::string_view kBatchNamespace = "urn:org:pesc:message:AcademicRecordBatch:v2.0.0";

}  // namespace pathbridge::adapters::pesc_xml
