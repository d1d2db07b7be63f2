// ReadAheadDecoder: runs a Decoder on a thread of its own, a few batches of
// records ahead of the caller, so that decoding and encoding overlap: on two
// cores a translation then takes about as long as the slower of the two
// instead of their sum. It spends no less CPU; it is for a caller that
// waits on one translation (the `pathbridge translate` command), not for a
// server already running one per core.
//
// Order is kept exactly: records come out as the inner decoder made them,
// and each diagnostic it reported comes out on the caller's thread (through
// the DiagnosticFn given here) just before the record it came before, so a
// caller sees the same sequence as without read-ahead. The inner decoder's
// error comes after the records read before it. Its checks across records
// (Decoder::DeferChecks) run on the caller's thread as each record is
// handed out, so an error from one comes where it would without read-ahead.
//
// Memory: at most kBatches batches of kBatchRecords records, reused: their
// strings keep their capacity. NextView() hands out the batch's own records;
// Next() swaps them out, and the caller's back in.
//
// Thread-safety: Next() from one thread at a time. The inner decoder is
// used only by the reading thread once Start() has been called. Destroying
// the ReadAheadDecoder stops that thread (after the batch it is filling:
// BatchPipe, adapters/prefetch.h) and waits for it.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "adapters/adapter.h"
#include "adapters/prefetch.h"

namespace pathbridge::adapters {

class ReadAheadDecoder : public Decoder {
 public:
  static constexpr size_t kBatchRecords = 256;
  // Enough for either thread to ride out the other's pauses (a sort run
  // handed to its thread, a school association written) without stopping:
  // with 4, both threads of a 1 GB edfi-json translation ran at 60-80% of a
  // core; with 32, records go cold in the cache before they are read and
  // both threads spend more CPU (docs/performance.md).
  static constexpr size_t kBatches = 16;

  // `on_diagnostic` receives the inner decoder's diagnostics, on the thread
  // that calls Next().
  explicit ReadAheadDecoder(DiagnosticFn on_diagnostic);
  ~ReadAheadDecoder() override;
  ReadAheadDecoder(const ReadAheadDecoder&) = delete;
  ReadAheadDecoder& operator=(const ReadAheadDecoder&) = delete;

  // What the inner decoder must be opened with (DecodeOptions::on_diagnostic):
  // it passes diagnostics straight on until Start(), and queues them with
  // the records after.
  DiagnosticFn Sink();
  // Starts reading `inner` on a new thread.
  void Start(std::unique_ptr<Decoder> inner);

  pathbridge::Result<bool> Next(canonical::Record* out) override;
  pathbridge::Result<bool> NextView(canonical::Record* scratch, canonical::Record** view) override;
  // What the inner decoder said just after making the record last handed out.
  RecordTypeSet Ended() const override { return ended_; }

 private:
  struct Batch {
    std::vector<canonical::Record> records;  // [0, size) filled
    std::vector<RecordTypeSet> ended;        // the inner decoder's Ended() after each
    size_t size = 0;
    // Each diagnostic with the number of records of this batch made before it.
    std::vector<std::pair<size_t, Diagnostic>> diagnostics;
    bool last = false;             // the input ends (or failed) after this batch
    Status status = Status::Ok();  // on the last batch: the error, if any
  };

  bool Fill(Batch& b);  // reads up to kBatchRecords records into b; false after the last
  void Report(const Diagnostic& d);
  // Hands the caller the diagnostics of current_ made before record `upto`.
  void Deliver(size_t upto);
  // The next record, in current_; nullptr at the end of the input.
  pathbridge::Result<canonical::Record*> Take();

  DiagnosticFn on_diagnostic_;
  std::unique_ptr<Decoder> inner_;
  // After inner_: the reading thread stops before the decoder goes.
  BatchPipe<Batch> pipe_{kBatches, [this](Batch& b) { return Fill(b); }};

  Batch* filling_ = nullptr;         // the reading thread's batch (Report's target)
  std::unique_ptr<Batch> current_;   // the caller's batch
  size_t next_ = 0;                  // its next record
  size_t delivered_ = 0;             // its diagnostics handed on
  bool drained_ = false;             // the last batch has been handed out
  RecordTypeSet ended_ = 0;          // Ended()
};

}  // namespace pathbridge::adapters
