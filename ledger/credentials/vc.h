// Reading the members every Verifiable Credential shares (VC Data Model 2.0,
// and 1.1 for older credentials): its contexts, types, issuer and subject,
// tolerating the shapes the model allows (a string or an array, an IRI or an
// object with an id).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace pathbridge::credentials {

inline constexpr std::string_view kVc2Context = "https://www.w3.org/ns/credentials/v2";
inline constexpr std::string_view kVc11Context = "https://www.w3.org/2018/credentials/v1";

// True if the credential's first @context is the VC 1.1 one.
bool IsVc11(const boost::json::object& credential);
// The strings of a member that may be one string or an array of them
// ("type", "@context" URLs); other items are skipped.
std::vector<std::string> Strings(const boost::json::value* member);
bool HasType(const boost::json::object& object, std::string_view type);
// `issuer` as a string, or the id of an issuer object; "" if neither.
std::string IssuerId(const boost::json::object& credential);
// A name to show a person: the issuer object's name, else its id.
std::string IssuerName(const boost::json::object& credential);
// The credential's `name`, else its id, else "the credential".
std::string CredentialLabel(const boost::json::object& credential);
// A member that may hold one object or an array of them, as a list.
std::vector<const boost::json::value*> Items(const boost::json::value* member);

}  // namespace pathbridge::credentials
