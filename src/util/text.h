// Small text helpers: UTF-8 validation, hex, UUIDv7 ids, the clock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gitmem {

/// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool IsValidUtf8(std::string_view s);

std::string HexEncode(const uint8_t* data, size_t n);
/// Decodes an even number of hex digits; false on any other character.
bool HexDecode(std::string_view hex, uint8_t* out, size_t out_len);
bool IsHexDigits(std::string_view s);

/// UTC microseconds since the Unix epoch.
int64_t NowMicros();
/// "2026-11-21T08:46:30.123456Z".
std::string FormatTimestamp(int64_t micros);
/// Parses RFC 3339 / ISO 8601 UTC ("2026-11-21T08:46:30Z", fractional seconds optional,
/// "2026-11-21" alone) into microseconds; false when malformed.
bool ParseTimestamp(std::string_view s, int64_t* micros);

/// A new RFC 9562 UUIDv7: 48-bit millisecond time, then a counter and randomness, so ids
/// made one after another sort in creation order (appends touch the tree's right edge).
std::string NewUuidV7();

}  // namespace gitmem
