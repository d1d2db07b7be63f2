// OpenBuffered: opens a file stream with a buffer of the caller's. The
// encoders write elements of a few hundred bytes, and the sort reads its
// runs entry by entry; through a stream's default 8 KiB buffer that is a
// read(2) or write(2) every few dozen. The buffer must outlive the stream
// (declare it before the stream).
//
// Thread-safety: as the stream's.
#pragma once

#include <filesystem>
#include <ios>
#include <vector>

namespace pathbridge::adapters {

inline constexpr size_t kStreamBufferBytes = 64 << 10;

template <typename FileStream>
void OpenBuffered(FileStream& stream, std::vector<char>& buffer, const std::filesystem::path& path,
                  std::ios::openmode mode) {
  buffer.resize(kStreamBufferBytes);
  stream.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  stream.open(path, mode);
}

}  // namespace pathbridge::adapters
