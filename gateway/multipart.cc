#include "gateway/multipart.h"

#include "gateway/http.h"

namespace pathbridge::gateway {
namespace {

constexpr std::string_view kCrlf = "\r\n";

std::string Offset(size_t pos) { return "offset " + std::to_string(pos); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsBoundaryChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

bool IsTokenChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// `; name=value` parameters after a media type or disposition type, values
// tokens or quoted strings without escapes. Names are lower-cased.
Result<std::vector<std::pair<std::string, std::string>>> Params(std::string_view rest,
                                                                const std::string& where) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!(rest = Trim(rest)).empty()) {
    if (rest.front() != ';') return InvalidArgument("expected ';' before a parameter", where);
    rest = Trim(rest.substr(1));
    size_t eq = rest.find('=');
    if (eq == std::string_view::npos || eq == 0) return InvalidArgument("expected name=value", where);
    std::string name;
    for (char c : rest.substr(0, eq)) {
      if (!IsTokenChar(c)) return InvalidArgument("bad parameter name", where);
      name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    for (const auto& p : out)
      if (p.first == name) return InvalidArgument("repeated parameter " + name, where);
    rest.remove_prefix(eq + 1);
    std::string value;
    if (!rest.empty() && rest.front() == '"') {
      size_t close = rest.find('"', 1);
      if (close == std::string_view::npos) return InvalidArgument("unclosed quoted string", where);
      value = rest.substr(1, close - 1);
      rest.remove_prefix(close + 1);
    } else {
      size_t end = 0;
      while (end < rest.size() && IsTokenChar(rest[end])) ++end;
      if (end == 0) return InvalidArgument("empty parameter value", where);
      value = rest.substr(0, end);
      rest.remove_prefix(end);
    }
    for (char c : value)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        return InvalidArgument("control character in a parameter", where);
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

Status ReadDisposition(std::string_view value, FormPart& part, const std::string& where) {
  size_t semi = value.find(';');
  if (!EqualsIgnoreCase(Trim(value.substr(0, semi)), "form-data"))
    return InvalidArgument("Content-Disposition must be form-data", where);
  PB_ASSIGN_OR_RETURN(auto params,
                      Params(semi == std::string_view::npos ? "" : value.substr(semi), where));
  bool named = false;
  for (auto& [name, v] : params) {
    if (name == "name") {
      part.name = std::move(v);
      named = true;
    } else if (name == "filename") {
      part.filename = std::move(v);
    } else {
      return InvalidArgument("unexpected Content-Disposition parameter " + name, where);
    }
  }
  if (!named || part.name.empty()) return InvalidArgument("a part needs a name", where);
  return Status::Ok();
}

// The header block of a part, `headers` without its final blank line.
Status ReadHeaders(std::string_view headers, size_t base, FormPart& part) {
  bool disposition = false, type = false;
  size_t pos = 0;
  while (pos < headers.size()) {
    size_t end = headers.find(kCrlf, pos);
    if (end == std::string_view::npos) end = headers.size();
    std::string_view line = headers.substr(pos, end - pos);
    std::string where = Offset(base + pos);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || line.front() == ' ' || line.front() == '\t')
      return InvalidArgument("malformed part header", where);
    std::string_view name = line.substr(0, colon), value = Trim(line.substr(colon + 1));
    if (EqualsIgnoreCase(name, "Content-Disposition")) {
      if (disposition) return InvalidArgument("repeated Content-Disposition", where);
      disposition = true;
      PB_RETURN_IF_ERROR(ReadDisposition(value, part, where));
    } else if (EqualsIgnoreCase(name, "Content-Type")) {
      if (type) return InvalidArgument("repeated Content-Type", where);
      type = true;
      part.content_type = value;
    }  // other headers (RFC 7578 §4.8: to be ignored)
    pos = end + kCrlf.size();
  }
  if (!disposition) return InvalidArgument("a part without Content-Disposition", Offset(base));
  return Status::Ok();
}

}  // namespace

Result<std::string> FormDataBoundary(std::string_view content_type) {
  size_t semi = content_type.find(';');
  if (!EqualsIgnoreCase(Trim(content_type.substr(0, semi)), "multipart/form-data"))
    return InvalidArgument("expected multipart/form-data", "Content-Type");
  PB_ASSIGN_OR_RETURN(
      auto params,
      Params(semi == std::string_view::npos ? "" : content_type.substr(semi), "Content-Type"));
  std::string boundary;
  for (auto& [name, value] : params)
    if (name == "boundary") boundary = std::move(value);
  if (boundary.empty() || boundary.size() > 70 || boundary.back() == ' ')
    return InvalidArgument("a boundary of 1 to 70 characters is required", "Content-Type");
  for (char c : boundary)
    if (!IsBoundaryChar(c)) return InvalidArgument("character not allowed in the boundary", "Content-Type");
  return boundary;
}

Result<std::vector<FormPart>> ParseFormData(std::string_view body, std::string_view boundary,
                                            MultipartLimits limits) {
  const std::string dash = "--" + std::string(boundary);
  const std::string delimiter = std::string(kCrlf) + dash;
  if (!body.starts_with(dash + std::string(kCrlf)))
    return InvalidArgument("the body must start with the boundary", Offset(0));
  std::vector<FormPart> parts;
  size_t pos = dash.size() + kCrlf.size();
  while (true) {
    if (parts.size() == limits.max_parts)
      return InvalidArgument("too many parts (at most " + std::to_string(limits.max_parts) + ")",
                             Offset(pos));
    if (body.substr(pos).starts_with(kCrlf)) return InvalidArgument("a part without headers", Offset(pos));
    size_t blank = body.find("\r\n\r\n", pos);
    if (blank == std::string_view::npos || blank - pos > limits.max_header_bytes)
      return InvalidArgument("part headers too long or unterminated", Offset(pos));
    FormPart part;
    PB_RETURN_IF_ERROR(ReadHeaders(body.substr(pos, blank - pos), pos, part));
    size_t content = blank + 4;
    size_t end = body.find(delimiter, content);
    if (end == std::string_view::npos) return InvalidArgument("a part is not closed", Offset(content));
    part.body = body.substr(content, end - content);
    parts.push_back(std::move(part));
    pos = end + delimiter.size();
    std::string_view after = body.substr(pos);
    if (after.starts_with("--")) {
      if (after.size() == 2 || after.substr(2) == kCrlf) return parts;
      return InvalidArgument("text after the closing boundary", Offset(pos + 2));
    }
    if (!after.starts_with(kCrlf)) return InvalidArgument("expected CRLF after the boundary", Offset(pos));
    pos += kCrlf.size();
  }
}

}  // namespace pathbridge::gateway
