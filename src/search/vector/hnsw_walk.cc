// VectorSegment::WalkHnsw: our own walk of FAISS's HNSW graph over arrays that may be a
// mapped file, testing tombstones inline.
#include "search/vector/internal.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <unordered_map>

#include "search/segmented/tombstones.h"
#include "util/coding.h"
#include "util/hash.h"

namespace gitmem::index {

namespace {

// Per-thread visited marks for the HNSW walk, reused across queries and segments: FAISS's
// IndexHNSW::search allocates and zeroes an ntotal-byte VisitedTable per call (1 MB per
// query at 1M vectors), inside an OpenMP parallel region that starts a thread team even
// for one query. A generation byte makes clearing free except once every 255 queries.
struct VisitedMarks {
  std::vector<uint8_t> mark;
  uint8_t gen = 0;
  // Starts a walk over `n` nodes; afterwards Visit(i) is true the first time only.
  void Begin(size_t n) {
    if (mark.size() < n) mark.resize(n, 0);
    if (++gen == 0) {
      std::fill(mark.begin(), mark.end(), 0);
      gen = 1;
    }
  }
  bool Visit(size_t i) {
    if (mark[i] == gen) return false;
    mark[i] = gen;
    return true;
  }
};

VisitedMarks& ThreadVisited() {
  thread_local VisitedMarks v;
  return v;
}

}  // namespace

void VectorSegment::WalkHnsw(const float* q, size_t k, const Tombstones* dead, int ef_search, float* dist,
                             int64_t* labels, size_t* found) const {
  // FAISS 1.7.3's HNSW::search sizes its candidate queue with the index's own
  // hnsw.efSearch and reads SearchParametersHNSW::efSearch only in its stop test, so a
  // per-query efSearch is not honoured (the walk runs at the efSearch the segment was
  // built with, whatever is asked). This is the same walk (greedy descent through the
  // upper levels, then FAISS's bounded best-first search of level 0 with its relative
  // distance stop) with the queue sized by the requested efSearch, inner products read
  // straight from the vectors, and tombstones tested inline. It reads the graph through
  // g_, so it runs alike on a FAISS index in memory and on a mapped segment file; every
  // neighbour id and range is bounds-checked, since a mapped file is not checksummed on
  // load (a damaged file gives poor results, never a bad read).
  const size_t d = dimension_;
  // FAISS orders by "distance", the negated inner product for METRIC_INNER_PRODUCT.
  auto dis = [&](size_t i) { return -faiss::fvec_inner_product(q, xb_ + i * d, d); };
  auto range = [&](size_t node, int level, size_t* begin, size_t* end) {
    const uint64_t o = g_.offsets[node];
    *begin = std::min<uint64_t>(o + static_cast<uint64_t>(g_.cum[level]), g_.n_neighbors);
    *end = std::min<uint64_t>(o + static_cast<uint64_t>(g_.cum[level + 1]), g_.n_neighbors);
  };
  const int ik = static_cast<int>(k);
  for (size_t i = 0; i < k; ++i) labels[i] = -1;
  faiss::maxheap_heapify(k, dist, labels);
  *found = 0;
  if (g_.entry_point < 0 || static_cast<size_t>(g_.entry_point) >= n_) return;

  size_t nearest = static_cast<size_t>(g_.entry_point);
  float d_nearest = dis(nearest);
  for (int level = g_.max_level; level >= 1; --level) {
    for (;;) {
      const size_t prev = nearest;
      size_t begin, end;
      range(nearest, level, &begin, &end);
      for (size_t j = begin; j < end; ++j) {
        const int32_t v = g_.neighbors[j];
        if (v < 0) break;
        if (static_cast<size_t>(v) >= n_) continue;
        const float dv = dis(static_cast<size_t>(v));
        if (dv < d_nearest) {
          nearest = static_cast<size_t>(v);
          d_nearest = dv;
        }
      }
      if (nearest == prev) break;
    }
  }

  const int ef = std::max(ef_search, ik);
  VisitedMarks& vt = ThreadVisited();
  vt.Begin(n_);
  faiss::HNSW::MinimaxHeap candidates(ef);
  candidates.push(static_cast<int>(nearest), d_nearest);
  int nres = 0;
  auto offer = [&](size_t v, float dv) {
    if (dead && dead->test(v)) return;
    if (nres < ik) {
      faiss::maxheap_push(++nres, dist, labels, dv, static_cast<int64_t>(v));
    } else if (dv < dist[0]) {
      faiss::maxheap_replace_top(nres, dist, labels, dv, static_cast<int64_t>(v));
    }
  };
  offer(nearest, d_nearest);
  vt.Visit(nearest);
  while (candidates.size() > 0) {
    float d0 = 0;
    const int v0 = candidates.pop_min(&d0);
    if (candidates.count_below(d0) >= ef) break;  // FAISS's check_relative_distance stop
    size_t begin, end;
    range(static_cast<size_t>(v0), 0, &begin, &end);
    for (size_t j = begin; j < end; ++j) {
      const int32_t v1 = g_.neighbors[j];
      if (v1 < 0) break;
      if (static_cast<size_t>(v1) >= n_ || !vt.Visit(static_cast<size_t>(v1))) continue;
      const float dv = dis(static_cast<size_t>(v1));
      offer(static_cast<size_t>(v1), dv);
      candidates.push(v1, dv);
    }
  }
  faiss::maxheap_reorder(k, dist, labels);
  for (size_t i = 0; i < k; ++i) {
    dist[i] = -dist[i];
    *found += labels[i] >= 0;
  }
}

}  // namespace gitmem::index
