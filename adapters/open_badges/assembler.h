// Turns canonical records into Open Badges 3.0 / CLR 2.0 documents in the
// order the ob3 and clr2 encoders write them: an ob3 credential needs its
// course and person, a CLR all of a person's credentials, and records may
// arrive in any order, so catalog records (organizations, courses,
// sessions, definitions) are kept and persons, course results and awards
// wait in a RecordSpool until Finish. The encoder spools to a temp file
// (bounded memory for any input); BuildDocuments keeps a few records in
// memory (one transcript's, for the dual-enrollment import).
//
// Thread-safety: an Assembler and its spool are used by one thread at a time.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "adapters/open_badges/reader.h"
#include "adapters/open_badges/writer.h"
#include "adapters/warnings.h"
#include "standards/canonical/model.h"
#include "standards/status.h"

namespace pathbridge::adapters::open_badges {

// Where waiting records are kept; a handle is what Put returned.
class RecordSpool {
 public:
  virtual ~RecordSpool() = default;
  virtual Result<uint64_t> Put(const canonical::Record& record) = 0;
  virtual Result<canonical::Record> Get(uint64_t handle) = 0;
};

class MemorySpool final : public RecordSpool {
 public:
  Result<uint64_t> Put(const canonical::Record& record) override;
  Result<canonical::Record> Get(uint64_t handle) override;

 private:
  std::vector<canonical::Record> records_;
};

class Assembler {
 public:
  using Emit = std::function<Status(const boost::json::object&)>;

  // `spool` and `warnings` must outlive this; `where` names the output in
  // warnings.
  Assembler(Format format, Settings settings, Warnings& warnings, std::string where,
            RecordSpool& spool)
      : format_(format), warnings_(warnings), where_(std::move(where)), spool_(spool),
        writer_(catalog_, std::move(settings), warnings, where_) {}

  Status Add(const canonical::Record& record);
  // Builds every document, in order, handing each to `emit`.
  Status Finish(const Emit& emit);

 private:
  boost::json::object CredentialFor(const canonical::Record& r, const canonical::Person* person);
  Result<std::optional<canonical::Record>> LoadPerson(const std::string& person_id);
  Status WriteClr(const std::string& person_id, const Emit& emit);
  std::string IssuerOrg(const canonical::Record& r) const;

  Format format_;
  Warnings& warnings_;
  std::string where_;
  RecordSpool& spool_;
  Catalog catalog_;
  CredentialWriter writer_;
  std::unordered_map<std::string, uint64_t> persons_;
  std::unordered_map<std::string, std::vector<uint64_t>> by_person_;
  std::vector<std::string> person_order_;
  std::vector<uint64_t> order_;
  std::set<std::string> referenced_;  // definition ids awards refer to
  std::vector<std::string> unreferenced_;
};

// The documents the ob3 (or clr2) encoder writes for `records`, built in
// memory.
Result<std::vector<boost::json::object>> BuildDocuments(const std::vector<canonical::Record>& records,
                                                        Format format, Settings settings,
                                                        const DiagnosticFn& on_diagnostic,
                                                        std::string where);

}  // namespace pathbridge::adapters::open_badges
