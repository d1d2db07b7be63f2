// json::JsonWriter (standards/json_write.h) against boost's own
// serializer: every byte at every place in keys and strings, the numbers
// at their limits, nesting, random documents, and the Ed-Fi samples.
#include "standards/json_write.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <random>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tests/testing/test_util.h"

namespace pathbridge::json {
namespace {

namespace bj = boost::json;

// One writer for every test: its buffer is reused and grows.
std::string Written(const bj::value& v) {
  static JsonWriter* writer = new JsonWriter;
  std::string text(writer->Write(v));
  if (v.is_object()) {
    EXPECT_EQ(writer->Write(v.get_object()), text);
  }
  return text;
}

TEST(JsonWrite, EscapesEveryByteAtEveryPlaceAsBoostDoes) {
  for (int b = 0; b < 256; ++b) {
    for (size_t len = 1; len <= 24; ++len) {
      for (size_t at = 0; at < len; ++at) {
        std::string s(len, 'a');
        s[at] = static_cast<char>(b);
        bj::object o;
        o[s] = s;
        bj::value v = std::move(o);
        ASSERT_EQ(Written(v), bj::serialize(v)) << "byte " << b << " at " << at << " of " << len;
      }
    }
  }
}

TEST(JsonWrite, NumbersAtTheirLimitsAndTheOtherKinds) {
  bj::array a{0,
              -1,
              std::numeric_limits<int64_t>::min(),
              std::numeric_limits<int64_t>::max(),
              std::numeric_limits<uint64_t>::max(),
              0.0,
              -0.0,
              1.0,
              1.5,
              0.1,
              1e300,
              -2.5e-308,
              5e-324,
              std::numeric_limits<double>::max(),
              true,
              false,
              nullptr,
              bj::array{},
              bj::object{},
              "",
              bj::array{bj::array{bj::object{{"a", bj::array{1, "x", nullptr}}}}}};
  bj::value v = std::move(a);
  EXPECT_EQ(Written(v), bj::serialize(v));
  EXPECT_EQ(Written(bj::value(1.0)), "1E0");  // boost's own form, kept
}

TEST(JsonWrite, ADocumentLargerThanTheBufferGrowsIt) {
  bj::object o;
  for (int i = 0; i < 3000; ++i) o["k" + std::to_string(i)] = std::string(i % 50, '\x01');
  bj::value v = std::move(o);
  EXPECT_EQ(Written(v), bj::serialize(v));
  EXPECT_EQ(Written(bj::value("small")), "\"small\"");  // and writes from its start again
}

// A random value of up to `depth` levels: strings with bytes of every kind.
bj::value RandomValue(std::mt19937_64& rng, int depth) {
  auto text = [&] {
    std::string s(rng() % 20, ' ');
    for (char& c : s) c = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : 'a' + rng() % 26);
    return s;
  };
  switch (rng() % (depth > 0 ? 7 : 5)) {
    case 0: return bj::value(static_cast<int64_t>(rng()));
    case 1: return bj::value(static_cast<double>(static_cast<int64_t>(rng())) / 1024.0);
    case 2: return bj::value(text());
    case 3: return bj::value(rng() % 2 == 0);
    case 4: return bj::value(nullptr);
    case 5: {
      bj::array a;
      for (size_t i = rng() % 5; i > 0; --i) a.push_back(RandomValue(rng, depth - 1));
      return a;
    }
    default: {
      bj::object o;
      for (size_t i = rng() % 5; i > 0; --i) o[text()] = RandomValue(rng, depth - 1);
      return o;
    }
  }
}

TEST(JsonWrite, RandomDocumentsAsBoostWritesThem) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    bj::value v = RandomValue(rng, 4);
    ASSERT_EQ(Written(v), bj::serialize(v)) << i;
  }
}

TEST(JsonWrite, TheStandardsSamplesAsBoostWritesThem) {
  size_t files = 0;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(testing::SharedDir() / "standards")) {
    if (e.path().extension() != ".json") continue;
    boost::system::error_code ec;
    bj::value v = bj::parse(testing::ReadFile(e.path()), ec);
    if (ec) continue;  // a conformance suite's deliberately bad input
    EXPECT_EQ(Written(v), bj::serialize(v)) << e.path();
    ++files;
  }
  EXPECT_GT(files, 300u);
}

// A document written piece by piece is what Write writes for its value;
// Start() begins anew in the same buffer.
TEST(JsonWrite, PiecesAsBoostWritesTheirValue) {
  JsonWriter w;
  w.Write(bj::value("an earlier document, longer than the next"));
  for (int64_t n : {int64_t{0}, int64_t{-1}, int64_t{2025}, INT64_MIN, INT64_MAX}) {
    w.Start();
    w.Raw('{');
    w.String("n\"\x01");
    w.Raw(':');
    w.Int(n);
    w.Raw(",");
    w.String("o");
    w.Raw(':');
    w.Object(bj::object{{"a", 1.5}, {"b", bj::array{true, nullptr}}});
    w.Raw(',');
    w.String("v");
    w.Raw(':');
    w.Value(bj::value("x"));
    w.Raw('}');
    bj::object want{{"n\"\x01", n},
                    {"o", bj::object{{"a", 1.5}, {"b", bj::array{true, nullptr}}}},
                    {"v", "x"}};
    EXPECT_EQ(w.Text(), bj::serialize(want)) << n;
  }
}

}  // namespace
}  // namespace pathbridge::json
