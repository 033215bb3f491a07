// Repository::Impl — shared by the repo/*.cc files that implement the public API.
#pragma once

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "gitmem/repository.hpp"
#include "store/keys.h"
#include "store/store.h"
#include "tree/node_cache.h"
#include "tree/prolly_tree.h"
#include "util/mutex.h"
#include "util/thread_annotations.h"

namespace gitmem {

namespace search {
class SearchEngine;
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

/// Collects new tree nodes as objects to write (and puts them in the cache, so they are
/// hot after the commit).
class BatchNodeSink final : public tree::NodeSink {
 public:
  explicit BatchNodeSink(tree::NodeCache* cache) : cache_(cache) {}
  void Store(const ObjectId& id, std::string bytes, tree::NodePtr node) override;
  /// Moves the collected nodes into `batch`.
  void AddTo(WriteBatch* batch);

 private:
  SortedPuts nodes_;
  tree::NodeCache* cache_;
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

  // ---- constant after construction: read without a lock ----
  const std::shared_ptr<Store> store;
  const RepositoryOptions options;

  // ---- synchronised internally ----
  tree::NodeCache node_cache;
  StoreNodeSource source;

  // ---- protected by ref_cache_mu ----
  /// Raw values of refs (HEAD included) read since the last write to the refs family;
  /// nullopt = absent. Valid while Store::StableRefVersion() == ref_cache_version.
  mutable Mutex ref_cache_mu;
  mutable uint64_t ref_cache_version GUARDED_BY(ref_cache_mu) = UINT64_MAX;
  mutable std::unordered_map<std::string, std::optional<std::string>> ref_cache GUARDED_BY(ref_cache_mu);
  Result<std::optional<std::string>> ReadRefValue(std::string_view full_ref, const Snapshot* snap) const
      EXCLUDES(ref_cache_mu);

  // ---- protected by commit_tree_mu ----
  mutable Mutex commit_tree_mu;
  mutable std::unordered_map<ObjectId, ObjectId, tree::ObjectIdHash> commit_tree GUARDED_BY(commit_tree_mu);

  // ---- keys ----
  std::string RefKey(std::string_view full_ref) const { return keys::RefKey(options.name, full_ref); }
  static std::string BranchRef(std::string_view branch) { return keys::BranchRef(branch); }
  static std::string TagRef(std::string_view tag) { return keys::TagRef(tag); }

  // ---- reading objects and refs ----
  Result<std::optional<ObjectId>> ReadRef(std::string_view full_ref, const Snapshot* snap = nullptr) const;
  Result<std::string> CurrentBranch() const;
  Result<std::string> BranchOrCurrent(std::string_view branch) const;
  Result<CommitInfo> LoadCommit(const ObjectId& id) const;
  /// The tree of a commit, through a cache (the mapping never changes).
  Result<ObjectId> TreeOfCommit(const ObjectId& commit) const EXCLUDES(commit_tree_mu);
  Result<Memory> LoadBlob(const ObjectId& id) const;
  /// The branch exists, or is the unborn branch HEAD points at.
  Result<bool> BranchUsable(std::string_view branch) const;

  // ---- revisions ----
  /// Resolves a revision to a commit id; "" means HEAD. NotFound for unborn HEAD.
  Result<ObjectId> ResolveCommit(std::string_view rev) const;
  /// The branch whose working state `at` reads, or "" when it reads a commit.
  Result<std::string> WorkingBranchOf(const ReadOptions& at) const;
  /// Resolves a read. Working-state nodes go to `overlay`, which must outlive their use.
  Result<ReadState> ResolveRead(const ReadOptions& at, tree::OverlaySource* overlay,
                                const Snapshot* snap = nullptr) const;

  // ---- staging ----
  struct StagedEntry {
    std::string id;
    std::optional<ObjectId> blob;  // empty = delete
    std::string key;               // staging key, to clear it on commit
  };
  /// A branch's staged changes: the entries of its current generation (store/keys.h).
  struct Staging {
    uint64_t generation = 0;
    std::vector<StagedEntry> entries;
  };
  Result<uint64_t> StagingGeneration(std::string_view branch, const Snapshot* snap = nullptr) const;
  /// O(staged): one lookup and one bounded scan, never a step over a cleared change.
  Result<Staging> ReadStaged(std::string_view branch, const Snapshot* snap = nullptr) const;
  /// Adds to `batch` what empties the branch's staging: the entries' deletion and the move
  /// to the next generation.
  void ClearStaging(std::string_view branch, const Staging& staging, WriteBatch* batch) const;
  /// The blob of `id` in the branch's working state (staged change or head tree).
  Result<std::optional<ObjectId>> WorkingBlob(std::string_view branch, std::string_view id) const;

  // ---- writing ----
  /// Validates and completes (Prepare) copies of `memories`, encodes them, and stages
  /// them with `deletes` in one batch (or commits, with auto_commit); returns their ids.
  /// Nothing is written when one is invalid: the error names it ("memories[i]: ...").
  /// REQUIRES: the branch lock is held.
  Result<std::vector<std::string>> WriteLocked(const std::string& branch, std::span<const Memory> memories,
                                               const std::vector<std::string>& deletes, const std::string& author);
  /// What CommitLocked does when the edits change nothing (and allow_empty is off).
  enum class NoChange { kFail, kKeepHead };
  /// Applies `edits` to the branch's head tree and commits the result: adds the new tree
  /// nodes and the commit to `batch` (which may hold the blobs and other writes that go
  /// with it), moves the ref, and writes the batch. REQUIRES: the branch lock is held.
  Result<ObjectId> CommitLocked(const std::string& branch, std::vector<tree::Edit> edits, const CommitOptions& opts,
                                WriteBatch* batch, NoChange if_unchanged = NoChange::kFail);
  /// Writes a commit of tree `root` with `parents` (first = the branch's head, or none for
  /// an unborn branch) inside `batch`, moves the branch ref, and writes the batch.
  /// `changes` are the changes against the first parent (the commit's summary).
  /// REQUIRES: the branch lock is held; the tree's new nodes are already in `batch`.
  Result<ObjectId> WriteCommitLocked(const std::string& branch, const std::vector<ObjectId>& parents,
                                     const ObjectId& root, const std::vector<tree::Change>& changes,
                                     uint64_t memory_count, const CommitOptions& opts, WriteBatch* batch);
  Status Prepare(Memory* m, const std::string& author) const;

  // ---- search ----
  /// The search engine (src/search/engine/), created on first use; it reads this
  /// repository through a RepoReader adapter (search.cc). Errors (a dimension mismatch, a
  /// bad embedder) are reported by every call that needs it.
  Result<search::SearchEngine*> Search() const;
  // Set once, under search_once; read without a lock after it.
  mutable std::once_flag search_once;
  mutable std::shared_ptr<search::SearchEngine> search_engine;  // shared_ptr: type-erased deleter
  mutable Status search_status;
  /// Put hook (Prepare): checks a caller-supplied embedding (dimension, finite, nonzero);
  /// the message names the field. No-op when the memory has none.
  Status SearchValidate(const Memory& m) const;
  /// Put hook (WriteLocked): adds a caller-supplied embedding to `puts` (of the vectors
  /// family); WriteBatch::PutSorted turns a large import's embeddings (1.5 KB each at 384
  /// dimensions) into an ingested table file rather than write-ahead log that the next
  /// open replays. REQUIRES: SearchValidate(m) succeeded.
  void SearchStage(const Memory& m, SortedPuts* puts) const;
  /// After a commit of `changes` changes landed on `branch`: a big one is indexed by the
  /// search engine's background worker at once (SearchIndexOptions::background_indexing).
  void SearchAfterCommit(const std::string& branch, size_t changes) const;
  /// Init hook: records the vector dimension and embedder id in the meta record `meta`
  /// (a nlohmann::json object) under "search".
  template <class Json>
  Status SearchInit(Json* meta) const {
    GITMEM_ASSIGN_OR_RETURN(std::string fields, SearchMetaJson());
    (*meta)["search"] = Json::parse(fields);
    return Status::Ok();
  }
  Result<std::string> SearchMetaJson() const;

  Status CheckWritable() const;
};

}  // namespace gitmem
