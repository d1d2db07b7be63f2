// Encoding records with the Ed-Fi engine into memory, element by element,
// with a writer that takes elements as text (the encoder's direct path) or
// one that does not (every element checked: encoded as an object, decoded
// back, compared). The direct path's tests and the edfi-json fuzz target
// compare the two.
//
// Thread-safety: EncodeElements may run on several threads at once.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/serialize.hpp>

#include "adapters/edfi_json/engine.h"

namespace pathbridge::adapters::edfi_json {

// Element texts by resource, in the order written.
using Elements = std::map<std::string, std::vector<std::string>, std::less<>>;

struct EncodedElements {
  Status status = Status::Ok();
  Elements elements;
  std::vector<std::string> warnings;  // without the output's path
  size_t as_text = 0;                 // elements that came as text
};

inline EncodedElements EncodeElements(const std::vector<canonical::Record>& records,
                                      bool takes_text, const std::filesystem::path& out) {
  class KeepingWriter : public ElementWriter {
   public:
    KeepingWriter(EncodedElements* e, bool takes_text) : e_(e), takes_text_(takes_text) {}
    // The encoder writes from two threads (engine.h).
    Status Write(std::string_view resource, const boost::json::object& o) override {
      std::string text = boost::json::serialize(o);
      std::lock_guard<std::mutex> lock(mu_);
      Keep(resource).push_back(std::move(text));
      return Status::Ok();
    }
    bool TakesText() const override { return takes_text_; }
    Status WriteText(std::string_view resource, std::string_view json) override {
      std::lock_guard<std::mutex> lock(mu_);
      ++e_->as_text;
      Keep(resource).emplace_back(json);
      return Status::Ok();
    }
    Status Finish() override { return Status::Ok(); }
    std::string FileOf(std::string_view resource) const override {
      return std::string(resource) + ".json";
    }

   private:
    std::vector<std::string>& Keep(std::string_view resource) {
      auto it = e_->elements.find(resource);
      if (it == e_->elements.end()) it = e_->elements.emplace(std::string(resource), std::vector<std::string>{}).first;
      return it->second;
    }
    std::mutex mu_;
    EncodedElements* e_;
    bool takes_text_;
  };

  EncodedElements e;
  EncodeOptions options;
  options.on_diagnostic = [&](const Diagnostic& d) {
    std::string text = d.ToString();
    if (size_t at = text.find(out.string()); at != std::string::npos)
      text.replace(at, out.string().size(), "<out>");
    e.warnings.push_back(std::move(text));
  };
  auto encoder = NewEncoder(out, options, [&](const OutputPath&) {
    return std::make_unique<KeepingWriter>(&e, takes_text);
  });
  if (!encoder.ok()) {
    e.status = encoder.status();
    return e;
  }
  for (const canonical::Record& r : records) {
    e.status = (*encoder)->Write(r);
    if (!e.status.ok()) {
      (*encoder)->Abort();
      return e;
    }
  }
  e.status = (*encoder)->Finish();
  return e;
}

}  // namespace pathbridge::adapters::edfi_json
