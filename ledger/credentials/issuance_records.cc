#include "ledger/credentials/issuance_records.h"

#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "certs/ed25519.h"
#include "ledger/ledger_dir.h"
#include "standards/digest.h"
#include "standards/json.h"

namespace pathbridge::credentials {

namespace json = boost::json;

IssuanceRecords::IssuanceRecords(std::filesystem::path data_dir)
    : dir_(std::move(data_dir) / "credentials" / "issued") {}

std::filesystem::path IssuanceRecords::FileFor(std::string_view credential_id) const {
  DigestValue d = ThreadDigester(HashAlgorithm::kSha256).Hash(credential_id);
  return dir_ / (Base64UrlEncode(ByteSpan(d.bytes.data(), d.size)) + ".json");
}

Result<std::optional<IssuanceRecord>> IssuanceRecords::Get(std::string_view credential_id) const {
  std::filesystem::path file = FileFor(credential_id);
  if (!std::filesystem::exists(file)) return std::optional<IssuanceRecord>();
  PB_ASSIGN_OR_RETURN(std::string text, certs::ReadSecretFile(file));
  auto doc = pathbridge::json::Parse(text);
  const json::object* o = doc.ok() ? doc->if_object() : nullptr;
  const json::value* org = o ? o->if_contains("org") : nullptr;
  const json::value* salt = o ? o->if_contains("salt") : nullptr;
  const json::value* index = o ? o->if_contains("ledgerIndex") : nullptr;
  auto salt_bytes = salt && salt->is_string() ? Base64UrlDecode(salt->as_string())
                                              : Result<Bytes>(InvalidArgument("no salt"));
  if (!org || !org->is_string() || !salt_bytes.ok() || salt_bytes->size() != 32 ||
      (index && !index->is_uint64() && !index->is_int64()))
    return Corruption("the issuance record is damaged", file.string());
  IssuanceRecord r;
  r.org = std::string(org->as_string());
  std::copy(salt_bytes->begin(), salt_bytes->end(), r.salt.begin());
  if (index) r.ledger_index = index->to_number<uint64_t>();
  return std::optional<IssuanceRecord>(std::move(r));
}

Status IssuanceRecords::Put(std::string_view credential_id, const IssuanceRecord& record) const {
  json::object o{{"org", record.org}, {"salt", Base64UrlEncode(record.salt)}};
  if (record.ledger_index) o["ledgerIndex"] = *record.ledger_index;
  PB_RETURN_IF_ERROR(ledger::MakePrivateDir(dir_));
  return certs::WriteSecretFile(FileFor(credential_id), json::serialize(o));
}

}  // namespace pathbridge::credentials
