// `pathbridge ledger ...`: append, checkpoint, key, prove, verify-proof,
// verify-checkpoint, fsck. Reads work beside a running server; append takes
// the writer lock, so it refuses while `pathbridge serve` holds the log.
#include <iostream>

#include <boost/json.hpp>

#include "gateway/cli_util.h"
#include "ledger/fsck.h"
#include "ledger/ledger_dir.h"
#include "ledger/verifier.h"

namespace pathbridge::gateway {
namespace {

namespace json = boost::json;
using ledger::Hash;

struct LedgerArgs {
  std::string data = "./var";
  std::string origin;
  std::string identity;
  std::string input = "-";
  std::string output = "-";
  uint64_t index = 0;
  std::string key, key_file;
  std::vector<std::string> witnesses;
  size_t threshold = 0;
  std::string entry_file;
  std::string older, consistency_proof;
};

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

void AddData(CLI::App* cmd, LedgerArgs& a) {
  cmd->add_option("--data", a.data, "Data directory holding the ledger")->capture_default_str();
}

// The log key and witness policy a verifier trusts, from the command line.
Result<std::pair<ledger::NoteVerifier, ledger::WitnessPolicy>> TrustFromArgs(const LedgerArgs& a) {
  std::string vkey = a.key;
  if (vkey.empty() && !a.key_file.empty()) {
    PB_ASSIGN_OR_RETURN(vkey, ReadInput(a.key_file));
  }
  if (vkey.empty()) return InvalidArgument("give the log's public key with --key or --key-file");
  auto log = ledger::NoteVerifier::Parse(Trimmed(vkey));
  if (!log.ok()) return log.status().WithContext("--key");
  ledger::WitnessPolicy policy;
  for (size_t i = 0; i < a.witnesses.size(); ++i) {
    auto w = ledger::CosignatureVerifier::Parse(a.witnesses[i]);
    if (!w.ok()) return w.status().WithContext("--witness " + std::to_string(i + 1));
    policy.witnesses.push_back(std::move(*w));
  }
  if (a.threshold > policy.witnesses.size())
    return InvalidArgument("--threshold is larger than the number of --witness keys");
  policy.threshold = a.threshold;
  return std::make_pair(std::move(*log), std::move(policy));
}

int Append(const LedgerArgs& a) {
  auto entry = ReadInput(a.input);
  if (!entry.ok()) return Fail(entry.status());
  auto log = ledger::OpenLedger(a.data, a.origin);
  if (!log.ok()) return Fail(log.status());
  auto r = (*log)->Append(AsBytes(*entry), a.identity);
  if (!r.ok()) return Fail(r.status());
  Status closed = (*log)->Close();  // publishes the checkpoint that includes it
  if (!closed.ok()) return Fail(closed);
  json::object out{{"index", r->index},
                   {"leaf_hash", Base64Encode(ledger::AsBytes(r->leaf_hash))},
                   {"duplicate", r->duplicate}};
  std::cout << json::serialize(out) << "\n";
  return kExitOk;
}

int PrintCheckpoint(const LedgerArgs& a) {
  auto storage = ledger::OpenLedgerStorageForReading(a.data);
  if (!storage.ok()) return Fail(storage.status());
  auto cp = (*storage)->LatestCheckpoint();
  if (!cp.ok()) return Fail(cp.status());
  if (!*cp) return Fail(NotFound("the log has no checkpoint yet", a.data));
  std::cout << (*cp)->note;
  return kExitOk;
}

int PrintKey(const LedgerArgs& a) {
  auto key = ledger::LoadLogVerifier(a.data);
  if (!key.ok()) return Fail(key.status());
  std::cout << key->ToString() << "\n";
  return kExitOk;
}

// Builds the tlog-proof for an entry against the newest stored checkpoint.
Result<std::string> BuildProofFile(ledger::Storage& storage, uint64_t index) {
  PB_ASSIGN_OR_RETURN(auto cp, storage.LatestCheckpoint());
  if (!cp || cp->size <= index)
    return NotFound("no checkpoint covers this entry yet", "index " + std::to_string(index));
  ledger::ProofFile file;
  file.index = index;
  PB_ASSIGN_OR_RETURN(file.extra, storage.ReadEntry(index));
  PB_ASSIGN_OR_RETURN(file.proof,
                      ledger::BuildInclusionProof(index, cp->size, ledger::StorageNodes(storage)));
  file.checkpoint = cp->note;
  return ledger::FormatProofFile(file);
}

int Prove(const LedgerArgs& a) {
  auto storage = ledger::OpenLedgerStorageForReading(a.data);
  if (!storage.ok()) return Fail(storage.status());
  auto file = BuildProofFile(**storage, a.index);
  if (!file.ok()) return Fail(file.status());
  Status s = WriteOutput(a.output, *file);
  return s.ok() ? kExitOk : Fail(s);
}

int VerifyProof(const LedgerArgs& a) {
  auto trust = TrustFromArgs(a);
  if (!trust.ok()) return Fail(trust.status());
  auto text = ReadInput(a.input);
  if (!text.ok()) return Fail(text.status());
  std::optional<std::string> entry;
  if (!a.entry_file.empty()) {
    auto e = ReadInput(a.entry_file);
    if (!e.ok()) return Fail(e.status());
    entry = std::move(*e);
  }
  auto v = ledger::VerifyProofFile(*text, trust->first, trust->second,
                                   entry ? std::optional<ByteSpan>(AsBytes(*entry)) : std::nullopt);
  if (!v.ok()) return Fail(v.status().WithContext(a.input));
  json::array witnesses;
  for (const auto& w : v->checkpoint.witnesses) witnesses.emplace_back(w);
  json::object out{{"verified", true},
                   {"index", v->index},
                   {"leaf_hash", Base64Encode(ledger::AsBytes(v->leaf_hash))},
                   {"origin", v->checkpoint.checkpoint.origin},
                   {"tree_size", v->checkpoint.checkpoint.size},
                   {"witnesses", witnesses}};
  std::cout << json::serialize(out) << "\n";
  return kExitOk;
}

Result<std::vector<Hash>> ReadProofJson(const std::string& path) {
  PB_ASSIGN_OR_RETURN(std::string text, ReadInput(path));
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return InvalidArgument("not JSON: " + ec.message(), path);
  const json::array* arr = v.is_object() && v.as_object().contains("proof") &&
                                   v.as_object().at("proof").is_array()
                               ? &v.as_object().at("proof").as_array()
                               : nullptr;
  if (!arr) return InvalidArgument("expected an object with a \"proof\" array", path);
  std::vector<Hash> proof;
  for (size_t i = 0; i < arr->size(); ++i) {
    const json::value& h = (*arr)[i];
    std::string where = path + ":/proof/" + std::to_string(i);
    if (!h.is_string()) return InvalidArgument("expected a base64 string", where);
    PB_ASSIGN_OR_RETURN(Hash hash, ledger::HashFromBase64(std::string(h.as_string()), where));
    proof.push_back(hash);
  }
  return proof;
}

int VerifyCheckpointCmd(const LedgerArgs& a) {
  auto trust = TrustFromArgs(a);
  if (!trust.ok()) return Fail(trust.status());
  auto text = ReadInput(a.input);
  if (!text.ok()) return Fail(text.status());
  auto v = ledger::VerifyCheckpoint(*text, trust->first, trust->second);
  if (!v.ok()) return Fail(v.status().WithContext(a.input));
  json::object out{{"verified", true},
                   {"origin", v->checkpoint.origin},
                   {"tree_size", v->checkpoint.size},
                   {"root", Base64Encode(ledger::AsBytes(v->checkpoint.root))}};
  if (!a.older.empty()) {
    auto older = ReadInput(a.older);
    if (!older.ok()) return Fail(older.status());
    std::vector<Hash> proof;
    if (!a.consistency_proof.empty()) {
      auto p = ReadProofJson(a.consistency_proof);
      if (!p.ok()) return Fail(p.status());
      proof = std::move(*p);
    }
    Status s = ledger::VerifyCheckpointConsistency(*older, *text, proof, trust->first,
                                                   trust->second);
    if (!s.ok()) return Fail(s);
    out["consistent_with_older"] = true;
  }
  std::cout << json::serialize(out) << "\n";
  return kExitOk;
}

int FsckCmd(const LedgerArgs& a) {
  auto key = ledger::LoadLogVerifier(a.data);
  if (!key.ok()) return Fail(key.status());
  auto storage = ledger::OpenLedgerStorageForReading(a.data);
  if (!storage.ok()) return Fail(storage.status());
  auto report = ledger::Fsck(**storage, *key);
  if (!report.ok()) return Fail(report.status());
  std::cout << "fsck ok: " << report->entries << " entries, " << report->tiles << " tiles, "
            << report->checkpoints << " checkpoints; root "
            << Base64Encode(ledger::AsBytes(report->root)) << " at size " << report->tree_size
            << "\n";
  return kExitOk;
}

}  // namespace

void AddLedgerCommands(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<LedgerArgs>();
  CLI::App* ledger = app.add_subcommand("ledger", "The append-only Merkle log");
  ledger->require_subcommand(1);

  auto* append = ledger->add_subcommand("append", "Append an entry (prints its index as JSON)");
  AddData(append, *a);
  append->add_option("--origin", a->origin, "Log origin, used when the log is created");
  append->add_option("--identity", a->identity, "Identity key: a second append with it is a duplicate");
  append->add_option("file", a->input, "Entry file, or - for standard input")->capture_default_str();
  append->callback([a, exit_code] { *exit_code = Append(*a); });

  auto* checkpoint = ledger->add_subcommand("checkpoint", "Print the latest signed checkpoint");
  AddData(checkpoint, *a);
  checkpoint->callback([a, exit_code] { *exit_code = PrintCheckpoint(*a); });

  auto* key = ledger->add_subcommand("key", "Print the log's public key (note verifier key)");
  AddData(key, *a);
  key->callback([a, exit_code] { *exit_code = PrintKey(*a); });

  auto* prove = ledger->add_subcommand("prove", "Write an offline proof file (c2sp.org/tlog-proof) for an entry");
  AddData(prove, *a);
  prove->add_option("index", a->index, "Entry index")->required();
  prove->add_option("-o,--output", a->output, "Output file, or - for standard output")->capture_default_str();
  prove->callback([a, exit_code] { *exit_code = Prove(*a); });

  auto add_trust = [&](CLI::App* cmd) {
    cmd->add_option("--key", a->key, "The log's verifier key (name+id+base64)");
    cmd->add_option("--key-file", a->key_file, "File holding the log's verifier key");
    cmd->add_option("--witness", a->witnesses, "A witness cosignature verifier key (repeatable)");
    cmd->add_option("--threshold", a->threshold, "How many witnesses must have cosigned");
  };
  auto* verify_proof = ledger->add_subcommand("verify-proof", "Verify a proof file offline (exit 0 only if valid)");
  add_trust(verify_proof);
  verify_proof->add_option("--entry", a->entry_file, "The entry, if the proof file does not carry it");
  verify_proof->add_option("proof", a->input, "Proof file, or -")->required();
  verify_proof->callback([a, exit_code] { *exit_code = VerifyProof(*a); });

  auto* verify_cp = ledger->add_subcommand("verify-checkpoint", "Verify a signed checkpoint offline, and optionally its consistency with an older one");
  add_trust(verify_cp);
  verify_cp->add_option("checkpoint", a->input, "Checkpoint file, or -")->required();
  verify_cp->add_option("--older", a->older, "An older checkpoint of the same log");
  verify_cp->add_option("--consistency-proof", a->consistency_proof, "JSON from GET /ledger/proof/consistency");
  verify_cp->callback([a, exit_code] { *exit_code = VerifyCheckpointCmd(*a); });

  auto* fsck = ledger->add_subcommand("fsck", "Recompute every hash and check every checkpoint");
  AddData(fsck, *a);
  fsck->callback([a, exit_code] { *exit_code = FsckCmd(*a); });
}

}  // namespace pathbridge::gateway
