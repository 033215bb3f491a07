// Shared by the C ABI's translation units: the handle structs, the thread's last error,
// the try/catch macro pair around every entry point that can throw, and the macros and
// templates that write the ABI's repeated shapes (getters, setters, iterators, frees) once.
#pragma once

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gitmem/gitmem.h"
#include "gitmem/memory.hpp"
#include "gitmem/merge.hpp"
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
#define GITMEM_REQUIRE(p, name)                                                    \
  do {                                                                             \
    if ((p) == nullptr) return ::gitmem::capi::Invalid(name ": must not be NULL"); \
  } while (0)

/// Returns the code of `expr` (an int-returning call) unless it is GITMEM_OK.
#define GITMEM_RETURN_IF_NOT_OK(expr)                   \
  do {                                                  \
    if (int rc_ = (expr); rc_ != GITMEM_OK) return rc_; \
  } while (0)

/// Checks an options struct's version field: 1 .. `current`.
int CheckVersion(unsigned int version, unsigned int current, const char* what) noexcept;

/// The start of reading a C options struct `in`: NULL means the defaults (returns
/// GITMEM_OK at once); otherwise its version must be 1 .. VERSION (EINVALID naming `what`).
#define GITMEM_OPTIONS_IN(in, VERSION, what)                                             \
  do {                                                                                   \
    if ((in) == nullptr) return GITMEM_OK;                                               \
    GITMEM_RETURN_IF_NOT_OK(::gitmem::capi::CheckVersion((in)->version, VERSION, what)); \
  } while (0)

inline std::string_view Str(const char* s) { return s ? std::string_view(s) : std::string_view(); }

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

/// The i-th string's characters, or NULL when `i` is out of range. Never throws.
inline const char* StringAt(const std::vector<std::string>& v, size_t i) noexcept {
  return i < v.size() ? v[i].c_str() : nullptr;
}

/// A borrowed pointer to an optional's value, or NULL when it is empty. Never throws.
template <typename T>
const T* ValueOrNull(const std::optional<T>& o) noexcept {
  return o ? &*o : nullptr;
}

/// Passes a result's value to `store` (which writes the caller's out-parameters), or maps
/// its error.
template <typename T, typename F>
int Store(Result<T> r, F&& store) {
  if (!r.ok()) return FromStatus(r.status());
  store(*r);
  return GITMEM_OK;
}

/// Hands a result out as a new `Handle` built from its value, or maps its error.
/// REQUIRES: `*out` is NULL.
template <typename Handle, typename T>
int Deliver(Handle** out, Result<T> r) {
  if (!r.ok()) return FromStatus(r.status());
  *out = new Handle(std::move(*r));
  return GITMEM_OK;
}

}  // namespace gitmem::capi

// One try/catch pair around every entry point that can throw: nothing C++ crosses the
// boundary. Entry points that cannot throw (getters, frees, options_init) go without.
#define GITMEM_CAPI_TRY try {
/// For functions returning an int code.
#define GITMEM_CAPI_CATCH                     \
  }                                           \
  catch (...) {                               \
    return ::gitmem::capi::HandleException(); \
  }

/// EINVALID unless the out-parameter `p` is non-NULL; then clears `*p`, so a failing call
/// leaves the caller's pointer NULL.
#define GITMEM_REQUIRE_OUT(p) \
  do {                        \
    GITMEM_REQUIRE(p, #p);    \
    *(p) = nullptr;           \
  } while (0)

/// The prologue of an entry point that reads the repository `repo` into the out-parameter
/// `out`: both must be non-NULL, and `*out` is cleared.
#define GITMEM_REQUIRE_OUT_REPO(out, repo) \
  do {                                     \
    GITMEM_REQUIRE_OUT(out);               \
    GITMEM_REQUIRE(repo, #repo);           \
  } while (0)

// ---- definitions of whole entry points (the model is FAISS's c_api/macros_impl.h) ------
// Each takes the handle's short name: `memory` stands for gitmem_memory and the functions
// gitmem_memory_<name>. Inside `expr` the handle is `self`.

/// `void gitmem_<type>_free(gitmem_<type>*)`: delete (NULL is a no-op). Destructors do not
/// throw, so there is nothing to catch.
#define GITMEM_DEFINE_FREE(type) \
  void gitmem_##type##_free(gitmem_##type* self) { delete self; }

/// `ret gitmem_<type>_<name>(const gitmem_<type>*)`: `expr`, or `fallback` for NULL.
/// REQUIRES: `expr` does not throw (a field, a c_str(), a size()).
#define GITMEM_DEFINE_GETTER(type, ret, name, fallback, expr) \
  ret gitmem_##type##_##name(const gitmem_##type* self) { return self ? (expr) : (fallback); }

/// `const char* gitmem_<type>_<name>(const gitmem_<type>*, size_t i)`: the i-th string of
/// `vec_expr`, or NULL for a NULL handle or an index out of range.
#define GITMEM_DEFINE_STRING_AT(type, name, vec_expr)                       \
  const char* gitmem_##type##_##name(const gitmem_##type* self, size_t i) { \
    return self ? ::gitmem::capi::StringAt(vec_expr, i) : nullptr;          \
  }

/// `int gitmem_<type>_<name>(gitmem_<type>*, ctype value)`: stores a value that needs no
/// check and cannot throw into `self->field`.
#define GITMEM_DEFINE_SETTER(type, name, ctype, field)           \
  int gitmem_##type##_##name(gitmem_##type* self, ctype value) { \
    GITMEM_REQUIRE(self, #type);                                 \
    self->field = value;                                         \
    return GITMEM_OK;                                            \
  }

/// `int gitmem_<type>_<name>(gitmem_<type>*, const char*)`: copies a NUL-terminated string
/// into `self->field`; EINVALID naming `what` for NULL.
#define GITMEM_DEFINE_STRING_SETTER(type, name, field, what)           \
  int gitmem_##type##_##name(gitmem_##type* self, const char* value) { \
    GITMEM_CAPI_TRY                                                    \
    GITMEM_REQUIRE(self, #type);                                       \
    GITMEM_REQUIRE(value, what);                                       \
    self->field = value;                                               \
    return GITMEM_OK;                                                  \
    GITMEM_CAPI_CATCH                                                  \
  }

/// `int gitmem_<opts>_init(gitmem_<opts>*, unsigned int version)`: the _INIT defaults
/// after checking `version` is 1 .. VERSION.
#define GITMEM_DEFINE_OPTIONS_INIT(opts, VERSION, INIT)                             \
  int gitmem_##opts##_init(gitmem_##opts* self, unsigned int version) {             \
    GITMEM_REQUIRE(self, "opts");                                                   \
    GITMEM_RETURN_IF_NOT_OK(::gitmem::capi::CheckVersion(version, VERSION, #opts)); \
    const gitmem_##opts init = INIT;                                                \
    *self = init;                                                                   \
    return GITMEM_OK;                                                               \
  }

/// `int gitmem_<type>_new(gitmem_<type>** out)`: an empty record to fill with setters.
#define GITMEM_DEFINE_NEW(type)                  \
  int gitmem_##type##_new(gitmem_##type** out) { \
    GITMEM_CAPI_TRY                              \
    GITMEM_REQUIRE(out, "out");                  \
    *out = new gitmem_##type();                  \
    return GITMEM_OK;                            \
    GITMEM_CAPI_CATCH                            \
  }

/// `int gitmem_<type>_dup(gitmem_<type>**, const gitmem_<type>*)`: a deep copy.
#define GITMEM_DEFINE_DUP(type)                                             \
  int gitmem_##type##_dup(gitmem_##type** out, const gitmem_##type* self) { \
    GITMEM_CAPI_TRY                                                         \
    GITMEM_REQUIRE_OUT(out);                                                \
    GITMEM_REQUIRE(self, #type);                                            \
    *out = new gitmem_##type(*self);                                        \
    return GITMEM_OK;                                                       \
    GITMEM_CAPI_CATCH                                                       \
  }

/// `int gitmem_<iter>_next(gitmem_<item>**, gitmem_<iter>*)`: the next item as a new
/// gitmem_<item> (built from the C++ value), or GITMEM_ITEROVER at the end. `arg` names
/// the iterator in the NULL message.
#define GITMEM_DEFINE_ITER_NEXT(iter, item, arg)                      \
  int gitmem_##iter##_next(gitmem_##item** out, gitmem_##iter* arg) { \
    GITMEM_CAPI_TRY                                                   \
    GITMEM_REQUIRE_OUT(out);                                          \
    GITMEM_REQUIRE(arg, #arg);                                        \
    return arg->NextInto(out);                                        \
    GITMEM_CAPI_CATCH                                                 \
  }

/// An iterator's _next and _free.
#define GITMEM_DEFINE_ITER(iter, item, arg) \
  GITMEM_DEFINE_ITER_NEXT(iter, item, arg)  \
  GITMEM_DEFINE_FREE(iter)

/// `int gitmem_<fn>(gitmem_<type>** out, gitmem_repo* repo)`: what `call` (a member call on
/// the Repository) returns, handed out as a new gitmem_<type>.
#define GITMEM_DEFINE_REPO_DELIVER(fn, type, call)          \
  int gitmem_##fn(gitmem_##type** out, gitmem_repo* repo) { \
    GITMEM_CAPI_TRY                                         \
    GITMEM_REQUIRE_OUT_REPO(out, repo);                     \
    return ::gitmem::capi::Deliver(out, repo->repo->call);  \
    GITMEM_CAPI_CATCH                                       \
  }

/// `int gitmem_<fn>(gitmem_<type>** out, gitmem_repo* repo, const char* arg)`: the same,
/// for a call that takes one string, which must not be NULL.
#define GITMEM_DEFINE_REPO_DELIVER_STR(fn, type, arg, call)                  \
  int gitmem_##fn(gitmem_##type** out, gitmem_repo* repo, const char* arg) { \
    GITMEM_CAPI_TRY                                                          \
    GITMEM_REQUIRE_OUT_REPO(out, repo);                                      \
    GITMEM_REQUIRE(arg, #arg);                                               \
    return ::gitmem::capi::Deliver(out, repo->repo->call);                   \
    GITMEM_CAPI_CATCH                                                        \
  }

/// An iterator over what `call` (a member call on the Repository) returns, with
/// `int gitmem_<iter>_new(gitmem_<iter>**, gitmem_repo*)`, _next and _free.
#define GITMEM_DEFINE_REPO_ITER(iter, item, call)                   \
  int gitmem_##iter##_new(gitmem_##iter** out, gitmem_repo* repo) { \
    GITMEM_CAPI_TRY                                                 \
    GITMEM_REQUIRE_OUT_REPO(out, repo);                             \
    return ::gitmem::capi::NewIter(out, repo, repo->repo->call);    \
    GITMEM_CAPI_CATCH                                               \
  }                                                                 \
  GITMEM_DEFINE_ITER(iter, item, iter)

// ---- handles (global namespace: they complete the C header's opaque types) --------------

struct gitmem_repo {
  explicit gitmem_repo(std::shared_ptr<gitmem::Repository> r) : repo(std::move(r)) {}
  std::shared_ptr<gitmem::Repository> repo;
};

struct gitmem_strlist {
  gitmem_strlist() = default;
  explicit gitmem_strlist(std::vector<std::string> v) : items(std::move(v)) {}
  std::vector<std::string> items;
};

struct gitmem_memory {
  gitmem::Memory m;
  std::string content_hash_hex;  // provenance.content_hash as hex, kept for the getter

  gitmem_memory() : content_hash_hex(m.provenance.content_hash.hex()) {}
  explicit gitmem_memory(gitmem::Memory mem) : m(std::move(mem)), content_hash_hex(m.provenance.content_hash.hex()) {}
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
  explicit gitmem_diff_entry(gitmem::DiffEntry e) : id(std::move(e.id)) {
    switch (e.kind) {
      case gitmem::DiffEntry::Kind::kAdded: kind = GITMEM_DIFF_ADDED; break;
      case gitmem::DiffEntry::Kind::kModified: kind = GITMEM_DIFF_MODIFIED; break;
      case gitmem::DiffEntry::Kind::kRemoved: kind = GITMEM_DIFF_REMOVED; break;
    }
    if (e.old_memory) old_memory.emplace(std::move(*e.old_memory));
    if (e.new_memory) new_memory.emplace(std::move(*e.new_memory));
  }
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
  explicit gitmem_staged_entry(gitmem::StagedChange c) : id(std::move(c.id)), deleted(c.deleted) {
    if (c.memory) memory.emplace(std::move(*c.memory));
  }
  std::string id;
  bool deleted = false;
  std::optional<gitmem_memory> memory;
};

struct gitmem_branch {
  explicit gitmem_branch(gitmem::BranchInfo info) : b(std::move(info)), head_hex(b.head.hex()) {}
  gitmem::BranchInfo b;
  std::string head_hex;
};

struct gitmem_tag {
  explicit gitmem_tag(gitmem::TagInfo info) : t(std::move(info)), target_hex(t.target.hex()) {}
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

  /// Hands the next item out as a new `Handle` built from it, or returns GITMEM_ITEROVER.
  template <typename Handle>
  int NextInto(Handle** out) {
    if (pos >= items.size()) return GITMEM_ITEROVER;
    *out = new Handle(std::move(items[pos++]));
    return GITMEM_OK;
  }
  size_t remaining() const noexcept { return items.size() - pos; }
  void Take(std::vector<T> v) { items = std::move(v); }
};

/// Hands a result's items out as a new iterator that keeps `repo` alive, or maps its error.
/// REQUIRES: `*out` is NULL.
template <typename Iter, typename Items>
int NewIter(Iter** out, const gitmem_repo* repo, Result<Items> items) {
  if (!items.ok()) return FromStatus(items.status());
  auto it = std::make_unique<Iter>();
  it->repo = repo->repo;
  it->Take(std::move(*items));
  *out = it.release();
  return GITMEM_OK;
}

}  // namespace gitmem::capi

struct gitmem_list : gitmem::capi::VectorIter<gitmem::Memory> {};
struct gitmem_log : gitmem::capi::VectorIter<gitmem::CommitInfo> {};
struct gitmem_history : gitmem::capi::VectorIter<gitmem::MemoryVersion> {};
struct gitmem_staged : gitmem::capi::VectorIter<gitmem::StagedChange> {};
struct gitmem_branch_iter : gitmem::capi::VectorIter<gitmem::BranchInfo> {};
struct gitmem_tag_iter : gitmem::capi::VectorIter<gitmem::TagInfo> {};
struct gitmem_diff : gitmem::capi::VectorIter<gitmem::DiffEntry> {
  void Take(gitmem::Diff d) {
    added = d.added();
    modified = d.modified();
    removed = d.removed();
    items = std::move(d.entries);
  }
  size_t added = 0, modified = 0, removed = 0;
};

// ---- search and merge handles ------------------------------------------------------------

struct gitmem_search_hit {
  explicit gitmem_search_hit(gitmem::SearchHit h) : id(std::move(h.id)), score(h.score) {
    if (h.memory) memory.emplace(std::move(*h.memory));
  }
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
  explicit gitmem_merge_result(gitmem::MergeResult result) : r(std::move(result)), commit_hex(r.commit.hex()) {}
  gitmem::MergeResult r;
  std::string commit_hex;
};
struct gitmem_conflict_iter : gitmem::capi::VectorIter<gitmem::MergeConflict> {};

struct gitmem_repo_info {
  gitmem::RepositoryInfo i;
};
