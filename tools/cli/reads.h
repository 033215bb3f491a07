// Reads that the command line and the MCP server present alike: diffs that start before
// the first commit, and the memory list with its filters and paging.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gitmem/repository.hpp"

namespace gitmem::cli {

/// `branch`, or HEAD's branch when `branch` is empty (the default of every --branch).
std::string BranchOrHead(const Repository& repo, const std::string& branch);

/// The changes from `from` to `to`. Before the first commit, from "HEAD" means from
/// nothing: every memory at `to` is added.
Result<Diff> DiffStates(const Repository& repo, const ReadOptions& from, const ReadOptions& to);

/// What commit `c` changed against its first parent (everything, for a root commit).
Result<Diff> CommitDiff(const Repository& repo, const CommitInfo& c);

/// The filters of `gitmem list` and list_memories as given; an empty field matches
/// everything.
struct MemoryFilter {
  std::string type, tag, agent, session, scope;
  /// The engine's filter; kInvalidArgument for an unknown type or scope.
  Result<SearchFilter> ToSearchFilter() const;
};

/// The memories at `at` that `filter` matches, in id order, skipping the first `offset`
/// of them, at most `limit` (Repository::List with ListOptions::filter).
Result<std::vector<Memory>> ListMatching(const Repository& repo, const ReadOptions& at, const MemoryFilter& filter,
                                         uint64_t offset, uint64_t limit);

}  // namespace gitmem::cli
