// Is this a well-formed Verifiable Credential? The VC Data Model's required
// shape (first @context VC 2.0 or 1.1, type VerifiableCredential, an issuer,
// a credentialSubject), every context known offline, and a JSON-LD
// expansion in which no term is undefined: expansion silently drops a term
// no context defines, so a signature over the RDF would not cover it, and a
// reader would see a claim nobody signed. Like VC Data Integrity's "safe
// mode", such a credential is rejected.
//
// Thread-safety: pure function; the loader must be safe to share.
#pragma once

#include <boost/json/object.hpp>

#include "standards/jsonld.h"
#include "standards/status.h"

namespace pathbridge::credentials {

// Ok, or kInvalidArgument with a plain message and where = the member.
Status CheckWellFormed(const boost::json::object& credential, const jsonld::DocumentLoader& loader);

}  // namespace pathbridge::credentials
