#include "ledger/checkpoint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/testing/test_util.h"

namespace pathbridge::ledger {

namespace {

namespace json = boost::json;

const json::object& Vectors() { return testing::SignedNoteVectors(); }
const json::object& Format() { return Vectors().at("checkpoint_format").as_object(); }
std::string Str(const json::value& v) { return std::string(v.as_string()); }

const json::object& TesseraCase() {
  for (const auto& c : Vectors().at("positive").as_array())
    if (c.as_object().at("id").as_string() == "tessera-testdata-log-key") return c.as_object();
  throw std::runtime_error("no tessera vector");
}

// The entry list quoted in the Tessera vector's expectation: ['one','two',...].
std::vector<std::string> TesseraEntries() {
  std::string s = Str(TesseraCase().at("expect"));
  s = s.substr(s.rfind('[') + 1);
  s = s.substr(0, s.find(']'));
  std::vector<std::string> out;
  for (size_t q = s.find('\''); q != std::string::npos; q = s.find('\'', s.find('\'', q + 1) + 1))
    out.push_back(s.substr(q + 1, s.find('\'', q + 1) - q - 1));
  return out;
}

// RFC 6962 MTH, written out plainly as an independent reference.
Hash Mth(const std::vector<std::string>& d, size_t begin, size_t end) {
  if (end == begin) return Hasher::EmptyRoot();
  if (end - begin == 1) return ThreadHasher().Leaf(AsBytes(std::string_view(d[begin])));
  size_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  return ThreadHasher().Node(Mth(d, begin, begin + k), Mth(d, begin + k, end));
}

std::string TesseraFile(const std::string& name) {
  return testing::ReadFile(testing::LedgerVectors() / "tessera-testdata-log" / name);
}

TEST(CheckpointTessera, AllSeventeenVerifyAndParse) {
  auto log = NoteVerifier::Parse(Str(TesseraCase().at("vkey")));
  ASSERT_TRUE(log.ok());
  std::vector<std::string> entries = TesseraEntries();
  ASSERT_EQ(entries.size(), 15u);
  for (int n = 0; n <= 16; ++n) {
    std::string file = n == 16 ? "checkpoint" : "checkpoint." + std::to_string(n);
    size_t size = n == 16 ? 15 : static_cast<size_t>(n);
    auto v = VerifyCheckpoint(TesseraFile(file), *log);
    ASSERT_TRUE(v.ok()) << file << ": " << v.status().ToString();
    EXPECT_EQ(v->checkpoint.origin, "example.com/log/testdata") << file;
    EXPECT_EQ(v->checkpoint.size, size) << file;
    EXPECT_EQ(v->checkpoint.root, Mth(entries, 0, size)) << file;
    EXPECT_TRUE(v->checkpoint.extensions.empty()) << file;
    EXPECT_TRUE(v->witnesses.empty()) << file;
    auto note = ParseNote(TesseraFile(file));
    ASSERT_TRUE(note.ok()) << file;
    EXPECT_EQ(FormatCheckpoint(v->checkpoint), note->text) << file;
  }
  EXPECT_EQ(TesseraFile("checkpoint"), TesseraFile("checkpoint.15"));
}

TEST(CheckpointTessera, WrongOriginOrKeyFails) {
  auto log = NoteVerifier::Parse(Str(TesseraCase().at("vkey")));
  ASSERT_TRUE(log.ok());
  std::string cp = TesseraFile("checkpoint.7");
  EXPECT_TRUE(VerifyCheckpoint(cp, *log, {}, "example.com/log/testdata").ok());
  auto other_origin = VerifyCheckpoint(cp, *log, {}, "example.com/other");
  ASSERT_FALSE(other_origin.ok());
  EXPECT_EQ(other_origin.status().where(), "line 1");
  auto stranger = NoteSigner::Generate("example.com/log/testdata");
  ASSERT_TRUE(stranger.ok());
  auto r = VerifyCheckpoint(cp, stranger->verifier());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kVerificationFailed);
}

// ---- Spec examples (no public keys: parsing only) ----

uint32_t HexU32(const json::value& v) {
  return static_cast<uint32_t>(std::stoul(Str(v), nullptr, 16));
}

TEST(CheckpointSpec, ExampleCheckpointAndCosignatureParse) {
  std::string note_text = Str(Format().at("example_checkpoint"));
  std::string cosig_line = Str(Format().at("example_cosignature_line"));
  auto note = ParseNote(note_text + cosig_line + "\n");
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  ASSERT_EQ(note->signatures.size(), 2u);
  const auto& log_dec = Format().at("example_log_sig_decoded").as_object();
  EXPECT_EQ(note->signatures[0].key_id, HexU32(log_dec.at("key_id_hex")));
  EXPECT_EQ(note->signatures[0].signature.size() + 4, log_dec.at("bytes").as_int64());
  const auto& co_dec = Format().at("example_cosignature_decoded").as_object();
  const NoteSignature& co = note->signatures[1];
  EXPECT_EQ(co.name, "witness.example.com/w1");
  EXPECT_EQ(co.key_id, HexU32(co_dec.at("key_id_hex")));
  ASSERT_EQ(co.signature.size() + 4, co_dec.at("bytes").as_int64());
  uint64_t ts = 0;
  for (size_t i = 0; i < 8; ++i) ts = ts << 8 | co.signature[i];
  EXPECT_EQ(ts, static_cast<uint64_t>(co_dec.at("timestamp_u64_be").as_int64()));
  EXPECT_EQ(co.signature.size() - 8, co_dec.at("ed25519_sig_bytes").as_int64());
  EXPECT_EQ(FormatNote(*note), note_text + cosig_line + "\n");

  auto cp = ParseCheckpoint(note->text);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(cp->size, 20852163u);
  EXPECT_EQ(FormatCheckpoint(*cp), note->text);
}

TEST(CheckpointSpec, CosignatureSignsTheV1Message) {
  auto example = ParseNote(Str(Format().at("example_checkpoint")));
  ASSERT_TRUE(example.ok()) << example.status().ToString();
  const std::string text = example->text;
  std::string want = Str(Format().at("cosignature_v1_signed_message"));
  uint64_t ts = 1679315147;
  ASSERT_NE(want.find(std::to_string(ts)), std::string::npos);
  auto key = certs::Ed25519Key::Generate();
  std::string line = Cosign("witness.example.com/w1", key, text, ts);
  auto note = ParseNote(text + "\n" + line);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  const Bytes& sig = note->signatures[0].signature;
  ASSERT_EQ(sig.size(), 72u);
  EXPECT_TRUE(certs::VerifyEd25519(key.public_key(), AsBytes(want), ByteSpan(sig).subspan(8)));
  EXPECT_EQ(note->signatures[0].key_id,
            KeyId("witness.example.com/w1", kCosignatureV1SignatureType, key.public_key()));
  auto w = CosignatureVerifier::Parse(CosignatureVerifierKey("witness.example.com/w1",
                                                             key.public_key()));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  auto got = w->Verify(text, sig);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, ts);
}

TEST(CheckpointSpec, GoSumdbTreeGoldenAndBad) {
  const auto& tree = Format().at("go_sumdb_tree_note_text").as_object();
  std::string golden = Str(tree.at("golden"));
  auto cp = ParseCheckpoint(golden);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->origin, "go.sum database tree");
  EXPECT_EQ(cp->size, static_cast<uint64_t>(tree.at("size").as_int64()));
  EXPECT_EQ(cp->root, ThreadHasher().Leaf(AsBytes(std::string_view("hello world"))));
  EXPECT_EQ(FormatCheckpoint(*cp), golden);

  // Signed with a stand-in key, the golden text verifies for the sumdb
  // origin and every bad text fails (wrong origin, hex size, long root).
  auto signer = NoteSigner::Generate("sumdb.example");
  ASSERT_TRUE(signer.ok());
  auto sign = [&](const std::string& text) { return *SignNote(text, {&*signer}); };
  const std::string origin = "go.sum database tree";
  EXPECT_TRUE(VerifyCheckpoint(sign(golden), signer->verifier(), {}, origin).ok());
  size_t i = 0;
  for (const auto& bad : tree.at("bad").as_array()) {
    auto r = VerifyCheckpoint(sign(Str(bad)), signer->verifier(), {}, origin);
    EXPECT_FALSE(r.ok()) << "bad[" << i << "]";
    ++i;
  }
  EXPECT_EQ(ParseCheckpoint(Str(tree.at("bad").at(1))).status().where(), "line 2");
  EXPECT_EQ(ParseCheckpoint(Str(tree.at("bad").at(2))).status().where(), "line 3");
}

// ---- Syntax ----

TEST(CheckpointSyntax, RejectsMalformedBodies) {
  const std::string root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  struct Bad {
    std::string text;
    std::string where;
  };
  const Bad kBad[] = {
      {"o\n1\n", "line 3"},
      {"o\n1\n" + root, ""},  // no final newline
      {"\n1\n" + root + "\n", "line 1"},
      {"o\n\n" + root + "\n", "line 2"},
      {"o\n00\n" + root + "\n", "line 2"},
      {"o\n01\n" + root + "\n", "line 2"},
      {"o\n-1\n" + root + "\n", "line 2"},
      {"o\n+1\n" + root + "\n", "line 2"},
      {"o\n 1\n" + root + "\n", "line 2"},
      {"o\n18446744073709551616\n" + root + "\n", "line 2"},
      {"o\n1\n" + root.substr(0, 40) + "\n", "line 3"},
      {"o\n1\nAAAA\n", "line 3"},
      {"o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=\n", "line 3"},  // trailing bits
      {"o\n1\n" + root + "\next\n\n", "line 5"},
      {"o\n1\n" + root + "\n\next\n", "line 4"},
      {"o\x01\n1\n" + root + "\n", "line 1"},
  };
  for (const auto& b : kBad) {
    auto r = ParseCheckpoint(b.text);
    ASSERT_FALSE(r.ok()) << b.text;
    if (!b.where.empty()) {
      EXPECT_EQ(r.status().where(), b.where) << b.text << ": " << r.status().ToString();
    }
  }
}

TEST(CheckpointSyntax, ExtensionsAndLargestSizeRoundTrip) {
  const std::string text = "example.com/log\n18446744073709551615\n"
                           "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nfirst ext\nsecond\n";
  auto cp = ParseCheckpoint(text);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->size, UINT64_MAX);
  EXPECT_EQ(cp->extensions, (std::vector<std::string>{"first ext", "second"}));
  EXPECT_EQ(FormatCheckpoint(*cp), text);
}

// ---- Witness policy ----

class WitnessPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = NoteSigner::Generate("example.com/log");
    ASSERT_TRUE(log.ok());
    log_.emplace(std::move(*log));
    Checkpoint cp{"example.com/log", 15, Mth(TesseraEntries(), 0, 15), {}};
    text_ = FormatCheckpoint(cp);
    signed_ = *SignNote(text_, {&*log_});
    for (int i = 0; i < 3; ++i) {
      std::string name = "witness.example/w" + std::to_string(i + 1);
      keys_.push_back(certs::Ed25519Key::Generate());
      names_.push_back(name);
      auto w = CosignatureVerifier::Parse(CosignatureVerifierKey(name, keys_[i].public_key()));
      ASSERT_TRUE(w.ok()) << w.status().ToString();
      EXPECT_EQ(w->ToString(), CosignatureVerifierKey(name, keys_[i].public_key()));
      policy_.witnesses.push_back(*w);
    }
    policy_.threshold = 2;
  }
  std::string Cosig(int i, uint64_t ts = 1700000000) const {
    return Cosign(names_[i], keys_[i], text_, ts);
  }
  Result<VerifiedCheckpoint> Verify(const std::string& extra_lines) const {
    return VerifyCheckpoint(signed_ + extra_lines, log_->verifier(), policy_);
  }

  std::optional<NoteSigner> log_;
  std::string text_, signed_;
  std::vector<certs::Ed25519Key> keys_;
  std::vector<std::string> names_;
  WitnessPolicy policy_;
};

TEST_F(WitnessPolicyTest, TwoOfThreePasses) {
  auto r = Verify(Cosig(0) + Cosig(2));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->witnesses, (std::vector<std::string>{names_[0], names_[2]}));
  auto all = Verify(Cosig(1) + Cosig(0) + Cosig(2));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->witnesses.size(), 3u);
}

TEST_F(WitnessPolicyTest, OneValidFails) {
  auto r = Verify(Cosig(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kVerificationFailed);
  // The same cosignature twice still counts once.
  EXPECT_FALSE(Verify(Cosig(1) + Cosig(1)).ok());
  EXPECT_FALSE(Verify("").ok());
}

TEST_F(WitnessPolicyTest, ForgedCosignatureFails) {
  // Right name and key id, but signed over another checkpoint.
  std::string other = text_;
  other[other.find('\n') + 1] = '9';
  std::string forged = Cosign(names_[2], keys_[2], other, 1700000000);
  EXPECT_FALSE(Verify(Cosig(0) + forged).ok());
  // A known key that fails to verify rejects the note even above threshold.
  auto r = Verify(Cosig(0) + Cosig(1) + forged);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kVerificationFailed);
  EXPECT_EQ(r.status().where(), "signature 4");
  // A timestamp changed after signing.
  auto note = ParseNote(signed_ + Cosig(0) + Cosig(1));
  ASSERT_TRUE(note.ok());
  note->signatures[2].signature[7] ^= 1;
  EXPECT_FALSE(VerifyCheckpoint(FormatNote(*note), log_->verifier(), policy_).ok());
}

TEST_F(WitnessPolicyTest, UnknownWitnessesAreIgnored) {
  std::string unknown;
  for (int i = 0; i < 5; ++i)
    unknown += Cosign("stranger.example/" + std::to_string(i), certs::Ed25519Key::Generate(),
                      text_, 1700000000);
  // Same name as a known witness, another key: a different id, so unknown.
  unknown += Cosign(names_[1], certs::Ed25519Key::Generate(), text_, 1700000000);
  EXPECT_FALSE(Verify(Cosig(0) + unknown).ok());
  auto r = Verify(unknown + Cosig(0) + unknown + Cosig(2));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->witnesses, (std::vector<std::string>{names_[0], names_[2]}));
}

TEST_F(WitnessPolicyTest, LogSignatureIsRequired) {
  auto note = ParseNote(signed_ + Cosig(0) + Cosig(1) + Cosig(2));
  ASSERT_TRUE(note.ok());
  Note no_log{note->text, {note->signatures.begin() + 1, note->signatures.end()}};
  EXPECT_FALSE(VerifyCheckpoint(FormatNote(no_log), log_->verifier(), policy_).ok());
  note->signatures[0].signature[5] ^= 1;
  EXPECT_FALSE(VerifyCheckpoint(FormatNote(*note), log_->verifier(), policy_).ok());
}

TEST_F(WitnessPolicyTest, BadPoliciesAndKeys) {
  WitnessPolicy too_high = policy_;
  too_high.threshold = 4;
  EXPECT_EQ(VerifyCheckpoint(signed_ + Cosig(0) + Cosig(1) + Cosig(2), log_->verifier(), too_high)
                .status()
                .code(),
            Code::kInvalidArgument);
  WitnessPolicy twice = policy_;
  twice.witnesses.push_back(policy_.witnesses[0]);
  EXPECT_FALSE(VerifyCheckpoint(signed_ + Cosig(0), log_->verifier(), twice).ok());
  // Note keys (type 0x01) are not witness keys (type 0x04), and vice versa.
  EXPECT_FALSE(CosignatureVerifier::Parse(log_->verifier().ToString()).ok());
  EXPECT_FALSE(NoteVerifier::Parse(policy_.witnesses[0].ToString()).ok());
}

TEST_F(WitnessPolicyTest, TimestampAbove63BitsIsRejected) {
  uint64_t too_big = uint64_t{1} << 63;
  auto note = ParseNote(signed_ + Cosign(names_[0], keys_[0], text_, too_big));
  ASSERT_TRUE(note.ok());
  EXPECT_FALSE(policy_.witnesses[0].Verify(text_, note->signatures[1].signature).ok());
  auto ok = ParseNote(signed_ + Cosign(names_[0], keys_[0], text_, too_big - 1));
  ASSERT_TRUE(ok.ok());
  auto ts = policy_.witnesses[0].Verify(text_, ok->signatures[1].signature);
  ASSERT_TRUE(ts.ok()) << ts.status().ToString();
  EXPECT_EQ(*ts, too_big - 1);
}

}  // namespace
}  // namespace pathbridge::ledger
