// Ed25519 keys as Multikeys and did:key identifiers, the forms Data
// Integrity proofs name their keys in:
//   public key  base58btc(0xed 0x01 || 32-byte key)   -> "z6Mk..."
//   secret key  base58btc(0x80 0x26 || 32-byte seed)  -> "z3u2..."
// (varints of the multicodecs ed25519-pub 0xed and ed25519-priv 0x1300, as
// Data Integrity EdDSA Cryptosuites v1.0 §2.1.1 Multikey uses them), and
//   did:key:z6Mk...            the DID (W3C CCG did:key v0.7)
//   did:key:z6Mk...#z6Mk...    its one verification method
// with the DID document that did:key §3.1.1 (Document Creation Algorithm)
// derives for publicKeyFormat "Multikey"; the optional X25519 keyAgreement
// key (enableEncryptionKeyDerivation) is not derived.
//
// Thread-safety: pure functions (InitCrypto runs once, thread-safely).
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "certs/ed25519.h"

namespace pathbridge::certs {

std::string Ed25519PublicKeyMultibase(const Ed25519PublicKey& key);
// Rejects other multibases, other multicodecs, wrong lengths and byte
// strings that are not an Ed25519 curve point.
Result<Ed25519PublicKey> ParseEd25519PublicKeyMultibase(std::string_view text);

std::string Ed25519SecretKeyMultibase(const Ed25519Key& key);
Result<Ed25519Key> ParseEd25519SecretKeyMultibase(std::string_view text);

std::string DidKey(const Ed25519PublicKey& key);
std::string DidKeyVerificationMethod(const Ed25519PublicKey& key);
// Accepts "did:key:z6Mk..." or its verification method "did:key:X#X".
Result<Ed25519PublicKey> ParseDidKey(std::string_view did_or_url);
boost::json::object DidKeyDocument(const Ed25519PublicKey& key);

}  // namespace pathbridge::certs
