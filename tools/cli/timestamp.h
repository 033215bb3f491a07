// Timestamps for the command line: RFC 3339 in, local time out (RFC 3339 UTC out is
// FormatTimestamp in util/text.h, what --json prints).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gitmem::cli {

/// "2026-11-21 09:46:30 +0100" — local time, seconds; what people read.
std::string FormatLocal(int64_t micros);

/// Parses a point in time into UTC microseconds since the epoch. Accepts
///   2026-11-21                      (midnight UTC)
///   2026-11-21T08:46:30[.frac]Z     (also 't', or a space instead of 'T')
///   2026-11-21T08:46:30+01:00       (any offset: +HH:MM, +HHMM, or " +0100" as printed)
///   2026-11-21 08:46:30             (no zone: UTC)
///   @1763714790[.5]                 (Unix seconds)
///   now
/// Returns nullopt when `s` is none of these.
std::optional<int64_t> ParseTime(std::string_view s);

}  // namespace gitmem::cli
