// Where a hub's Bitstring Status Lists are published: the list URL
//   <hub base URL>/status/<org>/<purpose>/<n>       (what credentials name)
// is served from the file
//   DATA/status/<org>/<purpose>/<n>.json            (a signed list credential)
// The issuer writes these files; the verifier and the gateway's
// GET /status/... read them.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "ledger/credentials/status_list.h"

namespace pathbridge::credentials {

inline constexpr std::string_view kDefaultHubBaseUrl = "https://localhost:8443";

struct ListLocation {
  std::string org;
  StatusPurpose purpose = StatusPurpose::kRevocation;
  uint64_t number = 0;
};

// "<hub base URL>/status", the prefix of every list URL (StatusStore's base).
std::string StatusBaseUrl(std::string_view hub_base_url);
// kNotFound if `url` is not a list URL under `hub_base_url`; kInvalidArgument
// if it is, but its org, purpose or number is malformed (an org is a
// status store slug, so it is always one safe path segment).
Result<ListLocation> ParseListUrl(std::string_view hub_base_url, std::string_view url);
std::filesystem::path ListFile(const std::filesystem::path& data_dir, const ListLocation& where);

}  // namespace pathbridge::credentials
