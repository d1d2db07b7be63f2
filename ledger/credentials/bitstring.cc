#include "ledger/credentials/bitstring.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <climits>

#include "standards/multibase.h"

namespace pathbridge::credentials {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, GZIP wrapper
constexpr std::size_t kInflateChunk = 64u << 10;

bool HasGzipMagic(ByteSpan data) { return data.size() >= 2 && data[0] == 0x1f && data[1] == 0x8b; }

class Inflater {
 public:
  Inflater() { ok_ = inflateInit2(&zs_, kGzipWindowBits) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&zs_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Inflates every GZIP member of `in` into at most max_bytes bytes.
  Result<Bytes> Run(ByteSpan in, std::size_t max_bytes) {
    if (!ok_) return Internal("cannot start GZIP decompression (out of memory?)");
    zs_.next_in = const_cast<Bytef*>(in.data());
    zs_.avail_in = static_cast<uInt>(in.size());
    Bytes out;
    const auto too_big = [&] {
      return Status(Code::kResourceExhausted,
                    "encodedList inflates to more than " + std::to_string(max_bytes) + " bytes");
    };
    for (;;) {
      if (zs_.avail_out == 0) {
        // The buffer ends one byte beyond the limit: filling it is the signal.
        if (out.size() > max_bytes) return too_big();
        const std::size_t have = out.size();
        const std::size_t grow = std::min(std::max(have, kInflateChunk), max_bytes + 1 - have);
        out.resize(have + grow);
        zs_.next_out = out.data() + have;
        zs_.avail_out = static_cast<uInt>(grow);
      }
      const int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        if (zs_.avail_in == 0) break;
        if (!HasGzipMagic(ByteSpan(zs_.next_in, zs_.avail_in)))
          return InvalidArgument("encodedList has bytes after the end of its GZIP data");
        inflateReset(&zs_);  // another member follows (RFC 1952 §2.2)
        continue;
      }
      if (rc == Z_DATA_ERROR)
        return InvalidArgument(std::string("encodedList holds corrupt GZIP data: ") +
                               (zs_.msg ? zs_.msg : "invalid deflate stream"));
      if (rc == Z_MEM_ERROR) return Internal("out of memory while inflating encodedList");
      // Room left for output but no input left: the stream was cut short.
      if (zs_.avail_in == 0 && zs_.avail_out > 0)
        return InvalidArgument("encodedList holds truncated GZIP data");
    }
    out.resize(out.size() - zs_.avail_out);
    if (out.size() > max_bytes) return too_big();
    return out;
  }

 private:
  z_stream zs_{};
  bool ok_ = false;
};

Result<Bytes> Gzip(ByteSpan in) {
  if (in.size() > UINT_MAX / 2)
    return Status(Code::kResourceExhausted, "bitstring too large to compress");
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    return Internal("cannot start GZIP compression (out of memory?)");
  // deflateBound covers the GZIP header and trailer, so one call finishes.
  Bytes out(deflateBound(&zs, static_cast<uLong>(in.size())));
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return Internal("GZIP compression failed");
  out.resize(zs.total_out);
  return out;
}

}  // namespace

std::size_t Bitstring::CountSet() const {
  std::size_t n = 0;
  for (uint8_t b : bytes_) n += static_cast<std::size_t>(std::popcount(b));
  return n;
}

Result<std::string> Bitstring::Encode() const {
  PB_ASSIGN_OR_RETURN(Bytes gz, Gzip(bytes_));
  return MultibaseEncode(Multibase::kBase64Url, gz);
}

Result<Bitstring> Decode(std::string_view encoded_list, const DecodeLimits& limits) {
  if (encoded_list.empty() || encoded_list.front() != static_cast<char>(Multibase::kBase64Url))
    return InvalidArgument(
        "encodedList must be multibase base64url: 'u' then base64url without padding",
        "offset 0");
  PB_ASSIGN_OR_RETURN(Bytes gz, MultibaseDecode(encoded_list));
  if (!HasGzipMagic(gz))
    return InvalidArgument("encodedList does not hold GZIP data (no 1f 8b header)");
  if (gz.size() > UINT_MAX) return Status(Code::kResourceExhausted, "encodedList is too long");
  PB_ASSIGN_OR_RETURN(Bytes bytes, Inflater().Run(gz, limits.max_bytes));
  Bitstring bits(std::move(bytes));
  if (bits.size() < limits.min_bits)
    return InvalidArgument("the status list has " + std::to_string(bits.size()) +
                           " entries; the minimum is " + std::to_string(limits.min_bits));
  return bits;
}

}  // namespace pathbridge::credentials
