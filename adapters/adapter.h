// The adapter interface: one implementation per wire format, translating
// between that format and the canonical model (standards/canonical/model.h).
// An Adapter describes the format (name, media types, what it carries) and
// opens Decoders (bytes -> canonical Records, pulled one at a time) and
// Encoders (canonical Records -> bytes, pushed one at a time). Translation
// between any two formats is decode -> canonical -> encode (translate.h).
//
// Streaming contract: a Decoder holds at most one record (plus its own read
// buffer) in memory; an Encoder may buffer on disk (temp files), never whole
// documents' worth of records in memory, unless its header documents
// otherwise and why.
//
// Errors: warnings go to DecodeOptions::on_diagnostic and do not stop the
// run; an error is returned as a Status whose where() is "file:line:column"
// (or "file pointer") and stops it.
//
// Thread-safety: Adapters are immutable and shareable; a Decoder or Encoder
// is used by one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <istream>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <variant>
#include <vector>

#include "standards/canonical/model.h"
#include "standards/status.h"

namespace pathbridge::adapters {

// A non-fatal problem found while reading or writing (an unusual header, a
// non-ISO date that was understood, a column the model has no slot for).
struct Diagnostic {
  enum class Severity { kInfo, kWarning };
  Severity severity = Severity::kWarning;
  std::string message;  // never contains field values that may be PII
  canonical::SourceLocation where;
  std::string ToString() const;  // "where: warning: message"
};
using DiagnosticFn = std::function<void(const Diagnostic&)>;

// The field paths (model.h) a format carries, by record type.
class Capabilities {
 public:
  Capabilities() = default;
  // Adds "type.field" (and so the record type).
  void Add(std::string_view path);
  bool CarriesType(std::string_view record_type) const;
  bool Carries(std::string_view path) const;
  // record type -> its field paths, sorted.
  using Paths = std::set<std::string, std::less<>>;  // transparent: no copy to look up
  const std::map<std::string, Paths, std::less<>>& by_type() const { return by_type_; }

 private:
  // Transparent hashing: the loss report asks about every present field of
  // every record translated, so a lookup must not build a string.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using PathSet = std::unordered_set<std::string, Hash, std::equal_to<>>;

  std::map<std::string, Paths, std::less<>> by_type_;
  PathSet paths_;  // every path of by_type_, for Carries
};

// Where a decoder reads from: a file or folder (a zip or a folder for
// bundle formats), or an already open stream for single-document formats
// (`path` is then only the name used in diagnostics).
struct Input {
  std::filesystem::path path;
  std::istream* stream = nullptr;
};

// Whether `input` is a folder (of documents to list) rather than one
// document (a stream or a file); kNotFound when its path names nothing.
pathbridge::Result<bool> IsFolder(const Input& input);

// The stream to read `input` from: input.stream when it is set, else
// input.path opened into `file` (kIoError "cannot open" naming it).
pathbridge::Result<std::istream*> OpenInput(const Input& input, std::ifstream& file);

// A set of canonical record types: bit i stands for the type at variant
// index i of canonical::Record.
using RecordTypeSet = uint32_t;
static_assert(std::variant_size_v<canonical::Record> <= 32);
inline constexpr RecordTypeSet kAllRecordTypes =
    (RecordTypeSet{1} << std::variant_size_v<canonical::Record>) - 1;
template <typename T>
inline constexpr RecordTypeSet kRecordTypeBit = RecordTypeSet{1} << canonical::kTypeIndex<T>;

struct DecodeOptions {
  DiagnosticFn on_diagnostic;         // may be empty: diagnostics are dropped
  size_t max_record_bytes = 1u << 20;  // one CSV row, one JSON/XML element...
  // What a decoder that checks references or joins records (a OneRoster
  // enrollment's class; an Ed-Fi student with its associations) may keep in
  // memory; beyond it, a sort on disk (reference_check.h, external_sort.h)
  // in a folder of the system's temp folder. Tests make it small to force
  // that.
  size_t sort_memory_bytes = 8u << 20;
  // Record types the caller only counts (a translation's target does not
  // carry them; the loss report counts them, with examples): a decoder may
  // give their records with only their id and source set, reading none of
  // their other values and so warning about none (a OneRoster bundle's
  // gradebook files, translated to Ed-Fi). Others ignore it.
  RecordTypeSet counted_only = 0;
};

// Per-format settings as key=value pairs (`pathbridge translate --option`);
// each format documents the keys it takes, and its encoder refuses any other.
using FormatParams = std::map<std::string, std::string>;

struct EncodeOptions {
  DiagnosticFn on_diagnostic;
  FormatParams params;
  // What an encoder that joins records at its end (a student with its
  // demographics) may hold in memory to sort them; the rest goes to sorted
  // runs on disk (external_sort.h). Tests make it small to force the runs.
  size_t sort_memory_bytes = 8u << 20;
  // Whether those runs may be sorted and written on a thread of their own
  // while the encoder goes on (for a caller waiting on one translation, as
  // read-ahead is: it takes no less CPU).
  bool spill_on_thread = false;
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Reads the next record into *out. Returns true if one was read, false at
  // the end of the input, or an error (which ends decoding).
  virtual pathbridge::Result<bool> Next(canonical::Record* out) = 0;
  // Reads the next record and points *view at it: at `scratch`, filled as
  // Next() fills it, or at a record the decoder holds (read-ahead hands out
  // its batch's records so, saving a swap of every field). The caller may
  // change or move from *view; it is valid until the next call.
  virtual pathbridge::Result<bool> NextView(canonical::Record* scratch, canonical::Record** view) {
    *view = scratch;
    return Next(scratch);
  }
  // The record types none of which will come after the records read so
  // far. A decoder that reads its input in a fixed order (a OneRoster
  // bundle, file by file) knows when a type is done; Translate then lets
  // the encoder do its end-of-input work while the rest is read
  // (Encoder::EndOfRecords). None, unless a decoder knows better.
  virtual RecordTypeSet Ended() const { return 0; }
  // Checks across records that a decoder can run apart from reading them
  // (that an enrollment's class is in the bundle). After DeferChecks(),
  // Next() leaves them out, and whoever takes the records calls Check() on
  // each, in order, and FinishChecks() after the last (an error from either
  // ends decoding there, as from Next(); they report no diagnostics).
  // ReadAheadDecoder defers them to its caller's thread: the reading thread
  // is the slower of the two. A decoder without such checks ignores all
  // three.
  virtual void DeferChecks() {}
  // A hint that Check() is about to be called on each of `records`, in
  // order: the decoder may then have each check start loading what the
  // next few will read, so that their cache misses overlap.
  virtual void PrepareChecks(std::span<const canonical::Record> records) { (void)records; }
  virtual Status Check(const canonical::Record& record) {
    (void)record;
    return Status::Ok();
  }
  virtual Status FinishChecks() { return Status::Ok(); }
};

// Writes to a temp path beside the output; Finish() renames it into place.
// Abort(), or destroying an unfinished Encoder, removes what was written.
class Encoder {
 public:
  virtual ~Encoder() = default;
  // Records of types the format does not carry are skipped (Translate does
  // not send them); fields it does not carry are ignored.
  virtual Status Write(const canonical::Record& record) = 0;
  // No record will be written after this call: the encoder does now what
  // waits on the whole input (joins through sorted runs, closing its
  // files), short of putting the output in place. Translate calls it as
  // soon as the decoder says no record of a type the format carries will
  // come, so that this work overlaps reading the rest (a OneRoster
  // bundle's gradebook files, which Ed-Fi and SIF do not carry). An error
  // from Write() after it. Finish() calls it if nobody did; an encoder
  // with nothing to do at the end need not override it.
  virtual Status EndOfRecords() { return Status::Ok(); }
  // Ends writing (EndOfRecords) and puts the output in place.
  virtual Status Finish() = 0;
  virtual void Abort() = 0;
};

class Adapter {
 public:
  virtual ~Adapter() = default;
  virtual std::string_view name() const = 0;  // "oneroster-csv"
  virtual std::vector<std::string> media_types() const = 0;
  virtual std::string_view description() const = 0;
  // What the decoder can fill in, and what the encoder can write.
  virtual const Capabilities& reads() const = 0;
  virtual const Capabilities& writes() const = 0;

  virtual pathbridge::Result<std::unique_ptr<Decoder>> OpenDecoder(
      const Input& input, const DecodeOptions& options) const = 0;
  // `output` is a file, or a folder for bundle formats (the adapter says).
  virtual pathbridge::Result<std::unique_ptr<Encoder>> OpenEncoder(
      const std::filesystem::path& output, const EncodeOptions& options) const = 0;
};

// Pulls every record from `decoder`, calling fn on each; stops at the first
// error from either.
Status ForEachRecord(Decoder& decoder, const std::function<Status(canonical::Record&&)>& fn);

}  // namespace pathbridge::adapters
