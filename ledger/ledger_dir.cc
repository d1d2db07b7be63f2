#include "ledger/ledger_dir.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "certs/ed25519.h"
#include "ledger/sqlite_storage.h"

namespace pathbridge::ledger {
Status MakePrivateDir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError("cannot create directory: " + ec.message(), dir.string());
  ::chmod(dir.c_str(), 0700);
  return Status::Ok();
}

namespace {

// The verifier key is public; write it atomically all the same.
Status WritePublicFile(const std::filesystem::path& path, const std::string& text) {
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return IoError("cannot write", tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return IoError(ec.message(), path.string());
  return Status::Ok();
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

LedgerPaths PathsFor(const std::filesystem::path& data_dir) {
  auto dir = data_dir / "ledger";
  return {dir, dir / "log.db", dir / "log.key", dir / "log.vkey"};
}

Result<NoteSigner> LoadLogKey(const std::filesystem::path& data_dir) {
  auto paths = PathsFor(data_dir);
  auto text = certs::ReadSecretFile(paths.key);
  if (!text.ok()) return text.status();
  auto signer = NoteSigner::Parse(Trim(*text));
  if (!signer.ok()) return signer.status().WithContext(paths.key.string());
  return signer;
}

Result<NoteSigner> LoadOrCreateLogKey(const std::filesystem::path& data_dir,
                                      std::string_view origin) {
  auto existing = LoadLogKey(data_dir);
  if (existing.ok()) {
    if (!origin.empty() && existing->name() != origin)
      return Status(Code::kFailedPrecondition,
                    "the log key is named \"" + existing->name() + "\", not \"" +
                        std::string(origin) + "\"; a log's origin cannot change",
                    PathsFor(data_dir).key.string());
    return existing;
  }
  if (existing.status().code() != Code::kNotFound) return existing.status();
  auto paths = PathsFor(data_dir);
  PB_RETURN_IF_ERROR(MakePrivateDir(paths.dir));
  PB_ASSIGN_OR_RETURN(NoteSigner signer,
                      NoteSigner::Generate(std::string(origin.empty() ? kDefaultOrigin : origin)));
  PB_RETURN_IF_ERROR(certs::WriteSecretFile(paths.key, signer.ToString() + "\n"));
  PB_RETURN_IF_ERROR(WritePublicFile(paths.vkey, signer.verifier().ToString() + "\n"));
  return signer;
}

Result<std::unique_ptr<Storage>> OpenLedgerStorageForReading(
    const std::filesystem::path& data_dir) {
  auto paths = PathsFor(data_dir);
  if (!std::filesystem::exists(paths.db))
    return NotFound("no ledger here (run `pathbridge serve` or `pathbridge ledger append` first)",
                    data_dir.string());
  SqliteStorage::Options options;
  options.writer = false;
  PB_ASSIGN_OR_RETURN(auto storage, SqliteStorage::Open(paths.db, options));
  return std::unique_ptr<Storage>(std::move(storage));
}

Result<NoteVerifier> LoadLogVerifier(const std::filesystem::path& data_dir) {
  auto paths = PathsFor(data_dir);
  std::ifstream in(paths.vkey);
  if (!in) return NotFound("no log key here", paths.vkey.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  auto verifier = NoteVerifier::Parse(Trim(ss.str()));
  if (!verifier.ok()) return verifier.status().WithContext(paths.vkey.string());
  return verifier;
}

Result<std::unique_ptr<Log>> OpenLedger(const std::filesystem::path& data_dir,
                                        std::string_view origin, LogOptions options) {
  PB_ASSIGN_OR_RETURN(NoteSigner signer, LoadOrCreateLogKey(data_dir, origin));
  auto paths = PathsFor(data_dir);
  PB_ASSIGN_OR_RETURN(auto storage, SqliteStorage::Open(paths.db));
  return Log::Open(std::move(storage), std::move(signer), options);
}

}  // namespace pathbridge::ledger
