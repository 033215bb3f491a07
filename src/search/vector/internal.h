// Helpers shared by the vector index's source files: format constants, the exception
// guard around FAISS calls, the tombstone selector and the result order. Not part of the
// index's interface; FAISS headers stay inside src/search/vector/.
#pragma once

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/HNSW.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <faiss/utils/Heap.h>
#include <faiss/utils/distances.h>

#include <new>
#include <string>
#include <string_view>

#include "search/vector/vector_index.h"

namespace gitmem::index {

inline constexpr char kSegmentMagic[4] = {'G', 'M', 'V', 'S'};
inline constexpr char kIndexMagic[4] = {'G', 'M', 'V', 'I'};
inline constexpr uint32_t kFormatVersion = 1;

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

inline const faiss::IndexFlat* FlatStorage(const faiss::Index* index, bool hnsw) {
  if (!hnsw) return static_cast<const faiss::IndexFlat*>(index);
  return static_cast<const faiss::IndexFlat*>(static_cast<const faiss::IndexHNSW*>(index)->storage);
}

inline Status Corrupt(std::string_view what) {
  return Status::Corruption(std::string("vector index: ") + std::string(what));
}

}  // namespace gitmem::index
