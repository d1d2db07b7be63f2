#include "certs/key_file.h"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "certs/multikey.h"
#include "tests/testing/test_util.h"

namespace pathbridge::certs {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// Cheap Argon2id settings so the tests stay fast; the format is the same.
KeyFileProtection Fast(std::string_view passphrase) {
  return {passphrase, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

unsigned Mode(const fs::path& p) {
  struct stat st;
  EXPECT_EQ(::stat(p.c_str(), &st), 0);
  return st.st_mode & 0777;
}

void Write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
  ::chmod(p.c_str(), 0600);
}

boost::json::object ReadObject(const fs::path& p) { return testing::ReadJson(p).as_object(); }

// Each W3C vc-di-eddsa key pair's privateKeyMultibase, in a key file in
// the clear, opens to the key whose public half is the pair's
// publicKeyMultibase.
TEST(KeyFile, OpensW3cKeyPairsInTheClear) {
  TempDir dir;
  const auto pair = testing::ReadJson(testing::SharedDir() / "standards/vc2/vc-di-eddsa/keyPair.json");
  const fs::path path = dir.path() / "k.key";
  Write(path, "{\"type\":\"pathbridge-ed25519-secret-key\",\"secretKeyMultibase\":\"" +
                  std::string(pair.at("privateKeyMultibase").as_string()) + "\"}");
  auto key = ReadKeyFile(path);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(Ed25519PublicKeyMultibase(key->public_key()), pair.at("publicKeyMultibase").as_string());
}

TEST(KeyFile, ClearRoundTripIsPrivate) {
  TempDir dir;
  const fs::path path = dir.path() / "k.key";
  const Ed25519Key key = Ed25519Key::Generate();
  ASSERT_TRUE(WriteKeyFile(path, key).ok());
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
  auto o = ReadObject(path);
  EXPECT_EQ(o.at("type"), "pathbridge-ed25519-secret-key");
  EXPECT_EQ(o.at("secretKeyMultibase").as_string(), Ed25519SecretKeyMultibase(key));
  auto back = ReadKeyFile(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->public_key(), key.public_key());
  // A passphrase for a file in the clear is not needed.
  EXPECT_TRUE(ReadKeyFile(path, "unused").ok());
}

TEST(KeyFile, SealedRoundTripHidesTheKey) {
  TempDir dir;
  const fs::path path = dir.path() / "k.key";
  const Ed25519Key key = Ed25519Key::Generate();
  ASSERT_TRUE(WriteKeyFile(path, key, Fast("correct horse")).ok());
  EXPECT_EQ(Mode(path), 0600u);
  const std::string text = testing::ReadFile(path);
  EXPECT_EQ(text.find(Ed25519SecretKeyMultibase(key)), std::string::npos);
  EXPECT_EQ(text.find("secretKeyMultibase"), std::string::npos);
  auto o = ReadObject(path);
  EXPECT_EQ(o.at("kdf"), "argon2id13");
  EXPECT_EQ(o.at("cipher"), "xchacha20poly1305-ietf");
  EXPECT_EQ(o.at("opslimit").to_number<uint64_t>(), crypto_pwhash_OPSLIMIT_MIN);
  EXPECT_EQ(o.at("memlimit").to_number<uint64_t>(), crypto_pwhash_MEMLIMIT_MIN);

  auto back = ReadKeyFile(path, "correct horse");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->public_key(), key.public_key());

  // Sealing again draws a new salt and nonce.
  const fs::path again = dir.path() / "again.key";
  ASSERT_TRUE(WriteKeyFile(again, key, Fast("correct horse")).ok());
  EXPECT_NE(ReadObject(again).at("salt"), o.at("salt"));
  EXPECT_NE(ReadObject(again).at("nonce"), o.at("nonce"));
}

TEST(KeyFile, DefaultProtectionIsModerate) {
  const KeyFileProtection p;
  EXPECT_EQ(p.opslimit, crypto_pwhash_OPSLIMIT_MODERATE);
  EXPECT_EQ(p.memlimit, crypto_pwhash_MEMLIMIT_MODERATE);
  EXPECT_TRUE(p.passphrase.empty());
}

TEST(KeyFile, WrongOrMissingPassphrase) {
  TempDir dir;
  const fs::path path = dir.path() / "k.key";
  ASSERT_TRUE(WriteKeyFile(path, Ed25519Key::Generate(), Fast("right")).ok());
  auto wrong = ReadKeyFile(path, "wrong");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), Code::kVerificationFailed);
  EXPECT_EQ(wrong.status().message(), "wrong passphrase or corrupted key file");
  EXPECT_EQ(wrong.status().where(), path.string());
  auto none = ReadKeyFile(path);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(none.status().message().find("encrypted"), std::string::npos);
}

// The ciphertext and every header field are authenticated.
TEST(KeyFile, TamperingIsDetected) {
  TempDir dir;
  const fs::path path = dir.path() / "k.key";
  ASSERT_TRUE(WriteKeyFile(path, Ed25519Key::Generate(), Fast("pw")).ok());
  const auto original = ReadObject(path);
  auto flip = [](std::string s) {
    s[3] = s[3] == 'A' ? 'B' : 'A';
    return s;
  };
  struct Case {
    const char* id;
    const char* field;
    boost::json::value value;
  };
  const Case kCases[] = {
      {"ciphertext", "ciphertext", boost::json::value(flip(std::string(original.at("ciphertext").as_string())))},
      {"nonce", "nonce", boost::json::value(flip(std::string(original.at("nonce").as_string())))},
      {"salt", "salt", boost::json::value(flip(std::string(original.at("salt").as_string())))},
      {"opslimit", "opslimit", boost::json::value(crypto_pwhash_OPSLIMIT_MIN + 1)},
      {"memlimit", "memlimit", boost::json::value(crypto_pwhash_MEMLIMIT_MIN * 2)},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.id);
    auto changed = original;
    changed[c.field] = c.value;
    Write(path, boost::json::serialize(changed));
    auto r = ReadKeyFile(path, "pw");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kVerificationFailed) << r.status().ToString();
  }
}

TEST(KeyFile, RejectsMalformedFilesWithLocations) {
  TempDir dir;
  const fs::path path = dir.path() / "k.key";
  ASSERT_TRUE(WriteKeyFile(path, Ed25519Key::Generate(), Fast("pw")).ok());
  const auto sealed = ReadObject(path);
  struct Case {
    const char* id;
    std::string text;
    Code code;
    std::string where;
  };
  auto with = [&](const char* field, boost::json::value v) {
    auto o = sealed;
    o[field] = std::move(v);
    return boost::json::serialize(o);
  };
  const std::string file = path.string();
  const Case kCases[] = {
      {"not json", "{", Code::kInvalidArgument, file + ":1:2"},
      {"wrong type", R"({"type":"other"})", Code::kInvalidArgument, file + ":/type"},
      {"unknown member", with("extra", 1), Code::kInvalidArgument, file + ":/extra"},
      {"other kdf", with("kdf", "scrypt"), Code::kInvalidArgument, file + ":/kdf"},
      {"short salt", with("salt", "AAAA"), Code::kInvalidArgument, file + ":/salt"},
      {"memory bomb", with("memlimit", uint64_t{1} << 40), Code::kResourceExhausted,
       file + ":/memlimit"},
      {"fractional ops", with("opslimit", 2.5), Code::kInvalidArgument, file + ":/opslimit"},
      {"bad secret",
       R"({"type":"pathbridge-ed25519-secret-key","secretKeyMultibase":"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"})",
       Code::kInvalidArgument, file + ":/secretKeyMultibase"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.id);
    Write(path, c.text);
    auto r = ReadKeyFile(path, "pw");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), c.code) << r.status().ToString();
    EXPECT_EQ(r.status().where().substr(0, c.where.size()), c.where) << r.status().ToString();
  }
}

TEST(KeyFile, RefusesAFileOthersCanRead) {
  TempDir dir;
  const fs::path path = dir.path() / "k.key";
  ASSERT_TRUE(WriteKeyFile(path, Ed25519Key::Generate()).ok());
  ::chmod(path.c_str(), 0644);
  auto r = ReadKeyFile(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
}

}  // namespace
}  // namespace pathbridge::certs
