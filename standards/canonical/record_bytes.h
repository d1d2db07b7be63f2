// Canonical records as compact bytes, for what an encoder puts aside in its
// own temp files (the sort runs of adapters/external_sort.h) and reads back:
// the record type, then each field in the order Fields() lists them, as a
// presence-tagged length-prefixed value. Several times cheaper than JSON
// both ways, and exact (every field, `source` included). Not an interchange
// format: the layout follows model.h and may change with it.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "standards/canonical/model.h"
#include "standards/status.h"

namespace pathbridge::canonical {

// Whether a record's `source` goes into its bytes. An encoder whose
// diagnostics name its output, not its input, drops it: an input path and
// position are about a third of a spooled enrollment's bytes. Read back,
// such a record has an empty source.
enum class Source { kKept, kDropped };

// Appends `r`'s bytes to *out.
void AppendRecordBytes(const Record& r, std::string* out);
// The same for a record of one type, without copying it into a Record
// (defined for every record type).
template <typename T>
void AppendRecordBytes(const T& r, std::string* out, Source source = Source::kKept);
// The record AppendRecordBytes wrote; an error if `bytes` is not one.
pathbridge::Result<Record> RecordFromBytes(std::string_view bytes);
// The same into a record of a known type, each field replacing what *out
// held: an encoder reading back its sort record after record reuses one
// record's strings instead of building a Record for each. An error if
// `bytes` are not a T's.
template <typename T>
pathbridge::Status RecordFromBytes(std::string_view bytes, T* out);

}  // namespace pathbridge::canonical
