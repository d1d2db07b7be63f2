// Ending the encoder early (Decoder::Ended, Encoder::EndOfRecords): the
// OneRoster CSV decoder says which record types are done as it reads its
// files in order; Translate then lets an encoder that carries none of the
// types left (SIF, Ed-Fi: not the gradebook) end its work while the rest
// of the bundle is read. Checked on real bundles and real encoders: the
// claims hold record by record, the encoder's end comes before the
// gradebook's diagnostics, an error in the gradebook still leaves nothing
// behind, and a record arriving after its type was said to be done is an
// error rather than a silently lost record.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/demo_data/generator.h"
#include "adapters/registry.h"
#include "adapters/translate.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
using namespace canonical;

fs::path DemoBundle(const fs::path& dir) {
  fs::path bundle = dir / "district";
  auto written = demo_data::WriteDistrictBundle({.students = 120, .seed = 9, .messy = true}, bundle);
  EXPECT_TRUE(written.ok()) << written.status().ToString();
  return bundle;
}

pathbridge::Result<std::unique_ptr<Decoder>> OpenBundle(const fs::path& bundle) {
  PB_ASSIGN_OR_RETURN(const Adapter* adapter, FindAdapter("oneroster-csv"));
  return adapter->OpenDecoder({bundle}, {});
}

void AppendTo(const fs::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::binary | std::ios::app);
  out << text;
}

constexpr RecordTypeSet kRostering =
    kRecordTypeBit<Organization> | kRecordTypeBit<AcademicSession> | kRecordTypeBit<Course> |
    kRecordTypeBit<Section> | kRecordTypeBit<Person> | kRecordTypeBit<Demographics> |
    kRecordTypeBit<Enrollment>;
constexpr RecordTypeSet kGradebook =
    kRecordTypeBit<Category> | kRecordTypeBit<LineItem> | kRecordTypeBit<LineItemResult>;

TEST(EndOfRecords, OneRosterDecoderSaysOnlyWhatIsTrue) {
  testing::TempDir dir;
  auto decoder = OpenBundle(DemoBundle(dir.path()));
  ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
  RecordTypeSet claimed = 0;
  uint64_t records = 0, after_rostering = 0;
  Record r;
  while (true) {
    auto got = (*decoder)->Next(&r);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    if (!*got) break;
    RecordTypeSet type = RecordTypeSet{1} << r.index();
    ASSERT_EQ(claimed & type, 0u) << "a " << RecordType(r) << " record after its type ended, record "
                                  << records;
    RecordTypeSet ended = (*decoder)->Ended();
    ASSERT_EQ(ended & claimed, claimed) << "an ended type came back, record " << records;
    // What a OneRoster bundle never holds is done from the start.
    EXPECT_NE(ended & kRecordTypeBit<CourseResult>, 0u);
    if (type & kGradebook) {
      EXPECT_EQ(ended & kRostering, kRostering) << "at a " << RecordType(r) << " record";
      ++after_rostering;
    } else {
      EXPECT_EQ(ended & type, 0u) << "the file being read is not done";
    }
    claimed = ended;
    ++records;
  }
  EXPECT_EQ((*decoder)->Ended(), kAllRecordTypes) << "at the end everything is done";
  EXPECT_GT(after_rostering, 100u) << "the demo bundle has a gradebook to read after the end";
}

// A OneRoster bundle's decoder that, once every rostering type has ended,
// holds back the rest of the bundle until the SIF encoder has closed its
// StudentPersonals collection in its temp folder beside `out`, looking
// `polls` times 10 ms apart: only an encoder that ends while the rest is
// read lets it go on before then.
class WaitingDecoder : public Decoder {
 public:
  WaitingDecoder(std::unique_ptr<Decoder> inner, fs::path out, int polls)
      : inner_(std::move(inner)), out_(std::move(out)), polls_(polls) {}
  pathbridge::Result<bool> Next(Record* out) override {
    if ((inner_->Ended() & kRostering) == kRostering && !waited_) {
      waited_ = true;
      for (int i = 0; i < polls_ && !saw_students_; ++i) {
        if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        saw_students_ = StudentsClosed();
      }
    }
    return inner_->Next(out);
  }
  RecordTypeSet Ended() const override { return inner_->Ended(); }
  bool saw_students() const { return saw_students_; }

 private:
  bool StudentsClosed() const {
    std::string prefix = "." + out_.filename().string() + ".pathbridge-";
    for (const auto& e : fs::directory_iterator(out_.parent_path())) {
      if (!e.path().filename().string().starts_with(prefix)) continue;
      fs::path students = e.path() / "output" / "StudentPersonals.xml";
      if (fs::exists(students) && testing::ReadFile(students).ends_with("</StudentPersonals>\n"))
        return true;
    }
    return false;
  }

  std::unique_ptr<Decoder> inner_;
  fs::path out_;
  int polls_;
  bool waited_ = false, saw_students_ = false;
};

// Translates a demo bundle to SIF through a WaitingDecoder; whether the
// decoder saw the students written before it read on.
bool SawStudentsBeforeTheGradebook(bool read_ahead, int polls) {
  testing::TempDir dir;
  auto inner = OpenBundle(DemoBundle(dir.path()));
  EXPECT_TRUE(inner.ok()) << inner.status().ToString();
  if (!inner.ok()) return false;
  fs::path out = dir.path() / "sif";
  WaitingDecoder decoder(std::move(*inner), out, polls);
  TranslateOptions options;
  options.read_ahead = read_ahead;  // a second thread allowed
  auto report = Translate(decoder, "oneroster-csv", "sif-xml", out, options);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  if (!report.ok()) return false;
  EXPECT_GT(report->records.at("result").read, 100u);
  EXPECT_NE(testing::ReadFile(out / "StudentPersonals.xml").find("<StudentPersonal "),
            std::string::npos);
  return decoder.saw_students();
}

TEST(EndOfRecords, SifEndsWhileTheGradebookIsRead) {
  EXPECT_TRUE(SawStudentsBeforeTheGradebook(true, 2000))  // up to 20 s
      << "the encoder did not end before the gradebook was read";
}

TEST(EndOfRecords, OneThreadEndsAtTheEnd) {
  // Looked at for half a second: an encoder that ended early, on the
  // caller's thread or on another, would be done by then.
  EXPECT_FALSE(SawStudentsBeforeTheGradebook(false, 50));
}

TEST(EndOfRecords, AnErrorInTheGradebookStillLeavesNothing) {
  testing::TempDir dir;
  fs::path bundle = DemoBundle(dir.path());
  AppendTo(bundle / "results.csv", "res-bad,active,\"unclosed,li-x\n");
  for (std::string to : {"sif-xml", "edfi-json", "edfi-xml"}) {
    for (bool read_ahead : {false, true}) {
      TranslateOptions options;
      options.read_ahead = read_ahead;
      fs::path out = dir.path() / "out" / (to + (read_ahead ? "-ahead" : ""));
      fs::create_directories(out.parent_path());
      auto report = Translate("oneroster-csv", to, {bundle}, out, options);
      ASSERT_FALSE(report.ok()) << to;
      EXPECT_NE(report.status().ToString().find("results.csv"), std::string::npos)
          << report.status().ToString();
      EXPECT_TRUE(fs::is_empty(out.parent_path())) << to << ": something was left behind";
    }
  }
}

// Says every type is done after its first record, then yields another.
class LyingDecoder : public Decoder {
 public:
  pathbridge::Result<bool> Next(Record* out) override {
    if (made_ == 2) return false;
    Person p;
    p.id = "p" + std::to_string(made_++);
    p.role = Role::kStudent;
    *out = std::move(p);
    return true;
  }
  RecordTypeSet Ended() const override { return made_ >= 1 ? kAllRecordTypes : 0; }

 private:
  int made_ = 0;
};

TEST(EndOfRecords, ARecordAfterItsTypeEndedIsAnError) {
  testing::TempDir dir;
  for (std::string to : {"sif-xml", "edfi-json"}) {
    LyingDecoder decoder;
    fs::path out = dir.path() / to;
    TranslateOptions options;
    options.read_ahead = true;  // the encoder ends early only with a second thread
    auto report = Translate(decoder, "oneroster-csv", to, out, options);
    ASSERT_FALSE(report.ok()) << to;
    EXPECT_EQ(report.status().code(), Code::kInternal);
    EXPECT_NE(report.status().message().find("person record came after"), std::string::npos)
        << report.status().ToString();
    EXPECT_FALSE(fs::exists(out));
  }
}

}  // namespace
}  // namespace pathbridge::adapters
