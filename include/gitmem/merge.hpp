// Merge, fork and maintenance types of the C++ API (issue 5): merge options and results,
// conflicts and their strategies, repository info, gc reports, export / import options.
//
// Thread safety: plain values. Callbacks (MergeResolver, ProgressFn) are called on the
// thread that made the call, never concurrently with each other for one call.
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
    kBothModified = 0,      ///< changed (or added) differently on both sides
    kModifiedDeleted = 1,   ///< ours changed it, theirs deleted it
    kDeletedModified = 2,   ///< ours deleted it, theirs changed it
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

/// Reports progress of long work: `done` of `total` units (objects or memories).
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

struct MergeOptions {
  std::string into;  ///< target branch; "" = HEAD's branch
  MergeStrategy strategy = MergeStrategy::kFail;
  MergeResolver resolver;  ///< REQUIRES: set when strategy == kCallback
  /// Explicit settlements by memory id, applied before the strategy: the way to finish a
  /// merge that failed with conflicts (value nullopt = delete the memory).
  std::unordered_map<std::string, std::optional<Memory>> resolutions;
  std::string message;  ///< "" = "Merge <source> into <branch>" (or the cherry-pick / revert default)
  std::string author;   ///< "" = RepositoryOptions::default_author
  int64_t timestamp_us = 0;  ///< 0 = now
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

/// A repository's record in the store's metadata.
struct RepositoryInfo {
  std::string name;
  std::string description;
  std::string default_branch;
  std::string visibility;
  int64_t created_at_us = 0;
  uint64_t stars = 0, forks = 0, watchers = 0;
  std::string upstream;  ///< the repository this one was forked from ("" = none)
};

struct FsckOptions {
  /// Also verify the hash of every object in the store, reachable or not.
  bool all_objects = false;
  ProgressFn progress;
};

struct GcOptions {
  /// Only report what would be freed.
  bool dry_run = false;
  ProgressFn progress;
};

struct GcReport {
  uint64_t objects_scanned = 0;   ///< objects in the store when gc started
  uint64_t objects_reachable = 0;
  uint64_t objects_freed = 0;
  uint64_t bytes_freed = 0;       ///< bytes of the freed objects' values
  uint64_t session_entries_freed = 0;  ///< session index entries of freed blobs
  /// Search index manifests of trees nothing reaches, and deleted branches' pointers.
  uint64_t index_snapshots_freed = 0;
  uint64_t vectors_freed = 0;      ///< stored embeddings of contents no memory has
  uint64_t index_bytes_freed = 0;  ///< search index data freed (snapshots, segments, vectors)
};

struct ExportOptions {
  std::string rev;  ///< JSONL: what to export (ReadOptions::rev); "" = HEAD's working state
  ProgressFn progress;
};

struct ImportOptions {
  std::string branch;   ///< "" = HEAD's branch
  std::string message;  ///< "" = "import <n> memories from <file>"
  std::string author;   ///< "" = RepositoryOptions::default_author
  ProgressFn progress;
  /// Bundles: move a ref that already exists at another commit (otherwise kConflict).
  bool force = false;
};

struct ImportReport {
  uint64_t memories = 0;  ///< JSONL: records read
  uint64_t objects = 0;   ///< bundle: objects read
  uint64_t refs = 0;      ///< bundle: refs set
  ObjectId commit;        ///< JSONL: the commit made (zero when nothing changed)
};

}  // namespace gitmem
