// History of a repository: commits, diffs between states, versions of one memory, the
// changes staged for the next commit, and the branches and tags that name points of the
// history (refs are kept here rather than in a header of their own: they are small, and
// every reader of a ref also reads the commits it names).
//
// Thread safety: plain values, no internal synchronisation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gitmem/export.hpp"
#include "gitmem/memory.hpp"

namespace gitmem {

/// A commit as read back from the store.
struct CommitInfo {
  ObjectId id;
  ObjectId tree;
  std::vector<ObjectId> parents;
  std::string author;
  std::string message;
  int64_t timestamp_us = 0;
  uint64_t generation = 0;                        ///< 1 + max(parent generations); roots have 1
  uint64_t memory_count = 0;                      ///< memories in the tree
  uint64_t added = 0, modified = 0, removed = 0;  ///< against the first parent
  /// Ids changed against the first parent, at most CommitInfo::kMaxSummaryIds of them.
  std::vector<std::string> changed_ids;
  bool changed_ids_truncated = false;

  static constexpr size_t kMaxSummaryIds = 64;
};

/// One difference between two states of a repository.
struct DiffEntry {
  enum class Kind : uint8_t { kAdded, kModified, kRemoved };
  Kind kind;
  std::string id;
  std::optional<Memory> old_memory;  ///< absent for kAdded
  std::optional<Memory> new_memory;  ///< absent for kRemoved
};

/// The changes from state `a` to state `b`, sorted by id.
struct GITMEM_EXPORT Diff {
  std::vector<DiffEntry> entries;
  size_t added() const;
  size_t modified() const;
  size_t removed() const;
};

/// One version of a memory in its history: the commit that introduced it and the record
/// (absent when that commit deleted the memory).
struct MemoryVersion {
  CommitInfo commit;
  std::optional<Memory> memory;
};

/// A change staged on a branch and not yet committed.
struct StagedChange {
  std::string id;
  bool deleted = false;
  std::optional<Memory> memory;  ///< the staged record unless deleted
};

struct BranchInfo {
  std::string name;
  ObjectId head;            ///< zero for an unborn branch
  bool is_current = false;  ///< HEAD points at it
  size_t staged = 0;        ///< staged changes waiting for a commit
};

struct TagInfo {
  std::string name;
  ObjectId target;
};

}  // namespace gitmem
