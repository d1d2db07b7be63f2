#include "adapters/read_ahead.h"

#include <exception>

namespace pathbridge::adapters {

ReadAheadDecoder::ReadAheadDecoder(DiagnosticFn on_diagnostic)
    : on_diagnostic_(std::move(on_diagnostic)) {}

ReadAheadDecoder::~ReadAheadDecoder() = default;

DiagnosticFn ReadAheadDecoder::Sink() {
  return [this](const Diagnostic& d) { Report(d); };
}

void ReadAheadDecoder::Report(const Diagnostic& d) {
  // Before Start() the caller's own thread is opening the decoder: pass on.
  if (filling_ == nullptr) {
    if (on_diagnostic_) on_diagnostic_(d);
    return;
  }
  filling_->diagnostics.emplace_back(filling_->size, d);
}

void ReadAheadDecoder::Start(std::unique_ptr<Decoder> inner) {
  inner_ = std::move(inner);
  inner_->DeferChecks();  // run by Take(), on the caller's thread
  pipe_.Start();
}

bool ReadAheadDecoder::Fill(Batch& b) {
  b.size = 0;
  b.diagnostics.clear();
  b.last = false;
  b.status = Status::Ok();
  filling_ = &b;
  // Decoders report errors as Status; an exception escaping one (out of
  // memory) must not end the process from this thread.
  try {
    while (b.size < kBatchRecords) {
      if (b.records.size() == b.size) {
        b.records.emplace_back();
        b.ended.emplace_back();
      }
      pathbridge::Result<bool> got = inner_->Next(&b.records[b.size]);
      if (!got.ok() || !*got) {
        b.last = true;
        if (!got.ok()) b.status = got.status();
        break;
      }
      b.ended[b.size++] = inner_->Ended();
    }
  } catch (const std::exception& e) {
    b.last = true;
    b.status = Internal(std::string("decoding failed: ") + e.what());
  }
  filling_ = nullptr;  // b goes to the caller; the reading thread reports nothing more
  return !b.last;
}

void ReadAheadDecoder::Deliver(size_t upto) {
  auto& diagnostics = current_->diagnostics;
  for (; delivered_ < diagnostics.size() && diagnostics[delivered_].first <= upto; ++delivered_)
    if (on_diagnostic_) on_diagnostic_(diagnostics[delivered_].second);
}

pathbridge::Result<bool> ReadAheadDecoder::Next(canonical::Record* out) {
  PB_ASSIGN_OR_RETURN(canonical::Record * record, Take());
  if (record == nullptr) return false;
  std::swap(*out, *record);  // its capacity goes back for reuse
  return true;
}

pathbridge::Result<bool> ReadAheadDecoder::NextView(canonical::Record*, canonical::Record** view) {
  PB_ASSIGN_OR_RETURN(*view, Take());
  return *view != nullptr;
}

pathbridge::Result<canonical::Record*> ReadAheadDecoder::Take() {
  while (true) {
    if (current_ != nullptr) {
      Deliver(next_);
      if (next_ < current_->size) {
        ended_ = current_->ended[next_];
        canonical::Record* record = &current_->records[next_++];
        if (Status checked = inner_->Check(*record); !checked.ok()) {
          drained_ = true;  // an error ends decoding, as one from Next() does
          current_.reset();
          return checked;
        }
        return record;
      }
      if (current_->last) {
        drained_ = true;
        Status s = current_->status;
        current_.reset();
        if (!s.ok()) return s;
        // The reading thread is done with the decoder.
        PB_RETURN_IF_ERROR(inner_->FinishChecks());
        return nullptr;
      }
      pipe_.Give(std::move(current_));
    }
    if (drained_ || inner_ == nullptr) return nullptr;
    current_ = pipe_.Take();
    next_ = delivered_ = 0;
    if (current_ != nullptr) inner_->PrepareChecks({current_->records.data(), current_->size});
  }
}

}  // namespace pathbridge::adapters
