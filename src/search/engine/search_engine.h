// SearchEngine: the search indexes of one Repository object (docs/search.md, "Indexes of a
// repository").
//
// An IndexState is the vector + keyword index of exactly one tree. States are values:
// copying one copies pointers (segments are shared, tombstones and deltas copy-on-write),
// so a branch's state, its staged working state and a past commit's state share almost
// everything. The engine finds the state of a tree by, in order:
//   1. the in-memory cache (bounded LRU keyed by tree id, plus each branch's latest state);
//   2. a manifest persisted for that tree (column family `indexes`);
//   3. catch-up: the nearest indexed state (the branch's own, a persisted one of the branch,
//      a first-parent ancestor, another branch's) plus the tree diff between the two —
//      O(changes · log N) tree work and only the changed memories re-indexed;
//   4. only when nothing is indexed yet: the diff from the empty tree (a first build).
// Reindex is the only full rebuild of an indexed branch.
//
// Persistence (derived data, its own write batch, never part of a commit's batch):
// (every key is made and parsed by src/store/keys.h; the manifest value by manifest.h)
//   <store>/search-segments/<segment-key>.gmvs      -> a vector segment, mapped on load
//   indexes: "s" kind(v|k) segment-key be32(chunk)  -> segment bytes (64 MiB chunks): keyword
//                                                      segments, and vector segments of
//                                                      stores from before segment files
//            "m" embedder-id \0 tree-id              -> manifest (vector, keyword, commit,
//                                                      the segment keys it names)
//            "b" repo \0 branch                      -> tree-id commit-id (latest persisted; a
//                                                      persist drops the branch's previous
//                                                      manifest unless another pointer names it)
//            "d" be64(doc)                           -> memory id
//   vectors: embedder-id \0 content-hash             -> float32 vector (little-endian)
//
// The engine reads the repository only through a RepoReader (repo_reader.h).
//
// Thread safety: all methods are safe to call concurrently. Lookups take a short mutex
// (mu_); building or catching up a state holds a build mutex (build_mu_, one build at a
// time per Repository object, taken before mu_); searching a state takes no lock (states
// are immutable once published).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "gitmem/embedder.hpp"
#include "gitmem/options.hpp"
#include "gitmem/repository.hpp"
#include "gitmem/search.hpp"
#include "search/engine/repo_reader.h"
#include "search/filter.h"
#include "search/keyword/bm25.h"
#include "search/vector/vector_index.h"
#include "store/keys.h"
#include "tree/prolly_tree.h"
#include "util/mutex.h"
#include "util/thread_annotations.h"

namespace gitmem::search {

/// The indexes of one tree.
struct IndexState {
  IndexState(index::VectorIndex v, Bm25Index k) : vec(std::move(v)), kw(std::move(k)) {}
  ObjectId commit;  ///< the commit whose tree this is (a working state: its base commit)
  ObjectId tree;
  index::VectorIndex vec;
  Bm25Index kw;
  std::string source;            ///< how it was made (SearchIndexInfo::source)
  uint64_t changes_applied = 0;  ///< tree changes applied when it was made
  uint64_t unpersisted = 0;      ///< changes since the last persisted ancestor state
};
using IndexStatePtr = std::shared_ptr<const IndexState>;

class SearchEngine {
 public:
  /// Reads the repository's recorded dimension and embedder id (meta record "search").
  /// `options` are the Repository object's (embedder, dimension, index tuning).
  static Result<std::unique_ptr<SearchEngine>> Create(std::unique_ptr<const RepoReader> repo,
                                                      const RepositoryOptions& options);
  /// The "search" object Init records for these options: {"dimension":..,"embedder":..}.
  static Result<std::string> MetaJson(const RepositoryOptions& options);
  /// Persists every branch state with unpersisted changes (writable stores only).
  ~SearchEngine();
  SearchEngine(const SearchEngine&) = delete;
  SearchEngine& operator=(const SearchEngine&) = delete;

  size_t dimension() const { return dim_; }
  /// The efSearch of this object's queries (RepositoryOptions, not the persisted index's).
  int ef_search() const { return vopts_.hnsw_ef_search; }
  const std::string& embedder_id() const { return embedder_id_; }
  const Embedder& embedder() const { return *embedder_; }
  /// Doc number of a memory id in the indexes (a stable 64-bit hash of the id).
  static uint64_t DocOf(std::string_view id);
  /// Memory id of a doc number the indexes returned.
  Result<std::string> IdOf(uint64_t doc) const EXCLUDES(mu_);

  // ---- the write path's hooks ----
  /// Checks a caller-supplied embedding (dimension, finite, nonzero); the message names
  /// the field. No-op when the memory has none.
  Status ValidateEmbedding(const Memory& m) const;
  /// Adds a caller-supplied embedding to `puts` (of the vectors family), keyed by
  /// (embedder id, content hash). REQUIRES: ValidateEmbedding(m) succeeded.
  void StageEmbedding(const Memory& m, SortedPuts* puts) const;

  // ---- queries (query.cc) ----
  /// Checks a query's options without touching any index, and compiles its filter.
  static Result<CompiledFilter> CheckQuery(const SearchOptions& options);
  /// Repository::Search. REQUIRES: `filter` is CheckQuery(options)'s.
  Result<std::vector<SearchHit>> Search(const SearchOptions& options, const CompiledFilter& filter);
  /// Repository::IndexInfo.
  Result<SearchIndexInfo> Info(const ReadOptions& at);

  /// The indexes of a resolved read whose tree `src` can read (working states' trees
  /// live in an overlay).
  Result<IndexStatePtr> StateFor(const ReadTarget& st, const tree::NodeSource& src) EXCLUDES(build_mu_, mu_);
  /// Rebuilds the index of `branch`'s head from scratch and persists it.
  Status Reindex(const std::string& branch, const ProgressFn& progress = {}) EXCLUDES(build_mu_, mu_);
  /// Writes `branch`'s latest state now (no-op when read-only or nothing is new).
  Status Flush(const std::string& branch) EXCLUDES(mu_);

  // ---- background indexing (background.cc) ----
  /// Asks the worker to bring `branch`'s committed index up to date: catch up to its head,
  /// then build the graphs its segments await, persisting each step. Starts the worker on
  /// first use; a no-op without SearchIndexOptions::background_indexing.
  void Schedule(const std::string& branch) EXCLUDES(work_mu_);
  /// Schedules `branch` and waits until the worker has nothing left to do; kBusy when
  /// `timeout_ms` (< 0: no limit) passes first. The worker's last error, if any.
  Status WaitIdle(const std::string& branch, int64_t timeout_ms) EXCLUDES(work_mu_);
  /// Whether the worker has work queued or running.
  bool Indexing() const EXCLUDES(work_mu_);

 private:
  SearchEngine(std::unique_ptr<const RepoReader> repo, const RepositoryOptions& options);
  Result<std::shared_ptr<IndexState>> NewEmptyState() const;
  IndexStatePtr Cached(const ObjectId& tree) EXCLUDES(mu_);
  void Remember(const IndexStatePtr& state) EXCLUDES(mu_);
  void NoteBranch(const std::string& branch, const IndexStatePtr& state) EXCLUDES(mu_);
  Result<IndexStatePtr> CommitState(const ObjectId& commit, const std::string& branch) EXCLUDES(build_mu_, mu_);
  Result<IndexStatePtr> Nearest(const ObjectId& commit, const std::string& branch) REQUIRES(build_mu_) EXCLUDES(mu_);
  Result<IndexStatePtr> Load(const ObjectId& tree) EXCLUDES(mu_);
  void WorkerLoop() EXCLUDES(work_mu_);
  Status IndexBranch(const std::string& branch) EXCLUDES(build_mu_, mu_);
  /// Every cached state holding `exact` gets `with_graph` in its place.
  void PublishGraph(const index::VectorSegment* exact, const std::shared_ptr<const index::VectorSegment>& with_graph)
      REQUIRES(build_mu_) EXCLUDES(mu_);
  void StopWorker() EXCLUDES(work_mu_);
  /// True when `branch`'s latest state is its head's and awaits no graph.
  bool Complete(const std::string& branch) EXCLUDES(mu_);
  Status ApplyDiff(IndexState* state, const ObjectId& from, const ObjectId& to, const tree::NodeSource& src,
                   const ProgressFn& progress = {}) REQUIRES(build_mu_) EXCLUDES(mu_);
  Status Persist(const std::string& branch, const IndexStatePtr& state) EXCLUDES(mu_);
  /// REQUIRES: the store's GcLock.
  Status DropReplacedManifest(const std::string& branch, const ObjectId& tree, WriteBatch* batch);
  Status WriteKeywordSegment(const Bm25Segment& seg, SortedPuts* puts);
  std::string SegmentPath(std::string_view key) const;
  Status WriteVectorFile(const index::VectorSegment& seg, const std::string& key);
  Result<std::string> ReadSegment(keys::SegmentKind kind, std::string_view key) const;
  std::string VectorKey(const ObjectId& content_hash) const;
  Status RegisterDoc(uint64_t doc, const std::string& id, SortedPuts* puts) EXCLUDES(mu_);

  // Constant after construction.
  const std::unique_ptr<const RepoReader> repo_;
  const SearchIndexOptions options_;
  std::shared_ptr<Embedder> embedder_;
  std::string embedder_id_;
  size_t dim_ = 0;
  index::VectorIndexOptions vopts_;
  Bm25Options kopts_;
  bool writable_ = false;
  IndexStatePtr empty_;  // the state of the empty tree

  // One build or catch-up at a time.
  Mutex build_mu_;

  // Protected by mu_.
  mutable Mutex mu_ ACQUIRED_AFTER(build_mu_);
  std::list<IndexStatePtr> lru_ GUARDED_BY(mu_);  // front = most recent
  std::unordered_map<ObjectId, std::list<IndexStatePtr>::iterator, tree::ObjectIdHash> lru_map_ GUARDED_BY(mu_);
  std::unordered_map<std::string, IndexStatePtr> branch_ GUARDED_BY(mu_);  // latest state per branch
  mutable std::unordered_map<uint64_t, std::string> doc_ids_ GUARDED_BY(mu_);
  std::unordered_map<std::string, std::weak_ptr<const index::VectorSegment>> vseg_cache_ GUARDED_BY(mu_);
  std::unordered_map<std::string, std::weak_ptr<const Bm25Segment>> kseg_cache_ GUARDED_BY(mu_);

  // The background worker. Protected by work_mu_ (taken alone, never with the others).
  mutable Mutex work_mu_;
  std::condition_variable_any work_cv_;  // queue changed, or the worker went idle
  std::deque<std::string> queue_ GUARDED_BY(work_mu_);
  bool working_ GUARDED_BY(work_mu_) = false;
  bool stopping_ GUARDED_BY(work_mu_) = false;
  Status last_error_ GUARDED_BY(work_mu_);
  std::thread worker_ GUARDED_BY(work_mu_);
  std::atomic<bool> cancel_{false};  // read by graph builds between chunks
};

}  // namespace gitmem::search
