#include "gateway/access_log.h"

#include <cstdio>

#include "gateway/metrics.h"
#include "standards/time.h"

namespace pathbridge::gateway {
namespace {

// UTC with milliseconds, always three digits so lines align and sort.
std::string NowText() {
  Timestamp t = Now();
  int millis = t.nanos / 1'000'000;
  t.nanos = 0;
  std::string text = FormatRfc3339(t);  // "...:ssZ"
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", millis);
  return text.insert(text.size() - 1, frac);
}

// Appends `s` as a JSON string (control characters, quote and backslash
// escaped; the values are ASCII ids, patterns and addresses).
void AppendQuoted(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned char>(c));
      out += esc;
    } else {
      out += c;
    }
  }
  out += '"';
}

std::string_view LevelFor(int status) {
  if (status >= 500) return "error";
  if (status >= 400) return "warn";
  return "info";
}

std::string Milliseconds(std::chrono::steady_clock::duration d) {
  double ms = std::chrono::duration<double, std::milli>(d).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms);
  return buf;
}

}  // namespace

Result<LogFormat> ParseLogFormat(std::string_view text) {
  if (text == "json") return LogFormat::kJson;
  if (text == "text") return LogFormat::kText;
  return InvalidArgument("the log format is json or text", "log_format");
}

AccessLog::Sink AccessLog::Stderr() {
  return [](std::string_view line) {
    std::fwrite(line.data(), 1, line.size(), stderr);  // stderr is unbuffered: one write
  };
}

AccessLog::AccessLog(LogFormat format, Sink sink) : format_(format), sink_(std::move(sink)) {}

void AccessLog::Event(std::string_view event,
                      const std::vector<std::pair<std::string, std::string>>& fields) {
  std::vector<Field> out;
  out.reserve(fields.size());
  for (const auto& [name, value] : fields) out.push_back({name, value});
  Write("info", event, out);
}

void AccessLog::RequestFinished(const Request& request, const RequestOutcome& outcome) {
  std::vector<Field> fields = {
      {"request_id", request.request_id},
      {"method", request.method.empty() ? "-" : std::string(MethodLabel(request.method))},
      {"route", request.route.empty() ? std::string(kUnmatchedRoute) : request.route},
      {"status", std::to_string(outcome.status), true},
      {"duration_ms", Milliseconds(outcome.duration), true},
      {"bytes", std::to_string(outcome.written ? outcome.body_bytes : 0), true},
      {"remote", request.remote_address},
  };
  if (request.principal) fields.push_back({"client_id", request.principal->client_id});
  if (!outcome.written) fields.push_back({"error", "connection closed before the response was sent"});
  Write(LevelFor(outcome.status), "request", fields);
}

void AccessLog::Write(std::string_view level, std::string_view event,
                      const std::vector<Field>& fields) {
  std::string line;
  if (format_ == LogFormat::kJson) {
    // By hand: cheap on the request path, and numbers keep their plain form.
    line.reserve(256);
    line += "{\"time\":";
    AppendQuoted(line, NowText());
    line += ",\"level\":";
    AppendQuoted(line, level);
    line += ",\"event\":";
    AppendQuoted(line, event);
    for (const Field& f : fields) {
      line += ',';
      AppendQuoted(line, f.name);
      line += ':';
      if (f.number)
        line += f.value;
      else
        AppendQuoted(line, f.value);
    }
    line += '}';
  } else {
    line = NowText() + " " + std::string(level) + " " + std::string(event);
    for (const Field& f : fields) {
      line += ' ';
      line.append(f.name).append("=");
      // Values are ids, patterns, addresses and numbers; quote any with a space.
      bool quote = f.value.find(' ') != std::string::npos;
      line.append(quote ? "\"" + f.value + "\"" : f.value);
    }
  }
  line += '\n';
  sink_(line);
}

}  // namespace pathbridge::gateway
