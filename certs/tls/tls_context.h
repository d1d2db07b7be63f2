// TLS server contexts (OpenSSL under boost::asio::ssl::context) built from
// PEM files: TLS 1.3 only by default; TLS 1.2 as well by an option, then
// with ECDHE key exchange and AEAD ciphers only; no compression, no
// renegotiation, no passphrase prompts. Client certificates: none, optional
// (a client may send one; it must verify) or required, checked against a CA
// bundle. Errors name the file: one that is missing, not PEM, an encrypted
// or world-readable key, a key that does not match the certificate, or a
// certificate outside its validity period.
//
// This header keeps Asio out of its includers (the context is only named).
//
// Thread-safety: MakeServerTlsContext is pure; the context it returns is
// shared by every connection (OpenSSL contexts are safe for that once built).
#pragma once

#include <filesystem>
#include <memory>

#include "standards/status.h"

namespace boost::asio::ssl {
class context;
}

namespace pathbridge::certs {

enum class ClientCertMode { kNone, kOptional, kRequired };

struct TlsServerOptions {
  std::filesystem::path certificate_chain;  // PEM: the server's certificate, then intermediates
  std::filesystem::path private_key;        // PEM, unencrypted, not readable by group or others
  ClientCertMode client_certs = ClientCertMode::kNone;
  std::filesystem::path client_ca;  // PEM bundle client certificates must chain to
  bool allow_tls12 = false;
};

Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const TlsServerOptions& options);

}  // namespace pathbridge::certs
