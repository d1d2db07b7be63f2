// Verifiable credentials embedded in a LER-RS entry's "verifications":
// recognising them, checking an Open Badges 3.0 credential's @context
// against the bundled contexts, and decoding an AchievementCredential into
// canonical records.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "standards/canonical/model.h"
#include "standards/status.h"

namespace pathbridge::adapters::ler_rs {

// The credential a verification holds (itself, or its
// otherW3CVerifiableCredential), or nullptr for a reference or a verifying
// organization.
const boost::json::object* CredentialOf(const boost::json::object& verification);

// True for an Open Badges 3.0 credential
// (open_badges::IsAchievementCredential) or a CLR 2.0 ClrCredential: the
// forms the LER-RS catalog names; other credentials are written back as
// otherW3CVerifiableCredential.
bool IsNamedInCatalog(const boost::json::object& vc);

// Expands `vc` with the bundled loader; an error's where is `pointer` +
// the JSON-LD error's location.
Status CheckContexts(const boost::json::object& vc, const std::string& pointer);

// The issuer (organization), achievement (credentialDefinition) and award
// of an Open Badges 3.0 credential. `fallback_id` names the award when the
// credential has no id; `kind` is the award kind of the LER-RS section.
pathbridge::Result<std::vector<canonical::Record>> DecodeOpenBadge(
    const boost::json::object& vc, const std::string& pointer, const std::string& person_id,
    const std::string& fallback_id, canonical::AwardKind kind);

// "2022-01-01" from "2022-01-01T00:00:00Z"; other text as it is.
std::string DatePart(std::string_view date_or_time);

}  // namespace pathbridge::adapters::ler_rs
