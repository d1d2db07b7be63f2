// ReadAheadDecoder (adapters/read_ahead.h): the same records, diagnostics
// and errors in the same order as the decoder it wraps, diagnostics on the
// caller's thread, and a clean stop when the caller gives up early; and
// Translate with read_ahead writes the same output as without.
#include "adapters/read_ahead.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "adapters/demo_data/generator.h"
#include "adapters/translate.h"
#include "tests/adapters/adapter_test_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
using canonical::Person;
using canonical::Record;

// Yields persons "p0".."p<n-1>" (forever if n is 0), warning before every
// `warn_every`-th one, then an error if `fail` is set; says a made-up
// Ended() set that changes as it goes. Counts its destruction in *destroyed.
class CountingDecoder : public Decoder {
 public:
  CountingDecoder(DiagnosticFn warn, uint64_t n, uint64_t warn_every, bool fail,
                  std::atomic<int>* destroyed)
      : warn_(std::move(warn)), n_(n), warn_every_(warn_every), fail_(fail),
        destroyed_(destroyed) {
    warn_({Diagnostic::Severity::kInfo, "opened", {}});
  }
  ~CountingDecoder() override { ++*destroyed_; }

  pathbridge::Result<bool> Next(Record* out) override {
    if (n_ != 0 && i_ == n_) {
      if (fail_) return InvalidArgument("bad row", "in.csv:" + std::to_string(i_ + 2) + ":1");
      return false;
    }
    if (i_ % warn_every_ == 0)
      warn_({Diagnostic::Severity::kWarning, "before p" + std::to_string(i_), {}});
    Person p;
    p.id = "p" + std::to_string(i_++);
    *out = std::move(p);
    return true;
  }
  // Changes every third record, so that read-ahead must say it per record.
  RecordTypeSet Ended() const override { return static_cast<RecordTypeSet>(i_ / 3); }

 private:
  DiagnosticFn warn_;
  uint64_t n_, warn_every_;
  bool fail_;
  std::atomic<int>* destroyed_;
  uint64_t i_ = 0;
};

// Everything a decoder's caller sees, in order: "d:<message>" for each
// diagnostic, "r:<id> <Ended() after it>" for each record, "e:<error>" or
// "end".
std::vector<std::string> Events(bool read_ahead, uint64_t n, uint64_t warn_every, bool fail,
                                std::thread::id* diagnostics_on = nullptr) {
  std::vector<std::string> events;
  std::atomic<int> destroyed = 0;
  DiagnosticFn log = [&](const Diagnostic& d) {
    events.push_back("d:" + d.message);
    if (diagnostics_on != nullptr && *diagnostics_on != std::this_thread::get_id())
      *diagnostics_on = std::this_thread::get_id();
  };
  {
    std::unique_ptr<Decoder> decoder;
    if (read_ahead) {
      auto ahead = std::make_unique<ReadAheadDecoder>(log);
      ahead->Start(std::make_unique<CountingDecoder>(ahead->Sink(), n, warn_every, fail, &destroyed));
      decoder = std::move(ahead);
    } else {
      decoder = std::make_unique<CountingDecoder>(log, n, warn_every, fail, &destroyed);
    }
    // The caller takes each record: read-ahead must refill what was moved from.
    Status s = ForEachRecord(*decoder, [&](Record&& r) {
      Record taken = std::move(r);
      events.push_back("r:" + canonical::Base(taken).id + " " + std::to_string(decoder->Ended()));
      return Status::Ok();
    });
    events.push_back(s.ok() ? "end" : "e:" + s.ToString());
  }
  EXPECT_EQ(destroyed, 1);
  return events;
}

TEST(ReadAheadDecoder, SameRecordsAndDiagnosticsInTheSameOrder) {
  // Sizes around the batch size, so batches end mid-way, exactly and not at all.
  for (uint64_t n : {1ul, 255ul, 256ul, 257ul, 1000ul, 5000ul}) {
    std::thread::id on = std::this_thread::get_id();
    std::vector<std::string> direct = Events(false, n, 7, false);
    std::vector<std::string> ahead = Events(true, n, 7, false, &on);
    EXPECT_EQ(ahead, direct) << n;
    EXPECT_EQ(on, std::this_thread::get_id()) << "a diagnostic came on another thread";
    EXPECT_EQ(direct.front(), "d:opened");
    EXPECT_EQ(direct.back(), "end");
    if (n == 1000) {
      EXPECT_NE(std::find(direct.begin(), direct.end(), "r:p998 333"), direct.end());
    }
  }
}

TEST(ReadAheadDecoder, AnErrorComesAfterTheRecordsReadBeforeIt) {
  for (uint64_t n : {3ul, 256ul, 700ul}) {
    std::vector<std::string> direct = Events(false, n, 50, true);
    std::vector<std::string> ahead = Events(true, n, 50, true);
    EXPECT_EQ(ahead, direct) << n;
    EXPECT_EQ(ahead.back(), "e:in.csv:" + std::to_string(n + 2) + ":1: bad row");
    EXPECT_EQ(ahead[ahead.size() - 2], "r:p" + std::to_string(n - 1) + " " + std::to_string(n / 3));
  }
}

TEST(ReadAheadDecoder, StopsReadingWhenTheCallerGivesUp) {
  std::atomic<int> destroyed = 0;
  {
    ReadAheadDecoder ahead(nullptr);
    // An input that never ends: the reading thread fills every batch and waits.
    ahead.Start(std::make_unique<CountingDecoder>(ahead.Sink(), 0, 1000, false, &destroyed));
    Record r;
    for (int i = 0; i < 3; ++i) {
      auto got = ahead.Next(&r);
      ASSERT_TRUE(got.ok() && *got);
      EXPECT_EQ(canonical::Base(r).id, "p" + std::to_string(i));
    }
  }  // must not hang
  EXPECT_EQ(destroyed, 1);
}

TEST(ReadAheadDecoder, NextViewHandsOutTheBatchsOwnRecords) {
  std::atomic<int> destroyed = 0;
  {
    ReadAheadDecoder ahead(nullptr);
    ahead.Start(std::make_unique<CountingDecoder>(ahead.Sink(), 600, 1000, false, &destroyed));
    Record scratch;
    Record* view = nullptr;
    for (int i = 0; i < 600; ++i) {
      auto got = ahead.NextView(&scratch, &view);
      ASSERT_TRUE(got.ok() && *got);
      ASSERT_NE(view, &scratch) << "a record was copied out of its batch";
      EXPECT_EQ(canonical::Base(*view).id, "p" + std::to_string(i));
    }
    auto got = ahead.NextView(&scratch, &view);
    ASSERT_TRUE(got.ok());
    EXPECT_FALSE(*got);
  }
  EXPECT_EQ(destroyed, 1);
}

TEST(ReadAheadDecoder, TranslateWritesTheSameOutputAndReport) {
  testing::TempDir dir;
  fs::path bundle = dir.path() / "district";
  ASSERT_TRUE(demo_data::WriteDistrictBundle({.students = 600, .seed = 5, .messy = true}, bundle)
                  .ok());
  for (std::string to : {"sif-xml", "edfi-json", "oneroster-csv"}) {
    std::map<bool, std::vector<std::string>> diagnostics;
    std::map<bool, std::string> reports;
    for (bool read_ahead : {false, true}) {
      TranslateOptions options;
      options.read_ahead = read_ahead;
      fs::path out = dir.path() / (to + (read_ahead ? "-ahead" : "-direct"));
      options.on_diagnostic = [&, out](const Diagnostic& d) {
        std::string text = d.ToString();  // the output's name aside
        if (size_t at = text.find(out.string()); at != std::string::npos)
          text.replace(at, out.string().size(), "OUT");
        diagnostics[read_ahead].push_back(text);
      };
      auto report = Translate("oneroster-csv", to, {bundle}, out, options);
      ASSERT_TRUE(report.ok()) << report.status().ToString();
      reports[read_ahead] = boost::json::serialize(report->ToJson());
    }
    EXPECT_FALSE(diagnostics[false].empty()) << "the messy bundle should warn";
    EXPECT_EQ(diagnostics[true], diagnostics[false]) << to;
    EXPECT_EQ(reports[true], reports[false]) << to;
    fs::path direct = dir.path() / (to + "-direct"), ahead = dir.path() / (to + "-ahead");
    size_t files = 0;
    for (const auto& e : fs::recursive_directory_iterator(direct)) {
      if (!e.is_regular_file()) continue;
      ++files;
      fs::path other = ahead / fs::relative(e.path(), direct);
      EXPECT_EQ(testing::ReadFile(other), testing::ReadFile(e.path())) << other;
    }
    EXPECT_GT(files, 3u) << to;
  }
}

TEST(ReadAheadDecoder, TranslateFailsAsWithoutAndLeavesNothing) {
  testing::TempDir dir;
  fs::path bundle = WriteOneRosterBundle(
      dir.path() / "bad", "1.2",
      {{"orgs", "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
                "o1,,,Lincoln High,school,,\n"},
       {"users", "sourcedId,status,dateLastModified,enabledUser,username,givenName,familyName\n"
                 "u1,,,true,ada,Ada,Lovelace\n"
                 "u2,,,true,\"unclosed,Bob,Smith\n"}});
  std::map<bool, std::string> errors;
  for (bool read_ahead : {false, true}) {
    TranslateOptions options;
    options.read_ahead = read_ahead;
    fs::path out = dir.path() / (read_ahead ? "ahead" : "direct");
    auto report = Translate("oneroster-csv", "sif-xml", {bundle}, out, options);
    ASSERT_FALSE(report.ok());
    errors[read_ahead] = report.status().ToString();
    EXPECT_FALSE(fs::exists(out));
  }
  EXPECT_EQ(errors[true], errors[false]);
  EXPECT_NE(errors[true].find("users.csv:3"), std::string::npos) << errors[true];
}

}  // namespace
}  // namespace pathbridge::adapters
