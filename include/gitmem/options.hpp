// Options shared by many calls of the C++ API: where a read looks, where a write goes,
// how a commit is made, paging of lists and logs, and the progress callback of long work.
//
// Thread safety: plain values. A ProgressFn is called on the thread that made the call,
// never concurrently with itself for one call.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "gitmem/filter.hpp"

namespace gitmem {

/// Reports progress of long work: `done` of `total` units (objects or memories).
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

/// Where a read looks.
struct ReadOptions {
  /// "" = HEAD's branch; a branch name = that branch's working state (its head commit plus
  /// staged changes); a tag; "HEAD"; a commit id (64 hex digits or a unique prefix of at
  /// least 4); any of those followed by "~N" for the N-th first-parent ancestor.
  std::string rev;
  /// Time travel: read the newest commit on rev's first-parent history whose timestamp is
  /// at or before this time (UTC microseconds). Staged changes are not included.
  std::optional<int64_t> as_of_us;
};

/// Where a write goes and who makes it.
struct WriteOptions {
  std::string branch;  ///< "" = HEAD's branch
  std::string author;  ///< "" = RepositoryOptions::default_author
};

struct CommitOptions {
  std::string branch;  ///< "" = HEAD's branch
  std::string message;
  std::string author;        ///< "" = RepositoryOptions::default_author
  int64_t timestamp_us = 0;  ///< 0 = now
  bool allow_empty = false;  ///< commit even when nothing is staged
};

struct ListOptions {
  ReadOptions at;
  /// Position in id order among the memories `filter` admits. Without a filter paging
  /// costs O(log N), not O(offset); with one the state is scanned from the start.
  uint64_t offset = 0;
  uint64_t limit = UINT64_MAX;
  /// Only memories it admits are listed (and counted by offset / limit). Empty: all.
  SearchFilter filter;
};

struct LogOptions {
  std::string rev;           ///< "" = HEAD
  bool first_parent = true;  ///< false: the whole DAG, newest first
  uint64_t offset = 0;
  uint64_t limit = UINT64_MAX;
};

}  // namespace gitmem
