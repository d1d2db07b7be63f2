// The OneRoster 1.2 REST JSON bindings: for each collection (orgs, users,
// ...) how one JSON object maps to a canonical record and back. The member
// tables are derived from the oneroster-csv column tables (columns.h): every
// CSV column is a JSON member of the same name unless a binding says
// otherwise (a GUIDRef {"href","sourcedId","type"} for a *SourcedId column,
// an array for a list column, a JSON number or boolean), and values go
// through the CSV columns' readers and writers, so both formats convert
// values the same way and carry the same fields.
//
// Beyond the CSV columns: users' `userIds` are [{"type","identifier"}],
// users' `roles` [{"roleType","role","org"}] map to the person's role,
// orgIds and primaryOrgId (entries with more detail than that are also kept
// verbatim in the `roles` extension); `metadata` members become extensions
// "metadata.<name>" (as the CSV adapter names metadata columns); other
// unknown members become extensions by name. Objects and arrays in
// extensions are kept as their compact JSON text and written back as JSON.
//
// Thread-safety: the bindings are built once and read-only afterwards.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "adapters/adapter.h"

namespace pathbridge::adapters::oneroster_json {

// Reports an odd value; `pointer` is relative to the object ("/role").
using FieldWarnFn = std::function<void(std::string message, std::string pointer)>;

class Collection {
 public:
  virtual ~Collection() = default;
  virtual std::string_view name() const = 0;    // "users": collection member and file name
  virtual std::string_view single() const = 0;  // "user": the single-object member
  // Maps one object to a record. Errors' where() is a pointer relative to
  // the object ("" for the object itself).
  virtual Status Decode(const boost::json::object& object, canonical::Record* out,
                        const FieldWarnFn& warn) const = 0;
  // Whether `record` belongs in this collection.
  virtual bool Holds(const canonical::Record& record) const = 0;
  // The object for a record this collection Holds(); extensions it cannot
  // place (a name that clashes with a member) are reported through warn.
  virtual boost::json::object Encode(const canonical::Record& record,
                                     const FieldWarnFn& warn) const = 0;
  virtual void AddCapabilities(Capabilities& reads, Capabilities& writes) const = 0;
};

// Every collection, in dependency order (orgs, academicSessions, courses,
// classes, users, demographics, roles, enrollments, categories, lineItems,
// results).
const std::vector<const Collection*>& Collections();
// The collection whose collection or single-object member is `member`, or nullptr.
const Collection* FindCollection(std::string_view member);

}  // namespace pathbridge::adapters::oneroster_json
