// Shared by the C ABI's translation units: the handle structs, the thread's last error,
// and the one try/catch macro pair every entry point is wrapped in.
#pragma once

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gitmem/gitmem.h"
#include "gitmem/merge.hpp"
#include "gitmem/memory.hpp"
#include "gitmem/repository.hpp"
#include "gitmem/search.hpp"
#include "gitmem/status.hpp"

namespace gitmem::capi {

/// Records `message` as the thread's last error and returns `code`. Never throws.
int SetError(int code, std::string_view message) noexcept;
/// Maps a Status to a return code, recording its message when it is not ok.
int FromStatus(const Status& status) noexcept;
/// EINVALID with a message.
inline int Invalid(std::string_view message) noexcept { return SetError(GITMEM_EINVALID, message); }
/// Classifies the exception being handled (call only inside a catch block).
int HandleException() noexcept;

/// Copies a string into a malloc'd buffer the caller frees with gitmem_string_free.
char* DupString(std::string_view s);

/// EINVALID unless `p` is non-NULL; the message names the parameter.
#define GITMEM_REQUIRE(p, name) \
  do {                          \
    if ((p) == nullptr) return ::gitmem::capi::Invalid(name ": must not be NULL"); \
  } while (0)

/// Checks an options struct's version field: 1 .. `current`.
int CheckVersion(unsigned int version, unsigned int current, const char* what) noexcept;

inline std::string_view Str(const char* s) { return s ? std::string_view(s) : std::string_view(); }

inline std::string HexOrZero(const ObjectId& id) { return id.hex(); }

/// A ReadOptions from the C struct (NULL = defaults); EINVALID on a bad version.
int ToReadOptions(const gitmem_read_options* in, const char* what, ReadOptions* out) noexcept;

/// A ProgressFn calling a C callback (empty when `fn` is NULL).
inline ProgressFn ToProgress(gitmem_progress_fn fn, void* payload) {
  if (fn == nullptr) return {};
  return [fn, payload](uint64_t done, uint64_t total) { fn(done, total, payload); };
}

inline void CopyHex(char* out, const ObjectId& id) {
  const std::string hex = id.hex();
  std::memcpy(out, hex.c_str(), hex.size() + 1);
}

}  // namespace gitmem::capi

// One try/catch pair around every entry point: nothing C++ crosses the boundary.
#define GITMEM_CAPI_TRY try {
/// For functions returning an int code.
#define GITMEM_CAPI_CATCH                       \
  }                                             \
  catch (...) {                                 \
    return ::gitmem::capi::HandleException();   \
  }
/// For functions returning a value (getters): `fallback` on an exception.
#define GITMEM_CAPI_CATCH_RETURN(fallback)      \
  }                                             \
  catch (...) {                                 \
    ::gitmem::capi::HandleException();          \
    return fallback;                            \
  }
/// For functions returning nothing (free).
#define GITMEM_CAPI_CATCH_VOID                  \
  }                                             \
  catch (...) {                                 \
    ::gitmem::capi::HandleException();          \
  }

// ---- handles (global namespace: they complete the C header's opaque types) --------------

struct gitmem_repo {
  std::shared_ptr<gitmem::Repository> repo;
};

struct gitmem_strlist {
  std::vector<std::string> items;
};

struct gitmem_memory {
  gitmem::Memory m;
  std::string content_hash_hex;  // provenance.content_hash as hex, kept for the getter

  gitmem_memory() : content_hash_hex(m.provenance.content_hash.hex()) {}
  explicit gitmem_memory(gitmem::Memory mem)
      : m(std::move(mem)), content_hash_hex(m.provenance.content_hash.hex()) {}
};

struct gitmem_patch {
  gitmem::MemoryPatch p;
};

struct gitmem_commit {
  gitmem::CommitInfo c;
  std::string id_hex, tree_hex;
  std::vector<std::string> parents_hex;

  explicit gitmem_commit(gitmem::CommitInfo info) : c(std::move(info)) {
    id_hex = c.id.hex();
    tree_hex = c.tree.hex();
    for (const auto& p : c.parents) parents_hex.push_back(p.hex());
  }
};

struct gitmem_diff_entry {
  gitmem_diff_kind kind = GITMEM_DIFF_ADDED;
  std::string id;
  std::optional<gitmem_memory> old_memory, new_memory;
};

struct gitmem_history_entry {
  explicit gitmem_history_entry(gitmem::MemoryVersion v) : commit(std::move(v.commit)) {
    if (v.memory) memory.emplace(std::move(*v.memory));
  }
  gitmem_commit commit;
  std::optional<gitmem_memory> memory;
};

struct gitmem_staged_entry {
  std::string id;
  bool deleted = false;
  std::optional<gitmem_memory> memory;
};

struct gitmem_branch {
  gitmem::BranchInfo b;
  std::string head_hex;
};

struct gitmem_tag {
  gitmem::TagInfo t;
  std::string target_hex;
};

struct gitmem_fsck {
  gitmem::FsckReport r;
};

namespace gitmem::capi {

/// An iterator over results computed when it was created. It keeps its repository alive
/// (shared ownership), so freeing the repository first is safe.
template <typename T>
struct VectorIter {
  std::shared_ptr<Repository> repo;
  std::vector<T> items;
  size_t pos = 0;

  /// Moves the next item out, or returns false at the end.
  bool Next(T* out) {
    if (pos >= items.size()) return false;
    *out = std::move(items[pos++]);
    return true;
  }
  size_t remaining() const { return items.size() - pos; }
};

}  // namespace gitmem::capi

struct gitmem_list : gitmem::capi::VectorIter<gitmem::Memory> {};
struct gitmem_log : gitmem::capi::VectorIter<gitmem::CommitInfo> {};
struct gitmem_history : gitmem::capi::VectorIter<gitmem::MemoryVersion> {};
struct gitmem_staged : gitmem::capi::VectorIter<gitmem::StagedChange> {};
struct gitmem_branch_iter : gitmem::capi::VectorIter<gitmem::BranchInfo> {};
struct gitmem_tag_iter : gitmem::capi::VectorIter<gitmem::TagInfo> {};
struct gitmem_diff : gitmem::capi::VectorIter<gitmem::DiffEntry> {
  size_t added = 0, modified = 0, removed = 0;
};

// ---- search and merge handles ------------------------------------------------------------

struct gitmem_search_hit {
  std::string id;
  double score = 0;
  std::optional<gitmem_memory> memory;
};
struct gitmem_search_iter : gitmem::capi::VectorIter<gitmem::SearchHit> {};

struct gitmem_conflict {
  explicit gitmem_conflict(const gitmem::MergeConflict& c)
      : kind(static_cast<gitmem_conflict_kind>(c.kind)), id(c.id), base_ambiguous(c.base_ambiguous) {
    if (c.base) base.emplace(*c.base);
    if (c.ours) ours.emplace(*c.ours);
    if (c.theirs) theirs.emplace(*c.theirs);
    if (c.resolution) resolution.emplace(*c.resolution);
  }
  gitmem_conflict_kind kind;
  std::string id;
  bool base_ambiguous;
  std::optional<gitmem_memory> base, ours, theirs, resolution;
};

struct gitmem_merge_result {
  gitmem::MergeResult r;
  std::string commit_hex;
};
struct gitmem_conflict_iter : gitmem::capi::VectorIter<gitmem::MergeConflict> {};

struct gitmem_repo_info {
  gitmem::RepositoryInfo i;
};
