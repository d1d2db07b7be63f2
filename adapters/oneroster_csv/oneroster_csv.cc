// The oneroster-csv adapter: OneRoster 1.1/1.2 CSV bundles (folder or zip)
// in, OneRoster 1.2 CSV bundles out.
//
// Decoding streams the files in dependency order (orgs, academicSessions,
// courses, classes, users, demographics, roles, enrollments, categories,
// lineItems, results), one row at a time, honouring manifest.csv
// (file.<name> = bulk | delta | absent). Headers are matched exactly, then
// case-insensitively, then by edit distance (misspellings such as
// "prefferedGivenName"), with a warning; unknown columns become extensions.
// Each distinct warning is reported once per file with a count of repeats.
// An enrollment naming a class or org absent from a bundle that has
// that file in full is an error (the decoder keeps the ids it has read).
//
// Encoding writes one temp file per entity (rows plus their extension
// name/value pairs) and on Finish() rewrites each into its final CSV with
// the 1.2 header order followed by the extension columns seen, writes
// manifest.csv, then renames the folder (or a zip of it) into place. Memory
// holds the set of extension column names per file, never records.
#include <fstream>
#include <map>
#include <set>

#include "adapters/oneroster_csv/bundle.h"
#include "adapters/oneroster_csv/columns.h"
#include "adapters/oneroster_csv/csv.h"
#include "adapters/output_path.h"
#include "adapters/reference_check.h"
#include "adapters/registry.h"
#include "adapters/warnings.h"

namespace pathbridge::adapters::oneroster_csv {
namespace {

namespace fs = std::filesystem;
using namespace canonical;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diag = up;
    }
  }
  return row[b.size()];
}

// "';' (semicolon)", for a message about a header split on the wrong byte.
std::string DelimiterName(char c) {
  switch (c) {
    case ';': return "';' (semicolon)";
    case '\t': return "a tab";
    default: return std::string("'") + c + "'";
  }
}

// Sets what a record's type needs from the file it came from.
template <typename T>
void Complete(T&, std::string_view) {}
void Complete(Enrollment& e, std::string_view file) {
  e.kind = file == "roles" ? EnrollmentKind::kOrganization : EnrollmentKind::kSection;
}

// Reads one entity file.
class FileReader {
 public:
  virtual ~FileReader() = default;
  virtual pathbridge::Result<bool> Next(Record* out) = 0;
};

// Empties a record for the next row, keeping its strings' capacity.
template <typename T>
void Reset(T& r) {
  T::Fields(r, [](std::string_view, auto& member) {
    using M = std::decay_t<decltype(member)>;
    // Containers are cleared, not replaced: they keep their capacity for
    // the next row.
    if constexpr (requires { member.clear(); }) member.clear();
    else member = M{};
  });
  r.source.pointer.clear();
}

template <typename T>
class TableReader : public FileReader {
 public:
  TableReader(const FileSpec<T>& spec, std::unique_ptr<std::istream> in, std::string display,
              const DecodeOptions& options, Warnings& warnings)
      : spec_(spec),
        in_(std::move(in)),
        csv_(*in_, display, options.max_record_bytes),
        display_(std::move(display)),
        warnings_(warnings),
        counted_only_((options.counted_only & kRecordTypeBit<T>) != 0) {}

  Status ReadHeader() {
    std::vector<std::string> headers;
    PB_ASSIGN_OR_RETURN(bool any, csv_.Next(&headers, &positions_));
    if (!any) return InvalidArgument("empty file: no header row", display_ + ":1:1");
    if (headers.size() == 1) {
      size_t at = headers[0].find_first_of(";\t|");
      if (at != std::string::npos)
        return InvalidArgument(DelimiterName(headers[0][at]) +
                                   " used as the delimiter; OneRoster CSV requires ',' (comma)",
                               csv_.Where({1, at + 1}));
    }
    std::set<const Column<T>*> bound;
    for (size_t i = 0; i < headers.size(); ++i) {
      const Column<T>* col = Match(headers[i], positions_[i], bound);
      if (col != nullptr) bound.insert(col);
      if (col != nullptr && col->text == &RecordBase::id) id_column_ = i;
      columns_.push_back({col, headers[i]});
    }
    for (std::string_view req : spec_.required) {
      bool found = false;
      for (const Column<T>* c : bound) found = found || c->header == req;
      if (!found)
        return InvalidArgument("missing required column '" + std::string(req) + "'",
                               csv_.Where({1, 1}));
    }
    return Status::Ok();
  }

  pathbridge::Result<bool> Next(Record* out) override {
    // A row of a type the caller only counts (DecodeOptions::counted_only)
    // gives its id and place: no other cell is kept, read or checked.
    const bool counted = counted_only_ && id_column_ != SIZE_MAX;
    PB_ASSIGN_OR_RETURN(bool any, counted ? csv_.Next(&cells_, &positions_, id_column_ + 1)
                                          : csv_.Next(&cells_, &positions_));
    if (!any) {
      warnings_.Summarize(display_);
      return false;
    }
    // The previous row's record is refilled: its strings keep their
    // capacity, so a row costs no allocation for values it had before.
    T* rec = std::get_if<T>(out);
    if (rec == nullptr) rec = &out->template emplace<T>();
    else Reset(*rec);
    rec->source.file.assign(display_);
    rec->source.line = positions_[0].line;
    rec->source.column = positions_[0].column;
    if (!counted) ReadCells(*rec);
    else if (id_column_ < cells_.size()) rec->id = std::move(cells_[id_column_]);
    if (rec->id.empty())
      return InvalidArgument("row has an empty sourcedId", csv_.Where(positions_[0]));
    Complete(*rec, spec_.name);
    return true;
  }

 private:
  // Reads the row's cells into `rec`, by their columns.
  void ReadCells(T& rec) {
    std::vector<std::string>& cells = cells_;
    if (cells.size() > columns_.size()) {
      for (size_t i = columns_.size(); i < cells.size(); ++i)
        if (!cells[i].empty())
          Warn("row", "more fields than the header has columns; extra fields ignored",
               positions_[i]);
    }
    for (size_t i = 0; i < columns_.size() && i < cells.size(); ++i) {
      if (cells[i].empty()) continue;
      const auto& [col, header] = columns_[i];
      if (col == nullptr) {
        if (!header.empty()) rec.extensions[header] = cells[i];
      } else if (!col->read) {
        Warn(header, "passwords are never carried; column dropped", positions_[i]);
      } else if (col->text != nullptr && (col->as_is == nullptr || col->as_is(cells[i]))) {
        // A move gives the cell the record's old buffer (emptied) as a swap
        // would, for a third of swap's instructions.
        rec.*(col->text) = std::move(cells[i]);
      } else {
        cell_ = i;
        col->read(rec, cells[i], warn_);
      }
    }
  }

  using Position = csv::Position;

  void Warn(const std::string& header, std::string msg, Position p) {
    warnings_.Warn("column '" + header + "': " + std::move(msg), {display_, p.line, p.column, ""});
  }

  // The column a header names, or nullptr for an extension column.
  const Column<T>* Match(const std::string& h, Position p, const std::set<const Column<T>*>& bound) {
    auto names = [](const Column<T>& c) {
      std::vector<std::string_view> n{c.header};
      n.insert(n.end(), c.aliases.begin(), c.aliases.end());
      return n;
    };
    for (const auto& c : spec_.columns)
      for (std::string_view n : names(c))
        if (n == h) return Bind(&c, h, p, bound, "");
    for (const auto& c : spec_.columns)
      for (std::string_view n : names(c))
        if (Lower(n) == Lower(h)) return Bind(&c, h, p, bound, "letter case differs");
    if (h.size() >= 8) {
      for (const auto& c : spec_.columns)
        if (!bound.count(&c) && EditDistance(Lower(c.header), Lower(h)) <= 2)
          return Bind(&c, h, p, bound, "misspelled header");
    }
    if (h.empty()) {
      Warn("", "column without a header ignored", p);
    } else if (!h.starts_with("metadata.") && !h.starts_with("ext")) {
      Warn(h, "not a OneRoster column; kept as an extension", p);
    }
    return nullptr;
  }

  const Column<T>* Bind(const Column<T>* c, const std::string& h, Position p,
                        const std::set<const Column<T>*>& bound, std::string_view why) {
    if (bound.count(c)) {
      Warn(h, "duplicate column; kept as an extension", p);
      return nullptr;
    }
    if (!why.empty()) Warn(h, std::string(why) + "; read as '" + std::string(c->header) + "'", p);
    return c;
  }

  const FileSpec<T>& spec_;
  std::unique_ptr<std::istream> in_;
  csv::Reader csv_;
  std::string display_;
  Warnings& warnings_;
  std::vector<std::pair<const Column<T>*, std::string>> columns_;
  std::vector<Position> positions_;
  std::vector<std::string> cells_;  // the last row's, reused
  const bool counted_only_;         // rows give only their id and place (Next)
  size_t id_column_ = SIZE_MAX;     // the sourcedId column
  size_t cell_ = 0;                 // the cell being read, for warn_
  // Made once: a std::function made per cell from a lambda of three
  // captures would allocate for every cell read.
  const WarnFn warn_ = [this](std::string msg) {
    Warn(columns_[cell_].second, std::move(msg), positions_[cell_]);
  };
};

// The files pathbridge reads, in dependency order, and how to open each.
struct FileEntry {
  std::string_view name;
  RecordTypeSet type;  // of its records
  std::function<std::unique_ptr<FileReader>(std::unique_ptr<std::istream>, std::string,
                                            const DecodeOptions&, Warnings&, Status*)>
      open;
};

template <typename T>
FileEntry Entry(const FileSpec<T>& spec) {
  return {spec.name, kRecordTypeBit<T>,
          [&spec](std::unique_ptr<std::istream> in, std::string display, const DecodeOptions& o,
                  Warnings& w, Status* s) {
            auto r = std::make_unique<TableReader<T>>(spec, std::move(in), std::move(display), o, w);
            *s = r->ReadHeader();
            return std::unique_ptr<FileReader>(std::move(r));
          }};
}

const std::vector<FileEntry>& Files() {
  static const std::vector<FileEntry> kFiles{
      Entry(OrgsFile()),      Entry(AcademicSessionsFile()), Entry(CoursesFile()),
      Entry(ClassesFile()),   Entry(UsersFile()),            Entry(DemographicsFile()),
      Entry(RolesFile()),     Entry(EnrollmentsFile()),      Entry(CategoriesFile()),
      Entry(LineItemsFile()), Entry(ResultsFile())};
  return kFiles;
}

class BundleDecoder : public Decoder {
 public:
  BundleDecoder(std::unique_ptr<BundleReader> bundle, DecodeOptions options)
      : bundle_(std::move(bundle)), options_(std::move(options)), warnings_(options_.on_diagnostic),
        references_(options_.sort_memory_bytes, [](uint8_t kind, std::string_view id) {
          return "enrollment refers to '" + std::string(id) + "', which is not in " +
                 std::string(kKnown[kind].file) + ".csv";
        }) {}

  Status ReadManifest() {
    auto it = bundle_->files().find("manifest.csv");
    if (it == bundle_->files().end()) {
      Warn("no manifest.csv; reading every file present", {});
      return Status::Ok();
    }
    PB_ASSIGN_OR_RETURN(auto in, bundle_->OpenFile("manifest.csv"));
    csv::Reader reader(*in, it->second, options_.max_record_bytes);
    std::vector<std::string> row;
    std::vector<csv::Position> pos;
    PB_ASSIGN_OR_RETURN(bool any, reader.Next(&row, &pos));  // propertyName,value
    while (any) {
      PB_ASSIGN_OR_RETURN(any, reader.Next(&row, &pos));
      if (any && row.size() >= 2 && row[0].starts_with("file."))
        manifest_[Lower(row[0].substr(5))] = Lower(row[1]);
    }
    std::set<std::string> known;
    for (const FileEntry& f : Files()) known.insert(Lower(f.name) + ".csv");
    for (const auto& [lower, display] : bundle_->files())
      if (!known.count(lower) && lower != "manifest.csv")
        Warn("file is not translated by pathbridge", {display, 0, 0, ""});
    return Status::Ok();
  }

  pathbridge::Result<bool> Next(Record* out) override {
    while (true) {
      if (current_ != nullptr) {
        PB_ASSIGN_OR_RETURN(bool got, current_->Next(out));
        if (got) {
          if (!defer_checks_) PB_RETURN_IF_ERROR(CheckReferences(*out));
          return true;
        }
        current_.reset();
      }
      if (next_file_ == Files().size()) {
        ended_ = kAllRecordTypes;
        if (!defer_checks_) PB_RETURN_IF_ERROR(references_.Finish());
        return false;
      }
      ended_ = kAllRecordTypes & ~TypesFrom(next_file_);
      PB_RETURN_IF_ERROR(OpenFile(Files()[next_file_++]));
    }
  }

  // The files are read in Files() order: the types of the ones before the
  // file being read are done, unless a later file holds them too (roles
  // and enrollments are both enrollments).
  RecordTypeSet Ended() const override { return ended_; }

  // The reference checks, when deferred, run on the caller's thread:
  // references_ is then the caller's alone, and complete_ is set when
  // orgs.csv and classes.csv are opened, before any enrollment is read.
  void DeferChecks() override { defer_checks_ = true; }
  void PrepareChecks(std::span<const Record> records) override {
    planned_.clear();
    for (const Record& r : records)
      if (const auto* e = std::get_if<Enrollment>(&r))
        ForEachReference(*e, [&](uint8_t k, const std::string& id) { planned_.push_back({k, id}); });
    references_.Plan(planned_);
  }
  Status Check(const Record& r) override { return CheckReferences(r); }
  Status FinishChecks() override { return references_.Finish(); }

 private:
  static RecordTypeSet TypesFrom(size_t file) {
    RecordTypeSet types = 0;
    for (size_t i = file; i < Files().size(); ++i) types |= Files()[i].type;
    return types;
  }

  Status OpenFile(const FileEntry& f) {
    std::string lower = Lower(f.name) + ".csv";
    auto listed = manifest_.find(Lower(f.name));
    std::string mode = listed == manifest_.end() ? "" : listed->second;
    auto present = bundle_->files().find(lower);
    if (present == bundle_->files().end()) {
      if (mode == "bulk" || mode == "delta")
        Warn("manifest lists " + std::string(f.name) + ".csv as " + mode + " but it is missing", {});
      return Status::Ok();
    }
    if (mode == "absent") {
      Warn("file present but the manifest says absent; skipped", {present->second, 0, 0, ""});
      return Status::Ok();
    }
    PB_ASSIGN_OR_RETURN(auto in, bundle_->OpenFile(lower));
    // A delta file need not repeat the records others refer to.
    for (size_t k = 0; k < std::size(kKnown); ++k)
      if (kKnown[k].file == f.name && mode != "delta") complete_[k] = true;
    Status s;
    current_ = f.open(std::move(in), present->second, options_, warnings_, &s);
    if (!s.ok()) current_.reset();
    return s;
  }

  // An enrollment's class and organization must be in the bundle when
  // their files were read in full (they come earlier in Files() order).
  Status CheckReferences(const Record& r) {
    if (const auto* s = std::get_if<canonical::Section>(&r)) return references_.Define(kClasses, s->id);
    if (const auto* o = std::get_if<Organization>(&r)) return references_.Define(kOrgs, o->id);
    const auto* e = std::get_if<Enrollment>(&r);
    if (e == nullptr) return Status::Ok();
    Status s = Status::Ok();
    ForEachReference(*e, [&](uint8_t k, const std::string& id) {
      if (s.ok()) s = references_.Refer(k, id, e->source);
    });
    return s;
  }

  // The references of `e` checked: its class and organization, once their
  // files were read in full. Users are not checked: translating to a format
  // with students only (SIF, Ed-Fi) and back keeps enrollments whose users
  // were not students.
  template <typename Fn>
  void ForEachReference(const Enrollment& e, Fn&& fn) const {
    if (complete_[kClasses] && !e.section_id.empty()) fn(kClasses, e.section_id);
    if (complete_[kOrgs] && !e.org_id.empty()) fn(kOrgs, e.org_id);
  }

  void Warn(std::string msg, SourceLocation where) {
    if (options_.on_diagnostic)
      options_.on_diagnostic({Diagnostic::Severity::kWarning, std::move(msg), std::move(where)});
  }

  std::unique_ptr<BundleReader> bundle_;
  DecodeOptions options_;
  Warnings warnings_;
  std::map<std::string, std::string> manifest_;  // lower-cased file name -> mode
  size_t next_file_ = 0;
  RecordTypeSet ended_ = kAllRecordTypes & ~TypesFrom(0);
  std::unique_ptr<FileReader> current_;
  // The records enrollments refer to, by kind: the file they come from, and
  // whether it was read in full; their ids are in references_.
  static constexpr uint8_t kClasses = 0, kOrgs = 1;
  struct Known {
    std::string_view file;
  };
  static constexpr Known kKnown[] = {{"classes"}, {"orgs"}};
  bool complete_[2] = {false, false};
  ReferenceCheck references_;
  bool defer_checks_ = false;  // DeferChecks() was called
  std::vector<ReferenceCheck::Reference> planned_;  // PrepareChecks' batch, for Plan; reused
};

// Writes one entity file: rows go to a temp file first, because the
// extension columns are known only after the last record.
class FileWriter {
 public:
  virtual ~FileWriter() = default;
  virtual std::string_view name() const = 0;
  virtual uint64_t rows() const = 0;
  // Writes the final CSV to `path`.
  virtual Status Finish(const fs::path& path) = 0;
};

template <typename T>
class TableWriter : public FileWriter {
 public:
  TableWriter(const FileSpec<T>& spec, const fs::path& dir)
      : spec_(spec), rows_path_(dir / (std::string(spec.name) + ".rows")),
        out_(rows_path_, std::ios::binary), csv_(out_) {
    for (const auto& c : spec_.columns) {
      spec_headers_.insert(std::string(c.header));
      for (auto a : c.aliases) spec_headers_.insert(std::string(a));
    }
  }
  std::string_view name() const override { return spec_.name; }
  uint64_t rows() const override { return rows_; }

  Status Write(const T& r) {
    std::vector<std::string> row;
    for (const auto& c : spec_.columns) {
      if (c.read_only) continue;
      std::string cell = c.write(r);
      auto kept = r.extensions.find(std::string(c.header));
      if (cell.empty() && kept != r.extensions.end()) cell = kept->second;
      row.push_back(std::move(cell));
    }
    for (const auto& [name, value] : r.extensions) {
      if (spec_headers_.count(name)) continue;
      ext_names_.insert(name);
      row.push_back(name);
      row.push_back(value);
    }
    csv_.Write(row);
    ++rows_;
    return out_ ? Status::Ok() : IoError("cannot write", rows_path_.string());
  }

  Status Finish(const fs::path& path) override {
    out_.close();
    if (!out_) return IoError("cannot write", rows_path_.string());
    std::ifstream in(rows_path_, std::ios::binary);
    std::ofstream out(path, std::ios::binary);
    csv::Writer writer(out);
    std::vector<std::string> header;
    for (const auto& c : spec_.columns)
      if (!c.read_only) header.emplace_back(c.header);
    size_t fixed = header.size();
    std::map<std::string, size_t> ext_index;
    for (const std::string& n : ext_names_) {
      ext_index[n] = header.size();
      header.push_back(n);
    }
    writer.Write(header);
    csv::Reader reader(in, rows_path_.string(), SIZE_MAX);
    std::vector<std::string> row;
    std::vector<csv::Position> pos;
    while (true) {
      PB_ASSIGN_OR_RETURN(bool any, reader.Next(&row, &pos));
      if (!any) break;
      std::vector<std::string> cells(row.begin(), row.begin() + fixed);
      cells.resize(header.size());
      for (size_t i = fixed; i + 1 < row.size(); i += 2) cells[ext_index.at(row[i])] = row[i + 1];
      writer.Write(cells);
    }
    fs::remove(rows_path_);
    return out.flush() ? Status::Ok() : IoError("cannot write", path.string());
  }

 private:
  const FileSpec<T>& spec_;
  fs::path rows_path_;
  std::ofstream out_;
  csv::Writer csv_;
  std::set<std::string> spec_headers_;
  std::set<std::string> ext_names_;
  uint64_t rows_ = 0;
};

class BundleEncoder : public Encoder {
 public:
  // A zip is made of a bundle folder among the scratch files.
  BundleEncoder(std::unique_ptr<OutputPath> out, bool zip)
      : out_(std::move(out)), zip_(zip), dir_(zip ? out_->work() / "bundle" : out_->temp()) {
    fs::create_directories(dir_);
    orgs_ = Add(OrgsFile());
    sessions_ = Add(AcademicSessionsFile());
    courses_ = Add(CoursesFile());
    classes_ = Add(ClassesFile());
    users_ = Add(UsersFile());
    demographics_ = Add(DemographicsFile());
    roles_ = Add(RolesFile());
    enrollments_ = Add(EnrollmentsFile());
    categories_ = Add(CategoriesFile());
    line_items_ = Add(LineItemsFile());
    results_ = Add(ResultsFile());
  }
  Status Write(const Record& record) override {
    return std::visit(
        [&](const auto& r) -> Status {
          using T = std::remove_cvref_t<decltype(r)>;
          if constexpr (std::is_same_v<T, Organization>) return orgs_->Write(r);
          else if constexpr (std::is_same_v<T, AcademicSession>) return sessions_->Write(r);
          else if constexpr (std::is_same_v<T, Course>) return courses_->Write(r);
          else if constexpr (std::is_same_v<T, Section>) return classes_->Write(r);
          else if constexpr (std::is_same_v<T, Person>) return users_->Write(r);
          else if constexpr (std::is_same_v<T, Demographics>) return demographics_->Write(r);
          else if constexpr (std::is_same_v<T, Enrollment>)
            return IsSectionEnrollment(r) ? enrollments_->Write(r) : roles_->Write(r);
          else if constexpr (std::is_same_v<T, Category>) return categories_->Write(r);
          else if constexpr (std::is_same_v<T, LineItem>) return line_items_->Write(r);
          else if constexpr (std::is_same_v<T, LineItemResult>) return results_->Write(r);
          else return Status::Ok();  // not carried by OneRoster CSV
        },
        record);
  }

  Status Finish() override {
    std::vector<std::pair<std::string, fs::path>> written;
    std::set<std::string_view> present;
    for (auto& w : writers_) {
      if (w->rows() == 0) continue;
      std::string file = std::string(w->name()) + ".csv";
      PB_RETURN_IF_ERROR(w->Finish(dir_ / file));
      written.emplace_back(file, dir_ / file);
      present.insert(w->name());
    }
    PB_RETURN_IF_ERROR(WriteManifest(dir_ / "manifest.csv", present));
    written.insert(written.begin(), {"manifest.csv", dir_ / "manifest.csv"});
    if (zip_) PB_RETURN_IF_ERROR(WriteZip(out_->temp(), written));
    return out_->Commit();
  }

  void Abort() override {
    writers_.clear();
    out_->Discard();
  }

 private:
  template <typename T>
  TableWriter<T>* Add(const FileSpec<T>& spec) {
    auto w = std::make_unique<TableWriter<T>>(spec, out_->work());
    TableWriter<T>* raw = w.get();
    writers_.push_back(std::move(w));
    return raw;
  }

  static Status WriteManifest(const fs::path& path, const std::set<std::string_view>& present) {
    std::ofstream out(path, std::ios::binary);
    csv::Writer w(out);
    w.Write({"propertyName", "value"});
    w.Write({"manifest.version", "1.0"});
    w.Write({"oneroster.version", "1.2"});
    for (std::string_view name : ManifestFileNames())
      w.Write({"file." + std::string(name), present.count(name) ? "bulk" : "absent"});
    w.Write({"source.systemName", "pathbridge"});
    w.Write({"source.systemCode", "pathbridge"});
    return out.flush() ? Status::Ok() : IoError("cannot write", path.string());
  }

  std::unique_ptr<OutputPath> out_;
  bool zip_;
  fs::path dir_;  // the bundle's files
  std::vector<std::unique_ptr<FileWriter>> writers_;
  TableWriter<Organization>* orgs_;
  TableWriter<AcademicSession>* sessions_;
  TableWriter<Course>* courses_;
  TableWriter<Section>* classes_;
  TableWriter<Person>* users_;
  TableWriter<Demographics>* demographics_;
  TableWriter<Enrollment>* roles_;
  TableWriter<Enrollment>* enrollments_;
  TableWriter<Category>* categories_;
  TableWriter<LineItem>* line_items_;
  TableWriter<LineItemResult>* results_;
};

template <typename T>
void AddCapabilities(const FileSpec<T>& spec, Capabilities& reads, Capabilities& writes) {
  std::string type(T::kType);
  for (Capabilities* c : {&reads, &writes}) c->Add(type + ".extensions");
  for (const auto& col : spec.columns) {
    if (col.field.empty()) continue;
    std::string path = type + "." + std::string(col.field);
    reads.Add(path);
    if (!col.read_only) writes.Add(path);
  }
}

class OneRosterCsvAdapter : public Adapter {
 public:
  OneRosterCsvAdapter() {
    AddCapabilities(OrgsFile(), reads_, writes_);
    AddCapabilities(AcademicSessionsFile(), reads_, writes_);
    AddCapabilities(CoursesFile(), reads_, writes_);
    AddCapabilities(ClassesFile(), reads_, writes_);
    AddCapabilities(UsersFile(), reads_, writes_);
    AddCapabilities(DemographicsFile(), reads_, writes_);
    AddCapabilities(RolesFile(), reads_, writes_);
    AddCapabilities(EnrollmentsFile(), reads_, writes_);
    AddCapabilities(CategoriesFile(), reads_, writes_);
    AddCapabilities(LineItemsFile(), reads_, writes_);
    AddCapabilities(ResultsFile(), reads_, writes_);
    // The file an enrollment is in (roles.csv or enrollments.csv) carries its kind.
    reads_.Add("enrollment.kind");
    writes_.Add("enrollment.kind");
  }

  std::string_view name() const override { return "oneroster-csv"; }
  std::vector<std::string> media_types() const override {
    return {"application/zip", "text/csv"};
  }
  std::string_view description() const override {
    return "1EdTech OneRoster 1.2 CSV bundle (folder or .zip; 1.1 bundles are read too)";
  }
  const Capabilities& reads() const override { return reads_; }
  const Capabilities& writes() const override { return writes_; }

  pathbridge::Result<std::unique_ptr<Decoder>> OpenDecoder(
      const Input& input, const DecodeOptions& options) const override {
    if (input.stream != nullptr)
      return InvalidArgument("a OneRoster CSV bundle is a folder or a zip file, not a stream",
                             input.path.string());
    PB_ASSIGN_OR_RETURN(auto bundle, BundleReader::Open(input.path));
    auto decoder = std::make_unique<BundleDecoder>(std::move(bundle), options);
    PB_RETURN_IF_ERROR(decoder->ReadManifest());
    return std::unique_ptr<Decoder>(std::move(decoder));
  }

  pathbridge::Result<std::unique_ptr<Encoder>> OpenEncoder(
      const fs::path& output, const EncodeOptions&) const override {
    bool zip = output.extension() == ".zip";
    PB_ASSIGN_OR_RETURN(auto out,
                        OutputPath::Open(output, zip ? OutputPath::Kind::kOverwritableFile
                                                     : OutputPath::Kind::kFolder));
    return std::unique_ptr<Encoder>(std::make_unique<BundleEncoder>(std::move(out), zip));
  }

 private:
  Capabilities reads_, writes_;
};

}  // namespace
}  // namespace pathbridge::adapters::oneroster_csv

namespace pathbridge::adapters {
std::unique_ptr<Adapter> MakeOneRosterCsvAdapter() {
  return std::make_unique<oneroster_csv::OneRosterCsvAdapter>();
}
}  // namespace pathbridge::adapters
