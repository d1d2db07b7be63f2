// PEM text in and out for X.509 certificates and private keys: reading PEM
// files under a size limit (a key through ReadSecretFile, so a key file that
// others can read is refused), parsing them with errors that name the file,
// and writing them (keys as unencrypted PKCS#8, for files kept 0600).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "certs/tls/openssl_handles.h"
#include "standards/status.h"

namespace pathbridge::certs {

inline constexpr std::size_t kMaxPemFileBytes = 1 << 20;

// A certificate file's text: kNotFound if it cannot be opened,
// kResourceExhausted beyond kMaxPemFileBytes.
Result<std::string> ReadPemFile(const std::filesystem::path& path);
// A private key file's text (ReadSecretFile's rules, and the size limit).
// The caller wipes it (WipeSecret) when done.
Result<std::string> ReadPemKeyFile(const std::filesystem::path& path);

// Every certificate in `pem`, in order; at least one. `where` names the
// source in errors.
Result<std::vector<X509Ptr>> ParseCertificates(std::string_view pem, std::string_view where);
// One unencrypted private key (an encrypted one is refused: nothing would
// be there at startup to type its passphrase).
Result<PkeyPtr> ParsePrivateKey(std::string_view pem, std::string_view where);

std::string CertificateToPem(X509& cert);
// PKCS#8; the caller wipes the result when done.
std::string PrivateKeyToPem(EVP_PKEY& key);

// Overwrites a string that held a secret, then empties it.
void WipeSecret(std::string& secret);

}  // namespace pathbridge::certs
