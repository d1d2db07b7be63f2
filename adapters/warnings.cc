#include "adapters/warnings.h"

namespace pathbridge::adapters {

void Warnings::Warn(std::string message, canonical::SourceLocation where) {
  auto [it, first] = repeats_.try_emplace(message, 0);
  if (!first) {
    ++it->second;
    return;
  }
  if (fn_) fn_({Diagnostic::Severity::kWarning, std::move(message), std::move(where)});
}

void Warnings::Summarize(const std::string& file) {
  for (const auto& [msg, n] : repeats_)
    if (n > 0 && fn_)
      fn_({Diagnostic::Severity::kInfo, std::to_string(n) + " more like \"" + msg + "\"",
           {file, 0, 0, ""}});
  repeats_.clear();
}

}  // namespace pathbridge::adapters
