// VectorIndex: one branch's view (segments, copy-on-write tombstones and delta): adding,
// removing and searching. Compaction is in compaction.cc, serialisation in index_format.cc.
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

Status ValidateVector(std::span<const float> v, size_t dimension, std::string_view field, bool nonzero) {
  if (v.size() != dimension) {
    return Status::InvalidArgument(std::string(field) + ": has " + std::to_string(v.size()) + " dimensions, expected " +
                                   std::to_string(dimension));
  }
  bool any = false;
  for (size_t i = 0; i < v.size(); ++i) {
    const float x = v[i];
    if (std::isnan(x)) {
      return Status::InvalidArgument(std::string(field) + "[" + std::to_string(i) + "]: NaN is not allowed");
    }
    if (std::isinf(x)) {
      return Status::InvalidArgument(std::string(field) + "[" + std::to_string(i) + "]: infinity is not allowed");
    }
    any = any || x != 0.0f;
  }
  if (nonzero && !any) {
    return Status::InvalidArgument(std::string(field) + ": all elements are zero (cannot be normalised)");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// VectorIndex

VectorIndex::VectorIndex(const VectorIndexOptions& options) : options_(options), delta_(std::make_shared<Delta>()) {}

Result<VectorIndex> VectorIndex::Create(const VectorIndexOptions& o) {
  if (o.dimension < 1 || o.dimension > 65536) {
    return Status::InvalidArgument("dimension: " + std::to_string(o.dimension) + " is outside 1 .. 65536");
  }
  if (o.hnsw_m < 2 || o.hnsw_m > 512) return Status::InvalidArgument("hnsw_m: must be in 2 .. 512");
  if (o.hnsw_ef_construction < 1 || o.hnsw_ef_search < 1) {
    return Status::InvalidArgument("hnsw_ef_construction, hnsw_ef_search: must be >= 1");
  }
  GITMEM_RETURN_IF_ERROR(o.Validate());
  return VectorIndex(o);
}

size_t VectorIndex::size() const { return live_; }
size_t VectorIndex::delta_size() const { return delta_->docs.size(); }

std::vector<std::shared_ptr<const VectorSegment>> VectorIndex::segments() const { return segmented::Segments(parts_); }

std::vector<std::shared_ptr<const VectorSegment>> VectorIndex::SegmentsAwaitingGraph() const {
  std::vector<std::shared_ptr<const VectorSegment>> out;
  for (const auto& p : parts_)
    if (p.segment->awaits_graph(options_)) out.push_back(p.segment);
  return out;
}

size_t VectorIndex::VectorsAwaitingGraph() const {
  size_t n = 0;
  for (const auto& seg : SegmentsAwaitingGraph()) n += seg->size();
  return n;
}

bool VectorIndex::ReplaceSegment(const VectorSegment* exact, std::shared_ptr<const VectorSegment> with_graph) {
  for (auto& p : parts_) {
    if (p.segment.get() != exact) continue;
    p.segment = std::move(with_graph);
    return true;
  }
  return false;
}

bool VectorIndex::Contains(uint64_t doc) const {
  for (uint64_t d : delta_->docs) {
    if (d == doc) return true;
  }
  for (const auto& p : parts_) {
    const int64_t pos = p.segment->Find(doc);
    if (pos >= 0 && !(p.dead && p.dead->test(static_cast<size_t>(pos)))) return true;
  }
  return false;
}

Status VectorIndex::Prepare(std::span<const float> in, std::string_view field, float* out) const {
  GITMEM_RETURN_IF_ERROR(ValidateVector(in, options_.dimension, field, options_.normalize));
  std::memcpy(out, in.data(), in.size() * sizeof(float));
  if (options_.normalize) {
    double n2 = 0;
    for (float x : in) n2 += static_cast<double>(x) * x;
    const double norm = std::sqrt(n2);
    if (!(norm > 0) || !std::isfinite(norm)) {
      return Status::InvalidArgument(std::string(field) + ": norm is zero or not finite");
    }
    const float inv = static_cast<float>(1.0 / norm);
    for (size_t i = 0; i < in.size(); ++i) out[i] *= inv;
  }
  return Status::Ok();
}

Status VectorIndex::RemoveInternal(uint64_t doc) {
  const auto& dd = delta_->docs;
  for (size_t i = 0; i < dd.size(); ++i) {
    if (dd[i] != doc) continue;
    auto copy = delta_.use_count() == 1 ? std::const_pointer_cast<Delta>(delta_) : std::make_shared<Delta>(*delta_);
    const size_t d = options_.dimension, last = copy->docs.size() - 1;
    if (i != last) {
      copy->docs[i] = copy->docs[last];
      std::memcpy(copy->data.data() + i * d, copy->data.data() + last * d, d * sizeof(float));
    }
    copy->docs.pop_back();
    copy->data.resize(last * d);
    delta_ = std::move(copy);
    --live_;
    return Status::Ok();
  }
  if (segmented::MarkDeadCopyOnWrite(parts_, doc, [](Tombstones&, const VectorSegment&, size_t) {})) {
    --live_;
    return Status::Ok();
  }
  return Status::NotFound("doc " + std::to_string(doc) + " is not in the vector index");
}

void VectorIndex::AddPrepared(uint64_t doc, const float* v) {
  auto copy = delta_.use_count() == 1 ? std::const_pointer_cast<Delta>(delta_) : std::make_shared<Delta>(*delta_);
  copy->docs.push_back(doc);
  copy->data.insert(copy->data.end(), v, v + options_.dimension);
  delta_ = std::move(copy);
  ++live_;
}

Status VectorIndex::Add(uint64_t doc, std::span<const float> vector) {
  std::vector<float> v(options_.dimension);
  GITMEM_RETURN_IF_ERROR(Prepare(vector, "embedding", v.data()));
  Status s = RemoveInternal(doc);
  if (!s.ok() && !s.IsNotFound()) return s;
  AddPrepared(doc, v.data());
  return MaybeCompact();
}

Status VectorIndex::AddBatch(std::span<const uint64_t> docs, std::span<const float> vectors) {
  const size_t d = options_.dimension, n = docs.size();
  if (vectors.size() != n * d) {
    return Status::InvalidArgument("vectors: has " + std::to_string(vectors.size()) +
                                   " floats, expected docs.size() * dimension = " + std::to_string(n * d));
  }
  std::vector<float> prepared(n * d);
  for (size_t i = 0; i < n; ++i) {
    GITMEM_RETURN_IF_ERROR(
        Prepare(vectors.subspan(i * d, d), "embedding (doc " + std::to_string(docs[i]) + ")", prepared.data() + i * d));
  }
  {
    std::vector<uint64_t> sorted(docs.begin(), docs.end());
    std::sort(sorted.begin(), sorted.end());
    auto dup = std::adjacent_find(sorted.begin(), sorted.end());
    if (dup != sorted.end()) {
      return Status::InvalidArgument("docs: doc " + std::to_string(*dup) + " appears twice");
    }
  }
  if (n > 0 && (n >= options_.delta_max || live_ == 0)) {
    // Bulk load or big batch: build a segment directly, without passing through the delta.
    GITMEM_ASSIGN_OR_RETURN(auto seg, VectorSegment::Build(options_, docs, prepared));
    for (uint64_t doc : docs) {
      Status s = RemoveInternal(doc);
      if (!s.ok() && !s.IsNotFound()) return s;
    }
    parts_.push_back({std::move(seg), nullptr});
    live_ += n;
    return MaybeCompact();
  }
  for (size_t i = 0; i < n; ++i) {
    Status s = RemoveInternal(docs[i]);
    if (!s.ok() && !s.IsNotFound()) return s;
    AddPrepared(docs[i], prepared.data() + i * d);
  }
  return MaybeCompact();
}

Status VectorIndex::Remove(uint64_t doc) {
  GITMEM_RETURN_IF_ERROR(RemoveInternal(doc));
  return MaybeCompact();
}

Status VectorIndex::SearchOnce(const float* q, size_t kk, int ef, std::vector<VectorHit>* all,
                               std::vector<size_t>* counts, std::vector<float>* last) const {
  counts->clear();
  last->clear();
  for (const auto& p : parts_) {
    const size_t before = all->size();
    GITMEM_RETURN_IF_ERROR(p.segment->Search(q, kk, p.dead.get(), ef, all));
    const size_t got = all->size() - before;
    // A part is "saturated" when it could hold more results than it returned.
    counts->push_back(got == kk && got < p.live() ? got : 0);
    float lo = std::numeric_limits<float>::infinity();
    for (size_t i = before; i < all->size(); ++i) lo = std::min(lo, (*all)[i].score);
    last->push_back(lo);
  }
  const Delta& delta = *delta_;
  const size_t d = options_.dimension, nd = delta.docs.size();
  if (nd > 0) {
    const size_t before = all->size();
    for (size_t i = 0; i < nd; ++i) {
      all->push_back({delta.docs[i], faiss::fvec_inner_product(q, delta.data.data() + i * d, d)});
    }
    if (nd > kk) {
      std::nth_element(all->begin() + static_cast<ptrdiff_t>(before),
                       all->begin() + static_cast<ptrdiff_t>(before + kk), all->end(), Better);
      all->resize(before + kk);
    }
  }
  return Status::Ok();
}

Result<std::vector<VectorHit>> VectorIndex::Search(std::span<const float> query, int k) const {
  return Search(query, k, options_.hnsw_ef_search);
}

Result<std::vector<VectorHit>> VectorIndex::Search(std::span<const float> query, int k, int ef_search) const {
  if (k <= 0) return Status::InvalidArgument("k: must be > 0, got " + std::to_string(k));
  std::vector<float> q(options_.dimension);
  GITMEM_RETURN_IF_ERROR(Prepare(query, "query", q.data()));
  std::vector<VectorHit> all;
  if (live_ == 0) return all;
  const auto uk = static_cast<size_t>(k);
  size_t kk = std::min(uk + 1, live_);
  std::vector<size_t> counts;
  std::vector<float> last;
  for (;;) {
    all.clear();
    GITMEM_RETURN_IF_ERROR(SearchOnce(q.data(), kk, ef_search, &all, &counts, &last));
    std::sort(all.begin(), all.end(), Better);
    if (all.size() <= uk || kk >= live_) break;
    // A tie at the k-th place may hide equally scored docs with smaller numbers in a
    // saturated part: ask for more until no part can hide one.
    const float boundary = all[uk - 1].score;
    bool redo = false;
    for (size_t i = 0; i < counts.size(); ++i) redo = redo || (counts[i] > 0 && last[i] >= boundary);
    if (!redo) break;
    kk = std::min(kk * 2, live_);
  }
  if (all.size() > uk) all.resize(uk);
  return all;
}

}  // namespace gitmem::index
