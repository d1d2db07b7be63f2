#include "gateway/translate_routes.h"

#include <boost/json.hpp>
#include <fstream>

#include "adapters/registry.h"
#include "adapters/translate.h"
#include "gateway/auth/org_scope.h"
#include "gateway/auth/scopes.h"
#include "gateway/dual_credit.h"
#include "gateway/problem.h"
#include "standards/time.h"

namespace pathbridge::gateway {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// The loss report's header stays small enough for any client and proxy.
constexpr size_t kMaxLossHeader = 4096;
constexpr char kLossHeader[] = "X-Pathbridge-Loss-Report";

// A job's scratch folder, removed with everything in it however the job ends.
class Scratch {
 public:
  explicit Scratch(fs::path path) : path_(std::move(path)) {}
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  const fs::path& path() const { return path_; }
  Status Make() const {
    std::error_code ec;
    fs::create_directories(path_, ec);
    return ec ? IoError("cannot make a scratch folder: " + ec.message(), path_.string())
              : Status::Ok();
  }

 private:
  fs::path path_;
};

void ReplaceAll(std::string& s, const std::string& from, std::string_view to) {
  if (from.empty()) return;
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

// Server paths out of what reaches the client: the spooled body is
// "input", and scratch files are named relative to their folder.
struct Scrubber {
  std::string body_file;
  fs::path scratch;

  std::string operator()(std::string text) const {
    ReplaceAll(text, body_file, "input");
    ReplaceAll(text, (scratch / "").string(), "");
    return text;
  }
  Status operator()(const Status& s) const {
    return Status(s.code(), (*this)(s.message()), (*this)(s.where()));
  }
};

Response JsonResponse(const json::value& body) {
  Response r;
  r.content_type = "application/json";
  r.body = json::serialize(body);
  return r;
}

// Input errors are the client's to fix (422, with their location);
// limits stay 413, conflicts (an import already done) 409, and the
// server's own failures 500.
Response ErrorResponse(const Status& s, const std::string& request_id) {
  switch (s.code()) {
    case Code::kInvalidArgument:
    case Code::kNotFound:
    case Code::kVerificationFailed:
      return ProblemFromStatus(s, request_id, 422);
    default:
      return ProblemFromStatus(s, request_id);
  }
}

// The full report when it fits in a header, else its summary.
std::string LossHeader(const std::string& full, const adapters::LossReport& report) {
  if (full.size() <= kMaxLossHeader) return full;
  return json::serialize(json::object{{"lossless", report.lossless()},
                                      {"lost_fields", report.lost.size()},
                                      {"warnings", report.warnings},
                                      {"truncated", true}});
}

// Moves `file` out of the scratch folder to be the answer's body (the
// server removes it once sent).
Result<Response> FileAnswer(const fs::path& file, const fs::path& answer,
                            std::string content_type) {
  std::error_code ec;
  fs::rename(file, answer, ec);
  if (ec) return IoError("cannot move the answer: " + ec.message(), answer.string());
  Response r;
  r.content_type = std::move(content_type);
  r.body_file = answer.string();
  return r;
}

std::string QueryOr(const Request& request, const std::string& name, std::string fallback) {
  auto it = request.query.find(name);
  return it == request.query.end() ? std::move(fallback) : it->second;
}

// Unknown formats are the client's mistake in the query: 400.
Result<const adapters::Adapter*> QueryFormat(const Request& request, const std::string& name,
                                             std::string fallback = {}) {
  std::string format = QueryOr(request, name, std::move(fallback));
  if (format.empty()) return InvalidArgument("missing query parameter " + name, name);
  auto adapter = adapters::FindAdapter(format);
  if (!adapter.ok()) return InvalidArgument(adapter.status().message(), name);
  return adapter;
}

// Runs `job` on a worker and replies with what it returns; 503 when full.
void RunOnWorker(Translations& t, const Request& request, Reply reply,
                 std::function<Result<Response>(const Scrubber&)> job) {
  std::string id = request.request_id;
  Scrubber scrub{request.body_file, t.options().work_dir / ("job-" + id)};
  bool queued = t.Submit([job = std::move(job), scrub, id, reply] {
    Result<Response> r = job(scrub);
    reply(r.ok() ? std::move(r).value() : ErrorResponse(scrub(r.status()), id));
  });
  if (!queued) reply(Problem(503, "too many translations in progress; retry later", id));
}

// Whether an adapter writes a folder or a file is only known once it has:
// folders leave as a zip.
bool WritesZipItself(std::string_view format) { return format == "oneroster-csv"; }

Response Formats() {
  json::array list;
  for (const adapters::Adapter* a : adapters::AllAdapters())
    list.push_back(adapters::FormatJson(*a));
  Response r = JsonResponse(json::object{{"formats", std::move(list)}});
  r.headers.emplace_back("Cache-Control", "public, max-age=300");
  return r;
}

// The input as the source adapter reads it: the body itself, or, for a
// folder format sent as a zip, the folder it unpacks to.
Result<fs::path> PrepareInput(const adapters::Adapter& from, const std::string& body_file,
                              const fs::path& scratch, const adapters::UnzipLimits& limits) {
  if (WritesZipItself(from.name())) return fs::path(body_file);  // and reads them too
  PB_ASSIGN_OR_RETURN(bool zip, adapters::LooksLikeZip(body_file));
  if (!zip) return fs::path(body_file);
  fs::path folder = scratch / "input";
  PB_RETURN_IF_ERROR(adapters::UnzipFlat(body_file, folder, "input.zip", limits));
  return folder;
}

// The answer's name beside the scratch folder ("job-<id>" -> "answer-<id>").
fs::path AnswerPath(const Scrubber& scrub) {
  std::string job = scrub.scratch.filename().string();
  return scrub.scratch.parent_path() / ("answer-" + job.substr(job.find('-') + 1));
}

// `out` as one file for the answer: the file itself, or a zip of a folder.
Result<Response> Pack(const fs::path& out, const fs::path& scratch, const Scrubber& scrub,
                      std::string file_type) {
  if (!fs::is_directory(out)) return FileAnswer(out, AnswerPath(scrub), std::move(file_type));
  fs::path zip = scratch / "answer.zip";
  PB_RETURN_IF_ERROR(adapters::ZipFolder(out, zip));
  PB_ASSIGN_OR_RETURN(Response r, FileAnswer(zip, AnswerPath(scrub), "application/zip"));
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"pathbridge.zip\"");
  return r;
}

Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!(out << text) || !(out.close(), out)) return IoError("cannot write", path.string());
  return Status::Ok();
}

struct TranslateJob {
  const adapters::Adapter* from;
  const adapters::Adapter* to;
  bool envelope;  // loss_report=zip: the output and loss-report.json in one zip
};

Result<Response> RunTranslate(const Translations& t, const TranslateJob& job,
                              const Scrubber& scrub) {
  Scratch scratch(scrub.scratch);
  PB_RETURN_IF_ERROR(scratch.Make());
  PB_ASSIGN_OR_RETURN(fs::path input,
                      PrepareInput(*job.from, scrub.body_file, scratch.path(), t.options().unzip));
  fs::path out = scratch.path() / "out";
  fs::path output = out / (WritesZipItself(job.to->name()) ? "output.zip" : "output");
  PB_ASSIGN_OR_RETURN(adapters::LossReport report,
                      adapters::Translate(job.from->name(), job.to->name(), {input}, output));
  std::string full = scrub(json::serialize(report.ToJson()));
  Result<Response> r = Status::Ok();
  if (job.envelope) {
    PB_RETURN_IF_ERROR(WriteText(out / "loss-report.json", full));
    r = Pack(out, scratch.path(), scrub, "");
  } else {
    auto types = job.to->media_types();
    r = Pack(output, scratch.path(), scrub, types.empty() ? "application/octet-stream" : types[0]);
  }
  if (r.ok()) r->headers.emplace_back(kLossHeader, LossHeader(full, report));
  return r;
}

void TranslateHandler(Translations& t, const Request& request, Reply reply) {
  const std::string& id = request.request_id;
  auto from = QueryFormat(request, "from");
  if (!from.ok()) return reply(ProblemFromStatus(from.status(), id));
  auto to = QueryFormat(request, "to");
  if (!to.ok()) return reply(ProblemFromStatus(to.status(), id));
  std::string mode = QueryOr(request, "loss_report", "header");
  if (mode != "header" && mode != "zip")
    return reply(Problem(400, "loss_report: header or zip", id));
  TranslateJob job{*from, *to, mode == "zip"};
  RunOnWorker(t, request, std::move(reply),
              [&t, job](const Scrubber& scrub) { return RunTranslate(t, job, scrub); });
}

Result<Response> RunImport(Translations& t, DualCreditRequest request, const Scrubber& scrub) {
  Scratch scratch(scrub.scratch);
  PB_RETURN_IF_ERROR(scratch.Make());
  request.transcript = scrub.body_file;
  request.output = scratch.path() / "out";
  PB_ASSIGN_OR_RETURN(DualCreditResult result, ImportDualCredit(request, t.issuer(), Now()));
  PB_ASSIGN_OR_RETURN(Response r, Pack(request.output, scratch.path(), scrub, ""));
  r.headers.emplace_back(kLossHeader,
                         LossHeader(scrub(json::serialize(result.loss.ToJson())), result.loss));
  return r;
}

Result<DualCreditRequest> ImportRequest(const Request& request) {
  DualCreditRequest out;
  out.issuer_org = QueryOr(request, "issuer", request.principal ? request.principal->org : "");
  if (out.issuer_org.empty()) return InvalidArgument("missing query parameter issuer", "issuer");
  PB_RETURN_IF_ERROR(auth::RequireOrg(request, out.issuer_org));
  PB_ASSIGN_OR_RETURN(const adapters::Adapter* from, QueryFormat(request, "from", out.from));
  PB_ASSIGN_OR_RETURN(const adapters::Adapter* to, QueryFormat(request, "to", out.to));
  out.from = from->name();
  out.to = to->name();
  auto suite = credentials::ParseIssueSuite(QueryOr(request, "suite", "eddsa-rdfc-2022"));
  if (!suite.ok()) return InvalidArgument(suite.status().message(), "suite");
  out.suite = *suite;
  std::string clr = QueryOr(request, "clr", "false");
  if (clr != "true" && clr != "false") return InvalidArgument("clr: true or false", "clr");
  out.clr = clr == "true";
  return out;
}

void ImportHandler(Translations& t, const Request& request, Reply reply) {
  auto import = ImportRequest(request);
  if (!import.ok()) return reply(ProblemFromStatus(import.status(), request.request_id));
  RunOnWorker(t, request, std::move(reply), [&t, job = std::move(*import)](const Scrubber& scrub) {
    return RunImport(t, job, scrub);
  });
}

}  // namespace

Translations::Translations(TranslationOptions options, credentials::CredentialService& issuer)
    : options_(std::move(options)),
      issuer_(issuer),
      workers_(options_.threads, options_.max_queued) {}

Translations::~Translations() = default;

void AddTranslateRoutes(Router& router, Translations& t) {
  router.Add("GET", "/formats", [](const Request&, Reply reply) { reply(Formats()); });
  router.Add(
      "POST", "/translate",
      [&t](const Request& request, Reply reply) { TranslateHandler(t, request, std::move(reply)); },
      {.query = {"from", "to", "loss_report"},
       .scope = std::string(auth::kScopeTranslate),
       .body_to_file = true,
       .max_file_body_bytes = t.options().max_input_bytes});
  router.Add(
      "POST", "/dual-credit/import",
      [&t](const Request& request, Reply reply) { ImportHandler(t, request, std::move(reply)); },
      {.query = {"issuer", "from", "to", "suite", "clr"},
       .scope = std::string(auth::kScopeCredentialsIssue),
       .body_to_file = true,
       .max_file_body_bytes = t.options().max_transcript_bytes});
}

}  // namespace pathbridge::gateway
