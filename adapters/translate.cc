#include "adapters/translate.h"

#include "adapters/registry.h"

namespace pathbridge::adapters {
namespace {

void AddExample(LossReport::FieldLoss& loss, const canonical::RecordBase& base) {
  ++loss.records;
  if (loss.examples.size() < kMaxLossExamples) loss.examples.push_back({base.id, base.source});
}

}  // namespace

void LossReport::Account(const canonical::Record& record, const Capabilities& target) {
  std::string type(canonical::RecordType(record));
  const canonical::RecordBase& base = canonical::Base(record);
  if (!target.CarriesType(type)) {
    ++records[type].dropped;
    AddExample(lost[type], base);
    return;
  }
  for (const std::string& path : canonical::PresentFieldPaths(record))
    if (!target.Carries(path)) AddExample(lost[path], base);
}

boost::json::object LossReport::ToJson() const {
  boost::json::object types;
  for (const auto& [type, c] : records)
    types[type] = {{"read", c.read}, {"written", c.written}, {"dropped", c.dropped}};
  boost::json::object losses;
  for (const auto& [path, loss] : lost) {
    boost::json::array examples;
    for (const LossExample& e : loss.examples)
      examples.push_back({{"id", e.record_id}, {"at", e.where.ToString()}});
    losses[path] = {{"records", loss.records}, {"examples", std::move(examples)}};
  }
  return {{"from", from},           {"to", to},
          {"lossless", lossless()}, {"records", std::move(types)},
          {"lost", std::move(losses)}, {"warnings", warnings}};
}

pathbridge::Result<LossReport> Translate(std::string_view from, std::string_view to,
                                         const Input& input, const std::filesystem::path& output,
                                         const TranslateOptions& options) {
  PB_ASSIGN_OR_RETURN(const Adapter* source, FindAdapter(from));
  PB_ASSIGN_OR_RETURN(const Adapter* target, FindAdapter(to));
  LossReport report;
  report.from = from;
  report.to = to;
  auto count_warnings = [&](const Diagnostic& d) {
    if (d.severity == Diagnostic::Severity::kWarning) ++report.warnings;
    if (options.on_diagnostic) options.on_diagnostic(d);
  };
  DecodeOptions decode{count_warnings, options.max_record_bytes};
  PB_ASSIGN_OR_RETURN(auto decoder, source->OpenDecoder(input, decode));
  PB_ASSIGN_OR_RETURN(auto encoder, target->OpenEncoder(output, EncodeOptions{count_warnings, options.encode_params}));
  uint64_t total = 0;
  Status s = ForEachRecord(*decoder, [&](canonical::Record&& record) -> Status {
    std::string type(canonical::RecordType(record));
    ++report.records[type].read;
    report.Account(record, target->writes());
    if (target->writes().CarriesType(type)) {
      PB_RETURN_IF_ERROR(encoder->Write(record));
      ++report.records[type].written;
    }
    ++total;
    if (options.on_progress && total % options.progress_every == 0) options.on_progress(total);
    return Status::Ok();
  });
  if (s.ok()) s = encoder->Finish();
  if (!s.ok()) {
    encoder->Abort();
    return s;
  }
  if (options.on_progress) options.on_progress(total);
  return report;
}

}  // namespace pathbridge::adapters
