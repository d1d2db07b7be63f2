#include "certs/tls/openssl_handles.h"

#include <openssl/err.h>

namespace pathbridge::certs {

std::string OpenSslError() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    const char* reason = ERR_reason_error_string(e);
    if (!out.empty()) out += "; ";
    out += reason ? reason : "error " + std::to_string(ERR_GET_REASON(e));
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

}  // namespace pathbridge::certs
