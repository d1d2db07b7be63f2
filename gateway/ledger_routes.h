// The ledger's HTTP API: signed checkpoints, C2SP tiles, RFC 9162 proofs,
// offline proof files, and appends.
//
//   GET  /ledger/checkpoint                      signed note (text)
//   GET  /ledger/tile/<L>/<N>[.p/<W>]            hash tile (bytes)
//   GET  /ledger/tile/entries/<N>[.p/<W>]        entry bundle (bytes)
//   GET  /ledger/proof/inclusion?index=I&size=N  JSON
//   GET  /ledger/proof/consistency?old=M&size=N  JSON
//   GET  /ledger/entries/<I>/proof               c2sp.org/tlog-proof@v1 file
//   POST /ledger/entries                         raw entry; scope admin
//   GET  /healthz                                "ok"
//
// Thread-safety: the handlers may run on any number of threads at once; the
// Log must outlive the Router (and the Server using it).
#pragma once

#include "gateway/router.h"
#include "ledger/log.h"

namespace pathbridge::gateway {

void AddLedgerRoutes(Router& router, ledger::Log& log);

}  // namespace pathbridge::gateway
