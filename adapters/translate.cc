#include "adapters/translate.h"

#include <array>
#include <exception>
#include <thread>
#include <variant>

#include "adapters/read_ahead.h"
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

// Fills a LossReport one record at a time. This runs for every field of
// every record translated, so what it looks up by name (the record type's
// counts, whether the target carries a field, the field's loss entry) it
// looks up once per record type and keeps by variant and field index
// (std::map nodes do not move).
class LossCounter {
 public:
  LossCounter(LossReport& report, const Capabilities& target) : report_(report), target_(target) {}

  // Counts `record` as read and its fields (or the record, if its type is
  // not carried) that the target cannot write; true if the target carries
  // the record's type.
  bool Read(const canonical::Record& record) {
    TypeSlots& t = SlotsOf(record);
    ++t.counts->read;
    const canonical::RecordBase& base = canonical::Base(record);
    if (!t.carried) {
      ++t.counts->dropped;
      if (t.lost_record == nullptr) t.lost_record = &Slot(report_.lost, canonical::RecordType(record));
      AddExample(*t.lost_record, base);
      return false;
    }
    if (t.uncarried == 0 && t.paths->size() <= 64) return true;
    std::visit(
        [&](const auto& rec) {
          canonical::ForEachPresentFieldIndexOf(rec, t.uncarried, [&](size_t i) {
            if (t.carries_field[i]) return;
            if (t.lost[i] == nullptr) t.lost[i] = &Slot(report_.lost, (*t.paths)[i]);
            AddExample(*t.lost[i], base);
          });
        },
        record);
    return true;
  }
  void Written(const canonical::Record& record) { ++SlotsOf(record).counts->written; }

 private:
  struct TypeSlots {
    LossReport::TypeCounts* counts = nullptr;  // nullptr until the type is first seen
    bool carried = false;
    const std::vector<std::string>* paths = nullptr;
    std::vector<bool> carries_field;
    uint64_t uncarried = 0;  // bit i: field i (of the first 64) is not carried
    std::vector<LossReport::FieldLoss*> lost;  // made on the field's first loss
    LossReport::FieldLoss* lost_record = nullptr;  // the type's entry, if it is not carried
  };

  TypeSlots& SlotsOf(const canonical::Record& record) {
    TypeSlots& t = types_[record.index()];
    if (t.counts != nullptr) return t;
    std::string_view type = canonical::RecordType(record);
    t.counts = &Slot(report_.records, type);
    t.carried = target_.CarriesType(type);
    t.paths = &canonical::FieldPathsOf(record.index());
    for (const std::string& path : *t.paths) {
      size_t i = t.carries_field.size();
      t.carries_field.push_back(target_.Carries(path));
      if (i < 64 && !t.carries_field.back()) t.uncarried |= uint64_t{1} << i;
    }
    t.lost.assign(t.paths->size(), nullptr);
    return t;
  }

  LossReport& report_;
  const Capabilities& target_;
  std::array<TypeSlots, std::variant_size_v<canonical::Record>> types_;
};

// The record types `target` carries.
RecordTypeSet CarriedTypes(const Capabilities& target) {
  RecordTypeSet carried = 0;
  const std::vector<std::string_view>& types = canonical::RecordTypes();
  for (size_t i = 0; i < types.size(); ++i)
    if (target.CarriesType(types[i])) carried |= RecordTypeSet{1} << i;
  return carried;
}

// Runs an encoder's EndOfRecords() on a thread of its own; joined at the
// latest when destroyed (an exception leaving Translate).
class EndingThread {
 public:
  ~EndingThread() {
    if (thread_.joinable()) thread_.join();
  }
  bool started() const { return thread_.joinable() || joined_; }
  void Start(Encoder& encoder) {
    thread_ = std::thread([this, &encoder] {
      try {
        status_ = encoder.EndOfRecords();
      } catch (const std::exception& e) {  // out of memory: not across the thread
        status_ = Internal(std::string("encoding failed: ") + e.what());
      }
    });
  }
  Status Join() {
    thread_.join();
    joined_ = true;
    return status_;
  }

 private:
  std::thread thread_;
  bool joined_ = false;
  Status status_ = Status::Ok();
};

}  // namespace

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
  uint64_t warnings = 0;
  auto count_warnings = [&](const Diagnostic& d) {
    if (d.severity == Diagnostic::Severity::kWarning) ++warnings;
    if (options.on_diagnostic) options.on_diagnostic(d);
  };
  // With read-ahead the decoder reports to it, and it hands diagnostics on.
  auto ahead = options.read_ahead ? std::make_unique<ReadAheadDecoder>(count_warnings) : nullptr;
  DiagnosticFn sink = ahead ? ahead->Sink() : DiagnosticFn(count_warnings);
  // The records of types the target does not carry are only counted.
  DecodeOptions decode{sink, options.max_record_bytes};
  decode.counted_only = kAllRecordTypes & ~CarriedTypes(target->writes());
  PB_ASSIGN_OR_RETURN(std::unique_ptr<Decoder> decoder, source->OpenDecoder(input, decode));
  if (ahead) {
    ahead->Start(std::move(decoder));
    decoder = std::move(ahead);
  }
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
  // While the encoder ends beside the reading, its diagnostics wait, so
  // that they come after the decoder's as they would without.
  std::vector<Diagnostic> held;
  bool holding = false;
  auto count_warnings = [&](const Diagnostic& d) {
    if (holding) {
      held.push_back(d);
      return;
    }
    if (d.severity == Diagnostic::Severity::kWarning) ++report.warnings;
    if (options.on_diagnostic) options.on_diagnostic(d);
  };
  EncodeOptions encode;
  encode.on_diagnostic = count_warnings;
  encode.params = options.encode_params;
  encode.spill_on_thread = options.read_ahead;
  PB_ASSIGN_OR_RETURN(auto encoder, target->OpenEncoder(output, encode));
  LossCounter losses(report, target->writes());
  // With a second thread allowed, once no record the target carries can
  // come, the encoder ends its work (EndOfRecords) on a thread of its own
  // while the rest of the input is read for the loss report.
  const RecordTypeSet carried = CarriedTypes(target->writes());
  EndingThread ending;
  uint64_t total = 0;
  Status s = ForEachRecord(decoder, [&](canonical::Record&& record) -> Status {
    if (losses.Read(record)) {
      if (ending.started())
        return Internal("a " + std::string(canonical::RecordType(record)) +
                            " record came after its decoder said none would",
                        canonical::Base(record).source.ToString());
      PB_RETURN_IF_ERROR(encoder->Write(record));
      losses.Written(record);
    }
    if (options.read_ahead && !ending.started() && (decoder.Ended() & carried) == carried) {
      holding = true;
      ending.Start(*encoder);
    }
    ++total;
    if (options.on_progress && total % options.progress_every == 0) options.on_progress(total);
    return Status::Ok();
  });
  if (ending.started()) {
    Status ended = ending.Join();
    holding = false;
    for (const Diagnostic& d : held) count_warnings(d);
    if (s.ok()) s = ended;
  }
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
