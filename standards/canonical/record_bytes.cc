#include "standards/canonical/record_bytes.h"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <utility>

namespace pathbridge::canonical {
namespace {

// The per-value paths, inlined into each record type's Fields walk: called
// out of line, their calls cost as much as their work.
#define PB_INLINE [[gnu::always_inline]] inline

template <typename T>
inline constexpr bool kIsVector = false;
template <typename T>
inline constexpr bool kIsVector<std::vector<T>> = true;

// Writes into *out through a pointer, growing it ahead of each value: a
// record is many short values, and std::string's append and push_back
// checks cost more than the bytes (a record spooled for every enrollment).
class Writer {
 public:
  explicit Writer(std::string* out) : out_(*out), at_(out->size()) { Room(kSlack); }
  ~Writer() { out_.resize(at_); }  // drops the room not used
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  PB_INLINE void Number(uint64_t v) {
    Room(10);
    char* p = out_.data() + at_;
    while (v >= 0x80) {
      *p++ = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<char>(v);
    at_ = static_cast<size_t>(p - out_.data());
  }
  PB_INLINE void Bytes(const void* bytes, size_t n) {
    Room(n);
    std::memcpy(out_.data() + at_, bytes, n);
    at_ += n;
  }
  PB_INLINE void Text(std::string_view s) {
    Number(s.size());
    if (!s.empty()) Bytes(s.data(), s.size());
  }
  template <typename M>
  void Value(const M& m) {
    if constexpr (std::is_same_v<M, std::string>) {
      Text(m);
    } else if constexpr (std::is_enum_v<M>) {
      Number(static_cast<uint64_t>(static_cast<std::underlying_type_t<M>>(m)));
    } else if constexpr (std::is_same_v<M, bool>) {
      Number(m ? 1 : 0);
    } else if constexpr (std::is_same_v<M, std::optional<bool>>) {
      Number(!m ? 0 : *m ? 2 : 1);
    } else if constexpr (std::is_same_v<M, std::optional<double>>) {
      Number(m ? 1 : 0);
      if (m) Bytes(&*m, sizeof(double));
    } else if constexpr (std::is_same_v<M, Identifier>) {
      Text(m.system);
      Text(m.value);
    } else if constexpr (kIsVector<M>) {
      Number(m.size());
      for (const auto& e : m) Value(e);
    } else if constexpr (std::is_same_v<M, Extensions>) {
      Number(m.size());
      for (const auto& [k, v] : m) {
        Text(k);
        Text(v);
      }
    } else {
      static_assert(!sizeof(M), "a model field type record_bytes does not know");
    }
  }

 private:
  static constexpr size_t kSlack = 256;  // most records fit: one growth
  // At least n bytes past at_ (the string's size is the room, not the bytes
  // written; the new bytes are zeros until written).
  PB_INLINE void Room(size_t n) {
    if (out_.size() - at_ < n) Grow(n);
  }
  [[gnu::noinline]] void Grow(size_t n) {
    out_.resize(std::max(out_.size() * 2, at_ + n + kSlack));
  }

  std::string& out_;
  size_t at_;  // bytes written; out_.size() past it is room
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return at_ == in_.size(); }

  PB_INLINE uint64_t Number() {
    if (at_ < in_.size() && static_cast<uint8_t>(in_[at_]) < 0x80)  // most: one byte
      return static_cast<uint8_t>(in_[at_++]);
    return LongNumber();
  }
  PB_INLINE void Text(std::string& s) {
    uint64_t n = Number();
    if (n > in_.size() - at_) {
      Fail();
      return;
    }
    s.clear();  // (then append: assign's aliasing checks cost more than short ids)
    s.append(in_.data() + at_, n);
    at_ += n;
  }
  template <typename M>
  void Value(M& m) {
    if constexpr (std::is_same_v<M, std::string>) {
      Text(m);
    } else if constexpr (std::is_enum_v<M>) {
      m = static_cast<M>(static_cast<std::underlying_type_t<M>>(Number()));
    } else if constexpr (std::is_same_v<M, bool>) {
      m = Number() != 0;
    } else if constexpr (std::is_same_v<M, std::optional<bool>>) {
      uint64_t v = Number();
      if (v != 0) m = v == 2;
      else m.reset();
    } else if constexpr (std::is_same_v<M, std::optional<double>>) {
      m.reset();
      if (Number() == 0) return;
      double d;
      if (in_.size() - at_ < sizeof d) {
        Fail();
        return;
      }
      std::memcpy(&d, in_.data() + at_, sizeof d);
      at_ += sizeof d;
      m = d;
    } else if constexpr (std::is_same_v<M, Identifier>) {
      Text(m.system);
      Text(m.value);
    } else if constexpr (kIsVector<M>) {
      m.clear();
      uint64_t n = Number();
      for (uint64_t i = 0; i < n && ok_; ++i) Value(m.emplace_back());
    } else if constexpr (std::is_same_v<M, Extensions>) {
      m.clear();
      uint64_t n = Number();
      for (uint64_t i = 0; i < n && ok_; ++i) {
        std::string k, v;
        Text(k);
        Text(v);
        m[std::move(k)] = std::move(v);
      }
    }
  }

 private:
  [[gnu::noinline]] uint64_t LongNumber() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ == in_.size()) return Fail();
      auto b = static_cast<uint8_t>(in_[at_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    return Fail();
  }
  uint64_t Fail() {
    ok_ = false;
    at_ = in_.size();
    return 0;
  }

  std::string_view in_;
  size_t at_ = 0;
  bool ok_ = true;
};

template <size_t... I>
bool Emplace(Record& r, size_t index, std::index_sequence<I...>) {
  return ((index == I ? (r.emplace<I>(), true) : false) || ...);
}

}  // namespace

template <typename T>
void AppendRecordBytes(const T& rec, std::string* out, Source source) {
  Writer w(out);
  w.Number(kTypeIndex<T>);
  if (source == Source::kKept) {
    w.Text(rec.source.file);
    w.Number(rec.source.line);
    w.Number(rec.source.column);
    w.Text(rec.source.pointer);
  } else {
    w.Text({});
    w.Number(0);
    w.Number(0);
    w.Text({});
  }
  T::Fields(rec, [&](std::string_view, const auto& m) { w.Value(m); });
}

void AppendRecordBytes(const Record& r, std::string* out) {
  std::visit([&](const auto& rec) { AppendRecordBytes(rec, out); }, r);
}

template void AppendRecordBytes(const Organization&, std::string*, Source);
template void AppendRecordBytes(const Person&, std::string*, Source);
template void AppendRecordBytes(const Demographics&, std::string*, Source);
template void AppendRecordBytes(const AcademicSession&, std::string*, Source);
template void AppendRecordBytes(const Course&, std::string*, Source);
template void AppendRecordBytes(const Section&, std::string*, Source);
template void AppendRecordBytes(const Enrollment&, std::string*, Source);
template void AppendRecordBytes(const CourseResult&, std::string*, Source);
template void AppendRecordBytes(const AchievementAward&, std::string*, Source);
template void AppendRecordBytes(const AcademicSummary&, std::string*, Source);
template void AppendRecordBytes(const CredentialDefinition&, std::string*, Source);
template void AppendRecordBytes(const Employment&, std::string*, Source);
template void AppendRecordBytes(const Category&, std::string*, Source);
template void AppendRecordBytes(const LineItem&, std::string*, Source);
template void AppendRecordBytes(const LineItemResult&, std::string*, Source);
static_assert(std::variant_size_v<Record> == 15, "instantiate AppendRecordBytes for a new type");

namespace {

// Reads every field of `rec` after its type (each value replaces what rec
// held); then checks that the bytes ended there.
template <typename T>
Status ReadFields(Reader& in, T& rec) {
  in.Text(rec.source.file);
  rec.source.line = in.Number();
  rec.source.column = in.Number();
  in.Text(rec.source.pointer);
  T::Fields(rec, [&](std::string_view, auto& m) { in.Value(m); });
  if (!in.ok() || !in.done()) return InvalidArgument("not a record's bytes: truncated or too long");
  return Status::Ok();
}

}  // namespace

pathbridge::Result<Record> RecordFromBytes(std::string_view bytes) {
  Reader in(bytes);
  Record r;
  uint64_t index = in.Number();
  if (!in.ok() || !Emplace(r, index, std::make_index_sequence<std::variant_size_v<Record>>()))
    return InvalidArgument("not a record's bytes: bad record type");
  PB_RETURN_IF_ERROR(std::visit([&](auto& rec) { return ReadFields(in, rec); }, r));
  return r;
}

template <typename T>
Status RecordFromBytes(std::string_view bytes, T* out) {
  Reader in(bytes);
  uint64_t index = in.Number();
  if (!in.ok() || index != kTypeIndex<T>)
    return InvalidArgument("not a " + std::string(T::kType) + " record's bytes");
  return ReadFields(in, *out);
}

template Status RecordFromBytes(std::string_view, Organization*);
template Status RecordFromBytes(std::string_view, Person*);
template Status RecordFromBytes(std::string_view, Demographics*);
template Status RecordFromBytes(std::string_view, AcademicSession*);
template Status RecordFromBytes(std::string_view, Course*);
template Status RecordFromBytes(std::string_view, Section*);
template Status RecordFromBytes(std::string_view, Enrollment*);
template Status RecordFromBytes(std::string_view, CourseResult*);
template Status RecordFromBytes(std::string_view, AchievementAward*);
template Status RecordFromBytes(std::string_view, AcademicSummary*);
template Status RecordFromBytes(std::string_view, CredentialDefinition*);
template Status RecordFromBytes(std::string_view, Employment*);
template Status RecordFromBytes(std::string_view, Category*);
template Status RecordFromBytes(std::string_view, LineItem*);
template Status RecordFromBytes(std::string_view, LineItemResult*);

}  // namespace pathbridge::canonical
