// VectorSegment::WriteFile and Map: the mappable segment file format.
#include "search/vector/internal.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <unordered_map>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "search/segmented/tombstones.h"
#include "util/coding.h"
#include "util/hash.h"

namespace gitmem::index {

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
  if (h.n > (uint64_t{1} << 32) || h.dimension == 0 || h.dimension > 65536 || h.n_probas > 64 || h.n_cum > 64 ||
      h.n_neighbors > (uint64_t{1} << 40) || h.origin_bytes > (uint64_t{1} << 20)) {
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

// The HNSW graph's sizes and parameters, which the file header holds as the graph does
// (Graph to FileHeader when writing, back when loading).
template <class From, class To>
void CopyGraphScalars(const From& from, To* to) {
  to->n_probas = from.n_probas;
  to->n_cum = from.n_cum;
  to->n_neighbors = from.n_neighbors;
  to->entry_point = from.entry_point;
  to->max_level = from.max_level;
  to->ef_construction = from.ef_construction;
  to->ef_search = from.ef_search;
  to->upper_beam = from.upper_beam;
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
  if (hnsw_) CopyGraphScalars(g_, &h);
  if (key.size() != sizeof(h.key)) return Status::Internal("vector segment: unexpected key size");
  std::memcpy(h.key, key.data(), sizeof(h.key));
  FileLayout l;
  if (!Layout(h, &l)) return Status::InvalidArgument("vector segment: too large for a segment file");
  h.file_bytes = l.end;

  // Written under a unique temporary name, flushed, then renamed: the final name only
  // ever holds a complete file, and it exists before any manifest that names it.
  static std::atomic<uint64_t> counter{0};
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
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

Result<std::shared_ptr<const VectorSegment>> VectorSegment::Map(const std::string& path, std::string_view key) {
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
    g.cum = reinterpret_cast<const int32_t*>(b + l.cum);
    g.levels = reinterpret_cast<const int32_t*>(b + l.levels);
    g.offsets = reinterpret_cast<const uint64_t*>(b + l.offsets);
    g.neighbors = reinterpret_cast<const int32_t*>(b + l.neighbors);
    CopyGraphScalars(h, &g);
    // The walk indexes cum[level + 1] for level <= max_level and cum[1] at level 0.
    bool ok =
        g.max_level >= 0 && static_cast<uint64_t>(g.max_level) + 2 <= g.n_cum &&
        (seg->n_ == 0 ? g.entry_point == -1 : g.entry_point >= 0 && static_cast<uint64_t>(g.entry_point) < seg->n_);
    for (size_t i = 1; ok && i < g.n_cum; ++i) ok = g.cum[i] >= g.cum[i - 1] && g.cum[0] >= 0;
    if (!ok) return bad("HNSW header is inconsistent");
  }
  seg->key_ = std::string(key);
  std::call_once(seg->key_once_, [] {});  // the key is the file's (checked above)
  return std::shared_ptr<const VectorSegment>(std::move(seg));
}

}  // namespace gitmem::index
