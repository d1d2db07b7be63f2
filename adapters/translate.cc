#include "adapters/translate.h"

#include "adapters/registry.h"

namespace pathbridge::adapters {
namespace {

void AddExample(LossReport::FieldLoss& loss, const canonical::RecordBase& base) {
  ++loss.records;
  if (loss.examples.size() < kMaxLossExamples) loss.examples.push_back({base.id, base.source});
}

// Finds or adds `key` without building a string when it is already there.
template <typename Map>
typename Map::mapped_type& Slot(Map& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), typename Map::mapped_type{}).first;
  return it->second;
}

}  // namespace

void LossReport::Account(const canonical::Record& record, const Capabilities& target) {
  std::string_view type = canonical::RecordType(record);
  const canonical::RecordBase& base = canonical::Base(record);
  if (!target.CarriesType(type)) {
    ++Slot(records, type).dropped;
    AddExample(Slot(lost, type), base);
    return;
  }
  canonical::ForEachPresentField(record, [&](std::string_view path) {
    if (!target.Carries(path)) AddExample(Slot(lost, path), base);
  });
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
  uint64_t warnings = 0;
  auto count_warnings = [&](const Diagnostic& d) {
    if (d.severity == Diagnostic::Severity::kWarning) ++warnings;
    if (options.on_diagnostic) options.on_diagnostic(d);
  };
  PB_ASSIGN_OR_RETURN(auto decoder,
                      source->OpenDecoder(input, DecodeOptions{count_warnings, options.max_record_bytes}));
  TranslateOptions encode_options = options;
  encode_options.on_diagnostic = count_warnings;
  PB_ASSIGN_OR_RETURN(LossReport report, Translate(*decoder, from, to, output, encode_options));
  report.warnings = warnings;
  return report;
}

pathbridge::Result<LossReport> Translate(Decoder& decoder, std::string_view from,
                                         std::string_view to, const std::filesystem::path& output,
                                         const TranslateOptions& options) {
  PB_ASSIGN_OR_RETURN(const Adapter* target, FindAdapter(to));
  LossReport report;
  report.from = from;
  report.to = to;
  auto count_warnings = [&](const Diagnostic& d) {
    if (d.severity == Diagnostic::Severity::kWarning) ++report.warnings;
    if (options.on_diagnostic) options.on_diagnostic(d);
  };
  EncodeOptions encode;
  encode.on_diagnostic = count_warnings;
  encode.params = options.encode_params;
  PB_ASSIGN_OR_RETURN(auto encoder, target->OpenEncoder(output, encode));
  uint64_t total = 0;
  Status s = ForEachRecord(decoder, [&](canonical::Record&& record) -> Status {
    std::string_view type = canonical::RecordType(record);
    ++Slot(report.records, type).read;
    report.Account(record, target->writes());
    if (target->writes().CarriesType(type)) {
      PB_RETURN_IF_ERROR(encoder->Write(record));
      ++Slot(report.records, type).written;
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

pathbridge::Result<bool> RecordListDecoder::Next(canonical::Record* out) {
  if (next_ == records_.size()) return false;
  *out = records_[next_++];
  return true;
}

}  // namespace pathbridge::adapters
