// The ctdl adapter against Credential Engine's published CTDL examples and
// the Credential Registry's fixtures in shared/standards/ctdl: every sample
// decodes, the values land where they should, decode -> encode -> decode
// keeps the records, registry envelopes and arrays, and bad input.
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
using namespace canonical;
using pathbridge::testing::ReadFile;
using pathbridge::testing::TempDir;
using pathbridge::testing::WriteFile;

fs::path Dir() { return pathbridge::testing::SharedDir() / "standards/ctdl"; }
const Adapter& Format() { return **FindAdapter("ctdl"); }
constexpr std::string_view kOrg1 =
    "https://credentialengine.github.io/credential-registry-ingest-examples/Organization/1/"
    "Organization-1.json";

std::vector<fs::path> Samples() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(Dir()))
    if (e.is_regular_file() && e.path().extension() == ".json" &&
        e.path().parent_path().filename() != "registry-json-schema")
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// A resource with what the samples lack: an embedded owner, keywords,
// credits, hours, CIP and competency alignments.
constexpr const char* kHandWritten = R"({
  "@context": "https://credreg.net/ctdl/schema/context/json",
  "@id": "https://credentialengineregistry.org/resources/ce-00000000-0000-4000-8000-000000000001",
  "@type": "ceterms:Certificate",
  "ceterms:ctid": "ce-00000000-0000-4000-8000-000000000001",
  "ceterms:name": {"en-US": "Welding Certificate", "es": "Certificado de soldadura"},
  "ceterms:description": "Entry-level welding.",
  "ceterms:subjectWebpage": "https://lakeview.example.edu/welding",
  "ceterms:keyword": {"en-US": ["welding", "fabrication"]},
  "ceterms:ownedBy": [{"@type": "ceterms:CredentialOrganization",
                       "ceterms:ctid": "ce-00000000-0000-4000-8000-0000000000aa",
                       "ceterms:name": "Lakeview Community College",
                       "ceterms:subjectWebpage": "https://lakeview.example.edu",
                       "ceterms:agentType": [{"ceterms:targetNode": "orgType:TwoYear"}]}],
  "ceterms:creditValue": [{"@type": "schema:QuantitativeValue", "schema:value": 12,
                           "ceterms:creditUnitType": [{"ceterms:targetNode": "creditUnit:SemesterHour"}]}],
  "ceterms:estimatedDuration": [{"@type": "ceterms:DurationProfile", "ceterms:exactDuration": "PT240H"}],
  "ceterms:instructionalProgramType": [{"ceterms:codedNotation": "48.0508"}],
  "ceterms:occupationType": [{"ceterms:codedNotation": "51-4121"}, {"ceterms:targetNodeName": "Welders"}],
  "ceterms:targetCompetency": [{"ceterms:targetNodeName": "Reads weld symbols"}],
  "ceterms:credentialStatusType": {"ceterms:targetNode": "credentialStat:Deprecated"}
})";

TEST(CtdlTest, EverySampleDecodes) {
  auto samples = Samples();
  ASSERT_GE(samples.size(), 11u);
  for (const auto& path : samples) {
    Decoded d = Decode(Format(), {path});
    ASSERT_TRUE(d.status.ok()) << path << ": " << d.status.ToString();
    EXPECT_FALSE(d.records.empty()) << path;
    for (const auto& r : d.records) {
      EXPECT_FALSE(Base(r).id.empty()) << path;
      EXPECT_EQ(Base(r).source.file, path.string());
    }
  }
}

TEST(CtdlTest, CredentialIdIsItsRegistryUri) {
  Decoded d = Decode(Format(), {Dir() / "ingest-examples/Credential/1/Credential-1.json"});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.records.size(), 1u);
  auto def = std::get<CredentialDefinition>(d.records[0]);
  EXPECT_EQ(def.id,
            "https://credentialengineregistry.org/resources/ce-edc318c1-aa67-47e2-9638-a8529e6612d4");
  EXPECT_EQ(def.ctid, "ce-edc318c1-aa67-47e2-9638-a8529e6612d4");
  EXPECT_EQ(def.definition_type, "BachelorDegree");
  EXPECT_EQ(def.name, "Bachelor of Science in Cybersecurity");
  EXPECT_TRUE(def.description.starts_with("Example University's Bachelor of Science"));
  EXPECT_EQ(def.owner_org_id, kOrg1);
  EXPECT_EQ(def.url, "http://example.com/#bachelordegree");
  EXPECT_EQ(def.status, "active");
  EXPECT_EQ(def.extensions.at("ctdl:@id"),
            "https://credentialengine.github.io/credential-registry-ingest-examples/Credential/1/"
            "Credential-1.json");
  EXPECT_EQ(def.source.pointer, "");
}

TEST(CtdlTest, GraphGivesEveryNode) {
  Decoded d = Decode(Format(), {Dir() / "ingest-examples/LearningProgram/1/LearningProgram-1-graph.json"});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  auto defs = All<CredentialDefinition>(d.records);
  ASSERT_EQ(defs.size(), 4u);
  EXPECT_EQ(defs[0].definition_type, "LearningProgram");
  EXPECT_EQ(defs[0].source.pointer, "/@graph/0");
  EXPECT_EQ(defs[1].definition_type, "Course");
  EXPECT_EQ(defs[1].name, "Personal Growth Mastery");
  EXPECT_EQ(defs[1].alignments, (std::vector<Identifier>{{"SOC", "15-1131.00"}, {"SOC", "15-1251.00"}}));
  EXPECT_EQ(defs[1].extensions.at("ctdl:targetNodeName SOC 15-1131.00"), "Computer Programmers");

  Decoded g = Decode(Format(), {Dir() / "ingest-examples/Credential/1/Credential-1-graph.json"});
  ASSERT_TRUE(g.status.ok()) << g.status.ToString();
  auto qa = ById<Organization>(g.records, "_:83492d2c-2f93-492a-a6f2-5a36875293fc");
  EXPECT_EQ(qa.name, "Example Town Cyber Security Jobs Center");
  EXPECT_EQ(qa.url, "https://example.com/#cybersecurityjobscenter");
}

TEST(CtdlTest, OrganizationAndRegistryFixtures) {
  Decoded o = Decode(Format(), {Dir() / "ingest-examples/Organization/1/Organization-1.json"});
  ASSERT_TRUE(o.status.ok()) << o.status.ToString();
  auto org = ById<Organization>(o.records, kOrg1);
  EXPECT_EQ(org.name, "Example University");
  EXPECT_EQ(org.email, "contact@example.edu");
  EXPECT_EQ(org.url, "https://example.edu");
  EXPECT_EQ(org.kind, OrgKind::kCollege);
  EXPECT_EQ(org.identifiers, (std::vector<Identifier>{{"ctid", "ce-7f42a13b-2c7e-4cbb-bbae-337a5187cf61"}}));

  Decoded c = Decode(Format(), {Dir() / "registry-fixtures/credential-3_import.json"});
  ASSERT_TRUE(c.status.ok()) << c.status.ToString();
  auto def = All<CredentialDefinition>(c.records).at(0);
  EXPECT_EQ(def.definition_type, "Certification");
  EXPECT_EQ(def.name, "Certified Occupational Therapy Assistant (COTA\u00ae)");
  EXPECT_NE(std::find(def.alignments.begin(), def.alignments.end(), Identifier{"SOC", "29-1122.00"}),
            def.alignments.end());
  EXPECT_NE(std::find(def.alignments.begin(), def.alignments.end(), Identifier{"NAICS", "621340"}),
            def.alignments.end());
  // The industry entries that are only names ("Pediatrics") are not codes.
  EXPECT_NE(c.Diags().find("alignment without ceterms:codedNotation is not carried"),
            std::string::npos) << c.Diags();
  EXPECT_NE(c.Diags().find("/ceterms:industryType/1"), std::string::npos) << c.Diags();
}

TEST(CtdlTest, HandWrittenResource) {
  Decoded d = DecodeText(Format(), kHandWritten);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.records.size(), 2u);
  auto org = std::get<Organization>(d.records[0]);
  EXPECT_EQ(org.id, "https://credentialengineregistry.org/resources/ce-00000000-0000-4000-8000-0000000000aa");
  EXPECT_EQ(org.kind, OrgKind::kCollege);
  EXPECT_EQ(org.source.pointer, "/ceterms:ownedBy/0");
  auto def = std::get<CredentialDefinition>(d.records[1]);
  EXPECT_EQ(def.owner_org_id, org.id);
  EXPECT_EQ(def.name, "Welding Certificate");
  EXPECT_EQ(def.keywords, (std::vector<std::string>{"welding", "fabrication"}));
  EXPECT_EQ(def.credits, 12);
  EXPECT_EQ(def.credit_unit, "Semester");
  EXPECT_EQ(def.hours, 240);
  EXPECT_EQ(def.alignments, (std::vector<Identifier>{{"SOC", "51-4121"}, {"CIP", "48.0508"},
                                                     {"Competency", "Reads weld symbols"}}));
  EXPECT_EQ(def.status, "");
  EXPECT_EQ(def.extensions.at("ctdl:status"), "Deprecated");
  EXPECT_FALSE(def.extensions.contains("ctdl:@id"));  // @id is the registry URI
}

void ExpectRoundTrip(const Decoded& first, const std::string& what) {
  TempDir dir;
  fs::path out = dir.path() / "out.json";
  Status s = Encode(Format(), first.records, out);
  ASSERT_TRUE(s.ok()) << what << ": " << s.ToString();
  Decoded second = Decode(Format(), {out});
  ASSERT_TRUE(second.status.ok()) << what << ": " << second.status.ToString();
  EXPECT_EQ(second.records, first.records) << what << "\n" << ReadFile(out);
}

TEST(CtdlTest, RoundTripsEverySample) {
  for (const auto& path : Samples()) ExpectRoundTrip(Decode(Format(), {path}), path.string());
  ExpectRoundTrip(DecodeText(Format(), kHandWritten), "hand-written");
}

TEST(CtdlTest, WritesRegistryShape) {
  TempDir dir;
  fs::path out = dir.path() / "out.json";
  ASSERT_TRUE(Encode(Format(), DecodeText(Format(), kHandWritten).records, out).ok());
  auto doc = boost::json::parse(ReadFile(out)).as_object();
  EXPECT_EQ(doc.at("@context"), "http://credreg.net/ctdl/schema/context/json");
  const auto& graph = doc.at("@graph").as_array();
  ASSERT_EQ(graph.size(), 2u);
  const auto& def = graph[1].as_object();
  EXPECT_EQ(def.at("@type"), "ceterms:Certificate");
  EXPECT_EQ(def.at("ceterms:name"), "Welding Certificate");  // a plain string, as the registry wants
  EXPECT_EQ(def.at("ceterms:ownedBy").as_array()[0], graph[0].at("@id"));
  EXPECT_EQ(def.at("ceterms:credentialStatusType").at("ceterms:targetNode"),
            "credentialStat:Deprecated");
  EXPECT_EQ(def.at("ceterms:estimatedDuration").as_array()[0].at("ceterms:exactDuration"), "PT240H");
}

TEST(CtdlTest, EnvelopesAndArrays) {
  std::string resource = ReadFile(Dir() / "ingest-examples/Credential/1/Credential-1.json");
  Decoded plain = DecodeText(Format(), resource);
  ASSERT_TRUE(plain.status.ok());
  Decoded envelope = DecodeText(
      Format(), R"({"envelope_type": "resource_data", "decoded_resource": )" + resource + "}");
  ASSERT_TRUE(envelope.status.ok()) << envelope.status.ToString();
  EXPECT_EQ(envelope.records, plain.records);
  EXPECT_EQ(Base(envelope.records[0]).source.pointer, "/decoded_resource");
  Decoded list = DecodeText(Format(), "[" + resource + R"(, {"decoded_resource": )" + resource + "}]");
  ASSERT_TRUE(list.status.ok()) << list.status.ToString();
  ASSERT_EQ(list.records.size(), 2u);
  EXPECT_EQ(Base(list.records[1]).source.pointer, "/1/decoded_resource");
}

TEST(CtdlTest, BadInputSaysWhere) {
  struct Case {
    const char* text;
    const char* where;
    const char* message;
  };
  const Case cases[] = {
      {"{\"@type\": \"ceterms:Certification\",\n \"ceterms:name\": }", "in.json:2:18", ""},
      {R"({"@context": "https://www.w3.org/ns/credentials/v2", "@type": "ceterms:Badge"})",
       "in.json:/@context", "not the CTDL context"},
      {R"({"@graph": {"@type": "ceterms:Badge"}})", "in.json:/@graph", "must be an array"},
      {R"({"@graph": [{"@id": "x", "ceterms:name": "n"}]})", "in.json:/@graph/0/@type",
       "needs a @type"},
      {R"({"@graph": [{"@type": "ceterms:Badge", "ceterms:name": "n"}]})", "in.json:/@graph/0",
       "needs ceterms:ctid or @id"},
      {R"([1])", "in.json:/0", "must be a JSON object"},
  };
  for (const auto& c : cases) {
    Decoded d = DecodeText(Format(), c.text);
    ASSERT_FALSE(d.status.ok()) << c.text;
    EXPECT_EQ(d.status.where().substr(0, std::string(c.where).size()), c.where) << d.status.ToString();
    EXPECT_NE(d.status.message().find(c.message), std::string::npos) << d.status.ToString();
    EXPECT_TRUE(d.records.empty());
  }
  // Other CTDL classes are skipped with a warning that says where.
  Decoded skipped = DecodeText(Format(), R"({"@graph": [{"@type": "ceterms:ConditionProfile"}]})");
  ASSERT_TRUE(skipped.status.ok());
  EXPECT_NE(skipped.Diags().find("in.json /@graph/0: warning: ceterms:ConditionProfile"),
            std::string::npos) << skipped.Diags();
}

TEST(CtdlTest, EncoderLeavesNothingOnAbortAndRefusesExistingOutput) {
  TempDir dir;
  fs::path out = dir.path() / "out.json";
  {
    auto encoder = Format().OpenEncoder(out, {});
    ASSERT_TRUE(encoder.ok());
    ASSERT_TRUE((*encoder)->Write(DecodeText(Format(), kHandWritten).records[1]).ok());
    (*encoder)->Abort();
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
  WriteFile(out, "{}");
  EXPECT_EQ(Format().OpenEncoder(out, {}).status().code(), Code::kAlreadyExists);
}

}  // namespace
}  // namespace pathbridge::adapters
