// `pathbridge translate` (any supported format to any other, through the
// canonical model, with a loss report) and `pathbridge formats` (the
// registered adapters and the field paths each carries).
//
// Diagnostics, progress and errors go to stderr: human-readable on a terminal,
// one JSON object per line otherwise, so that scripts can parse them.
#include <unistd.h>

#include <iostream>

#include <boost/json.hpp>

#include "adapters/registry.h"
#include "adapters/translate.h"
#include "gateway/cli_util.h"

namespace pathbridge::gateway {
namespace {

namespace json = boost::json;

struct TranslateArgs {
  std::string from, to, input, output, loss_report;
  std::vector<std::string> options;  // key=value, for the output format
  bool one_thread = false;           // no read-ahead thread
  bool json = false;
};

void PrintDiagnostic(const adapters::Diagnostic& d, bool tty) {
  if (tty) {
    std::cerr << d.ToString() << "\n";
    return;
  }
  json::object o{{"type", "diagnostic"},
                 {"severity", d.severity == adapters::Diagnostic::Severity::kWarning ? "warning"
                                                                                    : "info"},
                 {"at", d.where.ToString()},
                 {"message", d.message}};
  std::cerr << json::serialize(o) << "\n";
}

void PrintProgress(uint64_t records, bool tty) {
  if (tty) {
    std::cerr << "\rtranslated " << records << " records" << std::flush;
    return;
  }
  std::cerr << json::serialize(json::object{{"type", "progress"}, {"records", records}}) << "\n";
}

// Not a terminal: the error is one more JSON line, like the diagnostics.
int FailTranslate(const Status& s, bool tty) {
  if (tty) return Fail(s);
  std::cerr << json::serialize(json::object{{"type", "error"},
                                            {"code", CodeName(s.code())},
                                            {"at", s.where()},
                                            {"message", s.message()}})
            << "\n";
  return ExitCodeFor(s.code());
}

int Translate(const TranslateArgs& a) {
  bool tty = isatty(STDERR_FILENO) != 0;
  adapters::TranslateOptions options;
  options.on_diagnostic = [tty](const adapters::Diagnostic& d) { PrintDiagnostic(d, tty); };
  options.on_progress = [tty](uint64_t n) { PrintProgress(n, tty); };
  // One translation waited on: decode beside the encoder, unless told not
  // to (several translations already sharing the cores).
  options.read_ahead = !a.one_thread;
  for (const std::string& kv : a.options) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return Fail(InvalidArgument("an option is key=value", "--option " + kv));
    options.encode_params[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  auto report = adapters::Translate(a.from, a.to, {a.input}, a.output, options);
  if (tty) std::cerr << "\n";
  if (!report.ok()) return FailTranslate(report.status(), tty);
  std::string text = json::serialize(report->ToJson()) + "\n";
  if (!a.loss_report.empty()) {
    Status s = WriteOutput(a.loss_report, text);
    if (!s.ok()) return Fail(s);
  }
  // A one-line summary; the full report is in --loss-report.
  std::cout << json::serialize(json::object{{"lossless", report->lossless()},
                                            {"lost_fields", report->lost.size()},
                                            {"warnings", report->warnings}})
            << "\n";
  return kExitOk;
}

int Formats(bool as_json) {
  json::array list;
  for (const adapters::Adapter* a : adapters::AllAdapters()) {
    if (!as_json) {
      std::cout << a->name() << "\t" << a->description() << "\n";
      continue;
    }
    list.push_back(adapters::FormatJson(*a));
  }
  if (as_json) std::cout << json::serialize(list) << "\n";
  return kExitOk;
}

}  // namespace

void AddTranslateCommands(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<TranslateArgs>();
  auto* translate = app.add_subcommand(
      "translate", "Translate education data between formats (see 'pathbridge formats')");
  translate->add_option("--from", a->from, "Input format")->required();
  translate->add_option("--to", a->to, "Output format")->required();
  translate->add_option("input", a->input, "Input file or folder")->required();
  translate->add_option("output", a->output, "Output file or folder")->required();
  translate->add_option("--loss-report", a->loss_report,
                        "Write the JSON loss report here (- for standard output)");
  translate->add_option("--option", a->options,
                        "key=value setting of the output format (repeatable; see docs/adapters.md)")
      ->allow_extra_args(false);
  translate->add_flag("--one-thread", a->one_thread,
                      "Decode and encode on one thread (by default the input is decoded on a "
                      "second thread, ahead of the encoder: less time, about 20% more CPU)");
  translate->callback([a, exit_code] { *exit_code = Translate(*a); });

  auto* formats = app.add_subcommand("formats", "List the formats and the fields each carries");
  formats->add_flag("--json", a->json, "JSON, with each format's field paths");
  formats->callback([a, exit_code] { *exit_code = Formats(a->json); });
}

}  // namespace pathbridge::gateway
