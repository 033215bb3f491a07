// Search over a repository: semantic (vector), keyword (BM25) and hybrid (reciprocal rank
// fusion), with filters, paging and time travel. `Repository::Search` takes these options;
// see docs/search.md for the design (one index per branch, copy-nothing branching,
// catch-up by tree diff).
//
// Thread safety: plain values. Repository::Search may be called from many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gitmem/embedder.hpp"
#include "gitmem/filter.hpp"
#include "gitmem/memory.hpp"
#include "gitmem/repository.hpp"
#include "gitmem/status.hpp"

namespace gitmem {

enum class SearchMode : uint8_t {
  kVector = 0,   ///< nearest neighbours of the query vector (or of the embedded query text)
  kKeyword = 1,  ///< BM25 over content and tags
  kHybrid = 2,   ///< reciprocal rank fusion of the vector and keyword rankings
};

struct SearchOptions {
  /// Query text: embedded by the repository's embedder for vector search, analysed for
  /// keyword search. Required for kKeyword and kHybrid.
  std::string query;
  /// A query vector supplied by the caller (kVector / kHybrid); takes precedence over
  /// embedding `query`. Must have the repository's dimension, finite, not all zeros.
  std::vector<float> query_vector;
  SearchMode mode = SearchMode::kHybrid;
  /// Results per page (> 0) and how many ranked results to skip.
  int k = 10;
  uint64_t offset = 0;
  /// Which state to search: a branch's working state (default: HEAD's branch, staged
  /// changes included), a tag, a commit, or the state at a timestamp.
  ReadOptions at;
  SearchFilter filter;
  /// Hybrid: RRF constant and the weights of the vector and keyword rankings.
  double rrf_k = 60.0;
  double vector_weight = 1.0;
  double keyword_weight = 1.0;
  /// Hybrid: ranked (filtered) candidates taken from each list before fusion;
  /// 0 = max(2 * (offset + k), 50).
  size_t candidates = 0;
  /// Fill SearchHit::memory (one tree lookup and blob read per hit). Filters load
  /// records whatever this says.
  bool include_memories = true;
};

struct SearchHit {
  std::string id;
  /// kVector: cosine similarity (inner product of unit vectors); kKeyword: BM25 score;
  /// kHybrid: fused RRF score. Higher is better.
  double score = 0;
  /// The record as stored in the searched state (empty when include_memories is false).
  std::optional<Memory> memory;
};

/// What backs the index of one state (tests and tools use it to check catch-up).
struct SearchIndexInfo {
  ObjectId commit;         ///< the commit the base index reflects (zero: unborn)
  ObjectId tree;           ///< the tree searched (a working state's tree included)
  uint64_t documents = 0;  ///< memories indexed
  size_t vector_segments = 0, keyword_segments = 0;
  size_t vector_delta = 0, keyword_delta = 0;
  /// How the base index was obtained the last time it was built in this process:
  /// "cached", "loaded" (persisted manifest), "catch-up" (diff from another indexed
  /// state), "build" (from the empty index: first use) or "reindex".
  std::string source;
  /// Tree changes applied by the last catch-up that produced it.
  uint64_t changes_applied = 0;
  /// Vectors in segments still waiting for their approximate (HNSW) graph, which the
  /// background worker is building; searches scan them exactly meanwhile.
  uint64_t vectors_awaiting_graph = 0;
  /// The background worker has work queued or running for this repository.
  bool indexing = false;
};

}  // namespace gitmem
