// ObjectPrinter (adapters/sif_xml/object_printer.h) writes SIF objects as
// text; it must give the bytes that building them with Put and printing the
// tree with pugixml gives. Checked on every record of the SIF specification
// examples, the OneRoster samples and a messy generated district, through
// every object spec that takes the record's type, and on the cases where
// the printer must decline.
#include "adapters/sif_xml/object_printer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "adapters/demo_data/generator.h"
#include "adapters/registry.h"
#include "tests/adapters/adapter_test_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters::sif_xml {
namespace {

namespace fs = std::filesystem;
using namespace canonical;

struct Printed {
  bool streamed = false;
  std::string text;
  size_t at = 0;
};

template <typename T>
Printed ByPrinter(const ObjectSpec<T>& spec, const T& r,
                  const std::vector<std::string_view>* before) {
  Printed p;
  ObjectPrinter printer(&p.text, 1);
  printer.Begin(spec.object, before);
  p.streamed = PrintObject(spec, r, printer);
  if (p.streamed) p.at = printer.End();
  return p;
}

// The same through one printer kept for every object of the test, as the
// encoder keeps one: what it keeps from the objects before (open elements,
// attributes, a declined object's state) must not show.
template <typename T>
Printed ByReusedPrinter(const ObjectSpec<T>& spec, const T& r,
                        const std::vector<std::string_view>* before) {
  static std::string text;
  static ObjectPrinter printer(&text, 1);
  text.clear();
  Printed p;
  printer.Begin(spec.object, before);
  p.streamed = PrintObject(spec, r, printer);
  if (p.streamed) p.at = printer.End();
  p.text = text;
  return p;
}

// The same through the spec's flat form (ObjectPrinter::Flat), which the
// encoder tries first; streamed is false where the record does not fit it.
template <typename T>
Printed ByFlat(const ObjectSpec<T>& spec, const T& r) {
  Printed p;
  ObjectPrinter printer(&p.text, 1);
  ObjectPrinter::Flat flat = Flatten(spec, printer);
  p.streamed = PrintFlat(spec, flat, r, printer, &p.at);
  if (!p.streamed) {
    EXPECT_EQ(p.text, "") << "a declined flat print must add nothing";
  }
  return p;
}
int flat_printed = 0;  // records the flat form printed, over the test

template <typename T>
Printed ByTree(const ObjectSpec<T>& spec, const T& r, const std::vector<std::string_view>* before) {
  pugi::xml_document doc;
  pugi::xml_node object = doc.append_child(std::string(spec.object).c_str());
  WriteObject(spec, r, object);
  Printed p{true, "", 0};
  p.at = PrintTree(object, before, &p.text);
  return p;
}

// Compares the two on one record; returns whether the printer streamed it.
template <typename T>
bool Same(const ObjectSpec<T>& spec, const T& r) {
  const std::vector<std::string_view>* before =
      std::is_same_v<T, Person> ? &ElementsAfterDemographics() : nullptr;
  Printed text = ByPrinter(spec, r, before);
  Printed reused = ByReusedPrinter(spec, r, before);
  EXPECT_EQ(reused.streamed, text.streamed) << spec.object << " " << r.id;
  if (!text.streamed) return false;
  EXPECT_EQ(reused.text, text.text) << spec.object << " " << r.id;
  EXPECT_EQ(reused.at, text.at) << spec.object << " " << r.id;
  if (before == nullptr) {
    Printed flat = ByFlat(spec, r);
    if (flat.streamed) {
      ++flat_printed;
      EXPECT_EQ(flat.text, text.text) << spec.object << " " << r.id;
      EXPECT_EQ(flat.at, text.at) << spec.object << " " << r.id;
    }
  }
  Printed tree = ByTree(spec, r, before);
  EXPECT_EQ(text.text, tree.text) << spec.object << " " << r.id;
  if (before != nullptr) {
    EXPECT_EQ(text.at, tree.at) << spec.object << " " << r.id;
  }
  return true;
}

// Every spec that takes `r`'s type; counts the records streamed and not.
void CheckAllSpecs(const Record& record, int* streamed, int* declined) {
  auto count = [&](bool s) { ++*(s ? streamed : declined); };
  std::visit(
      [&](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, Organization>) {
          count(Same(LeaInfoSpec(), r));
          count(Same(SchoolInfoSpec(), r));
        } else if constexpr (std::is_same_v<T, AcademicSession>) {
          count(Same(TermInfoSpec(), r));
        } else if constexpr (std::is_same_v<T, Course>) {
          count(Same(SchoolCourseInfoSpec(), r));
        } else if constexpr (std::is_same_v<T, Section>) {
          count(Same(SectionInfoSpec(), r));
        } else if constexpr (std::is_same_v<T, Person>) {
          count(Same(StudentPersonalSpec(), r));
        } else if constexpr (std::is_same_v<T, Demographics>) {
          count(Same(StudentDemographicsSpec(), r));
        } else if constexpr (std::is_same_v<T, Enrollment>) {
          count(Same(StudentSchoolEnrollmentSpec(), r));
          count(Same(StudentSectionEnrollmentSpec(), r));
        } else if constexpr (std::is_same_v<T, CourseResult>) {
          count(Same(StudentSectionMarksSpec(), r));
        }
      },
      record);
}

std::vector<Record> SampleRecords() {
  std::vector<Record> out;
  auto add = [&](std::string_view format, const fs::path& dir) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      bool bundle = format == "oneroster-csv" ? e.is_directory() : e.is_regular_file();
      if (!bundle) continue;
      Decoded d = Decode(**FindAdapter(format), e.path());
      out.insert(out.end(), d.records.begin(), d.records.end());
    }
  };
  add("sif-xml", testing::SharedDir() / "standards/sif");
  add("oneroster-csv", testing::SharedDir() / "standards/oneroster/csv");
  EXPECT_TRUE(demo_data::GenerateDistrict({300, 11, /*messy=*/true}, [&](const Record& r) {
                out.push_back(r);
                return Status::Ok();
              }).ok());
  return out;
}

TEST(SifObjectPrinter, WritesWhatTheTreeWouldForEveryRecord) {
  int streamed = 0, declined = 0;
  std::vector<Record> records = SampleRecords();
  ASSERT_GT(records.size(), 3000u);
  for (const Record& r : records) CheckAllSpecs(r, &streamed, &declined);
  EXPECT_GT(streamed, 3000);
  EXPECT_LT(declined, streamed / 100) << "the printer should decline rarely";
  // Enrollments, sections and marks are flat: most records of a district.
  EXPECT_GT(flat_printed, 1500);
}

TEST(SifObjectPrinter, FlatFormDeclinesWhatItCannotPrint) {
  Enrollment e;
  e.id = "e&1\"";
  e.person_id = "p<1";
  e.section_id = "s1";
  e.begin_date = "2024-08-19<";
  Printed flat = ByFlat(StudentSectionEnrollmentSpec(), e);
  ASSERT_TRUE(flat.streamed);
  EXPECT_EQ(flat.text, ByPrinter(StudentSectionEnrollmentSpec(), e, nullptr).text);
  EXPECT_NE(flat.text.find("RefId=\"e&amp;1&quot;\""), std::string::npos) << flat.text;
  EXPECT_NE(flat.text.find("<EntryDate>2024-08-19&lt;</EntryDate>"), std::string::npos)
      << flat.text;

  // A value for a nested element (SIF_ExtendedElements/...) is not flat.
  e.extensions["x"] = "y";
  EXPECT_FALSE(ByFlat(StudentSectionEnrollmentSpec(), e).streamed);

  // A person has a Name element: its spec prints nothing flat.
  Person p;
  p.id = "p1";
  p.given_name = "G";
  EXPECT_FALSE(ByFlat(StudentPersonalSpec(), p).streamed);

  // An attribute after an element, and an attribute set twice.
  std::string out;
  ObjectPrinter printer(&out, 1);
  ObjectPrinter::Flat flat_form =
      printer.Flatten("X", {{"@A", ""}, {"Leaf", ""}, {"@B", ""}}, {});
  printer.BeginFlat(flat_form);
  EXPECT_TRUE(printer.PutFlat(0, {"a", ""}));
  EXPECT_FALSE(printer.PutFlat(0, {"again", ""}));
  EXPECT_TRUE(printer.PutFlat(1, {"l", ""}));
  EXPECT_FALSE(printer.PutFlat(2, {"b", ""}));
  EXPECT_EQ(out, "");
  printer.BeginFlat(flat_form);
  EXPECT_TRUE(printer.PutFlat(0, {"a", ""}));
  EXPECT_EQ(printer.EndFlat(), std::string::npos);
  EXPECT_EQ(out, "  <X A=\"a\" />\n");

  // Two fields writing one attribute: nothing is flat, but an object
  // without values is still "<X />".
  out.clear();
  ObjectPrinter::Flat twice = printer.Flatten("X", {{"@A", ""}, {"Leaf", ""}, {"@A", ""}}, {});
  ASSERT_EQ(twice.fields.size(), 3u);
  printer.BeginFlat(twice);
  EXPECT_FALSE(printer.PutFlat(1, {"l", ""}));
  EXPECT_FALSE(printer.PutFlat(2, {"a", ""}));
  printer.BeginFlat(twice);
  EXPECT_EQ(printer.EndFlat(), std::string::npos);
  EXPECT_EQ(out, "  <X />\n");
}

TEST(SifObjectPrinter, EscapesAsPugixmlDoes) {
  Person p;
  p.id = "a&b<c>\"d'";
  p.given_name = "x&y<z>\"w'\t\r\n";
  p.family_name = "";
  Printed text = ByPrinter(StudentPersonalSpec(), p, nullptr);
  ASSERT_TRUE(text.streamed);
  EXPECT_EQ(text.text, ByTree(StudentPersonalSpec(), p, nullptr).text);
  EXPECT_NE(text.text.find("RefId=\"a&amp;b&lt;c>&quot;d'\""), std::string::npos) << text.text;
}

// Escaping looks at eight bytes at a time: every byte value, at every
// place in values of every length up to three words, in an attribute
// (RefId) and in element text (EntryDate), flat and not.
TEST(SifObjectPrinter, EscapesEveryByteAtEveryPlaceAsPugixmlDoes) {
  for (int c = 1; c < 256; ++c) {
    for (size_t size = 1; size <= 24; ++size) {
      for (size_t at = 0; at < size; ++at) {
        Enrollment e;
        e.id = std::string(size, 'a');
        e.id[at] = static_cast<char>(c);
        e.begin_date = e.id;
        std::string tree = ByTree(StudentSectionEnrollmentSpec(), e, nullptr).text;
        Printed text = ByPrinter(StudentSectionEnrollmentSpec(), e, nullptr);
        Printed flat = ByFlat(StudentSectionEnrollmentSpec(), e);
        ASSERT_TRUE(text.streamed && flat.streamed);
        ASSERT_EQ(text.text, tree) << "byte " << c << " at " << at << " of " << size;
        ASSERT_EQ(flat.text, tree) << "byte " << c << " at " << at << " of " << size;
      }
    }
  }
}

TEST(SifObjectPrinter, DeclinesToReachIntoAnElementAlreadyPrinted) {
  std::string out;
  ObjectPrinter printer(&out, 1);
  printer.Begin("StudentPersonal");
  EXPECT_TRUE(printer.Put("LocalId", {"1", ""}, "", {}));
  EXPECT_FALSE(printer.Put("@RefId", {"r", ""}, "", {}));  // the start tag is out

  out.clear();
  printer.Begin("StudentPersonal");
  EXPECT_TRUE(printer.Put("Name/LastName", {"L", ""}, "", {}));
  EXPECT_TRUE(printer.Put("Name/FirstName", {"F", ""}, "", {}));  // the open Name
  EXPECT_TRUE(printer.Put("LocalId", {"1", ""}, "", {}));
  EXPECT_FALSE(printer.Put("LocalId/Sub", {"x", ""}, "", {}));  // into the closed leaf

  out.clear();
  printer.Begin("StudentPersonal");
  EXPECT_TRUE(printer.Put("@RefId", {"r", ""}, "", {}));
  EXPECT_EQ(printer.End(), std::string::npos);
  EXPECT_EQ(out, "  <StudentPersonal RefId=\"r\" />\n");
}

}  // namespace
}  // namespace pathbridge::adapters::sif_xml
