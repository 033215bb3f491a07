// Repository::Impl — shared by the repo/*.cc files that implement the public API.
#pragma once

#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <optional>
#include <string>
#include <vector>

#include "gitmem/repository.hpp"
#include "store/store.h"
#include "tree/node_cache.h"
#include "tree/prolly_tree.h"

namespace gitmem {

/// An object id as the 32-byte key it has in the objects column family.
inline std::string_view IdView(const ObjectId& id) {
  return {reinterpret_cast<const char*>(id.bytes.data()), id.bytes.size()};
}

/// REQUIRES: b.size() >= 32.
inline ObjectId IdFromBytes(std::string_view b) {
  ObjectId id;
  std::copy(b.begin(), b.begin() + 32, id.bytes.begin());
  return id;
}

/// Loads tree nodes from the store's objects through a cache.
class StoreNodeSource final : public tree::NodeSource {
 public:
  StoreNodeSource(Store* store, tree::NodeCache* cache) : store_(store), cache_(cache) {}
  Result<tree::NodePtr> Load(const ObjectId& id) const override;

 private:
  Store* store_;
  tree::NodeCache* cache_;
};

/// Writes new tree nodes into a batch (and the cache, so they are hot after commit).
class BatchNodeSink final : public tree::NodeSink {
 public:
  BatchNodeSink(WriteBatch* batch, tree::NodeCache* cache) : batch_(batch), cache_(cache) {}
  void Store(const ObjectId& id, std::string bytes, tree::NodePtr node) override;
  size_t nodes() const { return nodes_; }
  size_t bytes() const { return bytes_; }

 private:
  WriteBatch* batch_;
  tree::NodeCache* cache_;
  size_t nodes_ = 0, bytes_ = 0;
};

/// What a read resolved to: a commit's tree, or a branch's working state (its head tree
/// with the staged changes applied in memory).
struct ReadState {
  std::string branch;  // set for a branch working state
  ObjectId commit;     // zero for an unborn branch
  ObjectId tree;
};

class Repository::Impl {
 public:
  Impl(std::shared_ptr<Store> store, RepositoryOptions options);

  std::shared_ptr<Store> store;
  RepositoryOptions options;
  tree::NodeCache node_cache;
  StoreNodeSource source;
  mutable std::mutex commit_tree_mu;
  mutable std::unordered_map<ObjectId, ObjectId, tree::ObjectIdHash> commit_tree;

  // ---- keys ----
  std::string RefKey(std::string_view full_ref) const;
  std::string StagingPrefix(std::string_view branch) const;
  static std::string BranchRef(std::string_view branch) { return "refs/heads/" + std::string(branch); }
  static std::string TagRef(std::string_view tag) { return "refs/tags/" + std::string(tag); }

  // ---- reading objects and refs ----
  Result<std::optional<ObjectId>> ReadRef(std::string_view full_ref, const Snapshot* snap = nullptr) const;
  Result<std::string> CurrentBranch() const;
  Result<std::string> BranchOrCurrent(std::string_view branch) const;
  Result<CommitInfo> LoadCommit(const ObjectId& id) const;
  /// The tree of a commit, through a cache (the mapping never changes).
  Result<ObjectId> TreeOfCommit(const ObjectId& commit) const;
  Result<Memory> LoadBlob(const ObjectId& id) const;
  /// The branch exists, or is the unborn branch HEAD points at.
  Result<bool> BranchUsable(std::string_view branch) const;

  // ---- revisions ----
  /// Resolves a revision to a commit id; "" means HEAD. NotFound for unborn HEAD.
  Result<ObjectId> ResolveCommit(std::string_view rev) const;
  /// Resolves a read. Working-state nodes go to `overlay`, which must outlive their use.
  Result<ReadState> ResolveRead(const ReadOptions& at, tree::OverlaySource* overlay,
                                const Snapshot* snap = nullptr) const;

  // ---- staging ----
  struct StagedEntry {
    std::string id;
    std::optional<ObjectId> blob;  // empty = delete
    std::string key;               // staging key, to clear it on commit
  };
  Result<std::vector<StagedEntry>> ReadStaged(std::string_view branch, const Snapshot* snap = nullptr) const;
  /// The blob of `id` in the branch's working state (staged change or head tree).
  Result<std::optional<ObjectId>> WorkingBlob(std::string_view branch, std::string_view id) const;

  // ---- writing ----
  /// Encodes a validated, completed memory and stages it (or commits it when auto_commit).
  /// REQUIRES: the branch lock is held.
  Status WriteLocked(const std::string& branch, const std::vector<Memory>& memories,
                     const std::vector<std::string>& deletes, const std::string& author);
  /// Turns `edits` into a commit on `branch` inside `batch`; moves the ref.
  /// REQUIRES: the branch lock is held.
  Result<ObjectId> CommitLocked(const std::string& branch, std::vector<tree::Edit> edits,
                                const CommitOptions& opts, WriteBatch* batch);
  Status Prepare(Memory* m, const std::string& author) const;

  // SEARCH-IMPL-BEGIN (search integration state and hooks)
  // SEARCH-IMPL-END
  // MERGE-IMPL-BEGIN (merge / maintenance helpers)
  // MERGE-IMPL-END
  Status CheckWritable() const;
};

}  // namespace gitmem
