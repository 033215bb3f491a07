#include "util/coding.h"

#include <bit>

namespace gitmem {

namespace {
// Fixed-width integers, byte i of `big_endian ? sizeof(T) - 1 - i : i` first.
template <class T>
void PutFixed(std::string* dst, T v, bool big_endian) {
  char buf[sizeof(T)];
  for (size_t i = 0; i < sizeof(T); ++i) {
    const size_t shift = 8 * (big_endian ? sizeof(T) - 1 - i : i);
    buf[i] = static_cast<char>((v >> shift) & 0xff);
  }
  dst->append(buf, sizeof(T));
}

template <class T>
bool GetFixed(std::string_view* in, T* v, bool big_endian) {
  if (in->size() < sizeof(T)) return false;
  T r = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    const size_t shift = 8 * (big_endian ? sizeof(T) - 1 - i : i);
    r |= static_cast<T>(static_cast<uint8_t>((*in)[i])) << shift;
  }
  *v = r;
  in->remove_prefix(sizeof(T));
  return true;
}
}  // namespace

void PutFixed32(std::string* dst, uint32_t v) { PutFixed(dst, v, false); }
void PutFixed64(std::string* dst, uint64_t v) { PutFixed(dst, v, false); }
void PutFixed32BE(std::string* dst, uint32_t v) { PutFixed(dst, v, true); }
void PutFixed64BE(std::string* dst, uint64_t v) { PutFixed(dst, v, true); }
bool GetFixed32(std::string_view* in, uint32_t* v) { return GetFixed(in, v, false); }
bool GetFixed64(std::string_view* in, uint64_t* v) { return GetFixed(in, v, false); }
bool GetFixed32BE(std::string_view* in, uint32_t* v) { return GetFixed(in, v, true); }
bool GetFixed64BE(std::string_view* in, uint64_t* v) { return GetFixed(in, v, true); }

void PutVarint64(std::string* dst, uint64_t v) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  dst->append(buf, n);
}

void PutLengthPrefixed(std::string* dst, std::string_view s) {
  PutVarint64(dst, s.size());
  dst->append(s.data(), s.size());
}

void PutFloat(std::string* dst, float f) { PutFixed32(dst, std::bit_cast<uint32_t>(f)); }

bool GetVarint64(std::string_view* in, uint64_t* v) {
  uint64_t r = 0;
  for (size_t i = 0; i < in->size() && i < 10; ++i) {
    const uint64_t byte = static_cast<uint8_t>((*in)[i]);
    if (i == 9 && byte > 1) return false;  // more than 64 bits
    r |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      *v = r;
      in->remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

bool GetBytes(std::string_view* in, size_t n, std::string_view* s) {
  if (in->size() < n) return false;
  *s = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}

bool GetLengthPrefixed(std::string_view* in, std::string_view* s) {
  uint64_t n;
  std::string_view save = *in;
  if (!GetVarint64(in, &n) || n > in->size()) {
    *in = save;
    return false;
  }
  return GetBytes(in, static_cast<size_t>(n), s);
}

bool GetFloat(std::string_view* in, float* f) {
  uint32_t bits;
  if (!GetFixed32(in, &bits)) return false;
  *f = std::bit_cast<float>(bits);
  return true;
}

}  // namespace gitmem
