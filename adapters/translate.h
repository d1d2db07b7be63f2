// Translate: decode with one adapter, encode with another, through the
// canonical model, one record at a time, and report what the target format
// could not carry (the LossReport).
//
// Memory: Translate holds one record at a time plus the report (bounded: per
// field path a count and at most kMaxLossExamples examples). Decoders hold one
// record; encoders may buffer on disk, never records in memory (see
// adapter.h): e.g. OneRoster CSV writes one temp file per entity and joins
// them into the bundle on Finish().
//
// Thread-safety: a call runs on the caller's thread; LossReport is a value.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "adapters/adapter.h"

namespace pathbridge::adapters {

inline constexpr size_t kMaxLossExamples = 3;

// Identifies a record in the report without its values (no PII).
struct LossExample {
  std::string record_id;
  canonical::SourceLocation where;
};

struct LossReport {
  std::string from, to;
  struct TypeCounts {
    uint64_t read = 0;
    uint64_t written = 0;
    uint64_t dropped = 0;  // the target does not carry the record type
  };
  std::map<std::string, TypeCounts, std::less<>> records;  // by record type
  struct FieldLoss {
    uint64_t records = 0;  // how many records had a value the target dropped
    std::vector<LossExample> examples;  // at most kMaxLossExamples
  };
  // By field path ("person.role"), or by record type for dropped records.
  std::map<std::string, FieldLoss, std::less<>> lost;
  uint64_t warnings = 0;

  bool lossless() const { return lost.empty(); }
  // {"from","to","lossless","records":{type:{read,written,dropped}},
  //  "lost":{path:{"records":n,"examples":[{"id","at"}]}},"warnings":n}
  boost::json::object ToJson() const;
};

struct TranslateOptions {
  DiagnosticFn on_diagnostic;
  // Called every `progress_every` records with the number read so far.
  std::function<void(uint64_t records)> on_progress;
  uint64_t progress_every = 10000;
  size_t max_record_bytes = 1u << 20;
  FormatParams encode_params;  // the target format's settings (EncodeOptions::params)
  // Decode on a thread of its own, ahead of the encoder (read_ahead.h), and
  // let the encoder end its work (Encoder::EndOfRecords) on another as soon
  // as the decoder says no record it carries will come, while the rest is
  // read: the same output, diagnostics and report in less time. For a
  // caller waiting on one translation, not for a server running many.
  bool read_ahead = false;
};

// Translates `input` from format `from` into `output` in format `to`. On
// error nothing is left at `output` (the encoder is aborted).
pathbridge::Result<LossReport> Translate(std::string_view from, std::string_view to,
                                         const Input& input, const std::filesystem::path& output,
                                         const TranslateOptions& options = {});

// Encodes what `decoder` yields (records of format `from`, already opened by
// the caller) into `output` in format `to`. The report's warnings count only
// the encoder's; the caller adds the decoder's.
pathbridge::Result<LossReport> Translate(Decoder& decoder, std::string_view from,
                                         std::string_view to, const std::filesystem::path& output,
                                         const TranslateOptions& options = {});

// Yields copies of records held in memory: for flows that decode a small
// document once and encode it several ways (the dual-credit import).
class RecordListDecoder : public Decoder {
 public:
  explicit RecordListDecoder(const std::vector<canonical::Record>& records) : records_(records) {}
  pathbridge::Result<bool> Next(canonical::Record* out) override;

 private:
  const std::vector<canonical::Record>& records_;
  size_t next_ = 0;
};

}  // namespace pathbridge::adapters
