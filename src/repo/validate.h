// Input validation and normalisation of memory records and names. Every check names the
// field and the limit in its message, and runs before anything is written.
#pragma once

#include <string_view>

#include "gitmem/repository.hpp"

namespace gitmem {

inline constexpr size_t kMaxIdBytes = 256;
inline constexpr size_t kMaxTagBytes = 256;
inline constexpr size_t kMaxTags = 256;
inline constexpr size_t kMaxRelations = 1024;
inline constexpr size_t kMaxShortFieldBytes = 1024;  // agent_id, session_id, author
inline constexpr size_t kMaxRefNameBytes = 255;

/// Checks every field and brings the record into canonical form: sorted unique tags,
/// canonical metadata JSON, sorted relations, -0.0 as 0.0. Fills nothing generated (id,
/// timestamp, provenance): the repository does that.
Status NormalizeMemory(Memory* m, const RepositoryOptions& options);

/// Git's rules for branch and tag names (no "..", no control characters, no ~^:?*[\, ...).
Status ValidateRefName(std::string_view name, std::string_view what);
/// "owner/name": both parts non-empty, letters, digits, '-', '_', '.'.
Status ValidateRepoName(std::string_view name);

}  // namespace gitmem

namespace gitmem {
/// Author and principal names: non-empty UTF-8 without control characters, <= 1 KiB.
Status ValidateAuthor(std::string_view author);
}  // namespace gitmem
