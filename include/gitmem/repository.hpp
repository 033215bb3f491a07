// gitmem::Repository — the entry point of the C++ API — with the options it is opened with
// and its metadata record. The types its calls take and return live in one header per
// concept (options, memory, history, merge, maintenance, transfer, search), all included
// here except search.hpp; gitmem/gitmem.hpp includes everything.
//
// Thread safety: a Repository is safe to share between threads. Readers never wait for
// writers: reads see the last committed (or staged) state through RocksDB's consistent
// reads and take no lock a writer holds. Writers to one branch serialise; writers to
// different branches proceed in parallel. Several Repository objects (of the same or of
// different repositories) may be open on one store path in one process; they share one
// RocksDB instance.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gitmem/export.hpp"
#include "gitmem/history.hpp"
#include "gitmem/maintenance.hpp"
#include "gitmem/memory.hpp"
#include "gitmem/merge.hpp"
#include "gitmem/options.hpp"
#include "gitmem/status.hpp"
#include "gitmem/transfer.hpp"

namespace gitmem {

/// How a Repository object builds, caches and persists its search indexes (docs/search.md).
/// These tune derived data only: any values read the same memories. The embedder and the
/// embedding dimension are not here: they define the repository's vectors, which Init
/// records and every write checks, so they sit in RepositoryOptions itself.
struct SearchIndexOptions {
  /// Vector index segments up to this size are exact (FAISS IndexFlatIP), larger HNSW.
  size_t flat_max = 20000;
  int hnsw_m = 32;
  int hnsw_ef_construction = 80;
  /// HNSW queue size at query time, for every index this object searches (also those
  /// built with another value): higher finds more of the true top-k and costs more.
  int hnsw_ef_search = 64;
  /// Recent additions kept in an exact delta before they become a segment.
  size_t delta_max = 4096;
  /// Index states of past commits and working states kept in memory (LRU).
  size_t cache_entries = 8;
  /// A branch's index is persisted when a catch-up applied at least this many changes
  /// since its last persisted state (and always on Reindex and when closing).
  size_t persist_every = 1024;
  /// Index off the caller's path: a worker thread indexes a commit of at least
  /// `delta_max` changes as soon as it lands, and builds the approximate (HNSW) graph of
  /// every segment larger than `flat_max`; until a graph is ready, searches scan that
  /// segment exactly (the same results, slower). Off: graphs are built inside the search
  /// or commit that needs them (which may then take minutes for a large import).
  bool background_indexing = true;
};

/// How a repository is opened or created.
struct RepositoryOptions {
  /// Repository name, "owner/name". Many repositories share one store.
  std::string name = "local/memory";
  /// Init only: the branch HEAD points at in a new repository.
  std::string default_branch = "main";
  /// Init only: description recorded in the repository's metadata.
  std::string description;
  /// Every add / update / delete commits at once instead of staging.
  bool auto_commit = false;
  /// Author recorded on commits and in provenance when a call names none.
  std::string default_author = "gitmem";
  /// Largest accepted content, in bytes.
  size_t max_content_bytes = 64 * 1024;
  /// Largest accepted metadata JSON, in bytes.
  size_t max_metadata_bytes = 16 * 1024;
  /// fsync the write-ahead log on every state change (durable against power loss).
  bool sync = false;
  /// Open the store read-only (another process may be writing it). Writes fail.
  bool read_only = false;
  /// Bytes of decoded tree nodes kept in memory by this Repository object.
  size_t node_cache_bytes = 256u << 20;
  /// Embeds memory content and query text; null = the built-in default embedder
  /// (gitmem/embedder.hpp) with `embedding_dimension`.
  std::shared_ptr<class Embedder> embedder;
  /// Vector length, fixed per repository: Init records it in the repository's metadata
  /// (0 = the embedder's dimension, 384 for the default embedder); Open uses the
  /// recorded one, and a different non-zero value or embedder dimension is an error.
  size_t embedding_dimension = 0;
  /// How this object builds, caches and persists its search indexes.
  SearchIndexOptions search;
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

class GITMEM_EXPORT Repository {
 public:
  /// Creates repository `options.name` in the store at `path` (the directory is created
  /// when missing). Fails with kAlreadyExists when the repository exists.
  static Result<std::unique_ptr<Repository>> Init(const RepositoryOptions& options, std::string_view path);
  /// Opens existing repository `options.name` in the store at `path`.
  static Result<std::unique_ptr<Repository>> Open(const RepositoryOptions& options, std::string_view path);
  /// Names of the repositories in the store at `path`, sorted.
  static Result<std::vector<std::string>> ListRepositories(std::string_view path);

  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;
  ~Repository();

  const std::string& name() const;
  const RepositoryOptions& options() const;

  // ---- memories -------------------------------------------------------------------
  /// Writes `memory` (an upsert when its id exists) and returns its id. Staged unless
  /// auto_commit. Validation failures change nothing.
  Result<std::string> Put(const Memory& memory, const WriteOptions& options = {});
  /// Writes many memories in one atomic batch; all or nothing.
  Result<std::vector<std::string>> PutMany(std::span<const Memory> memories, const WriteOptions& options = {});
  /// Changes fields of an existing memory; kNotFound when it does not exist.
  Status Update(std::string_view id, const MemoryPatch& patch, const WriteOptions& options = {});
  /// Removes a memory; kNotFound when it does not exist.
  Status Delete(std::string_view id, const WriteOptions& options = {});

  Result<Memory> Get(std::string_view id, const ReadOptions& at = {}) const;
  /// Memories in id order.
  Result<std::vector<Memory>> List(const ListOptions& options = {}) const;
  Result<uint64_t> Count(const ReadOptions& at = {}) const;

  // ---- commits and history ----------------------------------------------------------
  /// Records the staged changes of a branch; kInvalidArgument when nothing is staged
  /// (unless allow_empty).
  Result<ObjectId> Commit(const CommitOptions& options);
  /// Staged changes of a branch ("" = HEAD's), in id order.
  Result<std::vector<StagedChange>> Staged(std::string_view branch = {}) const;
  /// Drops the staged changes of a branch.
  Status DiscardStaged(std::string_view branch = {});
  Result<std::vector<CommitInfo>> Log(const LogOptions& options = {}) const;
  Result<CommitInfo> Show(std::string_view rev) const;
  /// Changes from `a` to `b` (any revision ReadOptions accepts, including working states).
  Result<Diff> DiffRevs(const ReadOptions& a, const ReadOptions& b) const;
  /// Every committed version of one memory on rev's first-parent history, newest first.
  Result<std::vector<MemoryVersion>> History(std::string_view id, std::string_view rev = {}) const;
  /// Memories of one session at a revision, oldest first.
  Result<std::vector<Memory>> Session(std::string_view session_id, const ReadOptions& at = {}) const;
  /// Resolves a revision to a commit id (kNotFound for an unborn branch).
  Result<ObjectId> Resolve(std::string_view rev) const;

  // ---- branches and tags --------------------------------------------------------------
  /// Creates a branch at `at` (default: HEAD's commit). O(1): writes one ref.
  Status CreateBranch(std::string_view name, std::string_view at = {});
  Status DeleteBranch(std::string_view name);
  Status RenameBranch(std::string_view from, std::string_view to);
  Result<std::vector<BranchInfo>> ListBranches() const;
  /// Points HEAD at a branch.
  Status Checkout(std::string_view branch);
  /// The branch HEAD points at ("" only if HEAD cannot be read, which fsck reports).
  std::string CurrentBranch() const;
  /// Moves a branch ("" = HEAD's) to a commit; its staged changes are kept.
  Status Reset(std::string_view branch, std::string_view rev);
  Status CreateTag(std::string_view name, std::string_view at = {});
  Status DeleteTag(std::string_view name);
  Result<std::vector<TagInfo>> ListTags() const;

  // ---- search --------------------------------------------------------------------------
  /// Ranked search of one state (include gitmem/search.hpp for the option types).
  /// kInvalidArgument for k <= 0, a missing query, a query vector of the wrong dimension
  /// or with NaN / infinity / all zeros. Results are always in the searched tree and
  /// pass the filter; ties are ordered deterministically. Indexes catch up lazily here.
  Result<std::vector<struct SearchHit>> Search(const struct SearchOptions& options) const;
  /// Rebuilds a branch's index ("" = HEAD's) from its head tree and persists it;
  /// `progress` (optional) hears (memories done, memories in the tree).
  Status Reindex(std::string_view branch = {}, const ProgressFn& progress = {});
  /// Statistics of the index that answers searches of `at` (building it when needed).
  Result<struct SearchIndexInfo> IndexInfo(const ReadOptions& at = {}) const;
  /// Waits until the background worker has indexed `branch` ("" = HEAD's) up to its head
  /// commit, approximate graphs included (SearchIndexOptions::background_indexing); an
  /// error it met on the way. kBusy when `timeout_ms` (< 0: no limit) passes first.
  Status WaitForIndex(std::string_view branch = {}, int64_t timeout_ms = -1) const;

  // ---- merge and fork --------------------------------------------------------------
  /// Merges revision `source` (a branch, tag or commit) into branch `options.into`.
  /// Fast-forwards when the target is an ancestor of the source (unless disallowed);
  /// otherwise a three-way merge against the merge base (criss-cross merges: a virtual
  /// base merged from all the bases), costing O(changes log N). Conflicts are settled by
  /// options.resolutions, then options.strategy. With kFail and unsettled conflicts the
  /// result lists them and nothing changes (commit is zero). Staged changes of the target
  /// stay staged. The merge commit's parents are (target head, source commit).
  Result<MergeResult> Merge(std::string_view source, const MergeOptions& options = {});
  /// The best common ancestors of two revisions, newest generation first (empty when the
  /// histories are unrelated; two or more after criss-cross merges).
  Result<std::vector<ObjectId>> MergeBases(std::string_view a, std::string_view b) const;
  /// Applies the change one commit made (against its first parent) to branch
  /// `options.into` as a new one-parent commit. Conflicts as in Merge.
  Result<MergeResult> CherryPick(std::string_view commit, const MergeOptions& options = {});
  /// Undoes the change one commit made (against its first parent) on branch
  /// `options.into` with a new one-parent commit. Conflicts as in Merge.
  Result<MergeResult> Revert(std::string_view commit, const MergeOptions& options = {});

  /// Forks this repository to `new_name` ("owner/name") in the same store: copies its
  /// branches, tags and HEAD (objects are shared; staged changes are not copied), counts
  /// the fork on this repository and records it as the new one's upstream. O(refs).
  Result<std::unique_ptr<Repository>> Fork(std::string_view new_name);
  /// This repository's metadata record: description, counters, upstream.
  Result<RepositoryInfo> Info() const;

  // ---- maintenance --------------------------------------------------------------------
  /// Verifies every object reachable from this repository's refs and staged changes: the
  /// hash matches the bytes, the bytes decode, children exist, tree keys are ordered.
  Result<FsckReport> Fsck() const;
  /// Store-wide fsck: every object reachable from any ref or staged change of any
  /// repository in the store (hash, structure, children, tree order), plus every ref and
  /// repository record; with all_objects, every object in the store.
  static Result<FsckReport> FsckStore(std::string_view path, const FsckOptions& options = {});
  /// The same check over this repository's store.
  Result<FsckReport> FsckAll(const FsckOptions& options = {}) const;
  /// Removes the objects of the store that no ref and no staged change of any repository
  /// reaches (and the session index entries of removed blobs). Safe while readers and
  /// writers are at work: marks at a snapshot, then re-marks what changed since with
  /// writes paused before deleting (docs/architecture.md, "Merge and maintenance").
  /// REQUIRES: a writable store.
  Result<GcReport> Gc(const GcOptions& options = {});

  // ---- transfer ------------------------------------------------------------------------
  /// Writes the memories at options.rev as JSON Lines (one memory per line, every field).
  /// Returns the number of memories written.
  Result<uint64_t> ExportJsonl(std::string_view path, const ExportOptions& options = {}) const;
  /// Reads JSON Lines (as ExportJsonl writes; id optional, fields default as in Memory)
  /// and commits them to a branch in one commit. Every line is checked before anything is
  /// written: a bad line fails the import naming the line and the field.
  Result<ImportReport> ImportJsonl(std::string_view path, const ImportOptions& options = {});
  /// Writes a bundle: every object reachable from this repository's refs and the refs
  /// (docs/format.md). Returns the number of objects written.
  Result<uint64_t> ExportBundle(std::string_view path, const ExportOptions& options = {}) const;
  /// Reads a bundle into this repository: its objects, then its refs (a ref that exists
  /// at another commit is a conflict unless options.force); HEAD follows the bundle's when
  /// this repository's HEAD branch has no commits. Checked completely before writing; a
  /// damaged or foreign file is kCorruption.
  Result<ImportReport> ImportBundle(std::string_view path, const ImportOptions& options = {});

  /// Read-only repositories see the writer's state as of their opening or last Refresh;
  /// this catches up with everything the writing process has written since.
  Status Refresh();

  class Impl;

 private:
  explicit Repository(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Library version, "major.minor.patch".
GITMEM_EXPORT const char* Version() noexcept;

}  // namespace gitmem
