#include "adapters/reference_check.h"

namespace pathbridge::adapters {
namespace {

constexpr uint8_t kDefined = 0, kReferenced = 1;  // sorted: definitions first
constexpr size_t kEntryBytes = 40;                // a set entry's bookkeeping, roughly
constexpr size_t kPrefetchFrom = 4096;            // ids of a kind, for Plan to act
// How many planned references ahead each Refer starts loading a slot, an
// entry (its slot loaded by then) and a key's bytes: a reference a record
// apart is a microsecond of the caller's work apart, ten cache misses.
constexpr size_t kSlotsAhead = 3, kEntriesAhead = 2, kKeysAhead = 1;

// A spooled reference: its number (big-endian, so that numbers compare as
// bytes), then where it was made.
std::string ReferenceValue(uint64_t number, const canonical::SourceLocation& where) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, number >>= 8) out[static_cast<size_t>(i)] = static_cast<char>(number & 0xff);
  out += where.ToString();
  return out;
}

}  // namespace

ReferenceCheck::ReferenceCheck(size_t memory_bytes, Describe describe)
    : memory_bytes_(memory_bytes), describe_(std::move(describe)) {}

ReferenceCheck::~ReferenceCheck() = default;  // the sorter, then its folder

std::string ReferenceCheck::Key(uint8_t kind, std::string_view id) {
  std::string key(1, static_cast<char>(kind));
  key += id;
  return key;
}

Status ReferenceCheck::Define(uint8_t kind, std::string_view id) {
  if (sorter_ != nullptr) return sorter_->Add(Key(kind, id), kDefined, "");
  if (sets_.size() <= kind) sets_.resize(kind + 1u);
  if (sets_[kind].Insert(id)) bytes_ += id.size() + kEntryBytes;
  return bytes_ > memory_bytes_ ? Spool() : Status::Ok();
}

Status ReferenceCheck::Refer(uint8_t kind, std::string_view id,
                             const canonical::SourceLocation& where) {
  if (sorter_ != nullptr) return sorter_->Add(Key(kind, id), kReferenced, ReferenceValue(references_++, where));
  if (kind < sets_.size() && sets_[kind].Contains(id, HashOf(kind, id))) return Status::Ok();
  return InvalidArgument(describe_(kind, id), where.ToString());
}

void ReferenceCheck::Plan(std::span<const Reference> references) {
  planned_.clear();
  next_planned_ = 0;
  if (sorter_ != nullptr) return;
  for (const Reference& r : references) {
    // A set this small stays in the cache: hashing its ids would cost more
    // than its misses.
    if (r.kind >= sets_.size() || sets_[r.kind].size() < kPrefetchFrom) continue;
    planned_.push_back({r.kind, r.id, CompactSet::Hash(r.id)});
    // The first few have no Refer before them to start their loads.
    if (planned_.size() <= kSlotsAhead) sets_[r.kind].PrefetchSlot(planned_.back().hash);
  }
}

uint32_t ReferenceCheck::HashOf(uint8_t kind, std::string_view id) {
  if (next_planned_ < planned_.size() && planned_[next_planned_].kind == kind &&
      planned_[next_planned_].id.data() == id.data() && planned_[next_planned_].id.size() == id.size()) {
    LoadAhead();
    return planned_[next_planned_++].hash;
  }
  return CompactSet::Hash(id);
}

void ReferenceCheck::LoadAhead() {
  auto at = [&](size_t ahead) -> const Planned* {
    size_t i = next_planned_ + ahead;
    return i < planned_.size() ? &planned_[i] : nullptr;
  };
  if (const Planned* p = at(kSlotsAhead)) sets_[p->kind].PrefetchSlot(p->hash);
  if (const Planned* p = at(kEntriesAhead)) sets_[p->kind].PrefetchEntry(p->hash);
  if (const Planned* p = at(kKeysAhead)) sets_[p->kind].PrefetchKey(p->hash);
}

Status ReferenceCheck::Spool() {
  PB_ASSIGN_OR_RETURN(scratch_, ScratchFolder::Make("pathbridge-refs-"));
  sorter_ = std::make_unique<ExternalSorter>(scratch_->path(), memory_bytes_);
  for (size_t kind = 0; kind < sets_.size(); ++kind)
    for (size_t i = 0; i < sets_[kind].size(); ++i)
      PB_RETURN_IF_ERROR(sorter_->Add(Key(static_cast<uint8_t>(kind), sets_[kind].KeyAt(i)), kDefined, ""));
  std::vector<CompactSet>().swap(sets_);
  bytes_ = 0;
  return Status::Ok();
}

Status ReferenceCheck::Finish() {
  if (sorter_ == nullptr) return Status::Ok();
  PB_RETURN_IF_ERROR(sorter_->Finish());
  bool defined = false;
  std::string first;  // the first unknown reference's value
  std::string first_key;
  PB_RETURN_IF_ERROR(sorter_->ForEachGroup(
      [&](ExternalSorter::Entry& e) {
        if (e.tag == kDefined) defined = true;
        else if (!defined && (first.empty() || e.value < first)) {
          first = e.value;
          first_key = e.key;
        }
        return Status::Ok();
      },
      [&](const std::string&) {
        defined = false;
        return Status::Ok();
      }));
  if (first.empty()) return Status::Ok();
  auto kind = static_cast<uint8_t>(first_key[0]);
  return InvalidArgument(describe_(kind, std::string_view(first_key).substr(1)), first.substr(8));
}

}  // namespace pathbridge::adapters
