// The settings of `pathbridge serve` and where they come from, lowest
// precedence first: the defaults below, a JSON config file (--config FILE),
// environment variables, then command-line flags.
//
// Config file: a JSON object (strict: standards/json.h, so a syntax error
// says line:column) whose members are the settings' keys, grouped, e.g.
//   {"listen": "0.0.0.0:8443", "tls": {"cert": "/etc/pb/fullchain.pem"},
//    "limits": {"max_connections": 2048}, "log": {"format": "json"}}
// An unknown key or a value of the wrong type or range is an error naming
// the file and the member's JSON pointer.
// Environment: PATHBRIDGE_ and the key in upper case with '.' as '_', e.g.
// PATHBRIDGE_LISTEN, PATHBRIDGE_TLS_CERT, PATHBRIDGE_LIMITS_MAX_CONNECTIONS
// (booleans: true/false/1/0).
// ServeSettings() lists every setting with its key, flag and range; docs/
// operations.md has the table.
//
// Thread-safety: pure functions, except ApplyEnvironment's lookup.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ledger/credentials/published_lists.h"
#include "standards/status.h"

namespace pathbridge::gateway {

struct ServeArgs {
  std::string listen;  // default: 127.0.0.1:8443, or 127.0.0.1:8080 with plain
  std::string data = "./var";
  std::string origin;
  int threads = 2;
  int checkpoint_interval_ms = 50;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  std::string client_certs = "none";
  bool tls12 = false;
  bool plain = false;
  bool allow_plain_remote = false;
  int token_lifetime_s = 15 * 60;
  double open_rate_limit = 10;
  bool dev_loopback_admin = false;
  int max_connections = 4096;
  int max_header_bytes = 16 << 10;
  int max_body_bytes = 1 << 20;
  int read_timeout_s = 30;
  int idle_timeout_s = 60;
  int shutdown_timeout_s = 10;
  // After SIGTERM, how long readyz answers 503 while the server still
  // serves, so a load balancer can stop sending before connections close.
  int drain_delay_s = 0;
  int max_checkpoint_lag_s = 10;
  std::string log_format = "json";
  std::string metrics_access = "loopback";
  std::string base_url = std::string(credentials::kDefaultHubBaseUrl);
  std::string passphrase_env;
  int max_translate_mb = 2048;
};

struct ServeSetting {
  std::string_view key;   // in the config file, "." between groups: "tls.cert"
  std::string_view flag;  // on the command line: "--tls-cert"
  std::variant<std::string ServeArgs::*, int ServeArgs::*, double ServeArgs::*, bool ServeArgs::*>
      member;
  std::string_view help;
  double min = 0, max = 0;                  // numbers: the allowed range
  std::vector<std::string_view> choices{};  // strings: the allowed values (empty: any)
};
const std::vector<ServeSetting>& ServeSettings();

// "PATHBRIDGE_TLS_CERT" for "tls.cert".
std::string EnvironmentName(std::string_view key);

// Sets what the file names; InvalidArgument with where = "FILE:LINE:COLUMN"
// or "FILE /json/pointer".
Status ApplyConfigFile(const std::filesystem::path& file, ServeArgs* args);
Status ApplyConfigText(std::string_view text, std::string_view file, ServeArgs* args);
// Sets the settings whose variable `getenv` finds.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
Status ApplyEnvironment(const EnvLookup& getenv, ServeArgs* args);
EnvLookup ProcessEnvironment();
// Copies one setting's value from `from` into `to`.
void CopySetting(const ServeSetting& setting, const ServeArgs& from, ServeArgs* to);
// Ranges, choices, and the settings that go together or exclude each other.
Status Validate(const ServeArgs& args);

}  // namespace pathbridge::gateway
