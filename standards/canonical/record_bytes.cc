#include "standards/canonical/record_bytes.h"

#include <cstring>
#include <type_traits>
#include <utility>

namespace pathbridge::canonical {
namespace {

template <typename T>
inline constexpr bool kIsVector = false;
template <typename T>
inline constexpr bool kIsVector<std::vector<T>> = true;

class Writer {
 public:
  explicit Writer(std::string* out) : out_(*out) {}

  void Number(uint64_t v) {
    if (v < 0x80) {  // most: lengths, counts, enums
      out_ += static_cast<char>(v);
      return;
    }
    char bytes[10];
    size_t n = 0;
    for (; v >= 0x80; v >>= 7) bytes[n++] = static_cast<char>(v | 0x80);
    bytes[n++] = static_cast<char>(v);
    out_.append(bytes, n);
  }
  void Text(std::string_view s) {
    Number(s.size());
    if (!s.empty()) out_.append(s);
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
      if (m) {
        char bytes[sizeof(double)];
        std::memcpy(bytes, &*m, sizeof bytes);
        out_.append(bytes, sizeof bytes);
      }
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
  std::string& out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return at_ == in_.size(); }

  uint64_t Number() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ == in_.size()) return Fail();
      auto b = static_cast<uint8_t>(in_[at_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    return Fail();
  }
  void Text(std::string& s) {
    uint64_t n = Number();
    if (n > in_.size() - at_) {
      Fail();
      return;
    }
    s.assign(in_.substr(at_, n));
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
void AppendRecordBytes(const T& rec, std::string* out) {
  Writer w(out);
  w.Number(kTypeIndex<T>);
  w.Text(rec.source.file);
  w.Number(rec.source.line);
  w.Number(rec.source.column);
  w.Text(rec.source.pointer);
  T::Fields(rec, [&](std::string_view, const auto& m) { w.Value(m); });
}

void AppendRecordBytes(const Record& r, std::string* out) {
  std::visit([&](const auto& rec) { AppendRecordBytes(rec, out); }, r);
}

template void AppendRecordBytes(const Organization&, std::string*);
template void AppendRecordBytes(const Person&, std::string*);
template void AppendRecordBytes(const Demographics&, std::string*);
template void AppendRecordBytes(const AcademicSession&, std::string*);
template void AppendRecordBytes(const Course&, std::string*);
template void AppendRecordBytes(const Section&, std::string*);
template void AppendRecordBytes(const Enrollment&, std::string*);
template void AppendRecordBytes(const CourseResult&, std::string*);
template void AppendRecordBytes(const AchievementAward&, std::string*);
template void AppendRecordBytes(const AcademicSummary&, std::string*);
template void AppendRecordBytes(const CredentialDefinition&, std::string*);
template void AppendRecordBytes(const Employment&, std::string*);
template void AppendRecordBytes(const Category&, std::string*);
template void AppendRecordBytes(const LineItem&, std::string*);
template void AppendRecordBytes(const LineItemResult&, std::string*);
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
