#include "index/vector_index.h"
#include "index/tombstones.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/HNSW.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <faiss/utils/Heap.h>
#include <faiss/utils/distances.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <unordered_map>

#include "util/coding.h"
#include "util/hash.h"

namespace gitmem::index {

namespace {

constexpr char kSegmentMagic[4] = {'G', 'M', 'V', 'S'};
constexpr char kIndexMagic[4] = {'G', 'M', 'V', 'I'};
constexpr uint32_t kFormatVersion = 1;

// Runs `f`, turning every exception into a Status with code `code`.
template <typename F>
Status Guard(std::string_view what, F&& f, Status::Code code = Status::Code::kInternal) {
  try {
    f();
    return Status::Ok();
  } catch (const faiss::FaissException& e) {
    return Status(code, std::string(what) + ": FAISS error: " + e.what());
  } catch (const std::bad_alloc&) {
    return Status(code, std::string(what) + ": out of memory");
  } catch (const std::exception& e) {
    return Status(code, std::string(what) + ": " + e.what());
  } catch (...) {
    return Status(code, std::string(what) + ": unknown exception");
  }
}

// Live positions of a segment: everything not in the tombstone bitmap.
struct NotDead final : faiss::IDSelector {
  explicit NotDead(const Tombstones* t) : dead(t) {}
  bool is_member(idx_t id) const override { return !dead->test(static_cast<size_t>(id)); }
  const Tombstones* dead;
};

// Strict total order of results: score descending, then doc ascending.
inline bool Better(const VectorHit& a, const VectorHit& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.doc < b.doc;
}

const faiss::IndexFlat* FlatStorage(const faiss::Index* index, bool hnsw) {
  if (!hnsw) return static_cast<const faiss::IndexFlat*>(index);
  return static_cast<const faiss::IndexFlat*>(static_cast<const faiss::IndexHNSW*>(index)->storage);
}

Status Corrupt(std::string_view what) {
  return Status::Corruption(std::string("vector index: ") + std::string(what));
}

}  // namespace

Status ValidateVector(std::span<const float> v, size_t dimension, std::string_view field,
                      bool nonzero) {
  if (v.size() != dimension) {
    return Status::InvalidArgument(std::string(field) + ": has " + std::to_string(v.size()) +
                                   " dimensions, expected " + std::to_string(dimension));
  }
  bool any = false;
  for (size_t i = 0; i < v.size(); ++i) {
    const float x = v[i];
    if (std::isnan(x)) {
      return Status::InvalidArgument(std::string(field) + "[" + std::to_string(i) +
                                     "]: NaN is not allowed");
    }
    if (std::isinf(x)) {
      return Status::InvalidArgument(std::string(field) + "[" + std::to_string(i) +
                                     "]: infinity is not allowed");
    }
    any = any || x != 0.0f;
  }
  if (nonzero && !any) {
    return Status::InvalidArgument(std::string(field) +
                                   ": all elements are zero (cannot be normalised)");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// VectorSegment

VectorSegment::~VectorSegment() = default;

void VectorSegment::BuildLookup() {
  by_doc_.resize(docs_.size());
  for (size_t i = 0; i < docs_.size(); ++i) by_doc_[i] = {docs_[i], static_cast<uint32_t>(i)};
  std::sort(by_doc_.begin(), by_doc_.end());
}

Result<std::shared_ptr<const VectorSegment>> VectorSegment::Build(
    const VectorIndexOptions& options, std::span<const uint64_t> docs,
    std::span<const float> vectors, std::string origin) {
  const size_t d = options.dimension;
  if (vectors.size() != docs.size() * d) {
    return Status::InvalidArgument("vectors: has " + std::to_string(vectors.size()) +
                                   " floats, expected docs.size() * dimension = " +
                                   std::to_string(docs.size() * d));
  }
  if (docs.size() > std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("docs: a segment holds at most 2^32 - 1 vectors");
  }
  std::shared_ptr<VectorSegment> seg(new VectorSegment());
  seg->dimension_ = d;
  seg->origin_ = std::move(origin);
  seg->docs_.assign(docs.begin(), docs.end());
  seg->BuildLookup();
  for (size_t i = 1; i < seg->by_doc_.size(); ++i) {
    if (seg->by_doc_[i].first == seg->by_doc_[i - 1].first) {
      return Status::InvalidArgument("docs: doc " + std::to_string(seg->by_doc_[i].first) +
                                     " appears more than once");
    }
  }
  seg->hnsw_ = docs.size() > options.flat_max;
  const auto n = static_cast<faiss::Index::idx_t>(docs.size());
  GITMEM_RETURN_IF_ERROR(Guard("vector segment build", [&] {
    if (seg->hnsw_) {
      auto h = std::make_unique<faiss::IndexHNSWFlat>(static_cast<int>(d), options.hnsw_m,
                                                       faiss::METRIC_INNER_PRODUCT);
      h->hnsw.efConstruction = options.hnsw_ef_construction;
      h->hnsw.efSearch = options.hnsw_ef_search;
      h->add(n, vectors.data());
      seg->index_ = std::move(h);
    } else {
      auto f = std::make_unique<faiss::IndexFlatIP>(static_cast<faiss::Index::idx_t>(d));
      if (n > 0) f->add(n, vectors.data());
      seg->index_ = std::move(f);
    }
  }));
  return std::shared_ptr<const VectorSegment>(std::move(seg));
}

int64_t VectorSegment::Find(uint64_t doc) const {
  auto it = std::lower_bound(by_doc_.begin(), by_doc_.end(),
                             std::pair<uint64_t, uint32_t>{doc, 0});
  if (it == by_doc_.end() || it->first != doc) return -1;
  return it->second;
}

const float* VectorSegment::vector(size_t pos) const {
  return FlatStorage(index_.get(), hnsw_)->get_xb() + pos * dimension_;
}

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

void VectorSegment::WalkHnsw(const float* q, size_t k, const Tombstones* dead, int ef_search,
                             float* dist, int64_t* labels, size_t* found) const {
  // FAISS 1.7.3's HNSW::search sizes its candidate queue with the index's own
  // hnsw.efSearch and reads SearchParametersHNSW::efSearch only in the stop test, so a
  // per-query efSearch is not honoured (the graph walks at the efSearch the segment was
  // built with, whatever is asked). This is the same walk (greedy descent through the
  // upper levels, then FAISS's bounded best-first search of level 0 with its relative
  // distance stop) with the queue sized by the requested efSearch, inner products read
  // straight from the flat storage, and tombstones tested inline.
  const auto* h = static_cast<const faiss::IndexHNSW*>(index_.get());
  const faiss::HNSW& g = h->hnsw;
  const float* xb = FlatStorage(index_.get(), true)->get_xb();
  const size_t d = dimension_;
  // FAISS orders by "distance", the negated inner product for METRIC_INNER_PRODUCT.
  auto dis = [&](int64_t i) { return -faiss::fvec_inner_product(q, xb + static_cast<size_t>(i) * d, d); };
  const int ik = static_cast<int>(k);
  for (size_t i = 0; i < k; ++i) labels[i] = -1;
  faiss::maxheap_heapify(k, dist, labels);
  *found = 0;
  if (g.entry_point < 0) return;

  int nearest = g.entry_point;
  float d_nearest = dis(nearest);
  for (int level = g.max_level; level >= 1; --level) {
    for (;;) {
      const int prev = nearest;
      size_t begin, end;
      g.neighbor_range(nearest, level, &begin, &end);
      for (size_t j = begin; j < end; ++j) {
        const int v = g.neighbors[j];
        if (v < 0) break;
        const float dv = dis(v);
        if (dv < d_nearest) {
          nearest = v;
          d_nearest = dv;
        }
      }
      if (nearest == prev) break;
    }
  }

  const int ef = std::max(ef_search, ik);
  VisitedMarks& vt = ThreadVisited();
  vt.Begin(size());
  faiss::HNSW::MinimaxHeap candidates(ef);
  candidates.push(nearest, d_nearest);
  int nres = 0;
  auto offer = [&](int v, float dv) {
    if (dead && dead->test(static_cast<size_t>(v))) return;
    if (nres < ik) {
      faiss::maxheap_push(++nres, dist, labels, dv, static_cast<int64_t>(v));
    } else if (dv < dist[0]) {
      faiss::maxheap_replace_top(nres, dist, labels, dv, static_cast<int64_t>(v));
    }
  };
  offer(nearest, d_nearest);
  vt.Visit(static_cast<size_t>(nearest));
  while (candidates.size() > 0) {
    float d0 = 0;
    const int v0 = candidates.pop_min(&d0);
    if (g.check_relative_distance && candidates.count_below(d0) >= ef) break;
    size_t begin, end;
    g.neighbor_range(v0, 0, &begin, &end);
    for (size_t j = begin; j < end; ++j) {
      const int v1 = g.neighbors[j];
      if (v1 < 0) break;
      if (!vt.Visit(static_cast<size_t>(v1))) continue;
      const float dv = dis(v1);
      offer(v1, dv);
      candidates.push(v1, dv);
    }
  }
  faiss::maxheap_reorder(k, dist, labels);
  for (size_t i = 0; i < k; ++i) {
    dist[i] = -dist[i];
    *found += labels[i] >= 0;
  }
}

Status VectorSegment::Search(const float* q, size_t k, const Tombstones* dead, int ef_search,
                             std::vector<VectorHit>* out) const {
  if (dead != nullptr && dead->count == 0) dead = nullptr;
  const size_t live = size() - (dead ? dead->count : 0);
  const size_t kk = std::min(k, live);
  if (kk == 0) return Status::Ok();
  std::vector<float> dist(kk);
  std::vector<faiss::Index::idx_t> labels(kk);
  NotDead sel(dead);
  const auto ik = static_cast<faiss::Index::idx_t>(kk);
  GITMEM_RETURN_IF_ERROR(Guard("vector search", [&] {
    if (!hnsw_) {
      faiss::SearchParameters params;
      params.sel = dead ? &sel : nullptr;
      index_->search(1, q, ik, dist.data(), labels.data(), dead ? &params : nullptr);
      return;
    }
    size_t found = 0;
    WalkHnsw(q, kk, dead, ef_search, dist.data(), labels.data(), &found);
    if (found < kk) {
      // The graph walk lost results to tombstones: answer exactly from the flat storage.
      faiss::SearchParameters exact;
      exact.sel = dead ? &sel : nullptr;
      FlatStorage(index_.get(), true)
          ->search(1, q, ik, dist.data(), labels.data(), dead ? &exact : nullptr);
    }
  }));
  for (size_t i = 0; i < kk; ++i) {
    if (labels[i] < 0) continue;
    out->push_back({docs_[static_cast<size_t>(labels[i])], dist[i]});
  }
  return Status::Ok();
}

Result<std::string> VectorSegment::Serialize() const {
  std::string out;
  out.append(kSegmentMagic, 4);
  PutFixed32(&out, kFormatVersion);
  PutVarint64(&out, dimension_);
  out.push_back(hnsw_ ? 1 : 0);
  PutLengthPrefixed(&out, origin_);
  PutVarint64(&out, docs_.size());
  for (uint64_t doc : docs_) PutFixed64(&out, doc);
  faiss::VectorIOWriter w;
  GITMEM_RETURN_IF_ERROR(Guard("vector segment serialise", [&] { faiss::write_index(index_.get(), &w); }));
  PutLengthPrefixed(&out, std::string_view(reinterpret_cast<const char*>(w.data.data()), w.data.size()));
  return out;
}

Result<std::string> VectorSegment::Key() const {
  std::call_once(key_once_, [this] {
    auto bytes = Serialize();
    if (!bytes.ok()) {
      key_status_ = bytes.status();
      return;
    }
    key_ = Sha256(*bytes).hex();
  });
  if (!key_status_.ok()) return key_status_;
  return key_;
}

Result<std::shared_ptr<const VectorSegment>> VectorSegment::Deserialize(std::string_view in) {
  std::string_view magic;
  uint32_t version = 0;
  uint64_t dim = 0, n = 0;
  std::string_view origin, faiss_bytes, kind;
  if (!GetBytes(&in, 4, &magic) || magic != std::string_view(kSegmentMagic, 4)) {
    return Corrupt("segment: bad magic");
  }
  if (!GetFixed32(&in, &version) || version != kFormatVersion) {
    return Corrupt("segment: unsupported format version");
  }
  if (!GetVarint64(&in, &dim) || dim == 0 || dim > 65536 || !GetBytes(&in, 1, &kind) ||
      kind[0] > 1 || !GetLengthPrefixed(&in, &origin) || !GetVarint64(&in, &n) ||
      n > in.size() / 8) {
    return Corrupt("segment: truncated header");
  }
  std::shared_ptr<VectorSegment> seg(new VectorSegment());
  seg->dimension_ = dim;
  seg->hnsw_ = kind[0] == 1;
  seg->origin_ = std::string(origin);
  seg->docs_.resize(n);
  for (uint64_t i = 0; i < n; ++i) GetFixed64(&in, &seg->docs_[i]);
  if (!GetLengthPrefixed(&in, &faiss_bytes) || !in.empty()) {
    return Corrupt("segment: truncated FAISS index");
  }
  seg->BuildLookup();
  for (size_t i = 1; i < seg->by_doc_.size(); ++i) {
    if (seg->by_doc_[i].first == seg->by_doc_[i - 1].first) return Corrupt("segment: duplicate doc");
  }
  faiss::Index* raw = nullptr;
  Status s = Guard("vector segment", [&] {
    faiss::VectorIOReader r;
    r.data.assign(faiss_bytes.begin(), faiss_bytes.end());
    raw = faiss::read_index(&r);
  }, Status::Code::kCorruption);
  if (!s.ok()) return s;
  seg->index_.reset(raw);
  const faiss::Index* idx = seg->index_.get();
  bool ok = idx->d == static_cast<faiss::Index::idx_t>(dim) &&
            idx->ntotal == static_cast<faiss::Index::idx_t>(n) &&
            idx->metric_type == faiss::METRIC_INNER_PRODUCT;
  if (seg->hnsw_) {
    const auto* h = dynamic_cast<const faiss::IndexHNSWFlat*>(idx);
    ok = ok && h != nullptr && dynamic_cast<const faiss::IndexFlat*>(h->storage) != nullptr;
  } else {
    ok = ok && dynamic_cast<const faiss::IndexFlat*>(idx) != nullptr;
  }
  if (!ok) return Corrupt("segment: FAISS index does not match its header");
  return std::shared_ptr<const VectorSegment>(std::move(seg));
}

// ---------------------------------------------------------------------------------------
// VectorIndex

VectorIndex::VectorIndex(const VectorIndexOptions& options)
    : options_(options), delta_(std::make_shared<Delta>()) {}

Result<VectorIndex> VectorIndex::Create(const VectorIndexOptions& o) {
  if (o.dimension < 1 || o.dimension > 65536) {
    return Status::InvalidArgument("dimension: " + std::to_string(o.dimension) +
                                   " is outside 1 .. 65536");
  }
  if (o.hnsw_m < 2 || o.hnsw_m > 512) return Status::InvalidArgument("hnsw_m: must be in 2 .. 512");
  if (o.hnsw_ef_construction < 1 || o.hnsw_ef_search < 1) {
    return Status::InvalidArgument("hnsw_ef_construction, hnsw_ef_search: must be >= 1");
  }
  if (o.delta_max < 1) return Status::InvalidArgument("delta_max: must be >= 1");
  if (!(o.tombstone_max_fraction > 0.0 && o.tombstone_max_fraction <= 1.0)) {
    return Status::InvalidArgument("tombstone_max_fraction: must be in (0, 1]");
  }
  if (o.merge_factor < 2) return Status::InvalidArgument("merge_factor: must be >= 2");
  return VectorIndex(o);
}

size_t VectorIndex::size() const { return live_; }
size_t VectorIndex::delta_size() const { return delta_->docs.size(); }

std::vector<std::shared_ptr<const VectorSegment>> VectorIndex::segments() const {
  std::vector<std::shared_ptr<const VectorSegment>> out;
  for (const auto& p : parts_) out.push_back(p.segment);
  return out;
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
    auto copy = delta_.use_count() == 1 ? std::const_pointer_cast<Delta>(delta_)
                                        : std::make_shared<Delta>(*delta_);
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
  if (MarkDeadCopyOnWrite(parts_, doc, [](Tombstones&, const VectorSegment&, size_t) {})) {
    --live_;
    return Status::Ok();
  }
  return Status::NotFound("doc " + std::to_string(doc) + " is not in the vector index");
}

void VectorIndex::AddPrepared(uint64_t doc, const float* v) {
  auto copy = delta_.use_count() == 1 ? std::const_pointer_cast<Delta>(delta_)
                                      : std::make_shared<Delta>(*delta_);
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
                                   " floats, expected docs.size() * dimension = " +
                                   std::to_string(n * d));
  }
  std::vector<float> prepared(n * d);
  for (size_t i = 0; i < n; ++i) {
    GITMEM_RETURN_IF_ERROR(Prepare(vectors.subspan(i * d, d),
                                   "embedding (doc " + std::to_string(docs[i]) + ")",
                                   prepared.data() + i * d));
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

Result<std::vector<VectorHit>> VectorIndex::Search(std::span<const float> query, int k,
                                                   int ef_search) const {
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

namespace {

size_t Tier(size_t live, size_t delta_max, size_t factor) {
  size_t tier = 0;
  size_t bound = delta_max;
  while (live > bound && tier < 64) {
    bound *= factor;
    ++tier;
  }
  return tier;
}

}  // namespace

bool VectorIndex::NeedsCompaction() const {
  if (delta_->docs.size() >= options_.delta_max) return true;
  std::unordered_map<size_t, size_t> tiers;
  for (const auto& p : parts_) {
    if (p.dead && static_cast<double>(p.dead->count) >
                      options_.tombstone_max_fraction * static_cast<double>(p.segment->size())) {
      return true;
    }
    if (++tiers[Tier(p.live(), options_.delta_max, options_.merge_factor)] >= options_.merge_factor) {
      return true;
    }
  }
  return false;
}

Status VectorIndex::MaybeCompact() {
  if (!options_.auto_compact || !NeedsCompaction()) return Status::Ok();
  return Compact(false);
}

Status VectorIndex::Compact(bool full, const std::string& origin) {
  const size_t d = options_.dimension;
  // Collects the live vectors of some parts (and optionally the delta) into one segment.
  auto merge = [&](const std::vector<size_t>& which, bool with_delta,
                   std::shared_ptr<const VectorSegment>* out) -> Status {
    std::vector<uint64_t> docs;
    std::vector<float> data;
    for (size_t w : which) {
      const Part& p = parts_[w];
      for (size_t pos = 0; pos < p.segment->size(); ++pos) {
        if (p.dead && p.dead->test(pos)) continue;
        docs.push_back(p.segment->doc(pos));
        const float* v = p.segment->vector(pos);
        data.insert(data.end(), v, v + d);
      }
    }
    if (with_delta) {
      docs.insert(docs.end(), delta_->docs.begin(), delta_->docs.end());
      data.insert(data.end(), delta_->data.begin(), delta_->data.end());
    }
    out->reset();
    if (docs.empty()) return Status::Ok();
    GITMEM_ASSIGN_OR_RETURN(*out, VectorSegment::Build(options_, docs, data, origin));
    return Status::Ok();
  };
  // Replaces parts `which` by `seg` (when not null). Keeps the order of the others.
  auto replace = [&](const std::vector<size_t>& which, std::shared_ptr<const VectorSegment> seg) {
    std::vector<Part> kept;
    for (size_t i = 0; i < parts_.size(); ++i) {
      if (std::find(which.begin(), which.end(), i) == which.end()) kept.push_back(parts_[i]);
    }
    if (seg) kept.push_back({std::move(seg), nullptr});
    parts_ = std::move(kept);
  };

  if (full) {
    std::vector<size_t> all(parts_.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::shared_ptr<const VectorSegment> seg;
    GITMEM_RETURN_IF_ERROR(merge(all, true, &seg));
    replace(all, std::move(seg));
    delta_ = std::make_shared<Delta>();
    return Status::Ok();
  }

  // 1. Flush the delta when it is full.
  if (!delta_->docs.empty() && delta_->docs.size() >= options_.delta_max) {
    std::shared_ptr<const VectorSegment> seg;
    GITMEM_RETURN_IF_ERROR(merge({}, true, &seg));
    replace({}, std::move(seg));
    delta_ = std::make_shared<Delta>();
  }
  // 2. Rebuild parts that are mostly dead.
  for (size_t i = 0; i < parts_.size();) {
    const Part& p = parts_[i];
    if (p.dead && static_cast<double>(p.dead->count) >
                      options_.tombstone_max_fraction * static_cast<double>(p.segment->size())) {
      std::shared_ptr<const VectorSegment> seg;
      GITMEM_RETURN_IF_ERROR(merge({i}, false, &seg));
      replace({i}, std::move(seg));
      continue;  // parts_ shifted; re-examine position i
    }
    ++i;
  }
  // 3. Size-tiered merging.
  for (bool changed = true; changed;) {
    changed = false;
    std::unordered_map<size_t, std::vector<size_t>> tiers;
    for (size_t i = 0; i < parts_.size(); ++i) {
      tiers[Tier(parts_[i].live(), options_.delta_max, options_.merge_factor)].push_back(i);
    }
    size_t best_tier = SIZE_MAX;
    for (const auto& [tier, members] : tiers) {
      if (members.size() >= options_.merge_factor) best_tier = std::min(best_tier, tier);
    }
    if (best_tier != SIZE_MAX) {
      const std::vector<size_t> which = tiers[best_tier];
      std::shared_ptr<const VectorSegment> seg;
      GITMEM_RETURN_IF_ERROR(merge(which, false, &seg));
      replace(which, std::move(seg));
      changed = true;
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Serialisation

Status VectorIndex::SerializeBody(bool inline_segments, std::string* out) const {
  out->append(kIndexMagic, 4);
  PutFixed32(out, kFormatVersion);
  out->push_back(inline_segments ? 0 : 1);
  const auto& o = options_;
  PutVarint64(out, o.dimension);
  out->push_back(o.normalize ? 1 : 0);
  PutVarint64(out, o.flat_max);
  PutVarint64(out, static_cast<uint64_t>(o.hnsw_m));
  PutVarint64(out, static_cast<uint64_t>(o.hnsw_ef_construction));
  PutVarint64(out, static_cast<uint64_t>(o.hnsw_ef_search));
  PutVarint64(out, o.delta_max);
  uint64_t frac_bits;
  std::memcpy(&frac_bits, &o.tombstone_max_fraction, 8);
  PutFixed64(out, frac_bits);
  PutVarint64(out, o.merge_factor);
  out->push_back(o.auto_compact ? 1 : 0);

  PutVarint64(out, parts_.size());
  for (const auto& p : parts_) {
    if (inline_segments) {
      GITMEM_ASSIGN_OR_RETURN(std::string bytes, p.segment->Serialize());
      PutLengthPrefixed(out, bytes);
    } else {
      GITMEM_ASSIGN_OR_RETURN(std::string key, p.segment->Key());
      PutLengthPrefixed(out, key);
    }
    const size_t dead = p.dead ? p.dead->count : 0;
    PutVarint64(out, dead);
    if (dead > 0) {
      for (uint64_t w : p.dead->bits) PutFixed64(out, w);
    }
  }
  const Delta& delta = *delta_;
  PutVarint64(out, delta.docs.size());
  for (uint64_t doc : delta.docs) PutFixed64(out, doc);
  for (float f : delta.data) PutFloat(out, f);
  return Status::Ok();
}

Result<std::string> VectorIndex::Serialize() const {
  std::string out;
  GITMEM_RETURN_IF_ERROR(SerializeBody(true, &out));
  return out;
}

Result<std::string> VectorIndex::SerializeManifest() const {
  std::string out;
  GITMEM_RETURN_IF_ERROR(SerializeBody(false, &out));
  return out;
}

Result<VectorIndex> VectorIndex::Deserialize(std::string_view bytes) {
  return DeserializeBody(bytes, true, nullptr);
}

Result<VectorIndex> VectorIndex::DeserializeManifest(std::string_view bytes,
                                                     const SegmentLoader& load) {
  return DeserializeBody(bytes, false, &load);
}

Result<VectorIndex> VectorIndex::DeserializeBody(std::string_view in, bool inline_segments,
                                                 const SegmentLoader* load) {
  std::string_view magic, mode, b1, b2;
  uint32_t version = 0;
  if (!GetBytes(&in, 4, &magic) || magic != std::string_view(kIndexMagic, 4)) {
    return Corrupt("bad magic");
  }
  if (!GetFixed32(&in, &version) || version != kFormatVersion) {
    return Corrupt("unsupported format version");
  }
  if (!GetBytes(&in, 1, &mode) || mode[0] != (inline_segments ? 0 : 1)) {
    return Corrupt(inline_segments ? "expected a self-contained index, found a manifest"
                                   : "expected a manifest, found a self-contained index");
  }
  VectorIndexOptions o;
  uint64_t dim, flat_max, m, efc, efs, delta_max, frac_bits, merge_factor;
  if (!GetVarint64(&in, &dim) || !GetBytes(&in, 1, &b1) || !GetVarint64(&in, &flat_max) ||
      !GetVarint64(&in, &m) || !GetVarint64(&in, &efc) || !GetVarint64(&in, &efs) ||
      !GetVarint64(&in, &delta_max) || !GetFixed64(&in, &frac_bits) ||
      !GetVarint64(&in, &merge_factor) || !GetBytes(&in, 1, &b2)) {
    return Corrupt("truncated options");
  }
  o.dimension = dim;
  o.normalize = b1[0] != 0;
  o.flat_max = flat_max;
  o.hnsw_m = static_cast<int>(std::min<uint64_t>(m, 1u << 20));
  o.hnsw_ef_construction = static_cast<int>(std::min<uint64_t>(efc, 1u << 20));
  o.hnsw_ef_search = static_cast<int>(std::min<uint64_t>(efs, 1u << 20));
  o.delta_max = delta_max;
  std::memcpy(&o.tombstone_max_fraction, &frac_bits, 8);
  o.merge_factor = merge_factor;
  o.auto_compact = b2[0] != 0;
  auto created = Create(o);
  if (!created.ok()) return Corrupt("options: " + created.status().message());
  VectorIndex index = std::move(created).value();

  uint64_t nparts = 0;
  if (!GetVarint64(&in, &nparts) || nparts > in.size()) return Corrupt("truncated segment list");
  for (uint64_t i = 0; i < nparts; ++i) {
    std::string_view seg_bytes;
    if (!GetLengthPrefixed(&in, &seg_bytes)) return Corrupt("truncated segment");
    std::shared_ptr<const VectorSegment> seg;
    if (inline_segments) {
      GITMEM_ASSIGN_OR_RETURN(seg, VectorSegment::Deserialize(seg_bytes));
    } else {
      GITMEM_ASSIGN_OR_RETURN(seg, (*load)(seg_bytes));
      if (!seg) return Corrupt("segment loader returned nothing");
    }
    if (seg->dimension() != o.dimension) return Corrupt("segment dimension differs from the index");
    uint64_t dead = 0;
    if (!GetVarint64(&in, &dead) || dead > seg->size()) return Corrupt("truncated tombstones");
    Part part{seg, nullptr};
    if (dead > 0) {
      auto t = std::make_shared<Tombstones>();
      t->bits.resize((seg->size() + 63) / 64);
      size_t count = 0;
      for (auto& w : t->bits) {
        if (!GetFixed64(&in, &w)) return Corrupt("truncated tombstones");
        count += static_cast<size_t>(__builtin_popcountll(w));
      }
      if (count != dead || (seg->size() % 64 != 0 && (t->bits.back() >> (seg->size() % 64)) != 0)) {
        return Corrupt("tombstone count mismatch");
      }
      t->count = count;
      part.dead = std::move(t);
    }
    index.live_ += part.live();
    index.parts_.push_back(std::move(part));
  }
  uint64_t nd = 0;
  if (!GetVarint64(&in, &nd) || nd > in.size() / 8) return Corrupt("truncated delta");
  auto delta = std::make_shared<Delta>();
  delta->docs.resize(nd);
  for (auto& doc : delta->docs) GetFixed64(&in, &doc);
  if (in.size() != nd * o.dimension * 4) return Corrupt("delta size mismatch");
  delta->data.resize(nd * o.dimension);
  for (auto& f : delta->data) GetFloat(&in, &f);
  index.live_ += nd;
  index.delta_ = std::move(delta);
  return index;
}

}  // namespace gitmem::index
