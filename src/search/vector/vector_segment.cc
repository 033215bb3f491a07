// VectorSegment: building a segment (FAISS flat or HNSW), the doc lookup, searching it,
// and its self-contained serialisation.
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

// ---------------------------------------------------------------------------------------
// VectorSegment

VectorSegment::~VectorSegment() = default;

void VectorSegment::SetLookup(std::vector<uint64_t> docs) {
  own_docs_ = std::move(docs);
  n_ = own_docs_.size();
  std::vector<std::pair<uint64_t, uint32_t>> by_doc(n_);
  for (size_t i = 0; i < n_; ++i) by_doc[i] = {own_docs_[i], static_cast<uint32_t>(i)};
  std::sort(by_doc.begin(), by_doc.end());
  own_sorted_doc_.resize(n_);
  own_sorted_pos_.resize(n_);
  for (size_t i = 0; i < n_; ++i) {
    own_sorted_doc_[i] = by_doc[i].first;
    own_sorted_pos_[i] = by_doc[i].second;
  }
  docs_ = own_docs_.data();
  sorted_doc_ = own_sorted_doc_.data();
  sorted_pos_ = own_sorted_pos_.data();
}

int64_t VectorSegment::FirstDuplicate() const {
  for (size_t i = 1; i < n_; ++i) {
    if (sorted_doc_[i] == sorted_doc_[i - 1]) return static_cast<int64_t>(i);
  }
  return -1;
}

void VectorSegment::ViewOwnedIndex() {
  xb_ = FlatStorage(index_.get(), hnsw_)->get_xb();
  if (!hnsw_) return;
  const faiss::HNSW& h = static_cast<const faiss::IndexHNSW*>(index_.get())->hnsw;
  static_assert(sizeof(size_t) == sizeof(uint64_t));
  g_.probas = h.assign_probas.data();
  g_.n_probas = h.assign_probas.size();
  g_.cum = h.cum_nneighbor_per_level.data();
  g_.n_cum = h.cum_nneighbor_per_level.size();
  g_.levels = h.levels.data();
  g_.offsets = reinterpret_cast<const uint64_t*>(h.offsets.data());
  g_.neighbors = h.neighbors.data();
  g_.n_neighbors = h.neighbors.size();
  g_.entry_point = h.entry_point;
  g_.max_level = h.max_level;
  g_.ef_construction = h.efConstruction;
  g_.ef_search = h.efSearch;
  g_.upper_beam = h.upper_beam;
}

namespace {
// An empty inner-product HNSW index with the options' graph parameters.
std::unique_ptr<faiss::IndexHNSWFlat> NewHnsw(size_t d, const VectorIndexOptions& options) {
  auto h = std::make_unique<faiss::IndexHNSWFlat>(static_cast<int>(d), options.hnsw_m, faiss::METRIC_INNER_PRODUCT);
  h->hnsw.efConstruction = options.hnsw_ef_construction;
  h->hnsw.efSearch = options.hnsw_ef_search;
  return h;
}
}  // namespace

Result<std::shared_ptr<const VectorSegment>> VectorSegment::Build(const VectorIndexOptions& options,
                                                                  std::span<const uint64_t> docs,
                                                                  std::span<const float> vectors, std::string origin) {
  const size_t d = options.dimension;
  if (vectors.size() != docs.size() * d) {
    return Status::InvalidArgument("vectors: has " + std::to_string(vectors.size()) +
                                   " floats, expected docs.size() * dimension = " + std::to_string(docs.size() * d));
  }
  if (docs.size() > std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("docs: a segment holds at most 2^32 - 1 vectors");
  }
  std::shared_ptr<VectorSegment> seg(new VectorSegment());
  seg->dimension_ = d;
  seg->origin_ = std::move(origin);
  seg->SetLookup(std::vector<uint64_t>(docs.begin(), docs.end()));
  if (const int64_t dup = seg->FirstDuplicate(); dup >= 0) {
    return Status::InvalidArgument("docs: doc " + std::to_string(seg->sorted_doc_[dup]) + " appears more than once");
  }
  seg->hnsw_ = docs.size() > options.flat_max && options.build_graphs;
  const auto n = static_cast<faiss::Index::idx_t>(docs.size());
  GITMEM_RETURN_IF_ERROR(Guard("vector segment build", [&] {
    if (seg->hnsw_) {
      auto h = NewHnsw(d, options);
      h->add(n, vectors.data());
      seg->index_ = std::move(h);
    } else {
      auto f = std::make_unique<faiss::IndexFlatIP>(static_cast<faiss::Index::idx_t>(d));
      if (n > 0) f->add(n, vectors.data());
      seg->index_ = std::move(f);
    }
  }));
  seg->ViewOwnedIndex();
  return std::shared_ptr<const VectorSegment>(std::move(seg));
}

Result<std::shared_ptr<const VectorSegment>> VectorSegment::WithGraph(const VectorSegment& exact,
                                                                      const VectorIndexOptions& options,
                                                                      const std::atomic<bool>& cancel) {
  // A chunk is a fraction of a second of graph work even for big segments, so a close
  // (which sets `cancel`) waits at most that long.
  constexpr size_t kChunk = 256;
  const size_t d = exact.dimension_, n = exact.n_;
  std::shared_ptr<VectorSegment> seg(new VectorSegment());
  seg->dimension_ = d;
  seg->origin_ = exact.origin_;
  seg->SetLookup(std::vector<uint64_t>(exact.docs_, exact.docs_ + n));
  seg->hnsw_ = true;
  auto h = NewHnsw(d, options);
  for (size_t start = 0; start < n; start += kChunk) {
    if (cancel.load(std::memory_order_relaxed)) return Status::Busy("vector graph build: cancelled");
    const size_t m = std::min(kChunk, n - start);
    GITMEM_RETURN_IF_ERROR(
        Guard("vector graph build", [&] { h->add(static_cast<faiss::Index::idx_t>(m), exact.xb_ + start * d); }));
  }
  seg->index_ = std::move(h);
  seg->ViewOwnedIndex();
  return std::shared_ptr<const VectorSegment>(std::move(seg));
}

int64_t VectorSegment::Find(uint64_t doc) const {
  const uint64_t* it = std::lower_bound(sorted_doc_, sorted_doc_ + n_, doc);
  if (it == sorted_doc_ + n_ || *it != doc) return -1;
  return sorted_pos_[it - sorted_doc_];
}

const float* VectorSegment::vector(size_t pos) const { return xb_ + pos * dimension_; }

Status VectorSegment::Search(const float* q, size_t k, const Tombstones* dead, int ef_search,
                             std::vector<VectorHit>* out) const {
  if (dead != nullptr && dead->count == 0) dead = nullptr;
  const size_t live = size() - (dead ? dead->count : 0);
  const size_t kk = std::min(k, live);
  if (kk == 0) return Status::Ok();
  std::vector<float> dist(kk);
  std::vector<int64_t> labels(kk);
  NotDead sel(dead);
  GITMEM_RETURN_IF_ERROR(Guard("vector search", [&] {
    size_t found = 0;
    if (hnsw_) WalkHnsw(q, kk, dead, ef_search, dist.data(), labels.data(), &found);
    if (found < kk) {
      // A flat segment, or a graph walk that lost results to tombstones: exact search
      // over the stored vectors (what IndexFlatIP::search does, on the raw array).
      faiss::knn_inner_product(q, xb_, dimension_, 1, n_, kk, dist.data(), labels.data(), dead ? &sel : nullptr);
    }
  }));
  for (size_t i = 0; i < kk; ++i) {
    if (labels[i] < 0 || static_cast<size_t>(labels[i]) >= n_) continue;
    out->push_back({docs_[static_cast<size_t>(labels[i])], dist[i]});
  }
  return Status::Ok();
}

Result<std::unique_ptr<faiss::Index>> VectorSegment::Materialize() const {
  std::unique_ptr<faiss::Index> out;
  GITMEM_RETURN_IF_ERROR(Guard("vector segment materialise", [&] {
    const auto d = static_cast<faiss::Index::idx_t>(dimension_);
    auto flat = std::make_unique<faiss::IndexFlatIP>(d);
    flat->codes.assign(reinterpret_cast<const uint8_t*>(xb_), reinterpret_cast<const uint8_t*>(xb_ + n_ * dimension_));
    flat->ntotal = static_cast<faiss::Index::idx_t>(n_);
    if (!hnsw_) {
      out = std::move(flat);
      return;
    }
    auto h = std::make_unique<faiss::IndexHNSWFlat>();
    h->d = d;
    h->metric_type = faiss::METRIC_INNER_PRODUCT;
    h->ntotal = static_cast<faiss::Index::idx_t>(n_);
    h->is_trained = true;
    h->storage = flat.release();
    h->own_fields = true;
    faiss::HNSW& g = h->hnsw;
    g.assign_probas.assign(g_.probas, g_.probas + g_.n_probas);
    g.cum_nneighbor_per_level.assign(g_.cum, g_.cum + g_.n_cum);
    g.levels.assign(g_.levels, g_.levels + n_);
    g.offsets.assign(g_.offsets, g_.offsets + n_ + 1);
    g.neighbors.assign(g_.neighbors, g_.neighbors + g_.n_neighbors);
    g.entry_point = g_.entry_point;
    g.max_level = g_.max_level;
    g.efConstruction = g_.ef_construction;
    g.efSearch = g_.ef_search;
    g.upper_beam = g_.upper_beam;
    out = std::move(h);
  }));
  return out;
}

Result<std::string> VectorSegment::Serialize() const {
  std::string out;
  out.append(kSegmentMagic, 4);
  PutFixed32(&out, kFormatVersion);
  PutVarint64(&out, dimension_);
  out.push_back(hnsw_ ? 1 : 0);
  PutLengthPrefixed(&out, origin_);
  PutVarint64(&out, n_);
  for (size_t i = 0; i < n_; ++i) PutFixed64(&out, docs_[i]);
  std::unique_ptr<faiss::Index> materialized;
  const faiss::Index* index = index_.get();
  if (!index) {  // a mapped segment: the canonical bytes are FAISS's, so rebuild the object
    GITMEM_ASSIGN_OR_RETURN(materialized, Materialize());
    index = materialized.get();
  }
  faiss::VectorIOWriter w;
  GITMEM_RETURN_IF_ERROR(Guard("vector segment serialise", [&] { faiss::write_index(index, &w); }));
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
  if (!GetVarint64(&in, &dim) || dim == 0 || dim > 65536 || !GetBytes(&in, 1, &kind) || kind[0] > 1 ||
      !GetLengthPrefixed(&in, &origin) || !GetVarint64(&in, &n) || n > in.size() / 8) {
    return Corrupt("segment: truncated header");
  }
  std::shared_ptr<VectorSegment> seg(new VectorSegment());
  seg->dimension_ = dim;
  seg->hnsw_ = kind[0] == 1;
  seg->origin_ = std::string(origin);
  std::vector<uint64_t> docs(n);
  for (uint64_t i = 0; i < n; ++i) GetFixed64(&in, &docs[i]);
  if (!GetLengthPrefixed(&in, &faiss_bytes) || !in.empty()) {
    return Corrupt("segment: truncated FAISS index");
  }
  seg->SetLookup(std::move(docs));
  if (seg->FirstDuplicate() >= 0) return Corrupt("segment: duplicate doc");
  faiss::Index* raw = nullptr;
  Status s = Guard(
      "vector segment",
      [&] {
        faiss::VectorIOReader r;
        r.data.assign(faiss_bytes.begin(), faiss_bytes.end());
        raw = faiss::read_index(&r);
      },
      Status::Code::kCorruption);
  if (!s.ok()) return s;
  seg->index_.reset(raw);
  const faiss::Index* idx = seg->index_.get();
  bool ok = idx->d == static_cast<faiss::Index::idx_t>(dim) && idx->ntotal == static_cast<faiss::Index::idx_t>(n) &&
            idx->metric_type == faiss::METRIC_INNER_PRODUCT;
  if (seg->hnsw_) {
    const auto* h = dynamic_cast<const faiss::IndexHNSWFlat*>(idx);
    ok = ok && h != nullptr && dynamic_cast<const faiss::IndexFlat*>(h->storage) != nullptr &&
         h->storage->ntotal == idx->ntotal && h->hnsw.offsets.size() == n + 1 &&
         h->hnsw.cum_nneighbor_per_level.size() >= static_cast<size_t>(h->hnsw.max_level) + 2;
  } else {
    ok = ok && dynamic_cast<const faiss::IndexFlat*>(idx) != nullptr;
  }
  if (!ok) return Corrupt("segment: FAISS index does not match its header");
  seg->ViewOwnedIndex();
  return std::shared_ptr<const VectorSegment>(std::move(seg));
}

}  // namespace gitmem::index
