#include "ledger/credentials/bitstring.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "standards/encoding.h"
#include "standards/multibase.h"
#include "tests/testing/test_util.h"

namespace pathbridge::credentials {
namespace {

namespace json = boost::json;

const json::object& Vectors() {
  static const json::value v =
      testing::ReadJson(testing::LedgerVectors() / "bitstring-status-list-vectors.json");
  return v.as_object();
}

// The GZIP bytes inside an encodedList we made.
Bytes GzipOf(const Bitstring& bits) {
  auto encoded = bits.Encode();
  EXPECT_TRUE(encoded.ok()) << encoded.status().ToString();
  auto gz = MultibaseDecode(*encoded);
  EXPECT_TRUE(gz.ok()) << gz.status().ToString();
  return *gz;
}

std::string EncodeGzip(const Bytes& gz) { return MultibaseEncode(Multibase::kBase64Url, gz); }

void ExpectError(std::string_view encoded, Code code, const std::string& message,
                 const std::string& where = {}, DecodeLimits limits = {}) {
  auto bits = Decode(encoded, limits);
  ASSERT_FALSE(bits.ok()) << "decoded a bad encodedList";
  EXPECT_EQ(bits.status().code(), code) << bits.status().ToString();
  EXPECT_EQ(bits.status().message(), message);
  EXPECT_EQ(bits.status().where(), where);
}

TEST(BitstringVectors, DecodeToTheListedBits) {
  const json::array& vectors = Vectors().at("vectors").as_array();
  ASSERT_EQ(vectors.size(), 2u);
  for (const json::value& v : vectors) {
    const json::object& vec = v.as_object();
    SCOPED_TRACE(std::string(vec.at("origin").as_string()));
    auto bits = Decode(vec.at("encodedList").as_string());
    ASSERT_TRUE(bits.ok()) << bits.status().ToString();
    EXPECT_EQ(bits->bytes().size(), static_cast<size_t>(vec.at("decoded_bytes").as_int64()));
    EXPECT_EQ(bits->size(), kMinimumListBits);
    std::set<size_t> want;
    for (const json::value& i : vec.at("set_indices").as_array())
      want.insert(static_cast<size_t>(i.as_int64()));
    EXPECT_EQ(bits->CountSet(), want.size());
    for (size_t i : want) EXPECT_TRUE(bits->Get(i)) << "index " << i;
    if (const json::value* checks = vec.if_contains("byte_checks")) {
      for (const auto& [key, hex] : checks->as_object()) {
        // "byte16383_hex" -> byte 16383
        const std::string name(key);
        const size_t at = std::stoul(name.substr(4, name.find('_') - 4));
        auto want_byte = HexDecode(hex.as_string());
        ASSERT_TRUE(want_byte.ok());
        EXPECT_EQ(bits->bytes()[at], (*want_byte)[0]) << name;
      }
    }
  }
}

TEST(BitstringVectors, ReEncodedListsDecodeToTheSameBits) {
  for (const json::value& v : Vectors().at("vectors").as_array()) {
    auto bits = Decode(v.as_object().at("encodedList").as_string());
    ASSERT_TRUE(bits.ok());
    auto again = bits->Encode();
    ASSERT_TRUE(again.ok());
    auto back = Decode(*again);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->bytes(), bits->bytes());
  }
}

TEST(Bitstring, IndexZeroIsTheLeftMostBitOfTheFirstByte) {
  Bitstring bits(16);
  bits.Set(0, true);
  EXPECT_EQ(bits.bytes()[0], 0x80);
  bits.Set(7, true);
  EXPECT_EQ(bits.bytes()[0], 0x81);
  bits.Set(8, true);
  bits.Set(15, true);
  EXPECT_EQ(bits.bytes()[1], 0x81);
  bits.Set(0, false);
  EXPECT_EQ(bits.bytes()[0], 0x01);
  EXPECT_FALSE(bits.Get(0));
  EXPECT_TRUE(bits.Get(7));
  EXPECT_EQ(bits.CountSet(), 3u);
}

TEST(Bitstring, SizeRoundsUpToWholeBytes) {
  EXPECT_EQ(Bitstring(1).size(), 8u);
  EXPECT_EQ(Bitstring(9).size(), 16u);
  EXPECT_EQ(Bitstring().size(), kMinimumListBits);
}

TEST(Bitstring, EncodeWritesMultibaseBase64UrlOfGzip) {
  Bitstring bits;
  bits.Set(42, true);
  auto encoded = bits.Encode();
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->front(), 'u');
  EXPECT_EQ(encoded->find_first_of("+/="), std::string::npos);
  auto gz = Base64UrlDecode(encoded->substr(1));
  ASSERT_TRUE(gz.ok());
  // RFC 1952: ID1 ID2 CM=8 (deflate); ISIZE, the last 4 bytes, is the
  // inflated length little-endian.
  ASSERT_GT(gz->size(), 18u);
  EXPECT_EQ((*gz)[0], 0x1f);
  EXPECT_EQ((*gz)[1], 0x8b);
  EXPECT_EQ((*gz)[2], 8);
  const size_t n = gz->size();
  EXPECT_EQ((*gz)[n - 4] | (*gz)[n - 3] << 8 | (*gz)[n - 2] << 16 | (*gz)[n - 1] << 24, 16384);
  // A nearly empty list compresses to well under a kilobyte.
  EXPECT_LT(encoded->size(), 200u);
}

void ExpectRoundTrip(const Bitstring& bits) {
  auto encoded = bits.Encode();
  ASSERT_TRUE(encoded.ok());
  auto back = Decode(*encoded);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->size(), bits.size());
  EXPECT_EQ(back->bytes(), bits.bytes());
}

// `set` random positions of a `size_bits` list.
Bitstring Sparse(size_t size_bits, size_t set, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bitstring bits(size_bits);
  for (size_t i = 0; i < set; ++i) bits.Set(rng() % size_bits, true);
  return bits;
}

TEST(Bitstring, RoundTripsAtTheMinimumAndLarger) {
  ExpectRoundTrip(Bitstring());
  ExpectRoundTrip(Sparse(kMinimumListBits, 100, 1));
  ExpectRoundTrip(Sparse(kMinimumListBits * 8, 5000, 2));
  ExpectRoundTrip(Sparse(kMinimumListBits * 64, 1000, 3));  // 1 MiB: many inflate chunks
  // Random bytes do not compress: deflate falls back to stored blocks.
  std::mt19937_64 rng(4);
  Bytes noise(kMinimumListBits / 8);
  for (uint8_t& b : noise) b = static_cast<uint8_t>(rng());
  ExpectRoundTrip(Bitstring(noise));
}

TEST(BitstringDecode, RejectsOtherMultibasePrefixes) {
  const std::string message =
      "encodedList must be multibase base64url: 'u' then base64url without padding";
  ExpectError("", Code::kInvalidArgument, message, "offset 0");
  ExpectError("zH4sIAAAA", Code::kInvalidArgument, message, "offset 0");
  ExpectError("H4sIAAAAAAAAA", Code::kInvalidArgument, message, "offset 0");
}

TEST(BitstringDecode, RejectsBadBase64Url) {
  ExpectError("uH4s+AAAA", Code::kInvalidArgument, "invalid base64url character", "offset 4");
  ExpectError("uH4sIAA==", Code::kInvalidArgument, "invalid base64url character", "offset 7");
  ExpectError("uH4sIA A", Code::kInvalidArgument, "invalid base64url character", "offset 6");
}

TEST(BitstringDecode, RejectsDataThatIsNotGzip) {
  const std::string message = "encodedList does not hold GZIP data (no 1f 8b header)";
  ExpectError("u", Code::kInvalidArgument, message);
  ExpectError(EncodeGzip(Bytes(16384, 0)), Code::kInvalidArgument, message);
  // zlib-wrapped deflate (RFC 1950) is not GZIP either.
  ExpectError(EncodeGzip({0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}), Code::kInvalidArgument,
              message);
}

TEST(BitstringDecode, RejectsTruncatedGzip) {
  const Bytes gz = GzipOf(Bitstring());
  for (size_t keep : {size_t{2}, size_t{10}, gz.size() / 2, gz.size() - 4, gz.size() - 1}) {
    SCOPED_TRACE(keep);
    ExpectError(EncodeGzip(Bytes(gz.begin(), gz.begin() + static_cast<long>(keep))),
                Code::kInvalidArgument, "encodedList holds truncated GZIP data");
  }
}

TEST(BitstringDecode, RejectsCorruptGzip) {
  Bytes gz = GzipOf(Bitstring());
  Bytes bad_crc = gz;
  bad_crc[bad_crc.size() - 8] ^= 1;  // CRC-32 of the trailer
  ExpectError(EncodeGzip(bad_crc), Code::kInvalidArgument,
              "encodedList holds corrupt GZIP data: incorrect data check");
  Bytes bad_size = gz;
  bad_size[bad_size.size() - 1] ^= 1;  // ISIZE
  ExpectError(EncodeGzip(bad_size), Code::kInvalidArgument,
              "encodedList holds corrupt GZIP data: incorrect length check");
  Bytes bad_method = gz;
  bad_method[2] = 7;  // CM must be 8 (deflate)
  ExpectError(EncodeGzip(bad_method), Code::kInvalidArgument,
              "encodedList holds corrupt GZIP data: unknown compression method");
}

TEST(BitstringDecode, RejectsBytesAfterTheGzipData) {
  Bytes gz = GzipOf(Bitstring());
  gz.push_back(0);
  ExpectError(EncodeGzip(gz), Code::kInvalidArgument,
              "encodedList has bytes after the end of its GZIP data");
}

TEST(BitstringDecode, ConcatenatedGzipMembersAreOneList) {
  Bitstring first(kMinimumListBits / 2), second(kMinimumListBits / 2);
  first.Set(3, true);
  second.Set(5, true);
  Bytes gz = GzipOf(first);
  const Bytes tail = GzipOf(second);
  gz.insert(gz.end(), tail.begin(), tail.end());
  auto bits = Decode(EncodeGzip(gz));
  ASSERT_TRUE(bits.ok()) << bits.status().ToString();
  EXPECT_EQ(bits->size(), kMinimumListBits);
  EXPECT_TRUE(bits->Get(3));
  EXPECT_TRUE(bits->Get(kMinimumListBits / 2 + 5));
  EXPECT_EQ(bits->CountSet(), 2u);
}

TEST(BitstringDecode, RejectsListsShorterThanTheMinimum) {
  auto short_list = Bitstring(8192).Encode();  // 1 KiB
  ASSERT_TRUE(short_list.ok());
  ExpectError(*short_list, Code::kInvalidArgument,
              "the status list has 8192 entries; the minimum is 131072");
  auto one_short = Bitstring(kMinimumListBits - 8).Encode();
  ASSERT_TRUE(one_short.ok());
  ExpectError(*one_short, Code::kInvalidArgument,
              "the status list has 131064 entries; the minimum is 131072");
  auto allowed = Decode(*short_list, DecodeLimits{8192, DecodeLimits{}.max_bytes});
  EXPECT_TRUE(allowed.ok()) << allowed.status().ToString();
}

TEST(BitstringDecode, StopsInflatingAtTheLimit) {
  // 17 MiB of zero bits compresses to about 17 KB: a decompression bomb
  // against the default 16 MiB limit.
  auto bomb = Bitstring(size_t{17} << 23).Encode();
  ASSERT_TRUE(bomb.ok());
  ASSERT_LT(bomb->size(), 64u << 10);
  ExpectError(*bomb, Code::kResourceExhausted, "encodedList inflates to more than 16777216 bytes");

  auto list = Bitstring().Encode();
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(Decode(*list, DecodeLimits{kMinimumListBits, 16384}).ok());
  ExpectError(*list, Code::kResourceExhausted, "encodedList inflates to more than 16383 bytes", {},
              DecodeLimits{0, 16383});
}

}  // namespace
}  // namespace pathbridge::credentials
