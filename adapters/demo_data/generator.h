// A synthetic school district for demos and benchmarks: a district with
// elementary (KG-5), middle (6-8) and high (9-12) schools sized like real
// ones, a 2024-25 school year with semesters and quarters, a district course
// catalog (high-school courses with their NCES SCED codes), classes with
// teachers, students with one or two guardians, demographics, roles, class
// enrollments, one gradebook line item per class and a result for every
// enrolled student. For N students that is about 4.8 N class enrollments and
// 4.6 N results (N = 100,000: 0.94M enrollments + results, 1.63M records in
// all, a 185 MB bundle).
//
// This is a generator of canonical records, not a format adapter (it is not
// in the registry): GenerateDistrict produces the records, WriteDistrictBundle
// writes them through the oneroster-csv encoder, which streams them to temp
// files and renames the finished bundle (folder or .zip) into place.
//
// Deterministic: the same options give byte-identical output. Each record is
// drawn from a random stream seeded by (seed, record kind, index), and
// catalogs (schools, courses, classes, teachers) are computed from the
// counts, so memory holds the catalogs and one student's records at a time.
//
// `messy` adds plausible real-world defects that the oneroster-csv decoder
// tolerates with warnings or passes through: stray spaces around some names,
// missing emails, a vendor column ("legacyStudentNumber") on some users, and
// a few class enrollments marked tobedeleted. Off by default: a clean bundle
// decodes with no warnings.
//
// Thread-safety: pure functions; concurrent calls are independent.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "standards/canonical/model.h"
#include "standards/status.h"

namespace pathbridge::adapters::demo_data {

struct DistrictOptions {
  uint64_t students = 1000;
  uint64_t seed = 1;
  bool messy = false;
};

// What a run produced, by kind (persons = students + teachers + guardians).
struct DistrictCounts {
  uint64_t orgs = 0, sessions = 0, categories = 0, courses = 0, classes = 0;
  uint64_t students = 0, teachers = 0, guardians = 0, demographics = 0;
  uint64_t roles = 0, enrollments = 0, line_items = 0, results = 0;
  uint64_t records() const {
    return orgs + sessions + categories + courses + classes + students + teachers + guardians +
           demographics + roles + enrollments + line_items + results;
  }
};

using RecordSink = std::function<Status(const canonical::Record&)>;

// Calls `sink` with every record of the district (catalogs first, then each
// student with their guardians, demographics, roles, enrollments and
// results); stops at the sink's first error. `students` must be >= 1.
pathbridge::Result<DistrictCounts> GenerateDistrict(const DistrictOptions& options,
                                                    const RecordSink& sink);

// Writes the district as a OneRoster 1.2 CSV bundle: a folder, or a zip if
// `output` ends in ".zip". Nothing is left at `output` on error.
pathbridge::Result<DistrictCounts> WriteDistrictBundle(const DistrictOptions& options,
                                                       const std::filesystem::path& output);

}  // namespace pathbridge::adapters::demo_data
