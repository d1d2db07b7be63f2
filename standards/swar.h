// Eight bytes at a time in one 64-bit word ("SWAR"): the tests the JSON
// writer and the SIF printer make on each word of a value before copying
// it whole, instead of looking at each byte. As a yes/no for the whole
// word they are exact; the bit set says nothing reliable about which byte.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

namespace pathbridge::swar {

inline constexpr uint64_t kOnes = 0x0101010101010101ull;
inline constexpr uint64_t kHigh = 0x8080808080808080ull;

// Nonzero if some byte of `w` is below `n` (n <= 0x80).
constexpr uint64_t AnyByteBelow(uint64_t w, unsigned char n) { return (w - kOnes * n) & ~w & kHigh; }

// Nonzero if some byte of `w` is `c` (c < 0x80).
constexpr uint64_t AnyByteIs(uint64_t w, unsigned char c) {
  uint64_t x = w ^ (kOnes * c);
  return (x - kOnes) & ~x & kHigh;
}

}  // namespace pathbridge::swar
