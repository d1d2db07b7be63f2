// The ob3 and clr2 adapters: every Open Badges 3.0 and CLR 2.0 sample in
// shared/standards decodes, round trips (decode -> encode -> decode), output
// expands as JSON-LD with no undefined term, identities are hashed as OB 3.0
// says, Ed-Fi transcripts keep course titles, credits and grades, and bad
// input is refused at its JSON pointer.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "adapters/edfi_json/record_json.h"
#include "adapters/registry.h"
#include "adapters/translate.h"
#include "standards/jsonld.h"
#include "tests/adapters/adapter_test_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;
using canonical::Record;
using testing::TempDir;
using testing::WriteFile;

fs::path Standards() { return testing::SharedDir() / "standards"; }

const Adapter& Ob3() { return **FindAdapter("ob3"); }
const Adapter& Clr2() { return **FindAdapter("clr2"); }

// Every OB 3.0 credential in the shared collection (the third-party folder
// also holds a context and a schema, which are not credentials).
std::vector<fs::path> Ob3Samples() {
  std::vector<fs::path> out{Standards() / "ob3/impl-guide-test-vector/signed-credential.json"};
  for (const char* sub : {"spec-examples", "third-party"})
    for (const auto& e : fs::directory_iterator(Standards() / "ob3" / sub))
      if (testing::ReadJson(e.path()).as_object().contains("credentialSubject"))
        out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}
fs::path ClrSample() { return Standards() / "clr2/impl-guide-test-vector/signed-credential.json"; }

// Records as JSON text (no source locations), by type and id.
std::map<std::string, std::string> Texts(const Decoded& d) {
  std::map<std::string, std::string> out;
  for (const Record& r : d.records)
    out[std::string(canonical::RecordType(r)) + " " + canonical::Base(r).id] =
        bj::serialize(edfi_json::RecordToJson(r));
  return out;
}

// What the tests write: plain identities, unless they say otherwise.
const FormatParams kPlain = {{"identity", "plain"}};

TEST(OpenBadges, EveryOb3SampleDecodes) {
  auto samples = Ob3Samples();
  EXPECT_EQ(samples.size(), 10u);
  for (const fs::path& sample : samples) {
    Decoded d = Decode(Ob3(), sample);
    ASSERT_TRUE(d.status.ok()) << sample << ": " << d.status.ToString();
    EXPECT_EQ(d.All<canonical::Person>().size(), 1u) << sample;
    EXPECT_EQ(d.All<canonical::AchievementAward>().size(), 1u) << sample;
  }

  Decoded basic = Decode(Ob3(), Standards() / "ob3/spec-examples/basicOpenBadgeCredential.json");
  const auto* award = basic.Find<canonical::AchievementAward>("http://example.com/credentials/3527");
  ASSERT_NE(award, nullptr);
  EXPECT_EQ(award->title, "Teamwork Badge");
  EXPECT_EQ(award->person_id, "did:example:ebfeb1f712ebc6f1c276e12ec21");
  EXPECT_EQ(award->issuer_org_id, "https://example.com/issuers/876543");
  EXPECT_EQ(award->definition_id, "https://example.com/achievements/21st-century-skills/teamwork");
  const auto* def = basic.Find<canonical::CredentialDefinition>(award->definition_id);
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->name, "Teamwork");
  EXPECT_EQ(def->criteria.substr(0, 25), "Team members are nominate");
  const auto* org = basic.Find<canonical::Organization>(award->issuer_org_id);
  ASSERT_NE(org, nullptr);
  EXPECT_EQ(org->name, "Example Corp");
  const auto* person = basic.Find<canonical::Person>(award->person_id);
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person->identifiers,
            (std::vector<canonical::Identifier>{{"did", "did:example:ebfeb1f712ebc6f1c276e12ec21"}}));

  Decoded full = Decode(Ob3(), Standards() / "ob3/spec-examples/fullOpenBadge.json");
  const auto* degree = full.Find<canonical::AchievementAward>("http://1edtech.edu/credentials/3732");
  ASSERT_NE(degree, nullptr);
  EXPECT_EQ(degree->kind, canonical::AwardKind::kDegree);
  EXPECT_EQ(degree->credits_earned, 42.0);
  EXPECT_EQ(degree->field_of_study, "Research");
  EXPECT_EQ(degree->identifiers,
            (std::vector<canonical::Identifier>{{"licenseNumber", "A-9320041"}}));
  const auto* learner = full.Find<canonical::Person>("did:example:ebfeb1f712ebc6f1c276e12ec21");
  ASSERT_NE(learner, nullptr);
  EXPECT_EQ(learner->email, "student@1edtech.edu");  // the first plain emailAddress
  const auto* degree_def = full.Find<canonical::CredentialDefinition>(degree->definition_id);
  ASSERT_NE(degree_def, nullptr);
  EXPECT_EQ(degree_def->definition_type, "Degree");
  EXPECT_EQ(degree_def->credits, 36.0);
  EXPECT_EQ(degree_def->owner_org_id, "https://1edtech.edu/issuers/565049");
  ASSERT_EQ(degree_def->alignments.size(), 2u);
  EXPECT_EQ(degree_def->alignments[1],
            (canonical::Identifier{"1EdTech University Program and Course Catalog", "degree"}));

  // A grade on a scale the model has no slot for is reported, not lost silently.
  Decoded uvh = Decode(Ob3(), Standards() / "ob3/third-party/educredentials-uvh_at_microcredential_full_1.json");
  ASSERT_TRUE(uvh.status.ok());
  std::string diags;
  for (const auto& diag : uvh.diagnostics) diags += diag.ToString() + "\n";
  EXPECT_NE(diags.find("/@context/2: warning: extension context https://raw.githubusercontent.com/"
                       "educredentials/obv3-examples/refs/heads/main/contexts/educredential.json "
                       "is not valid JSON-LD (invalid scoped context)"),
            std::string::npos) << diags;
  EXPECT_NE(diags.find("ext:ECTSGradeScore has no place in the model"), std::string::npos) << diags;
}

TEST(OpenBadges, ClrSampleDecodes) {
  Decoded d = Decode(Clr2(), ClrSample());
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.All<canonical::Person>().size(), 1u);
  EXPECT_EQ(d.All<canonical::Organization>().size(), 1u);
  ASSERT_EQ(d.All<canonical::AchievementAward>().size(), 1u);
  EXPECT_EQ(d.All<canonical::AchievementAward>()[0]->title, "Example University Degree");
  // The embedded credential's achievement, and the one without a credential.
  EXPECT_EQ(d.All<canonical::CredentialDefinition>().size(), 2u);
  EXPECT_NE(d.Find<canonical::CredentialDefinition>("urn:uuid:dd887f0a-56cb-11ec-bf63-0242ac130002"),
            nullptr);

  // A CLR is not an Open Badge, and the ob3 reader says what it is.
  Decoded as_ob3 = Decode(Ob3(), ClrSample());
  EXPECT_FALSE(as_ob3.status.ok());
  EXPECT_EQ(as_ob3.status.where(), ClrSample().string() + " /type");
  EXPECT_NE(as_ob3.status.message().find("read it as clr2"), std::string::npos);
}

// Decode -> encode -> decode gives the same records, for every sample.
TEST(OpenBadges, SamplesRoundTrip) {
  TempDir tmp;
  int n = 0;
  auto check = [&](const Adapter& a, const fs::path& sample) {
    Decoded first = Decode(a, sample);
    ASSERT_TRUE(first.status.ok()) << sample << ": " << first.status.ToString();
    fs::path out = tmp.path() / ("out" + std::to_string(n++));
    Status s = Encode(a, first.records, out, kPlain);
    ASSERT_TRUE(s.ok()) << sample << ": " << s.ToString();
    Decoded second = Decode(a, out);
    ASSERT_TRUE(second.status.ok()) << sample << ": " << second.status.ToString();
    EXPECT_EQ(Texts(first), Texts(second)) << sample;
  };
  for (const fs::path& sample : Ob3Samples()) check(Ob3(), sample);
  check(Clr2(), ClrSample());
}

// Ed-Fi transcripts (14 course results, 2 awards) -> ob3 and clr2: the
// course titles, credits and grades come back.
TEST(OpenBadges, EdFiTranscriptKeepsCoursesCreditsAndGrades) {
  fs::path transcript = Standards() / "edfi/json/acan-transcript-composite-output.json";
  Decoded edfi = Decode(**FindAdapter("edfi-json"), transcript);
  ASSERT_TRUE(edfi.status.ok()) << edfi.status.ToString();
  TempDir tmp;
  for (const Adapter* a : {&Ob3(), &Clr2()}) {
    fs::path out = tmp.path() / std::string(a->name());
    TranslateOptions options;
    options.encode_params = {{"identity", "plain"}};
    auto report = Translate("edfi-json", a->name(), {transcript}, out, options);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    size_t files = std::distance(fs::directory_iterator(out), fs::directory_iterator());
    EXPECT_EQ(files, a == &Ob3() ? 16u : 1u);  // one per result and award, or per person
    EXPECT_TRUE(report->lost.count("courseResult.creditsAttempted"));

    Decoded back = Decode(*a, out);
    ASSERT_TRUE(back.status.ok()) << back.status.ToString();
    auto results = edfi.All<canonical::CourseResult>();
    ASSERT_EQ(results.size(), 14u);
    EXPECT_EQ(back.All<canonical::CourseResult>().size(), 14u);
    for (const auto* want : results) {
      const auto* got = back.Find<canonical::CourseResult>(want->id);
      ASSERT_NE(got, nullptr) << want->id;
      EXPECT_EQ(got->letter_grade, want->letter_grade) << want->id;
      EXPECT_EQ(got->numeric_grade, want->numeric_grade) << want->id;
      EXPECT_EQ(got->credits_earned, want->credits_earned) << want->id;
      EXPECT_EQ(got->person_id, want->person_id) << want->id;
      const auto* want_course = edfi.Find<canonical::Course>(want->course_id);
      const auto* got_course = back.Find<canonical::Course>(got->course_id);
      ASSERT_NE(want_course, nullptr);
      ASSERT_NE(got_course, nullptr) << want->course_id;
      EXPECT_EQ(got_course->title, want_course->title);
      EXPECT_EQ(got_course->code, want_course->code);
      EXPECT_EQ(got_course->credits, want_course->credits);
    }
    for (const auto* want : edfi.All<canonical::AchievementAward>()) {
      const auto* got = back.Find<canonical::AchievementAward>(want->id);
      ASSERT_NE(got, nullptr) << want->id;
      EXPECT_EQ(got->kind, want->kind);
      EXPECT_EQ(got->title, want->title);
      EXPECT_EQ(got->award_date, want->award_date);
    }
  }
}

// What the encoders write is JSON-LD every term of which the bundled
// contexts define: no property falls through to the VC 2.0 @vocab.
TEST(OpenBadges, OutputExpandsWithNoUndefinedTerms) {
  fs::path transcript = Standards() / "edfi/json/acan-transcript-composite-output.json";
  TempDir tmp;
  for (const char* format : {"ob3", "clr2"}) {
    fs::path out = tmp.path() / (std::string(format) + ".json");
    auto report = Translate("edfi-json", format, {transcript}, out);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    bj::value docs = testing::ReadJson(out);
    ASSERT_TRUE(docs.is_array());
    for (const bj::value& doc : docs.as_array()) {
      auto expanded = jsonld::Expand(doc, jsonld::BundledLoader::Instance());
      ASSERT_TRUE(expanded.ok()) << expanded.status().ToString();
      std::string text = bj::serialize(*expanded);
      EXPECT_EQ(text.find("issuer-dependent#"), std::string::npos) << text;
      EXPECT_NE(text.find("https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement"),
                std::string::npos);
    }
  }
}

// By default no plain PII: the person's id and email are IdentityObjects
// hashed as OB 3.0 says, sha256$ + hex(SHA-256(value + salt)).
TEST(OpenBadges, HashesIdentitiesByDefault) {
  canonical::Person person;
  person.id = "stu-1";
  person.email = "ada@example.edu";
  person.given_name = "Ada";
  canonical::AchievementAward award;
  award.id = "a1";
  award.person_id = "stu-1";
  award.kind = canonical::AwardKind::kIndustryCertification;
  award.title = "Welding";
  TempDir tmp;
  fs::path out = tmp.path() / "out.json";
  ASSERT_TRUE(Encode(Ob3(), {person, award}, out, {{"salt", "s4lt"}}).ok());
  std::string text = testing::ReadFile(out);
  EXPECT_EQ(text.find("ada@example.edu"), std::string::npos);
  EXPECT_EQ(text.find("Ada"), std::string::npos);
  EXPECT_EQ(text.find("stu-1"), std::string::npos);
  auto expected = testing::RunCommand("printf %s 'ada@example.edu''s4lt' | sha256sum | cut -c1-64");
  ASSERT_EQ(expected.exit_code, 0);
  std::string hash = "sha256$" + expected.out.substr(0, 64);
  bj::value doc = bj::parse(text).as_array().at(0);
  const bj::array& ids = doc.at_pointer("/credentialSubject/identifier").as_array();
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[1].at("identityType"), "emailAddress");
  EXPECT_EQ(ids[1].at("hashed"), true);
  EXPECT_EQ(ids[1].at("salt"), "s4lt");
  EXPECT_EQ(ids[1].at("identityHash"), bj::value(hash));
  EXPECT_EQ(doc.at_pointer("/credentialSubject/achievement/achievementType"), "Certification");

  // Read back, the person is named by the hash of its id, and the hashed
  // identities come back as they were written.
  Decoded back = Decode(Ob3(), out);
  ASSERT_TRUE(back.status.ok()) << back.status.ToString();
  auto persons = back.All<canonical::Person>();
  ASSERT_EQ(persons.size(), 1u);
  EXPECT_TRUE(persons[0]->id.starts_with("sha256$"));
  EXPECT_EQ(persons[0]->email, "");
  fs::path again = tmp.path() / "again.json";
  ASSERT_TRUE(Encode(Ob3(), back.records, again, kPlain).ok());
  EXPECT_EQ(bj::parse(testing::ReadFile(again)).at_pointer("/0/credentialSubject/identifier"),
            doc.at_pointer("/credentialSubject/identifier"));
}

TEST(OpenBadges, UnknownOptionIsRefused) {
  TempDir tmp;
  Status s = Encode(Ob3(), {}, tmp.path() / "out", {{"colour", "blue"}});
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.where(), "--option colour");
}

TEST(OpenBadges, BadInputIsRefusedAtItsPointer) {
  TempDir tmp;
  bj::object good = testing::ReadJson(Standards() / "ob3/spec-examples/basicOpenBadgeCredential.json").as_object();
  struct Case {
    std::string name, text, where, message;
  };
  bj::object wrong_type = good, no_subject = good, bad_context = good;
  wrong_type["type"] = bj::array{"VerifiableCredential"};
  no_subject.erase("credentialSubject");
  bad_context["@context"].as_array().push_back("https://example.org/not-bundled.jsonld");
  const Case cases[] = {
      {"not-json.json", "{\"id\": ", ":1:8", "unexpected end of input"},
      {"scalar.json", "42", " /", "not a credential"},
      {"wrong-type.json", bj::serialize(wrong_type), " /type", "OpenBadgeCredential"},
      {"no-subject.json", bj::serialize(no_subject), " /credentialSubject", "missing credentialSubject"},
      {"bad-context.json", bj::serialize(bad_context), " /@context/2", "unresolvable"},
      {"array.json", "[" + bj::serialize(good) + "," + bj::serialize(no_subject) + "]",
       " /1/credentialSubject", "missing credentialSubject"},
  };
  for (const Case& c : cases) {
    fs::path in = tmp.path() / c.name;
    WriteFile(in, c.text);
    Decoded d = Decode(Ob3(), in);
    EXPECT_EQ(d.status.code(), Code::kInvalidArgument) << c.name << d.status.ToString();
    // JSON errors add the pointer of the value being parsed.
    EXPECT_TRUE(d.status.where() == in.string() + c.where ||
                (c.where.starts_with(":") && d.status.where().starts_with(in.string() + c.where)))
        << c.name << ": " << d.status.where();
    EXPECT_NE(d.status.message().find(c.message), std::string::npos) << c.name << d.status.ToString();
    // Translating it leaves nothing behind.
    fs::path out = tmp.path() / ("out-" + c.name);
    EXPECT_FALSE(Translate("ob3", "ob3", {in}, out).ok());
    EXPECT_FALSE(fs::exists(out));
  }
}

}  // namespace
}  // namespace pathbridge::adapters
