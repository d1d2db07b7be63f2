// CTDL (Credential Engine's Credential Transparency Description Language)
// JSON-LD resources <-> canonical records.
//
// Decoded: credential classes (Certification, Certificate, Badge, Degree and
// its subclasses, License, ...) and learning opportunities
// (LearningOpportunityProfile, Course, LearningProgram) become
// credentialDefinition records (definitionType = the class's local name);
// CredentialOrganization / QACredentialOrganization / Organization nodes,
// and organizations embedded in ceterms:ownedBy / offeredBy, become
// organization records. A definition's id is its registry resource URI,
// https://credentialengineregistry.org/resources/<ctid>, so that an issued
// badge or award can point at it (achievementAward.definitionId); a
// different @id is kept in extensions["ctdl:@id"] and written back.
// Language maps ({"en-US": "..."}) are read as their English (else first)
// string; alignments (occupationType, industryType, instructionalProgramType,
// ceterms:naics, targetCompetency) as {framework, code}: {"SOC", "15-1131.00"},
// {"NAICS", "621340"}, {"CIP", "11.1003"}, {"Competency", URI or name}, each
// target's name in extensions["ctdl:targetNodeName <framework> <code>"].
// credentialStatusType / lifeCycleStatusType Active is status "active";
// another status is kept in extensions["ctdl:status"].
//
// Encoded: the registry's JSON shape (credential.json and
// learning_opportunity_profile.json in the registry's JSON Schemas): plain
// strings, alignment objects with framework URIs, a credential status.
// CTDL properties the model has no slot for are not carried (the loss
// report names the model fields; the CTDL side is not round-tripped).
//
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "adapters/adapter.h"
#include "standards/canonical/model.h"
#include "standards/status.h"

namespace pathbridge::adapters::ctdl {

inline constexpr std::string_view kRegistryResources =
    "https://credentialengineregistry.org/resources/";
// The context every CTDL document names; the registry's JSON Schemas want
// the http:// form, Credential Engine's examples use https://. Both are read.
inline constexpr std::string_view kContext = "http://credreg.net/ctdl/schema/context/json";
bool IsCtdlContext(std::string_view url);

// (message, JSON pointer) for a non-fatal problem.
using WarnFn = std::function<void(std::string, std::string)>;

// The records of one CTDL node (a @graph member, a single resource): the
// organizations it embeds first, then its own record. Nodes of other
// classes give no records and a warning. `pointer` locates the node.
pathbridge::Result<std::vector<canonical::Record>> DecodeNode(const boost::json::object& node,
                                                              const std::string& pointer,
                                                              const WarnFn& warn);

// The CTDL node for an organization or credentialDefinition record.
boost::json::object EncodeOrganization(const canonical::Organization& org);
boost::json::object EncodeDefinition(const canonical::CredentialDefinition& def,
                                     const WarnFn& warn);

// What the adapter reads and writes.
void AddCapabilities(Capabilities& reads, Capabilities& writes);

}  // namespace pathbridge::adapters::ctdl
