// The OneRoster 1.2 CSV files as tables of columns: for each file, its
// headers in the specification's order, each bound to a canonical model
// field with a reader (tolerant: odd but understood values give a warning,
// values it cannot understand are kept verbatim in the record's extensions
// under the header name, with a warning) and a writer (strict 1.2 syntax).
// Decoding, encoding and the adapter's capability lists all derive from
// these tables, so they cannot disagree.
//
// Thread-safety: the tables are built once and read-only afterwards.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "standards/canonical/model.h"

namespace pathbridge::adapters::oneroster_csv {

// Reports a problem with one cell; the caller adds the location.
using WarnFn = std::function<void(std::string message)>;

template <typename T>
struct Column {
  std::string_view header;             // the 1.2 name
  std::string_view field;              // model field name; "" = kept in extensions
  std::vector<std::string_view> aliases;  // 1.1 or common alternative names
  bool read_only = false;              // a 1.1 column that 1.2 dropped: read, never written
  // Sets the field from a non-empty cell.
  std::function<void(T&, std::string_view, const WarnFn&)> read;
  // The cell for the field ("" if absent).
  std::function<std::string(const T&)> write;
  // For a list column, its member, so that bindings with real arrays (JSON)
  // need not join and split items (which may contain commas).
  std::vector<std::string> T::*list = nullptr;
  // For a plain text column, its member: the reader moves the cell in
  // instead of copying it (a copy per cell cost 3% of reading).
  std::string T::*text = nullptr;
  // With `text`, a check the cell must pass to be moved in as it is (a
  // date in ISO form, a date-time in RFC 3339); a cell that fails goes
  // through `read`.
  bool (*as_is)(std::string_view) = nullptr;
};

template <typename T>
struct FileSpec {
  std::string_view name;  // "users" (users.csv, manifest key file.users)
  std::vector<Column<T>> columns;
  std::vector<std::string_view> required;  // headers that must be present
};

const FileSpec<canonical::Organization>& OrgsFile();
const FileSpec<canonical::AcademicSession>& AcademicSessionsFile();
const FileSpec<canonical::Course>& CoursesFile();
const FileSpec<canonical::Section>& ClassesFile();
const FileSpec<canonical::Person>& UsersFile();
const FileSpec<canonical::Demographics>& DemographicsFile();
const FileSpec<canonical::Enrollment>& RolesFile();        // kind kOrganization
const FileSpec<canonical::Enrollment>& EnrollmentsFile();  // kind kSection
const FileSpec<canonical::Category>& CategoriesFile();
const FileSpec<canonical::LineItem>& LineItemsFile();
const FileSpec<canonical::LineItemResult>& ResultsFile();

// Whether users.csv `userIds` (and the JSON userIds array) carries the
// identifier: every system but the ones with a column of their own.
bool CarriedInUserIds(const canonical::Identifier& id);

// Whether an enrollment is a class roster entry (enrollments.csv) rather
// than an organization role (roles.csv).
bool IsSectionEnrollment(const canonical::Enrollment& e);

// Every file name of the 1.2 bundle, in manifest order (for file.<name>
// lines), including the ones pathbridge does not translate.
const std::vector<std::string_view>& ManifestFileNames();

}  // namespace pathbridge::adapters::oneroster_csv
