// Fixed-width and LEB128 varint encoding (LevelDB's util/coding). Values are little-endian;
// the big-endian forms exist for keys, where byte order must be numeric order. Decoders
// consume from the front of a string_view and return false on truncated or malformed
// input instead of reading past the end.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace gitmem {

void PutFixed32(std::string* dst, uint32_t v);
void PutFixed64(std::string* dst, uint64_t v);
void PutVarint64(std::string* dst, uint64_t v);
/// Varint length followed by the bytes.
void PutLengthPrefixed(std::string* dst, std::string_view s);
void PutFloat(std::string* dst, float f);

bool GetFixed32(std::string_view* in, uint32_t* v);
bool GetFixed64(std::string_view* in, uint64_t* v);
bool GetVarint64(std::string_view* in, uint64_t* v);
bool GetLengthPrefixed(std::string_view* in, std::string_view* s);
bool GetFloat(std::string_view* in, float* f);
bool GetBytes(std::string_view* in, size_t n, std::string_view* s);

/// Big-endian (most significant byte first): keys that must sort in numeric order.
void PutFixed32BE(std::string* dst, uint32_t v);
void PutFixed64BE(std::string* dst, uint64_t v);
bool GetFixed32BE(std::string_view* in, uint32_t* v);
bool GetFixed64BE(std::string_view* in, uint64_t* v);

/// Zig-zag maps signed to unsigned so small negative numbers stay short.
inline uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
inline int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

}  // namespace gitmem
