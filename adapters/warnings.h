// Warnings: reports each distinct decoding warning of a file once, then, at
// the end of the file, how often it repeated, so that one odd value in a
// million-row file gives two lines of output, not a million.
//
// Thread-safety: used by one decoder, on one thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "adapters/adapter.h"

namespace pathbridge::adapters {

class Warnings {
 public:
  explicit Warnings(const DiagnosticFn& fn) : fn_(fn) {}
  // `message` identifies "the same" warning within a file.
  void Warn(std::string message, canonical::SourceLocation where);
  // Called at the end of each file: one note per repeated warning.
  void Summarize(const std::string& file);

 private:
  const DiagnosticFn& fn_;
  std::map<std::string, uint64_t> repeats_;
};

}  // namespace pathbridge::adapters
