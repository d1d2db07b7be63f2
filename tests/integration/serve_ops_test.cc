// `pathbridge serve` operated as a process: the OpenAPI document against
// the routes it really registers, graceful SIGTERM over TLS (readyz turns
// 503 while requests are still served, then the ledger commits), its JSON
// logs, and where its settings come from (config file, environment, flags).
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <thread>

#include "ledger/checkpoint.h"
#include "ledger/ledger_dir.h"
#include "ledger/note.h"
#include "standards/json.h"
#include "tests/testing/http_testing.h"

namespace pathbridge {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using testing::Fetched;
using testing::HttpClient;
using testing::ServeProcess;
using testing::TempDir;

constexpr const char* kMethods[] = {"get", "put", "post", "delete", "patch", "head", "options"};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A router pattern as an OpenAPI path: "{path...}" is "{path}".
std::string OpenApiPath(std::string pattern) {
  for (size_t at; (at = pattern.find("...}")) != std::string::npos;) pattern.erase(at, 3);
  return pattern;
}

struct Route {
  std::string method, path, scope;
};

// `pathbridge serve --list-routes` with this data dir's defaults.
std::vector<Route> ServedRoutes(const fs::path& data) {
  auto r = testing::RunPathbridge("serve --plain --data " + data.string() + " --list-routes");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::vector<Route> routes;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    Route route;
    words >> route.method >> route.path >> route.scope;
    route.path = OpenApiPath(route.path);
    routes.push_back(route);
  }
  return routes;
}

// Every route `serve` registers is documented with its method (and its
// scope and path parameters), and every documented operation is served.
// Routes added on other branches fail here, naming what to add.
TEST(OpenApiTest, TheDocumentAndTheServedRoutesMatchBothWays) {
  TempDir dir;
  auto routes = ServedRoutes(dir.path() / "var");
  ASSERT_GE(routes.size(), 10u);
  auto parsed = json::Parse(testing::ReadFile(testing::SourceDir() / "docs" / "openapi.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const auto& doc = parsed->as_object();
  EXPECT_EQ(doc.at("openapi"), "3.1.0");
  const auto& paths = doc.at("paths").as_object();

  std::set<std::string> served;
  for (const Route& r : routes) {
    std::string method = Lower(r.method);
    served.insert(method + " " + r.path);
    const boost::json::value* item = paths.if_contains(r.path);
    const boost::json::value* op = item ? item->as_object().if_contains(method) : nullptr;
    if (op == nullptr) {
      ADD_FAILURE() << "route " << r.method << " " << r.path
                    << " is not documented: add \"" << method << "\" under paths[\"" << r.path
                    << "\"] in docs/openapi.json";
      continue;
    }
    for (size_t open = r.path.find('{'); open != std::string::npos; open = r.path.find('{', open + 1)) {
      std::string name = r.path.substr(open + 1, r.path.find('}', open) - open - 1);
      bool declared = false;
      if (const auto* params = op->as_object().if_contains("parameters"))
        for (const auto& p : params->as_array())
          declared |= p.as_object().at("in") == "path" && testing::Str(p.as_object().at("name")) == name;
      EXPECT_TRUE(declared) << r.method << " " << r.path << " does not declare path parameter " << name;
    }
    if (r.scope.empty()) continue;
    std::string security = op->as_object().contains("security")
                               ? boost::json::serialize(op->as_object().at("security"))
                               : "";
    EXPECT_NE(security.find("\"" + r.scope + "\""), std::string::npos)
        << r.method << " " << r.path << " needs scope " << r.scope
        << ": its operation's security must name it";
  }
  for (const auto& [path, item] : paths) {
    for (const char* method : kMethods) {
      if (!item.as_object().contains(method)) continue;
      std::string key = std::string(method) + " " + std::string(path);
      EXPECT_TRUE(served.count(key))
          << "docs/openapi.json documents " << key << " but pathbridge serve has no such route";
    }
  }
}

std::string DataDir(const TempDir& dir) { return (dir.path() / "var").string(); }

uint16_t PortOf(const std::string& base) {
  return static_cast<uint16_t>(std::stoi(base.substr(base.rfind(':') + 1)));
}

// The JSON lines of the output (the log), parsed; other lines skipped.
std::vector<boost::json::object> JsonLines(const std::string& output) {
  std::vector<boost::json::object> out;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '{') continue;
    auto parsed = json::Parse(line);
    EXPECT_TRUE(parsed.ok()) << line;
    if (parsed.ok()) out.push_back(parsed->as_object());
  }
  return out;
}

TEST(ServeProcessTest, SigtermDrainsServesInFlightAndCommitsTheLedger) {
  TempDir dir;
  ServeProcess serve("--listen 127.0.0.1:0 --dev-loopback-admin --drain-delay 2 --data " +
                         DataDir(dir),
                     dir.path() / "serve.out");
  std::string base = serve.BaseUrl();
  ASSERT_EQ(base.rfind("https://127.0.0.1:", 0), 0u) << serve.Output();
  testing::ClientTls trust;
  trust.ca = fs::path(DataDir(dir)) / "pki" / "ca.pem";
  auto tls = testing::ClientContext(trust);
  uint16_t port = PortOf(base);
  HttpClient kept(port, tls);  // a kept-alive client, as a load balancer's
  ASSERT_EQ(kept.Get("/readyz").status(), 200);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(kept.Send(http::verb::post, "/ledger/entries", "confidential entry " + std::to_string(i),
                        {{"Authorization", "Bearer not-a-real-token-but-secret"}})
                  .status(),
              401);  // a token that is sent is checked, even on loopback
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(kept.Send(http::verb::post, "/ledger/entries", "confidential entry " + std::to_string(i))
                  .status(),
              201);

  // A credential whose proof cannot verify: a 422, counted as invalid.
  const std::string key = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
  std::string forged = R"({"verifiableCredential": {"@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"], "issuer": ")" + key + R"(", "validFrom": "2026-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:student"},
    "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
      "verificationMethod": ")" + key + "#" + key.substr(8) + R"(", "proofPurpose": "assertionMethod",
      "proofValue": "z5kVZbc1111111111111111111111111111111111111111111111111111111111111111111111111111111"}}})";
  Fetched refused = kept.Send(http::verb::post, "/credentials/verify", forged,
                              {{"Content-Type", "application/json"}});
  EXPECT_EQ(refused.status(), 422) << refused.res.body();

  Fetched metrics = kept.Get("/metrics");  // loopback: allowed by default
  ASSERT_EQ(metrics.status(), 200);
  EXPECT_NE(metrics.res.body().find("\npathbridge_ledger_append_duration_seconds_count 3\n"),
            std::string::npos);
  EXPECT_NE(metrics.res.body().find("\npathbridge_ledger_entries 3\n"), std::string::npos);
  EXPECT_NE(metrics.res.body().find(
                "\npathbridge_http_requests_total{route=\"/ledger/entries\",method=\"POST\",status=\"401\"} 3\n"),
            std::string::npos)
      << metrics.res.body();
  EXPECT_NE(metrics.res.body().find("\npathbridge_verifications_total{outcome=\"invalid\"} 1\n"),
            std::string::npos)
      << metrics.res.body();

  serve.Signal(SIGTERM);
  int readyz = 0;
  for (int i = 0; i < 40 && readyz != 503; ++i) {
    readyz = HttpClient(port, tls).Get("/readyz").status();
    if (readyz != 503) std::this_thread::sleep_for(25ms);
  }
  EXPECT_EQ(readyz, 503);  // draining: balancers stop sending
  EXPECT_EQ(HttpClient(port, tls).Get("/ledger/checkpoint").status(), 200);  // still serving
  ASSERT_TRUE(serve.WaitForExit(15s)) << serve.Output();
  std::string out = serve.Output();
  EXPECT_NE(out.find("pathbridge stopped; ledger size 3"), std::string::npos) << out;

  auto lines = JsonLines(out);
  std::vector<std::string> events;
  for (const auto& l : lines) {
    events.push_back(std::string(l.at("event").as_string()));
    EXPECT_TRUE(l.at("time").is_string());
    if (l.at("event") == "request") {
      EXPECT_EQ(l.at("request_id").as_string().size(), 32u);
      EXPECT_TRUE(l.at("route").is_string());
    }
  }
  std::vector<std::string> lifecycle;
  for (const auto& e : events)
    if (e != "request") lifecycle.push_back(e);
  EXPECT_EQ(lifecycle, (std::vector<std::string>{"listening", "draining", "stopped", "ledger_closed"}));
  EXPECT_EQ(lines.back().at("ledger_size"), "3");
  EXPECT_GE(events.size(), 12u);
  for (const char* secret : {"not-a-real-token", "confidential"})
    EXPECT_EQ(out.find(secret), std::string::npos) << secret;

  // The ledger was committed with a final checkpoint covering every entry.
  auto log = ledger::OpenLedger(DataDir(dir));
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ((*log)->Size(), 3u);
  EXPECT_EQ((*log)->LatestCheckpoint()->size, 3u);
}

// The newest checkpoint `client` gets once it covers `want` entries (or
// the last one fetched, after 5 s): the log signs within its interval.
std::string CheckpointCovering(HttpClient& client, uint64_t want) {
  std::string body;
  for (int i = 0; i < 100; ++i) {
    body = client.Get("/ledger/checkpoint").res.body();
    auto note = ledger::ParseNote(body);
    auto checkpoint = note.ok() ? ledger::ParseCheckpoint(note->text) : note.status();
    if (checkpoint.ok() && checkpoint->size >= want) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return body;
}

// Its size (0 if it is not a checkpoint).
uint64_t CheckpointSize(HttpClient& client, uint64_t want) {
  auto note = ledger::ParseNote(CheckpointCovering(client, want));
  auto checkpoint = note.ok() ? ledger::ParseCheckpoint(note->text) : note.status();
  return checkpoint.ok() ? checkpoint->size : 0;
}

// The hub's did:web (from --base-url) names the key that signs the
// checkpoints the server serves; a base URL without a did:web serves none.
TEST(ServeProcessTest, TheHubDidNamesTheKeyThatSignsItsCheckpoints) {
  TempDir dir;
  ServeProcess serve("--plain --listen 127.0.0.1:0 --dev-loopback-admin --base-url https://hub.example/ --data " +
                         DataDir(dir),
                     dir.path() / "serve.out");
  std::string base = serve.BaseUrl();
  ASSERT_FALSE(base.empty()) << serve.Output();
  HttpClient client(PortOf(base));
  ASSERT_EQ(client.Send(http::verb::post, "/ledger/entries", "an entry").status(), 201);
  Fetched did = client.Get("/.well-known/did.json");
  ASSERT_EQ(did.status(), 200) << did.res.body();
  EXPECT_EQ(did.res[http::field::content_type], "application/did+ld+json");
  boost::json::object doc = did.json();
  EXPECT_EQ(doc.at("id"), "did:web:hub.example");
  const auto& ledger_service = doc.at("service").as_array().at(0).as_object();
  EXPECT_EQ(ledger_service.at("serviceEndpoint"), "https://hub.example/ledger");
  auto vkey = ledger::NoteVerifier::Parse(testing::Str(ledger_service.at("verifierKey")));
  ASSERT_TRUE(vkey.ok()) << vkey.status().ToString();
  auto verified = ledger::VerifyCheckpoint(CheckpointCovering(client, 1), *vkey);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->checkpoint.size, 1u);

  TempDir plain_dir;
  ServeProcess no_did("--plain --listen 127.0.0.1:0 --base-url http://127.0.0.1:8080 --data " +
                          DataDir(plain_dir),
                      plain_dir.path() / "serve.out");
  std::string plain_base = no_did.BaseUrl();
  ASSERT_FALSE(plain_base.empty()) << no_did.Output();
  EXPECT_EQ(HttpClient(PortOf(plain_base)).Get("/.well-known/did.json").status(), 404);
  EXPECT_NE(no_did.Output().find("no_hub_did"), std::string::npos) << no_did.Output();
}

// While the server holds the ledger, `pathbridge org` cannot log key changes:
// the server does, when it next reloads the organizations.
TEST(ServeProcessTest, KeyChangesMadeWhileServingAreLoggedByTheServer) {
  TempDir dir;
  auto added = testing::RunPathbridge("org add cc --name 'Lakeview Community College' --data " + DataDir(dir));
  ASSERT_EQ(added.exit_code, 0) << added.out;
  ServeProcess serve("--plain --listen 127.0.0.1:0 --data " + DataDir(dir), dir.path() / "serve.out");
  std::string base = serve.BaseUrl();
  ASSERT_FALSE(base.empty()) << serve.Output();
  HttpClient client(PortOf(base));
  EXPECT_EQ(CheckpointSize(client, 1), 1u);  // key.added, logged at start

  auto rotated = testing::RunPathbridge("org rotate cc --data " + DataDir(dir));
  ASSERT_EQ(rotated.exit_code, 0) << rotated.out;
  EXPECT_NE(rotated.out.find("pending: the running server"), std::string::npos) << rotated.out;
  std::this_thread::sleep_for(std::chrono::milliseconds(5200));  // the sources' refresh interval
  // Any verification reloads the sources (this one fails: it has no proof).
  Fetched verify = client.Send(http::verb::post, "/credentials/verify",
                               R"({"verifiableCredential": {"@context": ["https://www.w3.org/ns/credentials/v2"],
                                   "type": ["VerifiableCredential"], "issuer": "did:example:x",
                                   "credentialSubject": {"id": "did:example:y"}}})",
                               {{"Content-Type", "application/json"}});
  EXPECT_EQ(verify.status(), 422) << verify.res.body();
  EXPECT_EQ(CheckpointSize(client, 2), 2u);  // key.rotated
}

// Defaults < config file < PATHBRIDGE_* < flags.
TEST(ServeProcessTest, ConfigFileThenEnvironmentThenFlags) {
  TempDir dir;
  testing::WriteFile(dir.path() / "pb.json", R"({
    "plain": true, "listen": "127.0.0.1:1", "data": ")" + DataDir(dir) + R"(",
    "log": {"format": "json"}, "metrics": {"access": "open"}
  })");
  ServeProcess serve("--config " + (dir.path() / "pb.json").string() + " --log-format text",
                     dir.path() / "serve.out",
                     "PATHBRIDGE_LISTEN=127.0.0.1:0 PATHBRIDGE_LOG_FORMAT=json");
  std::string base = serve.BaseUrl();
  ASSERT_EQ(base.rfind("http://127.0.0.1:", 0), 0u) << serve.Output();  // plain: the file
  EXPECT_NE(PortOf(base), 1);                                             // the environment
  EXPECT_NE(serve.Output().find(" info listening url=" + base), std::string::npos)  // the flag
      << serve.Output();
  EXPECT_EQ(HttpClient(PortOf(base)).Get("/metrics").status(), 200);
  EXPECT_TRUE(fs::exists(fs::path(DataDir(dir)) / "ledger"));
}

TEST(ServeProcessTest, BadSettingsAreRefusedSayingWhere) {
  TempDir dir;
  testing::WriteFile(dir.path() / "typo.json", R"({"limits": {"max_conections": 10}})");
  auto typo = testing::RunPathbridge("serve --config " + (dir.path() / "typo.json").string());
  EXPECT_EQ(typo.exit_code, 3) << typo.out;
  EXPECT_NE(typo.out.find("typo.json /limits/max_conections: unknown setting"), std::string::npos)
      << typo.out;
  testing::WriteFile(dir.path() / "syntax.json", "{\n  \"threads\": 4,\n}");
  auto syntax = testing::RunPathbridge("serve --config " + (dir.path() / "syntax.json").string());
  EXPECT_EQ(syntax.exit_code, 3) << syntax.out;
  EXPECT_NE(syntax.out.find("syntax.json:3:1"), std::string::npos) << syntax.out;
  auto env = testing::RunCommand("PATHBRIDGE_LIMITS_MAX_CONNECTIONS=0 " +
                                 (testing::BinaryDir() / "gateway" / "pathbridge").string() +
                                 " serve --data " + DataDir(dir) + " 2>&1");
  EXPECT_EQ(env.exit_code, 3) << env.out;
  EXPECT_NE(env.out.find("PATHBRIDGE_LIMITS_MAX_CONNECTIONS"), std::string::npos) << env.out;
  EXPECT_FALSE(fs::exists(fs::path(DataDir(dir))));  // refused before anything was made
}

}  // namespace
}  // namespace pathbridge
