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
// Thread safety: all methods are safe to call concurrently. Lookups take a short mutex;
// building or catching up a state holds a build mutex (one build at a time per
// Repository object); searching a state takes no lock (states are immutable once
// published).
#pragma once

#include "gitmem/options.hpp"  // ProgressFn

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gitmem/embedder.hpp"
#include "gitmem/search.hpp"
#include "index/vector_index.h"
#include "repo/repo_impl.h"
#include "search/bm25.h"

namespace gitmem {

/// The indexes of one tree.
struct IndexState {
  IndexState(index::VectorIndex v, search::Bm25Index k) : vec(std::move(v)), kw(std::move(k)) {}
  ObjectId commit;  ///< the commit whose tree this is (a working state: its base commit)
  ObjectId tree;
  index::VectorIndex vec;
  search::Bm25Index kw;
  std::string source;            ///< how it was made (SearchIndexInfo::source)
  uint64_t changes_applied = 0;  ///< tree changes applied when it was made
  uint64_t unpersisted = 0;      ///< changes since the last persisted ancestor state
};
using IndexStatePtr = std::shared_ptr<const IndexState>;

class SearchEngine {
 public:
  /// Reads the repository's recorded dimension and embedder id (meta record "search").
  static Result<std::shared_ptr<SearchEngine>> Create(const Repository::Impl* repo);
  /// The "search" object Init records for these options: {"dimension":..,"embedder":..}.
  static Result<std::string> MetaJson(const RepositoryOptions& options);
  /// Persists every branch state with unpersisted changes (writable stores only).
  ~SearchEngine();

  size_t dimension() const { return dim_; }
  /// The efSearch of this object's queries (RepositoryOptions, not the persisted index's).
  int ef_search() const { return vopts_.hnsw_ef_search; }
  const std::string& embedder_id() const { return embedder_id_; }
  const Embedder& embedder() const { return *embedder_; }
  /// Key of a vector in the `vectors` column family.
  std::string VectorKey(const ObjectId& content_hash) const;
  /// Doc number of a memory id in the indexes (a stable 64-bit hash of the id).
  static uint64_t DocOf(std::string_view id);
  /// Memory id of a doc number the indexes returned.
  Result<std::string> IdOf(uint64_t doc) const;

  /// The indexes of a resolved read state whose tree `src` can read (working states'
  /// trees live in an overlay).
  Result<IndexStatePtr> StateFor(const ReadState& st, const tree::NodeSource& src);
  /// Rebuilds the index of `branch`'s head from scratch and persists it.
  Status Reindex(const std::string& branch, const ProgressFn& progress = {});
  /// Writes `branch`'s latest state now (no-op when read-only or nothing is new).
  Status Flush(const std::string& branch);

  // ---- persisted layout, shared with gc (src/repo/index_gc.cc) ----
  /// A manifest record (`indexes` "m" key): the two index manifests, the commit, and the
  /// segments they name (absent in manifests written before segment lists). The manifests
  /// are views into the bytes decoded (or serialised) — they can hold megabytes of delta
  /// vectors, and gc and fsck only want the segment lists.
  struct ManifestValue {
    std::string_view vector_manifest, keyword_manifest;
    ObjectId commit;
    bool lists_segments = false;
    std::vector<std::string> vector_segments, keyword_segments;  // segment keys
  };
  static std::string EncodeManifestValue(const ManifestValue& v);
  static Result<ManifestValue> DecodeManifestValue(std::string_view bytes);
  /// The folder of a store's vector segment files, `<key>.gmvs`.
  static std::string SegmentDir(const std::string& store_path);

 private:
  explicit SearchEngine(const Repository::Impl* repo) : repo_(repo) {}
  Result<std::shared_ptr<IndexState>> NewEmptyState() const;
  IndexStatePtr Cached(const ObjectId& tree);
  void Remember(const IndexStatePtr& state);
  Result<IndexStatePtr> CommitState(const ObjectId& commit, const std::string& branch);
  Result<IndexStatePtr> Nearest(const ObjectId& commit, const std::string& branch);
  Result<IndexStatePtr> Load(const ObjectId& tree);
  Status ApplyDiff(IndexState* state, const ObjectId& from, const ObjectId& to,
                   const tree::NodeSource& src, const ProgressFn& progress = {});
  Status Persist(const std::string& branch, const IndexStatePtr& state);
  Status DropReplacedManifest(const std::string& branch, const ObjectId& tree, WriteBatch* batch);
  Status WriteKeywordSegment(const search::Bm25Segment& seg, SortedPuts* puts);
  std::string SegmentPath(std::string_view key) const;
  Status WriteVectorFile(const index::VectorSegment& seg, const std::string& key);
  Result<std::string> ReadSegment(char kind, std::string_view key) const;
  std::string BranchKey(std::string_view branch) const;
  std::string ManifestKey(const ObjectId& tree) const;
  Status RegisterDoc(uint64_t doc, const std::string& id, SortedPuts* puts);

  const Repository::Impl* repo_;
  std::shared_ptr<Embedder> embedder_;
  std::string embedder_id_;
  size_t dim_ = 0;
  index::VectorIndexOptions vopts_;
  search::Bm25Options kopts_;
  bool writable_ = false;

  mutable std::mutex mu_;  // guards everything below except build_mu_
  std::mutex build_mu_;    // one build / catch-up at a time
  std::list<IndexStatePtr> lru_;  // front = most recent
  std::unordered_map<ObjectId, std::list<IndexStatePtr>::iterator, tree::ObjectIdHash> lru_map_;
  std::unordered_map<std::string, IndexStatePtr> branch_;  // latest state per branch
  mutable std::unordered_map<uint64_t, std::string> doc_ids_;
  std::unordered_map<std::string, std::weak_ptr<const index::VectorSegment>> vseg_cache_;
  std::unordered_map<std::string, std::weak_ptr<const search::Bm25Segment>> kseg_cache_;
  IndexStatePtr empty_;
};

}  // namespace gitmem
