// Vector index with git-style branching: immutable shared segments + per-branch
// tombstones + a small exact delta (see docs/search.md, "Vector index").
//
//   VectorSegment  immutable; FAISS IndexFlatIP (exact) when small, IndexHNSWFlat (inner
//                  product) when larger than `flat_max`. Owns the map position -> doc.
//                  Shared by every branch / commit whose index contains it. Either a FAISS
//                  index in memory (built or deserialised) or a mapped segment file; both
//                  are searched by the same code over the same arrays.
//   VectorIndex    one branch's (or one commit's) view: a list of shared segments, a
//                  copy-on-write tombstone bitmap per segment, and a copy-on-write exact
//                  delta of recent additions. Copying a VectorIndex copies pointers only
//                  (O(#segments)); the first write to a copy clones just the part it
//                  changes (one bitmap, or the delta, which is bounded by `delta_max`).
//
// Documents are 64-bit numbers chosen by the owner (the repository maps memory ids to
// them). Scores are inner products (cosine similarity when `normalize`). Results are
// ordered by score descending, then doc ascending; ties at the k-th place are resolved
// the same way whatever the segment layout.
//
// Thread safety: a const VectorIndex may be searched from many threads at once. Mutation
// needs external synchronisation (the owner copies, mutates the copy, and publishes it).
// Segments are immutable and safe to share.
//
// Every FAISS or std exception is caught here and returned as a Status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gitmem/status.hpp"
#include "search/vector/vector_segment.h"

namespace gitmem::index {

class VectorIndex {
 public:
  /// kInvalidArgument when an option is out of range.
  static Result<VectorIndex> Create(const VectorIndexOptions& options);

  VectorIndex(const VectorIndex&) = default;  ///< O(#segments): shares everything
  VectorIndex& operator=(const VectorIndex&) = default;
  VectorIndex(VectorIndex&&) noexcept = default;
  VectorIndex& operator=(VectorIndex&&) noexcept = default;

  const VectorIndexOptions& options() const { return options_; }
  /// Live documents.
  size_t size() const;
  bool Contains(uint64_t doc) const;

  /// Inserts or replaces the vector of `doc`. Invalid vectors change nothing.
  Status Add(uint64_t doc, std::span<const float> vector);
  /// Inserts many (docs.size() * dimension floats); all validated before any is added.
  /// A batch into an empty index, or of at least delta_max vectors, becomes one segment.
  Status AddBatch(std::span<const uint64_t> docs, std::span<const float> vectors);
  /// Removes `doc`; kNotFound when it is not in the index.
  Status Remove(uint64_t doc);

  /// The k best live documents for `query`. kInvalidArgument for k <= 0 or a bad query.
  Result<std::vector<VectorHit>> Search(std::span<const float> query, int k) const;
  /// Same, with an explicit HNSW efSearch (>= k is enforced).
  Result<std::vector<VectorHit>> Search(std::span<const float> query, int k, int ef_search) const;

  /// True when a threshold (delta size, dead fraction, tier size) asks for compaction.
  bool NeedsCompaction() const;
  /// Flushes the delta into a segment, rebuilds segments with many dead vectors and merges
  /// same-tier segments. `full` merges everything into one segment. New segments get
  /// `origin` as their label.
  Status Compact(bool full = false, const std::string& origin = {});

  /// Self-contained bytes: options, segments, tombstones, delta.
  Result<std::string> Serialize() const;
  static Result<VectorIndex> Deserialize(std::string_view bytes);

  /// Bytes without the segments' contents: options, segment keys, tombstones, delta.
  /// Store each segment once under its Key() (segments are shared between commits and
  /// branches) and this manifest with the commit.
  Result<std::string> SerializeManifest() const;
  using SegmentLoader = std::function<Result<std::shared_ptr<const VectorSegment>>(std::string_view key)>;
  static Result<VectorIndex> DeserializeManifest(std::string_view bytes, const SegmentLoader& load);

  /// Whether segments built from now on get their graphs (VectorIndexOptions::build_graphs).
  void set_build_graphs(bool build) { options_.build_graphs = build; }
  /// Segments that await their graph (VectorSegment::awaits_graph), and their vectors.
  std::vector<std::shared_ptr<const VectorSegment>> SegmentsAwaitingGraph() const;
  size_t VectorsAwaitingGraph() const;
  /// Puts `with_graph` (VectorSegment::WithGraph of `exact`) in the place of `exact`,
  /// keeping its tombstones; false when this index does not hold `exact`.
  bool ReplaceSegment(const VectorSegment* exact, std::shared_ptr<const VectorSegment> with_graph);

  /// The shared segments (for persistence and statistics).
  std::vector<std::shared_ptr<const VectorSegment>> segments() const;
  size_t delta_size() const;

 private:
  struct Delta {
    std::vector<uint64_t> docs;
    std::vector<float> data;
  };
  struct Part {
    std::shared_ptr<const VectorSegment> segment;
    std::shared_ptr<const Tombstones> dead;  // null: nothing dead
    size_t live() const { return segment->size() - (dead ? dead->count : 0); }
  };

  explicit VectorIndex(const VectorIndexOptions& options);
  Status Prepare(std::span<const float> in, std::string_view field, float* out) const;
  Status RemoveInternal(uint64_t doc);
  void AddPrepared(uint64_t doc, const float* v);
  Status MaybeCompact();
  Status SerializeBody(bool inline_segments, std::string* out) const;
  static Result<VectorIndex> DeserializeBody(std::string_view bytes, bool inline_segments, const SegmentLoader* load);
  Status SearchOnce(const float* q, size_t kk, int ef, std::vector<VectorHit>* all, std::vector<size_t>* counts,
                    std::vector<float>* last) const;

  VectorIndexOptions options_;
  std::vector<Part> parts_;
  std::shared_ptr<const Delta> delta_;  // never null
  size_t live_ = 0;
};

}  // namespace gitmem::index
