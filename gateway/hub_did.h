// The hub's own DID: did:web of its public base URL (--base-url), served at
// GET /.well-known/did.json. Organizations have their own DIDs
// (/orgs/{org}/did.json); the hub's says who runs the ledger:
//   verificationMethod  #ledger-key: the ledger's checkpoint key (Multikey),
//                       in no verification relationship, since it signs
//                       checkpoints (C2SP signed notes), never credentials
//   service #ledger     PathbridgeLedger: the ledger routes' base URL, the
//                       log's origin and its note verifier key ("vkey"), so
//                       an offline verifier can pin the log from the DID
//   service #verify     PathbridgeVerificationPage: the /verify page
// A base URL with a path (https://hub.example/pb) has no /.well-known DID:
// the route is then not served.
//
// Thread-safety: the document is built once; the handler only copies it.
#pragma once

#include <string_view>

#include <boost/json/object.hpp>

#include "gateway/router.h"
#include "ledger/note.h"
#include "standards/status.h"

namespace pathbridge::gateway {

// "did:web:hub.example%3A8443" for "https://hub.example:8443"; InvalidArgument
// for a base URL that is not https://HOST[:PORT] (a trailing '/' is allowed).
Result<std::string> HubDid(std::string_view base_url);

// The hub's DID document (see above).
Result<boost::json::object> HubDidDocument(std::string_view base_url,
                                           const ledger::NoteVerifier& ledger_key);

// GET /.well-known/did.json, open. Returns the error (and adds nothing) when
// the base URL has no /.well-known DID.
Status AddHubDidRoute(Router& router, std::string_view base_url,
                      const ledger::NoteVerifier& ledger_key);

}  // namespace pathbridge::gateway
