#include "search/vector/vector_index.h"
#include "search/segmented/tombstones.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/HNSW.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <faiss/utils/Heap.h>
#include <faiss/utils/distances.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
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
  seg->SetLookup(std::vector<uint64_t>(docs.begin(), docs.end()));
  if (const int64_t dup = seg->FirstDuplicate(); dup >= 0) {
    return Status::InvalidArgument("docs: doc " + std::to_string(seg->sorted_doc_[dup]) +
                                   " appears more than once");
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
  seg->ViewOwnedIndex();
  return std::shared_ptr<const VectorSegment>(std::move(seg));
}

int64_t VectorSegment::Find(uint64_t doc) const {
  const uint64_t* it = std::lower_bound(sorted_doc_, sorted_doc_ + n_, doc);
  if (it == sorted_doc_ + n_ || *it != doc) return -1;
  return sorted_pos_[it - sorted_doc_];
}

const float* VectorSegment::vector(size_t pos) const { return xb_ + pos * dimension_; }

void VectorSegment::WalkHnsw(const float* q, size_t k, const Tombstones* dead, int ef_search,
                             float* dist, int64_t* labels, size_t* found) const {
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
      faiss::knn_inner_product(q, xb_, dimension_, 1, n_, kk, dist.data(), labels.data(),
                               dead ? &sel : nullptr);
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
    flat->codes.assign(reinterpret_cast<const uint8_t*>(xb_),
                       reinterpret_cast<const uint8_t*>(xb_ + n_ * dimension_));
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
  if (!GetVarint64(&in, &dim) || dim == 0 || dim > 65536 || !GetBytes(&in, 1, &kind) ||
      kind[0] > 1 || !GetLengthPrefixed(&in, &origin) || !GetVarint64(&in, &n) ||
      n > in.size() / 8) {
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

// ---- segment files ----------------------------------------------------------------------
//
// A segment file holds the arrays a search reads, each at a 64-byte aligned offset, so a
// mapped file is searched in place: opening it costs O(1) reads whatever its size, and
// pages come in as queries touch them. All integers are little-endian host order, as in
// FAISS's own format.
//
//   header (kFileHeaderBytes)   magic "GMVSEGF1", counts, graph scalars, key (64 hex)
//   origin                      origin bytes
//   docs        u64[n]          position -> doc
//   sorted_doc  u64[n]          docs ascending        } the doc -> position lookup
//   sorted_pos  u32[n]          their positions       }
//   vectors     f32[n * d]      FAISS IndexFlat codes
//   HNSW only: probas f64[n_probas], cum i32[n_cum], levels i32[n], offsets u64[n + 1],
//              neighbors i32[n_neighbors]             (FAISS HNSW fields, as they are)

namespace {

constexpr char kFileMagic[8] = {'G', 'M', 'V', 'S', 'E', 'G', 'F', '1'};
constexpr size_t kFileHeaderBytes = 256;
constexpr size_t kAlign = 64;

struct FileHeader {
  char magic[8];
  uint64_t dimension, n, n_probas, n_cum, n_neighbors, origin_bytes, file_bytes;
  int32_t hnsw, entry_point, max_level, ef_construction, ef_search, upper_beam;
  char key[64];
};
static_assert(sizeof(FileHeader) <= kFileHeaderBytes);

struct FileLayout {
  uint64_t origin, docs, sorted_doc, sorted_pos, vectors, probas, cum, levels, offsets, neighbors, end;
};

uint64_t AlignUp(uint64_t x) { return (x + kAlign - 1) / kAlign * kAlign; }

// Offsets of every section; false when the counts overflow.
bool Layout(const FileHeader& h, FileLayout* l) {
  if (h.n > (uint64_t{1} << 32) || h.dimension == 0 || h.dimension > 65536 ||
      h.n_probas > 64 || h.n_cum > 64 || h.n_neighbors > (uint64_t{1} << 40) ||
      h.origin_bytes > (uint64_t{1} << 20)) {
    return false;
  }
  uint64_t at = kFileHeaderBytes;
  auto take = [&](uint64_t bytes) {
    const uint64_t start = AlignUp(at);
    at = start + bytes;
    return start;
  };
  l->origin = take(h.origin_bytes);
  l->docs = take(8 * h.n);
  l->sorted_doc = take(8 * h.n);
  l->sorted_pos = take(4 * h.n);
  l->vectors = take(4 * h.n * h.dimension);
  const bool g = h.hnsw != 0;
  l->probas = take(g ? 8 * h.n_probas : 0);
  l->cum = take(g ? 4 * h.n_cum : 0);
  l->levels = take(g ? 4 * h.n : 0);
  l->offsets = take(g ? 8 * (h.n + 1) : 0);
  l->neighbors = take(g ? 4 * h.n_neighbors : 0);
  l->end = at;
  return true;
}

Status IoError(const std::string& what, const std::string& path) {
  return Status::IoError(what + " '" + path + "': " + std::strerror(errno));
}

// Closes a descriptor on every path out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Status WriteAll(int fd, const void* data, uint64_t bytes, const std::string& path) {
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t w = ::write(fd, p, std::min<uint64_t>(bytes, 1u << 30));
    if (w < 0) {
      if (errno == EINTR) continue;
      return IoError("vector segment: cannot write", path);
    }
    p += w;
    bytes -= static_cast<uint64_t>(w);
  }
  return Status::Ok();
}

}  // namespace

Status VectorSegment::WriteFile(const std::string& path) const {
  GITMEM_ASSIGN_OR_RETURN(std::string key, Key());
  FileHeader h{};
  std::memcpy(h.magic, kFileMagic, 8);
  h.dimension = dimension_;
  h.n = n_;
  h.origin_bytes = origin_.size();
  h.hnsw = hnsw_ ? 1 : 0;
  h.entry_point = -1;
  if (hnsw_) {
    h.n_probas = g_.n_probas;
    h.n_cum = g_.n_cum;
    h.n_neighbors = g_.n_neighbors;
    h.entry_point = g_.entry_point;
    h.max_level = g_.max_level;
    h.ef_construction = g_.ef_construction;
    h.ef_search = g_.ef_search;
    h.upper_beam = g_.upper_beam;
  }
  if (key.size() != sizeof(h.key)) return Status::Internal("vector segment: unexpected key size");
  std::memcpy(h.key, key.data(), sizeof(h.key));
  FileLayout l;
  if (!Layout(h, &l)) return Status::InvalidArgument("vector segment: too large for a segment file");
  h.file_bytes = l.end;

  // Written under a unique temporary name, flushed, then renamed: the final name only
  // ever holds a complete file, and it exists before any manifest that names it.
  static std::atomic<uint64_t> counter{0};
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." +
                          std::to_string(counter.fetch_add(1));
  Fd f;
  f.fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (f.fd < 0) return IoError("vector segment: cannot create", tmp);
  uint64_t at = 0;
  std::string pad;
  auto put = [&](uint64_t offset, const void* data, uint64_t bytes) -> Status {
    if (offset > at) {
      pad.assign(offset - at, '\0');
      GITMEM_RETURN_IF_ERROR(WriteAll(f.fd, pad.data(), pad.size(), tmp));
    }
    GITMEM_RETURN_IF_ERROR(WriteAll(f.fd, data, bytes, tmp));
    at = offset + bytes;
    return Status::Ok();
  };
  std::string header(kFileHeaderBytes, '\0');
  std::memcpy(header.data(), &h, sizeof(h));
  Status s = put(0, header.data(), header.size());
  if (s.ok()) s = put(l.origin, origin_.data(), origin_.size());
  if (s.ok()) s = put(l.docs, docs_, 8 * n_);
  if (s.ok()) s = put(l.sorted_doc, sorted_doc_, 8 * n_);
  if (s.ok()) s = put(l.sorted_pos, sorted_pos_, 4 * n_);
  if (s.ok()) s = put(l.vectors, xb_, 4 * n_ * dimension_);
  if (s.ok() && hnsw_) {
    s = put(l.probas, g_.probas, 8 * g_.n_probas);
    if (s.ok()) s = put(l.cum, g_.cum, 4 * g_.n_cum);
    if (s.ok()) s = put(l.levels, g_.levels, 4 * n_);
    if (s.ok()) s = put(l.offsets, g_.offsets, 8 * (n_ + 1));
    if (s.ok()) s = put(l.neighbors, g_.neighbors, 4 * g_.n_neighbors);
  }
  if (s.ok() && at < l.end) s = put(l.end, nullptr, 0);
  if (s.ok() && ::fsync(f.fd) != 0) s = IoError("vector segment: cannot flush", tmp);
  if (s.ok() && ::close(f.fd) != 0) s = IoError("vector segment: cannot close", tmp);
  f.fd = -1;
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = IoError("vector segment: cannot rename", tmp);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  Fd dfd;
  dfd.fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd.fd < 0 || ::fsync(dfd.fd) != 0) return IoError("vector segment: cannot flush directory", dir);
  return Status::Ok();
}

Result<std::shared_ptr<const VectorSegment>> VectorSegment::Map(const std::string& path,
                                                                std::string_view key) {
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) {
    if (errno == ENOENT) return Status::NotFound("vector segment file '" + path + "' does not exist");
    return IoError("vector segment: cannot open", path);
  }
  struct stat st;
  if (::fstat(f.fd, &st) != 0) return IoError("vector segment: cannot stat", path);
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size < kFileHeaderBytes) return Corrupt("segment file '" + path + "': truncated header");
  void* base = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, f.fd, 0);
  if (base == MAP_FAILED) return IoError("vector segment: cannot map", path);
  std::shared_ptr<const void> mapping(base, [size](const void* p) { ::munmap(const_cast<void*>(p), size); });
  const char* b = static_cast<const char*>(base);
  FileHeader h;
  std::memcpy(&h, b, sizeof(h));
  FileLayout l;
  auto bad = [&](std::string_view why) { return Corrupt("segment file '" + path + "': " + std::string(why)); };
  if (std::memcmp(h.magic, kFileMagic, 8) != 0) return bad("bad magic");
  if (std::string_view(h.key, sizeof(h.key)) != key) return bad("holds another segment");
  if (!Layout(h, &l) || h.file_bytes != l.end || size != l.end) return bad("size does not match its header");
  if (h.hnsw != 0 && h.hnsw != 1) return bad("bad kind");

  std::shared_ptr<VectorSegment> seg(new VectorSegment());
  seg->mapping_ = std::move(mapping);
  seg->dimension_ = h.dimension;
  seg->n_ = h.n;
  seg->hnsw_ = h.hnsw == 1;
  seg->origin_.assign(b + l.origin, h.origin_bytes);
  seg->docs_ = reinterpret_cast<const uint64_t*>(b + l.docs);
  seg->sorted_doc_ = reinterpret_cast<const uint64_t*>(b + l.sorted_doc);
  seg->sorted_pos_ = reinterpret_cast<const uint32_t*>(b + l.sorted_pos);
  seg->xb_ = reinterpret_cast<const float*>(b + l.vectors);
  // The lookup must be a strictly increasing permutation of the docs (Find and Remove
  // rely on it); this reads 20 bytes per vector, not the vectors or the graph.
  for (size_t i = 0; i < seg->n_; ++i) {
    const uint32_t pos = seg->sorted_pos_[i];
    if (pos >= seg->n_ || seg->docs_[pos] != seg->sorted_doc_[i] ||
        (i > 0 && seg->sorted_doc_[i] <= seg->sorted_doc_[i - 1])) {
      return bad("doc lookup is inconsistent");
    }
  }
  if (seg->hnsw_) {
    Graph& g = seg->g_;
    g.probas = reinterpret_cast<const double*>(b + l.probas);
    g.n_probas = h.n_probas;
    g.cum = reinterpret_cast<const int32_t*>(b + l.cum);
    g.n_cum = h.n_cum;
    g.levels = reinterpret_cast<const int32_t*>(b + l.levels);
    g.offsets = reinterpret_cast<const uint64_t*>(b + l.offsets);
    g.neighbors = reinterpret_cast<const int32_t*>(b + l.neighbors);
    g.n_neighbors = h.n_neighbors;
    g.entry_point = h.entry_point;
    g.max_level = h.max_level;
    g.ef_construction = h.ef_construction;
    g.ef_search = h.ef_search;
    g.upper_beam = h.upper_beam;
    // The walk indexes cum[level + 1] for level <= max_level and cum[1] at level 0.
    bool ok = g.max_level >= 0 && static_cast<uint64_t>(g.max_level) + 2 <= g.n_cum &&
              (seg->n_ == 0 ? g.entry_point == -1
                            : g.entry_point >= 0 && static_cast<uint64_t>(g.entry_point) < seg->n_);
    for (size_t i = 1; ok && i < g.n_cum; ++i) ok = g.cum[i] >= g.cum[i - 1] && g.cum[0] >= 0;
    if (!ok) return bad("HNSW header is inconsistent");
  }
  seg->key_ = std::string(key);
  std::call_once(seg->key_once_, [] {});  // the key is the file's (checked above)
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
