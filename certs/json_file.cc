#include "certs/json_file.h"

#include <fstream>
#include <sstream>

#include "standards/json.h"

namespace pathbridge::certs {

Result<boost::json::value> ReadJsonFile(const std::filesystem::path& path, std::size_t max_size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open", path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  json::ParseOptions options;
  options.max_size = max_size;
  auto v = json::Parse(ss.str(), options);
  if (!v.ok()) return v.status().WithContext(path.string());
  return v;
}

}  // namespace pathbridge::certs
