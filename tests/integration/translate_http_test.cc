// Translation and the dual-enrollment import over HTTPS, against a real
// Server on 127.0.0.1 with the real auth: what POST /translate answers is
// what the adapters write for the same input (the CLI's Translate call);
// inputs far larger than the server's in-memory body limit stream through a
// spool file; bad inputs are 4xx problems that say where, with no server
// paths; scope and organization denials; and the import's credentials
// verify. After every request the spool and scratch folders are empty.
#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "adapters/demo_data/generator.h"
#include "adapters/registry.h"
#include "adapters/translate.h"
#include "certs/org_registry.h"
#include "certs/tls/dev_pki.h"
#include "gateway/dual_credit.h"
#include "gateway/translate_routes.h"
#include "ledger/credentials/ledger_entry.h"
#include "ledger/credentials/offline_sources.h"
#include "ledger/credentials/receipt.h"
#include "ledger/credentials/verifier.h"
#include "standards/encoding.h"
#include "tests/testing/http_testing.h"

namespace pathbridge::gateway {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using testing::ExpectProblem;
using testing::Fetched;
using testing::HttpClient;
using testing::Str;
using testing::TempDir;
using testing::TestServer;

constexpr Timestamp kNow{1767225600, 0};
constexpr uint64_t kMaxInput = 64 << 20;

fs::path OneRosterZip() {
  return testing::SharedDir() / "standards/oneroster/csv/moodle-fixtures/v1p2_full_dataset.zip";
}
fs::path EdFiComposite() {
  return testing::SharedDir() / "standards/edfi/json/acan-transcript-composite-output.json";
}
fs::path Transcript() {
  return fs::path(__FILE__).parent_path().parent_path() /
         "adapters/testdata/pesc/dual_enrollment_college_transcript.xml";
}

// Every file under `dir`, by '/'-separated relative path, with its content.
std::map<std::string, std::string> Files(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file())
      out[fs::relative(e.path(), dir).generic_string()] = testing::ReadFile(e.path());
  return out;
}

// Extracts a zip answer (paths kept) into `dir`.
void Unzip(const std::string& zip_bytes, const fs::path& dir) {
  fs::create_directories(dir);
  testing::WriteFile(dir / "answer.zip", zip_bytes);
  auto r = testing::RunCommand("cd '" + dir.string() + "' && unzip -q answer.zip && rm answer.zip");
  ASSERT_EQ(r.exit_code, 0) << r.out;
}

class TranslateHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_dir_ = new TempDir();
    ASSERT_TRUE(certs::MakeDevPki(Pki().dir, {}).ok());
  }
  static void TearDownTestSuite() {
    delete pki_dir_;
    pki_dir_ = nullptr;
  }
  static certs::DevPkiLayout Pki() { return certs::DevPkiLayout(pki_dir_->path() / "pki"); }

  void SetUp() override {
    for (const char* slug : {"rcc", "other-college"}) {
      certs::OrgSpec spec;
      spec.slug = slug;
      spec.name = slug;
      ASSERT_TRUE(certs::AddOrganization(data_.path(), spec, {}, kNow).ok());
    }
    ServerOptions options = testing::TestOptions();  // 256 KiB in-memory bodies
    options.tls.emplace();
    options.tls->certificate_chain = Pki().server_cert;
    options.tls->private_key = Pki().server_key;
    options.spool_dir = Spool();
    fs::create_directories(Spool());
    auth::AuthOptions auth;
    auth.clients.hash_limits = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    server_ = std::make_unique<TestServer>(
        options,
        [this](Router& router, ledger::Log& log) {
          auto issuer = credentials::CredentialService::Open(data_.path(), log);
          ASSERT_TRUE(issuer.ok()) << issuer.status().ToString();
          issuer_ = std::move(*issuer);
          translations_ = std::make_unique<Translations>(
              TranslationOptions{.work_dir = Work(), .max_input_bytes = kMaxInput}, *issuer_);
          AddTranslateRoutes(router, *translations_);
        },
        auth, data_.path());
    translator_ = Token("rcc", {"translate"});
    issuer_token_ = Token("rcc", {"credentials:issue"});
  }

  void TearDown() override {
    server_->Stop();
    translations_.reset();
    issuer_.reset();
    server_.reset();
  }

  fs::path Spool() const { return data_.path() / "tmp/http"; }
  fs::path Work() const { return data_.path() / "tmp/translate"; }

  std::string Token(const std::string& org, auth::ScopeList scopes) {
    auto added = server_->auth().clients().Add({org, std::move(scopes), std::nullopt}, kNow);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    if (!added.ok()) return "";
    std::string basic = Base64Encode(AsBytes(added->client.client_id + ":" + added->client_secret));
    Fetched f = Post("/oauth/token", "grant_type=client_credentials",
                     {{"Authorization", "Basic " + basic},
                      {"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(f.status(), 200) << f.res.body();
    return f.status() == 200 ? Str(f.json().at("access_token")) : "";
  }

  Fetched Post(std::string target, std::string body, std::map<std::string, std::string> headers) {
    testing::ClientTls tls;
    tls.ca = Pki().ca_cert;
    auto ctx = testing::ClientContext(tls);
    HttpClient client(server_->port(), ctx);
    EXPECT_FALSE(client.connect_error()) << client.connect_error().message();
    return client.Send(http::verb::post, std::move(target), std::move(body), std::move(headers));
  }
  Fetched PostAs(const std::string& token, std::string target, std::string body) {
    return Post(std::move(target), std::move(body), {{"Authorization", "Bearer " + token}});
  }
  Fetched Get(std::string target) {
    testing::ClientTls tls;
    tls.ca = Pki().ca_cert;
    auto ctx = testing::ClientContext(tls);
    HttpClient client(server_->port(), ctx);
    return client.Get(std::move(target));
  }

  // The server removes the answer file once it is written, just after the
  // client has it: wait (bounded) for the folders to empty.
  void ExpectNoTempFiles() {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    auto empty = [](const fs::path& dir) { return !fs::exists(dir) || fs::is_empty(dir); };
    while (!(empty(Spool()) && empty(Work())) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(10ms);
    EXPECT_TRUE(empty(Spool())) << "spool files left";
    EXPECT_TRUE(empty(Work())) << "scratch files left";
  }

  // The adapters' own output for `input` (what `pathbridge translate` writes).
  adapters::LossReport Direct(std::string_view from, std::string_view to, const fs::path& input,
                              const fs::path& output) {
    auto report = adapters::Translate(from, to, {input}, output);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : adapters::LossReport{};
  }

  static inline TempDir* pki_dir_ = nullptr;
  TempDir data_;
  TempDir scratch_;
  std::unique_ptr<credentials::CredentialService> issuer_;
  std::unique_ptr<Translations> translations_;
  std::unique_ptr<TestServer> server_;
  std::string translator_, issuer_token_;
};

TEST_F(TranslateHttpTest, FormatsListsEveryAdapterOpenly) {
  Fetched f = Get("/formats");
  ASSERT_EQ(f.status(), 200) << f.res.body();
  EXPECT_EQ(f.header(http::field::content_type), "application/json");
  boost::json::object answer = f.json();
  const auto& list = answer.at("formats").as_array();
  ASSERT_EQ(list.size(), adapters::AllAdapters().size());
  for (size_t i = 0; i < list.size(); ++i) {
    const adapters::Adapter* a = adapters::AllAdapters()[i];
    const auto& o = list[i].as_object();
    EXPECT_EQ(Str(o.at("name")), a->name());
    EXPECT_EQ(o.at("media_types").as_array().size(), a->media_types().size());
    EXPECT_EQ(o.at("reads").as_object().size(), a->reads().by_type().size()) << a->name();
    EXPECT_EQ(o.at("writes").as_object().size(), a->writes().by_type().size()) << a->name();
    EXPECT_EQ(o, adapters::FormatJson(*a));
  }
}

TEST_F(TranslateHttpTest, OneRosterZipToEdFiIsWhatTheAdaptersWrite) {
  Fetched f = PostAs(translator_, "/translate?from=oneroster-csv&to=edfi-json",
                     testing::ReadFile(OneRosterZip()));
  ASSERT_EQ(f.status(), 200) << f.res.body();
  EXPECT_EQ(f.header(http::field::content_type), "application/zip");
  Unzip(f.res.body(), scratch_.path() / "http");
  adapters::LossReport report =
      Direct("oneroster-csv", "edfi-json", OneRosterZip(), scratch_.path() / "direct");
  auto got = Files(scratch_.path() / "http");
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got, Files(scratch_.path() / "direct"));

  auto header = boost::json::parse(f.header("X-Pathbridge-Loss-Report")).as_object();
  EXPECT_EQ(header.at("lossless").as_bool(), report.lossless());
  if (!header.contains("truncated")) {
    EXPECT_EQ(header.at("records"), report.ToJson().at("records"));
  }
  EXPECT_EQ(f.header("X-Pathbridge-Loss-Report").find(data_.path().string()), std::string::npos);
  ExpectNoTempFiles();
}

TEST_F(TranslateHttpTest, EdFiDocumentToOneRosterCsvAndTheFullReportInAZip) {
  Fetched f = PostAs(translator_, "/translate?from=edfi-json&to=oneroster-csv&loss_report=zip",
                     testing::ReadFile(EdFiComposite()));
  ASSERT_EQ(f.status(), 200) << f.res.body();
  EXPECT_EQ(f.header(http::field::content_type), "application/zip");
  Unzip(f.res.body(), scratch_.path() / "http");
  ASSERT_TRUE(fs::exists(scratch_.path() / "http/loss-report.json"));
  ASSERT_TRUE(fs::exists(scratch_.path() / "http/output.zip"));
  Unzip(testing::ReadFile(scratch_.path() / "http/output.zip"), scratch_.path() / "http-csv");

  adapters::LossReport report =
      Direct("edfi-json", "oneroster-csv", EdFiComposite(), scratch_.path() / "direct");
  EXPECT_EQ(Files(scratch_.path() / "http-csv"), Files(scratch_.path() / "direct"));
  auto full = testing::ReadJson(scratch_.path() / "http/loss-report.json").as_object();
  EXPECT_EQ(full.at("records"), report.ToJson().at("records"));
  EXPECT_EQ(full.at("lost").as_object().size(), report.lost.size());
  // Locations name the input as "input", never a server path.
  std::string text = testing::ReadFile(scratch_.path() / "http/loss-report.json");
  EXPECT_EQ(text.find(data_.path().string()), std::string::npos);
  ExpectNoTempFiles();
}

TEST_F(TranslateHttpTest, SingleFileOutputsAnswerTheFileItself) {
  Fetched f = PostAs(translator_, "/translate?from=pesc-college-xml&to=ctdl",
                     testing::ReadFile(Transcript()));
  ASSERT_EQ(f.status(), 200) << f.res.body();
  const adapters::Adapter* ctdl = *adapters::FindAdapter("ctdl");
  EXPECT_EQ(f.header(http::field::content_type), ctdl->media_types().at(0));
  Direct("pesc-college-xml", "ctdl", Transcript(), scratch_.path() / "direct.json");
  EXPECT_EQ(f.res.body(), testing::ReadFile(scratch_.path() / "direct.json"));
  ExpectNoTempFiles();
}

// The demo district as a zip far larger than the server's in-memory body
// limit (256 KiB here): it can only go through if the body is spooled to a
// file, never buffered; and the answer streams back from a file.
TEST_F(TranslateHttpTest, LargeInputStreamsThroughFiles) {
  fs::path zip = scratch_.path() / "district.zip";
  auto counts = adapters::demo_data::WriteDistrictBundle({.students = 12000, .seed = 7}, zip);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  ASSERT_GT(fs::file_size(zip), 4 * testing::TestOptions().max_body_bytes);
  testing::ClientTls tls;
  tls.ca = Pki().ca_cert;
  auto ctx = testing::ClientContext(tls);
  HttpClient client(server_->port(), ctx);
  std::string body = testing::ReadFile(zip);
  // Raw, for a longer deadline than Send's on a busy machine.
  ASSERT_FALSE(client.WriteRaw(
      "POST /translate?from=oneroster-csv&to=oneroster-json HTTP/1.1\r\n"
      "Host: localhost\r\nAuthorization: Bearer " +
          translator_ + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body,
      60s));
  Fetched f = client.Read(false, 120s);
  ASSERT_EQ(f.status(), 200) << f.res.body();
  Unzip(f.res.body(), scratch_.path() / "http");
  Direct("oneroster-csv", "oneroster-json", zip, scratch_.path() / "direct");
  EXPECT_EQ(Files(scratch_.path() / "http"), Files(scratch_.path() / "direct"));
  ExpectNoTempFiles();
}

TEST_F(TranslateHttpTest, BadInputsAreProblemsThatSayWhere) {
  std::string zip = testing::ReadFile(OneRosterZip());
  struct Case {
    std::string target, body, where;
    int status;
  };
  std::vector<Case> cases = {
      {"/translate?from=oneroster-csv&to=edfi-json", zip.substr(0, zip.size() / 2), "input", 422},
      {"/translate?from=edfi-json&to=oneroster-csv", zip.substr(0, zip.size() / 2), "input", 422},
      {"/translate?from=edfi-json&to=oneroster-csv", "{\"students\": [", "input", 422},
      {"/translate?from=pesc-college-xml&to=edfi-json", "<CollegeTranscript><broken", "input", 422},
      {"/translate?from=klingon&to=edfi-json", "x", "from", 400},
      {"/translate?from=edfi-json&to=klingon", "x", "to", 400},
      {"/translate?from=edfi-json", "x", "to", 400},
      {"/translate?from=edfi-json&to=oneroster-csv&loss_report=email", "x", "loss_report", 400},
  };
  for (const Case& c : cases) {
    Fetched f = PostAs(translator_, c.target, c.body);
    ExpectProblem(f, c.status, c.target);
    std::string detail = Str(f.json().at("detail"));
    EXPECT_NE(detail.find(c.where), std::string::npos) << c.target << ": " << detail;
    EXPECT_EQ(detail.find(data_.path().string()), std::string::npos) << detail;
    EXPECT_EQ(detail.find("/tmp"), std::string::npos) << detail;
  }
  ExpectNoTempFiles();
}

TEST_F(TranslateHttpTest, MalformedCsvInAZipSaysFileAndLine) {
  fs::path dir = scratch_.path() / "bundle";
  fs::create_directories(dir);
  fs::path source = OneRosterZip().parent_path() / "v1p2_full_dataset";
  for (const auto& e : fs::directory_iterator(source))
    fs::copy_file(e.path(), dir / e.path().filename());
  testing::WriteFile(dir / "users.csv",
                     testing::ReadFile(dir / "users.csv") + "\"never closed,x\n");
  fs::path zip = scratch_.path() / "bundle.zip";
  auto r = testing::RunCommand("cd '" + dir.string() + "' && zip -q '" + zip.string() + "' *.csv");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  Fetched f =
      PostAs(translator_, "/translate?from=oneroster-csv&to=edfi-json", testing::ReadFile(zip));
  ExpectProblem(f, 422);
  std::string detail = Str(f.json().at("detail"));
  EXPECT_NE(detail.find("input!users.csv:"), std::string::npos) << detail;
  ExpectNoTempFiles();
}

TEST_F(TranslateHttpTest, OversizedBodyIsRefusedBeforeItIsRead) {
  testing::ClientTls tls;
  tls.ca = Pki().ca_cert;
  auto ctx = testing::ClientContext(tls);
  HttpClient client(server_->port(), ctx);
  ASSERT_FALSE(client.connect_error());
  ASSERT_FALSE(client.WriteRaw(
      "POST /translate?from=oneroster-csv&to=edfi-json HTTP/1.1\r\n"
      "Host: localhost\r\nAuthorization: Bearer " +
      translator_ + "\r\nContent-Length: " + std::to_string(kMaxInput + 1) + "\r\n\r\nPK"));
  Fetched f = client.Read();
  ExpectProblem(f, 413);
  ExpectNoTempFiles();
}

TEST_F(TranslateHttpTest, ScopesAndOrganizationsAreEnforced) {
  uint64_t logged = server_->log().Size();  // the colleges' keys
  std::string body = testing::ReadFile(Transcript());
  // No token, a token without the scope: refused before the body is read.
  ExpectProblem(Post("/translate?from=pesc-college-xml&to=edfi-json", body, {}), 401);
  ExpectProblem(PostAs(issuer_token_, "/translate?from=pesc-college-xml&to=edfi-json", body), 403);
  ExpectProblem(Post("/dual-credit/import", body, {}), 401);
  ExpectProblem(PostAs(translator_, "/dual-credit/import", body), 403);
  // A token for rcc can never issue as another college.
  Fetched f = PostAs(issuer_token_, "/dual-credit/import?issuer=other-college", body);
  ExpectProblem(f, 403);
  std::string other = Token("other-college", {"credentials:issue"});
  ExpectProblem(PostAs(other, "/dual-credit/import?issuer=rcc", body), 403);
  EXPECT_EQ(server_->log().Size(), logged);  // nothing was issued or logged
  ExpectNoTempFiles();
}

TEST_F(TranslateHttpTest, DualCreditImportIssuesCredentialsThatVerify) {
  Fetched f =
      PostAs(issuer_token_, "/dual-credit/import?to=edfi-json", testing::ReadFile(Transcript()));
  ASSERT_EQ(f.status(), 200) << f.res.body();
  EXPECT_EQ(f.header(http::field::content_type), "application/zip");
  fs::path out = scratch_.path() / "import";
  Unzip(f.res.body(), out);
  auto summary = testing::ReadJson(out / "summary.json").as_object();
  const auto& ids = summary.at("credentials").as_array();
  ASSERT_GT(ids.size(), 0u);

  credentials::OfflineSetup setup;
  setup.data_dir = data_.path();
  auto sources = credentials::OfflineSources::Load(setup);
  ASSERT_TRUE(sources.ok()) << sources.status().ToString();
  for (size_t i = 1; i <= ids.size(); ++i) {
    std::string n = std::to_string(i) + ".json";
    auto credential =
        credentials::ParseSignedCredential(testing::ReadFile(out / "credentials" / n));
    ASSERT_TRUE(credential.ok()) << credential.status().ToString();
    auto receipt = credentials::ParseReceipt(testing::ReadFile(out / "receipts" / n));
    ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
    credentials::VerifyContext context = sources->Context(Now());
    auto trust = sources->ReceiptTrustFor(*receipt);
    ASSERT_TRUE(trust.ok()) << trust.status().ToString();
    context.ledger = &*trust;
    auto report = credentials::Verify(*credential, context, &*receipt);
    EXPECT_TRUE(report.verified()) << boost::json::serialize(report.ToJson());
  }

  // The district's records are what the import's drafting step writes.
  DualCreditRequest request;
  request.transcript = Transcript();
  request.issuer_org = "rcc";
  auto draft = DraftDualCredit(request, scratch_.path() / "district");
  ASSERT_TRUE(draft.ok()) << draft.status().ToString();
  EXPECT_EQ(draft->courses, ids.size());
  auto got = Files(out / "district");
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got, Files(scratch_.path() / "district"));
  EXPECT_TRUE(fs::exists(out / "loss-report.json"));
  EXPECT_FALSE(f.header("X-Pathbridge-Loss-Report").empty());

  // The same transcript again: a conflict, and nothing more is logged.
  uint64_t logged = server_->log().Size();
  Fetched again = PostAs(issuer_token_, "/dual-credit/import", testing::ReadFile(Transcript()));
  ExpectProblem(again, 409);
  EXPECT_NE(Str(again.json().at("detail")).find("already issued"), std::string::npos);
  EXPECT_EQ(server_->log().Size(), logged);
  ExpectNoTempFiles();
}

TEST_F(TranslateHttpTest, FailedImportIssuesNothing) {
  uint64_t logged = server_->log().Size();  // the colleges' keys
  Fetched f = PostAs(issuer_token_, "/dual-credit/import", "<CollegeTranscript><truncated");
  ExpectProblem(f, 422);
  EXPECT_NE(Str(f.json().at("detail")).find("input"), std::string::npos) << f.res.body();
  ExpectProblem(PostAs(issuer_token_, "/dual-credit/import?suite=rsa", "x"), 400);
  ExpectProblem(PostAs(issuer_token_, "/dual-credit/import?to=klingon", "x"), 400);
  EXPECT_EQ(server_->log().Size(), logged);
  ExpectNoTempFiles();
}

// The kB of resident memory `pid` uses now (VmRSS), or 0 if it is gone.
uint64_t ResidentKb(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with("VmRSS:")) return std::stoull(line.substr(6));
  return 0;
}

// `pathbridge serve` as its own process, so that only the server's memory is
// measured: a 128 MiB upload (spooled to disk, then refused as not a PESC
// transcript) must not grow its resident memory by more than a fraction of
// the input.
TEST(TranslateServeProcessTest, UploadsDoNotGrowTheServersMemory) {
  TempDir dir;
  std::string data = (dir.path() / "var").string();
  ASSERT_EQ(testing::RunPathbridge("org add --data " + data + " --name RCC rcc").exit_code, 0);
  auto added = testing::RunCommand((testing::BinaryDir() / "gateway/pathbridge").string() +
                                   " clients add --org rcc --scopes translate --data " + data +
                                   " 2>/dev/null");
  ASSERT_EQ(added.exit_code, 0) << added.out;
  auto client = boost::json::parse(added.out).as_object();
  testing::ServeProcess serve("--plain --listen 127.0.0.1:0 --threads 2 --data " + data,
                              dir.path() / "serve.log");
  std::string base = serve.BaseUrl();
  ASSERT_FALSE(base.empty()) << serve.Output();
  std::string pid = std::to_string(serve.pid());
  auto token = testing::RunCommand("curl -s -u '" + Str(client.at("client_id")) + ":" +
                                   Str(client.at("client_secret")) +
                                   "' -d grant_type=client_credentials " + base + "/oauth/token");
  std::string access = Str(boost::json::parse(token.out).at("access_token"));
  ASSERT_FALSE(access.empty()) << token.out;

  fs::path big = dir.path() / "big.bin";
  {
    std::ofstream out(big, std::ios::binary);
    std::string block(1 << 20, 'x');
    for (int i = 0; i < 128; ++i) out << block;
  }
  std::this_thread::sleep_for(200ms);
  uint64_t before = ResidentKb(pid);
  std::atomic<bool> done{false};
  std::atomic<uint64_t> peak{before};
  std::thread sampler([&] {
    while (!done) {
      peak = std::max<uint64_t>(peak, ResidentKb(pid));
      std::this_thread::sleep_for(5ms);
    }
  });
  auto posted =
      testing::RunCommand("curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer " +
                          access + "' --data-binary @" + big.string() + " '" + base +
                          "/translate?from=pesc-college-xml&to=edfi-json'");
  done = true;
  sampler.join();
  serve.Signal(SIGTERM);
  ASSERT_TRUE(serve.WaitForExit(30s)) << serve.Output();
  EXPECT_EQ(posted.out, "422");
  ASSERT_GT(before, 0u);
  EXPECT_LT(peak - before, 16u << 10) << "kB grown during a 128 MiB upload";
  EXPECT_TRUE(fs::is_empty(dir.path() / "var/tmp/http"));
  EXPECT_TRUE(fs::is_empty(dir.path() / "var/tmp/translate"));
}

}  // namespace
}  // namespace pathbridge::gateway
