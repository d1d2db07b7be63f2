// The ler-rs adapter against the HR Open LER-RS examples in
// shared/standards/ler-rs (credential-wrapped résumés with embedded Open
// Badges 3.0 and HR Open credentials): every sample decodes, the values
// land where they should, decode -> encode -> decode keeps the records, and
// bad input (an embedded credential whose @context is not bundled) fails
// with a JSON pointer.
#include <gtest/gtest.h>

#include <filesystem>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "adapters/registry.h"
#include "tests/adapters/adapter_test_util.h"
#include "tests/testing/test_util.h"

namespace pathbridge::adapters {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace canonical;
using pathbridge::testing::ReadFile;
using pathbridge::testing::ReadJson;
using pathbridge::testing::TempDir;

fs::path Examples() { return pathbridge::testing::SharedDir() / "standards/ler-rs/examples"; }
const Adapter& Format() { return **FindAdapter("ler-rs"); }

std::vector<fs::path> Samples() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(Examples())) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(LerRsTest, EverySampleDecodes) {
  auto samples = Samples();
  ASSERT_EQ(samples.size(), 4u);
  for (const auto& path : samples) {
    Decoded d = Decode(Format(), {path});
    ASSERT_TRUE(d.status.ok()) << path << ": " << d.status.ToString();
    ASSERT_FALSE(d.records.empty());
    EXPECT_TRUE(std::holds_alternative<Person>(d.records[0])) << path;
    EXPECT_EQ(All<Employment>(d.records).size(), 1u) << path;
    EXPECT_FALSE(All<AchievementAward>(d.records).empty()) << path;
    // Addresses are kept for the round trip, never quoted in diagnostics.
    EXPECT_EQ(d.Diags().find("Main St"), std::string::npos);
  }
}

TEST(LerRsTest, PersonEmploymentAndOpenBadgeCertification) {
  Decoded d = Decode(Format(), {Examples() / "LER-RS_V2_UC008_portability.json"});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  auto person = std::get<Person>(d.records[0]);
  EXPECT_EQ(person.id, "88802e91-a760-4173-a595-97bdfb514a63");
  EXPECT_EQ(person.given_name, "Jennifer");
  EXPECT_EQ(person.family_name, "Jones");
  EXPECT_EQ(person.email, "jennifer.jones@example.com");
  EXPECT_EQ(person.phone, "+1 555-555-1212");
  EXPECT_EQ(person.source.pointer, "/credentialSubject");
  EXPECT_NE(person.extensions.at("ler-rs:communication").find("Schenectady"), std::string::npos);
  EXPECT_TRUE(person.extensions.contains("ler-rs:narratives"));

  auto job = All<Employment>(d.records).at(0);
  EXPECT_EQ(job.title, "Marketing Manager");
  EXPECT_EQ(job.employer_org_id, "dns:abccompany.com");
  EXPECT_EQ(job.start_date, "2022-10-01");
  EXPECT_EQ(job.current, true);
  EXPECT_EQ(job.location, "Schenectady, US");
  EXPECT_EQ(ById<Organization>(d.records, "dns:abccompany.com").name, "ABC Company");

  // The embedded Open Badges 3.0 credential: issuer, achievement, award.
  auto cert = ById<AchievementAward>(d.records, "http://example.com/credentials/3527");
  EXPECT_EQ(cert.kind, AwardKind::kIndustryCertification);
  EXPECT_EQ(cert.person_id, person.id);
  EXPECT_EQ(cert.title, "Digital Marketing Certificate");
  EXPECT_EQ(cert.issuer_org_id, "https://example.edu/issuers/565049");
  EXPECT_EQ(cert.award_date, "2022-01-01");
  EXPECT_EQ(cert.expiration_date, "2032-01-01");
  EXPECT_EQ(cert.field_of_study, "Marketing");
  EXPECT_EQ(cert.identifiers, (std::vector<Identifier>{{"identifier", "125432-SA"},
                                                       {"ext:schemeAgencyId", "ACE"}}));
  EXPECT_EQ(cert.definition_id, "https://1edtech.edu/achievements/774");
  EXPECT_EQ(cert.source.pointer, "/credentialSubject/certifications/0/verifications/0");
  EXPECT_EQ(cert.extensions.at("ler-rs:verifiedBy"), cert.id);
  auto kept = json::parse(cert.extensions.at("ler-rs:verifications"));
  EXPECT_EQ(kept.as_array()[0].at("proof").as_array()[0].at("proofValue"),
            "z5VJKG41dy1BzJdctJRfiSdvdXmFBb37rVAR4ndNQCC2n7HNDY88aQWk9QkLbirZ6nP2AtRMixz12BfqnomVDqZbD");
  auto achievement = ById<CredentialDefinition>(d.records, "https://1edtech.edu/achievements/774");
  EXPECT_EQ(achievement.definition_type, "Certification");
  EXPECT_TRUE(achievement.criteria.starts_with("The Digital Marketing Certificate is"));
  EXPECT_EQ(ById<Organization>(d.records, "https://example.edu/issuers/565049").name,
            "American Council for Education (ACE)");

  // The HR Open provisional education credential: attendance and degree.
  auto school = ById<Enrollment>(d.records, "https://www.ncsu.edu/credentials/1872");
  EXPECT_EQ(school.org_id, "name:University of Phoenix");
  EXPECT_EQ(school.begin_date, "2023-09-01");
  auto degree = ById<AchievementAward>(d.records,
                                       "https://www.ncsu.edu/credentials/1872#/educationDegrees/0");
  EXPECT_EQ(degree.kind, AwardKind::kDegree);
  EXPECT_EQ(degree.title, "Bachelor of Arts");
  EXPECT_EQ(degree.level, "Bachelor");
  EXPECT_EQ(degree.field_of_study, "Marketing");
  EXPECT_EQ(degree.issuer_org_id, school.org_id);
  EXPECT_EQ(degree.extensions.at("ler-rs:verifiedBy"), school.id);
}

TEST(LerRsTest, PlainEducationAndCertification) {
  Decoded d = Decode(Format(), {Examples() / "LER-RS_V2_VCwrapper.json"});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  std::string person = "71202e91-a760-4173-a595-97bdfb514a63";
  auto berkeley = ById<Enrollment>(d.records, person + "#educationAndLearnings/0");
  EXPECT_EQ(berkeley.org_id, "name:University of California, Berkeley");
  EXPECT_EQ(berkeley.begin_date, "1996");
  EXPECT_EQ(berkeley.role, Role::kStudent);
  auto degree = ById<AchievementAward>(d.records,
                                       person + "#educationAndLearnings/0/educationDegrees/0");
  EXPECT_EQ(degree.title, "Bachelor of Commerce");
  EXPECT_EQ(degree.award_date, "2000");
  EXPECT_EQ(degree.field_of_study, "Corporate Business");

  auto cert = ById<AchievementAward>(d.records, person + "#certifications/0");
  EXPECT_EQ(cert.title, "Product Management Certificate");
  EXPECT_EQ(cert.issuer_org_id, "dns:www.cornell.edu");
  EXPECT_EQ(cert.award_date, "2014-08-25");
  EXPECT_EQ(cert.expiration_date, "2024-08-25");
  EXPECT_NE(cert.extensions.at("ler-rs:verifications").find("8798798798"), std::string::npos);

  auto job = All<Employment>(d.records).at(0);
  EXPECT_EQ(job.end_date, "2022-11-04");
  EXPECT_EQ(job.current, false);
}

TEST(LerRsTest, RoundTripsEverySample) {
  for (const auto& path : Samples()) {
    Decoded first = Decode(Format(), {path});
    ASSERT_TRUE(first.status.ok()) << first.status.ToString();
    TempDir dir;
    fs::path out = dir.path() / "out";
    Status s = Encode(Format(), first.records, out);
    ASSERT_TRUE(s.ok()) << path << ": " << s.ToString();
    ASSERT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator()), 1);
    Decoded second = Decode(Format(), {out});
    ASSERT_TRUE(second.status.ok()) << second.status.ToString();
    EXPECT_EQ(second.records, first.records) << path;
    // The embedded credentials go back byte for byte (as JSON values).
    json::value doc = ReadJson(path);
    json::value written = ReadJson(*fs::directory_iterator(out));
    if (const auto* certs = doc.at("credentialSubject").as_object().if_contains("certifications")) {
      EXPECT_EQ(written.at("certifications").at(0).at("verifications"),
                certs->at(0).at("verifications")) << path;
    }
  }
}

// An embedded Open Badges credential whose @context the bundled loader
// does not have fails, at the credential's pointer; nothing is returned.
TEST(LerRsTest, UnresolvableEmbeddedContext) {
  json::value doc = ReadJson(Examples() / "LER-RS_V2_UC008_portability.json");
  auto& vc = doc.at("credentialSubject").at("certifications").at(0).at("verifications").at(0);
  vc.at("@context").as_array()[1] = "https://example.org/unknown-context.json";
  Decoded d = DecodeText(Format(), json::serialize(doc), "resume.json");
  ASSERT_FALSE(d.status.ok());
  EXPECT_TRUE(d.status.where().starts_with(
      "resume.json:/credentialSubject/certifications/0/verifications/0/@context"))
      << d.status.ToString();
  EXPECT_NE(d.status.message().find("embedded credential"), std::string::npos);
  EXPECT_TRUE(d.records.empty());
}

TEST(LerRsTest, BadInputSaysWhere) {
  struct Case {
    const char* text;
    const char* where;
    const char* message;
  };
  const Case cases[] = {
      {"{\"type\": \n  3", "in.json:2:4", ""},
      {R"({"credentialSubject": {"type": "Resume"}})", "in.json:/credentialSubject/type",
       "not a LER-RS"},
      {R"({"type": "http://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/LER-RSType.json"})",
       "in.json:/documentId", "needs documentId"},
      {R"({"type": "LER-RSType.json", "documentId": {"value": "p"}, "certifications": {}})",
       "in.json:/certifications", "must be an array"},
      {R"({"type": "LER-RSType.json", "documentId": {"value": "p"}, "licenses": [1]})",
       "in.json:/licenses/0", "must be an object"},
      {R"({"type": "LER-RSType.json", "documentId": {"value": "p"}, "certifications": [
          {"verifications": [{"type": ["VerifiableCredential", "OpenBadgeCredential"],
            "@context": ["https://www.w3.org/ns/credentials/v2"], "credentialSubject": {}}]}]})",
       "in.json:/certifications/0/verifications/0/credentialSubject", "achievement"},
  };
  for (const auto& c : cases) {
    Decoded d = DecodeText(Format(), c.text);
    ASSERT_FALSE(d.status.ok()) << c.text;
    EXPECT_EQ(d.status.where().substr(0, std::string(c.where).size()), c.where)
        << d.status.ToString();
    EXPECT_NE(d.status.message().find(c.message), std::string::npos) << d.status.ToString();
  }
}

TEST(LerRsTest, OneDocumentPerPerson) {
  std::vector<Record> records;
  for (const char* name : {"LER-RS_V2_UC008_portability.json", "LER-RS_V2_VCwrapper.json"}) {
    Decoded d = Decode(Format(), {Examples() / name});
    ASSERT_TRUE(d.status.ok());
    for (auto& r : d.records) records.push_back(std::move(r));
  }
  TempDir dir;
  ASSERT_TRUE(Encode(Format(), records, dir.path() / "out").ok());
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "out"), fs::directory_iterator()), 2);
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "88802e91-a760-4173-a595-97bdfb514a63.json"));
  for (const auto& e : fs::directory_iterator(dir.path() / "out")) {
    json::value doc = ReadJson(e.path());
    EXPECT_EQ(doc.at("type"),
              "http://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/LER-RSType.json");
  }
}

}  // namespace
}  // namespace pathbridge::adapters
