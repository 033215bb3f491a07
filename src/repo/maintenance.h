// Reachability over a whole store, shared by gc, store-wide fsck and bundle export.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "repo/repo_impl.h"

namespace gitmem::maint {

/// Marks every object reachable from commits and staged blobs. Commits and tree nodes are
/// remembered in sets (a subtree marked once is never walked again); blob ids are
/// appended to `blobs` (duplicates possible: sort and unique them when done).
class Marker {
 public:
  Marker(const Store& store, const tree::NodeSource& source) : store_(store), source_(source) {}

  /// Marks a commit, its ancestors and their trees. `snap` only bounds the commit reads.
  Status MarkCommit(const ObjectId& id, const Snapshot* snap);
  Status MarkTree(const ObjectId& root);
  void MarkBlob(const ObjectId& id) { blobs.push_back(id); }

  /// Marks from every ref and staged change of `repo` ("" = every repository) at `snap`;
  /// with "", also from each existing branch's latest persisted search index.
  Status MarkRoots(std::string_view repo, const Snapshot* snap);

  std::unordered_set<ObjectId, tree::ObjectIdHash> commits, trees;
  std::vector<ObjectId> blobs;

 private:
  const Store& store_;
  const tree::NodeSource& source_;
};

/// Whether `repo` has a branch `branch` at `snap`.
Result<bool> BranchExists(const Store& store, std::string_view repo, std::string_view branch, const Snapshot* snap);

}  // namespace gitmem::maint
