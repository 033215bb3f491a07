// VectorSegment: an immutable set of vectors (see vector_index.h for the whole index).
// FAISS IndexFlatIP (exact) when small, IndexHNSWFlat (inner product) when larger than
// `flat_max`; owns the map position -> doc. Either a FAISS index in memory (built or
// deserialised) or a mapped segment file; both are searched by the same code over the same
// arrays. Shared by every branch / commit whose index contains it.
//
// Thread safety: immutable, safe to share and to search from many threads.
//
// Every FAISS or std exception is caught here and returned as a Status.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gitmem/status.hpp"
#include "search/segmented/compaction.h"
#include "search/segmented/tombstones.h"

namespace faiss {
struct Index;
}

namespace gitmem::index {

/// The vector index's parameters, with the compaction policy (counted in vectors).
struct VectorIndexOptions : segmented::CompactionPolicy {
  size_t dimension = 384;
  /// L2-normalise vectors on Add and queries on Search (scores are then cosines). Zero
  /// vectors are rejected when set.
  bool normalize = true;
  /// Segments with at most this many vectors are exact (IndexFlatIP); larger ones HNSW.
  size_t flat_max = 20000;
  int hnsw_m = 32;
  int hnsw_ef_construction = 80;
  int hnsw_ef_search = 64;
  /// Compact automatically after Add / Remove when a threshold is passed.
  bool auto_compact = true;
  /// Whether a segment larger than flat_max gets its HNSW graph when it is built. When
  /// false it is built exact (searched by a full scan) and awaits its graph, which
  /// VectorSegment::WithGraph adds later, off the caller's path. Not persisted.
  bool build_graphs = true;
};

/// One search result.
struct VectorHit {
  uint64_t doc;
  float score;
  friend bool operator==(const VectorHit&, const VectorHit&) = default;
};

/// Checks a vector: exact dimension, every element finite, and (when `nonzero`) not all
/// zeros. The message names `field`, e.g. "embedding[3]: NaN is not allowed".
Status ValidateVector(std::span<const float> v, size_t dimension, std::string_view field, bool nonzero);

using segmented::Tombstones;

class VectorSegment {
 public:
  /// Builds an immutable segment. `vectors` holds docs.size() * dimension floats, already
  /// validated (and normalised when the index normalises). `origin` is an opaque label
  /// (e.g. the commit the segment was built from), kept in the serialisation.
  static Result<std::shared_ptr<const VectorSegment>> Build(const VectorIndexOptions& options,
                                                            std::span<const uint64_t> docs,
                                                            std::span<const float> vectors, std::string origin = {});
  /// The segment `exact` with an HNSW graph: the same docs at the same positions (so
  /// tombstones of `exact` apply to it), built a chunk of vectors at a time; between chunks
  /// it stops with kBusy when `cancel` is set.
  static Result<std::shared_ptr<const VectorSegment>> WithGraph(const VectorSegment& exact,
                                                                const VectorIndexOptions& options,
                                                                const std::atomic<bool>& cancel);
  /// Parses bytes written by Serialize(). kCorruption on malformed input.
  static Result<std::shared_ptr<const VectorSegment>> Deserialize(std::string_view bytes);
  /// Maps a file written by WriteFile() and searches it in place: O(1) reads of the big
  /// arrays on open (the doc lookup, 20 bytes per vector, is checked; the vectors and the
  /// graph are paged in as queries touch them). `key` is the segment's Key(), which the
  /// file must record. kNotFound when the file does not exist, kCorruption when it is
  /// not a complete segment file for `key`.
  static Result<std::shared_ptr<const VectorSegment>> Map(const std::string& path, std::string_view key);

  ~VectorSegment();
  VectorSegment(const VectorSegment&) = delete;
  VectorSegment& operator=(const VectorSegment&) = delete;

  size_t size() const { return n_; }
  size_t dimension() const { return dimension_; }
  bool is_hnsw() const { return hnsw_; }
  /// Built exact though larger than `options.flat_max` (VectorIndexOptions::build_graphs).
  bool awaits_graph(const VectorIndexOptions& options) const { return !hnsw_ && n_ > options.flat_max; }
  /// True when the segment is a mapped file (Map) rather than a FAISS index in memory.
  bool mapped() const { return mapping_ != nullptr; }
  const std::string& origin() const { return origin_; }
  uint64_t doc(size_t pos) const { return docs_[pos]; }
  /// Position of `doc`, or -1.
  int64_t Find(uint64_t doc) const;
  /// The stored (normalised) vector at `pos`.
  const float* vector(size_t pos) const;

  /// Top `k` live vectors for query `q` (dimension floats). `dead` may be null. Appends
  /// up to k hits (fewer only when fewer live vectors exist) in no particular order.
  /// HNSW segments walk the graph at max(ef_search, k).
  Status Search(const float* q, size_t k, const Tombstones* dead, int ef_search, std::vector<VectorHit>* out) const;

  /// The FAISS index behind the segment (IndexFlatIP or IndexHNSWFlat) as an object of
  /// its own: a copy for a mapped segment. For tests and tools comparing with FAISS.
  Result<std::unique_ptr<faiss::Index>> Materialize() const;

  /// Self-contained bytes (doc numbers, origin, FAISS index via write_index). The same
  /// bytes for a built, deserialised or mapped segment.
  Result<std::string> Serialize() const;
  /// SHA-256 (hex) of Serialize(): the segment's content address. Computed once.
  Result<std::string> Key() const;
  /// Writes the segment as a mappable file at `path` (see Map): a temporary file that is
  /// flushed, then renamed to `path`, then the directory flushed, so `path` only ever
  /// names a complete file.
  Status WriteFile(const std::string& path) const;

 private:
  // The FAISS HNSW fields a search reads (and a file stores), pointing into the FAISS
  // index in memory or into the mapped file.
  struct Graph {
    const double* probas = nullptr;
    size_t n_probas = 0;
    const int32_t* cum = nullptr;  // cum_nneighbor_per_level
    size_t n_cum = 0;
    const int32_t* levels = nullptr;
    const uint64_t* offsets = nullptr;  // n + 1 entries
    const int32_t* neighbors = nullptr;
    size_t n_neighbors = 0;
    int entry_point = -1, max_level = -1, ef_construction = 0, ef_search = 0, upper_beam = 1;
  };

  VectorSegment() = default;
  void SetLookup(std::vector<uint64_t> docs);
  int64_t FirstDuplicate() const;
  void ViewOwnedIndex();
  void WalkHnsw(const float* q, size_t k, const Tombstones* dead, int ef_search, float* dist, int64_t* labels,
                size_t* found) const;

  size_t dimension_ = 0;
  size_t n_ = 0;
  bool hnsw_ = false;
  std::string origin_;
  std::unique_ptr<faiss::Index> index_;  // built or deserialised; null when mapped
  std::shared_ptr<const void> mapping_;  // the mapped file; null otherwise
  std::vector<uint64_t> own_docs_, own_sorted_doc_;
  std::vector<uint32_t> own_sorted_pos_;
  const uint64_t* docs_ = nullptr;        // position -> doc
  const uint64_t* sorted_doc_ = nullptr;  // docs ascending ...
  const uint32_t* sorted_pos_ = nullptr;  // ... and their positions
  const float* xb_ = nullptr;             // n * dimension floats
  Graph g_;
  mutable std::once_flag key_once_;
  mutable std::string key_;
  mutable Status key_status_;
};

}  // namespace gitmem::index
