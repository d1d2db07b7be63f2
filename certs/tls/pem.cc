#include "certs/tls/pem.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <fstream>

#include "certs/ed25519.h"

namespace pathbridge::certs {
namespace {

// OpenSSL would prompt on the terminal for an encrypted key's passphrase.
int NoPassphrase(char*, int, int, void*) { return 0; }

BioPtr ReadOnlyBio(std::string_view pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::string Drain(BIO& bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(&bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

Status TooLarge(std::string_view where) {
  return Status(Code::kResourceExhausted,
                "larger than " + std::to_string(kMaxPemFileBytes) + " bytes; not a PEM file?",
                std::string(where));
}

}  // namespace

Result<std::string> ReadPemFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open", path.string());
  std::string text(kMaxPemFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return IoError("cannot read", path.string());
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxPemFileBytes) return TooLarge(path.string());
  return text;
}

Result<std::string> ReadPemKeyFile(const std::filesystem::path& path) {
  PB_ASSIGN_OR_RETURN(std::string text, ReadSecretFile(path));
  if (text.size() > kMaxPemFileBytes) {
    WipeSecret(text);
    return TooLarge(path.string());
  }
  return text;
}

Result<std::vector<X509Ptr>> ParseCertificates(std::string_view pem, std::string_view where) {
  if (pem.size() > kMaxPemFileBytes) return TooLarge(where);
  BioPtr bio = ReadOnlyBio(pem);
  std::vector<X509Ptr> certs;
  ERR_clear_error();
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr))
    certs.emplace_back(cert);
  // The loop ends on "no start line" at the end of the text; anything else
  // is a block that did not parse.
  unsigned long last = ERR_peek_last_error();
  if (ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE)
    ERR_clear_error();
  else if (last != 0)
    return InvalidArgument("a PEM certificate does not parse: " + OpenSslError(),
                           std::string(where));
  if (certs.empty())
    return InvalidArgument("no PEM certificate (-----BEGIN CERTIFICATE-----) found",
                           std::string(where));
  return certs;
}

Result<PkeyPtr> ParsePrivateKey(std::string_view pem, std::string_view where) {
  if (pem.find("-----BEGIN ENCRYPTED") != std::string_view::npos ||
      pem.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos)
    return InvalidArgument(
        "the private key is encrypted; store it decrypted with mode 0600 "
        "(openssl pkey -in KEY -out PLAIN)",
        std::string(where));
  BioPtr bio = ReadOnlyBio(pem);
  ERR_clear_error();
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key)
    return InvalidArgument("no PEM private key found or it does not parse: " + OpenSslError(),
                           std::string(where));
  return key;
}

std::string CertificateToPem(X509& cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), &cert);
  return Drain(*bio);
}

std::string PrivateKeyToPem(EVP_PKEY& key) {
  BioPtr bio(BIO_new(BIO_s_secmem()));  // wiped when freed
  PEM_write_bio_PrivateKey(bio.get(), &key, nullptr, nullptr, 0, nullptr, nullptr);
  return Drain(*bio);
}

void WipeSecret(std::string& secret) {
  OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

}  // namespace pathbridge::certs
