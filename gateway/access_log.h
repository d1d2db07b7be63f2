// Structured logs for `pathbridge serve`: one line per answered request and
// one per lifecycle event (listening, draining, stopped, ledger closed), as
// JSON objects (the default, for log shippers) or as readable text, written
// to a sink (standard error in the server).
//
// A request line carries time, level, event "request", request_id (the
// correlation id clients see as X-Request-Id and problem `instance`),
// method, route (the matched pattern, never the raw path or query), status,
// duration_ms, bytes (the response body), remote (the peer's address) and
// client_id when a token authenticated the request. Nothing else from the
// request is logged: no tokens, secrets, query values, bodies, raw paths or
// student data. Level: "error" for 5xx, "warn" for 4xx, else "info".
//
// Thread-safety: every method may be called from any thread; each line
// reaches the sink in one call.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/server.h"
#include "standards/status.h"

namespace pathbridge::gateway {

enum class LogFormat { kJson, kText };

// "json" or "text"; InvalidArgument otherwise.
Result<LogFormat> ParseLogFormat(std::string_view text);

class AccessLog : public ServerObserver {
 public:
  using Sink = std::function<void(std::string_view line)>;  // one line, '\n' included
  // A sink that writes each line to standard error in one write.
  static Sink Stderr();

  AccessLog(LogFormat format, Sink sink);

  // A lifecycle event: level "info", `event`, then `fields` (name, value).
  void Event(std::string_view event,
             const std::vector<std::pair<std::string, std::string>>& fields = {});

  void RequestFinished(const Request& request, const RequestOutcome& outcome) override;

 private:
  struct Field {
    std::string_view name;
    std::string value;
    bool number = false;  // written without quotes in JSON
  };
  void Write(std::string_view level, std::string_view event, const std::vector<Field>& fields);

  LogFormat format_;
  Sink sink_;
};

}  // namespace pathbridge::gateway
