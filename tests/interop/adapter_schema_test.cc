// What the ler-rs and ctdl adapters write, checked with ajv against the
// published JSON Schemas: each LER-RS résumé against HR Open's LER-RS
// catalog (LER-RSType.json, draft-04, many files), each CTDL credential and
// learning opportunity profile against the Credential Registry's schemas.
// The inputs are the shared samples, decoded and encoded in-process.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "adapters/registry.h"
#include "tests/testing/test_util.h"

namespace pathbridge {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::CommandResult;
using testing::ReadJson;
using testing::SharedDir;
using testing::TempDir;

const fs::path kInterop = PATHBRIDGE_INTEROP_DIR;

class AdapterSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* ci = std::getenv("CI");
    if (std::getenv("PATHBRIDGE_SKIP_INTEROP") && !(ci && std::string_view(ci) == "true"))
      GTEST_SKIP() << "PATHBRIDGE_SKIP_INTEROP is set";
    ASSERT_TRUE(fs::exists(kInterop / "node_modules"))
        << "tests/interop/node_modules is missing: run `ctest -R interop` (interop.npm_ci)";
  }

  // Decodes each of `inputs` with `format` and encodes all records to `out`.
  void Translate(std::string_view format, const std::vector<fs::path>& inputs, const fs::path& out) {
    const adapters::Adapter& a = **adapters::FindAdapter(format);
    auto encoder = a.OpenEncoder(out, {});
    ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
    for (const auto& in : inputs) {
      auto decoder = a.OpenDecoder({in}, {});
      ASSERT_TRUE(decoder.ok());
      Status s = adapters::ForEachRecord(**decoder, [&](canonical::Record&& r) {
        return (*encoder)->Write(r);
      });
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
    ASSERT_TRUE((*encoder)->Finish().ok());
  }

  // dbvc schema; every file must be valid.
  void ExpectValid(const std::string& options, const std::vector<fs::path>& files) {
    std::string args;
    for (const auto& f : files) args += " " + f.string();
    CommandResult r = testing::RunCommand("node " + (kInterop / "dbvc.mjs").string() + " schema " +
                                          options + args + " 2>&1");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    size_t lines = 0;
    for (size_t at = r.out.find("\"valid\":true"); at != std::string::npos;
         at = r.out.find("\"valid\":true", at + 1))
      ++lines;
    EXPECT_EQ(lines, files.size()) << r.out;
  }

  TempDir dir_;
};

TEST_F(AdapterSchemaTest, LerRsResumesMeetTheCatalog) {
  fs::path examples = SharedDir() / "standards/ler-rs/examples";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(examples)) {
    fs::path out = dir_.path() / e.path().stem();
    Translate("ler-rs", {e.path()}, out);
    for (const auto& f : fs::directory_iterator(out)) files.push_back(f.path());
  }
  ASSERT_EQ(files.size(), 4u);
  fs::path catalog = SharedDir() / "standards/ler-rs/schema";
  std::string options =
      "--catalog " + catalog.string() + " --catalog-base http:// " +
      (catalog / "www.hropenstandards.org/recruiting/json/LER-RSType.json").string();
  ExpectValid(options, files);
  // The catalog does check: a résumé without its certification's issuing
  // authority (which it requires) fails.
  json::value doc = ReadJson(files[0]);
  doc.as_object()["certifications"] = json::array{json::object{{"name", "Forklift operator"}}};
  fs::path bad = dir_.path() / "bad.json";
  testing::WriteFile(bad, json::serialize(doc));
  CommandResult r = testing::RunCommand("node " + (kInterop / "dbvc.mjs").string() + " schema " +
                                        options + " " + bad.string() + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("/certifications/0 must have required property 'issuingAuthority'"),
            std::string::npos) << r.out;
}

TEST_F(AdapterSchemaTest, CtdlResourcesMeetTheRegistrySchemas) {
  fs::path ctdl = SharedDir() / "standards/ctdl";
  std::vector<fs::path> inputs;
  for (const auto& e : fs::recursive_directory_iterator(ctdl))
    if (e.is_regular_file() && e.path().parent_path().filename() != "registry-json-schema")
      inputs.push_back(e.path());
  fs::path out = dir_.path() / "ctdl.json";
  Translate("ctdl", inputs, out);
  // Each @graph member, as the registry would receive it.
  std::vector<fs::path> credentials, profiles;
  json::value doc = ReadJson(out);
  const auto& graph = doc.at("@graph").as_array();
  for (size_t i = 0; i < graph.size(); ++i) {
    std::string type(graph[i].at("@type").as_string());
    fs::path node = dir_.path() / ("node-" + std::to_string(i) + ".json");
    testing::WriteFile(node, json::serialize(graph[i]));
    if (type == "ceterms:LearningOpportunityProfile") profiles.push_back(node);
    // The registry's schemas predate Course and LearningProgram, and have
    // none for organizations.
    else if (type != "ceterms:Course" && type != "ceterms:LearningProgram" &&
             type != "ceterms:CredentialOrganization")
      credentials.push_back(node);
  }
  ASSERT_EQ(credentials.size(), 3u);
  ASSERT_EQ(profiles.size(), 1u);
  ExpectValid((ctdl / "registry-json-schema/credential.json").string(), credentials);
  ExpectValid((ctdl / "registry-json-schema/learning_opportunity_profile.json").string(), profiles);
}

}  // namespace
}  // namespace pathbridge
