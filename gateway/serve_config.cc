#include "gateway/serve_config.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "standards/json.h"

namespace pathbridge::gateway {
namespace {

using A = ServeArgs;

// Where a setting is named in every form, for error messages.
std::string Names(const ServeSetting& s) {
  return std::string(s.key) + " (" + std::string(s.flag) + ", " + EnvironmentName(s.key) + ")";
}

const ServeSetting* Find(std::string_view key) {
  for (const auto& s : ServeSettings())
    if (s.key == key) return &s;
  return nullptr;
}

bool IsGroup(std::string_view prefix) {
  for (const auto& s : ServeSettings())
    if (s.key.size() > prefix.size() && s.key.starts_with(prefix) && s.key[prefix.size()] == '.')
      return true;
  return false;
}

Status SetFromJson(const ServeSetting& s, const boost::json::value& v, const std::string& where,
                   ServeArgs* a) {
  return std::visit(
      [&](auto member) -> Status {
        using T = std::remove_reference_t<decltype(a->*member)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (!v.is_string()) return InvalidArgument("expected a string", where);
          a->*member = std::string(v.get_string());
        } else if constexpr (std::is_same_v<T, bool>) {
          if (!v.is_bool()) return InvalidArgument("expected true or false", where);
          a->*member = v.get_bool();
        } else if constexpr (std::is_same_v<T, int>) {
          if (!v.is_int64() && !v.is_uint64()) return InvalidArgument("expected an integer", where);
          if (!v.is_int64() || v.get_int64() < INT32_MIN || v.get_int64() > INT32_MAX)
            return InvalidArgument("the integer is out of range", where);
          a->*member = static_cast<int>(v.get_int64());  // Validate checks the setting's range
        } else {
          if (!v.is_number()) return InvalidArgument("expected a number", where);
          a->*member = v.to_number<double>();
        }
        return Status::Ok();
      },
      s.member);
}

Status SetFromText(const ServeSetting& s, const std::string& text, const std::string& where,
                   ServeArgs* a) {
  return std::visit(
      [&](auto member) -> Status {
        using T = std::remove_reference_t<decltype(a->*member)>;
        if constexpr (std::is_same_v<T, std::string>) {
          a->*member = text;
        } else if constexpr (std::is_same_v<T, bool>) {
          if (text == "true" || text == "1") {
            a->*member = true;
          } else if (text == "false" || text == "0") {
            a->*member = false;
          } else {
            return InvalidArgument("expected true, false, 1 or 0", where);
          }
        } else {
          T n{};
          auto r = std::from_chars(text.data(), text.data() + text.size(), n);
          if (r.ec != std::errc() || r.ptr != text.data() + text.size())
            return InvalidArgument("expected a number", where);
          a->*member = n;
        }
        return Status::Ok();
      },
      s.member);
}

// Members of `object` (pointer `pointer`), whose keys start with `prefix`.
Status ApplyObject(const boost::json::object& object, const std::string& prefix,
                   const std::string& pointer, std::string_view file, ServeArgs* a) {
  for (const auto& [name, value] : object) {
    std::string key = prefix + std::string(name);
    std::string at = pointer;
    json::AppendPointerToken(at, name);
    std::string where = std::string(file) + " " + at;
    if (const ServeSetting* s = Find(key)) {
      PB_RETURN_IF_ERROR(SetFromJson(*s, value, where, a));
    } else if (IsGroup(key)) {
      if (!value.is_object()) return InvalidArgument("expected an object of settings", where);
      PB_RETURN_IF_ERROR(ApplyObject(value.get_object(), key + ".", at, file, a));
    } else {
      return InvalidArgument("unknown setting (see docs/operations.md)", where);
    }
  }
  return Status::Ok();
}

}  // namespace

const std::vector<ServeSetting>& ServeSettings() {
  static const std::vector<ServeSetting> kSettings = {
      {"listen", "--listen", &A::listen, "HOST:PORT [127.0.0.1:8443, or 127.0.0.1:8080 with plain]"},
      {"data", "--data", &A::data, "Data directory (ledger database, keys, clients)"},
      {"origin", "--origin", &A::origin, "Log origin when the ledger is created (default localhost/pathbridge)"},
      {"threads", "--threads", &A::threads, "I/O threads", 1, 64},
      {"ledger.checkpoint_interval_ms", "--checkpoint-interval-ms", &A::checkpoint_interval_ms,
       "Longest wait from a durable append to a signed checkpoint covering it", 0, 250},
      {"tls.cert", "--tls-cert", &A::tls_cert,
       "PEM certificate chain (server first) [default: the development certificate in DATA/pki]"},
      {"tls.key", "--tls-key", &A::tls_key, "PEM private key of tls.cert (mode 0600)"},
      {"tls.client_ca", "--tls-client-ca", &A::tls_client_ca,
       "PEM bundle of the CAs client certificates must chain to [development: DATA/pki/ca.pem]"},
      {"tls.client_certs", "--client-certs", &A::client_certs,
       "Mutual TLS: none, optional (checked when sent) or required", 0, 0, {"none", "optional", "required"}},
      {"tls.tls12", "--tls12", &A::tls12, "Accept TLS 1.2 clients too (AEAD ciphers only)"},
      {"plain", "--plain", &A::plain, "Serve plain HTTP instead (loopback only)"},
      {"allow_plain_remote", "--allow-plain-remote", &A::allow_plain_remote,
       "With plain, allow a non-loopback address (behind a TLS proxy)"},
      {"auth.token_lifetime_s", "--token-lifetime", &A::token_lifetime_s, "Seconds an access token lives",
       60, 24 * 3600},
      {"auth.open_rate_limit", "--open-rate-limit", &A::open_rate_limit,
       "Requests per second per client address on open routes that cost the server (verification); "
       "bursts of 5 seconds' worth",
       0.1, 1e6},
      {"auth.dev_loopback_admin", "--dev-loopback-admin", &A::dev_loopback_admin,
       "Development only: loopback clients without a token act with the admin scope"},
      {"limits.max_connections", "--max-connections", &A::max_connections,
       "Open connections at most; more are refused", 1, 1 << 20},
      {"limits.max_header_bytes", "--max-header-bytes", &A::max_header_bytes,
       "Request line and headers at most (431 beyond)", 1024, 1 << 20},
      {"limits.max_body_bytes", "--max-body-bytes", &A::max_body_bytes,
       "Request body at most (413 beyond)", 1024, 16 << 20},
      {"limits.read_timeout_s", "--read-timeout", &A::read_timeout_s,
       "Seconds to receive a whole request (and to write a response, and the TLS handshake)", 1, 3600},
      {"limits.idle_timeout_s", "--idle-timeout", &A::idle_timeout_s,
       "Seconds a kept-alive connection may wait for its next request", 1, 3600},
      {"shutdown.drain_delay_s", "--drain-delay", &A::drain_delay_s,
       "After SIGTERM, seconds readyz answers 503 while the server still serves", 0, 600},
      {"shutdown.timeout_s", "--shutdown-timeout", &A::shutdown_timeout_s,
       "Seconds in-flight requests get to finish on shutdown", 1, 600},
      {"readiness.max_checkpoint_lag_s", "--max-checkpoint-lag", &A::max_checkpoint_lag_s,
       "Seconds a checkpoint may stay behind the log before readyz fails", 1, 3600},
      {"log.format", "--log-format", &A::log_format, "Logs on standard error: json or text", 0, 0,
       {"json", "text"}},
      {"base_url", "--base-url", &A::base_url,
       "The hub's public base URL (status list URLs in issued credentials, /verify links)"},
      {"keys.passphrase_env", "--passphrase-env", &A::passphrase_env,
       "Environment variable holding the passphrase of encrypted organization keys"},
      {"limits.max_translate_mb", "--max-translate-mb", &A::max_translate_mb,
       "Largest input POST /translate and /dual-credit/import take, in MiB (spooled to DATA/tmp, "
       "not held in memory)",
       1, 1 << 20},
      {"metrics.access", "--metrics-access", &A::metrics_access,
       "Who may read /metrics: loopback, open or admin (a token with the admin scope)", 0, 0,
       {"loopback", "open", "admin"}},
  };
  return kSettings;
}

std::string EnvironmentName(std::string_view key) {
  std::string name = "PATHBRIDGE_";
  for (char c : key) name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

Status ApplyConfigText(std::string_view text, std::string_view file, ServeArgs* args) {
  auto parsed = json::Parse(text, {.max_depth = 8, .max_size = 1 << 20});
  if (!parsed.ok())
    return Status(parsed.status().code(), parsed.status().message(),
                  std::string(file) + ":" + parsed.status().where());
  if (!parsed->is_object()) return InvalidArgument("expected a JSON object", std::string(file));
  return ApplyObject(parsed->get_object(), "", "", file, args);
}

Status ApplyConfigFile(const std::filesystem::path& file, ServeArgs* args) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return NotFound("cannot read the config file", file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return ApplyConfigText(text.str(), file.string(), args);
}

Status ApplyEnvironment(const EnvLookup& getenv, ServeArgs* args) {
  for (const auto& s : ServeSettings()) {
    std::string name = EnvironmentName(s.key);
    if (auto value = getenv(name)) PB_RETURN_IF_ERROR(SetFromText(s, *value, name, args));
  }
  return Status::Ok();
}

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

void CopySetting(const ServeSetting& setting, const ServeArgs& from, ServeArgs* to) {
  std::visit([&](auto member) { to->*member = from.*member; }, setting.member);
}

Status Validate(const ServeArgs& a) {
  for (const auto& s : ServeSettings()) {
    Status st = std::visit(
        [&](auto member) -> Status {
          using T = std::remove_cvref_t<decltype(a.*member)>;
          if constexpr (std::is_same_v<T, std::string>) {
            if (s.choices.empty()) return Status::Ok();
            for (auto c : s.choices)
              if (a.*member == c) return Status::Ok();
            std::string list;
            for (auto c : s.choices) list += (list.empty() ? "" : ", ") + std::string(c);
            return InvalidArgument("must be one of " + list, Names(s));
          } else if constexpr (std::is_same_v<T, bool>) {
            return Status::Ok();
          } else {
            if (a.*member >= s.min && a.*member <= s.max) return Status::Ok();
            std::ostringstream range;
            range << "must be from " << s.min << " to " << s.max;
            return InvalidArgument(range.str(), Names(s));
          }
        },
        s.member);
    PB_RETURN_IF_ERROR(st);
  }
  if (a.tls_cert.empty() != a.tls_key.empty())
    return InvalidArgument("tls.cert and tls.key go together", Names(*Find("tls.cert")));
  if (a.plain && (!a.tls_cert.empty() || !a.tls_client_ca.empty() || a.client_certs != "none" ||
                  a.tls12))
    return InvalidArgument("plain HTTP takes no TLS settings", Names(*Find("plain")));
  if (a.allow_plain_remote && !a.plain)
    return InvalidArgument("allow_plain_remote needs plain", Names(*Find("allow_plain_remote")));
  return Status::Ok();
}

}  // namespace pathbridge::gateway
