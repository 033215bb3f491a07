// Merge types of the C++ API: merge options and results, conflicts and the strategies that
// settle them. Merge, CherryPick and Revert of Repository take and return these.
//
// Thread safety: plain values. A MergeResolver is called on the thread that made the call,
// never concurrently with itself for one call.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gitmem/export.hpp"
#include "gitmem/memory.hpp"
#include "gitmem/status.hpp"

namespace gitmem {

/// How a merge (or cherry-pick, or revert) settles a memory both sides changed.
enum class MergeStrategy : uint8_t {
  kFail = 0,           ///< settle nothing: report the conflicts, change nothing
  kOurs = 1,           ///< keep the target branch's version
  kTheirs = 2,         ///< take the source's version
  kNewest = 3,         ///< the later Memory::timestamp_us; ties: the side whose head commit is newer, then ours
  kMostImportant = 4,  ///< the higher importance; a deletion never beats a kept memory; ties: ours
  kCallback = 5,       ///< MergeOptions::resolver decides each conflict
};

/// "fail", "ours", "theirs", "newest", "most_important", "callback".
GITMEM_EXPORT std::string_view ToString(MergeStrategy s) noexcept;
/// Parses the names above; kInvalidArgument naming the field "strategy" otherwise.
GITMEM_EXPORT Result<MergeStrategy> ParseMergeStrategy(std::string_view s);

/// One memory the two sides changed in different ways.
struct MergeConflict {
  enum class Kind : uint8_t {
    kBothModified = 0,     ///< changed (or added) differently on both sides
    kModifiedDeleted = 1,  ///< ours changed it, theirs deleted it
    kDeletedModified = 2,  ///< ours deleted it, theirs changed it
  };
  Kind kind = Kind::kBothModified;
  std::string id;
  /// The version in the merge base; absent when the base did not have it, or when the
  /// merge bases of a criss-cross merge disagree about it (then `base_ambiguous`).
  std::optional<Memory> base;
  std::optional<Memory> ours;    ///< absent when ours deleted it
  std::optional<Memory> theirs;  ///< absent when theirs deleted it
  bool base_ambiguous = false;
  /// What the merge kept (after a strategy or resolver settled it): absent = deleted.
  /// Meaningless while the conflict is unresolved (MergeResult::commit is zero).
  std::optional<Memory> resolution;
};

GITMEM_EXPORT std::string_view ToString(MergeConflict::Kind k) noexcept;

/// A caller's decision for one conflict: the memory to keep (its id must be the
/// conflict's id), or nullopt to delete it. An error aborts the merge; nothing changes.
using MergeResolver = std::function<Result<std::optional<Memory>>(const MergeConflict&)>;

struct MergeOptions {
  std::string into;  ///< target branch; "" = HEAD's branch
  MergeStrategy strategy = MergeStrategy::kFail;
  MergeResolver resolver;  ///< REQUIRES: set when strategy == kCallback
  /// Explicit settlements by memory id, applied before the strategy: the way to finish a
  /// merge that failed with conflicts (value nullopt = delete the memory).
  std::unordered_map<std::string, std::optional<Memory>> resolutions;
  std::string message;             ///< "" = "Merge <source> into <branch>" (or the cherry-pick / revert default)
  std::string author;              ///< "" = RepositoryOptions::default_author
  int64_t timestamp_us = 0;        ///< 0 = now
  bool allow_fast_forward = true;  ///< false: always write a merge commit (git's --no-ff)
};

struct MergeResult {
  ObjectId commit;            ///< the new head of the target; zero when nothing was written
  bool fast_forward = false;  ///< the target moved to the source without a merge commit
  bool up_to_date = false;    ///< nothing to do: the source is already in the target
  /// With kFail: the unresolved conflicts (commit is zero, nothing changed). With any
  /// other strategy: the conflicts that were settled, with their resolution.
  std::vector<MergeConflict> conflicts;
  std::vector<ObjectId> merge_bases;  ///< the merge base(s) used (two or more: criss-cross)
  uint64_t changes_applied = 0;       ///< memories the target's tree changed by
  bool has_conflicts() const { return commit.is_zero() && !conflicts.empty(); }
};

}  // namespace gitmem
