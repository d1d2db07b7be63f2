// Canonical model values as JSON, field by field (by model field path), for
// what the edfi-json adapter stores outside Ed-Fi's own properties: the
// pathbridge extension ("_ext": {"pathbridge": {"fields": {...}}}) that
// keeps a model value Ed-Fi's property could not reproduce, and a record's
// JSON form for tests and diagnostics (encoders spool record bytes,
// standards/canonical/record_bytes.h). Strings, lists and booleans map to
// their JSON kinds; enumerations to their integer value
// (pathbridge-internal); identifiers to [system, value] pairs; extensions
// to an object.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "adapters/adapter.h"
#include "standards/canonical/model.h"
#include "standards/status.h"

namespace pathbridge::adapters::edfi_json {

class DirectFields;  // resources.h

// The value of field `path` ("person.givenName"), or nullopt if `r` has no
// such field.
std::optional<boost::json::value> FieldToJson(const canonical::Record& r, std::string_view path);
// Sets field `path` of `r` from `v`; false if there is no such field or `v`
// has the wrong JSON kind.
bool FieldFromJson(canonical::Record& r, std::string_view path, const boost::json::value& v);

// Every present field, plus "@type" (the record type).
boost::json::object RecordToJson(const canonical::Record& r);

// The pathbridge extension of an Ed-Fi element,
// "_ext": {"pathbridge": {"fields": {"<field path>": value}}}: the model
// values the element's own members do not reproduce. Apply sets each on the
// first of `records` of the path's type and returns the paths it could not
// set (no such record or field, or a value of the wrong kind).
std::vector<std::string> ApplyPathbridgeFields(const boost::json::object& element,
                                               std::vector<canonical::Record>& records);
// The element's "fields" object (nullptr if none), and applying one apart
// from its element (the Ed-Fi decoder keeps a student's until it is joined).
const boost::json::value* PathbridgeFieldsOf(const boost::json::object& element);
std::vector<std::string> ApplyPathbridgeFieldValues(const boost::json::value& fields,
                                                    std::vector<canonical::Record>& records);
// Adds `fields` (unless empty) as the element's pathbridge extension.
void PutPathbridgeFields(boost::json::object& element, boost::json::object fields);
// Adds to `out` each field path of `want` that `caps` carries and whose
// value differs in `got`, with want's value. Typed, with no Record copy:
// it runs for every element the Ed-Fi encoder checks. Instantiated for the
// record types Ed-Fi resources carry (organization, person, demographics,
// session, course, section, enrollment, course result, award).
template <typename T>
void AddDifferences(const T& want, const T& got, const Capabilities& caps,
                    boost::json::object& out);
// The fields to compare as a mask, bit i for the i-th field in T::Fields
// order: those `caps` carries and `skip` does not accept. ForEachDifference
// adds each such field of `want` that differs in `got` to `out` (its path,
// want's value), in order: a text value as it is, any other through a
// JSON value.
template <typename T>
uint64_t ComparedFields(const Capabilities& caps,
                        const std::function<bool(std::string_view)>& skip);
// The bit of T's field `path` ("demographics.sex") in such a mask; 0 if T
// has no such field.
template <typename T>
uint64_t FieldBit(std::string_view path);
template <typename T>
void ForEachDifference(const T& want, const T& got, uint64_t compared, DirectFields& out);

// Copies into `into` every field that is absent there and present in `from`.
template <typename T>
void MergeMissing(T& into, const T& from);

}  // namespace pathbridge::adapters::edfi_json
