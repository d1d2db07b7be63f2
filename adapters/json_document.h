// Reading and writing whole JSON documents for the single-document formats
// (LER-RS résumés, CTDL resources): the input files of a file-or-folder
// input, one document read and parsed strictly (standards/json.h) with its
// size bounded, member access that says where, and writing a text file.
//
// Thread-safety: pure functions.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "adapters/adapter.h"
#include "standards/status.h"

namespace pathbridge::adapters {

// The documents of `input`: itself when it is a stream or a file; the
// .json files of a folder, by name (kNotFound when there are none).
pathbridge::Result<std::vector<Input>> JsonInputs(const Input& input);

// One JSON document from `in` (at most max_bytes; larger is
// kResourceExhausted). Errors are located "name:line:column /pointer".
pathbridge::Result<boost::json::value> ReadJsonDocument(std::istream& in, const std::string& name,
                                                        size_t max_bytes);

// "<pointer>/<token>", the token escaped per RFC 6901.
std::string Child(std::string_view pointer, std::string_view token);
std::string Child(std::string_view pointer, size_t index);

// Member `key` of `o` if it is a string (else ""), and of a value that may
// not be an object.
std::string StringMember(const boost::json::object& o, std::string_view key);
std::string StringMember(const boost::json::value* v, std::string_view key);
// Member `key` as an object / array, or nullptr.
const boost::json::object* ObjectMember(const boost::json::object& o, std::string_view key);
const boost::json::array* ArrayMember(const boost::json::object& o, std::string_view key);
// A number member as a double, nullopt when absent or not a number.
std::optional<double> NumberMember(const boost::json::object& o, std::string_view key);

// A value that is one item or an array of items, as a list of pointers.
std::vector<const boost::json::value*> OneOrMany(const boost::json::value* v);

// Writes `text` to `path`; kIoError naming it on failure.
Status WriteTextFile(const std::filesystem::path& path, std::string_view text);

}  // namespace pathbridge::adapters
