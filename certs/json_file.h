// Reading a JSON file (a document map, org.json, a trust list) with the
// strict reader and a size limit; errors name the file
// ("trust.json:3:7 /entries/0: ...").
//
// Thread-safety: pure function over a file.
#pragma once

#include <cstddef>
#include <filesystem>

#include <boost/json/value.hpp>

#include "standards/status.h"

namespace pathbridge::certs {

// kNotFound if the file cannot be opened.
Result<boost::json::value> ReadJsonFile(const std::filesystem::path& path, std::size_t max_size);

}  // namespace pathbridge::certs
